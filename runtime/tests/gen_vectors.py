#!/usr/bin/env python3
"""
gen_vectors.py -- measure what real CPython does, for the C tests.

Run with any Python 3: it runs itself under each measured interpreter
(pyenv's 2.7.18, 3.11.7, 3.12.1, 3.13.0) in worker mode, collects the
result or the exception (type and text) of every case below, and writes
runtime/tests/vectors/vectors.h, a C table that test_messages.c includes.
The tests never need Python; rerun this only to change the cases.

There is no 3.14 interpreter to measure: the cpython3.14 rows are the
3.13 measurements with the ZeroDivisionError texts that 3.14 changed
(gh-119057, shared/reference/cpython-int-facts.md section 4) substituted.

The worker half must stay valid Python 2.7 and 3.x.
"""
import json
import os
import subprocess
import sys

PYENV = os.path.expanduser("~/.pyenv/versions")
MEASURED = [("cpython2.7", "2.7.18"), ("cpython3.11", "3.11.7"),
            ("cpython3.12", "3.12.1"), ("cpython3.13", "3.13.0")]
TEXTS_314 = {
    "integer division or modulo by zero": "division by zero",
    "integer modulo by zero": "division by zero",
    "0.0 cannot be raised to a negative power": "zero to a negative power",
}

# ------------------------------------------------------------------ cases
# Operands are Python expressions; a trailing 'L' asks for a 2.7 long of
# that value (ignored by 3.x).

EDGE = ["0", "1", "-1", "2", "-2", "7", "-7", "255", "256", "-256",
        "2**29", "2**30-1", "2**30", "-2**30", "2**31", "2**60-1", "2**60",
        "-2**60", "2**62*2", "0x7fffffffffffffff", "-0x7fffffffffffffff-1", "2**63", "2**64-1",
        "2**64", "-2**64", "2**90+12345", "-(2**100)+1", "3**200",
        "-(7**150)", "5L", "-5L", "0L"]
SMALL = ["0", "1", "-1", "3", "-3", "7", "-7", "2**64", "-2**64", "3**50",
         "5L", "-2L"]

