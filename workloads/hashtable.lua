-- hashtable.lua -- a hash table keyed by ints: Raymond Hettinger's
-- pure-Python compact dict (the design CPython 3.6 adopted), indices
-- probed with i = 5 * i + perturb + 1, perturb >>= 5, FREE = -1 and
-- DUMMY = -2 as sentinels, resized to 2 ** n.bit_length(); used to count
-- keys drawn from a linear congruential stream.
local UPDATES = 30000

return {
  models = "Raymond Hettinger's pure-Python compact dict (ActiveState recipe 578375), int keys",
  run = function(R)
    local ZERO, ONE, TWO, THREE, FIVE = R:int(0), R:int(1), R:int(2), R:int(3), R:int(5)
    local FOUR, EIGHT = R:int(4), R:int(8)
    local FREE, DUMMY = R:int(-1), R:int(-2)
    local MASK64 = R:int("0xFFFFFFFFFFFFFFFF", 0)
    local A, C, M = R:int(1103515245), R:int(12345), R:int(2) ^ 31
    local KEYS = R:int(5000)
    local d = { indices = {}, hashlist = {}, keys = {}, values = {}, used = ZERO, filled = ZERO }
    local function make_index(n)                     -- [FREE] * n
      local t = {}
      for k = 1, n:tointeger() do t[k] = FREE end
      return t
    end
    local function probes(hashvalue, mask, visit)
      if hashvalue < ZERO then hashvalue = -hashvalue end
      local i = hashvalue & mask
      if visit(i) then return end
      local perturb = hashvalue
      while true do
        i = (FIVE * i + perturb + ONE) & MASK64
        if visit(i & mask) then return end
        perturb = perturb >> FIVE
      end
    end
    local function lookup(key, hashvalue)
      local freeslot, found_index, found_i
      probes(hashvalue, R:int(#d.indices) - ONE, function(i)
        local index = d.indices[i:tointeger() + 1]
        if index == FREE then
          if freeslot == nil then found_index, found_i = FREE, i
          else found_index, found_i = DUMMY, freeslot end
          return true
        elseif index == DUMMY then
          if freeslot == nil then freeslot = i end
        else
          local k = index:tointeger() + 1
          if d.hashlist[k] == hashvalue and d.keys[k] == key then
            found_index, found_i = index, i
            return true
          end
        end
      end)
      return found_index, found_i
    end
    local function resize(n)
      n = TWO ^ n:bit_length()
      d.indices = make_index(n)
      local mask = n - ONE
      for k = 1, #d.hashlist do                      -- for index, hashvalue in enumerate(...)
        local index = R:int(k - 1)
        probes(d.hashlist[k], mask, function(i)
          local at = i:tointeger() + 1
          if d.indices[at] == FREE then d.indices[at] = index; return true end
        end)
      end
      d.filled = d.used
    end
    local function setitem(key, value)
      local hashvalue = R:int(R:hash(key))
      local index, i = lookup(key, hashvalue)
      if index < ZERO then
        d.indices[i:tointeger() + 1] = d.used
        d.hashlist[#d.hashlist + 1] = hashvalue
        d.keys[#d.keys + 1] = key
        d.values[#d.values + 1] = value
        d.used = d.used + ONE
        if index == FREE then
          d.filled = d.filled + ONE
          if d.filled * THREE > R:int(#d.indices) * TWO then resize(FOUR * d.used) end
        end
      else
        d.values[index:tointeger() + 1] = value
      end
    end
    local function get(key, default)
      local index = lookup(key, R:int(R:hash(key)))
      if index < ZERO then return default end
      return d.values[index:tointeger() + 1]
    end
    d.indices = make_index(EIGHT)
    local x = R:int(42)
    for _ = 1, UPDATES do
      x = (x * A + C) % M
      local key = x % KEYS
      setitem(key, get(key, ZERO) + ONE)
    end
    local total = ZERO
    for k = 1, #d.values do total = total + d.values[k] end
    assert(total:tointeger() == UPDATES and #d.keys <= 5000)
  end,
}
