#!/usr/bin/env python3
"""bench_arith.py -- one table of big-int costs: intspect, GMP and CPython.

Runs the bench_arith program as a co-process (bench_arith --serve:
intspect and GMP, timed in C) and times the running CPython on the same
operations and the same operands (rebuilt from the same splitmix64
stream), side by side: for each size, in each of R rounds (--rounds,
default 5; 1 with --quick), every op is measured once by the C program
(intspect, then GMP) and once here, one right after the other, and the
best of the R rounds counts for each implementation (sizes up to 1,000
digits get 3R rounds: see rounds_at).  So the three
figures of a row are taken within a second of each other, R times spread
over the minutes of the run, and a slow spell on this shared machine hits
all three rather than one side.  The C side goes first in odd rounds,
CPython in even ones, so neither always runs right after the other has
filled the caches with its own data.

Each measurement repeats the operation a number of times fixed on its
first measurement at that size (grown until one measurement takes
--min-ms, 50 ms; 10 with --quick).  An operation whose single repetition
takes over half a second is measured in the first round only: at a
million digits CPython's mul and square take 0.5-1 s and its floordiv,
divmod, str and int(str) 5-22 s, where intspect takes 1-3% of that, so
more rounds could not change a verdict and would add minutes.  The C
side of such a row still runs every round.  The default run takes about
three minutes here, a third of it in those four CPython rows.

Both processes are pinned to one CPU (--cpu, default the lowest one this
process may use; --cpu -1 leaves placement to the scheduler).  On a
shared virtual machine the CPUs are not equal: here one of the two ran
small operations at half the speed of the other for minutes at a time,
so a row whose two sides landed on different CPUs compared the CPUs, not
the code.

    python3 bench/bench_arith.py [--exe build/bench/bench_arith]
        [--max-digits N] [--quick] [--min-ms M] [--rounds R] [--cpu N]
        [--no-cpython] [--markdown]

Prints ns/op for each implementation, the ratios intspect/GMP and
intspect/CPython, and whether the performance targets are met.  All
numbers come from one run on whatever else the machine is doing, so the
load average before and after is printed with them: compare ratios, not
seconds, and distrust a run made under load.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
import timeit

SIZES = (10, 100, 1000, 10000, 100000, 1000000)
OPS = ("mul", "square", "floordiv", "divmod", "str", "int(str)",
       "lshift", "rshift", "and", "add")
POW = "pow2048"
POW_SIZE = "2048b"

# The same expressions the C program times, over the same names.
STATEMENTS = {
    "mul": "a * b",
    "square": "a * a",
    "floordiv": "D // b",
    "divmod": "divmod(D, b)",
    "str": "str(a)",
    "int(str)": "int(s)",
    "lshift": "a << k",
    "rshift": "D >> k",
    "and": "a & b",
    "add": "a + b",
    POW: "pow(x, e, m)",
}

MASK64 = (1 << 64) - 1


class SplitMix64:
    """The generator bench_arith.c uses, so the operands are identical."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


def random_decimal(seed, n):
    rng = SplitMix64(seed)
    chunks = (n + 8) // 9
    s = "".join("%09d" % (rng.next() % 1000000000) for _ in range(chunks))[:n]
    if s[0] == "0":
        s = chr(ord("1") + rng.next() % 9) + s[1:]
    return s


