-- documents_spec.lua -- the runner's machine-readable outputs, each read
-- by a standard reader of its format rather than by patterns here:
--   -o json   Python's json module (Debian's python3, not a pyenv one)
--   -o junit  xmllint against fixtures/junit.xsd, and XPath for the counts
--   -o TAP    prove (Perl's Test::Harness), as CI runs it
-- The specs run include one that prints TAP, JSON and XML lookalikes and
-- bytes that are not UTF-8, one that crashes after a passing case, one
-- that does not compile, and one whose file name needs escaping.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local fixtures = here .. "fixtures/"
local exe = os.getenv("INTSPECT_EXE")

local PYTHON = "/usr/bin/python3"   -- Debian's (build.sh installs python3)
local XMLLINT = "/usr/bin/xmllint"  -- libxml2-utils
local PROVE = "/usr/bin/prove"      -- perl

local P = dofile(here .. "helpers/proc.lua")
local q = P.q

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function put(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- Run a shell command; the exit code, stdout and stderr.
local sh = P.run

local function need(tool, package)
  local f = io.open(tool, "r")
  if f then f:close(); return end
  error(("%s is missing: install the Debian package %s (./build.sh does)"):format(tool, package), 2)
end

-- A temporary directory holding a copy of a fixture under a file name
-- with a quote, an apostrophe, a backslash, a tab, XML's specials and a
-- byte that is not UTF-8.
local ODD_NAME = "we\"ird 'na\\me'\t<&>\255_spec.lua"
local function odd_dir()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir " .. q(dir)))
  put(dir .. "/" .. ODD_NAME, slurp(fixtures .. "failing.lua"))
  return dir
end

local describe_exe = exe and describe or pending

describe_exe("intspect spec -o json", function()
  it("is one valid JSON document whatever the specs print, crash or fail to parse", function()
    need(PYTHON, "python3")
    local dir = odd_dir()
    local doc = os.tmpname()
    local code, _, err = sh(q(exe) .. " spec -o json --timeout 5 " .. q(fixtures .. "printing.lua")
      .. " " .. q(fixtures .. "crash.lua") .. " " .. q(fixtures .. "broken.lua") .. " "
      .. q(dir .. "/" .. ODD_NAME) .. " >" .. q(doc))
    assert.are.equal(1, code)
    assert.are.equal("3 passed, 4 failed, 1 skipped", err:match("([^\n]*)\n$"))
    -- Python reads it (strictly: no NaN, no control characters in strings)
    -- and prints, per file, its name as JSON and the counts.
    local script = os.tmpname()
    put(script, [[
import json, sys
def reject(c):
    raise ValueError("not JSON: " + c)
with open(sys.argv[1], "rb") as f:
    doc = json.loads(f.read().decode("utf-8"), parse_constant=reject)
for o in doc:
    print(json.dumps(o["file"]), len(o["successes"]), len(o["failures"]),
          len(o["errors"]), len(o["pendings"]), json.dumps(o.get("error")))
    print(json.dumps(o["output"]))
]])
    local pcode, out, perr = sh(q(PYTHON) .. " -I " .. q(script) .. " " .. q(doc))
    os.remove(script)
    os.remove(doc)
    os.execute("rm -r " .. q(dir))
    assert.are.equal("", perr)
    assert.are.equal(0, pcode)
    local lines = {}
    for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.are.equal(8, #lines)
    local p = fixtures .. "printing.lua"
    assert.are.equal(('"%s" 1 1 0 1 null'):format(p), lines[1])
    -- what the spec printed is kept, as a string, bytes that are not UTF-8
    -- written \xNN
    assert.truthy(lines[2]:find([[ok 1 - a test point printed by the spec\n]], 1, true))
    assert.truthy(lines[2]:find([[</testsuite></testsuites><testsuites>\n]], 1, true))
    assert.truthy(lines[2]:find([[NUL\u0000 BEL\u0007 ESC\u001b invalid \\xFF\\xFE UTF-8]], 1, true))
    local c = fixtures .. "crash.lua"
    assert.are.equal(('"%s" 1 0 0 0 "%s crashed (signal 6, Aborted)"'):format(c, c), lines[3])
    assert.are.equal(('"%s" 0 0 1 0 null'):format(fixtures .. "broken.lua"), lines[5])
    assert.are.equal(('"%s/we\\"ird \'na\\\\me\'\\t<&>\\\\xFF_spec.lua" 1 1 0 0 null')
      :format(dir), lines[7])
  end)
end)

describe_exe("intspect spec -o junit", function()
  local xpath_counts = table.concat({
    "count(/testsuites/*[not(self::testsuite)]) = 0",
    "count(//testcase) = /testsuites/@tests",
    "count(//testcase/failure) = /testsuites/@failures",
    "count(//testcase/error) = /testsuites/@errors",
    "count(//testcase/skipped) = /testsuites/@skipped",
    "count(//testsuite[count(testcase) != @tests]) = 0",
    "count(//testsuite[count(testcase/failure) != @failures]) = 0",
    "count(//testsuite[count(testcase/error) != @errors]) = 0",
    "count(//testsuite[count(testcase/skipped) != @skipped]) = 0",
  }, " and ")

  local function check(doc)
    need(XMLLINT, "libxml2-utils")
    local code, _, err = sh(q(XMLLINT) .. " --noout --schema " .. q(fixtures .. "junit.xsd")
      .. " " .. q(doc))
    assert.are.equal(0, code, err)
    local xcode, out = sh(q(XMLLINT) .. " --xpath " .. q(xpath_counts) .. " " .. q(doc))
    assert.are.equal(0, xcode)
    assert.are.equal("true", out:match("^%s*(.-)%s*$"))
  end

  local function xpath(doc, expr)
    local _, out = sh(q(XMLLINT) .. " --xpath " .. q(expr) .. " " .. q(doc))
    return out:match("^%s*(.-)%s*$")
  end

  it("is valid against the JUnit schema, counts matching the testcases present", function()
    local dir = odd_dir()
    local doc = os.tmpname()
    local code, out, err = sh(q(exe) .. " spec -o junit --timeout 5 -Xoutput " .. q(doc) .. " "
      .. q(fixtures .. "printing.lua") .. " " .. q(fixtures .. "crash.lua") .. " "
      .. q(fixtures .. "broken.lua") .. " " .. q(dir .. "/" .. ODD_NAME))
    os.execute("rm -r " .. q(dir))
    assert.are.equal(1, code)
    assert.are.equal("", out)
    assert.are.equal("3 passed, 4 failed, 1 skipped", err:match("([^\n]*)\n$"))
    check(doc)
    -- one suite per file, named after it
    assert.are.equal("4", xpath(doc, "count(/testsuites/testsuite)"))
    assert.are.equal("8", xpath(doc, "string(/testsuites/@tests)"))
    -- the case that passed before the crash is kept, the crash is an error
    local crash = ("/testsuites/testsuite[@name='%s']"):format(fixtures .. "crash.lua")
    assert.are.equal("2", xpath(doc, "string(" .. crash .. "/@tests)"))
    assert.are.equal("1", xpath(doc, "count(" .. crash .. "/testcase[not(*)])"))
    assert.truthy(xpath(doc, "string(" .. crash .. "/testcase/error/@message)")
      :find("crashed (signal 6", 1, true))
    -- a file that does not compile is an <error> testcase of its own suite
    local broken = ("/testsuites/testsuite[@name='%s']"):format(fixtures .. "broken.lua")
    assert.truthy(xpath(doc, "string(" .. broken .. "/testcase/error/@message)")
      :find("broken.lua:3:", 1, true))
    -- the spec's prints are the suite's <system-out>, not the document's
    local printing = ("/testsuites/testsuite[@name='%s']"):format(fixtures .. "printing.lua")
    assert.truthy(xpath(doc, "string(" .. printing .. "/system-out)")
      :find("</testsuite></testsuites><testsuites>", 1, true))
    -- the odd file name survives as text
    assert.are.equal("1", xpath(doc, "count(/testsuites/testsuite[contains(@name, "
      .. "concat('we\"ird ', \"'na\\me'\"))])"))
    os.remove(doc)
  end)

  it("writes the same document to stdout without -Xoutput, the count line to stderr", function()
    local doc = os.tmpname()
    local code, _, err = sh(q(exe) .. " spec -o junit " .. q(fixtures .. "profiles.lua")
      .. " >" .. q(doc))
    assert.are.equal(0, code)
    check(doc)
    assert.truthy(err:find("passed, 0 failed, 1 skipped\n$"))
    os.remove(doc)
  end)
end)

describe_exe("intspect spec -o TAP", function()
  local function prove(tap)
    need(PROVE, "perl")
    local file = os.tmpname()
    put(file, tap)
    local code, out = sh(q(PROVE) .. " --exec cat " .. q(file))
    os.remove(file)
    return code, out
  end

  it("is TAP 13 that prove reads: the specs' prints are diagnostics, not test points", function()
    local code, tap = sh(q(exe) .. " spec -o TAP --timeout 5 " .. q(fixtures .. "printing.lua")
      .. " " .. q(fixtures .. "crash.lua") .. " " .. q(fixtures .. "broken.lua"))
    assert.are.equal(1, code)
    assert.truthy(tap:find("^TAP version 13\n"))
    assert.truthy(tap:find("\n# ok 1 - a test point printed by the spec\n", 1, true))
    assert.truthy(tap:find("\n# Bail out! printed, not meant\n", 1, true))
    assert.truthy(tap:find("\n1..6\n2 passed, 3 failed, 1 skipped\n$"))
    local pcode, out = prove(tap)
    assert.are_not.equal(0, pcode)
    assert.truthy(out:find("Tests: 6 Failed: 3)", 1, true), out)
    assert.truthy(out:find("Failed tests:  2, 5-6", 1, true), out)
    assert.truthy(out:find("Result: FAIL", 1, true))
  end)

  it("passes in prove when every spec passes, pending ones skipped", function()
    local code, tap = sh(q(exe) .. " spec -o TAP " .. q(fixtures .. "profiles.lua"))
    assert.are.equal(0, code)
    local pcode, out = prove(tap)
    assert.are.equal(0, pcode, out)
    assert.truthy(out:find("Result: PASS", 1, true))
  end)
end)
