-- spectral_norm.lua -- the integer work of pyperformance's bm_spectral_norm:
-- eval_A(i, j) = 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1) for every pair
-- of indexes in ten rounds of A*u and At*u (the floats stay Lua floats).
local N = 50

return {
  models = "pyperformance bm_spectral_norm (n = 50, the integer index arithmetic)",
  run = function(R)
    local ONE, TWO = R:int(1), R:int(2)
    local function eval_A(i, j)
      local ij = i + j
      return 1.0 / ((ij * (ij + ONE) // TWO + i + ONE):tofloat())
    end
    local idx = {}
    local function range(n)                          -- range(n): a new int per step
      for k = 0, n - 1 do idx[k + 1] = R:int(k) end
      return idx
    end
    local function times(u, transposed)
      local out = {}
      local is = range(N)
      for a = 1, N do
        local i = is[a]
        local sum = 0.0
        for b = 1, N do
          local j = R:int(b - 1)                     -- enumerate(u)
          sum = sum + (transposed and eval_A(j, i) or eval_A(i, j)) * u[b]
        end
        out[a] = sum
      end
      return out
    end
    local u = {}
    for k = 1, N do u[k] = 1.0 end
    local v
    for _ = 1, 10 do
      v = times(times(u, false), true)
      u = times(times(v, false), true)
    end
    local vBv, vv = 0.0, 0.0
    for k = 1, N do vBv = vBv + u[k] * v[k]; vv = vv + v[k] * v[k] end
    assert(math.abs(math.sqrt(vBv / vv) - 1.2742) < 1e-3)
  end,
}
