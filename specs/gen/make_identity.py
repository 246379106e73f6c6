#!/usr/bin/env python3
"""
make_identity.py -- regenerate specs/vectors/identity.lua from the real CPythons.

Runs identity_cases.py under CPython 2.7.18, 3.11.7, 3.12.1 and 3.13.0
(pyenv) over a table of (op, operands) and records, for each result,
whether it is the first operand ("a"), the second ("b"), the modulus ("m")
or another object ("new"); for 2.7 also its type (int or long).  The
specs never run Python: the generated file is committed.

Operands are made fresh for each case (int(text); a text ending in "L" is
a long on 2.7 and the same int on 3.x), so two operands are one object
only when both are cached small ints.

Each line of the Lua file is {op, a, b [, m], r=..., r27=..., t27=...}:
    r     identity on 3.11/3.12/3.13 (else r312/r313 where they differ):
          "a", "b", "m", "new", "q,r" for divmod (e.g. "new,a"), or
          "E:Type" for an exception
    r27   the 2.7 identity where it differs from r ("-" where 2.7 has no
          such operation: math.gcd, math.isqrt)
    t27   2.7's result type where it is a long ("long", "int,long", ...)
    r314  3.14's, where it differs from 3.13's
3.14 has no interpreter here; its row is the 3.13 one (the 3.14 sources
of l_divmod/l_mod, long_rshift1, long_lshift1 and _PyLong_GCD take the
same paths), except x << n for n >= 2**63 and x != 0: 3.14's
long_lshift_method converts n with PyLong_AsInt64 and raises OverflowError
("too many digits in integer") at once, where 3.13 may raise MemoryError.

Usage: python3 specs/gen/make_identity.py   (from the repository root)
"""
import json
import os
import subprocess
import sys

from luagen import lua_str

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "vectors", "identity.lua")
PYENV = os.path.expanduser("~/.pyenv/versions")
VERSIONS = {"27": "2.7.18", "311": "3.11.7", "312": "3.12.1", "313": "3.13.0"}

# Operands around each digit-count boundary of 3.x (30-bit digits: 1, 2
# and 3 digits below 2**30, 2**60, 2**90), around 2.7's C long, and big.
VALUES = [
    "0", "1", "-1", "7", "1000", "-1000",
    str(2**30 - 1), str(2**30), str(-2**30), str(2**40), str(-2**40),
    str(2**60), str(2**63 - 1), str(-2**63), str(2**63),
    str(10**30), str(-10**30), str(2**100 + 5), str(2**100 + 7),
    str(-(2**100 + 5)), str(2**101), str(3 * (2**100 + 5)), str(10**60),
]
# 2.7 longs of values that fit an int, and a long zero
LONGS = ["0L", "1L", "1000L", "-1000L", str(2**40) + "L", str(-2**40) + "L"]
BINOPS = ["add", "sub", "mul", "floordiv", "mod", "divmod", "and", "or", "xor", "gcd"]
SHIFTS = ["0", "1", "5", "29", "30", "31", "60", "63", "64", "100", "-1", "0L", "1L"]
# Counts no memory can satisfy: 3.x raises MemoryError until the digit
# count of the result passes MAX_LONG_DIGITS, (2**63 - 1 - 24) // 4, with
# the word shift clipped to (2**63 - 1) // 4 (OverflowError past it); 2.7
# refuses a count beyond a C long.  Around each edge for 1- and 4-digit x.
_W = 2**63 - 1
_MAXD = (_W - 24) // 4
HUGE_SHIFTS = [str(n) for n in (
    2**62, 2**63 - 1, 2**63, 2**64, 2**65, 30 * (_W // 4) - 1, 30 * (_W // 4),
    30 * (_MAXD - 1) - 1, 30 * (_MAXD - 1), 30 * (_MAXD - 4), 30 * (_MAXD - 4) + 1,
    30 * (_MAXD - 5), 30 * (_MAXD - 5) + 1, 2**66, 2**100)]
EXPS = ["0", "1", "2", "3", "-1", "0L", "1L"]
MODS = ["7", "1000", str(10**30), str(-10**30), str(2**100 + 7), "1000L", "1", "0"]
UNARY = ["neg", "invert", "abs", "int", "long", "isqrt"]


def cases():
    vals = VALUES + LONGS
    out = []
    for op in BINOPS:
        for a in vals:
            for b in vals:
                out.append([op, a, b])
    for op in ("lshift", "rshift"):
        for a in vals:
            for s in SHIFTS:
                out.append([op, a, s])
    for a in vals:
        for s in HUGE_SHIFTS:
            out.append(["lshift", a, s])
    for a in vals:
        for e in EXPS:
            out.append(["pow", a, e])
            for m in MODS:
                out.append(["pow3", a, e, m])
    for op in UNARY:
        for a in vals:
            out.append([op, a])
    return out


def evaluate(tag, table):
    exe = os.path.join(PYENV, VERSIONS[tag], "bin", "python")
    out = subprocess.run([exe, os.path.join(HERE, "identity_cases.py")],
                         input=json.dumps(table).encode("ascii"), check=True,
                         stdout=subprocess.PIPE).stdout
    return json.loads(out.decode("ascii"))


def ident(r):
    """(identity text, 2.7 type text) of one recorded result."""
    if r is None:
        return "-", None
    if "e" in r:
        return "E:" + r["e"], None
    if "f" in r:
        return "float", None
    if "q" in r:
        return (",".join(x["is"] for x in r["q"]),
                ",".join(x.get("t", "") for x in r["q"]) or None)
    return r["is"], r.get("t")


def main():
    table = cases()
    res = {t: evaluate(t, table) for t in VERSIONS}
    lines = []
    stats = {"cases": len(table), "differ27": 0, "split3": 0, "operand3": 0,
             "operand27": 0}
    for i, c in enumerate(table):
        r = {t: ident(res[t][i]) for t in VERSIONS}
        r3 = r["311"][0]
        fields = ["r=" + lua_str(r3)]
        for t in ("312", "313"):
            if r[t][0] != r3:
                fields.append("r%s=%s" % (t, lua_str(r[t][0])))
                stats["split3"] += 1
        if r["27"][0] != r3:
            fields.append("r27=" + lua_str(r["27"][0]))
            stats["differ27"] += 1
        r313 = r["313"][0]
        if (c[0] == "lshift" and r313.startswith("E:") and int(c[2].rstrip("L")) >= 2**63
                and int(c[1].rstrip("L")) != 0):
            fields.append("r314=" + lua_str("E:OverflowError"))
        t27 = r["27"][1]
        if t27 and "long" in t27:
            fields.append("t27=" + lua_str(t27))
        if any(k in r3.split(",") for k in "abm"):
            stats["operand3"] += 1
        if any(k in r["27"][0].split(",") for k in "abm"):
            stats["operand27"] += 1
        lines.append("{%s, %s},\n" % (", ".join(lua_str(x) for x in c), ", ".join(fields)))
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        f.write("-- Identity vectors: is each result an operand or a new object?\n")
        f.write("-- Generated by specs/gen/make_identity.py from CPython %s; do not edit.\n"
                % ", ".join(VERSIONS[t] for t in sorted(VERSIONS)))
        f.write("-- Fields: see the generator's header.\n")
        f.write("return {\n")
        f.writelines(lines)
        f.write("}\n")
    print("identity.lua: %s" % stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