def random_hex(seed, bits, odd):
    rng = SplitMix64(seed)
    digits = [rng.next() >> 60 for _ in range(bits // 4)]
    digits[0] = 8 | (rng.next() >> 61)
    if odd:
        digits[-1] |= 1
    return int("".join("%x" % d for d in digits), 16)


def decimal_to_int(s, pow10=None):
    """int(s), but in time below quadratic on CPython before 3.12: the
    operands of the biggest size would otherwise take most of the run."""
    if pow10 is None:
        pow10 = {}
    if len(s) <= 3000:
        return int(s)
    k = 3000
    while 2 * k < len(s):
        k *= 2
    if k not in pow10:
        pow10[k] = 10 ** k
    return decimal_to_int(s[:-k], pow10) * pow10[k] + decimal_to_int(s[-k:], pow10)


def operands(n):
    sa = random_decimal(1, n)
    return {
        "s": sa,
        "a": decimal_to_int(sa),
        "b": decimal_to_int(random_decimal(2, n)),
        "D": decimal_to_int(random_decimal(3, 2 * n)),
        "k": 3 * n + 1,
        "x": random_hex(4, 2048, False),
        "e": random_hex(5, 2048, False),
        "m": random_hex(6, 2048, True),
    }


LONG_S = 0.5   # a single repetition this long is measured in one round only


class PyTimer:
    """One statement over one size's operands, measured like the C side:
    the repetition count is grown on the first measurement and kept."""

    def __init__(self, stmt, env, min_s):
        names = sorted(env)
        self.timer = timeit.Timer(stmt, setup="%s = _env" % ", ".join(names),
                                  timer=time.perf_counter,
                                  globals={"_env": tuple(env[k] for k in names)})
        self.min_s = min_s
        self.reps = 0
        self.once = False

    def measure(self):
        """ns per operation, or None when this one is measured only once."""
        if self.once:
            return None
        if self.reps:
            return self.timer.timeit(self.reps) / self.reps * 1e9
        reps = 1
        t = self.timer.timeit(reps)
        while t < self.min_s:
            grow = min(100.0, max(2.0, self.min_s * 1.1 / t if t > 0 else 100.0))
            reps = int(reps * grow)
            t = self.timer.timeit(reps)
        self.reps = reps
        self.once = reps == 1 and t > LONG_S
        return t / reps * 1e9


class CServer:
    """bench_arith --serve: one command per line, one answer per command."""

    def __init__(self, args, min_ms):
        cmd = [args.exe, "--serve", "--min-ms", str(min_ms)]
        self.exe = args.exe
        try:
            self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True)
        except OSError as e:
            sys.exit("bench_arith.py: cannot run %s: %s" % (args.exe, e.strerror))
        self.info = {}
        while True:
            f = self._read()
            if f[0] == "ready":
                break
            if f[0] == "info":
                self.info[f[1]] = f[2]

    def _read(self):
        line = self.p.stdout.readline()
        if not line:
            self.p.wait()
            sys.exit("bench_arith.py: %s --serve stopped (exit %s)" % (self.exe, self.p.returncode))
        f = line.rstrip("\n").split("\t")
        if f[0] == "error":
            sys.exit("bench_arith.py: %s --serve: %s" % (self.exe, "\t".join(f[1:])))
        return f

    def _send(self, command):
        self.p.stdin.write(command + "\n")
        self.p.stdin.flush()

    def size(self, n):
        """Builds the operands; returns the first and last 12 digits of a."""
        self._send("size %d" % n)
        f = self._read()
        if f[0] != "operands" or f[1] != str(n):
            sys.exit("bench_arith.py: unexpected answer to size: %r" % (f,))
        return f[2], f[3]

    def time(self, op):
        """One measurement each of intspect and GMP: [(size, impl, ns, reps)]."""
        self._send("time " + op)
        out = []
        for impl in ("intspect", "gmp"):
            f = self._read()
            if f[0] != op or f[2] != impl:
                sys.exit("bench_arith.py: unexpected answer to time %s: %r" % (op, f))
            out.append((f[1], impl, float(f[3]), int(f[4])))
        return out

    def close(self):
        self._send("quit")
        self.p.stdin.close()
        self.p.stdout.close()
        if self.p.wait() != 0:
            sys.exit("bench_arith.py: %s --serve failed (exit %d)" % (self.exe, self.p.returncode))


def keep_min(rows, key, ns):
    if key not in rows or ns < rows[key]:
        rows[key] = ns


SMALL = 1000       # sizes up to this many digits get SMALL_FACTOR times the rounds
SMALL_FACTOR = 3


def rounds_at(n, rounds):
    """Rounds at n digits.  Operations of 20-300 ns are the ones a slow
    spell of a few seconds can cover in every round, and a round of them
    costs under two seconds, so they get more."""
    return rounds * SMALL_FACTOR if n <= SMALL else rounds


def run(args, c, rounds, min_s):
    """Times every row, the implementations side by side; returns
    {(op, size, impl): best ns}."""
    rows = {}
    for n in SIZES:
        if n > args.max_digits:
            break
        want = c.size(n)
        todo = list(OPS) + ([POW] if n == SIZES[0] else [])
        timers = {}
        if not args.no_cpython:
            env = operands(n)
            sa = env["s"]
            if want != (sa[:12], sa[-12:] if n > 12 else sa):
                sys.exit("bench_arith.py: operands differ from the C program's at %d digits" % n)
            timers = {op: PyTimer(STATEMENTS[op], env, min_s) for op in todo}
        c_once = set()   # ops whose C side is measured in the first round only

        def run_c(op):
            if op in c_once:
                return
            res = c.time(op)
            for size, impl, ns, reps in res:
                keep_min(rows, (op, size, impl), ns)
                print("  C  %-9s %7s %-8s %14.1f ns" % (op, size, impl, ns),
                      file=sys.stderr, flush=True)
            if all(reps == 1 and ns > LONG_S * 1e9 for _, _, ns, reps in res):
                c_once.add(op)

        def run_py(op):
            if op not in timers:
                return
            ns = timers[op].measure()
            if ns is None:
                return
            size = POW_SIZE if op == POW else str(n)
            keep_min(rows, (op, size, "cpython"), ns)
            print("  Py %-9s %7s %-8s %14.1f ns" % (op, size, "cpython", ns),
                  file=sys.stderr, flush=True)

        for rnd in range(1, rounds_at(n, rounds) + 1):
            for op in todo:
                if rnd % 2:
                    run_c(op)
                    run_py(op)
                else:
                    run_py(op)
                    run_c(op)
    return rows


def default_exe():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(root, "build", "bench", "bench_arith")


def fmt_ns(v):
    if v is None:
        return "-"
    return "%.1f" % v if v < 1000 else "{:,.0f}".format(v)


def fmt_ratio(a, b):
    return "-" if a is None or b is None else "%.2f" % (a / b)


def table_rows(rows):
    order = [(op, str(n)) for n in SIZES for op in OPS]
    order.insert(len(OPS), (POW, POW_SIZE))
    out = []
    for op, size in order:
        i = rows.get((op, size, "intspect"))
        if i is None:
            continue
        g = rows.get((op, size, "gmp"))
        c = rows.get((op, size, "cpython"))
        label = "2048 bits" if size == POW_SIZE else "{:,}".format(int(size))
        out.append((op, label, fmt_ns(i), fmt_ns(g), fmt_ns(c),
                    fmt_ratio(i, g), fmt_ratio(i, c)))
    return out


HEAD = ("op", "digits", "intspect ns", "GMP ns", "CPython ns", "isp/GMP", "isp/CPy")


def print_table(rows, markdown):
    body = table_rows(rows)
    if markdown:
        print("| " + " | ".join(HEAD) + " |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in body:
            print("| " + " | ".join(r) + " |")
        return
    widths = [max(len(x[j]) for x in body + [HEAD]) for j in range(len(HEAD))]
    for r in [HEAD] + body:
        print("  ".join(c.ljust(w) if j == 0 else c.rjust(w)
                        for j, (c, w) in enumerate(zip(r, widths))))


def targets(rows):
    """(description, measured ratio or None, limit) for each target."""
    out = []
    slower = []
    for (op, size, impl), ns in rows.items():
        if impl == "intspect" and (op, size, "cpython") in rows:
            slower.append((ns / rows[(op, size, "cpython")], op, size))
    if slower:
        slower.sort(reverse=True)
        bad = [x for x in slower if x[0] > 1.0]
        what = "never slower than CPython"
        if bad:
            what += " (%d of %d slower: %s)" % (
                len(bad), len(slower),
                ", ".join("%s@%s %.2f" % (op, size, r) for r, op, size in bad))
        out.append((what, slower[0][0], 1.0))

    def ratio(op, size):
        i, g = rows.get((op, size, "intspect")), rows.get((op, size, "gmp"))
        return None if i is None or g is None else i / g

    out.append(("mul at 100,000 digits vs GMP", ratio("mul", "100000"), 4.0))
    out.append(("floordiv at 100,000 digits vs GMP", ratio("floordiv", "100000"), 5.0))
    out.append(("str at 1,000,000 digits vs GMP", ratio("str", "1000000"), 3.0))
    out.append(("int(str) at 1,000,000 digits vs GMP", ratio("int(str)", "1000000"), 3.0))
    out.append(("pow 2048-bit modular vs GMP", ratio(POW, POW_SIZE), 3.0))
    return out


def print_targets(rows, markdown):
    print()
    if markdown:
        print("| target | ratio | limit | |")
        print("| --- | ---: | ---: | --- |")
    for what, r, limit in targets(rows):
        verdict = "not measured" if r is None else ("met" if r <= limit else "MISSED")
        rs = "-" if r is None else "%.2f" % r
        if markdown:
            print("| %s | %s | <= %.1f | %s |" % (what, rs, limit, verdict))
        else:
            print("%-55s %6s  <= %.1f  %s" % (what, rs, limit, verdict))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exe", default=default_exe(), help="the bench_arith program")
    ap.add_argument("--max-digits", type=int, default=SIZES[-1])
    ap.add_argument("--quick", action="store_true",
                    help="10 ms measurements, one round")
    ap.add_argument("--min-ms", type=float, default=None)
    ap.add_argument("--rounds", type=int, default=None,
                    help="rounds of measurements; the best counts (5; 1 with --quick)")
    ap.add_argument("--cpu", type=int, default=None,
                    help="the CPU both sides run on (default: the lowest allowed; -1: any)")
    ap.add_argument("--no-cpython", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    where = "any CPU"
    if args.cpu is None or args.cpu >= 0:
        allowed = sorted(os.sched_getaffinity(0))
        cpu = allowed[0] if args.cpu is None else args.cpu
        if cpu not in allowed:
            ap.error("--cpu %d: this process may only use CPUs %s" % (cpu, allowed))
        os.sched_setaffinity(0, {cpu})   # the C program inherits it
        where = "CPU %d" % cpu
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)
    min_ms = args.min_ms if args.min_ms is not None else (10 if args.quick else 50)
    rounds = args.rounds if args.rounds is not None else (1 if args.quick else 5)
    if rounds < 1 or min_ms <= 0:
        ap.error("--rounds and --min-ms must be positive")

    start = time.time()
    load0 = os.getloadavg()
    c = CServer(args, min_ms)
    rows = run(args, c, rounds, min_ms / 1000)
    c.close()
    load1 = os.getloadavg()

    cpy = "-" if args.no_cpython else "CPython %s" % platform.python_version()
    print("intspect (profile %s) vs GMP %s vs %s; %s; best of %d rounds up to %s digits and "
          "%d above, side by side on %s; %.0f s; load average %.2f before, %.2f after"
          % (c.info.get("profile", "?"), c.info.get("gmp", "?"), cpy,
             time.strftime("%Y-%m-%d"), rounds_at(SMALL, rounds), "{:,}".format(SMALL),
             rounds, where, time.time() - start, load0[0], load1[0]))
    print()
    print_table(rows, args.markdown)
    print_targets(rows, args.markdown)


if __name__ == "__main__":
    main()
