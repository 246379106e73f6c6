#!/usr/bin/env python3
"""
make_unicode.py -- the Unicode data int(str) depends on, per CPython 3
version, measured on the interpreters: runtime/unicode_tab.c (the tables
the runtime uses) and specs/vectors/unicode.lua (the cases the specs check).

CPython's int(str) maps every character with a decimal value in the
Unicode database of its version to its ASCII digit, and repr() in the
"invalid literal" message escapes every character str.isprintable()
rejects.  3.11.7 ships Unicode 14.0.0, 3.12.1 15.0.0, 3.13.0 15.1.0.
The tables hold each fact once with a mask of the versions it holds in:
1 = 14.0 (3.11), 2 = 15.0 (3.12), 4 = 15.1 (3.13).  The 3.14 profile uses
the 15.1 bit: 3.14 ships Unicode 16.0, which no interpreter here has
(docs/API.md, known deviations).  Whitespace (str.isspace) is the same in
the three and is checked against the runtime's list, not tabled.

It also writes specs/vectors/str_limit.lua: texts past the digit limit
that are also invalid, where the versions differ in which error wins.

Each line of unicode.lua is {text, base, r=..., r312=..., r313=...}: r is
3.11's result, {v=decimal} or {e={"ValueError", message}}, and r312/r313
are given where they differ.

Usage: python3 specs/gen/make_unicode.py   (from the repository root)
"""
import json
import os
import subprocess
import sys

from luagen import lua_str

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
PYENV = os.path.expanduser("~/.pyenv/versions")
VERSIONS = [("311", "3.11.7", 1), ("312", "3.12.1", 2), ("313", "3.13.0", 4)]
# the whitespace runtime/intconv.c's conv_uspace knows
SPACES = [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760] + \
    list(range(8192, 8203)) + [8232, 8233, 8239, 8287, 12288]


def run(ver, texts):
    exe = os.path.join(PYENV, ver, "bin", "python")
    out = subprocess.run([exe, os.path.join(HERE, "unicode_cases.py")],
                         input=json.dumps(texts).encode("ascii"), check=True,
                         stdout=subprocess.PIPE).stdout
    return json.loads(out.decode("ascii"))


def segments(per_version):
    """[(lo, hi, mask)] from {bit: [[lo, hi], ...]}, adjacent equal masks merged."""
    cuts = {0, 0x110000}
    for rs in per_version.values():
        for lo, hi in rs:
            cuts.add(lo)
            cuts.add(hi + 1)
    cuts = sorted(cuts)

    def mask_at(cp):
        m = 0
        for bit, rs in per_version.items():
            # ranges are sorted and disjoint: bisect by hand
            lo_i, hi_i = 0, len(rs)
            while lo_i < hi_i:
                mid = (lo_i + hi_i) // 2
                if rs[mid][1] < cp:
                    lo_i = mid + 1
                else:
                    hi_i = mid
            if lo_i < len(rs) and rs[lo_i][0] <= cp <= rs[lo_i][1]:
                m |= bit
        return m

    out = []
    for a, b in zip(cuts, cuts[1:]):
        m = mask_at(a)
        if m == 0:
            continue
        if out and out[-1][2] == m and out[-1][1] == a - 1:
            out[-1][1] = b - 1
        else:
            out.append([a, b - 1, m])
    return out


