--[[
refcount_spec.lua -- ob_refcnt of cached and fresh ints per profile.
R:refcount is the raw count: sys.getrefcount(x) - 1.

Covers:
  seed 003  immortal refcount 3221225472 (0xC0000000) for 0..4 under 3.14,
            unchanged by more references; "x = y = 2**123" holds two
            references (getrefcount 3) while "z = 2**123" holds one
            (getrefcount 2); sys._is_immortal (3.14)
  facts     section 2 table "small-int refcnt": 3.11 static 999999999 changed
            by INCREF/DECREF; 3.12/3.13 _Py_IMMORTAL_REFCNT = UINT_MAX
            (4294967295) unchanged; 3.14 3<<30 = 3221225472 unchanged;
            "Refcount of 7 (measured): 3.11 goes 1000000041->1000001041 with
            1000 extra refs; 3.12/3.13 stay 4294967295"; section 1: 2.7 small
            ints are mortal block objects whose reference small_ints owns;
            section 6 item 3
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

-- The count of a cached int with k handles on it, per profile.
local SMALL = {
  ["cpython2.7"] = function(k) return 1 + k end,           -- small_ints[] owns one
  ["cpython3.11"] = function(k) return 999999999 + k end,  -- static, plain counting
  ["cpython3.12"] = function() return 4294967295 end,      -- immortal, INCREF skipped
  ["cpython3.13"] = function() return 4294967295 end,
  ["cpython3.14"] = function() return 3221225472 end,      -- 0xC0000000
}
local IMMORTAL = {
  ["cpython2.7"] = false, ["cpython3.11"] = false, ["cpython3.12"] = true,
  ["cpython3.13"] = true, ["cpython3.14"] = true,
}

H.each_profile(function(profile)
  after_each(H.close_all)
  local small = SMALL[profile]

  it(string.format("a cached int with one handle has refcount %d", small(1)), function()
    local R = H.runtime(profile)
    for _, n in ipairs({ -5, 0, 1, 4, 7, 256 }) do
      assert.refcount(R, R:int(n), small(1))
    end
  end)

  it("extra handles on a cached int " .. (IMMORTAL[profile] and "leave the count alone"
       or "count one each, and release gives them back"), function()
    local R = H.runtime(profile)
    local a = R:int(7)
    local more = {}
    for i = 1, 1000 do more[i] = R:int(7) end
    assert.refcount(R, a, small(1001))
    for i = 1, 1000 do more[i]:release() end
    assert.refcount(R, a, small(1))
  end)

  if profile == "cpython3.11" then
    it("3.11: 1000 extra references move 7's count by exactly 1000 (facts 2)", function()
      local R = H.runtime(profile)
      local a = R:int(7)
      local before = R:refcount(a)
      local more = {}
      for i = 1, 1000 do more[i] = R:int(a) end
      assert.are.equal(before + 1000, R:refcount(a))
    end)
  end

  if profile == "cpython3.14" then
    it("seed 003: 0..4 all show 3221225472 = 0xC0000000 = 0b11 followed by 30 zeros", function()
      local R = H.runtime(profile)
      for x = 0, 4 do
        local rc = R:refcount(R:int(x))
        assert.are.equal(3221225472, rc)
        assert.are.equal("c0000000", string.format("%x", rc))
        assert.are.equal(3 << 30, rc)
      end
    end)
  end

  it("is_immortal of a cached int is " .. tostring(IMMORTAL[profile]) .. "; a fresh int is mortal", function()
    local R = H.runtime(profile)
    assert.are.equal(IMMORTAL[profile], R:is_immortal(R:int(4)))
    assert.are.equal(IMMORTAL[profile], R:is_immortal(R:int(-5)))
    assert.are.equal(IMMORTAL[profile], R:is_immortal(R:int(256)))
    assert.is_false(R:is_immortal(R:int(257)))
    assert.is_false(R:is_immortal(R:int(2) ^ 123))
  end)

  it("a fresh int has refcount 1 per handle", function()
    local R = H.runtime(profile)
    for _, v in ipairs({ 257, -6, 1000000, "10633823966279326983230456482242756608" }) do
      local a = R:int(v)
      assert.refcount(R, a, 1)
      local b = R:int(a)                 -- a second handle on the same object
      assert.is_same_object(R, a, b)
      assert.refcount(R, a, 2)
      b:release()
      assert.refcount(R, a, 1)
    end
  end)

  it("seed 003: x = y = 2**123 holds two references, z = 2**123 one", function()
    local R = H.runtime(profile)
    local x = R:int(2) ^ 123
    local y = R:int(x)                   -- y = x: a second name, one object
    local z = R:int(2) ^ 123
    assert.is_same_object(R, x, y)
    assert.is_not_same_object(R, x, z)
    assert.refcount(R, x, 2)             -- sys.getrefcount(x) == 3
    assert.refcount(R, y, 2)
    assert.refcount(R, z, 1)             -- sys.getrefcount(z) == 2
  end)

  it("releasing the last handle of a fresh int frees it (stats.live)", function()
    local R = H.runtime(profile)
    collectgarbage()
    local live = R:stats().live
    local a = R:int(10) ^ 40
    assert.are.equal(live + 1, R:stats().live)
    local b = R:int(a)
    a:release()
    assert.are.equal(live + 1, R:stats().live)
    b:release()
    assert.are.equal(live, R:stats().live)
  end)

  it("a cached int never dies: releasing every handle keeps the same object", function()
    local R = H.runtime(profile)
    local id = R:id(R:int(100))
    collectgarbage()
    local a = R:int(100)
    a:release()
    collectgarbage()
    assert.are.equal(id, R:id(R:int(100)))
  end)
end)
