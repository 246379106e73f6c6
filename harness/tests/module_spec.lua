-- module_spec.lua -- the Lua binding: handles, errors and misuse.
--
-- Runs under `intspect spec` and under a stock `busted --lua=lua5.4` with
-- build/intspect.so on LUA_CPATH.  It checks the binding, not integer
-- semantics (specs/ does that): which error type a misuse raises, that a
-- handle owns exactly one reference, and what close() reports.

local intspect = require "intspect"

-- The error a function raises, which must be an intspect error object.
local function raised(fn)
  local ok, err = pcall(fn)
  assert.is_false(ok, "expected an error")
  assert.is_true(intspect.is_error(err), "not an intspect error: " .. tostring(err))
  return err
end

describe("error objects", function()
  it("carry type and message and print as 'Type: message'", function()
    local R = intspect.runtime{ profile = "cpython3.14" }
    local err = raised(function() return R:int(1) // 0 end)
    assert.are.equal("ZeroDivisionError", err.type)
    assert.are.equal("division by zero", err.message)
    assert.are.equal("ZeroDivisionError: division by zero", tostring(err))
    assert.has_error(function() return R:int(1) // 0 end, "ZeroDivisionError: division by zero")
    assert.has_error(function() return R:int(1) // 0 end,
                     { type = "ZeroDivisionError", message = "division by zero" })
  end)

  it("take the profile's wording from the C API", function()
    local R = intspect.runtime{ profile = "cpython3.12" }
    assert.are.equal("integer modulo by zero", raised(function() return R:int(1) % 0 end).message)
  end)
end)

describe("wrong argument types", function()
  local R
  before_each(function() R = intspect.runtime{} end)
  after_each(function() if not R.closed then R:close() end end)

  it("raise TypeError", function()
    assert.are.equal("TypeError", raised(function() return R:int(nil) end).type)
    assert.are.equal("TypeError", raised(function() return R:int({}) end).type)
    assert.are.equal("TypeError", raised(function() return R:int(5, 10) end).type)
    assert.are.equal("TypeError", raised(function() return R:int(1) + "1" end).type)
    assert.are.equal("TypeError", raised(function() return R:int(1) // 1.5 end).type)
    assert.are.equal("TypeError", raised(function() return R:int(1) << 1.0 end).type)
    assert.are.equal("TypeError", raised(function() return R:id(5) end).type)
    assert.are.equal("TypeError", raised(function() return R:refcount("5") end).type)
    assert.are.equal("TypeError", raised(function() return R:frombytes(5) end).type)
    assert.are.equal("TypeError", raised(function() return R:int(1):tobytes(1, "big", 1) end).type)
    assert.are.equal("TypeError", raised(function() return R:str(R:int(1), 2.5) end).type)
    assert.are.equal("TypeError", raised(function() return R:pow(2, 3, 1.5) end).type)
    assert.are.equal("TypeError", raised(function() return intspect.runtime{ bogus = 1 } end).type)
    assert.are.equal("TypeError", raised(function() return intspect.runtime{ small_ints = 5 } end).type)
    assert.are.equal("TypeError", raised(function() return intspect.runtime(42) end).type)
  end)

  it("name the misuse of a method called with '.'", function()
    local err = raised(function() return R.int(5) end)
    assert.are.equal("TypeError", err.type)
    assert.truthy(err.message:find("R:method()", 1, true))
  end)
end)

describe("values the C API must reject", function()
  local R
  before_each(function() R = intspect.runtime{} end)

  it("NaN and infinities", function()
    assert.are.same({ type = "ValueError", message = "cannot convert float NaN to integer" },
                    { type = raised(function() return R:int(0 / 0) end).type,
                      message = raised(function() return R:int(0 / 0) end).message })
    assert.are.equal("OverflowError", raised(function() return R:int(1 / 0) end).type)
    assert.are.equal("OverflowError", raised(function() return R:int(-1 / 0) end).type)
    -- an int compared with NaN is unordered, never an error
    assert.is_false(R:int(1) < 0 / 0)
    assert.is_false(R:int(1) >= 0 / 0)
  end)

  it("huge or out-of-range bases and lengths", function()
    for _, base in ipairs { 1, 37, -1, 2 ^ 40, math.maxinteger, math.mininteger } do
      assert.are.equal("ValueError", raised(function() return R:int("12", base) end).type)
      assert.are.equal("ValueError", raised(function() return R:str(R:int(12), base) end).type)
    end
    assert.are.equal("ValueError", raised(function() return R:int(5):tobytes(-1) end).type)
    assert.are.equal("MemoryError", raised(function() return R:int(5):tobytes(math.maxinteger) end).type)
    assert.are.equal("ValueError", raised(function() return R:int(5):tobytes(1, "middle") end).type)
    assert.are.equal("ValueError", raised(function() return R:frombytes("\1", "middle") end).type)
  end)

  it("absurd runtime options", function()
    assert.are.equal("ValueError", raised(function() return intspect.runtime{ profile = "cpython9" } end).type)
    assert.are.equal("ValueError", raised(function() return intspect.runtime{ histogram = { 1, 0 } } end).type)
    assert.are.equal("ValueError",
      raised(function() return intspect.runtime{ histogram = { math.mininteger, math.maxinteger } } end).type)
    assert.are.equal("ValueError", raised(function() return intspect.runtime{ small_ints = { -1, 5 } } end).type)
    assert.are.equal("ValueError", raised(function() return intspect.runtime{ small_ints = { 5, 2 ^ 40 } } end).type)
  end)
end)

describe("handles", function()
  it("own one reference each, dropped by release()", function()
    local R = intspect.runtime{}
    local a = R:int("123456789012345")
    assert.refcount(R, a, 1)
    local b = R:int(a)
    assert.is_same_object(R, a, b)
    assert.refcount(R, a, 2)
    b:release()
    assert.refcount(R, a, 1)
    assert.are.equal(0, R:close().count)
  end)

  it("raise ValueError once released", function()
    local R = intspect.runtime{}
    local a = R:int(10 ^ 12)
    a:release()
    for _, use in ipairs {
      function() return a + 1 end, function() return 1 + a end, function() return -a end,
      function() return tostring(a) end, function() return R:id(a) end,
      function() return a:release() end, function() return a:tofloat() end,
      function() return a == R:int(1) end, function() return a < 1 end,
    } do
      local err = raised(use)
      assert.are.equal("ValueError", err.type)
      assert.are.equal("int handle has been released", err.message)
    end
  end)

  it("refuse to mix runtimes", function()
    local R, S = intspect.runtime{}, intspect.runtime{ profile = "cpython2.7" }
    local err = raised(function() return R:int(7) + S:int(7) end)
    assert.are.same({ "ValueError", "ints from different runtimes" }, { err.type, err.message })
    assert.are.equal("ValueError", raised(function() return R:int(7) == S:int(7) end).type)
    assert.are.equal("ValueError", raised(function() return R:is(R:int(7), S:int(7)) end).type)
    assert.are.equal("ValueError", raised(function() return S:int(R:int(7)) end).type)
  end)

  it("compare by value with ==, by identity only with R:is", function()
    local R = intspect.runtime{}
    local a, b = R:int(10 ^ 10), R:int(10 ^ 10)
    assert.is_true(a == b)
    assert.is_false(R:is(a, b))
    assert.is_false(rawequal(a, b))
    assert.is_true(R:int(7) < 8 and 6 < R:int(7) and R:int(7) <= 7.0 and R:int(7) < 7.5)
    assert.is_false(R:int(7) < 7)
  end)

  it("follow Python for int op float in + - *", function()
    local R = intspect.runtime{}
    assert.are.equal(8.5, R:int(7) + 1.5)
    assert.are.equal(-5.5, 1.5 - R:int(7))
    assert.are.equal("float", math.type(R:int(2) * 1.0))
    assert.are.equal("OverflowError", raised(function() return R:int(2) ^ 2000 + 1.0 end).type)
  end)

  it("are dropped by a to-be-closed variable", function()
    local R = intspect.runtime{}
    local a = R:int(10 ^ 12)
    do
      local b <close> = R:int(a)
      assert.refcount(R, a, 2)
    end
    assert.refcount(R, a, 1)
  end)
end)

describe("close()", function()
  it("invalidates live handles before counting leaks", function()
    local R = intspect.runtime{}
    local kept = { R:int(10 ^ 15), R:int("99999999999999999999999") }
    local report = R:close()
    assert.are.equal(0, report.count)
    assert.are.equal(0, #report)
    local err = raised(function() return kept[1] + 1 end)
    assert.are.same({ "ValueError", "int handle's runtime is closed" }, { err.type, err.message })
  end)

  it("makes later use of the runtime raise ValueError", function()
    local R = intspect.runtime{}
    R:close()
    assert.is_true(R.closed)
    for _, use in ipairs {
      function() return R:int(1) end, function() return R:stats() end,
      function() return R:close() end, function() return R.profile end,
    } do
      local err = raised(use)
      assert.are.same({ "ValueError", "runtime is closed" }, { err.type, err.message })
    end
  end)
end)

describe("runtime introspection", function()
  it("exposes the profile, stats and the histogram", function()
    local R = intspect.runtime{ profile = "cpython3.11", histogram = { -2, 2 } }
    assert.are.equal("cpython3.11", R.profile)
    local before = R:stats().created
    local _ = { R:int(2), R:int(2), R:int(-2) }
    assert.are.equal(before + 3, R:stats().created)
    local h, lo, hi = R:histogram()
    assert.are.same({ -2, 2 }, { lo, hi })
    assert.are.same({ [-2] = 1, [-1] = 0, [0] = 0, [1] = 0, [2] = 2 }, h)
    for _, k in ipairs { "created", "cache_hits", "freelist_hits", "allocs", "frees",
                         "failed_allocs", "live", "blocks", "bytes", "freelist_len" } do
      assert.are.equal("integer", math.type(R:stats()[k]), k)
    end
    assert.is_nil(intspect.runtime{}:histogram())
  end)

  it("turns fail_alloc_after into MemoryError and lifts it", function()
    local R = intspect.runtime{ fail_alloc_after = 0 }
    assert.are.equal("MemoryError", raised(function() return R:int(10 ^ 12) end).type)
    -- an empty message prints as Python prints a bare MemoryError
    assert.are.equal("MemoryError", tostring(raised(function() return R:int(1) << (1 << 62) end)))
    assert.are.equal("ValueError: negative shift count",
                     tostring(raised(function() return R:int(1) << -1 end)))
    R:set_fail_alloc_after(nil)
    assert.are.equal(R:int(10 ^ 12), R:int("1000000000000"))
  end)

  it("runs describe_profiles over the selected profiles", function()
    local saved = intspect.profile_filter
    intspect.profile_filter = "cpython2.7"
    local seen = {}
    intspect.each_profile(function(p) seen[#seen + 1] = p end)
    intspect.profile_filter = saved
    assert.are.same({ "cpython2.7" }, seen)
    assert.are.equal("ValueError", raised(function() intspect.selected_profiles { "cpython9" } end).type)
  end)

  it("installs the global describe_profiles for spec files", function()
    assert.are.equal(intspect.describe_profiles, describe_profiles)
  end)
end)
