--[[
cache_identity.lua -- every result whose value the small-int cache covers
is the cached object itself, under every profile and any small-int range;
every result outside it is a new object (or an operand handed back).

The input picks the profile and (half of the time) a random range, two
ints and an operation.  The result r must be R:is(r, R:int(v)) exactly
when lo <= v <= hi for the runtime's range (2.7 longs excepted: a long
is never cached), and a fresh object otherwise.
]]
local ops = {
  { "+", function(a, b) return a + b end },
  { "-", function(a, b) return a - b end },
  { "*", function(a, b) return a * b end },
  { "//", function(a, b) return a // b end },
  { "%", function(a, b) return a % b end },
  { "&", function(a, b) return a & b end },
  { "|", function(a, b) return a | b end },
  { "~", function(a, b) return a ~ b end },
  { ">>", function(a, b) return a >> (b % 70) end },
  { "<<", function(a, b) return a << (b % 40) end },
  { "neg", function(a) return -a end },
  { "abs", function(a, _, R) return R:abs(a) end },
  { "int(str)", function(a, _, R) return R:int(tostring(a)) end },
  { "frombytes", function(a, _, R)
      return R:frombytes(a:tobytes((a:bit_length() + 8) // 8, "little", true), "little", true)
    end },
}

return function(p)
  local R = p:runtime()
  local a, b = p:consume_int(80), p:consume_int(80)
  local op = p:pick(ops)
  local ok, r = pcall(op[2], a, b, R)
  if not ok then
    -- only division by zero may raise here
    assert(type(r) == "table" and r.type == "ZeroDivisionError", tostring(r))
    return
  end
  local lo, hi = R:small_range()
  local v = r:bit_length() <= 62 and r:tointeger() or nil
  local covered = v ~= nil and lo <= v and v <= hi and R:type(r) == "int"
  if R:is(r, a) or R:is(r, b) then
    -- CPython hands back an operand itself on some paths (abs of a
    -- non-negative int, x | 0, ...): not a new object, so no fresh refcount
    assert(R:refcount(r) >= 2 or R:is_immortal(r), "an operand returned without a reference")
  elseif covered then
    assert(R:is(r, R:int(v)), ("%s under %s [%d, %d]: %d is not the cached object")
           :format(op[1], R.profile, lo, hi, v))
  else
    assert(not R:is_immortal(r), ("%s under %s: fresh result %s is immortal")
           :format(op[1], R.profile, tostring(r)))
    assert(R:refcount(r) == 1, ("%s under %s: fresh result %s has refcount %d")
           :format(op[1], R.profile, tostring(r), R:refcount(r)))
  end
end
