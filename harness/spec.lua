--[[
spec.lua -- `intspect spec`: runs busted spec files, one child per file.

busted does the testing; this file adds what busted lacks:
  - crash isolation: each file runs in its own child process (the intspect
    executable re-run as `intspect spec --one FILE`), under a deadline, so
    a crash or a hang is reported by name and the other files still run;
  - profiles: --profile P (or INTSPECT_PROFILE) reaches
    intspect.describe_profiles in the child; a name that is no profile is
    a usage error;
  - busted's options: each is checked once here, then either done here
    (file selection and order, -C, --no-keep-going across files) or passed
    to every child (BUSTED_OPTS); none is ignored;
  - one report: busted's output per file in file order, or, for TAP, JUnit
    and JSON, one document written here from the children's records, and
    a last line "N passed, N failed[, N skipped]" (errors count as failed);
  - the exit status: 0 all passed, 1 a spec failed or errored (or no spec
    file was found, or no test ran), 2 a usage error.

Called by main.c as chunk(support, intspect, usage, args...) and returns
the exit status.  The child reports over descriptor support.report_fd, one
record per line, fields separated by tabs and escaped (field_escape):
"suite I N" when run I of N starts, "test STATUS NAME SRC LINE MESSAGE
TRACEBACK DURATION SEED DESCRIPTOR" per outcome, then "done".  Its stdout
holds only what the specs print, unless the format is busted's own text.
]]

local sup, intspect, usage = ...
local args = { select(4, ...) }

local DEFAULT_TIMEOUT = 60
local DEFAULT_MAX_MEMORY = 1024   -- MiB of Lua heap per spec file

-- busted options that take a value (the rest are flags).
local VALUE_OPTS = {}
for _, o in ipairs { "-p", "--pattern", "--exclude-pattern", "-e", "-o", "--output",
                     "-C", "--directory", "-f", "--config-file", "--coverage-config-file",
                     "-t", "--tags", "--exclude-tags", "--filter", "--filter-out",
                     "-m", "--lpath", "--cpath", "-r", "--run", "--repeat", "--seed",
                     "--lang", "--loaders", "--helper", "-Xoutput", "-Xhelper" } do
  VALUE_OPTS[o] = true
end

local function usage_error(msg)
  io.stderr:write("intspect spec: ", msg, "\n", "run 'intspect help spec' for usage\n")
  return 2
end

