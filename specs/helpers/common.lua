--[[
specs/helpers/common.lua -- shared helpers for the conformance specs.

Loaded by every spec with
  local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                   .. "helpers/common.lua")
so that the specs run the same under `intspect spec` and under a stock
`busted --lua=lua5.4` with the intspect C module on LUA_CPATH, from any
working directory.

What it offers:
  H.intspect            the module
  H.ALL, H.PY3          profile names (all five; the 3.x ones)
  H.each_profile(list, fn)  describe(profile, fn(profile)) for each profile
                        of 'list' (default all) that the run selected
  H.runtime(opts)       a runtime, closed by H.close_all() (after_each)
  H.catch(fn, ...)      run fn, return the error value it raised (or fail)
  H.raises(type, msg, fn, ...)  assert fn raises type with message msg
  H.compare(exp, fn, what), H.assert_none(failures, n)  vector checks
  H.pick(case, profile) the expected result of a vector for a profile
  H.vectors(name)       load specs/vectors/<name>.lua
  H.dec(x)              decimal text of an int handle or Lua integer
]]

local H = {}

-- luassert as busted binds it (its failures count as failures, not errors);
-- this chunk runs in the global environment, not in the spec's.
local assert = require("luassert")

local here = debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "specs/helpers/"
H.root = here:gsub("helpers[/\\]$", "")

H.intspect = rawget(_G, "intspect") or require("intspect")
-- assert.is_same_object(R, a, b), assert.refcount(R, a, n) and friends
H.intspect.spec_helpers()

H.ALL = { "cpython2.7", "cpython3.11", "cpython3.12", "cpython3.13", "cpython3.14" }
H.PY3 = { "cpython3.11", "cpython3.12", "cpython3.13", "cpython3.14" }

-- The profiles of 'list' (default all) that the run selected with
-- `intspect spec --profile P`; the module knows the choice.
function H.profiles(list)
  return H.intspect.selected_profiles(list or H.ALL)
end

-- One describe block per selected profile, named after it.
function H.each_profile(list, fn)
  if type(list) == "function" then list, fn = nil, list end
  H.intspect.describe_profiles(list or H.ALL, fn)
end

-- Runtimes opened by a case, closed after it whatever happened.
local open = {}

