#!/usr/bin/env bash
# fuzz/bench_lua.sh -- a Lua property against the same check written in C,
# side by side (a benchmark, not a test).
#
#   fuzz/bench_lua.sh [--time S] [--cpu N] [--rounds R] [--sanitizer address|undefined|none]
#
# fuzz/props/divmod.lua and bench/fuzz_divmod.c decode their input byte for
# byte alike and run the same runtime operations and checks, so the ratio
# of their speeds is what a property pays for being written in Lua (the VM,
# the data provider, the handles, the line-coverage hook).  Both are built
# as .clusterfuzzlite/build.sh builds the targets (into build-cflite/
# bench-lua/), and run under libFuzzer with the same flags: -max_len=256,
# -detect_leaks=0, from a fresh copy of corpus/lua-divmod/, one process
# pinned to one CPU (taskset -c N; default the last CPU), S seconds each
# (default 30), alternating for R rounds (default 3).  Prints a markdown
# table of exec/s per round and the ratio Lua/C; the best round of each
# counts, as the machine is shared.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECS=30
ROUNDS=3
NCPU=$(nproc 2>/dev/null || echo 1)
CPU=$((NCPU - 1))
SAN=address
die() { echo "bench_lua.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --time) SECS=${2:-}; shift 2 ;;
    --cpu) CPU=${2:-}; shift 2 ;;
    --rounds) ROUNDS=${2:-}; shift 2 ;;
    --sanitizer) SAN=${2:-}; shift 2 ;;
    -h|--help) sed -n '2,/^set -u/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ $SECS =~ ^[0-9]+$ ]] && [ "$SECS" -ge 1 ] || die "--time must be a positive number of seconds"
[[ $ROUNDS =~ ^[0-9]+$ ]] && [ "$ROUNDS" -ge 1 ] || die "--rounds must be a positive number"
[[ $CPU =~ ^[0-9]+$ ]] && [ "$CPU" -lt "$NCPU" ] || die "--cpu must be a CPU number below $NCPU"
case "$SAN" in address|undefined|none) ;; *) die "--sanitizer: address, undefined or none" ;; esac
command -v taskset >/dev/null || die "taskset is missing (apt-get install util-linux)"

DIR=$ROOT/build-cflite/bench-lua
OUT=$DIR/out-$SAN WORK=$DIR/work-$SAN
mkdir -p "$OUT" "$WORK"
# A source tree of links to this one, plus the C yardstick as one more
# target (fz_c_divmod.c, including bench/fuzz_divmod.c), so that build.sh
# compiles and links it with exactly the flags of the Lua property.
TREE=$DIR/src/intspect
rm -rf "$DIR/src"
mkdir -p "$TREE/fuzz"
for d in runtime corpus harness .clusterfuzzlite; do ln -s "$ROOT/$d" "$TREE/$d"; done
for f in "$ROOT"/fuzz/*; do ln -s "$f" "$TREE/fuzz/"; done
printf '/* The C yardstick of fuzz/bench_lua.sh, built as a target. */\n#ifdef FZ_LIBFUZZER\n#include "%s"\n#endif\n' \
  "$ROOT/bench/fuzz_divmod.c" >"$TREE/fuzz/fz_c_divmod.c"
echo "building ($SAN) into $OUT" >&2
env -u CFLAGS -u CXXFLAGS SRC="$DIR/src" SANITIZER="$SAN" OUT="$OUT" WORK="$WORK" CC=clang CXX=clang++ \
  LIB_FUZZING_ENGINE=-fsanitize=fuzzer bash "$ROOT/.clusterfuzzlite/build.sh" >"$DIR/build.log" 2>&1 ||
  die "the build failed (log: $DIR/build.log)"
[ -x "$OUT/fuzz_c_divmod" ] && [ -x "$OUT/lua_divmod" ] || die "a benchmark binary was not built (log: $DIR/build.log)"

run() {   # binary -> exec/s
  local c=$DIR/corpus-$1
  rm -rf "$c"; mkdir -p "$c"
  cp "$ROOT/corpus/lua-divmod/"* "$c/" 2>/dev/null
  taskset -c "$CPU" "$OUT/$1" -max_len=256 -detect_leaks=0 -max_total_time="$SECS" \
    -print_final_stats=1 -artifact_prefix="$DIR/$1-" "$c" >"$DIR/$1.log" 2>&1
  sed -n 's/^stat::average_exec_per_sec: *//p' "$DIR/$1.log"
}

echo "| round | C exec/s | Lua exec/s | Lua / C |"
echo "| ---: | ---: | ---: | ---: |"
bestc=0; bestl=0
for r in $(seq 1 "$ROUNDS"); do
  c=$(run fuzz_c_divmod); l=$(run lua_divmod)
  [ -n "$c" ] && [ -n "$l" ] || die "a run failed (logs in $DIR)"
  [ "$c" -gt "$bestc" ] && bestc=$c
  [ "$l" -gt "$bestl" ] && bestl=$l
  echo "| $r | $c | $l | $(awk -v a="$l" -v b="$c" 'BEGIN { printf "%.2f", a / b }') |"
done
echo "| best | $bestc | $bestl | $(awk -v a="$bestl" -v b="$bestc" 'BEGIN { printf "%.2f", a / b }') |"
echo
echo "SANITIZER=$SAN, libFuzzer, -max_len=256, ${SECS}s per run on CPU $CPU, $(date -u +%Y-%m-%d)"
