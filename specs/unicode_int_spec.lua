--[[
unicode_int_spec.lua -- int(str) with the Unicode data of each version:
decimal digits of every script (unicodedata.decimal), Unicode whitespace
around a number, and the repr of the text in the "invalid literal" message
(characters str.isprintable() rejects escaped, cut at exactly 200
characters by %.200R, inside an escape when that is where it falls).

Covers:
  issue 10  part 2: digits of scripts missing from the old table (most
            outside the BMP) rejected; code points CPython's repr escapes
            written raw; the cut dropping a whole escape
  facts     section 4 "Unicode digits and bytes are accepted"; section 6
            item 7 (int(str) grammar, Unicode)
  issue 10  also: which error wins when a text is past the digit limit and
            invalid at once (3.11: the limit, checked right after the
            digits; 3.12+: the invalid literal, except a base-0 leading
            zero and text after a NUL, which lose to the limit everywhere)
  vectors   specs/vectors/unicode.lua and str_limit.lua, made by specs/gen/make_unicode.py
            from CPython 3.11.7 (Unicode 14.0), 3.12.1 (15.0) and 3.13.0
            (15.1); the cpython3.14 profile follows 3.13 (3.14 ships
            Unicode 16.0, not measured here)
2.7 parses bytes, not Unicode text: not run there.
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

local CASES = H.vectors("unicode")
local LIMITS = H.vectors("str_limit")

local function expected(c, profile)
  if profile == "cpython3.13" or profile == "cpython3.14" then return c.r313 or c.r end
  if profile == "cpython3.12" then return c.r312 or c.r end
  return c.r
end

H.each_profile(H.PY3, function(profile)
  after_each(H.close_all)

  it(string.format("%d texts: digits, spaces and the quoted text as CPython's (vectors/unicode.lua)",
                   #CASES), function()
    local R = H.runtime(profile)
    local fails = {}
    for _, c in ipairs(CASES) do
      fails[#fails + 1] = H.compare(expected(c, profile), function()
        return R:int(c[1], c[2])
      end, string.format("int(%q, %d)", c[1], c[2]))
    end
    H.assert_none(fails, #CASES)
  end)

  it(string.format("%d texts past the digit limit and invalid: the error CPython gives (vectors/str_limit.lua)",
                   #LIMITS), function()
    local R = H.runtime(profile)
    local fails = {}
    for _, c in ipairs(LIMITS) do
      local text = c[1] .. c[2]:rep(c[3]) .. c[4]
      fails[#fails + 1] = H.compare(expected(c, profile), function()
        return R:str(R:int(text, c[5]), 16)
      end, string.format("int(%q .. %q * %d .. %q, %d)", c[1], c[2], c[3], c[4], c[5]))
    end
    H.assert_none(fails, #LIMITS)
  end)
end)
