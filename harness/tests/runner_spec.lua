-- runner_spec.lua -- the command line and the spec runner, seen from outside.
--
-- Each case runs the intspect executable ($INTSPECT_EXE, which the runner
-- sets for its children) on the fixtures in fixtures/ and checks the exit
-- status and what it printed.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local fixtures = here .. "fixtures/"
local exe = os.getenv("INTSPECT_EXE")

local P = dofile(here .. "helpers/proc.lua")
local q = P.q

-- Run the executable; returns the exit code, stdout and stderr.
local function run(args, opts)
  opts = opts or {}
  local cmd = (opts.env and opts.env .. " " or "") .. q(exe) .. " " .. args
  if opts.cwd then cmd = "cd " .. q(opts.cwd) .. " && " .. cmd end
  return P.run(cmd)
end

local function last_line(s)
  return s:match("([^\n]*)\n?$")
end

local function count(s, pattern)
  local n = 0
  for _ in s:gmatch(pattern) do n = n + 1 end
  return n
end

local describe_exe = exe and describe or pending

describe_exe("intspect spec", function()
  it("names the file, the case, the expected and the actual value of a failure", function()
    local code, out = run("spec -o plainTerminal " .. q(fixtures .. "failing.lua"))
    assert.are.equal(1, code)
    assert.truthy(out:find("fixtures/failing.lua", 1, true))
    assert.truthy(out:find("fixture compares the wrong answer", 1, true))
    assert.truthy(out:find("Expected:\n(number) 42", 1, true))
    assert.truthy(out:find("Passed in:\n(number) 41", 1, true))
    assert.are.equal("1 passed, 1 failed", last_line(out))
  end)

  it("reports a crash and a hang by file name and still runs the other files", function()
    local code, out = run("spec --timeout 1 -o plainTerminal "
      .. q(fixtures .. "crash.lua") .. " " .. q(fixtures .. "loop.lua") .. " "
      .. q(fixtures .. "failing.lua") .. " " .. q(fixtures .. "early_exit.lua"))
    assert.are.equal(1, code)
    assert.truthy(out:find("fixtures/crash.lua crashed (signal 6", 1, true))
    assert.truthy(out:find("fixtures/loop.lua timed out", 1, true))
    assert.truthy(out:find("fixtures/early_exit.lua exited with status 0 before finishing", 1, true))
    -- failing.lua ran: its passing case and its failure are counted, as is
    -- the case that ran before the crash
    assert.truthy(out:find("fixture compares the wrong answer", 1, true))
    assert.are.equal("2 passed, 4 failed", last_line(out))
  end)

  it("counts a file that does not compile as an error naming it", function()
    local code, out = run("spec -o plainTerminal " .. q(fixtures .. "broken.lua") .. " "
      .. q(fixtures .. "profiles.lua") .. " --profile cpython3.12")
    assert.are.equal(1, code)
    assert.truthy(out:find("fixtures/broken.lua:3:", 1, true))
    assert.are.equal("3 passed, 1 failed, 1 skipped", last_line(out))
  end)

  it("runs describe_profiles once per profile, or only for --profile", function()
    local intspect = require "intspect"
    local n = #intspect.profiles
    local code, out = run("spec -o plainTerminal " .. q(fixtures .. "profiles.lua"))
    assert.are.equal(0, code)
    assert.are.equal(("%d passed, 0 failed, 1 skipped"):format(2 * n + 1), last_line(out))
    code, out = run("spec -o plainTerminal --profile cpython2.7 " .. q(fixtures .. "profiles.lua"))
    assert.are.equal(0, code)
    assert.are.equal("3 passed, 0 failed, 1 skipped", last_line(out))
  end)

  it("passes busted's --filter through", function()
    local code, out = run("spec -o plainTerminal --filter 'passes first' " .. q(fixtures .. "failing.lua"))
    assert.are.equal(0, code)
    assert.are.equal("1 passed, 0 failed", last_line(out))
  end)

  it("merges TAP into one stream with one plan", function()
    local code, out = run("spec -o TAP --timeout 1 " .. q(fixtures .. "failing.lua") .. " "
      .. q(fixtures .. "crash.lua") .. " " .. q(fixtures .. "profiles.lua"))
    assert.are.equal(1, code)
    assert.are.equal(1, count(out, "\n1%.%.%d+\n"))
    local numbers = {}
    for n in out:gmatch("\n[not ]*ok (%d+)") do numbers[#numbers + 1] = tonumber(n) end
    for k, n in ipairs(numbers) do assert.are.equal(k, n) end
    assert.are.equal("1.." .. #numbers, out:match("\n(1%.%.%d+)\n"))
    assert.truthy(out:find("not ok %d+ %- [^\n]*crash%.lua crashed"))
    assert.truthy(out:find("^TAP version 13\n"))
  end)

  it("merges JUnit into one <testsuites> document", function()
    local code, out, err = run("spec -o junit --timeout 1 " .. q(fixtures .. "failing.lua")
      .. " " .. q(fixtures .. "crash.lua"))
    assert.are.equal(1, code)
    assert.are.equal(1, count(out, "<testsuites[ >]"))
    assert.are.equal(1, count(out, "</testsuites>"))
    assert.are.equal(2, count(out, "<testsuite[ >]"))
    assert.truthy(out:find('<testsuites name="intspect spec" tests="4" failures="1" errors="1"', 1, true))
    assert.truthy(out:find('name="' .. fixtures .. 'failing.lua"', 1, true))
    assert.truthy(out:find("crash.lua crashed", 1, true))
    assert.are.equal("2 passed, 2 failed", last_line(err))
  end)

  it("exits 2 on usage errors, naming the problem", function()
    local code, _, err = run("spec --no-such-option " .. q(fixtures .. "failing.lua"))
    assert.are.equal(2, code)
    assert.truthy(err:find("no-such-option", 1, true))
    code, _, err = run("spec --profile cpython9 " .. q(fixtures .. "failing.lua"))
    assert.are.equal(2, code)
    assert.truthy(err:find("unknown profile 'cpython9'", 1, true))
    code, _, err = run("spec " .. q(fixtures .. "no-such-file.lua"))
    assert.are.equal(2, code)
    assert.truthy(err:find("no such file or directory", 1, true))
    code, _, err = run("spec --timeout")
    assert.are.equal(2, code)
    assert.truthy(err:find("--timeout", 1, true))
    code, _, err = run("spec --lua=lua5.4")
    assert.are.equal(2, code)
  end)

  it("exits 1 when a directory holds no spec files", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir " .. q(dir)))
    local code, _, err = run("spec " .. q(dir))
    os.execute("rmdir " .. q(dir))
    assert.are.equal(1, code)
    assert.truthy(err:find("no spec files", 1, true))
  end)

  it("finds *_spec.lua recursively and ignores other files", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. q(dir .. "/sub")))
    local function put(name, text)
      local f = assert(io.open(dir .. "/" .. name, "w"))
      f:write(text)
      f:close()
    end
    put("sub/x_spec.lua", 'it("x", function() end)')
    put("y_spec.lua", 'it("y", function() end)')
    put("helper.lua", 'error("not a spec")')
    local code, out = run("spec -o plainTerminal", { cwd = dir })
    local code2, out2 = run("spec -o plainTerminal " .. q(dir))
    os.execute("rm -r " .. q(dir))
    -- with no PATH the default is specs/, which this directory lacks
    assert.are.equal(2, code)
    assert.are.equal("", out)
    assert.are.equal(0, code2)
    assert.are.equal("2 passed, 0 failed", last_line(out2))
  end)
end)

