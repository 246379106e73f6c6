--[[
intspect/helper.lua -- the spec helpers, for a stock busted.

  busted --lua=lua5.4 --helper=intspect.helper [PATH ...]

loads the intspect C module before the spec files run, as `intspect spec`
does: the global 'intspect', the global describe_profiles, the luassert
assertions (assert.is_same_object, assert.refcount) and the "(int) 257"
formatter.  Spec files written for `intspect spec`, which need no
require "intspect", then run unchanged.  INTSPECT_PROFILE=P runs only
profile P, as --profile P does under intspect spec; an unknown name fails
here, before any spec runs.

Installed next to the Lua module's search path (lua5.4's INSTALL_LMOD, or
PREFIX/share/lua/5.4), so that require "intspect.helper" finds it.
]]

local ok, intspect = pcall(require, "intspect")
if not ok then
  error("intspect.helper: cannot load the intspect C module (intspect.so on "
        .. "package.cpath): " .. tostring(intspect), 0)
end
intspect.spec_helpers()
_G.intspect = intspect

local checked, err = pcall(intspect.selected_profiles)
if not checked then error("intspect.helper: " .. tostring(err), 0) end

return intspect
