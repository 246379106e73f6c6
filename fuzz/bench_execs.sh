#!/usr/bin/env bash
# fuzz/bench_execs.sh -- fuzzing speed of every C target, as a ratio to an
# empty target built and run the same way (a benchmark, not a test).
#
#   fuzz/bench_execs.sh [--time S] [--cpu N] [--sanitizers "address undefined none"]
#                       [--targets "arith str ..."] [--dir DIR]
#
# Builds, for each sanitizer, every target and an empty one (an
# LLVMFuzzerTestOneInput that returns 0, in a fuzz/fz_empty.c next to the
# others, so .clusterfuzzlite/build.sh compiles and links it exactly like
# them, against the same runtime and support objects) into DIR/out-SANITIZER
# (default DIR build-cflite/bench).  Then runs each target with libFuzzer for
# S seconds (default 60), -max_len=256, from a fresh copy of corpus/TARGET/,
# one process pinned to one CPU (taskset -c N; default the last CPU), and the
# empty target right before it on the same CPU and the same seeds.  Prints a
# markdown table: exec/s (libFuzzer's stat::average_exec_per_sec) per target
# and sanitizer, and its ratio to the empty target of the same pair.
#
# Two rows per sanitizer measure what is left to a target before it does
# anything large, both from no seeds: '(floor)' runs the least a
# differential target can do (fz_floor.c below: one small isp_add, its sum
# checked), '(floor, checked)' the same add checked as the real targets
# check every result (fz_check_object: value through GMP, getsizeof, cache
# identity, refcount) with the runtime proven back at its baseline after
# the input (fz_close).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECS=60
NCPU=$(nproc 2>/dev/null || echo 1)
CPU=$((NCPU - 1))
SANITIZERS="address undefined none"
TARGETS=""
DIR=$ROOT/build-cflite/bench

die() { echo "bench_execs.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --time) SECS=${2:-}; shift 2 ;;
    --cpu) CPU=${2:-}; shift 2 ;;
    --sanitizers) SANITIZERS=${2:-}; shift 2 ;;
    --targets) TARGETS=${2:-}; shift 2 ;;
    --dir) DIR=${2:-}; shift 2 ;;
    -h|--help) sed -n '2,/^set -u/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ $SECS =~ ^[0-9]+$ ]] && [ "$SECS" -ge 1 ] || die "--time must be a positive number of seconds"
[[ $CPU =~ ^[0-9]+$ ]] && [ "$CPU" -lt "$NCPU" ] || die "--cpu must be a CPU number below $NCPU"
for s in $SANITIZERS; do
  case "$s" in address|undefined|none) ;; *) die "sanitizer '$s': address, undefined or none" ;; esac
done
for tool in clang clang++ zip taskset; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install clang libclang-rt-dev zip util-linux)"
done

ALL=()
for src in "$ROOT"/fuzz/fz_*.c; do
  if grep -q 'LLVMFuzzerTestOneInput' "$src" && grep -q 'FZ_LIBFUZZER' "$src"; then
    t=$(basename "$src" .c); ALL+=("${t#fz_}")
  fi
done
[ -n "$TARGETS" ] || TARGETS="${ALL[*]}"
for t in $TARGETS; do
  [[ " ${ALL[*]} " == *" $t "* ]] || die "unknown target '$t' (targets: ${ALL[*]})"
done

# A source tree of links to this one, plus the empty target; build.sh finds
# it through $SRC/intspect and builds it like the real tree.
mkdir -p "$DIR" && DIR=$(cd "$DIR" && pwd)
TREE=$DIR/src/intspect
rm -rf "$DIR/src"
mkdir -p "$TREE/fuzz"
for d in runtime corpus harness .clusterfuzzlite; do ln -s "$ROOT/$d" "$TREE/$d"; done
for f in "$ROOT"/fuzz/*; do [ -f "$f" ] && ln -s "$f" "$TREE/fuzz/"; done
cat >"$TREE/fuzz/fz_empty.c" <<'EOF'
/* The empty target: what the engine and the sanitizer cost by themselves. */
#include <stddef.h>
#include <stdint.h>
#ifdef FZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)data;
  (void)size;
  return 0;
}
#endif
EOF
cat >"$TREE/fuzz/fz_floor.c" <<'EOF'
/*
** The floor: the least a differential target can do.  Two small ints
** from the input, one isp_add on a runtime kept across inputs, the sum
** checked against C's and the three references dropped.  Its ratio to
** the empty target bounds what any target of this runtime can reach.
*/
#include <stdlib.h>
#include "fz.h"
#ifdef FZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static isp_runtime *R;
  int64_t a = size > 0 ? (int8_t)data[0] : 0, b = size > 1 ? (int8_t)data[1] : 0, sum;
  isp_int *x, *y, *z;
  if (R == NULL) R = fz_runtime("cpython3.12");
  x = isp_from_i64(R, a);
  y = isp_from_i64(R, b);
  z = x && y ? isp_add(R, x, y) : NULL;
  if (z == NULL || isp_to_i64(R, z, &sum) != 0 || sum != a + b) abort();
  isp_decref(R, x);
  isp_decref(R, y);
  isp_decref(R, z);
  return 0;
}
#endif
EOF
cat >"$TREE/fuzz/fz_floor_checked.c" <<'EOF'
/* The floor's add, checked as the targets check every result. */
#include "fz.h"
#ifdef FZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int64_t a = size > 0 ? (int8_t)data[0] : 0, b = size > 1 ? (int8_t)data[1] : 0;
  isp_runtime *R = fz_runtime("cpython3.12");
  isp_int *x, *y, *z;
  mpz_t sum;
  mpz_init_set_si(sum, (long)(a + b));
  x = isp_from_i64(R, a);
  y = isp_from_i64(R, b);
  z = x && y ? isp_add(R, x, y) : NULL;
  if (z == NULL) fz_fail("add failed: %s", fz_errtext(R));
  fz_check_object(R, z, sum, 0, "add");
  isp_decref(R, x);
  isp_decref(R, y);
  isp_decref(R, z);
  mpz_clear(sum);
  fz_close(R, "floor");
  return 0;
}
#endif
EOF

