--[[
tests/docs/check_blocks.lua -- every code block of the docs runs, and shows
what it prints.

  intspect run tests/docs/check_blocks.lua SRC_DIR BUILD_DIR

Reads README.md, docs/*.md and examples/*.md of SRC_DIR and runs their
fenced code blocks from a scratch directory that looks like the checkout's
top (every entry of SRC_DIR linked, build/ linked to BUILD_DIR), as the docs
say their examples are run:

  ```lua    run with `build/intspect run`; must succeed.  Its output must
            match the plain block right after it (only blank lines
            between), or else, when its lines carry `--> text` comments,
            those texts in order, one output line each.
  ```c      compiled with cc against build/libintspect.a and run; output as
            for lua.
  ```sh     each line that is not blank or a comment runs with sh; must
            succeed.  Output is not checked.
  ```       a transcript when its first line starts with "$ ": each "$ CMD"
            runs with sh (stdout and stderr as one stream, line-buffered),
            must succeed, and its output must match the lines after it up
            to the next "$ " (a command with no lines after it: unchecked).
            Any other plain block is text (a synopsis, a message format).

Matching: trailing blanks dropped, runs of blanks and tabs are one space;
a line "..." stands for any number of lines; "id 0x<hex>" stands for any
address and busted's ": <n.nnn> seconds" for any duration.

Annotations, an HTML comment on the line(s) right before the fence:

  <!-- doc-test: file NAME -->        the block is saved as NAME in the
                                       scratch directory for later blocks
                                       (a lua file is still compiled)
  <!-- doc-test: no-run: REASON -->   the block is not run: lua is
                                       compiled, sh syntax-checked with sh -n
  <!-- doc-test: skip "TEXT": REASON --> in a sh block, lines containing
                                       TEXT are not run (may repeat)

Exit status 0 when every block passed; 1 naming each failure.
]]

local SRC, BUILD = arg[1], arg[2]
if not SRC or not BUILD then
  io.stderr:write("usage: intspect run tests/docs/check_blocks.lua SRC_DIR BUILD_DIR\n")
  os.exit(2)
end

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Run a shell command; its output (stdout and stderr merged) and success.
local function sh(cmd)
  local p = assert(io.popen(cmd .. " 2>&1", "r"))
  local out = p:read("a")
  local ok, how, code = p:close()
  return out, ok == true, how == "signal" and ("signal " .. code) or ("exit status " .. tostring(code))
end

local function lines_of(s)
  local t = {}
  for l in (s:gsub("\n$", "") .. "\n"):gmatch("(.-)\n") do t[#t + 1] = l end
  if s == "" then t = {} end
  return t
end

local function normal(l)
  l = l:gsub("%s+$", ""):gsub("[ \t]+", " ")
  l = l:gsub("id 0x%x+", "id 0x?"):gsub(": %d+%.%d+ seconds", ": ? seconds")
  return l
end

local function match(exp, got, i, j)
  i, j = i or 1, j or 1
  while i <= #exp do
    if exp[i] == "..." then
      for k = j, #got + 1 do
        if match(exp, got, i + 1, k) then return true end
      end
      return false
    end
    if j > #got or normal(exp[i]) ~= normal(got[j]) then return false end
    i, j = i + 1, j + 1
  end
  return j > #got
end

-- {====================================================== reading the docs
local KNOWN_INFO = { [""] = true, sh = true, lua = true, c = true }

local function parse(path, name)
  local lines, blocks, pending = {}, {}, {}
  for l in io.lines(path) do lines[#lines + 1] = l end
  local i, blank_since = 1, nil
  while i <= #lines do
    local l = lines[i]
    local ann = l:match("^<!%-%- doc%-test: (.-) %-%->%s*$")
    if ann then
      local a = { line = i }
      a.file = ann:match("^file (%S+)$")
      if a.file and not a.file:match("^[%w_][%w_.%-]*$") then
        error(("%s:%d: 'file %s': a plain file name is needed (the scratch directory "
               .. "links the checkout's directories, which must not be written)"):format(name, i, a.file), 0)
      end
      a.no_run = ann:match("^no%-run: (.+)$")
      a.skip, a.skip_reason = ann:match('^skip "(.-)": (.+)$')
      if not (a.file or a.no_run or a.skip) then
        error(("%s:%d: unknown doc-test annotation '%s' (expected: file NAME, "
               .. "no-run: REASON, skip \"TEXT\": REASON)"):format(name, i, ann), 0)
      end
      pending[#pending + 1] = a
      i = i + 1
    elseif l:match("^```") then
      local info = l:match("^```%s*(%S*)")
      if not KNOWN_INFO[info] then
        error(("%s:%d: code block of unknown kind '%s' (expected lua, c, sh or none)")
              :format(name, i, info), 0)
      end
      local b = { name = name, line = i, info = info, body = {}, file = nil, skips = {} }
      for _, a in ipairs(pending) do
        if a.file then b.file = a.file end
        if a.no_run then b.no_run = a.no_run end
        if a.skip then b.skips[#b.skips + 1] = a.skip end
      end
      if #b.skips > 0 and info ~= "sh" then
        error(("%s:%d: 'skip' applies to sh blocks only"):format(name, i), 0)
      end
      i = i + 1
      while i <= #lines and not lines[i]:match("^```%s*$") do
        b.body[#b.body + 1] = lines[i]
        i = i + 1
      end
      if i > #lines then error(("%s:%d: code block never closed"):format(name, b.line), 0) end
      if blank_since and #pending == 0 then b.after = blocks[#blocks] end
      blocks[#blocks + 1] = b
      pending, blank_since = {}, true
      i = i + 1
    else
      if l:match("%S") then
        if #pending > 0 then
          error(("%s:%d: doc-test annotation not directly before a code block")
                :format(name, pending[1].line), 0)
        end
        blank_since = nil
      end
      i = i + 1
    end
  end
  return blocks
end
-- }======================================================

-- {====================================================== the scratch directory
local scratch = lines_of((sh("mktemp -d /tmp/isp-docs-XXXXXX")))[1]
assert(scratch and scratch:match("^/tmp/isp%-docs%-"), "mktemp failed")
do
  local _, ok, why = sh(("cd %s && for e in * .[!.]*; do case $e in build*|.git|'.[!.]*') ;; "
    .. "*) ln -s \"$PWD/$e\" %s/ ;; esac; done && ln -s %s %s/build")
    :format(q(SRC), q(scratch), q(BUILD), q(scratch)))
  assert(ok, "cannot set up " .. scratch .. ": " .. why)
end
local function run_here(cmd)
  return sh(("cd %s && stdbuf -oL -eL sh -c %s"):format(q(scratch), q(cmd)))
end
local function write(name, body)
  local f = assert(io.open(scratch .. "/" .. name, "w"))
  f:write(table.concat(body, "\n"), "\n")
  f:close()
end
-- }======================================================

local failures, counts = {}, { run = 0, checked = 0, saved = 0, text = 0, not_run = 0 }
local function fail(b, msg) failures[#failures + 1] = ("%s:%d: %s"):format(b.name, b.line, msg) end

local function check_output(b, expected, out, what)
  local got = lines_of(out)
  if match(expected, got) then
    counts.checked = counts.checked + 1
    return
  end
  fail(b, ("%s printed other lines than the docs show.\n  expected:\n    %s\n  got:\n    %s")
       :format(what, table.concat(expected, "\n    "), table.concat(got, "\n    ")))
end

-- The output a lua or c block is shown to print: the plain block after it,
-- or its --> comments; nil when the docs show none.
local function shown_output(b, next_b)
  if next_b and next_b.after == b and next_b.info == "" and not next_b.no_run
      and not (next_b.body[1] or ""):match("^%$ ") then
    next_b.is_output = true
    return next_b.body
  end
  local arrows = {}
  for _, l in ipairs(b.body) do
    local e = l:match("%-%->%s*(.-)%s*$")
    if e then arrows[#arrows + 1] = e end
  end
  return #arrows > 0 and arrows or nil
end

local function compile_lua(b)
  local f, err = load(table.concat(b.body, "\n"), "=" .. b.name .. ":" .. b.line)
  if not f then fail(b, "does not compile: " .. err) end
end

local function run_block(b, next_b, index)
  if b.is_output then return end
  if b.info == "lua" then
    compile_lua(b)
    if b.file then write(b.file, b.body); counts.saved = counts.saved + 1; return end
    if b.no_run then counts.not_run = counts.not_run + 1; return end
    local file = ("block%d.lua"):format(index)
    write(file, b.body)
    local expected = shown_output(b, next_b)
    local out, ok, why = run_here("build/intspect run " .. file)
    counts.run = counts.run + 1
    if not ok then return fail(b, ("the Lua block failed (%s):\n%s"):format(why, out)) end
    if expected then check_output(b, expected, out, "the Lua block") end
  elseif b.info == "c" then
    if b.file then write(b.file, b.body); counts.saved = counts.saved + 1; return end
    if b.no_run then counts.not_run = counts.not_run + 1; return end
    local file = ("block%d"):format(index)
    write(file .. ".c", b.body)
    local expected = shown_output(b, next_b)
    local out, ok, why = run_here(("cc -std=c11 -Wall -Wextra -Werror -Iruntime %s.c "
      .. "build/libintspect.a -lm -o %s && ./%s"):format(file, file, file))
    counts.run = counts.run + 1
    if not ok then return fail(b, ("the C block failed (%s):\n%s"):format(why, out)) end
    if expected then check_output(b, expected, out, "the C block") end
  elseif b.info == "sh" then
    if b.file then write(b.file, b.body); counts.saved = counts.saved + 1; return end
    write(("block%d.sh"):format(index), b.body)
    local out, ok = run_here(("sh -n block%d.sh"):format(index))
    if not ok then return fail(b, "is not valid sh: " .. out) end
    if b.no_run then counts.not_run = counts.not_run + 1; return end
    counts.run = counts.run + 1
    for _, l in ipairs(b.body) do
      local skipped = false
      for _, s in ipairs(b.skips) do
        if l:find(s, 1, true) then skipped = true end
      end
      if l:match("%S") and not l:match("^%s*#") and not skipped then
        local lout, lok, lwhy = run_here(l)
        if not lok then fail(b, ("'%s' failed (%s):\n%s"):format(l, lwhy, lout)) end
      end
    end
  elseif (b.body[1] or ""):match("^%$ ") then
    if b.no_run then counts.not_run = counts.not_run + 1; return end
    counts.run = counts.run + 1
    local i = 1
    while i <= #b.body do
      local cmd = b.body[i]:match("^%$ (.*)$")
      if not cmd then return fail(b, "transcript line without '$ ': " .. b.body[i]) end
      local expected = {}
      i = i + 1
      while i <= #b.body and not b.body[i]:match("^%$ ") do
        expected[#expected + 1] = b.body[i]
        i = i + 1
      end
      local out, ok, why = run_here(cmd)
      if not ok then
        fail(b, ("'$ %s' failed (%s):\n%s"):format(cmd, why, out))
      elseif #expected > 0 then
        check_output(b, expected, out, "'$ " .. cmd .. "'")
      end
    end
  else
    counts.text = counts.text + 1
  end
end

local docs = lines_of((sh(("cd %s && ls README.md docs/*.md examples/*.md"):format(q(SRC)))))
local index = 0
for _, name in ipairs(docs) do
  local ok, blocks = pcall(parse, SRC .. "/" .. name, name)
  if not ok then
    failures[#failures + 1] = blocks
  else
    for k, b in ipairs(blocks) do
      index = index + 1
      run_block(b, blocks[k + 1], index)
    end
  end
end

print(("%d files: %d blocks run (%d with their output checked), %d saved for later blocks, "
       .. "%d not run by annotation, %d text"):format(#docs, counts.run, counts.checked,
       counts.saved, counts.not_run, counts.text))
if #failures > 0 then
  for _, f in ipairs(failures) do io.stderr:write("FAILED ", f, "\n") end
  io.stderr:write(("%d failed; scratch directory kept: %s\n"):format(#failures, scratch))
  os.exit(1)
end
sh("rm -rf " .. q(scratch))
