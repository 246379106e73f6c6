--[[
str_roundtrip.lua -- str() and int() are inverse in every base from 2 to
36: R:int(R:str(a, base), base) == a, and the text is canonical (no
leading zeros, '-' only for negatives, lowercase digits), so str() of the
parsed text gives it back unchanged.  The digit limit is lifted, so that
base 10 is checked at every length too.
]]
return function(p)
  local R = p:runtime()
  R:set_max_str_digits(0)
  local a = p:consume_int(2048)
  local base = p:consume_integer(2, 36)
  local s = R:str(a, base)
  assert(not s:find("^%-?0%w") or s == "0", "str() has a leading zero: " .. s)
  assert(not s:find("[A-Z]"), "str() is not lowercase: " .. s)
  local b = R:int(s, base)
  assert(R:compare(a, b) == 0, ("int(str(a, %d), %d) ~= a: %s"):format(base, base, s))
  assert(R:str(b, base) == s, "str() of the parsed text differs")
end
