#!/bin/bash -eu
# .clusterfuzzlite/build.sh -- build every fuzz target the OSS-Fuzz way.
#
# Compiles with $CC $CFLAGS, links with $CXX $CXXFLAGS $LIB_FUZZING_ENGINE,
# and leaves in $OUT, for each target T: the binary fuzz_T, its seed corpus
# fuzz_T_seed_corpus.zip (corpus/T/, files named by sha1), fuzz_T.options
# and fuzz_T.dict when the target has them.  GMP is linked statically: the
# image that runs the targets does not have it.
#
# One sanitizer per build, as OSS-Fuzz builds them: $SANITIZER is address
# (ASan, LeakSanitizer on), undefined (UBSan, every check fatal), coverage
# (clang source-based coverage, no sanitizer) or none (engine only, for
# measuring).  Inside the builder image CFLAGS already carries the
# sanitizer; run locally (fuzz/cflite.sh does) the defaults below give the
# same build with the system clang.
#
# Whatever the sanitizer, the project's own switches are added: ISP_DEBUG
# turns the runtime's internal assertions on (dig_assert and the object
# layer's checks), and ISP_TEST_CUTOFFS lowers the algorithm cutoffs so that
# Karatsuba, Toom-3, the NTT, recursive and Newton division and the
# recursive base conversions all run on operands a short input can encode.
#
# A target is a file fuzz/fz_T.c that defines LLVMFuzzerTestOneInput under
# FZ_LIBFUZZER; every other fuzz/fz*.c is support code linked into each.

SRC_DIR=${ISP_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
if [ -d "${SRC:-/nonexistent}/intspect" ]; then SRC_DIR=$SRC/intspect; fi
: "${SANITIZER:=address}"
: "${CC:=clang}"
: "${CXX:=clang++}"
UBSAN_CHECKS=array-bounds,bool,builtin,enum,float-divide-by-zero,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound
if [ -z "${CFLAGS:-}" ]; then
  CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only"
  case "$SANITIZER" in
    address)   CFLAGS="$CFLAGS -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link" ;;
    undefined) CFLAGS="$CFLAGS -fsanitize=$UBSAN_CHECKS -fno-sanitize-recover=$UBSAN_CHECKS -fsanitize=fuzzer-no-link" ;;
    coverage)  CFLAGS="$CFLAGS -fprofile-instr-generate -fcoverage-mapping" ;;
    none)      CFLAGS="$CFLAGS -fsanitize=fuzzer-no-link" ;;
    *) echo "build.sh: SANITIZER must be address, undefined, coverage or none (got '$SANITIZER')" >&2
       exit 2 ;;
  esac
fi
: "${CXXFLAGS:=$CFLAGS}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:=$SRC_DIR/build-cflite/out-$SANITIZER}"
: "${WORK:=$SRC_DIR/build-cflite/work-$SANITIZER}"
mkdir -p "$OUT" "$WORK/obj"
OUT=$(cd "$OUT" && pwd)      # the seed zips are made from inside corpus/
WORK=$(cd "$WORK" && pwd)
ISP_FLAGS="-std=c11 -DISP_DEBUG=1 -DISP_TEST_CUTOFFS=1 -I$SRC_DIR/runtime -I$SRC_DIR/fuzz"
JOBS=$(nproc 2>/dev/null || echo 2)

GMP_A=""
for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
  if [ -f "$d/libgmp.a" ]; then GMP_A="$d/libgmp.a"; break; fi
done
GMP_LINK=${GMP_A:--lgmp}

# Compile every source once, in parallel: runtime objects rt_*.o, support
# objects fz*.o, and target objects (the same fz_T.o, with FZ_LIBFUZZER).
TARGETS=()
SUPPORT=()
for src in "$SRC_DIR"/fuzz/fz*.c; do
  if grep -q 'FZ_LIBFUZZER' "$src"; then
    t=$(basename "$src" .c); TARGETS+=("${t#fz_}")
  else
    SUPPORT+=("$src")
  fi