for s in $SANITIZERS; do
  echo "bench_execs.sh: building SANITIZER=$s" >&2
  env -u CFLAGS -u CXXFLAGS SRC="$DIR/src" SANITIZER="$s" CC=clang CXX=clang++ \
    OUT="$DIR/out-$s" WORK="$DIR/work-$s" bash "$ROOT/.clusterfuzzlite/build.sh" \
    >"$DIR/build-$s.log" 2>&1 || { tail -n 20 "$DIR/build-$s.log" >&2; die "build failed (SANITIZER=$s)"; }
  [ -x "$DIR/out-$s/fuzz_empty" ] || die "the empty target was not built (SANITIZER=$s)"
done

# One run: exec/s of $1 over a fresh copy of corpus/$2/.
run() {   # binary target label
  local scratch rate
  scratch=$(mktemp -d "$DIR/run.XXXXXX")
  mkdir -p "$scratch/corpus"
  [ -z "$2" ] || find "$ROOT/corpus/$2" -maxdepth 1 -type f -exec cp {} "$scratch/corpus/" \;
  (cd "$scratch" && ASAN_OPTIONS=detect_leaks=1 taskset -c "$CPU" "$1" -max_len=256 \
     -max_total_time="$SECS" -print_final_stats=1 -timeout=25 -rss_limit_mb=2560 \
     -artifact_prefix="$scratch/" "$scratch/corpus" >"$scratch/log" 2>&1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/log" | tail -n 1)
  if [ -z "$rate" ]; then
    echo "bench_execs.sh: $3 gave no exec/s (log kept: $scratch/log)" >&2
    echo "-"
    return
  fi
  if ls "$scratch"/crash-* "$scratch"/leak-* >/dev/null 2>&1; then
    echo "bench_execs.sh: $3 stopped on a finding; its exec/s covers less than ${SECS}s (log: $scratch/log)" >&2
  else
    rm -rf "$scratch"
  fi
  echo "$rate"
}

# exec/s r as a share of the empty target's e, "-" when a run gave none
ratio() { awk -v r="$1" -v e="$2" 'BEGIN { if (r + 0 > 0 && e + 0 > 0) printf "%.3f", r / e; else print "-" }'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s)
ROWS=()
for s in $SANITIZERS; do
  echo "bench_execs.sh: SANITIZER=$s the floors (and the empty target) ${SECS}s each on CPU $CPU, no seeds" >&2
  e=$(run "$DIR/out-$s/fuzz_empty" "" "empty/$s/floor")
  r=$(run "$DIR/out-$s/fuzz_floor" "" "floor/$s")
  ROWS+=("| (floor) | $s | $r | $e | $(ratio "$r" "$e") |")
  r=$(run "$DIR/out-$s/fuzz_floor_checked" "" "floor_checked/$s")
  ROWS+=("| (floor, checked) | $s | $r | $e | $(ratio "$r" "$e") |")
  for t in $TARGETS; do
    echo "bench_execs.sh: SANITIZER=$s $t (and the empty target) ${SECS}s each on CPU $CPU" >&2
    e=$(run "$DIR/out-$s/fuzz_empty" "$t" "empty/$s/$t")
    r=$(run "$DIR/out-$s/fuzz_$t" "$t" "$t/$s")
    ROWS+=("| $t | $s | $r | $e | $(ratio "$r" "$e") |")
  done
done
end=$(date +%s)

echo
echo "libFuzzer exec/s, one process pinned to CPU $CPU (taskset -c $CPU), ${SECS}s per run,"
echo "-max_len=256, no dictionary, from corpus/TARGET/; the empty target ran just before"
echo "each target, on its seeds. (floor) is the least a differential target does (one"
echo "small isp_add, its sum checked), (floor, checked) that add checked as the targets"
echo "check every result, both from no seeds and beside the same empty run."
echo "$(clang --version | head -n 1); $(date -u +%Y-%m-%d);"
echo "$((end - start)) s; load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after."
echo
echo "| target | sanitizer | exec/s | empty exec/s | ratio to empty |"
echo "| --- | --- | ---: | ---: | ---: |"
for row in "${ROWS[@]}"; do echo "$row"; done
