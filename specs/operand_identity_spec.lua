--[[
operand_identity_spec.lua -- where CPython hands back an operand object
itself instead of a new one, intspect does too, and nowhere else.

Covers:
  issue 10  part 2, identity: `x % y` and divmod's remainder when |x| < |y|
            by CPython's own test (fewer digits, or as many and a smaller
            top digit) and the signs agree; `gcd(x, 0)`, `gcd(x, k*x)` and
            the other results _PyLong_GCD returns unchanged; a negative
            multi-digit `x >> 0` on 3.x; 2.7's `x << 0`, `x >> 0` on an
            int and `-0L`; abs of a non-negative, int(x), long(x); and
            that + - * // & | ^ ~ pow and the rest make new objects, even
            for x + 0, x * 1, x | 0, x & -1, x ^ 0, x // 1, pow(x, 1)
  vectors   specs/vectors/identity.lua, made by specs/gen/make_identity.py
            from CPython 2.7.18, 3.11.7, 3.12.1 and 3.13.0 (3.14 follows
            3.13, whose paths its sources keep, but for x << n past 2**63:
            OverflowError at once); under 2.7 also the type
            of each result (int or long)
Operands are fresh objects made from decimal text; a text ending in "L" is
a 2.7 long (R:long), the same int elsewhere.  "a", "b", "m" name the
operand a result is; "new" is any other object (a cached small int is
"new" unless an operand is that same cached object).
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

local CASES = H.vectors("identity")

local function operand(R, profile, text)
  if text:sub(-1) == "L" then
    local v = R:int(text:sub(1, -2))
    if profile == "cpython2.7" then return R:long(v) end
    return v
  end
  return R:int(text)
end

local OPS = {
  add = function(_, a, b) return a + b end,
  sub = function(_, a, b) return a - b end,
  mul = function(_, a, b) return a * b end,
  floordiv = function(_, a, b) return a // b end,
  mod = function(_, a, b) return a % b end,
  divmod = function(R, a, b) return R:divmod(a, b) end,
  ["and"] = function(_, a, b) return a & b end,
  ["or"] = function(_, a, b) return a | b end,
  xor = function(_, a, b) return a ~ b end,
  gcd = function(R, a, b) return R:gcd(a, b) end,
  lshift = function(_, a, b) return a << b end,
  rshift = function(_, a, b) return a >> b end,
  pow = function(R, a, b) return R:pow(a, b) end,
  pow3 = function(R, a, b, m) return R:pow(a, b, m) end,
  neg = function(_, a) return -a end,
  invert = function(_, a) return ~a end,
  abs = function(R, a) return R:abs(a) end,
  int = function(R, a) return R:int(a) end,
  long = function(R, a) return R:long(a) end,
  isqrt = function(R, a) return R:isqrt(a) end,
}

-- What a result is: "a", "b", "m" or "new"; "float" for a float.
local function who(R, r, ops)
  if math.type(r) == "float" then return "float" end
  for i, name in ipairs({ "a", "b", "m" }) do
    if ops[i] ~= nil and R:is(r, ops[i]) then return name end
  end
  return "new"
end

local function expected(c, profile)
  if profile == "cpython2.7" then return c.r27 or c.r end
  if profile == "cpython3.14" then return c.r314 or c.r313 or c.r end
  if profile == "cpython3.13" then return c.r313 or c.r end
  if profile == "cpython3.12" then return c.r312 or c.r end
  return c.r311 or c.r
end

H.each_profile(function(profile)
  after_each(H.close_all)

  it(string.format("%d results are the operand exactly where CPython's are (vectors/identity.lua)",
                   #CASES), function()
    local R = H.runtime(profile)
    local fails, n = {}, 0
    for _, c in ipairs(CASES) do
      local want = expected(c, profile)
      if want ~= "-" then
        n = n + 1
        local ops = {}
        for i = 2, #c do ops[#ops + 1] = operand(R, profile, c[i]) end
        local ok, r1, r2 = pcall(OPS[c[1]], R, ops[1], ops[2], ops[3])
        local got, types
        if not ok then
          local e = r1
          if type(e) == "userdata" or type(e) == "table" then e = e.type end
          got = "E:" .. tostring(e)
        elseif c[1] == "divmod" then
          got = who(R, r1, ops) .. "," .. who(R, r2, ops)
          types = R:type(r1) .. "," .. R:type(r2)
        else
          got = who(R, r1, ops)
          if got ~= "float" then types = R:type(r1) end
        end
        local msg
        if got ~= want then
          msg = string.format("%s(%s): expected %s, got %s", c[1],
                              table.concat(c, ", ", 2), want, got)
        elseif profile == "cpython2.7" and types then
          local t27 = c.t27 or (c[1] == "divmod" and "int,int" or "int")
          if types ~= t27 then
            msg = string.format("%s(%s): 2.7 type expected %s, got %s", c[1],
                                table.concat(c, ", ", 2), t27, types)
          end
        end
        if msg then fails[#fails + 1] = msg end
        for i = 1, #ops do ops[i]:release() end
        if ok then
          if math.type(r1) ~= "float" then r1:release() end
          if r2 ~= nil then r2:release() end
        end
      end
    end
    H.assert_none(fails, n, 4000)
  end)
end)