def cases():
    out = []
    for op in ["add", "sub", "mul", "floordiv", "mod", "divmod", "truediv",
               "and", "or", "xor"]:
        for a in EDGE:
            for b in SMALL:
                out.append(["bin", op, a, b])
    for op in ["floordiv", "mod", "divmod", "truediv"]:
        for a in ["0", "1", "-1", "2**100", "5L"]:
            for b in ["0", "0L"]:
                out.append(["bin", op, a, b])
    for a, b in [("2**1024", "1"), ("-2**1024", "1"), ("2**2000", "3"),
                 ("2**1023*2-2**970", "1"), ("2**1024-2**970-1", "1"),
                 ("1", "2**1100"), ("-1", "2**1100"), ("0", "-5"),
                 ("2**1100", "2**76"), ("2**53+1", "1"), ("10**400", "10**399"),
                 ("1", "3"), ("2", "3"), ("-10**30", "7"), ("2**1075", "2**2150"),
                 ("3", "2**1076"), ("1", "2**1074"), ("1", "2**1075"),
                 ("3", "2**1075*2")]:
        out.append(["bin", "truediv", a, b])
    for a in ["0", "1", "-1", "2", "-2", "10", "2**64", "0L", "3L"]:
        for b in ["0", "1", "2", "3", "64", "-1", "-2", "0L", "2L"]:
            out.append(["bin", "pow", a, b])
    for a, b, m in [("2", "10", "1000"), ("2", "10", "-1000"), ("3", "-1", "7"),
                    ("3", "-1", "-7"), ("3", "-1", "6"), ("0", "-1", "1"),
                    ("2", "3", "0"), ("2", "3", "1"), ("2", "3", "-1"),
                    ("-2", "3", "5"), ("2**100", "2**50+1", "10**9+7"),
                    ("2", "-3", "2**64+1"), ("0", "0", "5"), ("5", "0", "1"),
                    ("2L", "3L", "5L"), ("2L", "-1L", "5L"), ("2", "3", "0L")]:
        out.append(["pow3", a, b, m])
    for op in ["lshift", "rshift"]:
        for a in ["0", "1", "-1", "-9", "2**64", "-(2**64)-1", "5L", "-5L"]:
            for b in ["0", "1", "29", "30", "31", "63", "64", "100", "-1",
                      "-2**100", "2**100", "2**70"]:
                if op == "lshift" and b in ("2**100", "2**70") and a not in ("0",):
                    continue
                out.append(["bin", op, a, b])
    for op in ["neg", "invert", "abs", "hash", "bit_length", "bit_count",
               "isqrt", "float", "to_i64", "str"]:
        for a in EDGE + ["-1L", "2**61-1", "2**61", "-(2**61)+1", "2**122",
                         "2**1024", "-2**1024", "2**1024-2**970-1",
                         "2**1024-2**970", "2**53+1", "2**54+3",
                         "(2**53+1)*2**200", "-(2**63)-1"]:
            out.append(["un", op, a])
    for a, b in [("0", "0"), ("12", "18"), ("-12", "18"), ("12", "-18"),
                 ("0", "-5"), ("2**100", "2**60*3"), ("-7", "0")]:
        out.append(["bin", "gcd", a, b])
    for f in ["inf", "-inf", "nan", "0.0", "-0.0", "1.5", "-1.5", "1e18",
              "-9.3e18", "1e19", "-1e300", "5e-324", "0.999"]:
        out.append(["fromfloat", f])
    for base in [0, 10, 16]:
        for s in STRINGS:
            out.append(["fromstr", s, base])
    for s, base in [("z", 36), ("Z", 36), ("10", 2), ("12", 2), ("10", 37),
                    ("10", 1), ("10", -1), ("0o17", 8), ("0o17", 0), ("0b101", 2),
                    ("0x1f", 16), ("0b1", 16), ("0x1", 8), ("0_7", 8), ("0_b1", 0),
                    ("0b_1", 0), ("0b__1", 0), ("0x", 16), ("0xg", 16),
                    ("1" * 30, 7), ("7" * 40, 8), ("0o", 8), ("017", 8),
                    ("0b12", 0), ("012", 8), (" 0X1F ", 0)]:
        out.append(["fromstr", s, base])
    for a, n, little, signed in [("0", 0, 0, 0), ("0", 1, 0, 0), ("255", 1, 0, 0),
                                 ("256", 1, 0, 0), ("-1", 1, 0, 0), ("-1", 0, 0, 1),
                                 ("-1", 1, 0, 1), ("-128", 1, 0, 1), ("-129", 1, 0, 1),
                                 ("127", 1, 0, 1), ("128", 1, 0, 1), ("1", -1, 0, 0),
                                 ("2**64-1", 8, 1, 0), ("2**64", 8, 1, 0),
                                 ("-2**63", 8, 1, 1), ("-2**63-1", 8, 1, 1),
                                 ("0", -1, 0, 1)]:
        out.append(["tobytes", a, n, little, signed])
    for hexs, little, signed in [("", 0, 0), ("", 0, 1), ("ff", 0, 0), ("ff", 0, 1),
                                 ("0100", 0, 0), ("0100", 1, 0), ("80", 0, 1),
                                 ("ff7f", 1, 1), ("00000000000000000080", 1, 1),
                                 ("ffffffffffffffffffff", 0, 1)]:
        out.append(["frombytes", hexs, little, signed])
    for limit in [0, 640, 1000, 4300]:
        for a in ["10**639", "10**640", "-(10**640)", "10**999", "10**1000",
                  "-(10**999)", "10**4299", "10**4300", "2**20000"]:
            out.append(["strlimit", limit, a])
        for digits in [640, 641, 1000, 1001, 4300, 4301]:
            out.append(["fromstrlimit", limit, digits, 10, ""])
        out.append(["fromstrlimit", limit, 4301, 7, ""])
        out.append(["fromstrlimit", limit, 5000, 16, ""])
        out.append(["fromstrlimit", limit, 4301, 10, "-"])
        out.append(["fromstrlimit", limit, 4300, 10, "_"])
    return out

STRINGS = [
    "", " ", "0", "00", "000", "0_0", "010", "007", "08", "-0", "+0", "1",
    "-1", "+1", "--1", "+-1", "- 1", "1 2", " 12 ", "\t\n12\x0b\x0c\r", "1_000",
    "1__000", "_1", "1_", "1_0_0", "0x10", "0X10", "0o17", "0O17", "0b101",
    "0B101", "0x_1f", "0x__1f", "0x", "0x_", "-0x1f", "0o_7", "0b_", "12L", "0L",
    "1e5", "1.0", "abc", "0xabc", "ABC", "1\x00", "\x00", "9" * 25, "9" * 25 + "x",
    "-" + "7" * 40, "1" * 30 + "L", "x" * 300, "'", "\"", "'\"", "\\", "a\nb",
    "\x7f", u"\u00e9", u"\u00e9" * 210, u"\u0661\u0662", u"\u00a012\u3000",
    u"1\u00a0", "\xff", "1\xff", "\xc3", "0_", "0__0", "1 _0", "0b0_1", "09",
    "0 ", " -0x1F ", " x ", "\t-x", " 1x", "- x", " - 1_0", "1\x00 ", " \x00",
    u"\u0661\u0662" * 150, " " * 250 + "x",
]

