-- fannkuch.lua -- the integer work of pyperformance's bm_fannkuch: count[],
-- perm1 rotated by insert/pop, each permutation flipped prefix by prefix
-- while perm[0] != 0, the largest flip count kept.
local N = 8

return {
  models = "pyperformance bm_fannkuch (n = 8)",
  run = function(R)
    local ZERO, ONE = R:int(0), R:int(1)
    local n = R:int(N)
    local count, perm1 = {}, {}
    for i = 1, N do count[i] = R:int(i) end          -- list(range(1, n + 1))
    for i = 0, N - 1 do perm1[i + 1] = R:int(i) end  -- list(range(n))
    local max_flips = ZERO
    local m = n - ONE
    local r = n
    while true do
      while r ~= ONE do
        count[r:tointeger()] = r                     -- count[r - 1] = r
        local _ = r - ONE
        r = r - ONE
      end
      if perm1[1] ~= ZERO and perm1[m:tointeger() + 1] ~= m then
        local perm = {}
        for i = 1, N do perm[i] = perm1[i] end      -- perm1[:]
        local flips = ZERO
        local k = perm[1]
        while k ~= ZERO do
          local k1 = k + ONE                         -- perm[:k + 1] = perm[k::-1]
          local K = k1:tointeger()
          for a = 1, K // 2 do perm[a], perm[K + 1 - a] = perm[K + 1 - a], perm[a] end
          flips = flips + ONE
          k = perm[1]
        end
        if flips > max_flips then max_flips = flips end
      end
      local finished = true
      while r ~= n do
        local ri = r:tointeger()
        local first = table.remove(perm1, 1)         -- perm1.insert(r, perm1.pop(0))
        table.insert(perm1, ri + 1, first)
        count[ri + 1] = count[ri + 1] - ONE
        if count[ri + 1] > ZERO then finished = false; break end
        r = r + ONE
      end
      if finished then break end
    end
    assert(max_flips:tointeger() == ({ [7] = 16, [8] = 22, [9] = 30 })[N])
  end,
}
