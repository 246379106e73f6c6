-- pidigits.lua -- the integer work of pyperformance's bm_pidigits: Gibbons'
-- unbounded spigot for the digits of pi, a 4-tuple of growing ints composed
-- with (k, 4k + 2, 0, 2k + 1) and tested with two floor divisions per digit.
--
-- Conventions of every workload here: each value a Python program would
-- hold as an int is an int of R, made where Python makes it; constants are
-- made once at the start, as Python keeps them in the code object.
local DIGITS = 1500

return {
  models = "pyperformance bm_pidigits (Gibbons' spigot, 1500 digits)",
  run = function(R)
    local ZERO, ONE, TWO, THREE, FOUR, TEN = R:int(0), R:int(1), R:int(2), R:int(3), R:int(4),
                                             R:int(10)
    local MINUS_TEN = R:int(-10)
    local function compose(a, b)
      return { a[1] * b[1], a[1] * b[2] + a[2] * b[4],
               a[3] * b[1] + a[4] * b[3], a[3] * b[2] + a[4] * b[4] }
    end
    local function extract(z, j)
      return (z[1] * j + z[2]) // (z[3] * j + z[4])
    end
    local z = { ONE, ZERO, ZERO, ONE }
    local k = ZERO
    local digits = {}
    while #digits < DIGITS do
      local y = extract(z, THREE)
      while y ~= extract(z, FOUR) do
        k = k + ONE                                  -- itertools.count(1)
        z = compose(z, { k, FOUR * k + TWO, ZERO, TWO * k + ONE })
        y = extract(z, THREE)
      end
      z = compose({ TEN, MINUS_TEN * y, ZERO, ONE }, z)
      digits[#digits + 1] = y
    end
    assert(tostring(digits[1]) == "3" and tostring(digits[2]) == "1" and tostring(digits[3]) == "4")
  end,
}
