--[[
intspect.lua -- the Lua half of the 'intspect' module: spec helpers.

Compiled into the C module (lintspect.c runs this chunk with the module
table), so `require "intspect"` gives the same helpers under intspect's
own runner and under a stock `busted --lua=lua5.4`:

  intspect.selected_profiles([list])    profiles to run: 'list' (default
                                        all) restricted by the --profile
                                        choice (intspect.profile_filter, or
                                        the INTSPECT_PROFILE environment
                                        variable)
  intspect.each_profile([list,] fn)     fn(profile) for each of them
  intspect.describe_profiles([list,] fn)  one busted describe per profile,
                                        named after it, running fn(profile)
  intspect.spec_helpers()               registers the luassert assertions
                                        below, the int formatter and the
                                        global describe_profiles (done by
                                        itself when luassert is loaded)

Assertions (luassert):
  assert.is_same_object(R, a, b)        R:is(a, b)
  assert.is_not_same_object(R, a, b)
  assert.refcount(R, a, n)              R:refcount(a) == n
Failure messages show both ids in hex, the refcounts and the values.
]]

local M = ...

local getenv = os.getenv
local format = string.format

-- The profiles of 'list' (default: all) that the run selects.
function M.selected_profiles(list)
  list = list or M.profiles
  if type(list) == "string" then list = { list } end
  local only = M.profile_filter or getenv("INTSPECT_PROFILE")
  if only == "" then only = nil end
  local known = {}
  for _, p in ipairs(M.profiles) do known[p] = true end
  if only ~= nil and not known[only] then
    -- a typo in the choice would otherwise select nothing and pass
    error(M.new_error("ValueError", format("unknown profile '%s' (INTSPECT_PROFILE); "
      .. "expected one of %s", tostring(only), table.concat(M.profiles, ", "))), 2)
  end
  local out = {}
  for _, p in ipairs(list) do
    if not known[p] then
      error(M.new_error("ValueError", format("unknown profile '%s'", tostring(p))), 2)
    end
    if only == nil or only == p then out[#out + 1] = p end
  end
  return out
end

local function split(list, fn)
  if fn == nil then return nil, list end
  return list, fn
end

function M.each_profile(list, fn)
  list, fn = split(list, fn)
  for _, p in ipairs(M.selected_profiles(list)) do fn(p) end
end

-- busted's describe, whichever way busted was started.
local function busted_describe()
  local ok, busted = pcall(require, "busted")
  local d = ok and type(busted) == "table" and busted.describe
  if not d then
    error("intspect.describe_profiles needs busted (run it from a spec file)", 3)
  end
  return d
end

function M.describe_profiles(list, fn)
  list, fn = split(list, fn)
  M.spec_helpers()
  local describe = busted_describe()
  for _, p in ipairs(M.selected_profiles(list)) do
    describe(p, function() fn(p) end)
  end
end

-- {==================================================================
-- luassert assertions
-- ===================================================================

-- One line about an int for a failure message; never raises.
local function describe_int(R, v, no_refcount)
  if not M.is_int(v) then
    return format("(%s) %s", type(v), tostring(v))
  end
  local ok, id = pcall(R.id, R, v)
  if not ok then return "(int) " .. tostring(id) end
  local _, rc = pcall(R.refcount, R, v)
  local okv, text = pcall(tostring, v)
  if not okv then text = "?" end
  if #text > 60 then text = text:sub(1, 57) .. "..." end
  if no_refcount then return format("id 0x%x, value %s", id, text) end
  return format("id 0x%x, refcount %s, value %s", id, tostring(rc), text)
end

local registered = false

function M.spec_helpers()
  if registered then return M end
  local ok, assert = pcall(require, "luassert")
  if not ok then return M end
  local say = require("say")
  registered = true

  local function same_object(state, args)
    local R, a, b = args[1], args[2], args[3]
    local ok_is, is = pcall(R.is, R, a, b)
    if not ok_is then error(is, 0) end
    args.nofmt = { true, true }
    args.n = 2
    args[1] = describe_int(R, a)
    args[2] = describe_int(R, b)
    args[3] = nil
    return is
  end
  say:set("assertion.intspect_same_object.positive",
          "Expected the same object.\nFirst:  %s\nSecond: %s")
  say:set("assertion.intspect_same_object.negative",
          "Expected two different objects.\nFirst:  %s\nSecond: %s")
  assert:register("assertion", "same_object", same_object,
                  "assertion.intspect_same_object.positive",
                  "assertion.intspect_same_object.negative")

  local function refcount(state, args)
    local R, a, n = args[1], args[2], args[3]
    local ok_rc, rc = pcall(R.refcount, R, a)
    if not ok_rc then error(rc, 0) end
    args.nofmt = { true, true }
    args.n = 2
    args[1] = tostring(n)
    args[2] = format("%s (%s)", tostring(rc), describe_int(R, a, true))
    args[3] = nil
    return rc == n
  end
  say:set("assertion.intspect_refcount.positive",
          "Expected refcount %s.\nActual:   %s")
  say:set("assertion.intspect_refcount.negative",
          "Expected a refcount other than %s.\nActual:   %s")
  assert:register("assertion", "refcount", refcount,
                  "assertion.intspect_refcount.positive",
                  "assertion.intspect_refcount.negative")

  -- the global form of the helper, for spec files that prefer it
  if rawget(_G, "describe_profiles") == nil then
    rawset(_G, "describe_profiles", M.describe_profiles)
  end

  -- ints print as "(int) 257" in every luassert message
  assert:add_formatter(function(v)
    if not M.is_int(v) then return nil end
    local okv, text = pcall(tostring, v)
    return "(int) " .. (okv and text or "<" .. tostring(text) .. ">")
  end)
  return M
end

-- Under a test framework already loaded, install the helpers now.
if package.loaded.luassert then M.spec_helpers() end

-- }==================================================================
