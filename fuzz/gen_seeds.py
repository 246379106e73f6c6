#!/usr/bin/env python3
"""gen_seeds.py -- write the hand-made seed inputs of corpus/<target>/.

Each seed encodes one interesting case in the target's input format (see
the header comment of fuzz/fz_<target>.c) and is named by the sha1 of its
bytes, so running this again adds nothing twice.  Usage:
    python3 fuzz/gen_seeds.py [CORPUS_DIR]      (default: corpus/)
"""
import hashlib
import os
import struct
import sys

PROFILES = ["cpython3.14", "cpython3.13", "cpython3.12", "cpython3.11", "cpython2.7"]

# ------------------------------------------------------------------ arith
OPS = ["add", "sub", "mul", "floordiv", "mod", "divmod", "pow", "pow-mod",
       "lshift", "rshift", "and", "or", "xor", "invert", "neg", "abs",
       "compare", "gcd", "isqrt", "bit_length", "bit_count", "hash",
       "to_double", "truediv", "to_i64", "mul-then-divmod"]


def raw(value):
    """Shape 0: sign bit and big-endian magnitude bytes."""
    mag = abs(value)
    b = mag.to_bytes((mag.bit_length() + 7) // 8, "big") if mag else b""
    return bytes([1 if value < 0 else 0]) + struct.pack(">H", len(b)) + b


def pow2(k, d=0, neg=False):
    """Shape 1: +-(2**k + d)."""
    return bytes([(1 if neg else 0) | 2]) + struct.pack(">Hb", k, d)


def fill(n, byte, sub=0, neg=False):
    """Shape 2: +-(n bytes of 'byte' minus sub)."""
    return bytes([(1 if neg else 0) | 4]) + struct.pack(">HBB", n, byte, sub)


def small(v):
    """Shape 3: a signed 16-bit value."""
    return bytes([6]) + struct.pack(">h", v)


def arith(profile, op, *operands, hexcheck=False):
    h = profile | (8 if hexcheck else 0)
    return bytes([h, OPS.index(op)]) + b"".join(operands)


def arith_seeds():
    big = 3 ** 200
    huge = 7 ** 700                    # ~1970 bits: past the Karatsuba cutoff
    s = []
    for p in range(5):
        s.append(arith(p, "add", small(255), small(1)))             # leaves the cache
        s.append(arith(p, "sub", small(-4), small(2)))              # enters -6
        s.append(arith(p, "floordiv", small(7), small(0)))          # ZeroDivisionError
        s.append(arith(p, "hash", raw(-1)))
        s.append(arith(p, "pow-mod", small(3), small(-1), small(7)))
    s += [
        arith(0, "add", pow2(62), pow2(62)),
        arith(1, "add", raw(2 ** 63 - 1), small(1), hexcheck=True),
        arith(2, "sub", raw(-(2 ** 63)), small(1)),
        arith(3, "mul", raw(big), raw(-big)),
        arith(0, "mul", raw(huge), raw(huge + 1)),
        arith(1, "mul", fill(300, 0xff), fill(280, 0xff, 1)),
        arith(0, "floordiv", raw(huge), raw(-big)),
        arith(2, "mod", raw(-huge), raw(big)),
        arith(3, "divmod", fill(400, 0xff), fill(200, 0x80, 0)),
        arith(4, "divmod", small(-7), small(2)),
        arith(0, "divmod", pow2(3000, -1), pow2(1500, 1)),
        arith(1, "pow", small(-3), small(101)),
        arith(0, "pow", small(2), small(-3)),
        arith(2, "pow", small(0), small(-1)),
        arith(0, "pow-mod", raw(big), raw(big + 2), raw(-(2 ** 89 - 1))),
        arith(4, "pow-mod", small(3), small(-1), small(7)),
        arith(0, "pow-mod", small(6), small(-1), small(9)),         # not invertible
        arith(1, "pow-mod", small(5), small(3), small(0)),          # modulus 0
        arith(0, "lshift", small(-1), small(1000)),
        arith(1, "lshift", small(1), small(-1)),                    # negative count
        arith(2, "lshift", small(0), raw(2 ** 100)),
        arith(0, "lshift", small(3), raw(2 ** 70)),                 # too many digits
        arith(4, "lshift", small(3), raw(2 ** 70)),                 # 2.7: OverflowError
        arith(0, "rshift", raw(-big), small(77)),
        arith(3, "rshift", small(-1), raw(2 ** 100)),
        arith(0, "and", raw(-big), raw(huge)),
        arith(1, "or", small(-8), small(3)),
        arith(2, "xor", raw(-huge), raw(-big)),
        arith(0, "invert", raw(big)),
        arith(0, "neg", small(5)),
        arith(1, "abs", raw(-big)),
        arith(0, "compare", raw(big), raw(big + 1)),
        arith(0, "gcd", raw(big * 6), raw(-(2 ** 300) * 9)),
        arith(0, "isqrt", raw(huge)),
        arith(1, "isqrt", small(-1)),
        arith(0, "bit_length", small(-256)),
        arith(0, "bit_count", raw(-huge)),
        arith(0, "hash", pow2(61)),
        arith(4, "hash", raw(2 ** 64 - 1)),
        arith(4, "hash", raw(-(2 ** 64 - 1))),
        arith(0, "to_double", raw(2 ** 53 + 1)),
        arith(1, "to_double", raw(2 ** 1024 - 2 ** 970)),           # overflows
        arith(2, "to_double", raw(2 ** 1024 - 2 ** 971)),           # DBL_MAX
        arith(0, "truediv", small(1), small(3)),
        arith(0, "truediv", small(0), small(-5)),                   # -0.0
        arith(1, "truediv", small(1), raw(10 ** 400)),              # underflow
        arith(0, "truediv", raw(10 ** 400), small(3)),              # overflow
        arith(3, "truediv", raw(huge), raw(big)),
        arith(0, "to_i64", raw(-(2 ** 63))),
        arith(0, "to_i64", raw(2 ** 63)),
        arith(0, "mul-then-divmod", raw(huge), raw(big), small(-1)),
    ]
    return s


# ------------------------------------------------------------------ str
def strseed(profile, base, text, outbase=10, limit=0):
    """base: 0..36, or 1/37/-1/100 for the bad bases."""
    bad = {1: 1, 37: 37, -1: 38, 100: 39}
    bsel = bad.get(base, base)
    if isinstance(text, str):
        text = text.encode("utf-8")
    return bytes([profile | (limit << 3), bsel, (outbase - 2) % 35]) + text


def str_seeds():
    s = []
    for p in range(5):
        s.append(strseed(p, 10, "  -123  "))
        s.append(strseed(p, 0, "0x_ff", outbase=16))
        s.append(strseed(p, 0, "010"))
    s += [
        strseed(0, 10, "1_000_000"),
        strseed(0, 10, "1__0"),
        strseed(0, 10, "_1"),
        strseed(0, 10, "1_"),
        strseed(0, 0, "0_0"),
        strseed(0, 0, "00"),
        strseed(0, 0, "0b1_0", outbase=2),
        strseed(0, 0, "0o777", outbase=8),
        strseed(0, 16, "0X_DEAD_beef", outbase=36),
        strseed(0, 12, "0b1"),
        strseed(0, 36, "zz"),
        strseed(0, 2, "2"),
        strseed(0, 10, "+-1"),
        strseed(0, 10, "- 1"),
        strseed(4, 10, "- 1"),
        strseed(0, 10, "\t\n\v\f\r 7 \r\n"),
        strseed(0, 10, "1\x00"),
        strseed(0, 10, ""),
        strseed(0, 10, "\u0661\u0662"),          # Arabic-Indic digits
        strseed(0, 10, "\u00a05\u2000"),          # Unicode spaces
        strseed(0, 1, "5"),
        strseed(0, 37, "5"),
        strseed(0, -1, "5"),
        strseed(0, 100, "5"),
        strseed(0, 10, "9" * 4300),              # at the limit
        strseed(1, 10, "9" * 4301),              # past it
        strseed(0, 10, "1" + "_1" * 4299),       # underscores do not count
        strseed(0, 16, "f" * 5000, outbase=10),  # hex is exempt; str() is not
        strseed(2, 10, "7" * 700, limit=2),      # limit 640
        strseed(3, 10, "7" * 700, limit=1),      # no limit
        strseed(0, 10, "1" * 5000 + "x"),
        strseed(0, 7, "6" * 1000, outbase=7),    # non-binary bases count too
        strseed(4, 0, "0x1fL"),
        strseed(4, 10, "99999999999999999999999"),
    ]
    return s


# ------------------------------------------------------------------ alloc
A = {name: i for i, name in enumerate(
    ["new", "new_u64", "new_str", "new_bytes", "release", "dup", "arith", "collect",
     "fail", "lift", "identity", "to_long", "probe", "bulk_new", "bulk_free"])}
EDGES = ["zero", "lo-1", "lo", "hi", "hi+1", "2**30", "-2**30", "2**60", "-2**60",
         "2**62", "INT64_MAX", "INT64_MIN", "2**31", "2**32", "1000", "-1000"]


def v16(v):
    """A value: tag 1, signed 16 bits."""
    return bytes([1]) + struct.pack(">h", v)


def v64(v):
    """A value: tag 3, signed 64 bits."""
    return bytes([3]) + struct.pack(">q", v)


def edge(name, d=0):
    """A value: tag 0, an edge (see fz_alloc.c) plus a signed byte."""
    return bytes([EDGES.index(name) << 2]) + struct.pack(">b", d)


def op(name, *args):
    return bytes([A[name]]) + b"".join(a if isinstance(a, bytes) else bytes([a]) for a in args)


RANGES = [(0, 0), (0, 1), (0, 41), (6, 258), (299, 1025)]


def alloc(profile, *ops, small_ints=None):
    """small_ints: one of RANGES, {NSMALLNEGINTS, NSMALLPOSINTS}."""
    h = profile
    extra = b""
    if small_ints is not None:
        h |= 8
        extra = bytes([RANGES.index(small_ints)])
    return bytes([h]) + extra + b"".join(ops)


def alloc_seeds():
    s = []
    for p in range(5):
        # the cache edges, identity and refcounts
        s.append(alloc(p, op("new", 0, edge("hi")), op("new", 1, edge("hi+1")),
                       op("new", 2, edge("lo")), op("new", 3, edge("lo-1")),
                       op("identity", edge("hi")), op("identity", edge("hi+1")),
                       op("identity", edge("lo")), op("identity", edge("lo-1")),
                       op("probe", 0), op("probe", 1), op("dup", 0, 4), op("probe", 4)))
        # LIFO reuse: free one, make one of the same size class, at each digit count
        s.append(alloc(p, op("new", 0, v16(1000)), op("new", 1, v16(1001)),
                       op("release", 0), op("new", 2, v16(1002)),
                       op("new", 3, edge("2**30", -1)), op("new", 4, edge("2**30")),
                       op("release", 4), op("release", 3), op("new", 5, edge("2**30", 5)),
                       op("new", 6, v16(7)), op("new", 7, edge("2**60")),
                       op("release", 7), op("new", 8, edge("-2**60", -3)),
                       op("new_u64", 9, struct.pack(">Q", 2 ** 64 - 1)), op("release", 9),
                       op("new_u64", 10, struct.pack(">Q", 2 ** 63)), op("collect")))
        # fault injection around creations that do and do not allocate
        s.append(alloc(p, op("new", 0, v16(300)), op("fail", 2), op("new", 1, v16(7)),
                       op("new", 2, v16(2000)), op("new", 3, v16(2001)),
                       op("new", 4, v16(2002)), op("release", 2), op("new", 5, v16(2003)),
                       op("arith", 0, 6, 0, 0), op("lift"), op("new", 7, v16(2004))))
        # opaque steps, then the model learns the free lists again
        s.append(alloc(p, op("new_bytes", 0, 40, bytes(range(1, 41))), op("dup", 0, 1),
                       op("arith", 2, 2, 0, 1), op("arith", 3, 3, 2, 0),
                       op("to_long", 3, 4), op("to_long", 1, 5), op("new", 6, v16(9)),
                       op("to_long", 6, 7), op("new_str", 8, v16(-12345)),
                       op("release", 8), op("new", 9, v16(4000)), op("release", 9),
                       op("new", 10, v16(4001)), op("collect")))
        # more than the free list holds, released both ways, and collected
        s.append(alloc(p, op("bulk_new", 120, v16(500), 1), op("bulk_free", 120, 0),
                       op("bulk_new", 120, v16(-900), 3), op("bulk_free", 120, 1),
                       op("bulk_new", 90, edge("2**30", -45), 1), op("bulk_free", 90, 2),
                       op("collect"), op("bulk_free", 90, 0), op("collect"),
                       op("new", 0, v16(777)), op("new", 1, edge("2**60"))))
    s += [
        alloc(0, op("new", 0, v16(0)), op("identity", v16(0)), small_ints=(0, 0)),
        alloc(2, op("new", 0, v16(0)), op("identity", v16(0)), op("identity", v16(1)),
              op("probe", 0), small_ints=(0, 1)),
        alloc(0, op("new", 0, v16(1024)), op("identity", v16(1024)),
              op("identity", v16(-300)), small_ints=(299, 1025)),
        alloc(4, op("new", 0, v16(600)), op("identity", v16(600)),
              op("bulk_new", 60, v16(1000), 1), op("collect"), small_ints=(6, 258)),
        alloc(4, op("bulk_new", 82, v16(1000), 1), op("bulk_free", 41, 1),
              op("collect"), op("bulk_free", 41, 0), op("collect"),
              op("new", 0, v16(5000)), small_ints=(0, 41)),
        alloc(3, op("new", 0, v16(12)), op("new_str", 1, v64(-(2 ** 63))),
              op("new_u64", 2, struct.pack(">Q", 2 ** 64 - 1)),
              op("new", 3, v64(-(2 ** 63))), op("arith", 1, 4, 3, 2), op("probe", 0)),
        alloc(0, *[op("new", i, v16(1000 + i)) for i in range(16)],
              *[op("release", i) for i in range(16)],
              *[op("new", i, v16(2000 + i)) for i in range(16)], op("collect")),
        alloc(0, op("bulk_new", 150, v16(300), 1), op("bulk_free", 150, 0),
              op("new", 0, v16(1)), op("new", 1, v16(5000)), op("collect"),
              op("new", 2, v16(5001))),
        # 2.7: -2**63 % -1 overflows divmod, so the result is 0L
        alloc(4, op("new", 0, edge("INT64_MIN")), op("new", 1, v16(-1)),
              op("arith", 4, 2, 0, 1), op("arith", 3, 3, 0, 1), op("arith", 7, 4, 0, 0),
              op("arith", 6, 5, 0, 0), op("to_long", 2, 6)),
        alloc(1, op("fail", 0), op("new", 0, v16(5)), op("new", 1, v16(5000)),
              op("lift"), op("new", 1, v16(5000))),
        alloc(4, op("fail", 0), op("bulk_new", 30, v16(1000), 1), op("lift"),
              op("bulk_new", 30, v16(1000), 1), op("collect")),
    ]
    return s


# ------------------------------------------------------------------ bytes
def byteseed(profile, little, signed, out_little, out_signed, lsel, data):
    h = profile | little << 3 | signed << 4 | out_little << 5 | out_signed << 6
    return bytes([h, lsel]) + data


def bytes_seeds():
    s = []
    for p in range(5):
        s.append(byteseed(p, 0, 1, 1, 1, 8, b"\xff\x00"))
        s.append(byteseed(p, 1, 0, 0, 0, 9, b"\x01\x02\x03"))
    s += [
        byteseed(0, 0, 0, 0, 0, 8, b""),
        byteseed(0, 0, 1, 0, 1, 8, b"\x80"),
        byteseed(0, 0, 1, 0, 1, 7, b"\x80"),              # one byte short
        byteseed(0, 0, 1, 0, 0, 8, b"\xff"),              # negative, unsigned
        byteseed(0, 0, 0, 0, 1, 8, b"\x80"),              # 128 needs 2 signed
        byteseed(1, 1, 1, 1, 1, 255, b"\x05"),            # negative length
        byteseed(2, 0, 0, 1, 0, 20, b"\xff" * 64),
        byteseed(3, 1, 1, 0, 1, 8, b"\x00" * 63 + b"\x80"),
        byteseed(0, 0, 1, 1, 1, 8, b"\xff" * 40),         # -1 with sign padding
        byteseed(4, 0, 0, 0, 0, 8, bytes(range(256)) * 4),
        byteseed(0, 1, 0, 1, 1, 8, b"\x00" * 30 + b"\x40"),
        byteseed(1, 0, 1, 1, 0, 8, b"\x7f" + b"\xff" * 7),
        byteseed(0, 0, 1, 0, 1, 8, b"\x80" + b"\x00" * 7),
    ]
    return s


def write(corpus, target, seeds):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    new = 0
    for data in seeds:
        path = os.path.join(d, hashlib.sha1(data).hexdigest())
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            new += 1
    print(f"{target}: {len(seeds)} seeds, {new} new")


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "corpus"
    write(corpus, "arith", arith_seeds())
    write(corpus, "str", str_seeds())
    write(corpus, "alloc", alloc_seeds())
    write(corpus, "bytes", bytes_seeds())


if __name__ == "__main__":
    main()
