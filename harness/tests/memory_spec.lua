-- memory_spec.lua -- out of memory in a script is a MemoryError object.
--
-- The runtime's failed allocations raise the module's MemoryError; Lua's
-- own (a table or a string that cannot grow) raise a fixed string, which
-- the executable's pcall and xpcall turn into the same kind of object,
-- and which `intspect run` reports as "MemoryError: not enough memory".
-- Memory is bounded with the shell's `ulimit -v` in a child process; a
-- build whose start-up needs more address space than the bound (the
-- AddressSanitizer build reserves terabytes of shadow memory) cannot run
-- under it, and these cases are then reported pending, not passed.

local exe = os.getenv("INTSPECT_EXE")
local LIMIT_KB = 600000

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local P = dofile(here .. "helpers/proc.lua")

-- Run 'script' under the bound; exit status, stdout, stderr.
local function run_bounded(script)
  local src = P.temp(script)
  local code, out, err = P.run("ulimit -v " .. LIMIT_KB .. "; " .. P.q(exe) .. " run " .. P.q(src))
  os.remove(src)
  return code, out, err
end

local bounded_ok = exe ~= nil and run_bounded("print('up')") == 0
local describe_bounded = bounded_ok and describe or pending

describe_bounded("out of memory under `ulimit -v`", function()
  it("Lua's own memory errors reach pcall and xpcall as MemoryError objects", function()
    local code, out, err = run_bounded([[
      local function grow() local t = {} for i = 1, 1e10 do t[i] = {i} end end
      local ok, e = pcall(grow)
      collectgarbage()
      print("pcall", ok, type(e), e.type, e.message, tostring(e))
      ok, e = xpcall(grow, function(m) return "handler saw " .. tostring(m) end)
      collectgarbage()
      print("xpcall", ok, type(e), e.type)
    ]])
    assert.are.equal(0, code, err)
    assert.matches("pcall\tfalse\ttable\tMemoryError\tnot enough memory\tMemoryError: not enough memory",
                   out, 1, true)
    -- Lua calls no message handler for a memory error
    assert.matches("xpcall\tfalse\ttable\tMemoryError", out, 1, true)
  end)

  it("the runtime's failed allocations are MemoryError objects, and the runtime stays usable", function()
    local code, out, err = run_bounded([[
      local R = intspect.runtime()
      local ok, e = pcall(function()
        local t = {}
        for i = 1, 1e9 do t[i] = R:int(1) << 4000 end
      end)
      collectgarbage()
      collectgarbage()
      print("caught", ok, type(e), e.type)
      local v = R:int(2) ^ 10
      print("after", tostring(v), R:stats().live)
    ]])
    assert.are.equal(0, code, err)
    assert.matches("caught\tfalse\ttable\tMemoryError", out, 1, true)
    assert.matches("after\t1024\t1", out, 1, true)
  end)

  it("uncaught, `intspect run` says MemoryError and exits 1", function()
    local code, _, err = run_bounded("local t = {} for i = 1, 1e10 do t[i] = {i} end")
    assert.are.equal(1, code)
    assert.matches("MemoryError: not enough memory", err, 1, true)
  end)
end)
