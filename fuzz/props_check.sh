#!/usr/bin/env bash
# fuzz/props_check.sh -- the Lua properties in the test command.
#
#   fuzz/props_check.sh BIN_DIR [SECONDS]
#
# BIN_DIR holds what .clusterfuzzlite/build.sh made (intspect_luafuzz and
# lua_NAME for each fuzz/props/NAME.lua).  Two checks:
#
# 1. Lua coverage reaches libFuzzer.  harness/tests/fixtures/magic_prop.lua
#    fails only on four magic bytes it compares in Lua, after drawing all
#    four, so the C code below it runs the same way whatever they are.
#    With Lua's line coverage the engine must find them within
#    $MAGIC_RUNS runs; without it (INTSPECT_LUA_COVERAGE=0) it must not, in
#    as many runs.  The seed is fixed, so both runs repeat exactly.
#    Where AFL++ is installed the same is checked under afl-fuzz, with the
#    driver built by afl-clang-fast beside BIN_DIR (../afl-address/).
# 2. Every property is fuzzed SECONDS (default 8) from a copy of its corpus
#    corpus/lua-NAME/; a finding fails the check, with its reproducer kept
#    in build-cflite/test/findings-lua/ and the command that replays it.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:?usage: fuzz/props_check.sh BIN_DIR [SECONDS]}
SECS=${2:-8}
MAGIC_RUNS=${MAGIC_RUNS:-1000000}
WORK=$ROOT/build-cflite/test/props
FINDINGS=$ROOT/build-cflite/test/findings-lua
rm -rf "$WORK" "$FINDINGS"
mkdir -p "$WORK" "$FINDINGS"
fails=0
fail() { echo "props_check.sh: FAILED: $*"; fails=$((fails + 1)); }

[ -x "$BIN/intspect_luafuzz" ] || { echo "props_check.sh: $BIN/intspect_luafuzz missing" >&2; exit 2; }

# ---------------------------------------------------------------- 1. coverage
magic() {   # coverage(1|0) -> prints the outcome line, returns 0 when found
  local dir=$WORK/magic-$1
  mkdir -p "$dir"
  INTSPECT_PROP=$ROOT/harness/tests/fixtures/magic_prop.lua INTSPECT_LUA_COVERAGE=$1 \
    "$BIN/intspect_luafuzz" -seed=1 -runs="$MAGIC_RUNS" -detect_leaks=0 -max_len=64 \
    -artifact_prefix="$dir/" "$dir" >"$dir.log" 2>&1
  grep -q "the magic bytes 'isp!' were found" "$dir.log"
}
runs_done() { sed -n 's/^Done \([0-9]*\) runs.*/\1/p; s/^#\([0-9]*\).*DONE.*/\1/p' "$1" | tail -n 1; }
if magic 1; then
  echo "Lua coverage on: the magic bytes found after $(grep -o '^#[0-9]*' "$WORK/magic-1.log" | tail -n 1 | tr -d '#') runs"
else
  fail "with Lua coverage, libFuzzer did not find the magic bytes in $MAGIC_RUNS runs (log: $WORK/magic-1.log)"
fi
if magic 0; then
  fail "without Lua coverage the magic bytes were found too: the check proves nothing (log: $WORK/magic-0.log)"
else
  echo "Lua coverage off: not found in $(runs_done "$WORK/magic-0.log") runs"
fi

AFL_BIN=$(dirname "$BIN")/afl-address
if command -v afl-fuzz >/dev/null && command -v afl-clang-fast >/dev/null &&
   [ ! -x "$AFL_BIN/intspect_luafuzz" ]; then
  echo "building the AFL++ driver into $AFL_BIN"
  env -u CFLAGS -u CXXFLAGS -u SRC SANITIZER=address OUT="$AFL_BIN" WORK="$AFL_BIN-work" \
    CC=afl-clang-fast CXX=afl-clang-fast++ AFL_QUIET=1 LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
    bash "$ROOT/.clusterfuzzlite/build.sh" >"$WORK/afl-build.log" 2>&1 ||
    fail "building the AFL++ driver failed (log: $WORK/afl-build.log)"
fi
if command -v afl-fuzz >/dev/null && [ -x "$AFL_BIN/intspect_luafuzz" ]; then
  afl_magic() {   # coverage(1|0) seconds -> 0 when afl-fuzz saved a crash
    local out=$ROOT/build-cflite/test/afl-magic-$1
    rm -rf "$out" "$WORK/afl-in"
    mkdir -p "$WORK/afl-in"
    printf 'aaaa' >"$WORK/afl-in/seed"
    AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
    AFL_BENCH_UNTIL_CRASH=1 AFL_FAST_CAL=1 AFL_NO_STARTUP_CALIBRATION=1 \
    INTSPECT_PROP=$ROOT/harness/tests/fixtures/magic_prop.lua INTSPECT_LUA_COVERAGE=$1 \
      afl-fuzz -i "$WORK/afl-in" -o "$out" -V "$2" -s 1 -- "$AFL_BIN/intspect_luafuzz" \
      >"$out.log" 2>&1
    ls "$out"/default/crashes/id:* >/dev/null 2>&1
  }
  if afl_magic 1 60; then echo "AFL++, Lua coverage on: the magic bytes found"
  else fail "AFL++ with Lua coverage did not find the magic bytes in 60 s"; fi
  if afl_magic 0 20; then fail "AFL++ without Lua coverage found the magic bytes too"
  else echo "AFL++, Lua coverage off: not found in 20 s"; fi
fi

# ---------------------------------------------------------------- 2. properties
for prop in "$ROOT"/fuzz/props/*.lua; do
  name=$(basename "$prop" .lua)
  bin=$BIN/lua_$name
  if [ ! -x "$bin" ]; then fail "$bin missing"; continue; fi
  corpus=$WORK/corpus-$name
  mkdir -p "$corpus"
  cp "$ROOT/corpus/lua-$name/"* "$corpus/" 2>/dev/null
  "$bin" -max_total_time="$SECS" -detect_leaks=0 -timeout=25 -rss_limit_mb=2560 \
    -print_final_stats=1 -artifact_prefix="$FINDINGS/$name-" "$corpus" >"$WORK/$name.log" 2>&1
  status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$name.log")
  found=$(ls "$FINDINGS/$name-"* 2>/dev/null | head -n 1)
  if [ -n "$found" ]; then
    sed -n "/property '$name' failed/,/^==/p" "$WORK/$name.log" | head -n 30
    fail "property $name: a finding, kept in $found; replay it with:
    build/intspect fuzz fuzz/props/$name.lua $found"
  elif [ "$status" -ne 0 ]; then
    tail -n 15 "$WORK/$name.log"
    fail "property $name: the engine exited with status $status (log: $WORK/$name.log)"
  else
    echo "property $name: ${execs:-?} inputs in ${SECS}s, no finding"
  fi
done

[ "$fails" -eq 0 ] || { echo "props_check.sh: $fails check(s) failed"; exit 1; }
echo "props_check.sh: all checks passed"
