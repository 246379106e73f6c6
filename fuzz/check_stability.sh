#!/bin/bash
# fuzz/check_stability.sh [BUILD_DIR] -- does every input of the shipped
# corpora run the same edges whatever ran before it (AFL++'s stability)?
#
# Builds each target as the fuzz builds do (ISP_DEBUG, ISP_TEST_CUTOFFS,
# ASan) but with -fsanitize-coverage=trace-pc-guard, links it with
# fuzz/stability.c instead of an engine, and runs corpus/TARGET/ through
# it: each input, three others, the input again.  Fails, naming the
# function and line of each edge that changed, when any input ran
# differently the second time.  BUILD_DIR defaults to build-cflite/stability.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DIR=${1:-build-cflite/stability}
CC=${CC:-clang}
command -v "$CC" >/dev/null || { echo "check_stability.sh: $CC is missing: apt-get install clang" >&2; exit 2; }
mkdir -p "$DIR/obj"
FLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address -std=c11 -DISP_DEBUG=1 -DISP_TEST_CUTOFFS=1 -Iruntime -Ifuzz"
COV="-fsanitize-coverage=trace-pc-guard"
targets=()
{
  for c in runtime/*.c; do echo "$c rt_$(basename "$c" .c).o $COV"; done
  for c in fuzz/fz*.c; do
    if grep -q FZ_LIBFUZZER "$c"; then
      t=$(basename "$c" .c); echo "$c $t.o $COV -DFZ_LIBFUZZER=1"
    else
      echo "$c $(basename "$c" .c).o $COV"
    fi
  done
  echo "fuzz/stability.c stability.o"
} | FLAGS=$FLAGS CC=$CC DIR=$DIR xargs -P "$(nproc 2>/dev/null || echo 2)" -L 1 \
      sh -c '$CC $FLAGS $2 $3 $4 -c "$0" -o "$DIR/obj/$1"'
support=()
for c in fuzz/fz*.c; do grep -q FZ_LIBFUZZER "$c" || support+=("$DIR/obj/$(basename "$c" .c).o"); done
for c in fuzz/fz_*.c; do grep -q FZ_LIBFUZZER "$c" && targets+=("$(basename "$c" .c)"); done
status=0
for t in "${targets[@]}"; do
  name=${t#fz_}
  [ -d "corpus/$name" ] || continue
  $CC -fsanitize=address "$DIR/obj/stability.o" "$DIR/obj/$t.o" "${support[@]}" "$DIR"/obj/rt_*.o \
    -lgmp -lm -o "$DIR/stability_$name"
  echo "== $name: $(ls "corpus/$name" | grep -vc '^regressions$') inputs, each run again after three others"
  if ! ASAN_OPTIONS=detect_leaks=0 "$DIR/stability_$name" "corpus/$name" >"$DIR/$name.log" 2>&1; then
    grep -m 20 'guard' "$DIR/$name.log" >&2 || true
    tail -n 1 "$DIR/$name.log" >&2
    status=1
  else
    tail -n 1 "$DIR/$name.log"
  fi
done
exit $status
