--[[
limits_spec.lua -- the per-runtime limits: max_result_bits (the result) and
max_work (the estimated work of pow with a modulus and of gcd).

An operation whose result would be wider than max_result_bits bits raises
MemoryError at once, before it allocates or computes, with a message that
names the limit and the option.  Default 2**26 bits (about 20 million
decimal digits); 0 lifts it; otherwise it must be at least 128.  Covered:
x ** y, x * y, x << n, to_bytes (8 * length), str(x) (x's bits), int(s,
base) (digit count * log2(base)) and from_bytes (8 * length).  The hard
ceiling of the runtime (2**28 digits of 30 bits) keeps CPython's bare
MemoryError, so identity.lua's huge shifts are unchanged.
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

local DEFAULT = 1 << 26
local SUFFIX = ", above this runtime's max_result_bits (%d); raise it with the "
  .. "max_result_bits option (0: no limit)"

local function limit_msg(limit, fmt, ...)
  return string.format(fmt, ...) .. string.format(SUFFIX, limit)
end

-- fn raises MemoryError with 'msg' (nil: any text) within 'secs' of CPU.
local function refused_quickly(msg, secs, fn)
  local t0 = os.clock()
  local err = H.catch(fn)
  local took = os.clock() - t0
  H.check_error(err, "MemoryError", msg)
  assert.is_true(took < secs, string.format("took %.3f s to refuse", took))
  return err
end

H.each_profile(function(profile)
  after_each(H.close_all)

  it("both runaway examples raise MemoryError at once under the default", function()
    local R = H.runtime(profile)
    refused_quickly(limit_msg(DEFAULT, "x ** 1000000000 would have 3321928095 bits"), 0.5,
                    function() return R:int(10) ^ R:int(10) ^ 9 end)
    refused_quickly(limit_msg(DEFAULT, "to_bytes(2147483648) would have 17179869184 bits"),
                    0.5, function() return R:int(1):tobytes(2 ^ 31) end)
    -- the runtime is still usable and nothing was left behind
    assert.are.equal("1024", tostring(R:int(2) ^ 10))
    collectgarbage()
    collectgarbage()
    assert.are.equal(0, R:stats().live)
  end)

  it("the default is exact at its edge: 2**26 bits pass, one more raises", function()
    local R = H.runtime(profile)
    assert.are.equal(DEFAULT, (R:int(1) << (DEFAULT - 1)):bit_length())
    refused_quickly(limit_msg(DEFAULT, "x << %d would have %d bits", DEFAULT, DEFAULT + 1),
                    0.5, function() return R:int(1) << DEFAULT end)
  end)

  it("** is exact at the edge, for powers of two and others", function()
    local R = H.runtime { profile = profile, max_result_bits = 1000 }
    assert.are.equal(1000, (R:int(2) ^ 999):bit_length())
    H.raises("MemoryError", limit_msg(1000, "x ** 1000 would have 1001 bits"),
             function() return R:int(2) ^ 1000 end)
    assert.are.equal(1000, (R:int(-8) ^ 333):bit_length())   -- 1 + 3 * 333
    H.raises("MemoryError", limit_msg(1000, "x ** 334 would have 1003 bits"),
             function() return R:int(-8) ^ 334 end)
    -- 3**630 has 999 bits, 3**631 has 1001
    assert.are.equal(999, (R:int(3) ^ 630):bit_length())
    H.raises("MemoryError", limit_msg(1000, "x ** 631 would have 1001 bits"),
             function() return R:int(3) ^ 631 end)
    -- 10**301 has 1000 bits
    assert.are.equal(1000, (R:int(10) ^ 301):bit_length())
    H.raises("MemoryError", nil, function() return R:int(10) ^ 302 end)
    -- a modulus bounds the result: no limit applies
    assert.are.equal("1", tostring(R:pow(3, 1000000, 2)))
  end)

  it("* is exact at the edge, also where only the digits tell", function()
    local R = H.runtime { profile = profile, max_result_bits = 1000 }
    local two = R:int(2)
    assert.are.equal(1000, (two ^ 500 * two ^ 499):bit_length())
    H.raises("MemoryError", limit_msg(1000, "x * y would have at least 1001 bits"),
             function() return two ^ 500 * two ^ 500 end)
    -- 501 + 500 bits: 1000 or 1001 bits, which the product decides
    assert.are.equal(1000, (two ^ 500 * (two ^ 500 - 1)):bit_length())
    H.raises("MemoryError", limit_msg(1000, "x * y would have 1001 bits"),
             function() return (two ^ 501 - 1) * (two ^ 500 - 1) end)
    assert.are.equal(0, (function() collectgarbage(); return R:stats().live end)())
  end)

  it("<< is exact at the edge", function()
    local R = H.runtime { profile = profile, max_result_bits = 1000 }
    assert.are.equal(1000, (R:int(5) << 997):bit_length())
    H.raises("MemoryError", limit_msg(1000, "x << 998 would have 1001 bits"),
             function() return R:int(5) << 998 end)
    -- a count past the runtime's hard ceiling keeps CPython's bare MemoryError
    -- (3.14: its OverflowError), whatever the limit
    local e = H.catch(function() return R:int(1) << (1 << 62) end)
    assert.is_true(e.type == "MemoryError" or e.type == "OverflowError", e.type)
    if e.type == "MemoryError" then assert.are.equal("", e.message) end
  end)

  it("to_bytes and from_bytes: 8 bits a byte, exact at the edge", function()
    local R = H.runtime { profile = profile, max_result_bits = 1000 }
    assert.are.equal(125, #R:int(1):tobytes(125))
    H.raises("MemoryError", limit_msg(1000, "to_bytes(126) would have 1008 bits"),
             function() return R:int(1):tobytes(126) end)
    -- CPython's own errors come first
    H.raises("OverflowError", "can't convert negative int to unsigned",
             function() return R:int(-1):tobytes(200) end)
    H.raises("ValueError", "length argument must be non-negative",
             function() return R:int(1):tobytes(-1) end)
    assert.are.equal(993, R:frombytes(("\1"):rep(125)):bit_length())
    H.raises("MemoryError",
             limit_msg(1000, "int.from_bytes() of 126 bytes would have up to 1008 bits"),
             function() return R:frombytes(("\1"):rep(126)) end)
  end)

  it("int(str): the bits its digits can hold, exact at the edge", function()
    local R = H.runtime { profile = profile, max_result_bits = 1000, max_str_digits = 0 }
    assert.are.equal(1000, R:int(("1"):rep(1000), 2):bit_length())
    H.raises("MemoryError", limit_msg(1000, "int() of 1001 base-2 digits would have up to 1001 bits"),
             function() return R:int(("1"):rep(1001), 2) end)
    assert.are.equal(1000, R:int(("f"):rep(250), 16):bit_length())
    H.raises("MemoryError", nil, function() return R:int(("0"):rep(251), 16) end)
    -- 301 decimal digits hold 999.9 bits, 302 hold 1003.2
    assert.are.equal(1000, R:int(("9"):rep(301)):bit_length())
    H.raises("MemoryError", limit_msg(1000, "int() of 302 base-10 digits would have up to 1004 bits"),
             function() return R:int(("9"):rep(302)) end)
    -- an invalid literal is CPython's ValueError first
    H.raises("ValueError", nil, function() return R:int(("9"):rep(400) .. "x") end)
  end)

  it("str() of an int wider than the limit raises; the sum that made it does not", function()
    local R = H.runtime { profile = profile, max_result_bits = 1000 }
    local x = R:int(2) ^ 999
    local y = x + x              -- one bit more: add is not limited
    assert.are.equal(1001, y:bit_length())
    assert.are.equal(1000, #R:str(x + (x - 1), 2))
    H.raises("MemoryError", limit_msg(1000, "str() of an int of 1001 bits"),
             function() return R:str(y, 16) end)
  end)

  it("0 lifts the limit", function()
    local R = H.runtime { profile = profile, max_result_bits = 0 }
    assert.are.equal(DEFAULT + 1, (R:int(1) << DEFAULT):bit_length())
    assert.are.equal(DEFAULT + 8, (R:int(255) << DEFAULT):bit_length())
    -- (no ** here: computing 2**(2**26) took most of this file's time, and
    -- ** at a limit's edge is checked above with a limit of 1000 bits)
    assert.are.equal(DEFAULT // 8 + 1, #R:int(1):tobytes(DEFAULT // 8 + 1))
  end)

  it("the option is validated", function()
    H.raises("ValueError", "max_result_bits must be 0 (no limit) or at least 128 bits, got -1",
             function() return H.runtime { profile = profile, max_result_bits = -1 } end)
    H.raises("ValueError", "max_result_bits must be 0 (no limit) or at least 128 bits, got 127",
             function() return H.runtime { profile = profile, max_result_bits = 127 } end)
    H.raises("TypeError", "runtime option 'max_result_bits' must be an integer, got string",
             function() return H.runtime { profile = profile, max_result_bits = "64" } end)
    local R = H.runtime { profile = profile, max_result_bits = 128 }
    assert.are.equal(128, (R:int(1) << 127):bit_length())
    H.raises("MemoryError", nil, function() return R:int(1) << 128 end)
  end)

  -- max_work: the operations whose result's size does not bound their cost
  local WORK_SUFFIX = ", above this runtime's max_work (%d); raise it with the "
    .. "max_work option (0: no limit)"

  it("max_work: the runaway modular power and gcd raise MemoryError under the default", function()
    local R = H.runtime(profile)
    local allocs = R:stats().allocs
    -- a 4194305-bit exponent and a 111-digit modulus: 4194305 * 111 * 111 steps
    H.raises("MemoryError", "pow() with a modulus would take about 51678031905 digit steps"
             .. string.format(WORK_SUFFIX, 1 << 32),
             function() return R:pow(3, R:int(2) ^ (1 << 22), R:int(10) ^ 1000) end)
    local a, b = R:int(3) ^ (1 << 21), R:int(7) ^ (1 << 21) + 1
    allocs = R:stats().allocs
    local e = H.catch(function() return R:gcd(a, b) end)
    H.check_error(e, "MemoryError", nil)
    assert.truthy(e.message:find("gcd() would take about", 1, true), e.message)
    assert.are.equal(allocs, R:stats().allocs, "refused before any allocation")
  end)

  it("max_work is exact at its edge: pow(b, e, m) at bits(e) * digits(m)**2, gcd at 4 * n * k", function()
    -- m = 2**300 + 1 has 11 digits of 30 bits, 2**20 has 21 bits: 2541 steps
    local R = H.runtime { profile = profile, max_work = 2541 }
    local m = (R:int(2) ^ 300) + 1
    assert.are.equal(1, R:pow(3, 1 << 20, m):bit_length() > 0 and 1 or 0)
    R = H.runtime { profile = profile, max_work = 2540 }
    m = (R:int(2) ^ 300) + 1
    H.raises("MemoryError", "pow() with a modulus would take about 2541 digit steps"
             .. string.format(WORK_SUFFIX, 2540), function() return R:pow(3, 1 << 20, m) end)
    -- a negative exponent adds the inverse: 21 * 121 + 4 * 121 = 3025
    R = H.runtime { profile = profile, max_work = 3024 }
    m = (R:int(2) ^ 300) + 1
    if profile ~= "cpython2.7" then
      H.raises("MemoryError", "pow() with a modulus would take about 3025 digit steps"
               .. string.format(WORK_SUFFIX, 3024), function() return R:pow(3, -(1 << 20), m) end)
    end
    -- 2**1000 - 1 and 3**600 have 34 and 32 digits: 4352 steps
    R = H.runtime { profile = profile, max_work = 4352 }
    assert.are.equal("3", tostring(R:gcd(R:int(2) ^ 1000 - 1, R:int(3) ^ 600)))
    R = H.runtime { profile = profile, max_work = 4351 }
    H.raises("MemoryError", "gcd() would take about 4352 digit steps" .. string.format(WORK_SUFFIX, 4351),
             function() return R:gcd(R:int(2) ^ 1000 - 1, R:int(3) ^ 600) end)
  end)

  it("max_work: 0 lifts it, a negative value is refused, and reset keeps the options' value", function()
    local R = H.runtime { profile = profile, max_work = 0 }
    assert.are.equal("1", tostring(R:gcd(R:int(2) ^ 3000, R:int(3) ^ 2000)))
    H.raises("ValueError", "max_work must be 0 (no limit) or a positive number of digit steps, got -1",
             function() return H.runtime { profile = profile, max_work = -1 } end)
    R = H.runtime { profile = profile, max_work = 100 }
    H.raises("MemoryError", nil, function() return R:gcd(R:int(2) ^ 3000, R:int(3) ^ 2000) end)
    collectgarbage()
    assert.are.equal(0, H.leak_count(R:reset()))
    H.raises("MemoryError", nil, function() return R:gcd(R:int(2) ^ 3000, R:int(3) ^ 2000) end)
  end)

  it("reset keeps the limit the options set", function()
    local R = H.runtime { profile = profile, max_result_bits = 1000 }
    H.raises("MemoryError", nil, function() return R:int(1) << 1000 end)
    collectgarbage()
    assert.are.equal(0, H.leak_count(R:reset()))
    H.raises("MemoryError", nil, function() return R:int(1) << 1000 end)
    assert.are.equal(1000, (R:int(1) << 999):bit_length())
  end)
end)
