"""
unicode_cases.py -- run by specs/gen/make_unicode.py under each CPython 3.

Prints, as JSON, what the running interpreter's Unicode database says
about the code points int() cares about: the zeros of the decimal digit
runs (unicodedata.decimal == 0), the whitespace (str.isspace), the ranges
str.isprintable() rejects (repr escapes them), and for each text it reads
on stdin the result of int(text) or its ValueError message.
"""
import json
import sys
import unicodedata


def ranges(pred):
    out, start = [], None
    for cp in range(0x110000):
        if pred(cp):
            if start is None:
                start = cp
        elif start is not None:
            out.append([start, cp - 1])
            start = None
    if start is not None:
        out.append([start, 0x10FFFF])
    return out


def main():
    texts = json.loads(sys.stdin.read())
    zeros = []
    for cp in range(0x110000):
        if unicodedata.decimal(chr(cp), None) == 0:
            # a run of ten, values 0..9 in order (checked, the table relies on it)
            assert all(unicodedata.decimal(chr(cp + k), None) == k for k in range(10)), cp
            zeros.append(cp)
    results = []
    for t in texts:
        try:
            v = int(t[0], t[1])
        except ValueError as e:
            results.append({"e": str(e)})
            continue
        # hexadecimal too: str() of a value past the digit limit would raise
        results.append({"v": str(v) if v.bit_length() < 10000 else None, "x": format(v, "x")})
    out = {
        "unidata": unicodedata.unidata_version,
        "zeros": zeros,
        "space": [cp for cp in range(0x110000) if chr(cp).isspace()],
        "nonprint": ranges(lambda cp: not chr(cp).isprintable()),
        "results": results,
    }
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