# ------------------------------------------------------------------ worker

def worker():
    import array
    import math
    import operator
    py2 = sys.version_info[0] == 2
    try:
        text_type = unicode  # noqa: F821
    except NameError:
        text_type = str

    def val(e):
        if e.endswith("L"):
            v = eval(e[:-1])
            return long(v) if py2 else v  # noqa: F821
        return eval(e)

    def enc_int(v):
        t = type(v).__name__
        return ("-" if v < 0 else "") + hex(abs(v)).rstrip("L"), t

    def enc(r):
        if isinstance(r, float):
            return ["float", r.hex()]
        if isinstance(r, tuple):
            return ["pair", enc_int(r[0])[0], enc_int(r[1])[0],
                    enc_int(r[0])[1], enc_int(r[1])[1]]
        if isinstance(r, bool):
            return ["int", str(int(r))]
        if isinstance(r, (bytes, bytearray)) and not isinstance(r, str):
            return ["bytes", "".join("%02x" % c for c in bytearray(r))]
        if isinstance(r, (str, text_type)) and not (py2 and isinstance(r, bytearray)):
            return ["str", r]
        h, t = enc_int(r)
        return ["int", h, t]

    BIN = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
           "floordiv": operator.floordiv, "mod": operator.mod,
           "divmod": divmod, "truediv": operator.truediv, "pow": pow,
           "lshift": operator.lshift, "rshift": operator.rshift,
           "and": operator.and_, "or": operator.or_, "xor": operator.xor}
    if not py2:
        BIN["gcd"] = math.gcd

    def hexbytes(h):
        return bytes(bytearray(int(h[i:i + 2], 16) for i in range(0, len(h), 2)))

    def run(c):
        kind = c[0]
        if kind == "bin":
            if c[1] not in BIN:
                return None
            return lambda: BIN[c[1]](val(c[2]), val(c[3]))
        if kind == "pow3":
            return lambda: pow(val(c[1]), val(c[2]), val(c[3]))
        if kind == "un":
            op, a = c[1], val(c[2])
            f = {"neg": operator.neg, "invert": operator.invert,
                 "abs": abs, "hash": hash, "float": float, "str": str,
                 "bit_length": lambda x: x.bit_length(),
                 "to_i64": lambda x: array.array("l", [x])[0]}
            if not py2:
                f["bit_count"] = lambda x: bin(x).count("1")
                f["isqrt"] = math.isqrt
            if op not in f:
                return None
            return lambda: f[op](a)
        if kind == "fromfloat":
            return lambda: int(float(c[1]))
        if kind == "fromstr":
            s = c[1]
            if py2:
                s = s.encode("utf-8") if isinstance(s, text_type) else s
            return lambda: int(s, c[2])
        if kind == "tobytes":
            if py2:
                return None
            return lambda: val(c[1]).to_bytes(c[2], "little" if c[3] else "big",
                                              signed=bool(c[4]))
        if kind == "frombytes":
            if py2:
                return None
            return lambda: int.from_bytes(hexbytes(c[1]), "little" if c[2] else "big",
                                          signed=bool(c[3]))
        if kind in ("strlimit", "fromstrlimit"):
            if not hasattr(sys, "set_int_max_str_digits"):
                return None
            def go():
                old = sys.get_int_max_str_digits()
                sys.set_int_max_str_digits(c[1])
                try:
                    if kind == "strlimit":
                        return str(val(c[2]))
                    s = "1" * c[2]
                    if c[4] == "-":
                        s = "-" + s
                    elif c[4] == "_":
                        s = "_".join(s)
                    return int(s, c[3])
                finally:
                    sys.set_int_max_str_digits(old)
            return go
        raise ValueError(kind)

    out = []
    for c in json.loads(sys.stdin.read()):
        f = run(c)
        if f is None:
            out.append(None)
            continue
        try:
            r = f()
        except Exception as e:
            out.append(["error", type(e).__name__, str(e)])
            continue
        if c[0] in ("strlimit", "fromstrlimit"):
            out.append(["ok", "%d" % (len(r) if isinstance(r, str) else 0)])
            continue
        out.append(enc(r))
    sys.stdout.write(json.dumps(out))

