-- installed_spec.lua -- a spec as a user writes it for `intspect spec`: no
-- require, the global describe_profiles and the intspect assertions.
-- tests/install/run.sh runs it with the installed intspect and with a stock
-- busted (--helper=intspect.helper), each time from the installed files.
describe_profiles(function(profile)
  local R
  before_each(function() R = intspect.runtime{ profile = profile } end)
  after_each(function() R:close() end)

  it("caches 256 but not 257", function()
    assert.is_same_object(R, R:int(256), R:int("256"))
    assert.is_not_same_object(R, R:int(257), R:int("257"))
  end)

  it("computes 2**100", function()
    assert.are.equal("1267650600228229401496703205376", tostring(R:int(2) ^ 100))
  end)

  it("gives a fresh int refcount 1", function()
    assert.refcount(R, R:int(10) ^ 30, 1)
  end)

  it("raises the profile's ZeroDivisionError", function()
    local want = profile == "cpython3.14" and "division by zero"
                 or "integer division or modulo by zero"
    assert.has_error(function() return R:int(1) // 0 end, "ZeroDivisionError: " .. want)
  end)
end)
