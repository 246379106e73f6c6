-- sieve.lua -- the sieve of Eratosthenes as Python programs write it
-- (Rosetta Code's primes_upto): range(n * n, limit + 1, n) crossing off
-- multiples, then enumerate() collecting the primes.
local LIMIT = 120000

return {
  models = "the sieve of Eratosthenes, Rosetta Code's Python primes_upto (limit 120000)",
  run = function(R)
    local ONE = R:int(1)
    local limit = R:int(LIMIT)
    local is_prime = { false, false }
    for k = 3, LIMIT + 1 do is_prime[k] = true end
    local top = R:int(math.floor(LIMIT ^ 0.5 + 1.5))
    local n = R:int(0)
    while n < top do                                 -- for n in range(...)
      local ni = n:tointeger()
      if is_prime[ni + 1] then
        local i, stop = n * n, limit + ONE           -- range(n * n, limit + 1, n)
        while i < stop do
          is_prime[i:tointeger() + 1] = false
          i = i + n
        end
      end
      n = n + ONE
    end
    local primes = {}
    local i = R:int(0)
    for k = 1, LIMIT + 1 do                          -- enumerate(is_prime)
      if is_prime[k] then primes[#primes + 1] = i end
      i = i + ONE
    end
    assert(#primes == 11301)
  end,
}
