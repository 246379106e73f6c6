--[[
random_api.lua -- any call of any function of the module, with any
arguments, ends in a result or a Lua error; never a crash.

The input is a program.  A pool of values is set up first: ints of the
provider's runtime, Lua integers, floats, strings, option tables, nil,
booleans, functions, a coroutine, a foreign userdata, a second runtime and
its ints, a closed runtime and an int of it, a released int, error
objects, and the metatables of ints and runtimes (through debug).  Each
step then calls one function, picked by the input, with up to four values
of the pool, also picked by the input: intspect.runtime and the other
module functions, every R: method, every int method, every metamethod of
ints and runtimes fetched through debug.getmetatable (the finalizers
included), Lua's operators on the values, debug.setmetatable and
debug.setuservalue on handles and runtimes, and finalizers that reset,
close or release while later calls run.  Ints and runtimes a call returns
join the pool.

The property fails only when a call raises something other than a string
or an intspect error table {type = string, message = string}, or when the
process crashes (a sanitizer report included), or when the provider's
runtime leaks.  Work is bounded here, not by the runtime: ints above 4096
bits do not join the pool, and exponents, shift counts, to_bytes lengths
and option ranges are capped, so one input takes milliseconds.
]]

local MAX_BITS = 4096

-- Values that are the same for every input.
local imt = debug.getmetatable(intspect.runtime{}:int(1))
local probe = intspect.runtime{}
local rmt = debug.getmetatable(probe)
probe:close()
local foreign = io.tmpfile()          -- a userdata of another kind
local function nop() end
-- methods taken once: a call may strip a value's metatable
local bit_length, tointeger, release = imt.__index.bit_length, imt.__index.tointeger,
                                       imt.__index.release
local lt = imt.__lt
local rt_reset, rt_close = rmt.__index(probe, "reset"), rmt.__index(probe, "close")

local function is_error_object(e)
  if type(e) == "string" then return true end
  return type(e) == "table" and type(rawget(e, "type")) == "string"
     and type(rawget(e, "message")) == "string"
end

-- Bits of an int-like value (a live int or a Lua integer), else nil.
local function bits(v)
  if math.type(v) == "integer" then
    local n, b = v < 0 and -(v + 1) or v, 0
    while n > 0 do n, b = n >> 1, b + 1 end
    return b
  end
  if intspect.is_int(v) then
    local ok, b = pcall(bit_length, v)
    if ok then return b end
  end
  return nil
end

-- The value of an int-like value as a Lua integer, clamped to +-2^62.
local function value(v)
  if math.type(v) == "integer" then return v end
  if intspect.is_int(v) then
    local ok, b = pcall(bit_length, v)
    if not ok then return nil end
    if b > 62 then
      local okc, c = pcall(lt, v, 0)
      return (okc and c) and -(1 << 62) or (1 << 62)
    end
    local okv, n = pcall(tointeger, v)
    if okv then return n end
  end
  return nil
end

local function too_much_pow(base, exp, mod)
  local be, ve = bits(base), value(exp)
  if ve == nil or be == nil then return false end    -- a type error, at once
  if mod ~= nil and bits(mod) ~= nil then return (bits(exp) or 0) > MAX_BITS end
  return ve > 0 and be * ve > 4 * MAX_BITS
end

local function too_much_shift(count)
  local c = value(count)
  return c ~= nil and c > 4 * MAX_BITS
end