# ------------------------------------------------------------------ host

def cstr(b):
    """A C string literal for the bytes b (octal escapes, no trigraphs)."""
    if not isinstance(b, bytes):
        b = b.encode("utf-8")
    s = '"'
    for ch in bytearray(b):
        if ch in (0x22, 0x5c):
            s += "\\" + chr(ch)
        elif 0x20 <= ch < 0x7f and ch != 0x3f:
            s += chr(ch)
        else:
            s += "\\%03o" % ch
    return s + '"'

def opnd(e):
    if e.endswith("L"):
        v, lng = eval(e[:-1]), True
    else:
        v, lng = eval(e), False
    return ("-" if v < 0 else "") + hex(abs(v)) + ("L" if lng else "")

def row(profile, c, r):
    kind = c[0]
    op, a, b, m, alen, n1, n2, n3 = kind, "", "", "", 0, 0, 0, 0
    if kind == "bin":
        op, a, b = c[1], opnd(c[2]), opnd(c[3])
    elif kind == "pow3":
        a, b, m = opnd(c[1]), opnd(c[2]), opnd(c[3])
    elif kind == "un":
        op, a = c[1], opnd(c[2])
    elif kind == "fromfloat":
        a = float(c[1]).hex()
    elif kind == "fromstr":
        raw = c[1].encode("utf-8")
        a, alen, n1 = raw, len(raw), c[2]
    elif kind == "tobytes":
        a, n1, n2, n3 = opnd(c[1]), c[2], c[3], c[4]
    elif kind == "frombytes":
        a, n1, n2 = c[1], c[2], c[3]
    elif kind == "strlimit":
        a, n1 = opnd(c[2]), c[1]
    elif kind == "fromstrlimit":
        a, n1, n2, n3 = c[4], c[1], c[2], c[3]
    if r[0] == "error":
        res = [r[1], r[2], "", ""]
    elif r[0] == "pair":
        res = ["", r[1], r[2], r[3]]
    elif r[0] == "int":
        res = ["", r[1], "", r[2] if len(r) > 2 else "int"]
    elif r[0] == "ok":
        res = ["", r[1], "", "len"]
    else:
        res = ["", r[1], "", r[0]]
    if profile == "cpython3.14" and res[0] == "ZeroDivisionError":
        res[1] = TEXTS_314.get(res[1], res[1])
    fields = [cstr(profile), cstr(op), cstr(a), cstr(b), cstr(m), "%d" % alen,
              "%d" % n1, "%d" % n2, "%d" % n3] + [cstr(x) for x in res]
    return "  {" + ", ".join(fields) + "},\n"

def host():
    cs = cases()
    payload = json.dumps(cs)
    rows = []
    results = {}
    for prof, ver in MEASURED:
        exe = os.path.join(PYENV, ver, "bin", "python")
        p = subprocess.run([exe, os.path.abspath(__file__), "--worker"],
                           input=payload.encode(), stdout=subprocess.PIPE, check=True)
        results[prof] = json.loads(p.stdout.decode())
    results["cpython3.14"] = results["cpython3.13"]
    # One row per distinct outcome of a case; its first field lists the
    # profiles that gave it.
    order = ["cpython2.7", "cpython3.11", "cpython3.12", "cpython3.13",
             "cpython3.14"]
    for i, c in enumerate(cs):
        seen = []
        for prof in order:
            r = results[prof][i]
            if r is None:
                continue
            text = row(prof, c, r)
            body = text[text.index(","):]
            for entry in seen:
                if entry[1] == body:
                    entry[0].append(prof)
                    break
            else:
                seen.append([[prof], body])
        for profs, body in seen:
            rows.append("  {" + cstr(" ".join(profs)) + body)
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "vectors", "vectors.h")
    with open(path, "w") as f:
        f.write("/*\n** vectors.h -- generated by runtime/tests/gen_vectors.py from "
                "CPython\n** %s; do not edit.\n*/\n" %
                ", ".join(v for _, v in MEASURED))
        f.write("static const vec_case vec_cases[] = {\n")
        f.writelines(rows)
        f.write("};\n")
    print("%d rows -> %s" % (len(rows), path))

if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        host()
