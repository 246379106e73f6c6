-- pngchunks.lua -- a parser's byte and offset arithmetic: reading the chunks
-- of PNG files as pypng's png.Reader does (length and type from big-endian
-- bytes, offset += 12 + length) and checking each chunk's CRC-32 with the
-- table-driven algorithm written in Python (crc = table[(crc ^ b) & 0xff]
-- ^ (crc >> 8)), indexing bytes, which gives ints 0..255.
local FILES = 12
local CHUNK_BYTES = 500

return {
  models = "pypng's png.Reader chunk loop with a pure-Python table-driven CRC-32 (12 files)",
  run = function(R)
    local ZERO, ONE, FOUR, EIGHT, TWELVE = R:int(0), R:int(1), R:int(4), R:int(8), R:int(12)
    local SIXTEEN, TWENTYFOUR, FF = R:int(16), R:int(24), R:int(255)
    local POLY, ALL = R:int(0xEDB88320), R:int(0xFFFFFFFF)
    -- the CRC table, built as the Python code builds it
    local table_ = {}
    for n = 0, 255 do
      local c = R:int(n)
      for _ = 1, 8 do
        if c & ONE ~= ZERO then c = POLY ~ (c >> ONE) else c = c >> ONE end
      end
      table_[n + 1] = c
    end
    local function crc32(data, first, last)          -- data[first:last], Python offsets
      local crc = ALL
      for p = first:tointeger() + 1, last:tointeger() do
        local b = R:int(data:byte(p))                -- bytes indexing makes an int
        crc = table_[((crc ~ b) & FF):tointeger() + 1] ~ (crc >> EIGHT)
      end
      return crc ~ ALL
    end
    local function be32(data, at)                    -- (b0 << 24) | ... | b3
      local p = at:tointeger()
      local b0, b1, b2, b3 = R:int(data:byte(p + 1)), R:int(data:byte(p + 2)),
                             R:int(data:byte(p + 3)), R:int(data:byte(p + 4))
      return (b0 << TWENTYFOUR) | (b1 << SIXTEEN) | (b2 << EIGHT) | b3
    end
    -- the files: a signature and chunks of made-up pixels, CRCs computed here
    local function be32bytes(v)
      return string.char((v >> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255)
    end
    local function plain_crc(s)
      local c = 0xFFFFFFFF
      for p = 1, #s do
        c = c ~ s:byte(p)
        for _ = 1, 8 do c = (c & 1) ~= 0 and (0xEDB88320 ~ (c >> 1)) or (c >> 1) end
      end
      return c ~ 0xFFFFFFFF
    end
    local seed = 12345
    local function byte()
      seed = (seed * 1103515245 + 12345) % 2147483648
      return (seed >> 16) & 255
    end
    local chunks, crcs = 0, 0
    for _ = 1, FILES do
      local parts = { "\137PNG\r\n\26\n" }
      for c = 1, 8 do
        local body = {}
        local len = CHUNK_BYTES + c * 13
        for k = 1, len do body[k] = string.char(byte()) end
        local typ = c == 1 and "IHDR" or c == 8 and "IEND" or "IDAT"
        local s = typ .. table.concat(body)
        parts[#parts + 1] = be32bytes(len) .. s .. be32bytes(plain_crc(s))
      end
      local data = table.concat(parts)
      local size = R:int(#data)
      local offset = EIGHT
      while offset < size do                         -- the reader's chunk loop
        local length = be32(data, offset)
        local typ = offset + FOUR
        local stop = typ + FOUR + length
        local crc = be32(data, stop)
        if crc32(data, typ, stop) == crc then crcs = crcs + 1 end
        chunks = chunks + 1
        offset = offset + TWELVE + length
      end
    end
    assert(chunks == FILES * 8 and crcs == chunks)
  end,
}
