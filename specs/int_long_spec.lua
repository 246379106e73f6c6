--[[
int_long_spec.lua -- CPython 2.7's two integer types: 'int' (a C long in
24 bytes, cached for -5..256) and 'long' (30-bit digits, never cached).

Covers:
  seed 001  PyIntObject holds a C long (ob_ival); small ints are ints
  facts     section 1 "long (2.7): VAR_HEAD 24 + 30-bit digits, getsizeof
            = 24+4*|ob_size| (0L 24, 1L 28). An int that overflows becomes
            a long."
Measured on CPython 2.7.18: type(9223372036854775807) is int,
type(9223372036854775807 + 1) is long, -(-sys.maxint-1), (-sys.maxint-1)//-1
and 1 << 63 are longs, (2**100) >> 98 is a long, "5L is 5" and
"long(5) is 5" are False, long ** 1 stays a long.
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

local MAX = math.maxinteger   -- sys.maxint on LP64
local MIN = math.mininteger

H.each_profile({ "cpython2.7" }, function(profile)
  after_each(H.close_all)

  it("values that fit a C long are ints; beyond, longs", function()
    local R = H.runtime(profile)
    assert.are.equal("int", R:type(R:int(0)))
    assert.are.equal("int", R:type(R:int(MAX)))
    assert.are.equal("int", R:type(R:int(MIN)))
    assert.are.equal("int", R:type(R:int("9223372036854775807")))
    assert.are.equal("long", R:type(R:int("9223372036854775808")))
    assert.are.equal("long", R:type(R:int("-9223372036854775809")))
  end)

  it("R:long(5) is not the cached 5 ('5L is 5' is False), but equals it", function()
    local R = H.runtime(profile)
    local five = R:int(5)
    local five_l = R:long(5)
    assert.are.equal("long", R:type(five_l))
    assert.is_not_same_object(R, five, five_l)
    assert.is_not_same_object(R, R:long(5), R:long(5))
    assert.is_true(five == five_l)
    assert.are.equal("5", tostring(five_l))
    assert.refcount(R, five_l, 1)
  end)

  it("int(x) of a long is an int when it fits a C long (the cached one when small), else x", function()
    local R = H.runtime(profile)
    local five = R:int(R:long(5))
    assert.are.equal("int", R:type(five))
    assert.is_same_object(R, R:int(5), five)
    local l = R:long(R:int("9223372036854775807"))
    assert.are.equal("int", R:type(R:int(l)))
    assert.is_not_same_object(R, l, R:int(l))
    local big = R:int("9223372036854775808")
    assert.is_same_object(R, big, R:int(big))
  end)

  it("int(x, -909) is int(x) for any x: -909 is int_new's 'no base given'", function()
    local R = H.runtime(profile)
    assert.are.equal("5", tostring(R:int(5, -909)))
    assert.are.equal("5", tostring(R:int(5.7, -909)))
    assert.are.equal("17", tostring(R:int("17", -909)))
  end)

  it("overflow of a C long gives a long: +, -, *, <<, //, unary -, **", function()
    local R = H.runtime(profile)
    local cases = {
      { "maxint + 1", function() return R:int(MAX) + 1 end, "9223372036854775808" },
      { "minint - 1", function() return R:int(MIN) - 1 end, "-9223372036854775809" },
      { "2**62 * 2", function() return R:int(1 << 62) * 2 end, "9223372036854775808" },
      { "1 << 63", function() return R:int(1) << 63 end, "9223372036854775808" },
      { "-minint", function() return -R:int(MIN) end, "9223372036854775808" },
      { "minint // -1", function() return R:int(MIN) // -1 end, "9223372036854775808" },
      { "2 ** 64", function() return R:int(2) ^ 64 end, "18446744073709551616" },
      { "abs(minint)", function() return R:abs(R:int(MIN)) end, "9223372036854775808" },
    }
    for _, c in ipairs(cases) do
      local v = c[2]()
      assert.are.equal(c[3], tostring(v), c[1])
      assert.are.equal("long", R:type(v), c[1])
      assert.are.equal(36, R:sizeof(v), c[1])
    end
  end)

  it("results that fit stay ints: 2**62, maxint - 1 + 1, minint + 0", function()
    local R = H.runtime(profile)
    for _, v in ipairs({ R:int(2) ^ 62, R:int(MAX - 1) + 1, R:int(MIN) + 0, R:int(1) << 62 }) do
      assert.are.equal("int", R:type(v))
      assert.are.equal(24, R:sizeof(v))
    end
  end)

  it("a long operand gives a long, even for a small value: never the cached object", function()
    local R = H.runtime(profile)
    local big = R:int("18446744073709551616")
    local one = big - R:int("18446744073709551615")
    assert.are.equal("1", tostring(one))
    assert.are.equal("long", R:type(one))
    assert.are.equal(28, R:sizeof(one))
    assert.is_not_same_object(R, one, R:int(1))
    local four = (R:int(2) ^ 100) >> 98
    assert.are.equal("4", tostring(four))
    assert.are.equal("long", R:type(four))
    assert.is_not_same_object(R, four, R:int(4))
    assert.are.equal("long", R:type(R:long(5) + 1))
    assert.are.equal("long", R:type(R:int(1) + R:long(5)))
    assert.are.equal("long", R:type(R:long(7) ^ 1))
  end)

  it("0L has getsizeof 24 and 1L 28 (facts 1)", function()
    local R = H.runtime(profile)
    assert.are.equal(24, R:sizeof(R:long(0)))
    assert.are.equal(28, R:sizeof(R:long(1)))
    assert.are.equal(28, R:sizeof(R:long(-1)))
  end)

  it("ints and longs of one value compare equal and hash alike", function()
    local R = H.runtime(profile)
    for _, n in ipairs({ 0, 1, -1, 5, -2, 1000, MAX, MIN }) do
      local i, l = R:int(n), R:long(n)
      assert.is_true(i == l, tostring(n))
      assert.are.equal(R:hash(i), R:hash(l), "hash " .. n)
    end
    assert.are.equal(-2, R:hash(R:long(-1)))
  end)
end)

H.each_profile(H.PY3, function(profile)
  after_each(H.close_all)

  it("3.x has one int type: R:long hands back the same object", function()
    local R = H.runtime(profile)
    local five = R:int(5)
    assert.are.equal("int", R:type(five))
    assert.are.equal("int", R:type(R:int(2) ^ 64))
    assert.is_same_object(R, five, R:long(five))
    assert.is_same_object(R, R:int(5), R:long(5))
  end)
end)
