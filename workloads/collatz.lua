-- collatz.lua -- Project Euler 14 as it is usually solved in Python: the
-- longest Collatz chain below N, n // 2 or 3 * n + 1 until a length is in
-- the dict of known lengths.
local N = 40000

return {
  models = "Project Euler 14, longest Collatz chain, memoized Python solution (N = 40000)",
  run = function(R)
    local ZERO, ONE, TWO, THREE = R:int(0), R:int(1), R:int(2), R:int(3)
    local known = { [R:hash(ONE)] = ONE }            -- {1: 1}, keyed by hash(n)
    local best, best_start = ZERO, ZERO
    local start = ONE
    local limit = R:int(N)
    while start < limit do
      local n, steps, path = start, ZERO, {}
      while not known[R:hash(n)] do
        path[#path + 1] = n
        if n % TWO == ZERO then n = n // TWO else n = THREE * n + ONE end
        steps = steps + ONE
      end
      local len = known[R:hash(n)] + steps
      if len > best then best, best_start = len, start end
      for k = 1, #path do                            -- lengths of the path, stored
        known[R:hash(path[k])] = len - R:int(k - 1)
      end
      start = start + ONE
    end
    assert(best_start:tointeger() == 35655)
  end,
}
