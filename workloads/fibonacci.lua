-- fibonacci.lua -- big Fibonacci numbers the way a Python script computes
-- them: a, b = b, a + b up to F(60000), printing len(str(F(k))) every 2000
-- (after sys.set_int_max_str_digits(0), which such a script needs on 3.11+).
local N = 60000

return {
  models = "iterative big Fibonacci, a, b = b, a + b to F(60000) with len(str(a)) every 2000",
  run = function(R)
    local ZERO, ONE, THOUSAND = R:int(0), R:int(1), R:int(2000)
    R:set_max_str_digits(0)
    local a, b = ZERO, ONE
    local i = R:int(0)
    local limit = R:int(N)
    local lengths = 0
    while i < limit do                               -- for i in range(N)
      a, b = b, a + b
      if i % THOUSAND == ZERO then lengths = lengths + #tostring(a) end
      i = i + ONE
    end
    assert(#tostring(a) == 12539 and lengths > 0)
  end,
}
