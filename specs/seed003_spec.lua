--[[
seed003_spec.lua -- the article "==, is, id(), refcounts, immortal objects,
GC" (seeds/003_42cc0534bdea21a8.txt, CPython 3.14), statement by statement.

Covers every seed 003 number in seeds/README.md: stride 32 between small
ints, getsizeof(1) == 28, immortal refcount 3221225472 (0xC0000000), 2**123
computed twice gives two objects; "x = 4; y = 2**2; x is y" is True;
"x, y = 2*123, 2**123" are different objects; "x = y = 2**123" is one object
with getrefcount 3 and "z = 2**123" another with getrefcount 2; the layout
24 header bytes + 4-byte digit + 4 padding = 32; GC thresholds (700, 10, 10).
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

H.each_profile({ "cpython3.14" }, function(profile)
  after_each(H.close_all)

  it("x = 4; y = 2**2: x is y, same id", function()
    local R = H.runtime(profile)
    local x, y = R:int(4), R:int(2) ^ 2
    assert.is_same_object(R, x, y)
    assert.are.equal(R:id(x), R:id(y))
  end)

  it("x, y = 2*123, 2**123: x is y is False", function()
    local R = H.runtime(profile)
    local x, y = R:int(2) * 123, R:int(2) ^ 123
    assert.are.equal("246", tostring(x))
    assert.are.equal("10633823966279326983230456482242756608", tostring(y))
    assert.is_not_same_object(R, x, y)
  end)

  it("2**123 computed twice gives two objects", function()
    local R = H.runtime(profile)
    local a, b = R:int(2) ^ 123, R:int(2) ^ 123
    assert.is_true(a == b)
    assert.is_not_same_object(R, a, b)
    assert.are_not.equal(R:id(a), R:id(b))
  end)

  it("x = y = 2**123: one object, two references (getrefcount 3); z = 2**123: getrefcount 2", function()
    local R = H.runtime(profile)
    local x = R:int(2) ^ 123
    local y = R:int(x)
    local z = R:int(2) ^ 123
    assert.is_same_object(R, x, y)
    assert.are.equal(3, R:refcount(x) + 1)     -- + 1: getrefcount's own argument
    assert.are.equal(3, R:refcount(y) + 1)
    assert.is_not_same_object(R, x, z)
    assert.are.equal(2, R:refcount(z) + 1)
  end)

  it("for x in range(5): getrefcount(x) == 3221225472 == 0xC0000000, immortal", function()
    local R = H.runtime(profile)
    for x = 0, 4 do
      local v = R:int(x)
      assert.are.equal(3221225472, R:refcount(v))
      assert.are.equal(0xC0000000, R:refcount(v))
      assert.is_true(R:is_immortal(v))
    end
  end)

  it("id(i+1) - id(i) == 32 for i in range(5)", function()
    local R = H.runtime(profile)
    for i = 0, 4 do
      assert.are.equal(32, R:id(R:int(i + 1)) - R:id(R:int(i)))
    end
  end)

  it("sys.getsizeof(1) == 28: 8 refcount + 8 type + 8 size + 4 digit (+ 4 padding = 32)", function()
    local R = H.runtime(profile)
    assert.are.equal(28, R:sizeof(R:int(1)))
    assert.are.equal(28 + 4, R:id(R:int(2)) - R:id(R:int(1)))
  end)

  it("gc.get_threshold() == (700, 10, 10) as the article prints it", function()
    -- The article quotes the generational GC of 3.12 and earlier; 3.13
    -- raised threshold0 to 2000 and 3.14 ignores the third value, so each
    -- profile reports its own version's default (facts section 5).
    local want = {
      ["cpython2.7"] = {700, 10, 10}, ["cpython3.11"] = {700, 10, 10},
      ["cpython3.12"] = {700, 10, 10}, ["cpython3.13"] = {2000, 10, 10},
      ["cpython3.14"] = {2000, 10, 0},
    }
    for name, t in pairs(want) do
      local R = H.runtime(name)
      assert.are.same(t, {R:gc_threshold()})
    end
    assert.are.same({700, 10, 10}, {H.runtime("cpython3.12"):gc_threshold()})
  end)
end)
