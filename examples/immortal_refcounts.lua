--[[
immortal_refcounts.lua -- the reference count of a cached small int under
each profile, and what extra references do to it.

Run:  build/intspect run examples/immortal_refcounts.lua

R:refcount is the raw ob_refcnt (sys.getrefcount(x) - 1).  Look at:
  cpython2.7   small ints are ordinary objects; the small_ints array owns
               one reference and every handle adds one
  cpython3.11  statically allocated with a count of 999999999, still
               counted: 1000 more references add 1000
  cpython3.12/3.13  immortal (PEP 683): 4294967295, never changes
  cpython3.14  immortal: 3221225472 = 0xC0000000 (seed 003), never changes
A fresh int (257) starts at 1 everywhere and is never immortal.
]]

local profiles = { "cpython2.7", "cpython3.11", "cpython3.12", "cpython3.13", "cpython3.14" }

print(string.format("%-12s %12s %12s %10s %9s %10s", "profile", "refcnt(7)",
                    "+1000 refs", "hex", "immortal", "refcnt(257)"))
for _, p in ipairs(profiles) do
  local R = intspect.runtime(p)
  local seven = R:int(7)
  local before = R:refcount(seven)
  local more = {}
  for i = 1, 1000 do more[i] = R:int(seven) end   -- 1000 more names for 7
  local after = R:refcount(seven)
  for i = 1, 1000 do more[i]:release() end
  local fresh = R:int(257)
  print(string.format("%-12s %12d %12d %10s %9s %10d", p, before, after,
                      string.format("0x%x", before), tostring(R:is_immortal(seven)),
                      R:refcount(fresh)))
  R:close()
end

-- seed 003: "x = y = 2**123" is one object with two references
local R = intspect.runtime("cpython3.14")
local x = R:int(2) ^ 123
local y = R:int(x)
local z = R:int(2) ^ 123
print()
print(string.format("x = y = 2**123: x is y = %s, getrefcount(x) = %d",
                    tostring(R:is(x, y)), R:refcount(x) + 1))
print(string.format("z = 2**123:     x is z = %s, getrefcount(z) = %d",
                    tostring(R:is(x, z)), R:refcount(z) + 1))
R:close()
