--[[
freelist_reuse.lua -- how freed int objects come back.

Run:  build/intspect run examples/freelist_reuse.lua

  cpython2.7   a freed int goes on the block free list (last in, first
               out); R:collect() gives back the blocks with no live int
  cpython3.14  exact one-digit ints go on a free list of at most 100;
               multi-digit ints and the 101st are freed to the allocator;
               R:collect() empties the list
  cpython3.12  no int free list: the object allocator reuses the slot
               instead (stats.freelist_len stays 0)
]]

local function show(R, what)
  local s = R:stats()
  print(string.format("  %-42s live %4d  blocks %d  freelist_len %3d  freelist_hits %d",
                      what, s.live, s.blocks, s.freelist_len, s.freelist_hits))
end

print("cpython2.7")
local R = intspect.runtime("cpython2.7")
local a, b, c = R:int(1001), R:int(1002), R:int(1003)
print(string.format("  ids: %x %x %x (each 24 below the last)", R:id(a), R:id(b), R:id(c)))
local ia, ib, ic = R:id(a), R:id(b), R:id(c)
a:release(); b:release(); c:release()
local x, y, z = R:int(5001), R:int(5002), R:int(5003)
print(string.format("  freed 1001, 1002, 1003; new 5001..5003 got the ids of %s, %s, %s",
                    R:id(x) == ic and "1003" or "?", R:id(y) == ib and "1002" or "?",
                    R:id(z) == ia and "1001" or "?"))
local keep = {}
for k = 1, 100 do keep[k] = R:int(10000 + k) end
show(R, "after 100 more ints")
for k = 1, 100 do keep[k]:release() end
show(R, "after freeing them")
R:collect()
show(R, "after R:collect()")
R:close()

print("cpython3.14")
R = intspect.runtime("cpython3.14")
local v = R:int(1000)
local id = R:id(v)
v:release()
show(R, "freed 1000")
local w = R:int(2000)
print(string.format("  R:int(2000) reuses 1000's slot: %s", tostring(R:id(w) == id)))
keep = {}
for k = 1, 101 do keep[k] = R:int(100000 + k) end
for k = 1, 101 do keep[k]:release() end
show(R, "freed 101 one-digit ints (list holds 100)")
local big = R:int(2) ^ 40
big:release()
show(R, "freed 2**40 (two digits: not kept)")
R:collect()
show(R, "after R:collect()")
R:close()

print("cpython3.12")
R = intspect.runtime("cpython3.12")
v = R:int(1000)
id = R:id(v)
v:release()
w = R:int(2000)
show(R, "freed 1000, made 2000")
print(string.format("  same address from the object allocator: %s", tostring(R:id(w) == id)))
R:close()