-- The functions, each {name, fn, guard}; guard(args) true skips the call.
local calls = {}
local function add(name, fn, guard) calls[#calls + 1] = { name, fn, guard } end

-- option tables the property made (bounded ranges); other tables are
-- passed to intspect.runtime only when they cannot ask for much work
local safe_options = setmetatable({}, { __mode = "k" })
for _, name in ipairs{ "runtime", "is_int", "is_runtime", "new_error", "is_error" } do
  add("intspect." .. name, intspect[name], name == "runtime" and function(a)
    return type(a[1]) == "table" and not safe_options[a[1]] and next(a[1]) ~= nil
  end or nil)
end
add("error __tostring", intspect.error_metatable.__tostring)

-- R:method(...) through the runtime metatable's __index, with any self.
for _, name in ipairs{ "int", "frombytes", "long", "divmod", "pow", "truediv", "str",
    "hash", "isqrt", "gcd", "abs", "compare", "id", "is", "refcount", "sizeof",
    "is_immortal", "type", "stats", "histogram", "collect", "small_range",
    "gc_threshold", "set_fail_alloc_after", "set_max_str_digits", "max_str_digits",
    "reset", "close" } do
  local guard
  if name == "pow" then guard = function(a) return too_much_pow(a[2], a[3], a[4]) end end
  add("R:" .. name, function(self, ...)
    local f = rmt.__index(self, name)
    return f(self, ...)
  end, guard)
  add("runtime methods." .. name, function(...) return rmt.__index(probe, name)(...) end, guard)
end
for _, name in ipairs{ "profile", "closed", "nosuch" } do
  add("R." .. name, function(self) return rmt.__index(self, name) end)
end

-- Int methods, with any self (sorted: pairs' order differs between runs).
local methodnames = {}
for name in pairs(imt.__index) do methodnames[#methodnames + 1] = name end
table.sort(methodnames)
for _, name in ipairs(methodnames) do
  local f = imt.__index[name]
  add("int:" .. name, f, name == "tobytes" and function(a)
    local n = value(a[2])
    return n ~= nil and n > MAX_BITS
  end or nil)
end

-- Metamethods, called directly.
local metanames = {}
for name in pairs(imt) do if type(imt[name]) == "function" then metanames[#metanames + 1] = name end end
table.sort(metanames)
for _, name in ipairs(metanames) do
  local guard
  if name == "__pow" then guard = function(a) return too_much_pow(a[1], a[2]) end end
  if name == "__shl" then guard = function(a) return too_much_shift(a[2]) end end
  add("int " .. name, imt[name], guard)
end
for _, name in ipairs{ "__index", "__gc", "__close", "__tostring" } do
  add("runtime " .. name, rmt[name])
end

-- Lua's operators, which pick the metamethod themselves.
add("+", function(a, b) return a + b end)
add("-", function(a, b) return a - b end)
add("*", function(a, b) return a * b end)
add("/", function(a, b) return a / b end)
add("//", function(a, b) return a // b end)
add("%", function(a, b) return a % b end)
add("^", function(a, b) return a ^ b end, function(a) return too_much_pow(a[1], a[2]) end)
add("<<", function(a, b) return a << b end, function(a) return too_much_shift(a[2]) end)
add(">>", function(a, b) return a >> b end)
add("&", function(a, b) return a & b end)
add("|", function(a, b) return a | b end)
add("~", function(a, b) return a ~ b end)
add("unary -", function(a) return -a end)
add("unary ~", function(a) return ~a end)
add("==", function(a, b) return a == b end)
add("<", function(a, b) return a < b end)
add("<=", function(a, b) return a <= b end)
add("..", function(a, b) return a .. b end)
add("tostring", function(a) return tostring(a) end)
add("<close>", function(a) local x <close> = a end)

-- The debug library on handles and runtimes (per object: nothing shared
-- between inputs).  The provider's runtime keeps its metatable: the
-- harness resets it through its methods after every input.
local provider_runtime
local function own_object(v)
  if rawequal(v, provider_runtime) or rawequal(v, imt) or rawequal(v, rmt) then return false end
  return intspect.is_int(v) or intspect.is_runtime(v) or
         (type(v) == "table" and getmetatable(v) == nil)
end
add("debug.setmetatable", function(a, b) return debug.setmetatable(a, b) end,
    function(a) return not own_object(a[1]) or (a[2] ~= nil and type(a[2]) ~= "table") end)
add("debug.getmetatable", function(a) return debug.getmetatable(a) end)
add("debug.setuservalue", function(a, b, n) return debug.setuservalue(a, b, n) end,
    function(a) return not own_object(a[1]) or (a[3] ~= nil and math.type(a[3]) ~= "integer") end)
add("debug.getuservalue", function(a, n) return debug.getuservalue(a, n) end,
    function(a) return a[2] ~= nil and math.type(a[2]) ~= "integer" end)
add("collectgarbage step", function() collectgarbage("step") end)

return {
  max_len = 1024,
  property = function(p)
    local R = p:runtime()
    provider_runtime = R
    local S = intspect.runtime{ profile = p:pick(intspect.profiles) }
    local C = intspect.runtime{ profile = p:pick(intspect.profiles) }
    local closed_int = C:int(2) ^ 70
    C:close()
    local released = R:int(10) ^ 20
    released:release()
    local opts = {
      { profile = "cpython2.7", block_spacing = 1008 },
      { small_ints = { 0, 0 }, histogram = { -3, 3 } },
      { profile = "cpython3.11", small_ints = { 300, 1100 } },
      { max_str_digits = 640, fail_alloc_after = 3 },
      { profile = "nosuch" },
      { small_ints = { -1, 5 } },
    }
    local pool = {
      R, S, C, closed_int, released, S:int(7), S:int(2) ^ 100, nop, math.abs, foreign,
      coroutine.create(nop), imt, rmt, intspect.new_error("ValueError", "x"), true, false,
      0, 1, -1, 2, 63, 64, 1 << 62, math.mininteger, math.maxinteger,
      0.5, -0.0, 1e308, 0 / 0, math.huge, "", "42", "-0x1f", " 1_000 ", "abc", "little",
      "big", "cpython2.7", {},
    }
    for _, o in ipairs(opts) do
      safe_options[o] = true
      pool[#pool + 1] = o
    end
    pool.n = #pool  -- an index past the end gives nil
    -- the provider's own values, drawn before any call can close R
    for _ = 1, p:consume_integer(0, 4) do
      pool.n = pool.n + 1
      pool[pool.n] = p:consume_int(p:consume_integer(1, 300))
    end
    for _ = 1, p:consume_integer(0, 3) do
      pool.n = pool.n + 1
      pool[pool.n] = p:consume_integer(math.mininteger, math.maxinteger)
    end
    pool.n = pool.n + 1
    pool[pool.n] = p:consume_string(24)

    for _ = 1, p:consume_integer(1, 48) do
      local kind = p:consume_integer(0, 15)
      if kind == 0 then
        -- a finalizer that acts on the second runtime while later calls run
        local what, h = p:consume_integer(0, 2), pool[p:consume_integer(1, pool.n + 1)]
        setmetatable({}, { __gc = function()
          if what == 0 then pcall(rt_reset, S)
          elseif what == 1 then pcall(rt_close, S)
          else pcall(release, h) end
        end })
      else
        local call = calls[p:consume_integer(1, #calls)]
        local args, nargs = {}, p:consume_integer(0, 4)
        for i = 1, nargs do args[i] = pool[p:consume_integer(1, pool.n + 1)] end
        if not (call[3] and call[3](args)) then
          local res = table.pack(pcall(call[2], table.unpack(args, 1, nargs)))
          if not res[1] then
            assert(is_error_object(res[2]), ("%s raised a %s: %s"):format(
              call[1], type(res[2]), tostring(res[2])))
          else
            for i = 2, res.n do
              local v = res[i]
              if (intspect.is_int(v) and (bits(v) or 0) <= MAX_BITS)
                  or intspect.is_runtime(v) then
                pool.n = pool.n + 1
                pool[pool.n] = v
              end
            end
          end
        end
      end
    end
  end,
}