describe_exe("intspect spec: busted's options", function()
  -- a tree of spec files: a/one_spec.lua, a/sub/two_spec.lua,
  -- a/three_test.lua, a/skip_me_spec.lua
  local dir
  before_each(function()
    dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. q(dir .. "/a/sub")))
    local function put(name, text)
      local f = assert(io.open(dir .. "/" .. name, "w"))
      f:write(text)
      f:close()
    end
    put("a/one_spec.lua", 'it("one", function() end)')
    put("a/sub/two_spec.lua", 'it("two", function() end)')
    put("a/three_test.lua", 'it("three", function() end)')
    put("a/skip_me_spec.lua", 'it("skip me", function() error("ran") end)')
  end)
  after_each(function()
    os.execute("rm -r " .. q(dir))
  end)

  local function names(out)
    local t = {}
    for l in out:gmatch("([^\n]*)\n") do
      if not l:find(" passed, ", 1, true) then t[#t + 1] = l:match("([%w ]+)$") end
    end
    table.sort(t)
    return table.concat(t, ",")
  end

  it("knows every option busted --help documents: each is acted on or passed on", function()
    -- each option, then --help: an option the runner does not handle would
    -- be refused as unknown before --help is reached
    local f = io.popen("busted --help 2>&1")
    local help = f and f:read("a") or ""
    if f then f:close() end
    assert.truthy(help:find("OPTIONS:", 1, true), "stock busted is needed (lua-busted)")
    local seen = 0
    for line in help:gmatch("[^\n]+") do
      local spec = line:match("^  (%-%S.-)%s%s") or line:match("^  (%-%S+)$")
      if spec then
        local takes = spec:find("=%u") or spec:find("^%-%w+ %u") ~= nil
        for token in spec:gmatch("[^,]+") do
          token = token:match("^%s*(.-)%s*$")
          local forms = {}
          local neg = token:match("^%-%-%[no%-%]([%w%-]+)$")
          if neg then
            forms = { "--" .. neg, "--no-" .. neg }
          else
            local name = token:match("^(%-%-?[%w%-]+)")
            forms = { takes and (name:sub(1, 2) == "--" and name .. "=x" or name .. " x") or name }
          end
          for _, arg in ipairs(forms) do
            if arg ~= "--version" and arg ~= "--help" then
              local code, out, err = run("spec " .. arg .. " --help")
              seen = seen + 1
              if arg:match("^%-%-lua=") then
                assert.are.equal(2, code)
                assert.truthy(err:find("runs its own Lua", 1, true))
              else
                assert.are.equal(0, code, arg .. ": " .. err)
                assert.truthy(out:find("^usage: intspect spec"), arg)
              end
            end
          end
        end
      end
    end
    assert.truthy(seen >= 40, "only " .. seen .. " options found in busted --help")
  end)

  it("--pattern and --exclude-pattern select files as busted does", function()
    local code, out = run("spec -o plainTerminal --list --pattern _test " .. q(dir .. "/a"))
    assert.are.equal(0, code)
    assert.are.equal("three", names(out))
    code, out = run("spec -o plainTerminal --list -p _test -p one " .. q(dir .. "/a"))
    assert.are.equal("one,three", names(out))
    code, out = run("spec -o plainTerminal --exclude-pattern skip " .. q(dir .. "/a"))
    assert.are.equal(0, code)
    assert.are.equal("2 passed, 0 failed", last_line(out))
  end)

  it("--no-recursive stays in the directories named", function()
    local code, out = run("spec -o plainTerminal --list --no-recursive " .. q(dir .. "/a"))
    assert.are.equal(0, code)
    assert.are.equal("one,skip me", names(out))
  end)

  it("-C changes directory first; paths and -Xoutput are relative to it", function()
    local code, out = run("spec -o plainTerminal -C " .. q(dir) .. " --exclude-pattern=skip a")
    assert.are.equal(0, code)
    assert.are.equal("2 passed, 0 failed", last_line(out))
    code = run("spec -o junit -Xoutput out.xml -C " .. q(dir) .. " a/one_spec.lua")
    assert.are.equal(0, code)
    local f = io.open(dir .. "/out.xml")
    assert.truthy(f)
    f:close()
    local err
    code, _, err = run("spec -o junit -Xoutput " .. q(dir .. "/nowhere/out.xml") .. " "
      .. q(dir .. "/a/one_spec.lua"))
    assert.are.equal(1, code)
    assert.truthy(err:find("intspect spec: cannot write the JUnit document: ", 1, true))
    code, _, err = run("spec -C " .. q(dir .. "/nowhere") .. " a")
    assert.are.equal(2, code)
    assert.truthy(err:find("cannot change to directory", 1, true))
  end)

  it("--no-keep-going stops at the first failing file", function()
    local code, out, err = run("spec -o plainTerminal --no-keep-going --jobs 1 "
      .. q(fixtures .. "failing.lua") .. " " .. q(dir .. "/a"))
    assert.are.equal(1, code)
    assert.are.equal("1 passed, 1 failed", last_line(out))
    assert.truthy(err:find("stopped after the first failure (--no-keep-going); 3 later files left out", 1, true))
    -- and inside a file: nothing runs after the first failure
    code, out = run("spec -o plainTerminal --no-keep-going "
      .. q(fixtures .. "failing.lua") .. " --filter-out passes")
    assert.are.equal("0 passed, 1 failed", last_line(out))
  end)

  it("--shuffle-files runs every file, in an order the seed fixes", function()
    local code, out, err = run("spec -o plainTerminal --shuffle-files --seed 7 --exclude-pattern skip "
      .. q(dir .. "/a"))
    assert.are.equal(0, code)
    assert.are.equal("2 passed, 0 failed", last_line(out))
    assert.truthy(err:find("random order (--seed 7)", 1, true))
  end)

  it("refuses what it cannot do, with exit 2", function()
    for _, args in ipairs { "--no-such-option", "-o nosuchformat", "--output=nosuchformat",
                            "--lang xx", "--loaders nosuchloader", "--lua=lua5.4", "-x" } do
      local code, out, err = run("spec " .. args .. " " .. q(dir .. "/a"))
      assert.are.equal(2, code, args)
      assert.are.equal("", out, args)
      assert.truthy(err:find("intspect spec: ", 1, true), args)
    end
    local _, _, err = run("spec -o nosuchformat " .. q(dir .. "/a"))
    assert.truthy(err:find("unknown output format 'nosuchformat'", 1, true))
    if not pcall(require, "luacov") then
      local code
      code, _, err = run("spec --coverage " .. q(dir .. "/a"))
      assert.are.equal(2, code)
      assert.truthy(err:find("LuaCov", 1, true))
    end
  end)

  it("a profile typo, in --profile or INTSPECT_PROFILE, names the profiles (exit 2)", function()
    local code, out, err = run("spec --profile bogus " .. q(fixtures .. "profiles.lua"))
    assert.are.equal(2, code)
    assert.are.equal("", out)
    assert.truthy(err:find("unknown profile 'bogus' (profiles: cpython3.14", 1, true))
    code, out, err = run("spec --profile=bogus " .. q(fixtures .. "profiles.lua"))
    assert.are.equal(2, code)
    code, out, err = run("spec " .. q(fixtures .. "profiles.lua"), { env = "INTSPECT_PROFILE=bogus" })
    assert.are.equal(2, code)
    assert.are.equal("", out)
    assert.truthy(err:find("unknown profile 'bogus' in INTSPECT_PROFILE (profiles: ", 1, true))
    code, out = run("spec -o plainTerminal " .. q(fixtures .. "profiles.lua"),
                    { env = "INTSPECT_PROFILE=cpython2.7" })
    assert.are.equal(0, code)
    assert.are.equal("3 passed, 0 failed, 1 skipped", last_line(out))
  end)

  it("no test run is a failure, except with --list", function()
    local code, out, err = run("spec -o plainTerminal --filter nothing-matches "
      .. q(fixtures .. "failing.lua"))
    assert.are.equal(1, code)
    assert.are.equal("0 passed, 0 failed", last_line(out))
    assert.truthy(err:find("no test ran", 1, true))
    code, out = run("spec -o plainTerminal --list " .. q(fixtures .. "failing.lua"))
    assert.are.equal(0, code)
    assert.truthy(out:find("fixture passes first", 1, true))
  end)

  it("passes the others through to busted: --tags, -e, --repeat, --suppress-pending", function()
    local code, out = run("spec -o plainTerminal --repeat 3 " .. q(dir .. "/a/one_spec.lua"))
    assert.are.equal(0, code)
    assert.are.equal("3 passed, 0 failed", last_line(out))
    code, out = run("spec -o plainTerminal -e 'GREETING = 1' "
      .. q(fixtures .. "profiles.lua") .. " --tags nothing")
    assert.are.equal(1, code)
    code, out = run("spec -o TAP --suppress-pending " .. q(fixtures .. "profiles.lua"))
    assert.are.equal(0, code)
    assert.falsy(out:find("SKIP", 1, true))
  end)
end)

