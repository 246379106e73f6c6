# -*- coding: utf-8 -*-
"""
cases.py -- evaluate the conformance vectors under the running CPython.

Runs unchanged under CPython 2.7 and 3.x.  It builds the same inputs on
every version (a private xorshift generator, not the random module, whose
streams differ between versions), evaluates each case with that version's
own int type and prints one JSON document on stdout:

    {"version": "3.11.7", "arith": [...], "conv": [...], "bytes": [...]}

Every result is either {"v": <decimal text>}, {"f": <float.hex()>},
{"b": <hex of bytes>}, {"q": [..., ...]} (divmod), {"s": <text>} or
{"e": [<exception name>, <message>]}; {"n": 1} marks an operation the
version does not have.  make_vectors.py merges the documents of all
versions into the Lua files under specs/vectors/.
"""
from __future__ import division, print_function

import json
import math
import operator
import sys

PY2 = sys.version_info[0] == 2
if PY2:
    text = unicode  # noqa: F821 (2.7 only)
else:
    text = str

if hasattr(sys, "set_int_max_str_digits"):
    # Operands stay far below the limit; the limit has its own spec.
    sys.set_int_max_str_digits(0)


class XorShift(object):
    """xorshift64*: identical output on every Python version."""

    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        s = self.s
        s ^= (s >> 12)
        s ^= (s << 25) & 0xFFFFFFFFFFFFFFFF
        s ^= (s >> 27)
        self.s = s
        return (s * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF

    def below(self, n):
        return self.next() % n

    def bits(self, nbits):
        v = 0
        got = 0
        while got < nbits:
            v = (v << 64) | self.next()
            got += 64
        return v >> (got - nbits)


def dec(v):
    # repr() of a 2.7 long ends in 'L'; str() does not.
    return str(v)


def run(fn):
    try:
        return wrap(fn())
    except (AttributeError, NameError):
        return {"n": 1}
    except Exception as e:  # the exception is the expected result
        return {"e": [type(e).__name__, str(e)]}


def wrap(r):
    if isinstance(r, bool):
        return {"v": dec(int(r))}
    if isinstance(r, float):
        if r != r:
            return {"f": "nan"}
        if r in (float("inf"), float("-inf")):
            return {"f": "inf" if r > 0 else "-inf"}
        return {"f": r.hex()}
    if isinstance(r, tuple):
        return {"q": [dec(r[0]), dec(r[1])]}
    if isinstance(r, bytes) and not PY2:
        return {"b": "".join("%02x" % c for c in bytearray(r))}
    if isinstance(r, (str, text)) and not isinstance(r, bytes if not PY2 else ()):
        return {"s": r}
    return {"v": dec(r)}


DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def to_base(v, base):
    """str(v) in any base 2..36, the runtime's R:str(v, base)."""
    if base == 10:
        return str(v).rstrip("L")
    if v == 0:
        return "0"
    neg = v < 0
    v = -v if neg else v
    out = []
    while v:
        v, d = divmod(v, base)
        out.append(DIGITS[d])
    return ("-" if neg else "") + "".join(reversed(out))


def isqrt(v):
    return math.isqrt(v)


def gcd(a, b):
    return math.gcd(a, b)


def bit_count(v):
    return v.bit_count()


# --------------------------------------------------------------- operands

def operands(rng):
    """Edge values around digit, word and float boundaries, then random
    bignums of growing size (30-bit digits: 1..80 of them, so both the
    schoolbook and the Karatsuba multiply run)."""
    edge = [0, 1, 2, 3, 7, 10, 255, 256, 257, 1000,
            2**30 - 1, 2**30, 2**30 + 1, 2**31, 2**32 - 1, 2**32,
            2**53 - 1, 2**53, 2**53 + 1, 2**60 - 1, 2**60,
            2**61 - 1, 2**61, 2**62, 2**63 - 1, 2**63, 2**64 - 1, 2**64,
            2**90, 10**18, 10**19, 10**40, 3**100, 2**200 - 1]
    vals = []
    for v in edge:
        vals.append(v)
        if v:
            vals.append(-v)
    for n in (1, 2, 3, 4, 5, 8, 13, 21, 34, 75, 80):
        for _ in range(2):
            v = rng.bits(30 * n - rng.below(29))
            vals.append(-v if rng.below(2) else v)
    return vals


def arith_cases():
    rng = XorShift(0x1D5EC7)
    vals = operands(rng)
    cases = []
    small = [v for v in vals if abs(v) < 2**64]

    # the floor division sign table (facts 4): every sign pair, |r| < |b|
    signs = [7, -7, 2, -2, 1, -1, 3, -3, 0, 6, -6]
    for a in signs:
        for b in signs:
            for op in ("floordiv", "mod", "divmod"):
                cases.append((op, a, b))

    binops = ("add", "sub", "mul", "floordiv", "mod", "divmod", "truediv",
              "and", "or", "xor", "gcd")
    for op in binops:
        for _ in range(90):
            a = vals[rng.below(len(vals))]
            b = vals[rng.below(len(vals))]
            cases.append((op, a, b))
        # the same-size and mixed-size divisions Algorithm D cares about
        for _ in range(10):
            b = rng.bits(30 * (2 + rng.below(6))) + 1
            q = rng.bits(30 * (1 + rng.below(6)))
            r = rng.below(1 << 62) % b
            a = q * b + r
            cases.append((op, a if rng.below(2) else -a, b if rng.below(2) else -b))

    for _ in range(60):
        cases.append(("lshift", vals[rng.below(len(vals))], rng.below(200)))
        cases.append(("rshift", vals[rng.below(len(vals))], rng.below(200)))
    for a in (-1, -9, -2**64, 2**64 - 1, 5, 0):
        cases.append(("rshift", a, 2**100))
        cases.append(("rshift", a, 64))
        cases.append(("lshift", a, -1))
        cases.append(("rshift", a, -1))

    # pow: small exponents, the binary/window boundary (60 bits), negatives
    for _ in range(60):
        a = small[rng.below(len(small))]
        e = rng.below(40) - 4
        cases.append(("pow", a, e))
    for a in (0, 1, -1, 2, -2, 3, 10):
        for e in (0, 1, 2, 3, 62, 63, 64, 100, -1, -2):
            cases.append(("pow", a, e))
    cases.append(("pow", 2, 123))  # seed 003
    for _ in range(90):
        a = vals[rng.below(len(vals))]
        e = rng.bits(1 + rng.below(90))
        m = vals[rng.below(len(vals))]
        cases.append(("pow3", a, e, m))
    for a, e, m in ((3, -1, 7), (2, -1, 4), (2, 3, 0), (3, -5, -7), (-3, -1, 7),
                    (5, 2**64 + 1, -13), (0, -1, 5), (7, 0, 1), (7, 0, -1),
                    (2, 2**100, 2**89 - 1), (-4, 3, 5), (4, 3, -5), (12, -1, 7)):
        cases.append(("pow3", a, e, m))

    unops = ("neg", "invert", "bit_length", "bit_count", "hash", "tofloat")
    for op in unops:
        for v in vals:
            cases.append((op, v))
    for v in (-1, -2, 2**61 - 2, 2**61 + 1, -(2**61 - 1), -(2**61), 2**122, -(2**122) - 1,
              2**1024 - 2**970 - 1, 2**1024 - 2**970, 2**1024 - 2**971, -(2**1024) + 2**970,
              2**53 + 1, 2**53 + 3, 2**54 + 2, 2**54 + 6, -(2**53) - 1, 10**308, 10**309):
        cases.append(("hash", v))
        cases.append(("tofloat", v))
    for v in vals:
        if v >= 0:
            cases.append(("isqrt", v))
    cases.append(("isqrt", -1))
    for base in (2, 3, 7, 8, 10, 16, 36):
        for _ in range(12):
            cases.append(("str", vals[rng.below(len(vals))], base))

    # a / b rounding: ties, values past 2**53, overflow and underflow
    for a, b in ((1, 3), (2**53 + 1, 1), (2**54 + 3, 2), (10**30, 7), (-(10**30), 7),
                 (1, 2**1100), (-1, 2**1100), (2**1100, 1), (2**1100, 2**100),
                 (2**1100, 3), (2**1024 - 1, 1), (2**1024 - 2**970 - 1, 1),
                 (3**700, 3**600), (0, -5), (1, 0), (0, 0)):
        cases.append(("truediv", a, b))
    return cases


def eval_arith(c):
    op = c[0]
    a = c[1]
    if op == "add":
        return run(lambda: a + c[2])
    if op == "sub":
        return run(lambda: a - c[2])
    if op == "mul":
        return run(lambda: a * c[2])
    if op == "floordiv":
        return run(lambda: a // c[2])
    if op == "mod":
        return run(lambda: a % c[2])
    if op == "divmod":
        return run(lambda: divmod(a, c[2]))
    if op == "truediv":
        return run(lambda: operator.truediv(a, c[2]))
    if op == "and":
        return run(lambda: a & c[2])
    if op == "or":
        return run(lambda: a | c[2])
    if op == "xor":
        return run(lambda: a ^ c[2])
    if op == "gcd":
        return run(lambda: gcd(a, c[2]))
    if op == "lshift":
        return run(lambda: a << c[2])
    if op == "rshift":
        return run(lambda: a >> c[2])
    if op == "pow":
        return run(lambda: a ** c[2])
    if op == "pow3":
        return run(lambda: pow(a, c[2], c[3]))
    if op == "neg":
        return run(lambda: -a)
    if op == "invert":
        return run(lambda: ~a)
    if op == "bit_length":
        return run(lambda: a.bit_length())
    if op == "bit_count":
        return run(lambda: bit_count(a))
    if op == "hash":
        return run(lambda: hash(a))
    if op == "tofloat":
        return run(lambda: float(a))
    if op == "isqrt":
        return run(lambda: isqrt(a))
    if op == "str":
        return run(lambda: to_base(a, c[2]))
    raise SystemExit("unknown op " + op)


# ------------------------------------------------------- int(str, base)

CONV = [
    # plain, sign, whitespace (facts 4: int(s, base))
    (u"0", 10), (u"-0", 10), (u"+17", 10), (u"  42  ", 10), (u"\t-42\n", 10),
    (u"\x0b\x0c 7 \r", 10), (u"+-1", 10), (u"--1", 10), (u"- 1", 10), (u"1 2", 10),
    (u"", 10), (u" ", 10), (u"-", 10), (u"+", 10), (u"12a", 10), (u"1.0", 10),
    (u"1e3", 10), (u"0.", 10), (u"\x00", 10), (u"1\x00", 10),
    (u"9223372036854775807", 10), (u"9223372036854775808", 10),
    (u"-9223372036854775808", 10), (u"-9223372036854775809", 10),
    (u"18446744073709551616", 10), (u"123456789012345678901234567890123456789", 10),
    (u"000000000000000000000000000000001", 10), (u"007", 10),
    # underscores (PEP 515)
    (u"1_000", 10), (u"1_000_000", 0), (u"1__000", 10), (u"_1", 10), (u"1_", 10),
    (u"1_0_0", 10), (u"0_0", 0), (u"0_7", 0), (u"00_0", 0), (u"_", 10), (u"1 _0", 10),
    # prefixes
    (u"0x1f", 16), (u"0X1F", 16), (u"0x_1f", 16), (u"0x__1f", 16), (u"0x1f", 0),
    (u"0x_1f", 0), (u"0x", 16), (u"0x", 0), (u"0x_", 0), (u"0b101", 2), (u"0b101", 0),
    (u"0B_1_0_1", 0), (u"0b102", 0), (u"0o17", 8), (u"0O17", 0), (u"0o18", 0),
    (u"0o", 8), (u"0x1f", 10), (u"0b1", 16), (u"0b1", 10), (u"0o7", 16), (u"-0x10", 0),
    (u"+0b11", 0), (u" 0x10 ", 16), (u"0x-10", 16), (u"0z", 36), (u"0x10", 36),
    (u"0b1", 36), (u"0o7", 36),
    # base 0: no leading zero unless the value is zero
    (u"010", 0), (u"00", 0), (u"0", 0), (u"-00", 0), (u"08", 0), (u"0_1", 0),
    (u"10", 0), (u"1_0", 0),
    # bases
    (u"z", 36), (u"Z", 36), (u"zz", 35), (u"10", 2), (u"2", 2), (u"777", 8),
    (u"8", 8), (u"ff", 16), (u"FfFf", 16), (u"g", 16), (u"zzzzzzzzzzzzzzzzzzzzzzzzzzzz", 36),
    (u"1" * 200, 2), (u"7" * 100, 8), (u"f" * 80, 16), (u"-" + u"9" * 120, 10),
    (u"1", 1), (u"1", 37), (u"1", -1), (u"1", 64), (u"0", 37), (u"1", 2**20),
    # Unicode digits and spaces (facts 4: "Unicode digits ... are accepted")
    (u"\u0661\u0662\u0663", 10), (u"\uff11\uff12", 10), (u"\u00a012\u2003", 10),
    (u"\u0661", 0), (u"\u0967\u0968", 16), (u"\u2003-7", 10),
    # how the error repeats the input: repr, cut to 200 characters
    (u"a'b", 10), (u"a\"b", 10), (u"a'\"b", 10), (u"tab\there", 10), (u"x\\y", 10),
    (u"\u00e9t\u00e9", 10), (u"\x7f", 10), (u"q" * 250, 10), (u"9" * 199 + u"x", 10),
]


def eval_conv(s, base):
    # The runtime reads Lua strings, which are bytes: 2.7's int(str, base)
    # is the one to compare with there, not int(unicode, base).
    if PY2:
        return run(lambda: int(s.encode("utf-8"), base))
    return run(lambda: int(s, base))


# ----------------------------------------------------- to/from bytes

def bytes_cases():
    rng = XorShift(0xB17E5)
    out = []
    for v, n, order, signed in (
            (0, 0, "big", False), (0, 1, "big", False), (1, 1, "big", False),
            (255, 1, "big", False), (256, 1, "big", False), (256, 2, "little", False),
            (-1, 1, "big", True), (-1, 1, "big", False), (-128, 1, "big", True),
            (-129, 1, "big", True), (127, 1, "big", True), (128, 1, "big", True),
            (128, 1, "big", False), (2**64 - 1, 8, "little", False), (2**63, 8, "big", True),
            (-(2**63), 8, "big", True), (2**64, 8, "big", False), (1, -1, "big", False),
            (1, 1, "middle", False), (1, 0, "big", False), (-1, 0, "big", True),
            (0, 0, "little", True), (65535, 3, "little", True), (-65536, 3, "little", True),
            (10**30, 13, "big", False), (10**30, 12, "big", False), (-(10**30), 13, "big", True)):
        out.append(("to", v, n, order, signed))
    for _ in range(40):
        n = 1 + rng.below(40)
        v = rng.bits(8 * n)
        signed = bool(rng.below(2))
        if signed:
            v -= 1 << (8 * n - 1)
        out.append(("to", v, n + rng.below(3), "big" if rng.below(2) else "little", signed))
    for hx, order, signed in (("", "big", False), ("", "little", True), ("00", "big", True),
                              ("ff", "big", True), ("ff", "big", False), ("0100", "big", False),
                              ("0100", "little", False), ("80", "big", True),
                              ("ffffffffffffffff", "big", True), ("000000000000000080", "little", True),
                              ("00000000000000000001", "big", False), ("01", "middle", False)):
        out.append(("from", hx, order, signed))
    for _ in range(30):
        n = rng.below(30)
        hx = "".join("%02x" % rng.below(256) for _ in range(n))
        out.append(("from", hx, "big" if rng.below(2) else "little", bool(rng.below(2))))
    return out


def eval_bytes(c):
    if c[0] == "to":
        _, v, n, order, signed = c
        return run(lambda: v.to_bytes(n, order, signed=signed))
    _, hx, order, signed = c
    raw = bytes(bytearray(int(hx[i:i + 2], 16) for i in range(0, len(hx), 2)))
    return run(lambda: int.from_bytes(raw, order, signed=signed))


def main():
    arith = [{"c": [dec(x) if not isinstance(x, (str, text)) else x for x in c],
              "r": eval_arith(c)} for c in arith_cases()]
    conv = [{"c": [s, base], "r": eval_conv(s, base)} for s, base in CONV]
    byts = [{"c": [x if isinstance(x, (str, text, bool)) else dec(x) for x in c],
             "r": eval_bytes(c)} for c in bytes_cases()]
    doc = {"version": "%d.%d.%d" % sys.version_info[:3],
           "arith": arith, "conv": conv, "bytes": byts}
    out = json.dumps(doc, sort_keys=True)
    if PY2:
        sys.stdout.write(out)
    else:
        sys.stdout.write(out)


if __name__ == "__main__":
    main()