def texts_for(zeros, nonprint):
    t = []
    for z in zeros:
        # every digit of the run, each in its place
        t.append(["".join(chr(z + k) for k in (9, 8, 7, 6, 5, 4, 3, 2, 1, 0)), 10])
        t.append([chr(z + 1) + chr(z + 2) + chr(z + 3), 10])
        t.append(["-" + chr(z + 9) + "_" + chr(z) + chr(z + 7), 0])
        t.append(["1" + chr(z + 5), 16])
    for sp in SPACES:
        t.append([chr(sp) + "42" + chr(sp), 10])
    # repr: every segment whose versions differ, and a sample of the others
    for i, (lo, hi, m) in enumerate(nonprint):
        if lo < 0x80 or (lo >= 0xD800 and hi <= 0xDFFF):
            continue   # ASCII escapes are fixed; surrogates cannot be UTF-8
        if m != 7 or i % 9 == 0:
            t.append(["1" + chr(lo) + "x", 10])
            if hi != lo:
                t.append([chr(hi), 10])
    # the %.200R cut, inside escapes, after raw characters, around quotes
    for k in range(193, 201):
        t.append(["a" * k + "\x01bcdefghij", 10])
        t.append(["a" * k + "\u200b" * 3, 10])
        t.append(["a" * k + "\U000e0001" * 2, 10])
    t.append(["\U000e0001" * 30, 10])
    t.append(["a" * 199 + "\u00e9" * 5, 10])
    t.append(["'" * 150 + '"' + "\\" * 60, 10])
    t.append(["'" * 150 + "\\" * 60, 10])
    return t


# The digit limit against other errors (issue 10): (prefix, digit, count,
# suffix, base); the text is prefix + digit * count + suffix.  At 4301
# digits the default limit (4300) is passed; 4300 is at it.
LIMIT_CASES = []
for _n in (4300, 4301):
    LIMIT_CASES += [
        ("", "1", _n, "x", 10), ("", "1", _n, " x", 10), ("x", "1", _n, "", 10),
        ("", "1", _n, "_", 10), ("", "1", _n, "__1", 10), ("", "1", _n - 1, "x1", 10),
        ("", "1", _n, "\x00", 10), ("", "1", _n, "\x00x", 10), ("1" * 10 + "\x00", "1", _n, "", 10),
        ("", "0", _n, "", 0), ("", "0", _n, "1", 0), ("", "0", _n - 1, "1", 0),
        ("0", "1", _n, "", 0), ("00", "1", _n, "", 0), ("0_", "1", _n, "", 0),
        ("", "1", _n, "\u0660", 10), ("", "1", _n, "\u00e9", 10), ("", "1", _n, "", 10),
        ("", "1", _n, "L", 10), (" ", "1", _n, " ", 10), ("", "1", _n, ".5", 10),
        ("-", "1", _n, "x", 10), ("", "1", _n, "x", 7), ("", "1", _n, "x", 16),
        ("", "1", _n, "\x00", 16), ("", "1", _n, "\x00\x00", 10), ("\x00", "1", _n, "", 10),
        ("0x", "1", _n, "", 0), ("00000", "1", _n, "x", 0), ("", "\u0661", _n, "x", 10),
        ("", "1", _n, "\u200b", 10), ("", "1", _n, "\x00\u0661", 10),
    ]


def lua_result(r):
    if "v" in r:
        return "{v=%s}" % lua_str(r["v"])
    return "{e={\"ValueError\", %s}}" % lua_str(r["e"])


def write_table(docs, zero_masks, nonprint):
    path = os.path.join(ROOT, "runtime", "unicode_tab.c")
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("/*\n** unicode_tab.c -- the Unicode facts int(str) and its error text use,\n")
        f.write("** per Unicode version.  Generated by specs/gen/make_unicode.py from\n")
        f.write("** CPython %s; do not edit.\n" % ", ".join(v for _, v, _ in VERSIONS))
        f.write("** Masks: 1 = Unicode %s, 2 = %s, 4 = %s.\n*/\n"
                % tuple(docs[t]["unidata"] for t, _, _ in VERSIONS))
        f.write('#include "unicode_tab.h"\n\n')
        f.write("/* Zeros of the runs of ten decimal digits (unicodedata.decimal). */\n")
        f.write("const uni_run uni_digit_zeros[] = {\n")
        for z in sorted(zero_masks):
            f.write("  { 0x%X, %d },\n" % (z, zero_masks[z]))
        f.write("};\nconst size_t uni_digit_zeros_n = sizeof uni_digit_zeros / sizeof uni_digit_zeros[0];\n\n")
        f.write("/* Ranges str.isprintable() rejects, sorted and disjoint. */\n")
        f.write("const uni_range uni_nonprintable[] = {\n")
        for lo, hi, m in nonprint:
            f.write("  { 0x%X, 0x%X, %d },\n" % (lo, hi, m))
        f.write("};\nconst size_t uni_nonprintable_n = sizeof uni_nonprintable / sizeof uni_nonprintable[0];\n")
    print("runtime/unicode_tab.c: %d digit runs, %d non-printable ranges"
          % (len(zero_masks), len(nonprint)))