describe_exe("intspect spec and memory", function()
  it("out of memory in Lua is a MemoryError object in the spec, located there", function()
    local code, out = run("spec -o plainTerminal --max-memory 16 "
      .. q(fixtures .. "out_of_memory.lua"))
    assert.are.equal(1, code)
    assert.truthy(out:find("fixtures/out_of_memory.lua:8: MemoryError: not enough memory", 1, true))
    assert.are.equal("2 passed, 1 failed", last_line(out))
    local err
    code, _, err = run("spec --max-memory lots " .. q(fixtures .. "out_of_memory.lua"))
    assert.are.equal(2, code)
    assert.truthy(err:find("--max-memory", 1, true))
  end)
end)

describe_exe("intspect spec and its process groups", function()
  local function alive(pid)
    local f = io.open("/proc/" .. pid .. "/stat")
    if not f then return false end
    local stat = f:read("a")
    f:close()
    return stat:match("^%d+ %b() (%a)") ~= "Z"
  end

  local function sleep(s) os.execute("sleep " .. s) end

  for _, how in ipairs { "TERM", "INT", "KILL" } do
    it("kills what a spec started when the runner gets SIG" .. how, function()
      local pidfile = os.tmpname()
      os.remove(pidfile)
      local log = os.tmpname()
      local p = assert(io.popen("INTSPECT_TEST_PIDFILE=" .. q(pidfile) .. " " .. q(exe)
        .. " spec " .. q(fixtures .. "grandchild.lua") .. " >" .. q(log) .. " 2>&1 & echo $!"))
      local runner = p:read("l")
      p:close()
      local grandchild
      for _ = 1, 100 do
        local f = io.open(pidfile)
        if f then grandchild = f:read("l"); f:close() end
        if grandchild and grandchild ~= "" then break end
        sleep(0.1)
      end
      assert.truthy(grandchild and grandchild:match("^%d+$"))
      assert.is_true(alive(grandchild))
      os.execute("kill -" .. how .. " " .. runner)
      for _ = 1, 50 do
        if not alive(grandchild) and not alive(runner) then break end
        sleep(0.1)
      end
      local left = alive(grandchild)
      if left then os.execute("kill -9 " .. grandchild) end
      os.remove(pidfile)
      os.remove(log)
      assert.is_false(alive(runner))
      assert.is_false(left)
    end)
  end
end)

