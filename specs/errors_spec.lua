--[[
errors_spec.lua -- the exceptions the int operations raise: Python type and
exact message per profile, and the shape of the Lua error value.

Texts measured on CPython 2.7.18, 3.11.7, 3.12.1 and 3.13.0 (run the
expression, print type(e).__name__ and str(e)); 3.14 texts from
shared/reference/cpython-int-facts.md section 4 (gh-119057 changed the
ZeroDivisionError texts in 3.14; the other texts are unchanged there).
2.7 rows are "true division" (operator.truediv) for R:truediv, and long
operands (2**64) give 2.7's "long division or modulo by zero".

Covers: facts section 4 ZeroDivisionError table, negative shift count,
pow() texts (3rd argument 0, not invertible, 2.7 negative exponent),
int() base range, float conversion overflow, true division overflow,
isqrt of a negative, to_bytes texts; facts section 6 items 5, 6, 10;
API.md "Errors are raised as Lua errors whose value has fields type and
message, and whose tostring is 'Type: message'".
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

-- texts shared by several rows
local IDIV = "integer division or modulo by zero"
local IMOD = "integer modulo by zero"
local LDIV = "long division or modulo by zero"
local DIV0 = "division by zero"
local ZPOW = "0.0 cannot be raised to a negative power"
local BIG = "18446744073709551616"  -- 2**64: a long in 2.7, two digits in 3.x

-- Each row: what, how to get there, and the expected {type, message} per
-- profile ('py3' stands for 3.11, 3.12 and 3.13; a missing 2.7 or 3.14 entry
-- means the same as py3).
local ROWS = {
  { "1 // 0", function(R) return R:int(1) // R:int(0) end,
    py27 = { "ZeroDivisionError", IDIV }, py3 = { "ZeroDivisionError", IDIV },
    py314 = { "ZeroDivisionError", DIV0 } },
  { "-7 // 0 with a Lua integer divisor", function(R) return R:int(-7) // 0 end,
    py27 = { "ZeroDivisionError", IDIV }, py3 = { "ZeroDivisionError", IDIV },
    py314 = { "ZeroDivisionError", DIV0 } },
  { "divmod(1, 0)", function(R) return R:divmod(R:int(1), R:int(0)) end,
    py27 = { "ZeroDivisionError", IDIV }, py3 = { "ZeroDivisionError", IDIV },
    py314 = { "ZeroDivisionError", DIV0 } },
  { "1 % 0", function(R) return R:int(1) % R:int(0) end,
    py27 = { "ZeroDivisionError", IDIV }, py3 = { "ZeroDivisionError", IMOD },
    py314 = { "ZeroDivisionError", DIV0 } },
  { "2**64 // 0", function(R) return R:int(BIG) // 0 end,
    py27 = { "ZeroDivisionError", LDIV }, py3 = { "ZeroDivisionError", IDIV },
    py314 = { "ZeroDivisionError", DIV0 } },
  { "2**64 % 0", function(R) return R:int(BIG) % 0 end,
    py27 = { "ZeroDivisionError", LDIV }, py3 = { "ZeroDivisionError", IMOD },
    py314 = { "ZeroDivisionError", DIV0 } },
  { "divmod(2**64, 0)", function(R) return R:divmod(R:int(BIG), 0) end,
    py27 = { "ZeroDivisionError", LDIV }, py3 = { "ZeroDivisionError", IDIV },
    py314 = { "ZeroDivisionError", DIV0 } },
  { "1 / 0 (true division)", function(R) return R:truediv(R:int(1), R:int(0)) end,
    py27 = { "ZeroDivisionError", DIV0 }, py3 = { "ZeroDivisionError", DIV0 } },
  { "1 / 0 via the / operator", function(R) return R:int(1) / 0 end,
    py27 = { "ZeroDivisionError", DIV0 }, py3 = { "ZeroDivisionError", DIV0 } },
  { "0 ** -1", function(R) return R:int(0) ^ -1 end,
    py27 = { "ZeroDivisionError", ZPOW }, py3 = { "ZeroDivisionError", ZPOW },
    py314 = { "ZeroDivisionError", "zero to a negative power" } },
  { "pow(0, -1)", function(R) return R:pow(R:int(0), R:int(-1)) end,
    py27 = { "ZeroDivisionError", ZPOW }, py3 = { "ZeroDivisionError", ZPOW },
    py314 = { "ZeroDivisionError", "zero to a negative power" } },
  { "1 << -1", function(R) return R:int(1) << -1 end,
    py3 = { "ValueError", "negative shift count" } },
  { "1 >> -1", function(R) return R:int(1) >> R:int(-1) end,
    py3 = { "ValueError", "negative shift count" } },
  { "2**64 >> -1", function(R) return R:int(BIG) >> -1 end,
    py3 = { "ValueError", "negative shift count" } },
  { "1 << 2**100", function(R) return R:int(1) << (R:int(2) ^ 100) end,
    py27 = { "OverflowError", "long int too large to convert to int" },
    py3 = { "OverflowError", "too many digits in integer" } },
  { "pow(2, 3, 0)", function(R) return R:pow(R:int(2), R:int(3), R:int(0)) end,
    py3 = { "ValueError", "pow() 3rd argument cannot be 0" } },
  { "pow(2, -1, 4)", function(R) return R:pow(2, -1, 4) end,
    py27 = { "TypeError", "pow() 2nd argument cannot be negative when 3rd argument specified" },
    py3 = { "ValueError", "base is not invertible for the given modulus" } },
  { "pow(3, -1, 7) (2.7 refuses, 3.8+ inverts)", function(R) return R:pow(3, -1, 7) end,
    py27 = { "TypeError", "pow() 2nd argument cannot be negative when 3rd argument specified" } },
  { "int('1', 37)", function(R) return R:int("1", 37) end,
    py3 = { "ValueError", "int() base must be >= 2 and <= 36, or 0" } },
  { "int('1', 1)", function(R) return R:int("1", 1) end,
    py3 = { "ValueError", "int() base must be >= 2 and <= 36, or 0" } },
  { "int('1', -1)", function(R) return R:int("1", -1) end,
    py3 = { "ValueError", "int() base must be >= 2 and <= 36, or 0" } },
  -- the base argument's parsing (CPython 2.7.18, 3.11.7 and 3.13.0): 2.7
  -- reads a C int before anything else; 3.x checks the range before x's type
  { "int('1', 2**31)", function(R) return R:int("1", 2 ^ 31 | 0) end,
    py27 = { "OverflowError", "signed integer is greater than maximum" },
    py3 = { "ValueError", "int() base must be >= 2 and <= 36, or 0" } },
  { "int('1', -2**31 - 1)", function(R) return R:int("1", -(2 ^ 31 | 0) - 1) end,
    py27 = { "OverflowError", "signed integer is less than minimum" },
    py3 = { "ValueError", "int() base must be >= 2 and <= 36, or 0" } },
  { "int(5, 2**31)", function(R) return R:int(5, 2 ^ 31 | 0) end,
    py27 = { "OverflowError", "signed integer is greater than maximum" },
    py3 = { "ValueError", "int() base must be >= 2 and <= 36, or 0" } },
  { "int(5, 100)", function(R) return R:int(5, 100) end,
    py27 = { "TypeError", "int() can't convert non-string with explicit base" },
    py3 = { "ValueError", "int() base must be >= 2 and <= 36, or 0" } },
  { "int(5, 16)", function(R) return R:int(5, 16) end,
    py3 = { "TypeError", "int() can't convert non-string with explicit base" } },
  { "int('12a')", function(R) return R:int("12a") end,
    py3 = { "ValueError", "invalid literal for int() with base 10: '12a'" } },
  { "int('', 16)", function(R) return R:int("", 16) end,
    py3 = { "ValueError", "invalid literal for int() with base 16: ''" } },
  { "float(2**1024)", function(R) return (R:int(2) ^ 1024):tofloat() end,
    py27 = { "OverflowError", "long int too large to convert to float" },
    py3 = { "OverflowError", "int too large to convert to float" } },
  { "2**1100 / 3", function(R) return R:truediv(R:int(2) ^ 1100, 3) end,
    py3 = { "OverflowError", "integer division result too large for a float" } },
  { "isqrt(-1)", function(R) return R:isqrt(R:int(-1)) end,
    py3 = { "ValueError", "isqrt() argument must be nonnegative" } },
  { "(256).to_bytes(1, 'big')", function(R) return R:int(256):tobytes(1, "big") end,
    py3 = { "OverflowError", "int too big to convert" } },
  { "(-1).to_bytes(1, 'big')", function(R) return R:int(-1):tobytes(1, "big", false) end,
    py3 = { "OverflowError", "can't convert negative int to unsigned" } },
  { "(128).to_bytes(1, 'big', signed=True)", function(R) return R:int(128):tobytes(1, "big", true) end,
    py3 = { "OverflowError", "int too big to convert" } },
  { "(1).to_bytes(-1, 'big')", function(R) return R:int(1):tobytes(-1, "big") end,
    py3 = { "ValueError", "length argument must be non-negative" } },
  { "(1).to_bytes(1, 'middle')", function(R) return R:int(1):tobytes(1, "middle") end,
    py3 = { "ValueError", "byteorder must be either 'little' or 'big'" } },
  { "int.from_bytes(b'\\x01', 'middle')", function(R) return R:frombytes("\1", "middle") end,
    py3 = { "ValueError", "byteorder must be either 'little' or 'big'" } },
  { "int(float('nan'))", function(R) return R:int(0 / 0) end,
    py3 = { "ValueError", "cannot convert float NaN to integer" } },
  { "int(float('inf'))", function(R) return R:int(math.huge) end,
    py3 = { "OverflowError", "cannot convert float infinity to integer" } },
}

local function expected(row, profile)
  if profile == "cpython2.7" then return row.py27 or row.py3 end
  if profile == "cpython3.14" then return row.py314 or row.py3 end
  return row.py3
end

H.each_profile(function(profile)
  after_each(H.close_all)

  for _, row in ipairs(ROWS) do
    local exp = expected(row, profile)
    if exp then
      it(string.format("%s raises %s: %s", row[1], exp[1], exp[2]), function()
        local R = H.runtime(profile)
        H.raises(exp[1], exp[2], row[2], R)
      end)
    end
  end

  it("pow(3, -1, 7) == 5 from 3.8 on (facts 4)", function()
    if profile == "cpython2.7" then return end
    local R = H.runtime(profile)
    assert.are.equal("5", tostring(R:pow(3, -1, 7)))
    assert.are.equal("-4", tostring(R:pow(3, -5, -7)))
  end)

  it("an error is a table with type and message; tostring is 'Type: message'", function()
    local R = H.runtime(profile)
    local ok, e = pcall(function() return R:int(1) << -1 end)
    assert.is_false(ok)
    assert.are.equal("table", type(e))
    assert.is_true(H.intspect.is_error(e))
    assert.are.equal("ValueError", e.type)
    assert.are.equal("negative shift count", e.message)
    assert.are.equal("ValueError: negative shift count", tostring(e))
  end)

  it("an error leaves the runtime usable and its counts unchanged", function()
    local R = H.runtime(profile)
    collectgarbage()
    local live = R:stats().live
    for _ = 1, 20 do
      pcall(function() return R:int(BIG) // 0 end)
      pcall(function() return R:int("12a") end)
      pcall(function() return R:pow(2, 3, 0) end)
    end
    collectgarbage()  -- handles made inside the failed calls are garbage now
    assert.are.equal(live, R:stats().live)
    assert.are.equal("18446744073709551617", tostring(R:int(BIG) + 1))
  end)
end)
