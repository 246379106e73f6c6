--[[
divmod.lua -- floor division and modulo agree with each other and with
Python's rules, on any two ints of any profile.

For every a and b (b ~= 0):
  q, r = divmod(a, b) gives q == a // b and r == a % b;
  q * b + r == a;
  r is 0 or has the sign of b, and |r| < |b|.
b == 0 raises ZeroDivisionError from //, % and divmod alike.
]]
return function(p)
  local R = p:runtime()
  local a, b = p:consume_int(512), p:consume_int(512)
  if R:compare(b, 0) == 0 then
    for _, f in ipairs{ function() return a // b end, function() return a % b end,
                        function() return R:divmod(a, b) end } do
      local ok, err = pcall(f)
      assert(not ok and err.type == "ZeroDivisionError",
             "division by zero did not raise ZeroDivisionError: " .. tostring(err))
    end
    return
  end
  local q, r = R:divmod(a, b)
  assert(q == a // b, "divmod quotient differs from //")
  assert(r == a % b, "divmod remainder differs from %")
  assert(q * b + r == a, "q * b + r ~= a")
  if R:compare(r, 0) ~= 0 then
    assert((r < 0) == (b < 0), "the remainder does not take the divisor's sign")
  end
  assert(R:abs(r) < R:abs(b), "|r| >= |b|")
end
