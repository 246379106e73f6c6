"""
identity_cases.py -- run by specs/gen/make_identity.py under each CPython.

For each (op, operands) of the table, evaluates the operation on freshly
made operand objects and prints, as JSON, whether each result is the first
operand ("a"), the second ("b"), the modulus ("m"), or another object
("new"), with its value and (2.7) its type, or the exception type.

Runs unchanged on CPython 2.7 and 3.x.  An operand text ending in "L" is
made a long on 2.7 (the same int on 3.x).
"""
import json
import math
import sys

PY2 = sys.version_info[0] == 2
if PY2:
    LONG = long  # noqa: F821
    INTS = (int, long)  # noqa: F821
else:
    LONG = int
    INTS = (int,)


def make(text):
    """A new operand object for text (int() of a string never shares)."""
    if text.endswith("L"):
        return LONG(text[:-1])
    return int(text)


def gcd(a, b):
    if PY2:
        # 2.7 has no integer gcd; fractions.gcd differs.  Not modelled.
        raise NotImplementedError
    return math.gcd(a, b)


def isqrt(a):
    if not hasattr(math, "isqrt"):
        raise NotImplementedError
    return math.isqrt(a)


OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "floordiv": lambda a, b: a // b,
    "mod": lambda a, b: a % b,
    "divmod": lambda a, b: divmod(a, b),
    "pow": lambda a, b: pow(a, b),
    "pow3": lambda a, b, m: pow(a, b, m),
    "lshift": lambda a, b: a << b,
    "rshift": lambda a, b: a >> b,
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "xor": lambda a, b: a ^ b,
    "neg": lambda a: -a,
    "invert": lambda a: ~a,
    "abs": lambda a: abs(a),
    "int": lambda a: int(a),
    "long": lambda a: LONG(a),
    "gcd": gcd,
    "isqrt": isqrt,
}


def who(r, ops):
    for name, o in zip(("a", "b", "m"), ops):
        if r is o:
            return name
    return "new"


def describe(r, ops):
    if not isinstance(r, INTS):
        return {"f": repr(r)}
    d = {"is": who(r, ops), "v": str(r).rstrip("L")}
    if PY2:
        d["t"] = type(r).__name__
    return d


def run(cases):
    out = []
    for c in cases:
        op, args = c[0], c[1:]
        ops = [make(t) for t in args]
        try:
            r = OPS[op](*ops)
        except NotImplementedError:
            out.append(None)
            continue
        except Exception as e:  # noqa: BLE001 - record every Python error
            out.append({"e": type(e).__name__})
            continue
        if isinstance(r, tuple):
            out.append({"q": [describe(x, ops) for x in r]})
        else:
            out.append(describe(r, ops))
    return out


def main():
    cases = json.loads(sys.stdin.read())
    sys.stdout.write(json.dumps(run(cases)))


if __name__ == "__main__":
    main()