-- {==================================================================
-- The child: one file under busted
-- ===================================================================

-- Fields of a report line: tab-separated, with %, tab, CR and LF as %XX.
local function field_escape(v)
  if v == nil then return "" end
  return (tostring(v):gsub("[%%\t\r\n]", function(c) return ("%%%02X"):format(c:byte()) end))
end

local function field_unescape(s)
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

-- The text of an error or failure message, whatever its type.
local function message_text(m)
  if m == nil then return "" end
  if type(m) == "string" then return m end
  local mt = getmetatable(m)
  if type(mt) == "table" and mt.__tostring then
    local ok, s = pcall(tostring, m)
    if ok and type(s) == "string" then return s end
  end
  local okp, pretty = pcall(require, "pl.pretty")
  if okp then
    local ok, s = pcall(pretty.write, m)
    if ok and type(s) == "string" then return s end
  end
  return tostring(m)
end

-- Output formats the parent writes itself, from the children's records.
local DOCUMENTS = { tap = "TAP", junit = "junit", json = "json" }

local function run_one(file, profile, report_fd, busted_args, output, max_memory)
  -- Out of memory in Lua is a MemoryError object, as it is in the runtime:
  -- the Lua heap is bounded (so that running out is an error, not the
  -- machine's swap), and pcall/xpcall turn Lua's memory error into one.
  if report_fd then sup.die_with_runner() end
  sup.limit_memory((max_memory or 0) * 1024 * 1024)
  pcall, xpcall = sup.protected_calls(function(where)
    local e = intspect.new_error("MemoryError", "not enough memory")
    rawset(e, "where", where)
    return e
  end)
  intspect.profile_filter = profile
  intspect.spec_helpers()
  io.stdout:setvbuf("line")  -- what was printed survives a crash
  local document = DOCUMENTS[(output or ""):lower()] ~= nil

  local function report(...)
    if not report_fd then return end
    local t = table.pack(...)
    for k = 1, t.n do t[k] = field_escape(t[k]) end
    sup.write_fd(report_fd, table.concat(t, "\t", 1, t.n) .. "\n")
  end

  -- One record per outcome, ahead of the output handler (priority 1), so
  -- that a handler failing on an event cannot hide it; "done" last, at
  -- exit: a child that ends without it did not finish.  The parent counts
  -- these records and builds the TAP, JUnit and JSON documents from them,
  -- so a spec's own prints (this process's stdout) never mix into one.
  local function subscribe(busted)
    local first = { priority = 1 }
    -- A memory error that nothing in the spec caught: Lua unwound the
    -- stack before busted saw it, so say where the heap ran out rather
    -- than where busted's call began.
    local rewrite = busted.rewriteMessage
    function busted.rewriteMessage(element, message, trace)
      if intspect.is_error(message) and message.type == "MemoryError"
          and type(rawget(message, "where")) == "string" then
        return rawget(message, "where") .. ": " .. tostring(message)
      end
      return rewrite(element, message, trace)
    end
    local held = setmetatable({}, { __mode = "k" })   -- element -> message, trace
    local function fullname(element)
      local names = { element.name or element.descriptor }
      local parent_of = busted.context.parent
      local parent = parent_of(element)
      while parent and (parent.name or parent.descriptor) and parent.descriptor ~= "file" do
        table.insert(names, 1, parent.name or parent.descriptor)
        parent = parent_of(parent)
      end
      return table.concat(names, " ")
    end
    local function where(trace)
      trace = type(trace) == "table" and trace or {}
      return trace.short_src or "", trace.currentline or ""
    end
    busted.subscribe({ "suite", "start" }, function(_, count, total)
      report("suite", count, total)
      return nil, true
    end, first)
    local function hold(element, _, message, trace)
      if element.descriptor == "it" then
        held[element] = { message_text(message), type(trace) == "table" and trace.traceback or "" }
      end
      return nil, true
    end
    busted.subscribe({ "failure", "it" }, hold, first)
    busted.subscribe({ "error", "it" }, hold, first)
    busted.subscribe({ "pending" }, function(element, _, message)
      held[element] = { message_text(message), "" }
      return nil, true
    end, first)
    busted.subscribe({ "test", "end" }, function(element, parent, status)
      local h = held[element] or {}
      local src, line = where(element.trace)
      report("test", status, fullname(element), src, line, h[1], h[2],
             element.duration, parent and parent.randomseed, "it")
      return nil, true
    end, first)
    local function not_a_test(element, parent, message, trace)
      if element.descriptor ~= "it" then
        local src, line = where(element.trace or trace)
        report("test", "error", fullname(element), src, line, message_text(message),
               type(trace) == "table" and trace.traceback or "", 0,
               parent and parent.randomseed, element.descriptor)
      end
      return nil, true
    end
    busted.subscribe({ "error" }, not_a_test, first)
    busted.subscribe({ "failure" }, not_a_test, first)
    busted.subscribe({ "exit" }, function()
      report("done")
      return nil, true
    end)
  end

  -- busted.runner loads its output handler through this module: wrap it
  -- so the recording subscribers join the same busted instance.  For the
  -- document formats no handler prints: stdout carries only what the
  -- spec itself prints.
  local make_loader = require "busted.modules.output_handler_loader"
  package.loaded["busted.modules.output_handler_loader"] = function()
    local load = make_loader()
    return function(busted, out, options)
      if document then
        if options.language and options.language ~= "en" then
          require("busted.languages." .. options.language)
        end
        if options.enableSound then require "busted.outputHandlers.sound"(options) end
      else
        load(busted, out, options)
      end
      subscribe(busted)
    end
  end

  arg = { [0] = "intspect spec", file }
  for _, a in ipairs(busted_args) do arg[#arg + 1] = a end
  require "busted.runner" { standalone = false }
  return 0
end

-- }==================================================================


-- {==================================================================
-- The parent
-- ===================================================================

local function exists(path)
  local lfs = require "lfs"
  return lfs.attributes(path, "mode")
end

-- Which files of a directory are spec files: as busted decides, the base
-- name matches one of the --pattern Lua patterns (default "_spec"), none
-- of the --exclude-pattern ones, and a file loader takes it (.lua).
local function selector(patterns, excludes, loaders)
  return function(name)
    for _, x in ipairs(excludes) do
      if x ~= "" and name:find(x) then return false end
    end
    local hit = #patterns == 0
    for _, p in ipairs(patterns) do
      if name:find(p) then hit = true; break end
    end
    if not hit then return false end
    for _, l in ipairs(loaders) do
      if l.match(nil, name) then return true end
    end
    return false
  end
end

-- The spec files under 'dir' (recursively unless 'flat'), sorted, hidden
-- entries skipped.
local function find_specs(dir, out, wanted, flat)
  local lfs = require "lfs"
  local names = {}
  for name in lfs.dir(dir) do
    if name:sub(1, 1) ~= "." then names[#names + 1] = name end
  end
  table.sort(names)
  for _, name in ipairs(names) do
    local path = dir:sub(-1) == "/" and dir .. name or dir .. "/" .. name
    local mode = lfs.attributes(path, "mode")
    if mode == "directory" then
      if not flat then find_specs(path, out, wanted, flat) end
    elseif mode == "file" and wanted(name) then
      out[#out + 1] = path
    end
  end
end

-- Text made safe for a document: valid UTF-8 passes; any other byte is
-- written \xNN.  For XML also the characters XML 1.0 cannot hold at all.
local function clean(s, xml)
  s = tostring(s)
  local out, i, n = {}, 1, #s
  while i <= n do
    local ok, bad = utf8.len(s, i)
    if ok then out[#out + 1] = s:sub(i); break end
    if bad > i then out[#out + 1] = s:sub(i, bad - 1) end
    out[#out + 1] = ("\\x%02X"):format(s:byte(bad))
    i = bad + 1
  end
  s = table.concat(out)
  if xml then
    s = s:gsub("[%z\1-\8\11\12\14-\31]", function(c) return ("\\x%02X"):format(c:byte()) end)
    s = s:gsub("\239\191([\190\191])", function(c) return c == "\190" and "\\uFFFE" or "\\uFFFF" end)
  end
  return s
end

local function xml_text(s)
  return (clean(s, true):gsub("[<>&]", { ["<"] = "&lt;", [">"] = "&gt;", ["&"] = "&amp;" }))
end

local function xml_attr(s)
  return (clean(s, true):gsub("[<>&\"'\t\n\r]", { ["<"] = "&lt;", [">"] = "&gt;", ["&"] = "&amp;",
    ['"'] = "&quot;", ["'"] = "&apos;", ["\t"] = "&#9;", ["\n"] = "&#10;", ["\r"] = "&#13;" }))
end

local JSON_ESC = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }
local function json_string(s)
  return '"' .. clean(s):gsub('[%c"\\]', function(c)
    return JSON_ESC[c] or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

local function json_number(x)
  x = tonumber(x) or 0
  if math.type(x) == "integer" then return tostring(x) end
  if x ~= x or x == math.huge or x == -math.huge then return "null" end
  return ("%.6f"):format(x)
end

-- An object from a list of key, value pairs (values already JSON).
local function json_object(kv)
  local parts = {}
  for k = 1, #kv, 2 do parts[#parts + 1] = json_string(kv[k]) .. ":" .. kv[k + 1] end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- What went wrong with a child that did not finish, in a few words.
local function abnormal(res)
  if res.how == "timeout" then return "timed out" end
  if res.how == "signal" then
    return ("crashed (signal %d, %s)"):format(res.signal, res.signame or "?")
  end
  if res.how == "spawn" then return "could not be started: " .. tostring(res.error) end
  return ("exited with status %d before finishing"):format(res.code or -1)
end

-- A child's records: the runs of its file (busted's --repeat) and the
-- outcome of every test, in order.
local function parse_report(text)
  local r = { runs = {}, tests = {}, done = false }
  for line in text:gmatch("[^\n]+") do
    local f = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do f[#f + 1] = field_unescape(field) end
    if f[1] == "done" then
      r.done = true
    elseif f[1] == "suite" then
      r.runs[#r.runs + 1] = { index = tonumber(f[2]) or 1, total = tonumber(f[3]) or 1,
                              first = #r.tests + 1 }
    elseif f[1] == "test" then
      r.tests[#r.tests + 1] = { status = f[2], name = f[3], src = f[4],
        line = tonumber(f[5]), message = f[6] or "", traceback = f[7] or "",
        duration = tonumber(f[8]) or 0, seed = f[9] ~= "" and f[9] or nil,
        descriptor = f[10] or "it", run = #r.runs }
    end
  end
  return r
end

local STATUS_WORD = { success = "success", failure = "failure", error = "error", pending = "pending" }

-- The output of the run.  Document formats (TAP, JUnit, JSON) are written
-- by the runner from the children's records, the spec's own prints kept
-- apart (TAP diagnostics, JUnit <system-out>, a JSON "output" field); the
-- other formats are busted's own output, file after file.
local function merger(output, opts)
  local kind = DOCUMENTS[output:lower()] and output:lower() or "text"
  local m = { kind = kind, parts = {} }
  local timeout = opts.timeout

  if opts.list then kind = "text"; m.kind = "list" end

  if kind == "tap" then
    local n = 0
    m.summary_to = io.stdout
    local function point(ok, desc, directive)
      n = n + 1
      desc = clean(desc):gsub("[%c]", " "):gsub("\\", "\\\\"):gsub("#", "\\#")
      io.stdout:write(ok and "ok " or "not ok ", n, " - ", desc,
                      directive and (" # " .. directive) or "", "\n")
    end
    local function diag(text)
      text = clean(text)
      if text:sub(-1) == "\n" then text = text:sub(1, -2) end
      for line in (text .. "\n"):gmatch("([^\n]*)\n") do
        io.stdout:write("# ", (line:gsub("[%z\1-\8\11-\31\127]", function(c)
          return ("\\x%02X"):format(c:byte())
        end)), "\n")
      end
    end
    function m.header() io.stdout:write("TAP version 13\n") end
    function m.add(file, res, rep, why)
      if res.out ~= "" then
        diag(("output of %s:"):format(file))
        diag(res.out)
      end
      for _, t in ipairs(rep.tests) do
        if t.status == "success" then
          point(true, t.name)
        elseif t.status == "pending" then
          if not opts.suppress_pending then
            point(true, t.name, "SKIP " .. (t.message ~= "" and t.message or "pending"))
          end
        else
          point(false, t.name)
          diag(t.line and ("%s @ %d"):format(t.src, t.line) or file)
          if t.seed then diag("Random seed: " .. t.seed) end
          diag("Failure message: " .. t.message)
          if opts.verbose and t.traceback ~= "" then diag((t.traceback:gsub("^\n", ""))) end
        end
      end
      if why then
        point(false, file .. " " .. why)
        if res.how == "timeout" then
          diag(("no result within %g s (see --timeout)"):format(timeout))
        end
      end
      io.stdout:flush()
    end
    function m.finish() io.stdout:write("1..", n, "\n") end
    return m
  end

  if kind == "junit" then
    m.summary_to = io.stderr
    local totals = { tests = 0, failures = 0, errors = 0, skipped = 0 }
    local function testcase(t, file)
      local cls = t.src ~= "" and (t.src .. (t.line and (":" .. t.line) or "")) or file
      local head = ('\t\t<testcase classname="%s" name="%s" time="%.3f"'):format(
        xml_attr(cls), xml_attr(t.name), t.duration)
      if t.status == "success" then return head .. "/>\n" end
      if t.status == "pending" then
        return head .. (">\n\t\t\t<skipped message=\"%s\"/>\n\t\t</testcase>\n"):format(
          xml_attr(t.message ~= "" and t.message or "pending"))
      end
      local tag = t.status == "failure" and "failure" or "error"
      local body = t.message
      if t.seed then body = "Random seed: " .. t.seed .. "\n" .. body end
      if t.traceback ~= "" then body = body .. "\n" .. t.traceback end
      return head .. ('>\n\t\t\t<%s message="%s" type="%s">%s</%s>\n\t\t</testcase>\n'):format(
        tag, xml_attr(t.message), tag, xml_text(body), tag)
    end
    function m.header() end
    function m.add(file, res, rep, why)
      local tests = {}
      for _, t in ipairs(rep.tests) do
        if not (t.status == "pending" and opts.suppress_pending) then tests[#tests + 1] = t end
      end
      if why then
        tests[#tests + 1] = { status = "error", name = file .. " " .. why, src = "",
          message = file .. " " .. why .. (res.how == "timeout"
            and (" (no result within %g s; see --timeout)"):format(timeout) or ""),
          traceback = "", duration = 0, run = #rep.runs }
      end
      -- one <testsuite> per run of the file (one unless --repeat)
      local runs = {}
      for _, t in ipairs(tests) do
        local k = math.max(t.run, 1)
        runs[k] = runs[k] or {}
        table.insert(runs[k], t)
      end
      local last = math.max(#rep.runs, 1)
      for k = 1, last do runs[k] = runs[k] or {} end
      local stamp = os.date("!%Y-%m-%dT%H:%M:%S")
      for k = 1, last do
        local c = { tests = 0, failures = 0, errors = 0, skipped = 0, time = 0 }
        local body = {}
        for _, t in ipairs(runs[k]) do
          c.tests = c.tests + 1
          if t.status == "failure" then c.failures = c.failures + 1
          elseif t.status == "error" then c.errors = c.errors + 1
          elseif t.status == "pending" then c.skipped = c.skipped + 1 end
          c.time = c.time + t.duration
          body[#body + 1] = testcase(t, file)
        end
        for key in pairs(totals) do totals[key] = totals[key] + c[key] end
        local name = last == 1 and file or ("%s (run %d of %d)"):format(file, k, last)
        if k == last and res.out ~= "" then
          body[#body + 1] = ("\t\t<system-out>%s</system-out>\n"):format(xml_text(res.out))
        end
        m.parts[#m.parts + 1] = ('\t<testsuite name="%s" tests="%d" failures="%d" errors="%d" '
          .. 'skipped="%d" time="%.3f" timestamp="%s">\n%s\t</testsuite>\n'):format(
          xml_attr(name), c.tests, c.failures, c.errors, c.skipped, c.time, stamp,
          table.concat(body))
      end
    end
    function m.finish(_, seconds)
      local doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="intspect spec" '
        .. 'tests="%d" failures="%d" errors="%d" skipped="%d" time="%.3f">\n%s</testsuites>\n')
        :format(totals.tests, totals.failures, totals.errors, totals.skipped, seconds,
                table.concat(m.parts))
      if m.file then
        local f, err = io.open(m.file, "w")
        if not f then return ("cannot write the JUnit document: %s"):format(err) end
        f:write(doc)
        f:close()
      else
        io.stdout:write(doc)
      end
    end
    return m
  end

  if kind == "json" then
    m.summary_to = io.stderr
    local function entry(t)
      local kv = { "name", json_string(t.name), "message", json_string(t.message),
        "trace", json_object { "short_src", json_string(t.src),
                               "currentline", t.line and json_number(t.line) or "null",
                               "traceback", json_string(t.traceback) },
        "element", json_object { "descriptor", json_string(t.descriptor) },
        "duration", json_number(t.duration) }
      if t.seed then kv[#kv + 1] = "randomseed"; kv[#kv + 1] = json_number(t.seed) end
      if t.status == "error" then kv[#kv + 1] = "isError"; kv[#kv + 1] = "true" end
      return json_object(kv)
    end
    function m.header() end
    function m.add(file, res, rep, why)
      local lists = { success = {}, failure = {}, error = {}, pending = {} }
      local duration = 0
      for _, t in ipairs(rep.tests) do
        local l = lists[t.status] or lists.error
        if not (t.status == "pending" and opts.suppress_pending) then l[#l + 1] = entry(t) end
        duration = duration + t.duration
      end
      local kv = { "file", json_string(file),
        "successes", "[" .. table.concat(lists.success, ",") .. "]",
        "failures", "[" .. table.concat(lists.failure, ",") .. "]",
        "errors", "[" .. table.concat(lists.error, ",") .. "]",
        "pendings", "[" .. table.concat(lists.pending, ",") .. "]",
        "duration", json_number(duration + 0.0),
        "output", json_string(res.out) }
      if why then kv[#kv + 1] = "error"; kv[#kv + 1] = json_string(file .. " " .. why) end
      m.parts[#m.parts + 1] = json_object(kv)
    end
    function m.finish() io.stdout:write("[", table.concat(m.parts, ",\n"), "]\n") end
    return m
  end

  -- terminals, gtest, handler modules and --list: busted's text as it is
  m.summary_to = io.stdout
  function m.header() end
  function m.add(file, res, _, why)
    io.stdout:write(res.out)
    if why then
      if res.out ~= "" and res.out:sub(-1) ~= "\n" then io.stdout:write("\n") end
      io.stdout:write(("Error -> %s %s\n"):format(file, why))
      if res.how == "timeout" then
        io.stdout:write(("  (no result within %g s; see --timeout)\n"):format(timeout))
      end
    end
    io.stdout:flush()
  end
  function m.finish() end
  return m
end

-- busted's options, by who acts on them.  "child": passed to every child's
-- busted; "parent": the runner does what busted would (file selection and
-- order, the directory), not passed on; "both": the runner acts on it and
-- the children get it too.  Flags may be written --no-NAME where busted
-- has the negative form.  Anything busted accepts that is not here is
-- refused, so that no option is ever silently ignored.
local BUSTED_OPTS = {
  ["-p"] = "parent", ["--pattern"] = "parent", ["--exclude-pattern"] = "parent",
  ["-R"] = "parent", ["--recursive"] = "parent", ["-C"] = "parent", ["--directory"] = "parent",
  ["--shuffle-files"] = "parent", ["--sort-files"] = "parent",
  ["-o"] = "both", ["--output"] = "both", ["-Xoutput"] = "both",
  ["-k"] = "both", ["--keep-going"] = "both", ["-l"] = "both", ["--list"] = "both",
  ["-f"] = "both", ["--config-file"] = "both", ["-r"] = "both", ["--run"] = "both",
  ["-c"] = "both", ["--coverage"] = "both", ["--loaders"] = "both", ["--lang"] = "both",
  ["--shuffle"] = "both", ["--sort"] = "both", ["--seed"] = "both",
  ["-v"] = "both", ["--verbose"] = "both", ["--suppress-pending"] = "both",
  ["-e"] = "child", ["-t"] = "child", ["--tags"] = "child", ["--exclude-tags"] = "child",
  ["--filter"] = "child", ["--filter-out"] = "child", ["-m"] = "child", ["--lpath"] = "child",
  ["--cpath"] = "child", ["--repeat"] = "child", ["--helper"] = "child", ["-Xhelper"] = "child",
  ["--coverage-config-file"] = "child", ["-s"] = "child", ["--enable-sound"] = "child",
  ["--ignore-lua"] = "child", ["--lazy"] = "child", ["--auto-insulate"] = "child",
  ["--shuffle-tests"] = "child", ["--sort-tests"] = "child", ["--defer-print"] = "child",
}

-- Is 'name' a handler busted's -o could load (busted.outputHandlers.NAME,
-- a module NAME, or a file NAME.lua)?
local function output_exists(name)
  if DOCUMENTS[name:lower()] then return true end
  if name:match("%.lua$") then return exists(name) == "file" end
  return package.searchpath("busted.outputHandlers." .. name, package.path) ~= nil
    or package.searchpath(name, package.path) ~= nil
    or package.searchpath(name, package.cpath) ~= nil
end

local function main()
  local paths, busted_args = {}, {}
  local profile, timeout, jobs, one, report_fd, max_memory
  local i = 1
  local function value(opt)
    local v = args[i + 1]
    if v == nil then error({ usage = "option " .. opt .. " needs a value" }) end
    i = i + 1
    return v
  end
  local ok, err = pcall(function()
    while i <= #args do
      local a = args[i]
      local name, inline = a:match("^(%-%-?[%w%-]+)=(.*)$")
      name = name or a
      if a == "--" then
        for j = i + 1, #args do paths[#paths + 1] = args[j] end
        break
      elseif name == "--profile" then
        profile = inline or value(a)
      elseif name == "--timeout" then
        timeout = tonumber(inline or value(a))
        if not timeout or timeout <= 0 then
          error({ usage = "--timeout needs a number of seconds > 0" })
        end
      elseif name == "--max-memory" then
        max_memory = math.tointeger(tonumber(inline or value(a)))
        if not max_memory or max_memory < 0 then
          error({ usage = "--max-memory needs a number of MiB >= 0 (0: no bound)" })
        end
      elseif name == "-j" or name == "--jobs" then
        jobs = math.tointeger(tonumber(inline or value(a)))
        if not jobs or jobs < 1 then error({ usage = "--jobs needs an integer >= 1" }) end
      elseif name == "--one" then
        one = inline or value(a)
      elseif name == "--report-fd" then
        report_fd = math.tointeger(tonumber(inline or value(a)))
      elseif name == "-h" or name == "--help" then
        error({ help = true })
      elseif name == "--lua" then
        error({ usage = "--lua is for stock busted; intspect spec runs its own Lua" })
      elseif name == "--version" then
        error({ version = true })
      elseif a:sub(1, 1) == "-" and #a > 1 then
        local base = name:gsub("^%-%-no%-", "--")
        if one then
          base = nil   -- the parent checked them
        elseif not BUSTED_OPTS[base] then
          error({ usage = ("unknown option '%s'"):format(name) })
        end
        busted_args[#busted_args + 1] = a
        if VALUE_OPTS[name] and not inline then
          busted_args[#busted_args + 1] = value(a)
        end
      else
        paths[#paths + 1] = a
      end
      i = i + 1
    end
  end)
  if not ok then
    if type(err) ~= "table" then error(err, 0) end
    if err.help then io.stdout:write(usage); return 0 end
    if err.version then print("intspect " .. intspect.version); return 0 end
    return usage_error(err.usage)
  end

  local function known_profile(p)
    for _, k in ipairs(intspect.profiles) do if k == p then return true end end
    return false
  end
  if profile and not known_profile(profile) then
    return usage_error(("unknown profile '%s' (profiles: %s)")
      :format(profile, table.concat(intspect.profiles, ", ")))
  end
  local env_profile = os.getenv("INTSPECT_PROFILE")
  if not profile and env_profile and env_profile ~= "" and not known_profile(env_profile) then
    return usage_error(("unknown profile '%s' in INTSPECT_PROFILE (profiles: %s)")
      :format(env_profile, table.concat(intspect.profiles, ", ")))
  end

  local output_arg
  for k = 1, #busted_args do
    local a = busted_args[k]
    if a == "-o" or a == "--output" then output_arg = busted_args[k + 1]
    else output_arg = a:match("^%-%-output=(.*)$") or output_arg end
  end

  if one then return run_one(one, profile, report_fd, busted_args, output_arg, max_memory) end

  -- Let busted judge its own options now, once, rather than in every child.
  local tty = sup.isatty(1)
  local cli = require "busted.modules.cli" {
    standalone = false, output = tty and "utfTerminal" or "plainTerminal" }
  cli:set_name("intspect spec")
  local parsed, perr = cli:parse(busted_args)
  if not parsed then
    return usage_error((perr:gsub("^intspect spec: error: ", ""):gsub("; re%-run with %-%-help for usage%.$", "")))
  end
  local output = parsed.output
  if not output_exists(output) then
    return usage_error(("unknown output format '%s' (TAP, junit, json, plainTerminal, "
      .. "utfTerminal, gtest, or a busted output handler module or .lua file)"):format(output))
  end
  if parsed.lang ~= "en" and not package.searchpath("busted.languages." .. parsed.lang, package.path) then
    return usage_error(("unknown language '%s' for --lang"):format(parsed.lang))
  end
  local loaders = {}
  for _, l in ipairs(parsed.loaders) do
    local okl, mod = pcall(require, "busted.modules.files." .. l)
    if not okl then return usage_error(("unknown file loader '%s' for --loaders"):format(l)) end
    loaders[#loaders + 1] = mod
  end
  if parsed.coverage and not pcall(require, "luacov") then
    return usage_error("--coverage needs LuaCov, which is not installed")
  end

  -- -C DIR: the paths, the spec files and -Xoutput are relative to DIR, as
  -- busted has them; the children start there.
  local lfs = require "lfs"
  local start_dir = lfs.currentdir()
  if parsed.directory and parsed.directory ~= "." and parsed.directory ~= "./" then
    local okd, derr = lfs.chdir(parsed.directory)
    if not okd then
      return usage_error(("cannot change to directory %s: %s"):format(parsed.directory, tostring(derr)))
    end
  end

  if #paths == 0 then paths = { "specs" } end
  local wanted = selector(parsed.pattern, parsed["exclude-pattern"], loaders)
  local files = {}
  for _, p in ipairs(paths) do
    local mode = exists(p)
    if mode == "directory" then
      find_specs(p, files, wanted, not parsed.recursive)
    elseif mode then
      files[#files + 1] = p
    else
      return usage_error(("no such file or directory: %s"):format(p))
    end
  end
  if #files == 0 then
    io.stderr:write("intspect spec: no spec files (", table.concat(parsed.pattern, ", "),
                    "; *.lua) found in ", table.concat(paths, " "), "\n")
    return 1
  end

  local seed = tonumber(parsed.seed)
  if parsed["shuffle-files"] then
    seed = seed or require("busted.utils").urandom() or os.time()
    require("busted.utils").shuffle(files, seed)
    io.stderr:write(("intspect spec: files in random order (--seed %d)\n"):format(seed))
  elseif parsed["sort-files"] then
    table.sort(files)
  end

  local m = merger(output, { timeout = timeout or DEFAULT_TIMEOUT, list = parsed.list,
    verbose = parsed.verbose, suppress_pending = parsed["suppress-pending"] })

  -- what each child gets: the options it acts on, the file, the format
  local child_args = {}
  local k = 1
  while k <= #busted_args do
    local a = busted_args[k]
    local name, inline = a:match("^(%-%-?[%w%-]+)=(.*)$")
    name = name or a
    local role = BUSTED_OPTS[name:gsub("^%-%-no%-", "--")]
    local takes = VALUE_OPTS[name] and not inline
    local v = takes and busted_args[k + 1] or nil
    if name == "-Xoutput" and m.kind == "junit" then
      m.file = m.file or (inline or v)   -- the merged document goes there
    elseif name == "-f" or name == "--config-file" then
      local f = inline or v
      if f:sub(1, 1) ~= "/" then f = start_dir .. "/" .. f end
      child_args[#child_args + 1] = "--config-file=" .. f
    elseif role ~= "parent" and name ~= "-o" and name ~= "--output" then
      child_args[#child_args + 1] = a
      if takes then child_args[#child_args + 1] = v end
    end
    k = k + (takes and 2 or 1)
  end
  child_args[#child_args + 1] = "--directory=./"
  child_args[#child_args + 1] = "--output=" .. output
  if parsed["shuffle-files"] and not tonumber(parsed.seed) then
    child_args[#child_args + 1] = "--seed=" .. seed
  end

  local exe = sup.self_exe() or arg[-1] or "intspect"
  local argvs = {}
  for n, f in ipairs(files) do
    local v = { exe, "spec", "--one", f, "--report-fd", tostring(sup.report_fd) }
    if profile then v[#v + 1] = "--profile"; v[#v + 1] = profile end
    v[#v + 1] = "--max-memory"
    v[#v + 1] = tostring(max_memory or DEFAULT_MAX_MEMORY)
    for _, a in ipairs(child_args) do v[#v + 1] = a end
    argvs[n] = v
  end

  local tot = { success = 0, failure = 0, error = 0, pending = 0, tests = 0 }
  local stopped
  local t0 = sup.now()
  m.header()
  io.stdout:flush()
  local nfiles = parsed.coverage and 1 or (jobs or math.min(sup.cpu_count(), 8))
  sup.run(argvs, { INTSPECT_EXE = exe }, nfiles, timeout or DEFAULT_TIMEOUT, function(n, res)
    local rep = parse_report(res.report)
    local bad = false
    for _, t in ipairs(rep.tests) do
      local s = STATUS_WORD[t.status] or "error"
      t.status = s
      tot[s] = tot[s] + 1
      tot.tests = tot.tests + 1
      bad = bad or s == "failure" or s == "error"
    end
    local why = not rep.done and abnormal(res) or nil
    if why then
      tot.error = tot.error + 1
      tot.tests = tot.tests + 1
      bad = true
    end
    m.add(files[n], res, rep, why)
    if bad and not parsed["keep-going"] and n < #files then
      stopped = #files - n
      return true   -- stop: as busted, nothing more runs after a failure
    end
  end)
  local ferr = m.finish(tot, sup.now() - t0)
  if ferr then io.stderr:write("intspect spec: ", ferr, "\n") end

  if stopped then
    io.stderr:write(("intspect spec: stopped after the first failure (--no-keep-going); "
      .. "%d later file%s left out\n"):format(stopped, stopped == 1 and "" or "s"))
  end
  local failed = tot.failure + tot.error
  local none = tot.tests == 0 and not parsed.list
  if none then
    io.stderr:write("intspect spec: no test ran (", #files, " file", #files == 1 and "" or "s",
      "; check --filter, --tags, --profile and the files' describe_profiles lists)\n")
  end
  local line = ("%d passed, %d failed"):format(tot.success, failed)
  if tot.pending > 0 then line = line .. (", %d skipped"):format(tot.pending) end
  io.stdout:flush()
  m.summary_to:write(line, "\n")
  return (failed == 0 and not none and not ferr) and 0 or 1
end

return main()

-- }==================================================================
