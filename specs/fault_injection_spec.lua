--[[
fault_injection_spec.lua -- every allocation failure is a clean MemoryError.

For n = 0, 1, 2, ... a runtime is made with fail_alloc_after = n and a small
workload (every kind of operation: parse, arithmetic on one- and multi-digit
ints, division, pow with modulus, str in bases 10 and 7, bytes, isqrt, gcd)
runs until it completes.  Each failure must be a MemoryError error object;
after R:set_fail_alloc_after(nil) the same workload gives the right answer
on the same runtime; R:close() reports no leak.

Covers API.md "fail_alloc_after: once n allocations have succeeded (counted
from creation on), every allocation fails" and "No script, however wrong,
may crash the process or corrupt a runtime"; CPython's own practice of
PyErr_NoMemory (MemoryError with an empty message) on allocation failure.
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

-- The workload: returns one string that depends on every result.
local function workload(R)
  local a = R:int(1000)
  local b = R:int("123456789012345678901234567890")
  local c = b * 3 + a - 7
  local q, r = R:divmod(c, R:int(97))
  local m = R:pow(R:int(7), R:int(100), R:int(10) ^ 20 + 1)
  local big = c ^ 5
  local bytes = c:tobytes(16, "little", false)
  local d = R:frombytes(bytes, "little", false)
  local e = R:int("0x" .. ("f"):rep(50), 0) >> 3
  local f = R:isqrt(big)
  local g = R:gcd(c, b)
  local small = {}
  for i = 1, 30 do small[i] = R:int(300 + i) * 2 end
  return table.concat({
    tostring(q), tostring(r), tostring(m), tostring(big), tostring(d),
    R:str(e, 7), tostring(f), tostring(g), tostring(small[30]), tostring(-c // 13),
    tostring(c & (R:int(1) << 70)), tostring(~c), tostring(R:truediv(c, b)),
  }, ",")
end

local function is_memory_error(e)
  return type(e) == "table" and e.type == "MemoryError"
end

H.each_profile(function(profile)
  after_each(H.close_all)

  it("fail_alloc_after = 0, 1, 2, ...: MemoryError, recovery, no leak", function()
    local ref = H.runtime(profile)
    local want = workload(ref)

    local failed_runs, n = 0, 0
    while true do
      assert.is_true(n < 5000, "the workload never completed")
      local okc, R = pcall(H.intspect.runtime, { profile = profile, fail_alloc_after = n })
      if not okc then
        -- not even the runtime could be made: that too must be a MemoryError
        assert.is_true(is_memory_error(R), "creation with fail_alloc_after=" .. n
                       .. " raised " .. tostring(R))
      else
        local ok, got = pcall(workload, R)
        if ok then
          assert.are.equal(want, got, "fail_alloc_after=" .. n)
          assert.are.equal(0, H.leak_count(R:close()), "leaks, fail_alloc_after=" .. n)
          break
        end
        assert.is_true(is_memory_error(got), "fail_alloc_after=" .. n .. " raised "
                       .. tostring(got))
        assert.is_true(R:stats().failed_allocs > 0, "a MemoryError without a failed allocation")
        failed_runs = failed_runs + 1
        R:set_fail_alloc_after(nil)
        -- usable again: the whole workload every 8th n (it dominates the
        -- run time otherwise), a multi-digit computation every time
        if n % 8 == 0 then
          local ok2, again = pcall(workload, R)
          assert.is_true(ok2, "after lifting the limit (n=" .. n .. "): " .. tostring(again))
          assert.are.equal(want, again, "after lifting the limit, n=" .. n)
        else
          local x = R:int(3) ^ 100 // 7
          assert.are.equal("73625360104573047290923018537945896100301074571", tostring(x), "n=" .. n)
        end
        collectgarbage()
        assert.are.equal(0, H.leak_count(R:close()), "leaks, fail_alloc_after=" .. n)
      end
      n = n + 1
    end
    assert.is_true(failed_runs > 0, "no allocation ever failed")
  end)

  it("a MemoryError has CPython's empty message", function()
    local R = H.runtime { profile = profile }
    R:set_fail_alloc_after(0)
    local ok, e = pcall(function() return R:int(2) ^ 200 end)
    assert.is_false(ok)
    assert.are.equal("MemoryError", e.type)
    assert.are.equal("", e.message)
    R:set_fail_alloc_after(nil)
    assert.are.equal("1606938044258990275541962092341162602522202993782792835301376",
                     tostring(R:int(2) ^ 200))
  end)

  it("cached ints need no allocation: they still come when every allocation fails", function()
    local R = H.runtime { profile = profile }
    R:set_fail_alloc_after(0)
    local five = R:int(5)
    local sum = R:int(2) + 3
    local same = R:is(five, sum)
    -- fresh ints fail at once (2.7 may first use the 25 spare slots that
    -- its seventh block already holds: no allocation needed for those)
    local made, err = 0, nil
    for k = 1, 100 do
      local ok, e = pcall(R.int, R, 100000 + k)
      if not ok then err = e; break end
      made = made + 1
    end
    R:set_fail_alloc_after(nil)
    assert.is_true(same, "2 + 3 is not the cached 5")
    assert.are.equal("5", tostring(five))
    assert.is_true(made <= 25, made .. " fresh ints made with every allocation failing")
    assert.is_true(is_memory_error(err), "expected MemoryError, got " .. tostring(err))
  end)

end)
