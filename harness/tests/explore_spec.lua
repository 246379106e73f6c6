-- explore_spec.lua -- `intspect explore` as a user meets it, on tiny
-- workloads (harness/tests/fixtures/workloads/) with two repeats and small
-- ranges: what its counts must satisfy on any machine, the live run
-- against its replayed trace, --counts, a failing workload, the run
-- without gnuplot, and the usage errors (exit 2).  Nothing here is timed.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local fixtures = here .. "fixtures/workloads/"
local exe = os.getenv("INTSPECT_EXE")

local P = dofile(here .. "helpers/proc.lua")
local q, slurp = P.q, P.slurp

-- Run `intspect explore ARGS`; exit code, stdout, stderr.
local function explore(args, env)
  return P.run((env or "") .. " " .. q(exe) .. " explore " .. args)
end

local function tmpdir()
  local name = os.tmpname()
  os.remove(name)
  return name
end

local function rmtree(dir)
  os.execute("rm -rf " .. q(dir))
end

-- A CSV with a header into a list of rows keyed by column name (no quoted
-- commas in the columns read here).
local function csv(path)
  local text = assert(slurp(path), "missing " .. path)
  local rows, header = {}, nil
  for line in text:gmatch("[^\n]+") do
    local cells = {}
    for cell in (line .. ","):gmatch("([^,]*),") do cells[#cells + 1] = cell end
    if not header then
      header = cells
    else
      local row = {}
      for i, name in ipairs(header) do row[name] = cells[i] end
      rows[#rows + 1] = row
    end
  end
  return rows
end

local function by(rows, key)
  local t = {}
  for _, row in ipairs(rows) do t[row[key]] = row end
  return t
end

local function num(s) return assert(math.tointeger(tonumber(s)), "not an integer: " .. tostring(s)) end

local describe_exe = exe and describe or pending

describe_exe("intspect explore", function()
  local out = tmpdir()
  local RANGES = "0:0,5:257,0:1,3:10,0:300"
  local code, stdout, stderr

  setup(function()
    code, stdout, stderr = explore(q(fixtures .. "small_values.lua") .. " " ..
                                   q(fixtures .. "tiny.lua") ..
                                   " --repeat 2 --ranges " .. RANGES ..
                                   " --hist -100:1000 --out " .. q(out))
  end)
  teardown(function() rmtree(out) end)

  it("runs the workloads and writes the CSV files and the report", function()
    assert.are.equal(0, code, stderr)
    for _, name in ipairs{ "report.md", "histogram.csv", "ranges.csv", "workloads.csv",
                           "samples.csv", "plots.gp" } do
      assert.is_truthy(slurp(out .. "/" .. name), name .. " missing")
    end
    assert.matches("explore: 2 workloads, 5 ranges, 2 repeats", stdout, 1, true)
  end)

  it("shows progress on stderr", function()
    assert.matches("explore: recording small_values", stderr, 1, true)
    assert.matches("explore: counting tiny under 5 ranges", stderr, 1, true)
  end)

  it("with the cache off, no request is served by it: every creation makes an object", function()
    local off = by(csv(out .. "/ranges.csv"), "range").off
    assert.is_truthy(off)
    assert.is_true(num(off.requests) > 0)
    assert.are.equal(0, num(off.cache_hits))
    assert.are.equal(num(off.requests), num(off.objects_made))
    assert.are.equal(0, num(off.allocations_avoided))
  end)

  it("with the default range, the share served is the histogram's mass inside it", function()
    local d = by(csv(out .. "/ranges.csv"), "range")["-5..256"]
    assert.are.equal("1", d.is_default)
    local mass = 0
    for _, row in ipairs(csv(out .. "/histogram.csv")) do
      local v = num(row.value)
      if v >= -5 and v <= 256 then mass = mass + num(row.requests) end
    end
    assert.are.equal(mass, num(d.hist_mass_in_range))
    assert.are.equal(mass, num(d.cache_hits))
    assert.is_true(math.abs(tonumber(d.served_share) - mass / num(d.requests)) < 1e-6)
  end)

  it("never serves a value outside the range from the cache", function()
    local hist = {}
    for _, row in ipairs(csv(out .. "/histogram.csv")) do hist[num(row.value)] = num(row.requests) end
    local ranges = by(csv(out .. "/ranges.csv"), "range")
    -- 0..0 serves exactly the requests for 0; -3..9 exactly those for -3..9
    assert.are.equal(hist[0], num(ranges["0..0"].cache_hits))
    local inside = 0
    for v = -3, 9 do inside = inside + hist[v] end
    assert.are.equal(inside, num(ranges["-3..9"].cache_hits))
    -- and a wider range serves more: the requests just above 9 went elsewhere before
    assert.is_true(num(ranges["0..299"].cache_hits) > num(ranges["0..0"].cache_hits))
  end)

  it("the histogram sums to the requests counted when it covers every value made", function()
    local code2, _, err2 = explore(q(fixtures .. "small_values.lua") ..
                                   " --repeat 2 --ranges 0:0,5:257 --hist -100:1000 --out " ..
                                   q(out .. "/small"))
    assert.are.equal(0, code2, err2)
    local sum = 0
    for _, row in ipairs(csv(out .. "/small/histogram.csv")) do sum = sum + num(row.requests) end
    assert.is_true(sum > 0)
    for _, r in ipairs(csv(out .. "/small/ranges.csv")) do
      assert.are.equal(sum, num(r.requests), "range " .. r.range)
    end
    assert.are.equal(sum, num(csv(out .. "/small/workloads.csv")[1].requests))
  end)

  it("a trace replayed gives the live run's counts", function()
    for _, w in ipairs(csv(out .. "/workloads.csv")) do
      assert.are.equal("ok", w.status, w.workload)
      for _, k in ipairs{ "requests", "cache_hits", "freelist_hits", "allocs", "frees", "live",
                          "bytes" } do
        assert.are.equal(num(w[k]), num(w["replay_" .. k]), w.workload .. ": " .. k)
      end
      assert.are.equal("1", w.replay_matches_live)
      assert.is_true(num(w.events) > 0)
    end
  end)

  it("the live run it reports is the workload's own: the same program here counts the same", function()
    local w = dofile(fixtures .. "small_values.lua")
    local R = intspect.runtime{ profile = "cpython3.14", histogram = { -100, 1000 } }
    w.run(R)
    collectgarbage()
    collectgarbage()
    local s = R:stats()
    local h = R:histogram()
    local row = by(csv(out .. "/small/workloads.csv"), "workload").small_values
    assert.are.equal(s.created, num(row.requests))
    assert.are.equal(s.cache_hits, num(row.cache_hits))
    for _, r in ipairs(csv(out .. "/small/histogram.csv")) do
      assert.are.equal(h[num(r.value)], num(r.requests), "value " .. r.value)
    end
    R:close()
  end)

  it("compares each range with the default by a t-test with an interval", function()
    for _, r in ipairs(csv(out .. "/ranges.csv")) do
      if r.is_default == "0" then
        local p, lo, hi, ratio = tonumber(r.p_value), tonumber(r.ratio_ci_lo),
                                 tonumber(r.ratio_ci_hi), tonumber(r.ratio_vs_default)
        assert.is_true(p >= 0 and p <= 1, r.range)
        assert.is_true(lo <= ratio and ratio <= hi, r.range)
      end
    end
    local report = slurp(out .. "/report.md")
    assert.matches("Welch's t%-test", report)
    assert.matches("| off | 0 | 0.00% |", report, 1, true)
    assert.matches("The 256/257 step", report, 1, true)
    assert.matches("Why are negative values rare?", report, 1, true)
  end)

  it("makes the plots as PNG and SVG when gnuplot is installed", function()
    if not os.execute("gnuplot --version >/dev/null 2>&1") then
      pending("gnuplot is not installed")
      return
    end
    for _, name in ipairs{ "histogram", "histogram-positive", "ranges-time", "ranges-memory" } do
      for _, ext in ipairs{ "png", "svg" } do
        local f = io.open(out .. "/" .. name .. "." .. ext, "rb")
        assert.is_truthy(f, name .. "." .. ext)
        assert.is_true(#f:read("a") > 100)
        f:close()
      end
    end
  end)

  it("without gnuplot still writes the CSV files and the report, and says how to get plots", function()
    local dir = out .. "/nognuplot"
    local c, o, e = explore(q(fixtures .. "small_values.lua") .. " --repeat 2 --ranges 0:0,5:257 --out " ..
                            q(dir), "PATH=/nonexistent")
    assert.are.equal(0, c, e)
    assert.matches("plots skipped: gnuplot is not installed", o, 1, true)
    assert.matches("apt-get install gnuplot-nox", o, 1, true)
    assert.matches("Plots skipped", slurp(dir .. "/report.md"), 1, true)
    assert.is_truthy(slurp(dir .. "/ranges.csv"))
    assert.is_nil(io.open(dir .. "/histogram.png", "rb"))
  end)

  it("reports a failing workload with its error and still reports the rest (exit 1)", function()
    local dir = out .. "/failing"
    local c, o, e = explore(q(fixtures .. "fails.lua") .. " " .. q(fixtures .. "small_values.lua") ..
                            " --repeat 2 --ranges 0:0,5:257 --out " .. q(dir))
    assert.are.equal(1, c, e)
    assert.matches("workload fails failed: ZeroDivisionError: division by zero", e, 1, true)
    assert.matches("1 workload failed", o, 1, true)
    local rows = by(csv(dir .. "/workloads.csv"), "workload")
    assert.are.equal("failed", rows.fails.status)
    assert.are.equal("ok", rows.small_values.status)
    assert.matches("fails failed", slurp(dir .. "/report.md"), 1, true)
    assert.is_true(num(csv(dir .. "/ranges.csv")[1].requests) > 0)
  end)

  it("reports a workload file of the wrong shape as a failed workload, not a crash", function()
    local c, _, e = explore(q(fixtures .. "not_a_table.lua") .. " --repeat 2 --ranges 0:0 --out " ..
                            q(out .. "/shape"))
    assert.are.equal(1, c, e)
    assert.matches("must return a table {models = \"...\", run = function(R)}, not a number", e, 1, true)
  end)

  describe("--counts FILE", function()
    local counts = P.temp

    it("puts a histogram from elsewhere through the same report", function()
      local path = counts("value,count\n# from a patched interpreter\n-1,0\n0,500\n1,300\n256,40\n" ..
                          "257,2\n512,9\n\n0,100\n")
      local dir = out .. "/counts"
      local c, _, e = explore("--counts " .. q(path) .. " --ranges 0:0,5:257,5:513 --repeat 2 --out " ..
                              q(dir))
      os.remove(path)
      assert.are.equal(0, c, e)
      local hist = {}
      for _, row in ipairs(csv(dir .. "/histogram.csv")) do hist[num(row.value)] = num(row.requests) end
      assert.are.equal(600, hist[0])                -- repeated values add up
      local ranges = by(csv(dir .. "/ranges.csv"), "range")
      assert.are.equal(951, num(ranges["-5..256"].requests))
      assert.are.equal(940, num(ranges["-5..256"].cache_hits))
      assert.are.equal(951, num(ranges["-5..512"].cache_hits))
      assert.are.equal(0, num(ranges.off.cache_hits))
      assert.matches("counts from elsewhere", slurp(dir .. "/report.md"), 1, true)
    end)

    it("names the line of a bad count and exits 2", function()
      for text, what in pairs{ ["value,count\n1,2\n3;4\n"] = ":3: expected 'value,count'",
                               ["1,-5\n"] = ":1: expected 'value,count'",
                               ["1,2,3\n"] = ":1: expected 'value,count'",
                               ["x,1\n2,y\n"] = ":2: expected 'value,count'",
                               ["# nothing\n"] = "holds no 'value,count' line",
                               ["1,99999999999999999999\n"] = ":1: expected 'value,count'" } do
        local path = counts(text)
        local c, _, e = explore("--counts " .. q(path) .. " --out " .. q(out .. "/bad"))
        os.remove(path)
        assert.are.equal(2, c, e)
        assert.matches(what, e, 1, true)
      end
    end)

    it("refuses a missing file and workloads given with it", function()
      local c, _, e = explore("--counts /nonexistent/counts.csv --out " .. q(out .. "/bad"))
      assert.are.equal(2, c, e)
      assert.matches("cannot read --counts file", e, 1, true)
      c, _, e = explore("tiny --counts /nonexistent/counts.csv")
      assert.are.equal(2, c, e)
      assert.matches("--counts replaces the workloads", e, 1, true)
    end)
  end)

  describe("usage errors exit 2 with a message, before anything runs", function()
    local function usage(args, what)
      local c, _, e = explore(args .. " --out " .. q(out .. "/usage"))
      assert.are.equal(2, c, e)
      assert.matches(what, e, 1, true)
      assert.matches("intspect help explore", e, 1, true)
    end

    it("bad ranges", function()
      for _, bad in ipairs{ "5", "5:", ":257", "a:b", "-1:5", "5:257:3", "5:257,", "99999999:1",
                            "0x5:257", "5 :257" } do
        usage(q(fixtures .. "tiny.lua") .. " --ranges " .. q(bad), "in --ranges")
      end
    end)

    it("a bad --hist, --repeat or --profile, an unknown option", function()
      for _, bad in ipairs{ "5:1", "x", "1:", ":1", "-5", "-9999999:9999999" } do
        usage(q(fixtures .. "tiny.lua") .. " --hist " .. q(bad), "bad --hist")
      end
      usage(q(fixtures .. "tiny.lua") .. " --repeat 0", "bad --repeat")
      usage(q(fixtures .. "tiny.lua") .. " --repeat lots", "bad --repeat")
      usage(q(fixtures .. "tiny.lua") .. " --profile cpython4", "unknown profile 'cpython4'")
      usage(q(fixtures .. "tiny.lua") .. " --frobnicate", "unknown option '--frobnicate'")
      local c, _, e = explore(q(fixtures .. "tiny.lua") .. " --ranges")
      assert.are.equal(2, c, e)
      assert.matches("--ranges needs a value", e, 1, true)
    end)

    it("an unknown workload or an unreadable workload file", function()
      usage("no_such_workload", "unknown workload 'no_such_workload'")
      usage("/nonexistent/w.lua", "cannot read workload file '/nonexistent/w.lua'")
    end)

    it("an output directory that cannot be written", function()
      local file = os.tmpname()                     -- a file where the directory should be
      local c, _, e = explore(q(fixtures .. "tiny.lua") .. " --out " .. q(file .. "/sub"))
      os.remove(file)
      assert.are.equal(2, c, e)
      assert.matches("cannot create the output directory", e, 1, true)
    end)
  end)

  it("help explore documents the command", function()
    local f = assert(io.popen(q(exe) .. " help explore", "r"))
    local text = f:read("a")
    f:close()
    assert.matches("usage: intspect explore", text, 1, true)
    assert.matches("--counts FILE", text, 1, true)
    assert.matches("0:0,5:257,5:513,1000:1001,1000000:1000001", text, 1, true)
  end)
end)
