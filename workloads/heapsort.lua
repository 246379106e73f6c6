-- heapsort.lua -- sorting ints with the pure-Python heapq module (CPython's
-- Lib/heapq.py, used where the C accelerator is missing): heapify, then
-- heappop until empty, each _siftup and _siftdown walking positions
-- 2 * pos + 1 and (pos - 1) >> 1 and comparing items.
local N = 12000

return {
  models = "CPython's Lib/heapq.py in pure Python: heapify and heappop of 12000 ints",
  run = function(R)
    local ZERO, ONE, TWO = R:int(0), R:int(1), R:int(2)
    local heap = {}                                  -- a Python list: index = int + 1
    local function get(i) return heap[i:tointeger() + 1] end
    local function set(i, v) heap[i:tointeger() + 1] = v end
    local function siftdown(startpos, pos)
      local newitem = get(pos)
      while pos > startpos do
        local parentpos = (pos - ONE) >> ONE
        local parent = get(parentpos)
        if newitem < parent then
          set(pos, parent)
          pos = parentpos
        else
          break
        end
      end
      set(pos, newitem)
    end
    local function siftup(pos)
      local endpos = R:int(#heap)
      local startpos = pos
      local newitem = get(pos)
      local childpos = TWO * pos + ONE
      while childpos < endpos do
        local rightpos = childpos + ONE
        if rightpos < endpos and not (get(childpos) < get(rightpos)) then childpos = rightpos end
        set(pos, get(childpos))
        pos = childpos
        childpos = TWO * pos + ONE
      end
      set(pos, newitem)
      siftdown(startpos, pos)
    end
    -- data: a linear congruential stream, as random.randrange would give
    local x = R:int(7)
    local A, C, M = R:int(69069), R:int(1), R:int(2) ^ 32
    local SPAN = R:int(1000000)
    for k = 1, N do
      x = (x * A + C) % M
      heap[k] = x % SPAN
    end
    local n = R:int(#heap)                           -- heapify
    local i = n // TWO - ONE
    while i >= ZERO do
      siftup(i)
      i = i - ONE
    end
    local out = {}
    while #heap > 0 do                               -- heappop
      local last = table.remove(heap)
      if #heap > 0 then
        out[#out + 1] = heap[1]
        heap[1] = last
        siftup(ZERO)
      else
        out[#out + 1] = last
      end
    end
    for k = 2, #out do assert(not (out[k] < out[k - 1])) end
  end,
}