describe_exe("intspect run", function()
  it("runs a script with the module loaded and its arguments in arg", function()
    local script = os.tmpname()
    local f = assert(io.open(script, "w"))
    f:write([[
      local R = intspect.runtime{}
      assert(require("intspect") == intspect)
      print(arg[1], select("#", ...), tostring(R:int(arg[2]) * 2))
    ]])
    f:close()
    local code, out = run("run " .. q(script) .. " hello 21")
    assert.are.equal(0, code)
    assert.are.equal("hello\t2\t42\n", out)
    f = assert(io.open(script, "w"))
    f:write("local R = intspect.runtime{}\nlocal x = R:int(1) // 0\n")
    f:close()
    local code2, out2, err2 = run("run " .. q(script))
    os.remove(script)
    assert.are.equal(1, code2)
    assert.are.equal("", out2)
    assert.truthy(err2:find("ZeroDivisionError: ", 1, true))
  end)

  it("reads the script from stdin with -, prints its usage with --help", function()
    local script = os.tmpname()
    local f = assert(io.open(script, "w"))
    f:write("print(arg[0], select('#', ...), arg[2], tostring(intspect.runtime{}:int(6) * 7))\n")
    f:close()
    local code, out = run("run - x y <" .. q(script))
    os.remove(script)
    assert.are.equal(0, code)
    assert.are.equal("-\t2\ty\t42\n", out)
    code, out = run("run --help")
    assert.are.equal(0, code)
    assert.truthy(out:find("^usage: intspect run"))
    local err
    code, out, err = run("run -q")
    assert.are.equal(2, code)
    assert.truthy(err:find("unknown option '-q'", 1, true))
  end)

  it("exits 2 without a script and 1 when the script cannot be read", function()
    local code, _, err = run("run")
    assert.are.equal(2, code)
    assert.truthy(err:find("missing FILE.lua", 1, true))
    code = run("run /nonexistent/x.lua")
    assert.are.equal(1, code)
  end)
end)

