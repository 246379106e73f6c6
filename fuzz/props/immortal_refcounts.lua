--[[
immortal_refcounts.lua -- references to cached ints: an immortal object's
refcount never moves, a mortal one's moves by exactly one per reference.

The input is a program over three cached values: each step takes a new
reference (R:int(v)) or releases one the program holds.  After every step
each value's refcount is compared with what the program knows: under 3.12
and later small ints are immortal and keep their refcount whatever is
done to them; under 2.7 and 3.11 the refcount is the starting one plus
the references held.
]]

-- v's refcount, and whether it is immortal, leaving nothing behind: the
-- probe's own reference is released at once and not counted
local function refcount(R, v)
  local x = R:int(v)
  local immortal, n = R:is_immortal(x), R:refcount(x)
  x:release()
  return n - (immortal and 0 or 1), immortal
end

return function(p)
  local R = p:runtime()
  local lo, hi = R:small_range()
  if lo > hi then return end                  -- nothing is cached
  local values, held, start = {}, {}, {}
  for i = 1, 3 do
    values[i] = p:consume_integer(lo, hi)
    held[i] = {}
  end
  for i = 1, 3 do start[i] = refcount(R, values[i]) end
  for _ = 1, p:consume_integer(1, 40) do
    local i = p:consume_integer(1, 3)
    if #held[i] == 0 or p:consume_boolean() then
      held[i][#held[i] + 1] = R:int(values[i])
    else
      table.remove(held[i]):release()
    end
    for j = 1, 3 do
      local n, immortal = refcount(R, values[j])
      local refs = 0                          -- held for this value, by any index
      for k = 1, 3 do
        if values[k] == values[j] then refs = refs + #held[k] end
      end
      local want = immortal and start[j] or start[j] + refs
      assert(n == want, ("%s: refcount of %d is %d, want %d (%s, %d references held)")
             :format(R.profile, values[j], n, want, immortal and "immortal" or "mortal", refs))
    end
  end
end
