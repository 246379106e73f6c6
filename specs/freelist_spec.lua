--[[
freelist_spec.lua -- reuse of freed int objects: 2.7's block free list and
3.14's int free list; none in 3.11-3.13.

Covers:
  seed 001  "free list linked back to front", a freed int's slot is the next
            one handed out; blocks of 41
  facts     section 1 int_dealloc pushes a freed int on free_list (LIFO,
            "Measured: a freed address is reused by the next int");
            PyInt_ClearFreeList frees every block with no live int, on a
            full collection; section 2 "3.14 freelist (gh-126868): LIFO,
            only exact AND compact (<=1 digit) ints while size < 100
            (Py_ints_MAXFREELIST), a full gc clears it"; "int freelist: none"
            for 3.11-3.13; section 5 "A full collection clears the 2.7 int
            blocks and the 3.14 ints freelist"; section 6 item 10 (LIFO id reuse)
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

H.each_profile({ "cpython2.7" }, function(profile)
  after_each(H.close_all)

  it("a freed int's address is the next one handed out (LIFO)", function()
    local R = H.runtime(profile)
    local a = R:int(1000)
    local id = R:id(a)
    a:release()
    local b = R:int(2000)
    assert.are.equal(id, R:id(b))
  end)

  it("three freed ints come back in reverse order of freeing", function()
    local R = H.runtime(profile)
    local x, y, z = R:int(1001), R:int(1002), R:int(1003)
    local ix, iy, iz = R:id(x), R:id(y), R:id(z)
    x:release(); y:release(); z:release()
    assert.are.equal(iz, R:id(R:int(5001)))
    assert.are.equal(iy, R:id(R:int(5002)))
    assert.are.equal(ix, R:id(R:int(5003)))
  end)

  it("a freed long does not go to the int free list", function()
    local R = H.runtime(profile)
    local big = R:int(2) ^ 100
    local id = R:id(big)
    big:release()
    local n = R:int(3000)
    assert.are_not.equal(id, R:id(n))
  end)

  it("R:collect() frees the blocks with no live int, keeps the small ints' blocks", function()
    local R = H.runtime(profile)
    assert.are.equal(7, R:stats().blocks)
    local keep = {}
    for k = 1, 67 do keep[k] = R:int(10000 + k) end   -- 25 spare + 41 + 1
    assert.are.equal(9, R:stats().blocks)
    R:collect()
    assert.are.equal(9, R:stats().blocks)              -- all still live
    for k = 1, 67 do keep[k]:release() end
    assert.are.equal(9, R:stats().blocks)              -- freed ints keep their blocks
    R:collect()
    assert.are.equal(7, R:stats().blocks)
    for n = -5, 256 do                                  -- the cache survived
      assert.is_same_object(R, R:int(n), R:int(n))
    end
  end)

  it("a block holding one live int survives R:collect()", function()
    local R = H.runtime(profile)
    local keep = {}
    for k = 1, 26 do keep[k] = R:int(20000 + k) end   -- the 26th opens block 8
    assert.are.equal(8, R:stats().blocks)
    for k = 1, 25 do keep[k]:release() end
    R:collect()
    assert.are.equal(8, R:stats().blocks)
    local survivor = R:id(keep[26])
    keep[26]:release()
    R:collect()
    assert.are.equal(7, R:stats().blocks)
    assert.is_number(survivor)
  end)
end)

H.each_profile({ "cpython3.14" }, function(profile)
  after_each(H.close_all)

  it("a freed compact int goes on the free list and is reused LIFO", function()
    local R = H.runtime(profile)
    local a = R:int(1000)
    local id = R:id(a)
    assert.are.equal(0, R:stats().freelist_len)
    a:release()
    assert.are.equal(1, R:stats().freelist_len)
    local hits = R:stats().freelist_hits
    local b = R:int(2000)
    assert.are.equal(id, R:id(b))
    assert.are.equal(0, R:stats().freelist_len)
    assert.are.equal(hits + 1, R:stats().freelist_hits)
  end)

  it("three freed ints come back in reverse order of freeing", function()
    local R = H.runtime(profile)
    local x, y, z = R:int(1001), R:int(-1002), R:int(1073741823)   -- all one digit
    local ix, iy, iz = R:id(x), R:id(y), R:id(z)
    x:release(); y:release(); z:release()
    assert.are.equal(3, R:stats().freelist_len)
    assert.are.equal(iz, R:id(R:int(5001)))
    assert.are.equal(iy, R:id(R:int(5002)))
    assert.are.equal(ix, R:id(R:int(5003)))
  end)

  it("the free list keeps 100 ints: the 101st freed is not kept", function()
    local R = H.runtime(profile)
    local keep = {}
    for k = 1, 101 do keep[k] = R:int(100000 + k) end
    for k = 1, 100 do keep[k]:release() end
    assert.are.equal(100, R:stats().freelist_len)
    keep[101]:release()
    assert.are.equal(100, R:stats().freelist_len)
  end)

  it("multi-digit ints never go on the free list (2**30, 2**60, -2**30)", function()
    local R = H.runtime(profile)
    for _, v in ipairs({ "1073741824", "1152921504606846976", "-1073741824" }) do
      local a = R:int(v)
      a:release()
      assert.are.equal(0, R:stats().freelist_len, v)
    end
  end)

  it("an int from the free list is a whole new object: value, refcount 1, size 28", function()
    local R = H.runtime(profile)
    local a = R:int(-777)
    a:release()
    local b = R:int(12345)
    assert.are.equal("12345", tostring(b))
    assert.refcount(R, b, 1)
    assert.are.equal(28, R:sizeof(b))
  end)

  it("arithmetic results come from the free list too", function()
    local R = H.runtime(profile)
    local x, y = R:int(600), R:int(700)    -- operands made first: a Lua
    local a = R:int(900)                  -- integer operand would be a new
    local id = R:id(a)                    -- object and take the slot itself
    a:release()
    local c = x + y
    assert.are.equal(id, R:id(c))
  end)

  it("R:collect() empties the free list", function()
    local R = H.runtime(profile)
    local keep = {}
    for k = 1, 10 do keep[k] = R:int(3000 + k) end
    for k = 1, 10 do keep[k]:release() end
    assert.are.equal(10, R:stats().freelist_len)
    R:collect()
    assert.are.equal(0, R:stats().freelist_len)
  end)

  it("cached ints are never freed onto the list", function()
    local R = H.runtime(profile)
    local a = R:int(5)
    a:release()
    assert.are.equal(0, R:stats().freelist_len)
  end)
end)

H.each_profile({ "cpython3.11", "cpython3.12", "cpython3.13" }, function(profile)
  after_each(H.close_all)

  it("no int free list: freed ints are never counted on one", function()
    local R = H.runtime(profile)
    local keep = {}
    for k = 1, 20 do keep[k] = R:int(7000 + k) end
    for k = 1, 20 do keep[k]:release() end
    assert.are.equal(0, R:stats().freelist_len)
    for k = 1, 20 do keep[k] = R:int(8000 + k) end
    assert.are.equal(0, R:stats().freelist_hits)
  end)

  it("the object allocator still reuses a freed slot LIFO (pymalloc, facts 2)", function()
    local R = H.runtime(profile)
    local a = R:int(1000)
    local id = R:id(a)
    a:release()
    assert.are.equal(id, R:id(R:int(2000)))
  end)
end)