done
# AFL++'s compiler (afl-clang-fast) instruments functions marked
# no_sanitize("coverage") all the same: those the sources keep out of
# coverage go to it as a denylist, so that both engines see the same
# edges.  They are the functions after a line ISP_NO_COVERAGE,
# FZ_NO_COVERAGE or DIG_NO_COVERAGE, and those defined between '#pragma clang attribute
# push(...no_sanitize...)' and its pop.  Other compilers ignore the variable.
awk '/^#pragma clang attribute push.*no_sanitize/ { region = 1 }
     /^#pragma clang attribute pop/ { region = 0 }
     (prev ~ /^(ISP|FZ|DIG)_NO_COVERAGE$/ || (region && /^[A-Za-z_][^;=]*\(/)) &&
       match($0, /[A-Za-z_][A-Za-z0-9_]*\(/) { print "fun: " substr($0, RSTART, RLENGTH - 1) }
     { prev = $0 }' "$SRC_DIR"/runtime/*.c "$SRC_DIR"/fuzz/*.c | sort -u >"$WORK/afl-denylist.txt"
export AFL_LLVM_DENYLIST="$WORK/afl-denylist.txt"
export CC CFLAGS ISP_FLAGS WORK
{
  for c in "$SRC_DIR"/runtime/*.c; do echo "$c rt_$(basename "$c" .c).o"; done
  for c in "${SUPPORT[@]}"; do echo "$c $(basename "$c" .c).o"; done
  for t in "${TARGETS[@]}"; do echo "$SRC_DIR/fuzz/fz_$t.c fz_$t.o -DFZ_LIBFUZZER=1"; done
} | xargs -P "$JOBS" -L 1 sh -c '$CC $CFLAGS $ISP_FLAGS $2 -c "$0" -o "$WORK/obj/$1"'

RT_OBJS=("$WORK"/obj/rt_*.o)
SUPPORT_OBJS=()
for c in "${SUPPORT[@]}"; do SUPPORT_OBJS+=("$WORK/obj/$(basename "$c" .c).o"); done

for t in "${TARGETS[@]}"; do
  $CXX $CXXFLAGS $LIB_FUZZING_ENGINE "$WORK/obj/fz_$t.o" "${SUPPORT_OBJS[@]}" \
    "${RT_OBJS[@]}" $GMP_LINK -lm -o "$OUT/fuzz_$t"
  if [ -d "$SRC_DIR/corpus/$t" ]; then
    rm -f "$OUT/fuzz_${t}_seed_corpus.zip"
    # the seeds only: findings kept under regressions/ reproduce bugs
    # already fixed and are replayed by the tests, not fuzzed from
    (cd "$SRC_DIR/corpus/$t" && find . -maxdepth 1 -type f -print | sort |
       zip -q -j "$OUT/fuzz_${t}_seed_corpus.zip" -@)
  fi
  if [ -f "$SRC_DIR/fuzz/$t.options" ]; then
    sed "s/^dict *= *\(.*\)\.dict/dict = fuzz_\1.dict/" "$SRC_DIR/fuzz/$t.options" >"$OUT/fuzz_$t.options"
  fi
  if [ -f "$SRC_DIR/fuzz/$t.dict" ]; then cp "$SRC_DIR/fuzz/$t.dict" "$OUT/fuzz_$t.dict"; fi
done

# Lua properties (harness/luafuzz.c): intspect_luafuzz runs the property
# named by $INTSPECT_PROP ('intspect fuzz PROP.lua' starts it that way),
# and each fuzz/props/NAME.lua also becomes lua_NAME with the property
# compiled in, the self-contained binary OSS-Fuzz runs.  Lua itself is
# Debian's liblua5.4, linked statically.
LUA_CFLAGS=$(pkg-config --cflags lua5.4 2>/dev/null || echo "-I/usr/include/lua5.4")
LUA_LIB=""
for d in $(pkg-config --variable=libdir lua5.4 2>/dev/null) /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
  if [ -f "$d/liblua5.4.a" ]; then LUA_LIB="$d/liblua5.4.a"; break; fi
done
# a C array of a file's bytes, NUL-terminated, so nothing needs escaping
embed() {   # file symbol
  echo "static const char $2[] = {"
  od -An -v -tx1 "$1" | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
  echo "0x00};"
}
LUA_TARGETS=()
if [ -z "$LUA_LIB" ] || ! echo '#include <lua.h>' | $CC $LUA_CFLAGS -E - >/dev/null 2>&1; then
  echo "build.sh: Lua 5.4 (liblua5.4-dev) not found: no Lua property targets" >&2
else
  mkdir -p "$WORK/gen"
  embed "$SRC_DIR/harness/intspect.lua" li_lua_source >"$WORK/gen/intspect_lua.h"
  LUA_FLAGS="$ISP_FLAGS -I$SRC_DIR/harness -I$WORK/gen $LUA_CFLAGS"
  # (trace.c: the recording hook lintspect.c calls, for intspect explore)
  for c in lintspect trace luaprop luafuzz; do
    $CC $CFLAGS $LUA_FLAGS -c "$SRC_DIR/harness/$c.c" -o "$WORK/obj/lua_$c.o"
  done
  LUA_OBJS=("$WORK/obj/lua_lintspect.o" "$WORK/obj/lua_trace.o" "$WORK/obj/lua_luaprop.o")
  $CXX $CXXFLAGS $LIB_FUZZING_ENGINE "$WORK/obj/lua_luafuzz.o" "${LUA_OBJS[@]}" \
    "${RT_OBJS[@]}" "$LUA_LIB" -lm -o "$OUT/intspect_luafuzz"
  for prop in "$SRC_DIR"/fuzz/props/*.lua; do
    [ -f "$prop" ] || continue
    name=$(basename "$prop" .lua)
    mkdir -p "$WORK/gen/$name"
    embed "$prop" lf_embedded_source >"$WORK/gen/$name/lf_embedded.h"
    $CC $CFLAGS $LUA_FLAGS -I"$WORK/gen/$name" -DLF_EMBEDDED \
      "-DLF_EMBEDDED_NAME=\"fuzz/props/$name.lua\"" \
      -c "$SRC_DIR/harness/luafuzz.c" -o "$WORK/obj/lua_prop_$name.o"
    $CXX $CXXFLAGS $LIB_FUZZING_ENGINE "$WORK/obj/lua_prop_$name.o" "${LUA_OBJS[@]}" \
      "${RT_OBJS[@]}" "$LUA_LIB" -lm -o "$OUT/lua_$name"
    # Lua's collector frees an input's objects during later inputs, which
    # libFuzzer's per-input leak check takes for leaks (and is slow to
    # check); the runtime's leaks are found by the reset after each input
    max_len=$(sed -n 's/^ *max_len *= *\([0-9][0-9]*\).*/\1/p' "$prop" | head -n 1)
    printf '[libfuzzer]\ndetect_leaks = 0\nmax_len = %s\n' "${max_len:-4096}" >"$OUT/lua_$name.options"
    if [ -d "$SRC_DIR/corpus/lua-$name" ]; then
      rm -f "$OUT/lua_${name}_seed_corpus.zip"
      (cd "$SRC_DIR/corpus/lua-$name" && find . -maxdepth 1 -type f -print | sort |
         zip -q -j "$OUT/lua_${name}_seed_corpus.zip" -@)
    fi
    LUA_TARGETS+=("lua_$name")
  done
fi
echo "build.sh: ${#TARGETS[@]} targets (${TARGETS[*]}) and ${#LUA_TARGETS[@]} Lua properties in $OUT, SANITIZER=$SANITIZER"
