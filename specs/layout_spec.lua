--[[
layout_spec.lua -- where the cached ints sit in memory: their ids.

Covers:
  seed 000  2.x, 64-bit: ids of -5..256 step by -24 in value order, and
            +1952 jumps between 35/36, 76/77, 117/118, 158/159, 199/200,
            240/241; the exact id differences of the question's table
            (id(0) = 4297074752, id(1) = 4297074728, id(-1) = 4297074776,
            id(35) = 4297073912, id(36) = 4297075864, ... id(256) = 4297080464)
  seed 001  PyIntBlock of 41 objects on 64-bit (~1 KB: 8 + 41*24 = 992 B),
            free slots linked back to front (a fresh block hands out its
            highest slot first), small ints made from the blocks at start-up
  seed 003  stride 32 between consecutive small ints (3.14)
  facts     section 1 "Id table" (jump = block spacing + 960; 992 -> 1952,
            glibc's 1008 -> 1968), section 2 "stride 32 B (measured)"
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

-- Seed 000's table: id(n) for the values it prints (first block ends at 35).
local SEED000_IDS = {
  [-1] = 4297074776, [0] = 4297074752, [1] = 4297074728,
  [35] = 4297073912, [36] = 4297075864, [37] = 4297075840,
  [76] = 4297074904, [77] = 4297076856, [78] = 4297076832,
  [117] = 4297075896, [118] = 4297077848, [119] = 4297077824,
  [158] = 4297076888, [159] = 4297078840, [160] = 4297078816,
  [199] = 4297077880, [200] = 4297079832, [201] = 4297079808,
  [240] = 4297078872, [241] = 4297080824, [242] = 4297080800,
  [256] = 4297080464,
}
local BREAKS = { [36] = true, [77] = true, [118] = true, [159] = true, [200] = true, [241] = true }

-- Keep handles alive for the whole case, so no id is reused meanwhile.
local function ids(R, lo, hi)
  local t, keep = {}, {}
  for n = lo, hi do
    keep[#keep + 1] = R:int(n)
    t[n] = R:id(keep[#keep])
  end
  return t, keep
end

H.each_profile(H.PY3, function(profile)
  after_each(H.close_all)

  it("seed 003: consecutive cached ints are 32 bytes apart, -5..256", function()
    local R = H.runtime(profile)
    local id = ids(R, -5, 256)
    for n = -4, 256 do
      assert.are.equal(32, id[n] - id[n - 1], "id(" .. n .. ") - id(" .. (n - 1) .. ")")
    end
  end)

  it("id(n) = id(-5) + 32*(n+5): one contiguous array of 262 objects", function()
    local R = H.runtime(profile)
    local base = R:id(R:int(-5))
    assert.are.equal(base + 32 * 5, R:id(R:int(0)))
    assert.are.equal(base + 32 * 261, R:id(R:int(256)))
    assert.are.equal(R:id(R:int(4)), R:id(R:int(2) ^ 2))
  end)

  it("the stride stays 32 with a reconfigured range {10, 1000}", function()
    local R = H.runtime { profile = profile, small_ints = { 10, 1000 } }
    assert.are.equal(32, R:id(R:int(-9)) - R:id(R:int(-10)))
    assert.are.equal(32 * 1009, R:id(R:int(999)) - R:id(R:int(-10)))
  end)

  it("a fresh int is not inside the small-int array", function()
    local R = H.runtime(profile)
    local lo, hi = R:id(R:int(-5)), R:id(R:int(256))
    local x = R:int(257)
    assert.is_true(R:id(x) < lo or R:id(x) > hi + 31)
  end)
end)

H.each_profile({ "cpython2.7" }, function(profile)
  after_each(H.close_all)

  it("seed 000: ids step by -24 in value order, +1952 at the six block breaks", function()
    local R = H.runtime(profile)
    local id = ids(R, -5, 256)
    for n = -4, 256 do
      local want = BREAKS[n] and 1952 or -24
      assert.are.equal(want, id[n] - id[n - 1], "id(" .. n .. ") - id(" .. (n - 1) .. ")")
    end
  end)

  it("seed 000: every id of the question's table, relative to id(0)", function()
    local R = H.runtime(profile)
    local id = ids(R, -5, 256)
    for n, seen in pairs(SEED000_IDS) do
      assert.are.equal(seen - SEED000_IDS[0], id[n] - id[0], "id(" .. n .. ") - id(0)")
    end
  end)

  it("seed 000: N - id(i) is 24*i for i in 0..4; x = 0; x += 1 moves the id by -24", function()
    local R = H.runtime(profile)
    local N = R:id(R:int(0))
    for i = 0, 4 do
      assert.are.equal(24 * i, N - R:id(R:int(i)))
    end
    local x = R:int(0)
    x = x + 1
    assert.are.equal(N - 24, R:id(x))
  end)

  it("block_spacing = 1008 (glibc) gives +1968 jumps at the same breaks (facts 1)", function()
    local R = H.runtime { profile = profile, block_spacing = 1008 }
    local id = ids(R, -5, 256)
    for n = -4, 256 do
      local want = BREAKS[n] and 1968 or -24
      assert.are.equal(want, id[n] - id[n - 1], "id(" .. n .. ") - id(" .. (n - 1) .. ")")
    end
  end)

  it("seed 001: 41 objects per block, 7 blocks for the 262 small ints, 25 spare", function()
    local R = H.runtime(profile)
    assert.are.equal(7, R:stats().blocks)
    local id256 = R:id(R:int(256))
    local keep = {}
    -- the 25 spare slots of the seventh block come first, still stepping -24
    for k = 1, 25 do
      keep[k] = R:int(1000 + k)
      assert.are.equal(id256 - 24 * k, R:id(keep[k]), "fresh int #" .. k)
    end
    assert.are.equal(7, R:stats().blocks)
    -- the 26th needs an eighth block, handing out its highest slot first
    keep[26] = R:int(1026)
    assert.are.equal(8, R:stats().blocks)
    local first8 = R:id(keep[26])
    for k = 27, 66 do
      keep[k] = R:int(1000 + k)
      assert.are.equal(first8 - 24 * (k - 26), R:id(keep[k]), "fresh int #" .. k)
    end
    assert.are.equal(8, R:stats().blocks)
    keep[67] = R:int(1067)
    assert.are.equal(9, R:stats().blocks)
  end)

  it("seed 001: a new block is placed block_spacing after the last (jump = spacing + 960)", function()
    for _, spacing in ipairs({ 992, 1008 }) do
      local R = H.runtime { profile = profile, block_spacing = spacing }
      local keep = {}
      for k = 1, 26 do keep[k] = R:int(5000 + k) end
      -- keep[25] is objects[0] of block 7, keep[26] objects[40] of block 8
      assert.are.equal(spacing + 960, R:id(keep[26]) - R:id(keep[25]), "spacing " .. spacing)
      -- and the same distance separates -5 (objects[40] of block 1) from 36
      assert.are.equal(spacing + 960, R:id(R:int(36)) - R:id(R:int(35)))
    end
  end)

  it("seed 001: the small int n is object number n+5 of the blocks (offset value+5)", function()
    local R = H.runtime(profile)
    local id = ids(R, -5, 256)
    for n = -5, 256 do
      -- object k = n+5 is slot 40 - k % 41 of block k // 41; blocks sit
      -- 992 bytes apart and slots 24 bytes apart
      local k = n + 5
      local want = 992 * (k // 41) - 24 * (k % 41)
      if id[n] - id[-5] ~= want then
        assert.are.equal(want, id[n] - id[-5], "id(" .. n .. ") - id(-5)")
      end
    end
  end)

end)