describe_exe("intspect replay", function()
  it("fails on a directory named on purpose that holds no inputs", function()
    local code, out = run("help")
    if not out:find("\n  replay ", 1, true) then return end   -- built without the fuzz targets
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir " .. q(dir)))
    local err
    code, out, err = run("replay " .. q(dir))
    os.execute("rmdir " .. q(dir))
    assert.are.equal(1, code)
    assert.are.equal("0 passed, 0 failed", last_line(out))
    assert.truthy(err:find(dir .. ": no inputs found", 1, true))
  end)
end)

describe_exe("intspect help and --version", function()
  it("lists the commands that exist", function()
    local code, out = run("help")
    assert.are.equal(0, code)
    assert.truthy(out:find("\n  spec ", 1, true))
    assert.truthy(out:find("\n  run ", 1, true))
    code, out = run("help spec")
    assert.are.equal(0, code)
    assert.truthy(out:find("--profile", 1, true))
  end)

  it("rejects unknown commands with status 2", function()
    local code, _, err = run("frobnicate")
    assert.are.equal(2, code)
    assert.truthy(err:find("unknown command 'frobnicate'", 1, true))
    code = run("help frobnicate")
    assert.are.equal(2, code)
    code = run("")
    assert.are.equal(2, code)
  end)

  it("prints the version", function()
    local intspect = require "intspect"
    local code, out = run("--version")
    assert.are.equal(0, code)
    assert.are.equal("intspect " .. intspect.version .. "\n", out)
  end)
end)
