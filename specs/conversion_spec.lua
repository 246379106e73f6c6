--[[
conversion_spec.lua -- int(str, base), str(int, base), to_bytes/from_bytes,
int->float, against vectors measured on CPython 2.7.18/3.11.7/3.12.1/3.13.0
(specs/vectors/conv.lua, bytes.lua, arith.lua; specs/gen/make_vectors.py).

Covers (shared/reference/cpython-int-facts.md):
  section 4  int(s, base): whitespace, one sign, base 0 or 2..36 and its
             error text, 0x/0o/0b prefixes with one optional '_', single '_'
             between digits, base 0 rejects leading zeros but takes '00' and
             '0_0', Unicode digits and spaces, the "invalid literal" text
             with the input's repr cut to 200 characters;
             to_bytes/from_bytes values and the four error texts;
             int(float) truncation and the NaN/infinity texts
  section 3  int->float correctly rounded (2**53+1), the overflow text
  section 6  items 7, 9, 10
Under cpython2.7 int(text, base) follows 2.7's int(str, base) on byte
strings (Lua strings are bytes): no '_' grammar, '010' in base 0 is octal,
a space may follow the sign, no Unicode digits, and the error repeats the
input as a byte string repr ('\xd9\xa1').
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

local CONV = H.vectors("conv")
local BYTES = H.vectors("bytes")

local function q(s)
  return (string.format("%q", s):gsub("\\\n", "\\n"))
end

local function hex_to_bytes(hx)
  return (hx:gsub("..", function(h) return string.char(tonumber(h, 16)) end))
end

H.each_profile(function(profile)
  after_each(H.close_all)

  it(string.format("int(text, base): %d cases match CPython (vectors/conv.lua)", #CONV), function()
    local R = H.runtime(profile)
    local fails, n = {}, 0
    for _, c in ipairs(CONV) do
      local exp = H.pick(c, profile, { py27_always = true })
      if exp then
        n = n + 1
        fails[#fails + 1] = H.compare(exp, function() return R:int(c[1], c[2]) end,
                                      string.format("int(%s, %d)", q(H.short(c[1])), c[2]))
      end
    end
    H.assert_none(fails, n)
  end)

  it("int(text) defaults to base 10", function()
    local R = H.runtime(profile)
    assert.are.equal("-1234", tostring(R:int(" -1234 ")))
    assert.are.equal("10", tostring(R:int("010")))
    H.raises("ValueError", "invalid literal for int() with base 10: '0x10'", function()
      return R:int("0x10")
    end)
  end)

  it("str(int, base) round-trips through int(text, base) for bases 2..36", function()
    local R = H.runtime(profile)
    local vals = { "0", "1", "-1", "35", "-36", "1073741824", "-18446744073709551617",
                   "123456789012345678901234567890123456789012345678901234567890" }
    for base = 2, 36 do
      for _, v in ipairs(vals) do
        local x = R:int(v)
        local s = R:str(x, base)
        assert.are.equal(s:lower(), s, "lowercase digits, base " .. base)
        assert.are.equal(v, tostring(R:int(s, base)), "base " .. base .. " text " .. s)
      end
    end
    assert.are.equal("-ff", R:str(R:int(-255), 16))
    assert.are.equal("z", R:str(R:int(35), 36))
    assert.are.equal("100000000000000000000000000000000", R:str(R:int(-2) ^ 32, 2))
    assert.are.equal("-1000000000000000000000000000000000", R:str(R:int(-2) ^ 33, 2))
    assert.are.equal(tostring(R:int("12345678901234567890")), R:str(R:int("12345678901234567890")))
  end)

  local to_cases, from_cases = {}, {}
  for _, c in ipairs(BYTES) do
    table.insert(c[1] == "to" and to_cases or from_cases, c)
  end

  it(string.format("int.to_bytes: %d cases match CPython 3 (vectors/bytes.lua)", #to_cases), function()
    local R = H.runtime(profile)
    local fails = {}
    for _, c in ipairs(to_cases) do
      local v, len, order, signed = c[2], tonumber(c[3]), c[4], c[5]
      fails[#fails + 1] = H.compare(H.pick(c, profile), function()
        return R:int(v):tobytes(len, order, signed)
      end, string.format("(%s).to_bytes(%d, %q, signed=%s)", H.short(v), len, order, tostring(signed)))
    end
    H.assert_none(fails, #to_cases)
  end)

  it(string.format("int.from_bytes: %d cases match CPython 3 (vectors/bytes.lua)", #from_cases), function()
    local R = H.runtime(profile)
    local fails = {}
    for _, c in ipairs(from_cases) do
      local hx, order, signed = c[2], c[3], c[4]
      fails[#fails + 1] = H.compare(H.pick(c, profile), function()
        return R:frombytes(hex_to_bytes(hx), order, signed)
      end, string.format("int.from_bytes(bytes.fromhex(%q), %q, signed=%s)", hx, order, tostring(signed)))
    end
    H.assert_none(fails, #from_cases)
  end)

  it("from_bytes(to_bytes(x)) == x for signed and unsigned, both orders", function()
    local R = H.runtime(profile)
    for _, v in ipairs({ "0", "1", "127", "-128", "255", "65535", "-65536",
                         "340282366920938463463374607431768211455",
                         "-170141183460469231731687303715884105728" }) do
      local x = R:int(v)
      local signed = v:sub(1, 1) == "-" or v == "127"
      for _, order in ipairs({ "big", "little" }) do
        local len = (x:bit_length() + (signed and 1 or 0) + 7) // 8
        local b = x:tobytes(len, order, signed)
        assert.are.equal(len, #b, v .. " length")
        assert.are.equal(v, tostring(R:frombytes(b, order, signed)), v .. " " .. order)
      end
    end
  end)

  -- facts 3: int->float is correctly rounded, half to even
  it("int->float rounds half to even (2**53+1 -> 2**53, 2**53+3 -> 2**53+4)", function()
    local R = H.runtime(profile)
    assert.are.equal(9007199254740992.0, R:int("9007199254740993"):tofloat())
    assert.are.equal(9007199254740996.0, R:int("9007199254740995"):tofloat())
    assert.are.equal(-9007199254740992.0, R:int("-9007199254740993"):tofloat())
    assert.are.equal(math.type(R:int(1):tofloat()), "float")
  end)

  it("tointeger gives the Lua integer and OverflowError past 64 bits", function()
    local R = H.runtime(profile)
    assert.are.equal(math.maxinteger, R:int("9223372036854775807"):tointeger())
    assert.are.equal(math.mininteger, R:int("-9223372036854775808"):tointeger())
    assert.are.equal(math.type(R:int(5):tointeger()), "integer")
    local e = H.catch(function() return R:int("9223372036854775808"):tointeger() end)
    assert.are.equal("OverflowError", e.type)
    e = H.catch(function() return R:int("-9223372036854775809"):tointeger() end)
    assert.are.equal("OverflowError", e.type)
  end)

  -- facts 4: int(float) truncates; NaN and infinities are errors
  it("int(float) of integral floats; NaN and inf raise CPython's errors", function()
    local R = H.runtime(profile)
    assert.are.equal("2", tostring(R:int(2.0)))
    assert.are.equal("9007199254740992", tostring(R:int(2.0 ^ 53)))
    assert.are.equal("-1267650600228229401496703205376", tostring(R:int(-(2.0 ^ 100))))
    H.raises("ValueError", "cannot convert float NaN to integer", function() return R:int(0 / 0) end)
    H.raises("OverflowError", "cannot convert float infinity to integer",
             function() return R:int(math.huge) end)
    H.raises("OverflowError", "cannot convert float infinity to integer",
             function() return R:int(-math.huge) end)
  end)
end)
