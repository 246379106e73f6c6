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
echo "building ($SAN) into $OUT" >&2
env -u CFLAGS -u CXXFLAGS -u SRC SANITIZER="$SAN" OUT="$OUT" WORK="$WORK" CC=clang CXX=clang++ \
  LIB_FUZZING_ENGINE=-fsanitize=fuzzer bash "$ROOT/.clusterfuzzlite/build.sh" >"$DIR/build.log" 2>&1 ||
  die "the build failed (log: $DIR/build.log)"
# the C yardstick, compiled and linked exactly as build.sh links a target
# (its flags are the ones build.sh printed for the runtime objects)
FLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only"
case "$SAN" in
  address) FLAGS="$FLAGS -fsanitize=address -fsanitize-address-use-after-scope" ;;
  undefined) FLAGS="$FLAGS -fsanitize=array-bounds,bool,builtin,enum,float-divide-by-zero,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound -fno-sanitize-recover=all" ;;
esac
clang $FLAGS -fsanitize=fuzzer-no-link -std=c11 -DISP_DEBUG=1 -DISP_TEST_CUTOFFS=1 \
  -I"$ROOT/runtime" -I"$ROOT/fuzz" -c "$ROOT/bench/fuzz_divmod.c" -o "$WORK/fuzz_divmod.o" ||
  die "compiling bench/fuzz_divmod.c failed"
SUPPORT=()
for c in "$ROOT"/fuzz/fz*.c; do grep -q FZ_LIBFUZZER "$c" || SUPPORT+=("$WORK/obj/$(basename "$c" .c).o"); done
GMP=$(ls /usr/lib/x86_64-linux-gnu/libgmp.a 2>/dev/null || echo -lgmp)
clang++ $FLAGS -fsanitize=fuzzer "$WORK/fuzz_divmod.o" "${SUPPORT[@]}" "$WORK"/obj/rt_*.o $GMP -lm \
  -o "$OUT/c_divmod" || die "linking the C yardstick failed"

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
  c=$(run c_divmod); l=$(run lua_divmod)
  [ -n "$c" ] && [ -n "$l" ] || die "a run failed (logs in $DIR)"
  [ "$c" -gt "$bestc" ] && bestc=$c
  [ "$l" -gt "$bestl" ] && bestl=$l
  echo "| $r | $c | $l | $(awk -v a="$l" -v b="$c" 'BEGIN { printf "%.2f", a / b }') |"
done
echo "| best | $bestc | $bestl | $(awk -v a="$bestl" -v b="$bestc" 'BEGIN { printf "%.2f", a / b }') |"
echo
echo "SANITIZER=$SAN, libFuzzer, -max_len=256, ${SECS}s per run on CPU $CPU, $(date -u +%Y-%m-%d)"
