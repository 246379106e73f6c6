-- hostile_spec.lua -- scripts that try to break the Lua binding.
--
-- Each case is a script run by the intspect executable ($INTSPECT_EXE) in a
-- child process, under `timeout`: it must end with exit status 0 (having
-- printed DONE) or 1 (a Lua error, reported by `intspect run`), within the
-- time bound, and print no sanitizer report.  Scripts that catch errors
-- check that every error is a string or an intspect error table, and exit
-- with status 3 when one is not.  Under the sanitizer build these are the
-- checks that the binding stays memory-safe whatever a script does with
-- metatables, finalizers, the debug library, coroutines and errors.

local exe = os.getenv("INTSPECT_EXE")
local TIME_BOUND = 60   -- seconds per script, generous for the sanitizer build

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local P = dofile(here .. "helpers/proc.lua")
local q = P.q

-- Helpers every script starts with.
local prelude = [[
local function iserr(e)
  if type(e) == "string" then return true end
  return type(e) == "table" and type(rawget(e, "type")) == "string"
         and type(rawget(e, "message")) == "string"
end
local function try(f, ...)
  local ok, e = pcall(f, ...)
  if not ok and not iserr(e) then
    io.stderr:write("BAD ERROR OBJECT: ", type(e), " ", tostring(e), "\n")
    os.exit(3)
  end
  return ok, e
end
local function bad_values(R)
  local S = intspect.runtime{ profile = "cpython2.7" }
  local C = intspect.runtime{}
  local dead = R:int(2) ^ 70
  dead:release()
  local closed_h = C:int(2) ^ 80
  C:close()
  return {
    n = 17, nil, true, 0, -1, 2.5, 0/0, math.huge, "12", "x", {}, print,
    coroutine.create(function() end), io.stdout, R, S, C, dead, closed_h,
    S:int(12345), R:int(7), R:int(2) ^ 100,
  }
end
]]

-- Run one script; returns exit code (or nil, "signal"), stdout, stderr.
local function run_script(body)
  local path = P.temp(prelude .. "\n" .. body .. "\n")
  local code, out, err, how = P.run(("timeout -k 5 %d %s run %s"):format(TIME_BOUND, q(exe), q(path)))
  os.remove(path)
  return how, code, out, err
end

local function sanitizer_report(err)
  return err:find("Sanitizer", 1, true) or err:find("runtime error:", 1, true)
      or err:find("LeakSanitizer", 1, true)
end

-- The script must end normally (exit 0, DONE printed) or, when
-- 'may_error', with a Lua error (exit 1); never a signal, timeout or report.
local function survives(body, may_error)
  local how, code, out, err = run_script(body)
  local where = ("\n--- stdout:\n%s\n--- stderr:\n%s"):format(out, err)
  assert.are.equal("exit", how, "ended by a signal" .. where)
  assert.is_nil(sanitizer_report(err), "sanitizer report" .. where)
  assert.are_not.equal(124, code, "timed out" .. where)
  assert.are_not.equal(3, code, "an error that is not an error object" .. where)
  if may_error and code == 1 then
    assert.truthy(err:find("intspect:", 1, true), "exit 1 without a Lua error" .. where)
  else
    assert.are.equal(0, code, "exit status" .. where)
    assert.truthy(out:find("DONE", 1, true), "did not finish" .. where)
  end
  return out, err
end

local describe_exe = exe and describe or pending