def write_limits():
    texts = [[p + d * n + q, b] for p, d, n, q, b in LIMIT_CASES]
    docs = {t: run(v, texts) for t, v, _ in VERSIONS}
    lines, split = [], 0
    for i, (p, d, n, q, b) in enumerate(LIMIT_CASES):
        # values in hexadecimal (the spec reads them with R:str(v, 16))
        r = {t: dict(docs[t]["results"][i]) for t, _, _ in VERSIONS}
        for x in r.values():
            if "x" in x:
                x["v"] = x.pop("x")
        fields = ["r=" + lua_result(r["311"])]
        for t in ("312", "313"):
            if r[t] != r["311"]:
                fields.append("r%s=%s" % (t, lua_result(r[t])))
                split += 1
        lines.append("{%s, %s, %d, %s, %d, %s},\n" % (lua_str(p), lua_str(d), n, lua_str(q), b,
                                                    ", ".join(fields)))
    path = os.path.join(HERE, "..", "vectors", "str_limit.lua")
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("-- int(str) past the 4300-digit limit and invalid at once: which error wins\n")
        f.write("-- Generated by specs/gen/make_unicode.py from CPython %s; do not edit.\n"
                % ", ".join(v for _, v, _ in VERSIONS))
        f.write("-- {prefix, digit, count, suffix, base, r=3.11's result, r312=, r313=}:\n")
        f.write("-- the text is prefix .. digit:rep(count) .. suffix; values in hexadecimal\n")
        f.write("return {\n")
        f.writelines(lines)
        f.write("}\n")
    print("str_limit.lua: %d cases, %d differ between versions" % (len(LIMIT_CASES), split))


def main():
    first = {t: run(v, []) for t, v, _ in VERSIONS}
    for t, _, _ in VERSIONS:
        assert first[t]["space"] == SPACES, (t, first[t]["space"])
    zero_masks = {}
    for t, _, bit in VERSIONS:
        for z in first[t]["zeros"]:
            zero_masks[z] = zero_masks.get(z, 0) | bit
    nonprint = segments({bit: first[t]["nonprint"] for t, _, bit in VERSIONS})
    texts = texts_for(sorted(zero_masks), nonprint)
    docs = {t: run(v, texts) for t, v, _ in VERSIONS}
    write_table(docs, zero_masks, nonprint)
    lines, split = [], 0
    for i, (text, base) in enumerate(texts):
        r = {t: {k: v for k, v in docs[t]["results"][i].items() if k != "x"} for t, _, _ in VERSIONS}
        fields = ["r=" + lua_result(r["311"])]
        for t in ("312", "313"):
            if r[t] != r["311"]:
                fields.append("r%s=%s" % (t, lua_result(r[t])))
                split += 1
        lines.append("{%s, %d, %s},\n" % (lua_str(text), base, ", ".join(fields)))
    write_limits()
    path = os.path.join(HERE, "..", "vectors", "unicode.lua")
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("-- int(str) of Unicode digits and spaces, and the repr in its error text\n")
        f.write("-- Generated by specs/gen/make_unicode.py from CPython %s; do not edit.\n"
                % ", ".join(v for _, v, _ in VERSIONS))
        f.write("-- Fields: see the generator's header.\n")
        f.write("return {\n")
        f.writelines(lines)
        f.write("}\n")
    print("unicode.lua: %d cases, %d differ between versions" % (len(texts), split))
    return 0


if __name__ == "__main__":
    sys.exit(main())
