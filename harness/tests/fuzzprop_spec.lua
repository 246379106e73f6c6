-- fuzzprop_spec.lua -- `intspect fuzz PROP.lua` as a user meets it without
-- an engine: the usage errors it reports (exit 2) and the replay of input
-- files (exit 0 when the property holds, 1 with a report when it fails).

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local props = here .. "fixtures/props/"
local exe = os.getenv("INTSPECT_EXE")

local P = dofile(here .. "helpers/proc.lua")
local q = P.q

local function run(args)
  return P.run(q(exe) .. " fuzz " .. args)
end

local input = P.temp

local describe_exe = exe and describe or pending

describe_exe("intspect fuzz PROP.lua", function()
  it("a missing property file is a usage error", function()
    local code, _, err = run(q(props .. "no_such.lua"))
    assert.are.equal(2, code, err)
    assert.matches("no such property file", err, 1, true)
  end)

  it("a syntax error in the property is a usage error naming the file", function()
    local code, _, err = run(q(props .. "syntax_error.lua"))
    assert.are.equal(2, code, err)
    assert.matches("syntax_error.lua", err, 1, true)
  end)

  it("a file that does not return a function is a usage error", function()
    local code, _, err = run(q(props .. "not_a_function.lua"))
    assert.are.equal(2, code, err)
    assert.matches("must return a function of the data provider", err, 1, true)
  end)

  it("an unknown engine or sanitizer is a usage error", function()
    local code, _, err = run(q(props .. "fails_on_7.lua") .. " --engine nosuch")
    assert.are.equal(2, code, err)
    assert.matches("unknown engine 'nosuch'", err, 1, true)
    code, _, err = run(q(props .. "fails_on_7.lua") .. " --sanitizer nosuch")
    assert.are.equal(2, code, err)
    assert.matches("unknown sanitizer 'nosuch'", err, 1, true)
  end)

  it("replays input files with no engine: 0 when the property holds", function()
    local ok, short = input("\1"), input("")
    local code, _, err = run(q(props .. "fails_on_7.lua") .. " " .. q(ok) .. " " .. q(short))
    os.remove(ok)
    os.remove(short)
    assert.are.equal(0, code, err)
  end)

  it("replays a failing input: 1, with the message and the decoded arguments", function()
    local bad = input("\7")
    local code, _, err = run(q(props .. "fails_on_7.lua") .. " " .. q(bad))
    os.remove(bad)
    assert.are.equal(1, code, err)
    assert.matches("property 'fails_on_7' failed", err, 1, true)
    assert.matches("the first byte is 7", err, 1, true)
    assert.matches("consume_integer(0, 255) -> 7", err, 1, true)
  end)
end)
