--[[
spec.lua -- `intspect spec`: runs busted spec files, one child per file.

busted does the testing; this file adds what busted lacks:
  - crash isolation: each file runs in its own child process (the intspect
    executable re-run as `intspect spec --one FILE`), under a deadline, so
    a crash or a hang is reported by name and the other files still run;
  - profiles: --profile P reaches intspect.describe_profiles in the child;
  - one report: busted's output per file in file order, the TAP and JUnit
    outputs merged into one valid document, and a last line
    "N passed, N failed[, N skipped]" (errors count as failed);
  - the exit status: 0 all passed, 1 a spec failed or errored (or no spec
    file was found), 2 a usage error.

Called by main.c as chunk(support, intspect, usage, args...) and returns
the exit status.  The child side reports over descriptor support.report_fd,
one line per event: "success|failure|error|pending", then "done".
]]

local sup, intspect, usage = ...
local args = { select(4, ...) }

local DEFAULT_TIMEOUT = 60

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

local function run_one(file, profile, report_fd, busted_args)
  intspect.profile_filter = profile
  intspect.spec_helpers()
  io.stdout:setvbuf("line")  -- what was printed survives a crash

  local function report(line)
    if report_fd then sup.write_fd(report_fd, line .. "\n") end
  end

  -- Count outcomes as busted's base output handler does, ahead of the
  -- output handler (priority 1), so that a handler failing on an event
  -- cannot hide it; say "done" last at exit: a child that ends without it
  -- did not finish.
  local function subscribe(busted)
    local first = { priority = 1 }
    busted.subscribe({ "test", "end" }, function(element, parent, status)
      report(status)
      return nil, true
    end, first)
    local function not_a_test(element)
      if element.descriptor ~= "it" then report("error") end
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
  -- so the counting subscribers join the same busted instance.
  local make_loader = require "busted.modules.output_handler_loader"
  package.loaded["busted.modules.output_handler_loader"] = function()
    local load = make_loader()
    return function(busted, ...)
      load(busted, ...)
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

