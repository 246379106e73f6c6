--[[
bytes_roundtrip.lua -- to_bytes and from_bytes are inverse: for any int a,
byte order and length that holds it, R:frombytes(a:tobytes(n, order,
signed), order, signed) == a, the bytes of the two orders are each
other's reverse, and a length one byte too short raises OverflowError.
]]
return function(p)
  local R = p:runtime()
  local a = p:consume_int(1024)
  local signed = R:compare(a, 0) < 0 or p:consume_boolean()
  -- the fewest bytes that hold a: one more bit for the sign when signed,
  -- and a negative a needs the bits of ~a = -a - 1 (-128 fits one byte);
  -- no byte at all holds 0, and, signed, -1 (CPython's to_bytes(0) gives
  -- b'' for it, and so does the runtime)
  local neg = R:compare(a, 0) < 0
  local bits = (neg and (~a):bit_length() or a:bit_length()) + (signed and 1 or 0)
  local need = (bits + 7) // 8
  if R:compare(a, 0) == 0 or (neg and (~a):bit_length() == 0) then need = 0 end
  -- the round trip needs at least one byte: b'' reads back as 0
  local n = (need > 0 and need or 1) + p:consume_integer(0, 3)
  local order = p:pick{ "big", "little" }
  local s = a:tobytes(n, order, signed)
  assert(#s == n, "to_bytes gave " .. #s .. " bytes, want " .. n)
  local other = a:tobytes(n, order == "big" and "little" or "big", signed)
  assert(other == s:reverse(), "the two byte orders are not each other's reverse")
  local b = R:frombytes(s, order, signed)
  assert(R:compare(a, b) == 0, "from_bytes(to_bytes(a)) ~= a")
  if need > 0 then                            -- one byte too few overflows
    local ok, err = pcall(a.tobytes, a, need - 1, order, signed)
    assert(not ok and err.type == "OverflowError",
           ("to_bytes(%d) of a %d-bit int did not raise OverflowError"):format(need - 1, bits))
  end
end
