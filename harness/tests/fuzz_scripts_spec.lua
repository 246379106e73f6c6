-- fuzz_scripts_spec.lua -- the fuzzing commands' answers to a wrong
-- command line: `intspect fuzz TARGET` (fuzz/campaign.sh), the planted-bug
-- benchmark fuzz/bugs/run, the speed benchmarks and fuzz/cflite.sh.  Each
-- must stop with status 2 and a message naming what is wrong, before it
-- builds or fuzzes anything, so these cases take milliseconds.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local root = here .. "../../"
local exe = os.getenv("INTSPECT_EXE")

local P = dofile(here .. "helpers/proc.lua")
local q = P.q

-- Run 'cmd' (a script under the root, or intspect), expect status 2 and
-- every string of 'wants' in its stderr, and nothing on stdout.
local function refuses(cmd, args, wants)
  local code, out, err = P.run(cmd .. " " .. args .. " </dev/null")
  assert.are.equal(2, code, cmd .. " " .. args .. ": " .. err)
  for _, want in ipairs(wants) do
    assert.is_truthy(err:find(want, 1, true),
                     cmd .. " " .. args .. ": '" .. want .. "' not in: " .. err)
  end
  assert.are.equal("", out, cmd .. " " .. args .. " wrote to stdout")
end

local describe_exe = exe and describe or pending

describe_exe("intspect fuzz TARGET, a wrong command line", function()
  local fuzz = q(exe) .. " fuzz"
  local hint = "run 'intspect help fuzz' for usage"
  it("no target, an unknown one, or a property given as a target name", function()
    refuses(fuzz, "", {"missing TARGET", hint})
    refuses(fuzz, "nosuch", {"unknown target 'nosuch'", "alloc arith bytes str", hint})
  end)
  it("a bad engine, time, job count or option", function()
    refuses(fuzz, "arith --engine foo", {"--engine must be libfuzzer or afl (got 'foo')", hint})
    refuses(fuzz, "arith --time abc", {"--time must be a number of seconds", "(got 'abc')"})
    refuses(fuzz, "arith --jobs 0", {"--jobs must be a positive integer (got '0')"})
    refuses(fuzz, "arith --frobnicate", {"unknown option '--frobnicate'", hint})
  end)
  it("the coverage sanitizer, which measures and does not fuzz", function()
    refuses(fuzz, "arith --sanitizer coverage", {"fuzz/cflite.sh coverage"})
    refuses(fuzz, "arith --sanitizer memory", {"--sanitizer must be address, undefined or none"})
  end)
end)

describe("fuzz/bugs/run, a wrong command line", function()
  local run = q(root .. "fuzz/bugs/run")
  it("an option without its value", function()
    refuses(run, "--time", {"run: --time needs a value"})
    refuses(run, "--unit-timeout ''", {"run: --unit-timeout needs a value"})
  end)
  it("a value that is not a positive whole number", function()
    refuses(run, "--unit-timeout x", {"take whole numbers"})
    refuses(run, "--time 1.5", {"take whole numbers"})
    refuses(run, "--jobs 0", {"must be > 0"})
  end)
  it("an unknown option, and a bug with no patch", function()
    refuses(run, "--frobnicate", {"unknown option --frobnicate"})
    refuses(run, "99", {"no patch fuzz/bugs/99*.patch"})
  end)
end)

describe("the fuzzing benchmarks, a wrong command line", function()
  local execs = q(root .. "fuzz/bench_execs.sh")
  local lua = q(root .. "fuzz/bench_lua.sh")
  it("bench_execs.sh: time, CPU, sanitizer, target, option", function()
    refuses(execs, "--time 0", {"--time must be a positive number of seconds"})
    refuses(execs, "--cpu 4096", {"--cpu must be a CPU number below"})
    refuses(execs, "--sanitizers memory", {"sanitizer 'memory': address, undefined or none"})
    refuses(execs, "--targets nosuch", {"unknown target 'nosuch'"})
    refuses(execs, "--frobnicate", {"unknown argument '--frobnicate'"})
  end)
  it("bench_lua.sh: rounds, sanitizer", function()
    refuses(lua, "--rounds x", {"--rounds must be a positive number"})
    refuses(lua, "--sanitizer memory", {"--sanitizer: address, undefined or none"})
  end)
end)

describe("fuzz/cflite.sh, a wrong command line", function()
  it("an unknown mode, sanitizer or time", function()
    local cflite = q(root .. "fuzz/cflite.sh")
    refuses(cflite, "nosuch", {"unknown mode 'nosuch'"})
    refuses("SANITIZER=memory " .. cflite, "build", {"SANITIZER must be address, undefined, coverage or none (got 'memory')"})
    refuses(cflite, "code-change 10m", {"SECS must be a number of seconds (got '10m')"})
    refuses("SANITIZER=none " .. cflite, "batch", {"batch fuzzes with SANITIZER=address or undefined (got 'none')"})
  end)
end)