-- Every *_spec.lua under 'dir', recursively, hidden entries skipped.
local function find_specs(dir, out)
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
      find_specs(path, out)
    elseif mode == "file" and name:match("_spec%.lua$") then
      out[#out + 1] = path
    end
  end
end

local function xml_escape(s)
  return (s:gsub("[<>&\"']", { ["<"] = "&lt;", [">"] = "&gt;", ["&"] = "&amp;",
                                ['"'] = "&quot;", ["'"] = "&apos;" }))
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

-- Output formats whose documents are merged rather than concatenated.
local function merger(output, timeout)
  local kind = output:lower()
  local m = { kind = kind, parts = {} }
  local tap_n = 0

  if kind == "tap" then
    m.summary_to = io.stdout
    function m.header() io.stdout:write("TAP version 13\n") end
    function m.add(file, res, why)
      for line in res.out:gmatch("[^\n]*\n?") do
        if line ~= "" then
          local ok, rest = line:match("^(n?o?t? ?ok) %d+(.*)$")
          if ok == "ok" or ok == "not ok" then
            tap_n = tap_n + 1
            io.stdout:write(ok, " ", tap_n, rest, rest:sub(-1) == "\n" and "" or "\n")
          elseif not line:match("^1%.%.%d+") then
            io.stdout:write(line, line:sub(-1) == "\n" and "" or "\n")
          end
        end
      end
      if why then
        tap_n = tap_n + 1
        io.stdout:write(("not ok %d - %s %s\n"):format(tap_n, file, why))
        if res.how == "timeout" then
          io.stdout:write(("# no result within %g s (see --timeout)\n"):format(timeout))
        end
      end
    end
    function m.finish() io.stdout:write("1..", tap_n, "\n") end
    return m
  end

  if kind == "junit" then
    m.summary_to = io.stderr
    function m.header() end
    function m.add(file, res, why)
      local body = res.out:match("<testsuites[^>]->(.*)</testsuites>")
      if body and not why then
        body = body:gsub("(<testsuite [^>]-name=)([\"'])Run (%d+) of (%d+)%2",
          function(pre, q, i, n)
            local name = n == "1" and file or ("%s (run %s of %s)"):format(file, i, n)
            return pre .. q .. xml_escape(name) .. q
          end)
        m.parts[#m.parts + 1] = body
      elseif why then
        m.parts[#m.parts + 1] = ('\t<testsuite name="%s" tests="1" failures="0" errors="1" skip="0">\n'
          .. '\t\t<testcase classname="%s" name="%s">\n\t\t\t<error message="%s"/>\n'
          .. '\t\t</testcase>\n\t</testsuite>\n')
          :format(xml_escape(file), xml_escape(file), xml_escape(file), xml_escape(file .. " " .. why))
      end
    end
    function m.finish(tot, seconds)
      local doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="intspect spec" '
        .. 'tests="%d" failures="%d" errors="%d" skipped="%d" time="%.2f">\n%s</testsuites>\n')
        :format(tot.tests, tot.failure, tot.error, tot.pending, seconds,
                table.concat(m.parts))
      if m.file then
        local f = assert(io.open(m.file, "w"))
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
    function m.header() end
    function m.add(file, res, why)
      local body = res.out:match("^%s*(.-)%s*$")
      if why then
        body = ('{"file":"%s","error":"%s"}'):format(file:gsub('[%c"\\]', ""), why)
      end
      if body ~= "" then m.parts[#m.parts + 1] = body end
    end
    function m.finish() io.stdout:write("[", table.concat(m.parts, ",\n"), "]\n") end
    return m
  end

  -- terminals, gtest and anything else: busted's text as it is
  m.summary_to = io.stdout
  function m.header() end
  function m.add(file, res, why)
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

local function main()
  local paths, busted_args = {}, {}
  local profile, timeout, jobs, one, report_fd
  local xoutput = {}   -- -Xoutput tokens, held back for junit
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
      local name, inline = a:match("^(%-%-[%w%-]+)=(.*)$")
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
      elseif name == "-j" or name == "--jobs" then
        jobs = math.tointeger(tonumber(inline or value(a)))
        if not jobs or jobs < 1 then error({ usage = "--jobs needs an integer >= 1" }) end
      elseif name == "--one" then
        one = inline or value(a)
      elseif name == "--report-fd" then
        report_fd = math.tointeger(tonumber(inline or value(a)))
      elseif name == "-h" or name == "--help" then
        error({ help = true })
      elseif name == "--lua" or name == "--ignore-lua" then
        error({ usage = "--lua is for stock busted; intspect spec runs its own Lua" })
      elseif name == "--version" then
        error({ version = true })
      elseif name == "-Xoutput" then
        local v = inline or value(a)
        xoutput[#xoutput + 1] = v
        busted_args[#busted_args + 1] = "-Xoutput"
        busted_args[#busted_args + 1] = v
      elseif a:sub(1, 1) == "-" and #a > 1 then
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

  if profile then
    local known = false
    for _, p in ipairs(intspect.profiles) do known = known or p == profile end
    if not known then
      return usage_error(("unknown profile '%s' (profiles: %s)")
        :format(profile, table.concat(intspect.profiles, ", ")))
    end
  end

  if one then return run_one(one, profile, report_fd, busted_args) end

  -- Let busted judge its own options now, once, rather than in every child.
  local tty = sup.isatty(1)
  local cli = require "busted.modules.cli" {
    standalone = false, output = tty and "utfTerminal" or "plainTerminal" }
  cli:set_name("intspect spec")
  local parsed, perr = cli:parse(busted_args)
  if not parsed then return usage_error((perr:gsub("^intspect spec: error: ", ""))) end
  local output = parsed.output

  if #paths == 0 then paths = { "specs" } end
  local files = {}
  for _, p in ipairs(paths) do
    local mode = exists(p)
    if mode == "directory" then
      find_specs(p, files)
    elseif mode then
      files[#files + 1] = p
    else
      return usage_error(("no such file or directory: %s"):format(p))
    end
  end
  if #files == 0 then
    io.stderr:write("intspect spec: no spec files (*_spec.lua) found in ",
                    table.concat(paths, " "), "\n")
    return 1
  end

  local m = merger(output, timeout or DEFAULT_TIMEOUT)
  local child_args = {}
  for _, a in ipairs(busted_args) do child_args[#child_args + 1] = a end
  if m.kind == "junit" and #xoutput > 0 then
    -- the merged document goes to the file; children write to stdout
    m.file = xoutput[1]
    child_args = {}
    local skip = false
    for _, a in ipairs(busted_args) do
      if skip then skip = false
      elseif a == "-Xoutput" then skip = true
      else child_args[#child_args + 1] = a end
    end
  end
  child_args[#child_args + 1] = "--output=" .. output

  local exe = sup.self_exe() or arg[-1] or "intspect"
  local argvs = {}
  for k, f in ipairs(files) do
    local v = { exe, "spec", "--one", f, "--report-fd", tostring(sup.report_fd) }
    if profile then v[#v + 1] = "--profile"; v[#v + 1] = profile end
    for _, a in ipairs(child_args) do v[#v + 1] = a end
    argvs[k] = v
  end

  local tot = { success = 0, failure = 0, error = 0, pending = 0, tests = 0 }
  local t0 = sup.now()
  m.header()
  io.stdout:flush()
  sup.run(argvs, { INTSPECT_EXE = exe }, jobs or math.min(sup.cpu_count(), 8),
          timeout or DEFAULT_TIMEOUT, function(k, res)
    local done = false
    for line in res.report:gmatch("[^\n]+") do
      if line == "done" then
        done = true
      elseif tot[line] then
        tot[line] = tot[line] + 1
        tot.tests = tot.tests + 1
      end
    end
    local why = not done and abnormal(res) or nil
    if why then
      tot.error = tot.error + 1
      tot.tests = tot.tests + 1
    end
    m.add(files[k], res, why)
  end)
  m.finish(tot, sup.now() - t0)

  local failed = tot.failure + tot.error
  local line = ("%d passed, %d failed"):format(tot.success, failed)
  if tot.pending > 0 then line = line .. (", %d skipped"):format(tot.pending) end
  io.stdout:flush()
  m.summary_to:write(line, "\n")
  return failed == 0 and 0 or 1
end

return main()

-- }==================================================================