function H.runtime(opts)
  if type(opts) == "string" then opts = { profile = opts } end
  local R = H.intspect.runtime(opts)
  open[#open + 1] = R
  return R
end

function H.close_all()
  for i = #open, 1, -1 do
    pcall(open[i].close, open[i])
    open[i] = nil
  end
end

-- The number of leaks a leak report stands for (R:close()'s result).
function H.leak_count(rep)
  if rep == nil then return 0 end
  if type(rep) == "number" then return rep end
  if type(rep) == "table" then
    if type(rep.count) == "number" then return rep.count end
    if type(rep.leaks) == "number" then return rep.leaks end
    if type(rep.leaks) == "table" then return #rep.leaks end
    return #rep
  end
  error("unexpected leak report " .. tostring(rep))
end

function H.dec(x)
  return tostring(x)
end

-- Call fn(...) and return what it raised; fail the case when it returned.
function H.catch(fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error, but the call returned " .. tostring(err))
  return err
end

-- The error fields the API promises: a value with .type and .message
-- whose tostring is "Type: message".
function H.check_error(err, etype, msg, what)
  what = what and (what .. ": ") or ""
  assert(type(err) == "table" or type(err) == "userdata",
         what .. "error is not an error object: " .. tostring(err))
  assert.are.equal(etype, err.type, what .. "error type")
  if msg ~= nil then
    assert.are.equal(msg, err.message, what .. "error message")
    assert.are.equal(etype .. ": " .. msg, tostring(err), what .. "tostring(error)")
  end
end

function H.raises(etype, msg, fn, ...)
  local err = H.catch(fn, ...)
  H.check_error(err, etype, msg)
  return err
end

function H.vectors(name)
  return dofile(H.root .. "vectors/" .. name .. ".lua")
end

-- Which expected result of a generated vector applies under 'profile'.
-- opts.py27_only_texts: under cpython2.7 take r27 only when it is the same
-- exception type as Python 3's (wording is per profile; semantics are
-- Python 3's, as the runtime promises).  opts.py27_always: ops whose 2.7
-- behaviour is a profile row (hash, 3-arg pow).  opts.py27_agree: only use
-- cases where 2.7 agrees with 3.x (returns nil otherwise).
function H.pick(case, profile, opts)
  opts = opts or {}
  if profile == "cpython2.7" then
    local r27 = case.r27
    if not r27 then return case.r end
    if opts.py27_agree then return nil end
    if opts.py27_always then return r27 end
    if r27.e and case.r.e and r27.e[1] == case.r.e[1] then return r27 end
    return case.r
  elseif profile == "cpython3.14" then
    return case.r314 or case.r313 or case.r
  elseif profile == "cpython3.13" then
    return case.r313 or case.r
  elseif profile == "cpython3.12" then
    return case.r312 or case.r
  end
  return case.r
end

local function fmt_float(x)
  if x ~= x then return "nan" end
  return string.format("%a (%.17g)", x, x)
end

-- Compare the outcome of fn() with a generated result 'exp'
-- ({v=}, {f=}, {q=}, {s=}, {b=} or {e={type, message}}).  Returns nil when
-- they agree, else a line naming the case, the expected and the actual.
function H.compare(exp, fn, what)
  local ok, a, b = pcall(fn)
  local function bad(expected, actual)
    return string.format("%s: expected %s, got %s", what, expected, actual)
  end
  local function errtext(e)
    if type(e) == "table" or type(e) == "userdata" then
      return tostring(e.type) .. ": " .. tostring(e.message) .. " [tostring " .. tostring(e) .. "]"
    end
    return "non-object error " .. tostring(e)
  end
  if exp.e then
    local want = exp.e[1] .. ": " .. exp.e[2]
    if ok then return bad(want, "a result " .. tostring(a)) end
    if (type(a) ~= "table" and type(a) ~= "userdata") or a.type ~= exp.e[1]
        or a.message ~= exp.e[2] or tostring(a) ~= want then
      return bad(want, errtext(a))
    end
    return nil
  end
  if not ok then
    local want = exp.v or exp.s or exp.b or (exp.q and (exp.q[1] .. ", " .. exp.q[2]))
                 or (exp.f and fmt_float(exp.f))
    return bad(tostring(want), errtext(a))
  end
  if exp.v then
    if tostring(a) ~= exp.v then return bad(exp.v, tostring(a)) end
  elseif exp.q then
    if tostring(a) ~= exp.q[1] or tostring(b) ~= exp.q[2] then
      return bad(exp.q[1] .. ", " .. exp.q[2], tostring(a) .. ", " .. tostring(b))
    end
  elseif exp.s then
    if a ~= exp.s then return bad(exp.s, tostring(a)) end
  elseif exp.b then
    if type(a) ~= "string" then return bad("bytes " .. exp.b, tostring(a)) end
    local hex = (a:gsub(".", function(c) return string.format("%02x", c:byte()) end))
    if hex ~= exp.b then return bad("bytes " .. exp.b, "bytes " .. hex) end
  elseif exp.f then
    if math.type(a) ~= "float" then return bad(fmt_float(exp.f), tostring(a)) end
    local same = (a == exp.f and (a ~= 0 or 1 / a == 1 / exp.f)) or (a ~= a and exp.f ~= exp.f)
    if not same then return bad(fmt_float(exp.f), fmt_float(a)) end
  else
    error("bad expectation in " .. what)
  end
  return nil
end

-- Fail once with every disagreement of a batch of vector cases (at most
-- 'limit' lines shown), so one it() can hold hundreds of cases.
function H.assert_none(failures, total, limit)
  limit = limit or 12
  if #failures == 0 then return end
  local lines = {}
  for i = 1, math.min(#failures, limit) do lines[#lines + 1] = "  " .. failures[i] end
  if #failures > limit then lines[#lines + 1] = string.format("  ... and %d more", #failures - limit) end
  assert(false, string.format("%d of %d cases disagree with CPython:\n%s", #failures, total,
                              table.concat(lines, "\n")))
end

-- A short printable form of a vector's operands for case names.
function H.short(s)
  s = tostring(s)
  if #s > 24 then
    return s:sub(1, 10) .. "..(" .. #s .. " chars).." .. s:sub(-6)
  end
  return s
end

return H
