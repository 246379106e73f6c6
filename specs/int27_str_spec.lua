--[[
int27_str_spec.lua -- 2.7's int(str, base) where it leaves the int path.

Covers:
  issue 10  part 2, 2.7 int(s, base): base-0 text with a leading 0 whose
            value does not fit a C long is read again by PyLong_FromString
            (a long; a trailing L accepted; its error says "long()" and the
            deduced base); base -909 is int_new's "no base given" (base 10)
  vectors   specs/vectors/int27.lua, made by specs/gen/make_int27.py from
            CPython 2.7.18; results carry their type (int or long)
]]

local H = dofile((debug.getinfo(1, "S").source:match("^@?(.*[/\\])") or "./")
                 .. "helpers/common.lua")

local CASES = H.vectors("int27")

H.each_profile({ "cpython2.7" }, function(profile)
  after_each(H.close_all)

  it(string.format("%d texts: value, type or error text as CPython 2.7's (vectors/int27.lua)",
                   #CASES), function()
    local R = H.runtime(profile)
    local fails = {}
    for _, c in ipairs(CASES) do
      local what = string.format("int(%q, %d)", c[1], c[2])
      fails[#fails + 1] = H.compare(c.r, function() return R:int(c[1], c[2]) end, what)
      if c.r.t then
        local ok, v = pcall(R.int, R, c[1], c[2])
        if ok and R:type(v) ~= c.r.t then
          fails[#fails + 1] = string.format("%s: type expected %s, got %s", what, c.r.t, R:type(v))
        end
      end
    end
    H.assert_none(fails, #CASES)
  end)
end)
