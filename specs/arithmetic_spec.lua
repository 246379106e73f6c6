--[[
arithmetic_spec.lua -- Python 3 integer arithmetic, checked against vectors
measured on CPython 2.7.18, 3.11.7, 3.12.1 and 3.13.0 (specs/vectors/arith.lua,
made by specs/gen/make_vectors.py; 3.14 error texts from the facts file).

Covers (shared/reference/cpython-int-facts.md):
  section 4  floor division/modulo sign table, divmod identity, shifts
             (x >> n = floor(x / 2**n), negative count), two's-complement
             & | ^ ~, pow incl. 3 arguments with e < 0 and m < 0, hash with
             the 2**61-1 modulus and -1 -> -2, bit_length/bit_count, isqrt
  section 3  int->float and a/b correctly rounded, with the overflow texts;
             operand sizes span the schoolbook and Karatsuba multiply and
             1-digit and Algorithm D division
  section 4  per-version ZeroDivisionError texts (table), 3.14 from source
  section 6  items 4, 5, 6, 9, 10
  seed 003   2**123 (its value; identity is in seed003_spec.lua)
Under cpython2.7 the values are Python 3's (the runtime does Python 3
arithmetic); the 2.7 rows that are profile data -- hash, 3-argument pow
with a negative exponent, shift counts beyond a C long, and error wording
(including "long division or modulo by zero" for long operands) -- are
checked against 2.7.18.
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

local V = H.vectors("arith")

-- The operations, each computing the case's result through the Lua API.
local OPS = {
  add = function(R, c) return R:int(c[2]) + R:int(c[3]) end,
  sub = function(R, c) return R:int(c[2]) - R:int(c[3]) end,
  mul = function(R, c) return R:int(c[2]) * R:int(c[3]) end,
  floordiv = function(R, c) return R:int(c[2]) // R:int(c[3]) end,
  mod = function(R, c) return R:int(c[2]) % R:int(c[3]) end,
  divmod = function(R, c) return R:divmod(R:int(c[2]), R:int(c[3])) end,
  truediv = function(R, c) return R:truediv(R:int(c[2]), R:int(c[3])) end,
  ["and"] = function(R, c) return R:int(c[2]) & R:int(c[3]) end,
  ["or"] = function(R, c) return R:int(c[2]) | R:int(c[3]) end,
  xor = function(R, c) return R:int(c[2]) ~ R:int(c[3]) end,
  gcd = function(R, c) return R:gcd(R:int(c[2]), R:int(c[3])) end,
  lshift = function(R, c) return R:int(c[2]) << R:int(c[3]) end,
  rshift = function(R, c) return R:int(c[2]) >> R:int(c[3]) end,
  pow = function(R, c) return R:pow(R:int(c[2]), R:int(c[3])) end,
  pow3 = function(R, c) return R:pow(R:int(c[2]), R:int(c[3]), R:int(c[4])) end,
  neg = function(R, c) return -R:int(c[2]) end,
  invert = function(R, c) return ~R:int(c[2]) end,
  bit_length = function(R, c) return R:int(c[2]):bit_length() end,
  bit_count = function(R, c) return R:int(c[2]):bit_count() end,
  hash = function(R, c) return R:hash(R:int(c[2])) end,
  tofloat = function(R, c) return R:int(c[2]):tofloat() end,
  isqrt = function(R, c) return R:isqrt(R:int(c[2])) end,
  str = function(R, c) return R:str(R:int(c[2]), tonumber(c[3])) end,
}

-- Operations whose 2.7 result is profile data even where it is not an
-- error of the same type: the hash algorithm, pow(b, -e, m) being a
-- TypeError, and a shift count beyond a C long being an OverflowError.
local PY27_ROWS = { hash = true, pow3 = true, lshift = true, rshift = true }

-- Cases grouped by operation, in file order.
local by_op, order = {}, {}
for _, c in ipairs(V) do
  local op = c[1]
  if not by_op[op] then
    by_op[op] = {}
    order[#order + 1] = op
  end
  table.insert(by_op[op], c)
end

local function case_name(c)
  local parts = {}
  for i = 2, #c do parts[#parts + 1] = H.short(c[i]) end
  return c[1] .. "(" .. table.concat(parts, ", ") .. ")"
end

-- A Lua integer holding the decimal text s, or nil when it does not fit.
local function lua_int(s)
  local n = math.tointeger(tonumber(s))
  if n and tostring(n) == s then return n end
  return nil
end

local MIXED = {
  add = function(a, b) return a + b end,
  sub = function(a, b) return a - b end,
  mul = function(a, b) return a * b end,
  floordiv = function(a, b) return a // b end,
  mod = function(a, b) return a % b end,
  ["and"] = function(a, b) return a & b end,
  ["or"] = function(a, b) return a | b end,
  xor = function(a, b) return a ~ b end,
  lshift = function(a, b) return a << b end,
  rshift = function(a, b) return a >> b end,
}

H.each_profile(function(profile)
  after_each(H.close_all)

  for _, op in ipairs(order) do
    local cases = by_op[op]
    it(string.format("%s: %d cases match CPython (vectors/arith.lua)", op, #cases), function()
      local R = H.runtime(profile)
      local fails = {}
      for _, c in ipairs(cases) do
        local exp = H.pick(c, profile, { py27_always = PY27_ROWS[op] })
        local msg = H.compare(exp, function() return OPS[op](R, c) end, case_name(c))
        if msg then fails[#fails + 1] = msg end
      end
      H.assert_none(fails, #cases)
    end)
  end

  it("operators accept a Lua integer on either side (same vectors)", function()
    local R = H.runtime(profile)
    local fails, n = {}, 0
    for _, op in ipairs(order) do
      local f = MIXED[op]
      if f then
        for _, c in ipairs(by_op[op]) do
          local exp = H.pick(c, profile, { py27_always = PY27_ROWS[op] })
          local a, b = lua_int(c[2]), lua_int(c[3])
          if b then
            n = n + 1
            fails[#fails + 1] = H.compare(exp, function() return f(R:int(c[2]), b) end,
                                          case_name(c) .. " [int OP lua]")
          end
          if a then
            n = n + 1
            fails[#fails + 1] = H.compare(exp, function() return f(a, R:int(c[3])) end,
                                          case_name(c) .. " [lua OP int]")
          end
        end
      end
    end
    H.assert_none(fails, n)
  end)

  it("the ^ operator is pow (2**123, 2**-1 -> 0.5, (-3)**3)", function()
    local R = H.runtime(profile)
    assert.are.equal("10633823966279326983230456482242756608", tostring(R:int(2) ^ 123))
    assert.are.equal(0.5, R:int(2) ^ -1)
    assert.are.equal("-27", tostring(R:int(-3) ^ 3))
    assert.are.equal("1", tostring(R:int(0) ^ 0))
  end)

  -- facts 4: a == b*q + r, r has b's sign, |r| < |b|, on every divmod vector
  it("divmod identity a == b*q + r with r taking b's sign", function()
    local R = H.runtime(profile)
    local fails, n = {}, 0
    local zero = R:int(0)
    for _, c in ipairs(by_op.divmod) do
      if c[3] ~= "0" then
        n = n + 1
        local a, b = R:int(c[2]), R:int(c[3])
        local q, r = R:divmod(a, b)
        if not (b * q + r == a) then
          fails[#fails + 1] = case_name(c) .. ": b*q+r ~= a"
        elseif r ~= zero and ((r < zero) ~= (b < zero)) then
          fails[#fails + 1] = case_name(c) .. ": remainder sign differs from the divisor's"
        elseif (r < zero and -r or r) >= (b < zero and -b or b) then
          fails[#fails + 1] = case_name(c) .. ": |r| >= |b|"
        end
      end
    end
    H.assert_none(fails, n)
  end)

  it("comparison operators order values as Python does", function()
    local R = H.runtime(profile)
    local vals = { "-18446744073709551617", "-18446744073709551616", "-1073741824", "-1",
                   "0", "1", "1073741823", "1073741824", "18446744073709551616" }
    for i, x in ipairs(vals) do
      for j, y in ipairs(vals) do
        local a, b = R:int(x), R:int(y)
        local got = { a == b, a < b, a <= b, a > b, a >= b, R:compare(a, b) }
        local want = { i == j, i < j, i <= j, i > j, i >= j, (i > j and 1) or (i < j and -1) or 0 }
        for k = 1, #want do
          if got[k] ~= want[k] then  -- luassert only on a mismatch, for speed
            assert.are.equal(want[k], got[k], ({ "==", "<", "<=", ">", ">=", "compare" })[k]
                             .. " of " .. x .. " and " .. y)
          end
        end
      end
    end
  end)
end)
