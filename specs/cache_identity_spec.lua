--[[
cache_identity_spec.lua -- the small-int cache: every way of producing a
value in -5..256 gives the one cached object; -6 and 257 are fresh objects
each time; the range follows small_ints.

Covers:
  seed 000  "id(n) != id(n+0) first at 257"; "id(2) == id(1+1)",
            "id(1000) == id(1000+0)" is False
  seed 001  small_ints[262] for -5..256 (NSMALLNEGINTS 5, NSMALLPOSINTS 257);
            PyInt_FromLong returns the cached object for -5..256
  seed 002  the cache range is -5..256 ("-10 is -10" is False), range 0
            disables the cache, [-5, 512] and [-1e6, 1e6] compared with
            the default (histogram_spec.lua counts the requests)
  seed 003  "2**2 is 4", small ints -5..256 are singletons
  facts     section 2 "Small ints: _PY_NSMALLNEGINTS 5, _PY_NSMALLPOSINTS
            257"; section 1 NSMALLNEGINTS/NSMALLPOSINTS; section 6 item 1
            ("int('256') is int('256'); -6 and 257 are fresh")
Under cpython2.7 only results that stay ints (not longs) are cached, as in
2.7's PyInt_FromLong; int_long_spec.lua covers the long side.
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

-- Two's complement bytes of n, big endian, 2 bytes (|n| < 32768).
local function be16(n)
  local u = n & 0xFFFF
  return string.char(u >> 8, u & 0xFF)
end

-- Every producer makes a fresh handle to the value n.  'py3' marks the
-- ones that go through a multi-digit intermediate, which is a long (never
-- cached) under 2.7.
local PRODUCERS = {
  { "R:int(n)", function(R, n) return R:int(n) end },
  { "R:int(tostring(n))", function(R, n) return R:int(tostring(n)) end },
  { "R:int(' n ') with spaces", function(R, n) return R:int("  " .. n .. "\n") end },
  { "R:int(hex, 16)", function(R, n)
      return R:int((n < 0 and "-" or "") .. string.format("%x", math.abs(n)), 16) end },
  { "R:int('0x..', 0)", function(R, n)
      return R:int((n < 0 and "-0x" or "0x") .. string.format("%x", math.abs(n)), 0) end },
  { "R:int(binary, 2)", function(R, n)
      local u, s = math.abs(n), ""
      repeat s = tostring(u & 1) .. s; u = u >> 1 until u == 0
      return R:int((n < 0 and "-" or "") .. s, 2) end },
  { "R:int(float)", function(R, n) return R:int(n + 0.0) end },
  { "R:frombytes(be16, 'big', true)", function(R, n) return R:frombytes(be16(n), "big", true) end },
  { "R:frombytes(le16, 'little', true)", function(R, n)
      return R:frombytes(be16(n):reverse(), "little", true) end },
  { "R:int(n - 1000) + 1000", function(R, n) return R:int(n - 1000) + 1000 end },
  { "1000 + R:int(n - 1000)", function(R, n) return 1000 + R:int(n - 1000) end },
  { "R:int(n + 1000) - R:int(1000)", function(R, n) return R:int(n + 1000) - R:int(1000) end },
  { "R:int(n) + 0", function(R, n) return R:int(n) + 0 end },
  { "R:int(n) * 1", function(R, n) return R:int(n) * 1 end },
  { "-R:int(-n)", function(R, n) return -R:int(-n) end },
  { "~R:int(~n)", function(R, n) return ~R:int(~n) end },
  { "R:int(2n) // 2", function(R, n) return R:int(2 * n) // 2 end },
  { "R:int(7n+3) // 7", function(R, n) return R:int(7 * n + 3) // 7 end },
  { "divmod(3n, 3) quotient", function(R, n) return (R:divmod(R:int(3 * n), 3)) end },
  { "divmod remainder", function(R, n)
      local m = n < 0 and -100000 or 100000
      local _, r = R:divmod(R:int(n + 3 * m), m)
      return r end },
  { "R:int(n + 10**6) % 10**6 (or % -10**6)", function(R, n)
      if n < 0 then return R:int(n - 1000000) % -1000000 end
      return R:int(n + 1000000) % 1000000 end },
  { "(R:int(n) << 5) >> 5", function(R, n) return (R:int(n) << 5) >> 5 end },
  { "R:int(n) & -1", function(R, n) return R:int(n) & -1 end },
  { "R:int(n) | 0", function(R, n) return R:int(n) | 0 end },
  { "R:int(n) ~ 0 (xor)", function(R, n) return R:int(n) ~ 0 end },
  { "R:int(n) ^ 1 (pow)", function(R, n) return R:int(n) ^ 1 end },
  { "R:pow(n, 1, 10**9)", function(R, n)
      if n < 0 then return R:pow(R:int(n), 1, -1000000000) end
      return R:pow(R:int(n), 1, 1000000000) end },
  { "R:abs(-|n|) signed back", function(R, n)
      local a = R:abs(R:int(-math.abs(n)))
      if n < 0 then return -a end
      return a end },
  { "R:int(n * 2**100) >> 100", py3 = true, function(R, n)
      return (R:int(n) * (R:int(2) ^ 100)) >> 100 end },
  { "R:int(n + 10**30) - 10**30", py3 = true, function(R, n)
      local big = R:int("1000000000000000000000000000000")
      return (R:int(n) + big) - big end },
  { "R:int(n * 10**30) // 10**30", py3 = true, function(R, n)
      local big = R:int("1000000000000000000000000000000")
      return (R:int(n) * big) // big end },
}

H.each_profile(function(profile)
  after_each(H.close_all)

  local py27 = profile == "cpython2.7"

  for _, p in ipairs(PRODUCERS) do
    local name, make = p[1], p[2]
    if not (py27 and p.py3) then
      it(name .. " gives the cached object for -5, 0, 1, 255, 256 and fresh ones for -6, 257 (seed 000, facts 6.1)", function()
        local R = H.runtime(profile)
        for _, n in ipairs({ -5, -1, 0, 1, 4, 255, 256 }) do
          local a, b = make(R, n), make(R, n)
          assert.are.equal(tostring(n), tostring(a), name .. " value")
          assert.is_same_object(R, a, b)
          assert.is_same_object(R, a, R:int(n))
        end
        for _, n in ipairs({ -6, 257, -7, 258, 1000 }) do
          local a, b = make(R, n), make(R, n)
          assert.are.equal(tostring(n), tostring(a), name .. " value")
          assert.is_not_same_object(R, a, b)
          assert.is_not_same_object(R, a, R:int(n))
        end
      end)
    end
  end

  it("seed 000: id(n) != id(n+0) first at 257, scanning 0..1000", function()
    local R = H.runtime(profile)
    local first
    for n = 0, 1000 do
      local a = R:int(n)
      if R:id(a) ~= R:id(a + 0) then first = n; break end
    end
    assert.are.equal(257, first)
  end)

  it("seed 000: the cached range is exactly -5..256, scanning -300..300", function()
    local R = H.runtime(profile)
    local lo, hi
    for n = -300, 300 do
      if R:is(R:int(n), R:int(n)) then
        lo = lo or n
        hi = n
      end
    end
    assert.are.equal(-5, lo)
    assert.are.equal(256, hi)
    local rlo, rhi = R:small_range()
    assert.are.equal(-5, rlo)
    assert.are.equal(256, rhi)
  end)

  it("seed 000: id(2) == id(1+1); id(1000) ~= id(1000+0)", function()
    local R = H.runtime(profile)
    assert.are.equal(R:id(R:int(2)), R:id(R:int(1) + 1))
    local k = R:int(1000)
    assert.are_not.equal(R:id(k), R:id(k + 0))
  end)

  it("seed 002: '-10 is -10' is False, '1 is 1' is True", function()
    local R = H.runtime(profile)
    assert.is_not_same_object(R, R:int(-10), R:int(-10))
    assert.is_same_object(R, R:int(1), R:int(1))
  end)

  it("seed 003: 2**2 is the cached 4; 2**8 is the cached 256; 2**9 is fresh", function()
    local R = H.runtime(profile)
    assert.is_same_object(R, R:int(256), R:int(200) + 56)
    assert.is_not_same_object(R, R:int(257), R:int(200) + 57)
    assert.is_same_object(R, R:int(4), R:int(2) ^ 2)
    assert.is_same_object(R, R:int(4), R:pow(2, 2))
    assert.is_same_object(R, R:int(256), R:int(2) ^ 8)
    assert.is_same_object(R, R:int(256), R:pow(R:int(2), 8, 1000))
    assert.is_not_same_object(R, R:int(2) ^ 9, R:int(2) ^ 9)
  end)

  it("R:int(handle) and R:long under 3.x hand back the same object", function()
    local R = H.runtime(profile)
    local big = R:int(10) ^ 30
    assert.is_same_object(R, big, R:int(big))
    if not py27 then assert.is_same_object(R, big, R:long(big)) end
  end)

  it("small_ints = {10, 1000} caches -10..999 and nothing past it", function()
    local R = H.runtime { profile = profile, small_ints = { 10, 1000 } }
    local lo, hi = R:small_range()
    assert.are.equal(-10, lo)
    assert.are.equal(999, hi)
    for _, n in ipairs({ -10, -6, 0, 257, 512, 999 }) do
      assert.is_same_object(R, R:int(n), R:int(n))
      assert.is_same_object(R, R:int(n), R:int(n - 1) + 1)
      assert.is_same_object(R, R:int(n), R:int(tostring(n)))
    end
    for _, n in ipairs({ -11, 1000, -12, 1001 }) do
      assert.is_not_same_object(R, R:int(n), R:int(n))
      assert.is_not_same_object(R, R:int(n), R:int(n - 1) + 1)
    end
  end)

  it("small_ints = {0, 0} disables the cache (seed 002: range 0 disables it)", function()
    local R = H.runtime { profile = profile, small_ints = { 0, 0 } }
    local lo, hi = R:small_range()
    assert.is_true(lo > hi)
    for _, n in ipairs({ -5, -1, 0, 1, 2, 256 }) do
      assert.is_not_same_object(R, R:int(n), R:int(n))
      assert.is_not_same_object(R, R:int(n), R:int(n - 1) + 1)
    end
    assert.are.equal(0, R:stats().cache_hits)
  end)

  it("small_ints = {5, 513} caches -5..512 (seed 002's [-5, 512])", function()
    local R = H.runtime { profile = profile, small_ints = { 5, 513 } }
    assert.is_same_object(R, R:int(512), R:int(256) * 2)
    assert.is_not_same_object(R, R:int(513), R:int(513))
    assert.is_not_same_object(R, R:int(-6), R:int(-6))
  end)

  it("small_ints = {0, 1} caches 0 alone; {1, 0} caches -1 alone", function()
    local R = H.runtime { profile = profile, small_ints = { 0, 1 } }
    assert.is_same_object(R, R:int(0), R:int(0))
    assert.is_not_same_object(R, R:int(1), R:int(1))
    assert.is_not_same_object(R, R:int(-1), R:int(-1))
    local S = H.runtime { profile = profile, small_ints = { 1, 0 } }
    assert.is_same_object(S, S:int(-1), S:int(-1))
    assert.is_not_same_object(S, S:int(0), S:int(0))
  end)

  it("runtimes are independent: the same value in two runtimes is two objects", function()
    local R, S = H.runtime(profile), H.runtime(profile)
    assert.are_not.equal(R:id(R:int(7)), S:id(S:int(7)))
  end)
end)
