#!/usr/bin/env bash
# fuzz/check_cflite_build.sh -- run .clusterfuzzlite/build.sh the way the
# OSS-Fuzz/ClusterFuzzLite builder does, once per sanitizer, and check $OUT.
#
#   fuzz/check_cflite_build.sh [DIR]      (default build-cflite/check)
#
# For SANITIZER = address, undefined and coverage the script sets what the
# base-builder image sets: CC/CXX clang, CFLAGS and CXXFLAGS (the common
# -O1 -fno-omit-frame-pointer -gline-tables-only
# -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, the sanitizer's flags, and
# -fsanitize=fuzzer-no-link or the coverage flags),
# LIB_FUZZING_ENGINE=-fsanitize=fuzzer, OUT and WORK under DIR/SANITIZER/,
# and SRC pointing at a directory without the project in it.  (The image's
# CXXFLAGS also has -stdlib=libc++; it is left out because no target is C++
# and Debian's clang has no libc++ headers by default.)
#
# Then, for every target (each fuzz/fz_T.c defining LLVMFuzzerTestOneInput),
# $OUT must hold: the executable fuzz_T, which runs one seed; the seed zip
# fuzz_T_seed_corpus.zip with exactly the files of corpus/T/ (not its
# regressions/); fuzz_T.options with a [libfuzzer] section; and fuzz_T.dict,
# the same file as fuzz/T.dict, named by the options (every target has one).
# Prints one line per check that fails and exits 1 if any did.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${1:-$ROOT/build-cflite/check}
mkdir -p "$DIR" && DIR=$(cd "$DIR" && pwd)

for tool in clang clang++ zip unzip; do
  command -v "$tool" >/dev/null || { echo "check_cflite_build.sh: $tool is missing (apt-get install clang libclang-rt-dev zip unzip)" >&2; exit 2; }
done

TARGETS=()
for src in "$ROOT"/fuzz/fz_*.c; do
  if grep -q 'LLVMFuzzerTestOneInput' "$src" && grep -q 'FZ_LIBFUZZER' "$src"; then
    t=$(basename "$src" .c); TARGETS+=("${t#fz_}")
  fi
done

COMMON="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
UB=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unsigned-integer-overflow,unreachable,vla-bound,vptr
UB_FATAL=${UB/unsigned-integer-overflow,/}
flags() {
  case "$1" in
    address)   echo "$COMMON -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link" ;;
    undefined) echo "$COMMON -fsanitize=$UB -fno-sanitize-recover=$UB_FATAL -fsanitize=fuzzer-no-link" ;;
    coverage)  echo "$COMMON -fprofile-instr-generate -fcoverage-mapping -pthread -Wl,--no-as-needed -Wl,-ldl -Wl,-lm -Wno-unused-command-line-argument" ;;
  esac
}

fails=0
fail() { echo "check_cflite_build.sh: FAILED: $*"; fails=$((fails + 1)); }

mkdir -p "$DIR/src-elsewhere"
for san in address undefined coverage; do
  out=$DIR/$san/out work=$DIR/$san/work
  rm -rf "$out" "$work"
  mkdir -p "$out" "$work"
  f=$(flags "$san")
  if ! env -i PATH="$PATH" HOME="${HOME:-/tmp}" SRC="$DIR/src-elsewhere" OUT="$out" WORK="$work" \
        SANITIZER="$san" FUZZING_ENGINE=libfuzzer FUZZING_LANGUAGE=c ARCHITECTURE=x86_64 \
        CC=clang CXX=clang++ CFLAGS="$f" CXXFLAGS="$f" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
        bash -eu "$ROOT/.clusterfuzzlite/build.sh" >"$DIR/$san/build.log" 2>&1; then
    tail -n 20 "$DIR/$san/build.log"
    fail "SANITIZER=$san: build.sh failed (log: $DIR/$san/build.log)"
    continue
  fi
  for t in "${TARGETS[@]}"; do
    bin=$out/fuzz_$t
    if [ ! -x "$bin" ]; then fail "SANITIZER=$san: $bin missing"; continue; fi
    # the seed zip holds exactly the top-level files of corpus/T/
    zip=$out/fuzz_${t}_seed_corpus.zip
    if [ ! -f "$zip" ]; then
      fail "SANITIZER=$san: $zip missing"
    else
      want=$(find "$ROOT/corpus/$t" -maxdepth 1 -type f -printf '%f\n' 2>/dev/null | sort)
      got=$(unzip -Z1 "$zip" 2>/dev/null | sort)
      [ "$want" = "$got" ] || fail "SANITIZER=$san: $zip does not hold exactly the files of corpus/$t/"
    fi
    opts=$out/fuzz_$t.options
    if [ ! -f "$opts" ]; then
      fail "SANITIZER=$san: $opts missing (fuzz/$t.options)"
    elif ! grep -q '^\[libfuzzer\]' "$opts"; then
      fail "SANITIZER=$san: $opts has no [libfuzzer] section"
    fi
    # a dictionary for every target, under the name the options give
    if [ ! -f "$ROOT/fuzz/$t.dict" ]; then
      fail "fuzz/$t.dict missing: every target ships a dictionary"
    else
      if ! cmp -s "$ROOT/fuzz/$t.dict" "$out/fuzz_$t.dict"; then
        fail "SANITIZER=$san: $out/fuzz_$t.dict missing or not fuzz/$t.dict"
      fi
      named=$(sed -n 's/^dict *= *//p' "$opts" 2>/dev/null | head -n 1)
      [ "$named" = "fuzz_$t.dict" ] || fail "SANITIZER=$san: $opts names dict '${named}', not fuzz_$t.dict"
    fi
    # the binary runs a seed (coverage: writes its profile into WORK)
    seed=$(find "$ROOT/corpus/$t" -maxdepth 1 -type f | sort | head -n 1)
    if [ -n "$seed" ]; then
      if ! (cd "$work" && LLVM_PROFILE_FILE="$work/%p.profraw" timeout 120 "$bin" -runs=1 "$seed" \
              >"$DIR/$san/run_$t.log" 2>&1); then
        fail "SANITIZER=$san: $bin does not run a seed ($DIR/$san/run_$t.log)"
      fi
    fi
  done
  echo "check_cflite_build.sh: SANITIZER=$san: ${#TARGETS[@]} targets (${TARGETS[*]}) checked in $out"
done
rm -rf "$DIR/src-elsewhere"
[ "$fails" = 0 ] || { echo "check_cflite_build.sh: $fails check(s) failed"; exit 1; }
