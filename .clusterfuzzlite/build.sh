#!/bin/bash -eu
# .clusterfuzzlite/build.sh -- build every fuzz target the OSS-Fuzz way.
#
# Compiles with $CC $CFLAGS, links with $CXX $CXXFLAGS $LIB_FUZZING_ENGINE,
# and leaves in $OUT, for each target T: the binary fuzz_T, its seed corpus
# fuzz_T_seed_corpus.zip (corpus/T/, files named by sha1), fuzz_T.options
# and fuzz_T.dict when the target has them.  GMP is linked statically: the
# image that runs the targets does not have it.
#
# Inside the builder image every variable is set; run locally (fuzz/cflite.sh
# does) the defaults below give the same build with the system clang.

SRC_DIR=${ISP_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
if [ -d "${SRC:-/nonexistent}/intspect" ]; then SRC_DIR=$SRC/intspect; fi
: "${CC:=clang}"
: "${CXX:=clang++}"
: "${CFLAGS:=-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,fuzzer-no-link}"
: "${CXXFLAGS:=$CFLAGS}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:=$SRC_DIR/build-cflite/out}"
: "${WORK:=$SRC_DIR/build-cflite/work}"
mkdir -p "$OUT" "$WORK/obj"

GMP_A=""
for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
  if [ -f "$d/libgmp.a" ]; then GMP_A="$d/libgmp.a"; break; fi
done
GMP_LINK=${GMP_A:--lgmp}

# The runtime, once.
RT_OBJS=()
for c in "$SRC_DIR"/runtime/*.c; do
  o="$WORK/obj/rt_$(basename "$c" .c).o"
  $CC $CFLAGS -std=c11 -I"$SRC_DIR/runtime" -c "$c" -o "$o"
  RT_OBJS+=("$o")
done
$CC $CFLAGS -std=c11 -I"$SRC_DIR/runtime" -c "$SRC_DIR/fuzz/fz_common.c" -o "$WORK/obj/fz_common.o"

for src in "$SRC_DIR"/fuzz/fz_*.c; do
  t=$(basename "$src" .c); t=${t#fz_}
  [ "$t" = common ] && continue
  $CC $CFLAGS -std=c11 -DFZ_LIBFUZZER=1 -I"$SRC_DIR/runtime" -c "$src" -o "$WORK/obj/fz_$t.o"
  $CXX $CXXFLAGS $LIB_FUZZING_ENGINE "$WORK/obj/fz_$t.o" "$WORK/obj/fz_common.o" \
    "${RT_OBJS[@]}" $GMP_LINK -lm -o "$OUT/fuzz_$t"
  if [ -d "$SRC_DIR/corpus/$t" ]; then
    rm -f "$OUT/fuzz_${t}_seed_corpus.zip"
    (cd "$SRC_DIR/corpus/$t" && zip -q -j "$OUT/fuzz_${t}_seed_corpus.zip" ./*)
  fi
  if [ -f "$SRC_DIR/fuzz/$t.options" ]; then
    sed "s/^dict *= *\(.*\)\.dict/dict = fuzz_\1.dict/" "$SRC_DIR/fuzz/$t.options" >"$OUT/fuzz_$t.options"
  fi
  if [ -f "$SRC_DIR/fuzz/$t.dict" ]; then cp "$SRC_DIR/fuzz/$t.dict" "$OUT/fuzz_$t.dict"; fi
done
