--[[
sizeof_spec.lua -- sys.getsizeof of ints under each profile.

Covers:
  seed 000  getsizeof(1) == 24 (2.x, 64-bit)
  seed 003  getsizeof(1) == 28 (3.14)
  facts     section 1 "Layout: 24 B"; "long (2.7): getsizeof = 24+4*|ob_size|
            (0L 24, 1L 28)"; section 2 "getsizeof: |v|<2^30 (and 0) -> 28,
            <2^60 -> 32, <2^90 -> 36" and 24+4*max(n,1) (3.11.7 after the
            gh-100637 backport: 0 -> 28); section 6 item 2
Measured on 2.7.18 and 3.11.7/3.12.1/3.13.0: sys.getsizeof of each value
below (2.7: 2**63-1 written as a literal is an int, 24; 2**63 is a long, 36).
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

-- value text, 3.x size, 2.7 size (an int up to a C long, else a long)
local SIZES = {
  { "0", 28, 24 }, { "1", 28, 24 }, { "-1", 28, 24 }, { "256", 28, 24 }, { "257", 28, 24 },
  { "1073741823", 28, 24 },                      -- 2**30 - 1: one digit
  { "1073741824", 32, 24 },                      -- 2**30: two digits
  { "-1073741824", 32, 24 },
  { "1152921504606846975", 32, 24 },             -- 2**60 - 1
  { "1152921504606846976", 36, 24 },             -- 2**60: three digits
  { "4611686018427387904", 36, 24 },             -- 2**62
  { "9223372036854775807", 36, 24 },             -- 2**63 - 1: still a C long in 2.7
  { "-9223372036854775808", 36, 24 },            -- -2**63: still a C long in 2.7
  { "9223372036854775808", 36, 36 },             -- 2**63: a long in 2.7
  { "18446744073709551616", 36, 36 },            -- 2**64
  { "1237940039285380274899124223", 36, 36 },    -- 2**90 - 1
  { "1237940039285380274899124224", 40, 40 },    -- 2**90: four digits
  { "-1237940039285380274899124224", 40, 40 },
}

H.each_profile(function(profile)
  after_each(H.close_all)
  local py27 = profile == "cpython2.7"

  it("getsizeof(1) is " .. (py27 and "24 (seed 000)" or "28 (seed 003)"), function()
    local R = H.runtime(profile)
    assert.are.equal(py27 and 24 or 28, R:sizeof(R:int(1)))
  end)

  it("getsizeof at the digit boundaries matches CPython", function()
    local R = H.runtime(profile)
    for _, row in ipairs(SIZES) do
      local want = py27 and row[3] or row[2]
      assert.are.equal(want, R:sizeof(R:int(row[1])), "getsizeof(" .. row[1] .. ")")
    end
  end)

  it("getsizeof of a result depends on its value only (2**60 built three ways)", function()
    local R = H.runtime(profile)
    local want = py27 and 24 or 36
    assert.are.equal(want, R:sizeof(R:int(2) ^ 60))
    assert.are.equal(want, R:sizeof(R:int(1) << 60))
    assert.are.equal(want, R:sizeof(R:int("1152921504606846977") - 1))
  end)

  if py27 then
    it("2.7 long: 24 + 4*ndigits (0L 24, 1L 28, 5L 28, long(2**62) 36)", function()
      local R = H.runtime(profile)
      assert.are.equal(24, R:sizeof(R:long(R:int(0))))
      assert.are.equal(28, R:sizeof(R:long(R:int(1))))
      assert.are.equal(28, R:sizeof(R:long(5)))
      assert.are.equal(36, R:sizeof(R:long(R:int(2) ^ 62)))
      assert.are.equal(24 + 4 * 34, R:sizeof(R:int(2) ^ 1000))   -- 1001 bits: 34 digits
    end)
  else
    it("3.x: 24 + 4*ndigits for large values (2**1000: 34 digits)", function()
      local R = H.runtime(profile)
      assert.are.equal(24 + 4 * 34, R:sizeof(R:int(2) ^ 1000))
      assert.are.equal(24 + 4 * 34, R:sizeof(-(R:int(2) ^ 1000)))
      assert.are.equal(24 + 4 * 33, R:sizeof((R:int(2) ^ 990) - 1))  -- 990 bits: 33 digits
    end)
  end
end)
