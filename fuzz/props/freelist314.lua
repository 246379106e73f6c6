--[[
freelist314.lua -- CPython 3.14's int free list: only exact compact ints
(one digit, |v| < 2**30) go on it, at most 100 of them, last in first out.

Under the cpython3.14 profile the input makes and releases ints of one,
two and three digits.  After each step: the list's length (stats) is what
the program expects; releasing a multi-digit int never lengthens it; a new
compact int made while the list is not empty takes the address released
last and counts a free-list hit.
]]
local sizes = { 1, 1, 2, 3 }          -- digits of 30 bits; compact ints most often

-- An int of that many digits, in one creation: an operation with a Lua
-- integer would make (and free) a temporary int of its own.
local function make(R, digits, low)
  if digits == 1 then return R:int(low) end                -- 300 <= low < 2**29
  if digits == 2 then return R:int((1 << 30) + low) end
  return R:int(("1%015x"):format(low), 16)                -- 2**60 + low
end

return function(p)
  local R = p:runtime("cpython3.14")
  R:collect()                           -- start from an empty list
  local live, freed = {}, {}            -- handles held; ids on the list, last on top
  for _ = 1, p:consume_integer(1, 60) do
    local before = R:stats()
    if #live > 0 and p:consume_boolean() then
      local x = table.remove(live, p:consume_integer(1, #live))
      local id, compact = R:id(x), x:bit_length() <= 30
      x:release()
      local after = R:stats()
      if compact and #freed < 100 then
        freed[#freed + 1] = id
        assert(after.freelist_len == before.freelist_len + 1,
               "releasing a compact int did not put it on the free list")
      else
        assert(after.freelist_len == before.freelist_len,
               ("releasing a %s int changed the free list's length (%d -> %d)")
               :format(compact and "compact" or "multi-digit", before.freelist_len,
                       after.freelist_len))
      end
    else
      local digits = p:pick(sizes)
      local v = make(R, digits, p:consume_integer(300, (1 << 29) - 1))
      local after_make = R:stats()
      if digits == 1 and #freed > 0 then
        assert(R:id(v) == freed[#freed], "a new compact int did not take the address freed last")
        assert(after_make.freelist_hits == before.freelist_hits + 1, "no free-list hit counted")
        freed[#freed] = nil
      end
      live[#live + 1] = v
    end
    assert(R:stats().freelist_len == #freed,
           ("the free list holds %d ints, the program expects %d")
           :format(R:stats().freelist_len, #freed))
  end
end
