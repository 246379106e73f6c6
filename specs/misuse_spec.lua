--[[
misuse_spec.lua -- wrong use of the Lua API raises an error object, never
crashes, and leaves the runtime usable.

Covers API.md: "Errors are raised as Lua errors whose value has fields type
... and message ..., and whose tostring is 'Type: message'. No script,
however wrong, may crash the process or corrupt a runtime."; "a:release()
-- any later use of a raises an error"; "R:close() -- later use of R
raises an error"; "Lua's == compares values; identity is only ever R:is".
Where CPython has the same mistake its type and text are used: int() base
range, "int() can't convert non-string with explicit base", NaN/inf to int,
to_bytes length and byteorder (facts section 4).
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

local TYPES = { ValueError = true, TypeError = true, OverflowError = true,
                MemoryError = true, ZeroDivisionError = true }

-- fn must raise an error object of one of the API's types (or 'want').
local function misuse(fn, want)
  local ok, e = pcall(fn)
  assert.is_false(ok, "the call returned instead of raising")
  assert.are.equal("table", type(e), "error value: " .. tostring(e))
  assert.is_true(H.intspect.is_error(e), "not an intspect error: " .. tostring(e))
  assert.is_string(e.message)
  if want then
    assert.are.equal(want, e.type, tostring(e))
  else
    assert.is_true(TYPES[e.type] or false, "unexpected error type " .. tostring(e.type))
  end
  -- "Type: message", or the type alone for a message-less error (as Python
  -- prints a bare MemoryError)
  assert.are.equal(e.message == "" and e.type or e.type .. ": " .. e.message, tostring(e))
  return e
end

H.each_profile(function(profile)
  after_each(H.close_all)

  it("wrong argument types to R:int raise TypeError", function()
    local R = H.runtime(profile)
    misuse(function() return R:int({}) end, "TypeError")
    misuse(function() return R:int(true) end, "TypeError")
    misuse(function() return R:int(print) end, "TypeError")
    misuse(function() return R:int(io.stdout) end, "TypeError")
    misuse(function() return R:int(R) end, "TypeError")
    local e = misuse(function() return R:int(5, 10) end, "TypeError")
    assert.are.equal("int() can't convert non-string with explicit base", e.message)
  end)

  it("wrong operand types to operators and methods raise TypeError", function()
    local R = H.runtime(profile)
    local a = R:int(3)
    misuse(function() return a + {} end, "TypeError")
    misuse(function() return a + "1" end, "TypeError")
    misuse(function() return a & 1.5 end, "TypeError")
    misuse(function() return a << 2.5 end, "TypeError")
    misuse(function() return R:divmod(a, "x") end, "TypeError")
    misuse(function() return R:gcd(a, nil) end, "TypeError")
    misuse(function() return R:pow(a, 2, {}) end, "TypeError")
    misuse(function() return R:pow(a, 2.5) end, "TypeError")
    misuse(function() return R:id(5) end, "TypeError")
    misuse(function() return R:is(a, 3) end, "TypeError")
    misuse(function() return R:refcount("3") end, "TypeError")
    misuse(function() return R:sizeof(nil) end, "TypeError")
    misuse(function() return R:frombytes(42) end, "TypeError")
    misuse(function() return a:tobytes(1, 42) end, "TypeError")
    misuse(function() return a:tobytes(1, "big", "yes") end, "TypeError")
    misuse(function() return R.int(nil, 5) end, "TypeError")       -- R.int instead of R:int
    misuse(function() return a.tofloat(R) end, "TypeError")
    local e = misuse(function() return R:pow(2.0, 3, 5) end, "TypeError")
    assert.are.equal("pow() 3rd argument not allowed unless all arguments are integers", e.message)
  end)

  it("a huge or odd base raises int()'s error (2.7: OverflowError past a C int); R:str refuses bases outside 2..36", function()
    local R = H.runtime(profile)
    local msg = "int() base must be >= 2 and <= 36, or 0"
    for _, base in ipairs({ 37, 1, -1, 1000, math.maxinteger, math.mininteger, 1 << 40 }) do
      local c_int = base >= -(1 << 31) and base < (1 << 31)
      if profile == "cpython2.7" and not c_int then
        local e = misuse(function() return R:int("1", base) end, "OverflowError")
        assert.are.equal(base > 0 and "signed integer is greater than maximum"
                         or "signed integer is less than minimum", e.message, "base " .. base)
      else
        local e = misuse(function() return R:int("1", base) end, "ValueError")
        assert.are.equal(msg, e.message, "base " .. base)
      end
    end
    misuse(function() return R:int("1", 2.5) end, "TypeError")
    misuse(function() return R:int("1", 0 / 0) end, "TypeError")
    misuse(function() return R:int("1", "ten") end, "TypeError")
    for _, base in ipairs({ 0, 1, 37, -10, math.maxinteger }) do
      misuse(function() return R:str(R:int(10), base) end, "ValueError")
    end
  end)

  it("NaN, infinities and non-integral floats where an int is needed", function()
    local R = H.runtime(profile)
    misuse(function() return R:int(0 / 0) end, "ValueError")
    misuse(function() return R:int(math.huge) end, "OverflowError")
    misuse(function() return R:int(-math.huge) end, "OverflowError")
    misuse(function() return R:int(5):tobytes(2.5) end, "TypeError")
    misuse(function() return R:int(5):tobytes(0 / 0) end, "TypeError")
    misuse(function() return R:str(R:int(5), 10.5) end, "TypeError")
    misuse(function() return R:set_max_str_digits(700.5) end, "TypeError")
    misuse(function() return R:set_fail_alloc_after(1.5) end, "TypeError")
    assert.are.equal("2", tostring(R:int(2.0)))           -- an integral float is fine
  end)

  it("a huge to_bytes length is an error, not a crash", function()
    local R = H.runtime(profile)
    for _, len in ipairs({ math.maxinteger, 1 << 40, 1 << 33 }) do
      misuse(function() return R:int(1):tobytes(len) end)
    end
    local e = misuse(function() return R:int(1):tobytes(-1) end, "ValueError")
    assert.are.equal("length argument must be non-negative", e.message)
    e = misuse(function() return R:int(1):tobytes(math.mininteger) end, "ValueError")
    assert.are.equal("length argument must be non-negative", e.message)
  end)

  it("a huge left shift is MemoryError or OverflowError, never a crash", function()
    local R = H.runtime(profile)
    local e = misuse(function() return R:int(1) << (1 << 62) end)
    assert.is_true(e.type == "MemoryError" or e.type == "OverflowError", e.type)
    assert.are.equal("0", tostring(R:int(1) >> (1 << 62)))
    assert.are.equal("1", tostring(R:int(1) ^ (1 << 62)))
  end)

  it("a released handle raises on every later use", function()
    local R = H.runtime(profile)
    local a = R:int(12345)
    a:release()
    misuse(function() return tostring(a) end, "ValueError")
    misuse(function() return a + 1 end, "ValueError")
    misuse(function() return 1 + a end, "ValueError")
    misuse(function() return -a end, "ValueError")
    misuse(function() return R:id(a) end, "ValueError")
    misuse(function() return R:refcount(a) end, "ValueError")
    misuse(function() return a:tofloat() end, "ValueError")
    misuse(function() return a:release() end, "ValueError")
    misuse(function() return R:int(a) end, "ValueError")
    misuse(function() return R:is(a, a) end, "ValueError")
    misuse(function() return a == R:int(12345) end, "ValueError")
    assert.are.equal("12346", tostring(R:int(12345) + 1))
  end)

  it("a closed runtime raises on every later use, and its ints too", function()
    local R = H.intspect.runtime(profile)
    local a = R:int(2) ^ 100
    local rep = R:close()
    assert.are.equal(0, H.leak_count(rep))
    assert.is_true(R.closed)
    misuse(function() return R:int(1) end, "ValueError")
    misuse(function() return R:stats() end, "ValueError")
    misuse(function() return R:close() end, "ValueError")
    misuse(function() return R.profile end, "ValueError")
    misuse(function() return tostring(a) end, "ValueError")
    misuse(function() return a + 1 end, "ValueError")
    misuse(function() return a:release() end, "ValueError")
    collectgarbage()   -- finalizing the dead handles must be harmless
  end)

  it("ints of two runtimes do not mix", function()
    local R, S = H.runtime(profile), H.runtime(profile)
    local a, b = R:int(1000), S:int(1000)
    misuse(function() return a + b end, "ValueError")
    misuse(function() return R:id(b) end, "ValueError")
    misuse(function() return R:is(a, b) end, "ValueError")
    misuse(function() return R:divmod(a, b) end, "ValueError")
  end)

  it("bad runtime options raise instead of making a runtime", function()
    misuse(function() return H.intspect.runtime { profile = "cpython9.9" } end, "ValueError")
    misuse(function() return H.intspect.runtime { profile = 3 } end, "TypeError")
    misuse(function() return H.intspect.runtime { small_ints = 5 } end, "TypeError")
    misuse(function() return H.intspect.runtime { small_ints = { -1, 5 } } end, "ValueError")
    misuse(function() return H.intspect.runtime { small_ints = { 5, 1 << 40 } } end, "ValueError")
    misuse(function() return H.intspect.runtime { histogram = { 10, 0 } } end, "ValueError")
    misuse(function() return H.intspect.runtime { no_such_option = 1 } end, "TypeError")
    misuse(function() return H.intspect.runtime(42) end, "TypeError")
  end)

  it("errors leave the runtime intact: 1000 failed calls later the counts are unchanged", function()
    local R = H.runtime(profile)
    collectgarbage()
    local live = R:stats().live
    for i = 1, 1000 do
      pcall(R.int, R, {})
      pcall(R.int, R, "1", 99)
      pcall(function() return R:int(i) // 0 end)
      pcall(function() return R:int(1):tobytes(-i) end)
    end
    collectgarbage()
    assert.are.equal(live, R:stats().live)
    assert.are.equal(0, H.leak_count(R:close()))
  end)
end)
