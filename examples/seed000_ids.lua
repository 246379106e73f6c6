--[[
seed000_ids.lua -- the id table of seed 000 ("Python's layout of low-value
ints in memory", CPython 2.x on 64-bit), reproduced under cpython2.7.

Run:  build/intspect run examples/seed000_ids.lua [block_spacing]

The question's loop compares id(i-1) with id(i) for i in range(270) and
prints a line whenever the difference changes.  The small ints -5..256 are
made at start-up, 41 to a PyIntBlock; a fresh block hands out its highest
slot first, so ids fall by 24 in value order and jump up by
block_spacing + 960 where a new block starts (1952 with the default 992;
try 1008, glibc's spacing, for 1968).  Past 256 every value is a new
object, so the pattern breaks.  (The question's interpreter had other
objects in its free list by then, hence its irregular diffs past 256; here
the list holds only what this loop freed, so 257 takes the slot next to
256, and from 258 on each value lands in the slot the previous one freed.)
]]

local spacing = tonumber(arg and arg[1]) or 992
local R = intspect.runtime { profile = "cpython2.7", block_spacing = spacing }

-- id(n) as the question's interpreter saw it: the object is made, its id
-- taken, and it is dropped again at once (CPython frees it on the spot).
local function id(n)
  local v = R:int(n)
  local addr = R:id(v)
  v:release()
  return addr
end

print("N = id(0)")
local N = id(0)
for i = 0, 4 do
  print(i, N - id(i))
end

print()
print(string.format("i-1  i    (id(i-1), id(i))  diff     [block_spacing %d]", spacing))
local prev = 0
for i = 0, 269 do
  local a, b = id(i - 1), id(i)
  local diff = a - b
  if diff ~= prev then
    print(string.format("%-4d %-4d (%d, %d) %d", i - 1, i, a, b, diff))
    prev = diff
  end
end

print()
print("first n with id(n) != id(n+0):")
for n = 0, 1000 do
  local a = R:int(n)
  local b = a + 0
  if R:id(a) ~= R:id(b) then
    print(n)
    break
  end
end

print()
print(string.format("sys.getsizeof(1) = %d, int blocks held: %d", R:sizeof(R:int(1)), R:stats().blocks))
R:close()