describe_exe("hostile scripts: metatable tampering", function()
  it("the issue's script: __gc set to nil through getmetatable is refused", function()
    local _, err = survives([[
      local R = intspect.runtime{}
      getmetatable(R:int(1)).__gc = nil
    ]], true)
    assert.truthy(err:find("attempt to index a string value", 1, true), err)
  end)

  it("the issue's script through debug.getmetatable: no crash at close(), no spin", function()
    local out = survives([[
      local R = intspect.runtime{}
      debug.getmetatable(R:int(1)).__gc = nil
      for i = 1, 2000 do local x = R:int(1000 + i) end
      collectgarbage(); collectgarbage()
      for i = 1, 2000 do local x = R:int(5000 + i) end
      print(R:int(5) + 1)
      local rep = R:close()
      assert(rep.count == 0, "a leak")
      local S = intspect.runtime{}
      for i = 1, 500 do local x = S:int(10^12 + i) end
      collectgarbage()
      print(S:int(5) + 1)
      print("DONE")
    ]])
    assert.truthy(out:find("6\n6\n", 1, true), out)
  end)

  it("getmetatable gives a placeholder and setmetatable is refused", function()
    survives([[
      local R = intspect.runtime{}
      assert(getmetatable(R:int(1)) == "intspect.int")
      assert(getmetatable(R) == "intspect.runtime")
      assert(not try(setmetatable, R:int(1), {}))
      assert(not try(setmetatable, R, {}))
      assert(intspect.is_int(R:int(1)) and intspect.is_runtime(R))
      print("DONE")
    ]])
  end)

  it("metatables removed, swapped or moved onto other userdata", function()
    survives([[
      local R = intspect.runtime{}
      local imt, rmt = debug.getmetatable(R:int(1)), debug.getmetatable(R)
      local a, b = R:int(2) ^ 90, R:int(3) ^ 50
      debug.setmetatable(a, nil)
      try(function() return a + 1 end)
      assert(R:refcount(a) == 1 and tostring(R:int(a)) == tostring(R:int(2) ^ 90))
      debug.setmetatable(b, rmt)                      -- an int dressed as a runtime
      for _, k in ipairs{ "int", "close", "reset", "stats", "profile", "closed" } do
        try(function() return b[k] end)
        try(function() return b:int(1) end)
      end
      try(tostring, b)
      debug.setmetatable(R, imt)                      -- a runtime dressed as an int
      try(function() return R + 1 end)
      try(function() return -R end)
      try(function() return R:tofloat() end)
      try(tostring, R)
      try(function() return R .. "x" end)
      try(function() return R == R end)
      debug.setmetatable(R, rmt)
      debug.setmetatable(io.stdout, imt)              -- foreign userdata as an int
      try(function() return io.stdout + 1 end)
      try(function() return io.stdout < 1 end)
      try(function() return io.stdout:release() end)
      try(function() return R:int(io.stdout) end)
      try(tostring, io.stdout)
      debug.setmetatable(io.stdout, nil)
      local f = io.tmpfile()
      debug.setmetatable(f, rmt)                      -- foreign userdata as a runtime
      try(function() return f:int(5) end)
      try(function() return f:close() end)
      try(tostring, f)
      f = nil
      debug.setmetatable(b, imt)
      collectgarbage(); collectgarbage()
      assert(R:close().count == 0)
      print("DONE")
    ]])
  end)

  it("__gc, __close and __index removed or replaced in the real metatables", function()
    survives([[
      local R = intspect.runtime{}
      local imt, rmt = debug.getmetatable(R:int(1)), debug.getmetatable(R)
      imt.__gc, imt.__close, rmt.__gc, rmt.__close = nil, nil, nil, nil
      for i = 1, 300 do local x = R:int(i * 10^10) end
      for i = 1, 20 do local S = intspect.runtime{ profile = "cpython2.7" }; S:int(10^15) end
      collectgarbage(); collectgarbage()
      try(function() local x <close> = R:int(5) end)
      imt.__index = function(_, k) error({ type = "Oops", message = "no " .. tostring(k) }) end
      try(function() return R:int(5):tofloat() end)
      imt.__index = function() return nil end
      try(function() return R:int(5):tofloat() end)
      imt.__gc = function(h) error("finalizer error") end
      for i = 1, 100 do local x = R:int(i * 10^11) end
      collectgarbage()
      print(R:int(41) + 1)
      -- runtimes whose finalizer was removed are closed with the Lua state
      print("DONE")
    ]])
  end)

  it("user values of handles replaced, runtimes collected under them", function()
    survives([[
      local R, S = intspect.runtime{}, intspect.runtime{ profile = "cpython3.11" }
      local a, b, c = R:int(2) ^ 77, R:int(3) ^ 44, R:int(5) ^ 30
      debug.setuservalue(a, S)
      debug.setuservalue(b, nil)
      debug.setuservalue(c, "junk")
      for _, h in ipairs{ a, b, c } do
        try(function() return h + 1 end)
        try(function() return R:int(h) end)
        try(function() return S:int(h) end)
        try(function() return R:id(h) end)
        try(tostring, h)
        try(function() return h:release() end)
        try(debug.getmetatable(h).__gc, h)
      end
      assert(not debug.setuservalue(R, {}, 1))        -- runtimes have none
      -- a runtime whose handles point elsewhere can be collected first
      local T = intspect.runtime{}
      local keep = {}
      for i = 1, 50 do keep[i] = T:int(10^14 + i); debug.setuservalue(keep[i], S) end
      T = nil
      collectgarbage(); collectgarbage()
      for i = 1, 50 do try(function() return keep[i] * 2 end) end
      keep = nil
      collectgarbage()
      print("DONE")
    ]])
  end)

  it("upvalues of the module's C functions and registry entries replaced", function()
    survives([[
      local R = intspect.runtime{}
      local imt, rmt = debug.getmetatable(R:int(1)), debug.getmetatable(R)
      local add, index = imt.__add, rmt.__index
      for i = 1, 4 do
        debug.setupvalue(add, i, 42)
        debug.setupvalue(index, i, "junk")
        debug.setupvalue(intspect.runtime, i, false)
      end
      try(function() return R:int(1) + 1 end)
      try(function() return R:int(1) end)
      try(function() return intspect.runtime{} end)
      local ok, e = try(function() return R:int(1) // 0 end)
      assert(not ok)
      local reg = debug.getregistry()
      for k, v in pairs(reg) do
        if type(k) == "string" and k:find("intspect", 1, true) then reg[k] = 7 end
      end
      collectgarbage(); collectgarbage()   -- the keeper, unreferenced, is collected
      try(function() return R:int(3) * 3 end)
      try(function() return R:stats() end)
      print("DONE")
    ]])
  end)
end)

describe_exe("hostile scripts: finalizers called by hand", function()
  it("int __gc and __close with wrong, dead and already finalized values", function()
    survives([[
      local R = intspect.runtime{}
      local mt, rmt = debug.getmetatable(R:int(1)), debug.getmetatable(R)
      local gc, close, rgc, rclose = mt.__gc, mt.__close, rmt.__gc, rmt.__close
      local vals = bad_values(intspect.runtime{})   -- closed by the runtime finalizers
      for i = 1, vals.n + 5 do
        local v = vals[i]
        for _, f in ipairs{ gc, close, rgc, rclose } do
          try(f, v); try(f, v, v); try(f)
        end
      end
      local a = R:int(10) ^ 30
      gc(a); gc(a); close(a, "err")
      try(function() return a + 1 end)
      assert(not try(function() return a:release() end))
      local S = intspect.runtime{}
      local h = S:int(10) ^ 25
      rgc(S); rgc(S); rclose(S, nil)
      assert(S.closed)
      try(function() return h + 1 end)
      try(function() return S:int(1) end)
      gc(h)
      -- a finalizer of this module put into the script's own metatable
      for i = 1, 100 do setmetatable({}, { __gc = gc }); setmetatable({}, { __gc = rgc }) end
      collectgarbage(); collectgarbage()
      print(R:int(6) * 7)
      print("DONE")
    ]])
  end)

  it("the keeper's finalizer called by hand closes runtimes, safely", function()
    survives([[
      local R = intspect.runtime{}
      local keep = R:int(2) ^ 100
      local reg = debug.getregistry()
      local keeper = reg["intspect.keeper"]
      local kgc = debug.getmetatable(keeper).__gc
      try(kgc, 5); try(kgc, R); try(kgc, keep); try(kgc)
      kgc(keeper)
      try(function() return keep + 1 end)
      try(function() return R:int(1) end)
      try(function() return R:close() end)
      kgc(keeper)
      local S = intspect.runtime{}
      print(S:int(20) + 22)
      print("DONE")
    ]])
  end)
end)

describe_exe("hostile scripts: finalizers running inside operations", function()
  it("garbage whose finalizers close, reset and release while ints are computed", function()
    -- a collection step at every allocation, and finalizers always pending:
    -- some run while a C function of the module is between its
    -- allocations and its work
    survives([[
      collectgarbage("incremental", 0, 100)
      for round = 1, 1500 do
        local R = intspect.runtime{ profile = intspect.profiles[round % 5 + 1] }
        local a, b = R:int(2) ^ 100, R:int(3) ^ 40
        local which = round % 4
        for i = 1, 3 do
          setmetatable({}, { __gc = function()
            if which == 0 then try(R.close, R)
            elseif which == 1 then try(R.reset, R)
            elseif which == 2 then try(a.release, a); try(b.release, b)
            else try(function() return R:int(i) + a end) end
          end })
        end
        for i = 1, 4 do
          try(function() return a + b end)
          try(function() return -a end)
          try(function() return a * i end)
          try(function() return R:divmod(a, b) end)
          try(function() return tostring(a) .. tostring(b) end)
          try(function() return R:str(a, 16) end)
          try(function() return R:int(a) end)
          try(function() return R:int("123456789012345678901234567890") end)
          try(function() return a:tobytes(20) end)
          try(function() return R:histogram() end)
          try(function() return R:stats() end)
          try(function() return a < b end)
          try(function() return R:pow(a, 3, 1000) end)
        end
        if round % 100 == 0 then
          try(function() return intspect.runtime{ profile = "cpython2.7" } end)
        end
      end
      collectgarbage("incremental", 200, 100)
      print("DONE")
    ]])
  end)
end)

describe_exe("hostile scripts: every function with wrong self and arguments", function()
  it("metamethods, methods and module functions with every kind of value", function()
    survives([[
      local R = intspect.runtime{ histogram = { -3, 3 } }
      local imt, rmt = debug.getmetatable(R:int(1)), debug.getmetatable(R)
      local fns = {}
      for k, f in pairs(imt) do if type(f) == "function" then fns[#fns + 1] = f end end
      for k, f in pairs(imt.__index) do fns[#fns + 1] = f end
      for k, f in pairs(rmt) do if type(f) == "function" then fns[#fns + 1] = f end end
      for _, name in ipairs{ "int", "frombytes", "long", "divmod", "pow", "truediv", "str",
          "hash", "isqrt", "gcd", "abs", "compare", "id", "is", "refcount", "sizeof",
          "is_immortal", "type", "stats", "histogram", "collect", "small_range",
          "gc_threshold", "set_fail_alloc_after", "set_max_str_digits", "max_str_digits",
          "reset", "close" } do
        fns[#fns + 1] = R[name]
      end
      for k, f in pairs(intspect) do if type(f) == "function" then fns[#fns + 1] = f end end
      fns[#fns + 1] = intspect.error_metatable.__tostring
      local n = 0
      for _, f in ipairs(fns) do
        local vals = bad_values(intspect.runtime{})
        for i = 1, vals.n + 5 do
          for j = 1, vals.n + 5, 3 do
            try(f, vals[i]); try(f, vals[i], vals[j]); try(f, vals[i], vals[j], vals[i])
            n = n + 1
          end
        end
        collectgarbage("step")
      end
      print(n, "DONE")
    ]])
  end)

  it("error objects with hostile contents are still printable", function()
    survives([[
      local ts = intspect.error_metatable.__tostring
      for _, e in ipairs{ {}, { type = {} }, { message = 5 }, setmetatable({}, {
          __index = function() error("boom") end }), 5, "x" } do
        assert(type(ts(e)) == "string")
      end
      local e = intspect.new_error("ValueError", "m")
      e.type = {}
      assert(tostring(e) == "Error: m")
      print("DONE")
    ]])
  end)

  it("an error object whose __tostring fails, raised to the top", function()
    survives([[
      intspect.error_metatable.__tostring = function() error("no text") end
      local R = intspect.runtime{}
      local _ = R:int(1) // 0
    ]], true)
  end)
end)

describe_exe("hostile scripts: coroutines, errors and yields", function()
  it("handles and runtimes across coroutines, closed and abandoned", function()
    survives([[
      local R = intspect.runtime{}
      local cos = {}
      for i = 1, 50 do
        local co = coroutine.create(function(x)
          local a = R:int(x) ^ 20
          local y = coroutine.yield(a)
          local b = a + y
          coroutine.yield(b)
          R:close()
          return a + 1
        end)
        cos[i] = co
        try(coroutine.resume, co, i)
      end
      for i = 1, 50, 2 do try(coroutine.resume, cos[i], R:int(i)) end
      for i = 2, 50, 4 do coroutine.close(cos[i]) end
      try(coroutine.resume, cos[3], 5)
      try(coroutine.resume, cos[3])
      for i = 1, 50 do try(coroutine.resume, cos[i], 1) end
      cos = nil
      collectgarbage(); collectgarbage()
      print("DONE")
    ]])
  end)

  it("metamethods and finalizers that yield or raise", function()
    survives([[
      local R = intspect.runtime{}
      local imt = debug.getmetatable(R:int(1))
      local add = imt.__add
      imt.__add = function(a, b) coroutine.yield("mid") return add(a, b) end
      local co = coroutine.wrap(function() return R:int(40) + 2 end)
      assert(co() == "mid")
      print(co())
      try(function() return R:int(1) + 1 end)     -- yield outside a coroutine
      imt.__add = function() error(setmetatable({}, { __tostring = function() error("x") end })) end
      local ok = pcall(function() return R:int(1) + 1 end)
      assert(not ok)
      imt.__add = add
      for i = 1, 50 do
        setmetatable({}, { __gc = function() coroutine.yield() end })
        setmetatable({}, { __gc = function() error({}) end })
      end
      local co2 = coroutine.create(function()
        for i = 1, 200 do local x = R:int(i) ^ 30; coroutine.yield(x) end
      end)
      for i = 1, 100 do coroutine.resume(co2) end
      collectgarbage(); collectgarbage()
      print(R:int(1) + 1)
      print("DONE")
    ]])
  end)

  it("a runtime closed and reset by a coroutine while another holds ints", function()
    survives([[
      local R = intspect.runtime{ profile = "cpython3.14" }
      local held = {}
      local co = coroutine.wrap(function()
        for i = 1, 10 do held[#held + 1] = R:int(i) ^ 40; coroutine.yield() end
      end)
      co(); co(); co()
      try(R.reset, R)
      for _, h in ipairs(held) do try(function() return h + 1 end) end
      co(); co()
      R:close()
      for _, h in ipairs(held) do try(function() return h + 1 end); try(h.release, h) end
      try(co)
      print("DONE")
    ]])
  end)
end)

describe_exe("hostile scripts: lifetime", function()
  it("handles outlive their runtime; the state closes with everything open", function()
    survives([[
      local hs = {}
      for i = 1, 20 do
        local R = intspect.runtime{ profile = intspect.profiles[i % 5 + 1] }
        hs[i] = R:int(2) ^ (60 + i)
        if i % 3 == 0 then R:close() end
      end
      collectgarbage(); collectgarbage()
      for i = 1, 20 do try(function() return hs[i] + 1 end) end
      local stripped = intspect.runtime{}
      debug.getmetatable(stripped).__gc = nil
      local _ = stripped:int(10) ^ 50
      print("DONE")
    ]])
  end)

  it("to-be-closed handles and runtimes, closed twice", function()
    survives([[
      local R = intspect.runtime{}
      do
        local a <close> = R:int(10) ^ 20
        local S <close> = intspect.runtime{}
        local b <close> = S:int(5)
        a:release()
        S:close()
      end
      local ok = try(function()
        local c <close> = R:int(3)
        error(intspect.new_error("ValueError", "inside"))
      end)
      assert(not ok)
      print("DONE")
    ]])
  end)
end)
