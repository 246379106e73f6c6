-- nqueens.lua -- the integer work of pyperformance's bm_nqueens: every
-- permutation of range(n) made by its pure-Python itertools.permutations
-- (indices, cycles, negative indexes -j), each tested by the sizes of the
-- sets {vec[i] + i} and {vec[i] - i}.
local QUEENS = 8

return {
  models = "pyperformance bm_nqueens (pure-Python permutations, 8 queens)",
  run = function(R)
    local ZERO, ONE = R:int(0), R:int(1)
    local n = R:int(QUEENS)
    local N = QUEENS
    local function len(t) return R:int(#t) end
    local pool, indices, cycles = {}, {}, {}
    for i = 0, N - 1 do                              -- tuple(range(n)), list(range(n))
      pool[i + 1] = R:int(i)
      indices[i + 1] = R:int(i)
    end
    for c = N, 1, -1 do cycles[#cycles + 1] = R:int(c) end   -- range(n - r + 1, n + 1)[::-1]
    local solutions = 0
    local function test(vec)
      local plus, minus, np, nm = {}, {}, 0, 0
      for i = 0, N - 1 do
        local I = R:int(i)                           -- for i in cols
        local s, d = vec[i + 1] + I, vec[i + 1] - I
        -- a set hashes its items and compares on a collision (hash(-1) is
        -- hash(-2)); the Lua key is the value itself
        local _, _ = R:hash(s), R:hash(d)
        local hs, hd = s:tointeger(), d:tointeger()
        if not plus[hs] then plus[hs] = true; np = np + 1 end
        if not minus[hd] then minus[hd] = true; nm = nm + 1 end
      end
      if n == R:int(np) and R:int(np) == R:int(nm) then solutions = solutions + 1 end
    end
    local function current()
      local vec = {}
      for i = 1, N do vec[i] = pool[indices[i]:tointeger() + 1] end
      return vec
    end
    test(current())
    while true do
      local i = N - 1
      local done = true
      while i >= 0 do                                -- for i in reversed(range(r))
        local I = R:int(i)
        local ci = cycles[i + 1] - ONE
        cycles[i + 1] = ci
        if ci == ZERO then
          -- indices[i:] = indices[i + 1:] + indices[i:i + 1]
          local first = indices[i + 1]
          for p = i + 1, N - 1 do indices[p] = indices[p + 1] end
          indices[N] = first
          cycles[i + 1] = n - I
        else
          local j = ci
          local mj = -j                              -- indices[-j]
          local at = N + mj:tointeger() + 1
          indices[i + 1], indices[at] = indices[at], indices[i + 1]
          test(current())
          done = false
          break
        end
        i = i - 1
      end
      if done then break end
      local _ = len(indices)
    end
    assert(solutions == ({ [6] = 4, [7] = 40, [8] = 92 })[N])
  end,
}
