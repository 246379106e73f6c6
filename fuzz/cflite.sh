#!/bin/sh
# fuzz/cflite.sh -- the ClusterFuzzLite modes, run locally with the system
# clang instead of the OSS-Fuzz images (.clusterfuzzlite/build.sh does the
# build either way).
#
#   fuzz/cflite.sh build                 build every target into build-cflite/out
#   fuzz/cflite.sh code-change [SECS]    fuzz each target SECS/4 s (default 600 in all),
#                                        as a pull-request check; fails on a crash
#   fuzz/cflite.sh batch [SECS]          fuzz each target SECS s (default 3600), keeping
#                                        the grown corpus in build-cflite/corpus/
#   fuzz/cflite.sh prune                 minimize build-cflite/corpus/ with -merge=1
#   fuzz/cflite.sh coverage              line coverage of the runtime by corpus/
#
# SANITIZER=address (default) or undefined, as the workflows' matrix.
# Crashes are copied to corpus/<target>/crash-<sha1> like fuzz/run.sh does.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:-build}
TARGETS="arith str alloc bytes"
BASE="$ROOT/build-cflite"
SANITIZER=${SANITIZER:-address}

build() {
  case "$SANITIZER" in
    address)   san="-fsanitize=address" ;;
    undefined) san="-fsanitize=undefined -fno-sanitize-recover=undefined" ;;
    coverage)  san="-fprofile-instr-generate -fcoverage-mapping" ;;
    *) echo "cflite.sh: SANITIZER must be address, undefined or coverage" >&2; exit 2 ;;
  esac
  OUT="$BASE/out-$SANITIZER" WORK="$BASE/work-$SANITIZER" \
  CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only $san -fsanitize=fuzzer-no-link" \
  LIB_FUZZING_ENGINE="-fsanitize=fuzzer" \
    bash "$ROOT/.clusterfuzzlite/build.sh"
  echo "cflite.sh: built $(ls "$BASE/out-$SANITIZER" | grep -c '^fuzz_[a-z]*$') targets in build-cflite/out-$SANITIZER"
}

# Seed corpus + the kept corpus into a working directory.
corpus_dir() {
  d="$BASE/corpus/$1"
  mkdir -p "$d"
  cp -n "$ROOT/corpus/$1/"* "$d/" 2>/dev/null || true
  echo "$d"
}

# Run one target for $2 seconds; copy crashes; return 1 on a crash.
fuzz_one() {
  t=$1 secs=$2 out="$BASE/out-$SANITIZER"
  art="$BASE/artifacts/$t"
  mkdir -p "$art"
  dir=$(corpus_dir "$t")
  opts=""
  [ -f "$out/fuzz_$t.dict" ] && opts="-dict=$out/fuzz_$t.dict"
  ml=$(sed -n 's/^max_len *= *//p' "$out/fuzz_$t.options" 2>/dev/null | head -n 1)
  [ -n "$ml" ] && opts="$opts -max_len=$ml"
  echo "== fuzz_$t for ${secs}s"
  set +e
  # shellcheck disable=SC2086
  "$out/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$art/" \
    -timeout=25 -rss_limit_mb=2560 $opts "$dir" >"$BASE/fuzz_$t.log" 2>&1
  rc=$?
  set -e
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec)|MISMATCH|SUMMARY' "$BASE/fuzz_$t.log" || true
  for f in "$art"/*; do
    [ -f "$f" ] || continue
    sum=$(sha1sum "$f" | cut -d' ' -f1)
    kind=$(basename "$f" | sed 's/-.*//')
    [ -e "$ROOT/corpus/$t/$kind-$sum" ] || { cp "$f" "$ROOT/corpus/$t/$kind-$sum"; echo "NEW corpus/$t/$kind-$sum"; }
    rm -f "$f"
  done
  return $rc
}

case "$MODE" in
  build) build ;;
  code-change|batch)
    [ "$MODE" = batch ] && total=${2:-3600} || total=${2:-600}
    [ "$MODE" = batch ] && each=$total || each=$((total / 4))
    build
    failed=0
    for t in $TARGETS; do fuzz_one "$t" "$each" || failed=1; done
    [ "$failed" = 0 ] || { echo "cflite.sh: crashes found (see corpus/*/crash-*)"; exit 1; }
    ;;
  prune)
    out="$BASE/out-$SANITIZER"
    [ -x "$out/fuzz_arith" ] || build
    for t in $TARGETS; do
      dir=$(corpus_dir "$t")
      rm -rf "$dir.pruned"; mkdir -p "$dir.pruned"
      "$out/fuzz_$t" -merge=1 "$dir.pruned" "$dir" >"$BASE/prune_$t.log" 2>&1
      echo "$t: $(ls "$dir" | wc -l) -> $(ls "$dir.pruned" | wc -l) inputs"
      rm -rf "$dir"; mv "$dir.pruned" "$dir"
    done
    ;;
  coverage)
    SANITIZER=coverage build
    out="$BASE/out-coverage"
    rm -rf "$BASE/profraw"; mkdir -p "$BASE/profraw"
    for t in $TARGETS; do
      LLVM_PROFILE_FILE="$BASE/profraw/$t.profraw" "$out/fuzz_$t" -runs=0 "$ROOT/corpus/$t" >/dev/null 2>&1 || true
    done
    llvm-profdata merge -sparse "$BASE"/profraw/*.profraw -o "$BASE/cov.profdata"
    llvm-cov report "$out/fuzz_arith" -object "$out/fuzz_str" -object "$out/fuzz_alloc" \
      -object "$out/fuzz_bytes" -instr-profile="$BASE/cov.profdata" "$ROOT"/runtime/*.c
    ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
