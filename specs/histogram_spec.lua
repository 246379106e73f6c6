--[[
histogram_spec.lua -- counting int creation requests per value, the
instrument of seed 002's experiment, and the cache statistics it relies on.

Covers seed 002 (seeds/002_d6f2db286a6c0bfd.txt): "instrument integer
object creation to record frequency of object creation per value" over
[-1000, 1000]; "the biggest drop-off is between 256 and 257" (the default
cache serves 256, 257 is allocated); "range 0 disables the cache"; the
ranges [-5, 512] and [-1e6, 1e6] compared against the default [-5, 256];
"negative integers ... reported 0 frequency" when none is requested.
API.md: histogram = {-1000, 1000}: count creation requests per value;
R:histogram() -> {[value] = count}; R:stats() created/cache_hits.
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

H.each_profile(function(profile)
  after_each(H.close_all)

  it("counts every creation request per value over [-1000, 1000]", function()
    local R = H.runtime { profile = profile, histogram = { -1000, 1000 } }
    local base = R:histogram()
    for v = 0, 300 do
      for _ = 1, (v % 3) + 1 do R:int(v) end
    end
    local h, lo, hi = R:histogram()
    assert.are.equal(-1000, lo)
    assert.are.equal(1000, hi)
    for v = -1000, 1000 do
      local want = (v >= 0 and v <= 300) and (v % 3) + 1 or 0
      -- luassert only on a mismatch: 2001 assertions would dominate the run
      if h[v] - base[v] ~= want then
        assert.are.equal(want, h[v] - base[v], "requests for " .. v)
      end
    end
  end)

  it("every creation path counts: parse, arithmetic, bytes", function()
    local R = H.runtime { profile = profile, histogram = { -1000, 1000 } }
    local before = R:histogram()[500]
    local made = {
      R:int("500"),
      R:int("1f4", 16),
      R:int(250) * 2,
      R:int(1000) // 2,
      R:frombytes("\1\244", "big", false),
    }
    assert.are.equal(5, #made)
    assert.are.equal(before + 5, R:histogram()[500])
  end)

  it("values outside the range are not counted; no histogram gives nil", function()
    local R = H.runtime { profile = profile, histogram = { 0, 10 } }
    R:int(11)
    R:int(-1)
    R:int(5)
    local h, lo, hi = R:histogram()
    assert.are.equal(0, lo)
    assert.are.equal(10, hi)
    assert.is_nil(h[11])
    assert.is_nil(h[-1])
    assert.is_nil(H.runtime(profile):histogram())
  end)

  it("the drop between 256 and 257: 256 is a cache hit, 257 a new object", function()
    local R = H.runtime(profile)
    for v = 250, 262 do
      local s0 = R:stats()
      R:int(v)
      local s1 = R:stats()
      assert.are.equal(1, s1.created - s0.created, "created for " .. v)
      assert.are.equal(v <= 256 and 1 or 0, s1.cache_hits - s0.cache_hits, "cache hit for " .. v)
    end
  end)

  it("range 0 disables the cache: no request is a cache hit", function()
    local R = H.runtime { profile = profile, small_ints = { 0, 0 }, histogram = { -1000, 1000 } }
    local s0 = R:stats()
    for v = -10, 300 do R:int(v) end
    local s1 = R:stats()
    assert.are.equal(311, s1.created - s0.created)
    assert.are.equal(0, s1.cache_hits - s0.cache_hits)
    assert.are.equal(1, R:histogram()[0] - 0)
  end)

  it("[-5, 512] and [-1e6, 1e6] against the default: cache hits over one workload", function()
    -- workload: -10..1000 once each
    local function hits(opts)
      local R = H.runtime(opts)
      local s0 = R:stats()
      for v = -10, 1000 do R:int(v) end
      return R:stats().cache_hits - s0.cache_hits
    end
    assert.are.equal(262, hits { profile = profile })                          -- -5..256
    assert.are.equal(518, hits { profile = profile, small_ints = { 5, 513 } }) -- -5..512
    if profile == "cpython3.14" then  -- 2,000,001 objects: once is enough
      assert.are.equal(1011, hits { profile = profile, small_ints = { 1000000, 1000001 } })
    end
  end)
end)
