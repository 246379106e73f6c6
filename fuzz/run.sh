#!/bin/sh
# fuzz/run.sh -- a bounded local fuzzing session for one target.
#
#   fuzz/run.sh TARGET [SECONDS]          (TARGET: arith str alloc bytes)
#
# Builds build-fuzz/ with clang if needed (libFuzzer + ASan + UBSan), copies
# corpus/TARGET/ into a scratch directory, fuzzes for SECONDS (default 60)
# and copies every new crash, leak or timeout into corpus/TARGET/ as
# crash-<sha1> (leak-, timeout-, oom- likewise) so that 'intspect replay'
# keeps it as a regression.  Prints the engine's exec/s.
#
# Environment:
#   JOBS=N        parallel libFuzzer jobs (default 1)
#   ENGINE=afl    use AFL++ (afl-fuzz, afl-clang-fast) instead of libFuzzer
#   MERGE=1       afterwards, add the inputs that grew coverage to corpus/TARGET/
#   BUILD=DIR     build directory (default build-fuzz, or build-afl for AFL++)
#   KEEP=1        keep the scratch directory
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=${1:-}
SECS=${2:-60}
JOBS=${JOBS:-1}
ENGINE=${ENGINE:-libfuzzer}

case "$T" in
  arith|str|alloc|bytes) ;;
  *) echo "usage: fuzz/run.sh TARGET [SECONDS]   (TARGET: arith str alloc bytes)" >&2; exit 2 ;;
esac

# max_len and dict from fuzz/TARGET.options, as OSS-Fuzz reads them
opt() { sed -n "s/^$1 *= *//p" "$ROOT/fuzz/$T.options" 2>/dev/null | head -n 1; }
MAXLEN=$(opt max_len)
DICT=$(opt dict)

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/intspect-fuzz-$T.XXXXXX")
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$SCRATCH"; }
trap cleanup EXIT
mkdir -p "$SCRATCH/corpus" "$SCRATCH/artifacts"
cp "$ROOT/corpus/$T/"* "$SCRATCH/corpus/" 2>/dev/null || true

# Copy engine findings into the corpus, named by content.
collect() {
  found=0
  for f in "$@"; do
    [ -f "$f" ] || continue
    kind=$(basename "$f" | sed -n 's/^\(crash\|leak\|timeout\|oom\|slow-unit\)-.*/\1/p')
    [ -n "$kind" ] || kind=crash
    sum=$(sha1sum "$f" | cut -d' ' -f1)
    dest="$ROOT/corpus/$T/$kind-$sum"
    if [ ! -e "$dest" ]; then
      cp "$f" "$dest"
      echo "run.sh: NEW $kind: corpus/$T/$kind-$sum"
      found=$((found + 1))
    fi
  done
  return 0
}

if [ "$ENGINE" = afl ]; then
  command -v afl-fuzz >/dev/null && command -v afl-clang-fast >/dev/null || {
    echo "run.sh: AFL++ is not installed (apt-get install afl++)" >&2; exit 2; }
  BUILD=${BUILD:-$ROOT/build-afl}
  # afl-clang-fast with -fsanitize=fuzzer links AFL++'s libFuzzer driver,
  # which runs LLVMFuzzerTestOneInput in persistent mode; every input makes
  # and closes its own runtime, so no state carries over between runs.
  if [ ! -x "$BUILD/fuzz/fuzz_$T" ]; then
    CC=afl-clang-fast cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DISP_FUZZ=ON >/dev/null
  fi
  cmake --build "$BUILD" --target "fuzz_$T" >/dev/null
  # afl-cmin refuses /tmp, and the 4.04c driver asserts when given @@:
  # feed the input on stdin (no @@).
  export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
  set +e
  afl-fuzz -i "$SCRATCH/corpus" -o "$SCRATCH/afl" -V "$SECS" ${DICT:+-x "$ROOT/fuzz/$DICT"} \
    -- "$BUILD/fuzz/fuzz_$T" >"$SCRATCH/afl.log" 2>&1
  set -e
  stats="$SCRATCH/afl/default/fuzzer_stats"
  if [ -f "$stats" ]; then
    grep -E '^(execs_done|execs_per_sec|stability|saved_crashes|saved_hangs) ' "$stats"
  else
    tail -n 20 "$SCRATCH/afl.log"
  fi
  collect "$SCRATCH"/afl/default/crashes/id:*
  exit 0
fi

BUILD=${BUILD:-$ROOT/build-fuzz}
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  CC=${CC:-clang} cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DISP_FUZZ=ON >/dev/null
fi
cmake --build "$BUILD" --target "fuzz_$T" -j"$JOBS" >/dev/null
BIN="$BUILD/fuzz/fuzz_$T"
[ -x "$BIN" ] || { echo "run.sh: $BIN was not built (is CC clang?)" >&2; exit 2; }

cd "$SCRATCH"
set +e
if [ "$JOBS" -gt 1 ]; then
  "$BIN" -max_total_time="$SECS" -jobs="$JOBS" -workers="$JOBS" -print_final_stats=1 \
    -artifact_prefix="$SCRATCH/artifacts/" ${MAXLEN:+-max_len=$MAXLEN} \
    ${DICT:+-dict="$ROOT/fuzz/$DICT"} "$SCRATCH/corpus" >"$SCRATCH/fuzz.log" 2>&1
  cat "$SCRATCH"/fuzz-*.log >>"$SCRATCH/fuzz.log" 2>/dev/null
else
  "$BIN" -max_total_time="$SECS" -print_final_stats=1 \
    -artifact_prefix="$SCRATCH/artifacts/" ${MAXLEN:+-max_len=$MAXLEN} \
    ${DICT:+-dict="$ROOT/fuzz/$DICT"} "$SCRATCH/corpus" >"$SCRATCH/fuzz.log" 2>&1
fi
status=$?
set -e

grep -E 'MISMATCH|ERROR: |SUMMARY: |runtime error' "$SCRATCH/fuzz.log" | head -n 20 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
  "$SCRATCH/fuzz.log" || grep -E 'exec/s' "$SCRATCH/fuzz.log" | tail -n 1
collect "$SCRATCH"/artifacts/*

if [ "${MERGE:-0}" = 1 ]; then
  mkdir -p "$SCRATCH/merged"
  "$BIN" -merge=1 ${MAXLEN:+-max_len=$MAXLEN} "$SCRATCH/merged" "$ROOT/corpus/$T" \
    "$SCRATCH/corpus" >"$SCRATCH/merge.log" 2>&1 || true
  # keep sha1 names; the engine names new units by their sha1 already
  n=0
  for f in "$SCRATCH"/merged/*; do
    [ -f "$f" ] || continue
    sum=$(sha1sum "$f" | cut -d' ' -f1)
    if ! ls "$ROOT/corpus/$T/"*"$sum" >/dev/null 2>&1; then
      cp "$f" "$ROOT/corpus/$T/$sum"; n=$((n + 1))
    fi
  done
  echo "run.sh: merge added $n inputs to corpus/$T/"
fi
echo "run.sh: engine exit status $status; log kept only with KEEP=1 ($SCRATCH/fuzz.log)"
[ "$status" -eq 0 ]
