--[[
max_str_digits_spec.lua -- the int <-> decimal string length limit
(CVE-2020-10735): 4300 digits by default from 3.11 on, none in 2.7.

Covers (shared/reference/cpython-int-facts.md section 3 "Max str digits",
section 6 item 8): default 4300; threshold 640 (no check at <= 640 digits,
and a limit below 640 other than 0 is refused with "maxdigits must be 0 or
larger than 640"); 0 disables; the sign, '_' and surrounding whitespace are
not counted, leading zeros are; power-of-two bases are exempt both ways;
both message texts exactly.  Measured on 3.11.7/3.12.1/3.13.0 with
sys.set_int_max_str_digits(640) and the default: int('1'*641) and
int('0'*641) raise, int('-'+'1'*641) reports 641 digits, int('1'*641, 36)
raises, bases 8 and 16 and hex() do not; set_int_max_str_digits(639) and
(-1) raise ValueError, 640 is accepted.
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

local function from_msg(limit, n)
  return string.format("Exceeds the limit (%d digits) for integer string conversion: "
    .. "value has %d digits; use sys.set_int_max_str_digits() to increase the limit", limit, n)
end
local function to_msg(limit)
  return string.format("Exceeds the limit (%d digits) for integer string conversion; "
    .. "use sys.set_int_max_str_digits() to increase the limit", limit)
end
local LIMIT_MSG = "maxdigits must be 0 or larger than 640"

local ones = function(n) return ("1"):rep(n) end

H.each_profile(H.PY3, function(profile)
  after_each(H.close_all)

  it("the default limit is 4300", function()
    local R = H.runtime(profile)
    assert.are.equal(4300, R:max_str_digits())
  end)

  it("int() of 4300 digits works; 4301 raises the exact text", function()
    local R = H.runtime(profile)
    assert.are.equal(4300, #tostring(R:int(ones(4300))))
    H.raises("ValueError", from_msg(4300, 4301), function() return R:int(ones(4301)) end)
    H.raises("ValueError", from_msg(4300, 5000), function() return R:int(ones(5000), 0) end)
  end)

  it("str() of a 4300-digit int works; 4301 digits raises the exact text", function()
    local R = H.runtime(profile)
    local n4300 = R:int(10) ^ 4299
    assert.are.equal(4300, #tostring(n4300))
    assert.are.equal(4301, #tostring(-n4300))          -- the sign is not a digit
    local n4301 = R:int(10) ^ 4300
    H.raises("ValueError", to_msg(4300), function() return tostring(n4301) end)
    H.raises("ValueError", to_msg(4300), function() return R:str(-n4301, 10) end)
  end)

  it("the sign, underscores and whitespace are not counted; leading zeros are", function()
    local R = H.runtime(profile)
    assert.are.equal(4300, #tostring(R:int("-" .. ones(4300))) - 1)
    assert.are.equal(4300, #tostring(R:int("+" .. ones(4300))))
    local underscored = ("1_"):rep(4299) .. "1"          -- 4300 digits, 4299 '_'
    assert.are.equal(4300, #tostring(R:int(underscored)))
    assert.are.equal(4300, #tostring(R:int((" "):rep(100) .. ones(4300) .. "\n")))
    H.raises("ValueError", from_msg(4300, 4301), function() return R:int("-" .. ones(4301)) end)
    H.raises("ValueError", from_msg(4300, 4301),
             function() return R:int(("1_"):rep(4300) .. "1") end)
    H.raises("ValueError", from_msg(4300, 4301), function() return R:int(("0"):rep(4301)) end)
  end)

  it("power-of-two bases are exempt both ways", function()
    local R = H.runtime(profile)
    for _, base in ipairs({ 2, 4, 8, 16, 32 }) do
      local x = R:int(ones(20000), base)
      assert.are.equal(ones(20000), R:str(x, base), "base " .. base)
    end
    assert.are.equal(("1"):rep(80000), R:str(R:int("0x" .. ("f"):rep(20000), 0), 2))
    H.raises("ValueError", from_msg(4300, 4301), function() return R:int(ones(4301), 36) end)
    H.raises("ValueError", from_msg(4300, 4301), function() return R:int(ones(4301), 3) end)
  end)

  it("runtime option max_str_digits = 0 disables the limit", function()
    local R = H.runtime { profile = profile, max_str_digits = 0 }
    assert.are.equal(0, R:max_str_digits())
    local x = R:int(ones(10000))
    assert.are.equal(ones(10000), tostring(x))
  end)

  it("max_str_digits = 640 is the lowest limit; 641 digits raise, 640 do not", function()
    local R = H.runtime { profile = profile, max_str_digits = 640 }
    assert.are.equal(640, R:max_str_digits())
    assert.are.equal(640, #tostring(R:int(ones(640))))
    H.raises("ValueError", from_msg(640, 641), function() return R:int(ones(641)) end)
    H.raises("ValueError", from_msg(640, 641), function() return R:int("-" .. ones(641)) end)
    H.raises("ValueError", from_msg(640, 641), function() return R:int(("0"):rep(641)) end)
    H.raises("ValueError", to_msg(640), function() return tostring(R:int(10) ^ 640) end)
    assert.are.equal(640, #tostring(R:int(10) ^ 639))
    assert.are.equal(ones(641), R:str(R:int(ones(641), 16), 16))
  end)

  it("max_str_digits below 640 (other than 0) is refused: " .. LIMIT_MSG, function()
    for _, n in ipairs({ 1, 100, 639, -1 }) do
      H.raises("ValueError", LIMIT_MSG, function()
        return H.runtime { profile = profile, max_str_digits = n }
      end)
    end
  end)

  it("R:set_max_str_digits changes the limit and validates like sys.set_int_max_str_digits", function()
    local R = H.runtime(profile)
    R:set_max_str_digits(1000)
    assert.are.equal(1000, R:max_str_digits())
    assert.are.equal(1000, #tostring(R:int(ones(1000))))
    H.raises("ValueError", from_msg(1000, 1001), function() return R:int(ones(1001)) end)
    H.raises("ValueError", LIMIT_MSG, function() R:set_max_str_digits(639) end)
    H.raises("ValueError", LIMIT_MSG, function() R:set_max_str_digits(-5) end)
    assert.are.equal(1000, R:max_str_digits())           -- unchanged by the refusals
    R:set_max_str_digits(640)
    assert.are.equal(640, R:max_str_digits())
    R:set_max_str_digits(0)
    assert.are.equal(ones(6000), tostring(R:int(ones(6000))))
  end)

  -- measured on 3.11.7, 3.12.1, 3.13.0: the argument is a C int ("i"),
  -- converted before the value is looked at (issue 10)
  it("R:set_max_str_digits beyond a C int is OverflowError, as sys.set_int_max_str_digits", function()
    local R = H.runtime(profile)
    local C_INT = "Python int too large to convert to C int"
    R:set_max_str_digits(2147483647)
    assert.are.equal(2147483647, R:max_str_digits())
    for _, n in ipairs({ 2147483648, 9223372036854775807, -2147483649, math.mininteger }) do
      H.raises("OverflowError", C_INT, function() R:set_max_str_digits(n) end)
    end
    assert.are.equal(2147483647, R:max_str_digits())     -- unchanged by the refusals
    H.raises("ValueError", LIMIT_MSG, function() R:set_max_str_digits(-2147483648) end)
  end)
end)

H.each_profile({ "cpython2.7" }, function(profile)
  after_each(H.close_all)

  it("2.7 has no limit: 5000 digits both ways", function()
    local R = H.runtime(profile)
    assert.are.equal(0, R:max_str_digits())
    local x = R:int(ones(5000))
    assert.are.equal(ones(5000), tostring(x))
    assert.are.equal(5001, #tostring(R:int(10) ^ 5000))
  end)
end)
