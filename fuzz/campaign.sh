#!/usr/bin/env bash
# fuzz/campaign.sh -- a fuzzing campaign on the C targets; `intspect fuzz`
# runs this script from the source tree it was built from.
#
#   fuzz/campaign.sh TARGET|all [--engine libfuzzer|afl] [--jobs N] [--time S]
#                    [--sanitizer address|undefined|none] [options]
#
# 1. Builds the targets when a source is newer than the last build, through
#    .clusterfuzzlite/build.sh (libFuzzer: build-cflite/out-SANITIZER/; AFL++:
#    afl-clang-fast with AFL++'s libFuzzer driver, build-cflite/afl-SANITIZER/).
# 2. Fuzzes on every core: libFuzzer's fork mode (-fork=N), or one AFL++ main
#    instance (-M) and N-1 secondaries (-S) with varied power schedules and
#    mutators.  Timeouts and out-of-memory inputs do not stop the run.  A
#    progress line is printed every few seconds.
# 3. Every crash is reproduced, deduplicated by its stack (the top frames of
#    the sanitizer report, or the MISMATCH line of the target), minimized
#    (-minimize_crash=1, or afl-tmin) and saved as
#    corpus/<target>/regressions/<what>-<where>-<sha1-8>, where replay keeps
#    running it, and printed with the commands that reproduce it.
# 4. Merges the inputs that add coverage into corpus/<target>/ (libFuzzer
#    -merge=1, or afl-cmin), named by their sha1, and prints a summary.
#
# `all` runs every target in turn and splits --time between them.
# Exit status: 0 no finding, 1 a finding, 2 usage error or nothing could run.
#
# Environment: ISP_FUZZ_BUILD (build and scratch directory, default
# build-cflite), ISP_FUZZ_MINTIME (seconds to minimize one finding, default
# 60), ISP_FUZZ_MAX_TRIAGE (crash files looked at per target, default 100),
# ISP_FUZZ_KEEP=1 (keep the scratch directory even when nothing was found).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROG=${ISP_FUZZ_PROG:-fuzz/campaign.sh}
INTSPECT=${ISP_INTSPECT:-}
if [ -z "$INTSPECT" ] && [ -x "$ROOT/build/intspect" ]; then INTSPECT=$ROOT/build/intspect; fi

usage() {
  cat <<EOF
usage: $PROG TARGET|all [--engine libfuzzer|afl] [--jobs N] [--time S] [options]

Fuzzes a C fuzz target (or every one in turn with 'all', sharing --time),
keeps every finding under corpus/TARGET/regressions/ and merges the inputs
that add coverage into corpus/TARGET/.

  --engine E       libfuzzer (default; fork mode) or afl (AFL++)
  --jobs N         parallel fuzzing processes (default: the number of CPUs)
  --time S         seconds in all (default 600); 90s, 15m and 2h work too
  --sanitizer S    address (default; ASan + LeakSanitizer), undefined (UBSan)
                   or none
  --timeout S      an input running longer is a slow input (default 25)
  --rss-limit MB   memory limit of the engine (default 2560)
  --no-merge       leave corpus/TARGET/ as it is
  --findings DIR   save findings in DIR/TARGET/ instead of corpus/TARGET/regressions/
  --corpus DIR     start from and merge into DIR/TARGET/ instead of corpus/TARGET/
  --prebuilt DIR   fuzz the fuzz_TARGET binaries in DIR; no build
  --interval S     seconds between progress lines (default 5)

targets: ${TARGETS[*]}

Timeouts and out-of-memory inputs are reported as slow inputs, not findings.
exit status: 0 no finding, 1 a finding, 2 usage error or nothing could run
EOF
}

HINT=${ISP_FUZZ_HELP:-$PROG --help}
die_usage() { echo "$PROG: $*" >&2; echo "run '$HINT' for usage" >&2; exit 2; }
die() { echo "$PROG: $*" >&2; exit 2; }

# A path as the user reads it: relative to the source tree when we are in it.
rel() { case "$1" in "$PWD"/*) echo "${1#"$PWD"/}" ;; *) echo "$1" ;; esac; }

# The targets: fuzz/fz_T.c files that define the libFuzzer entry point, the
# same rule .clusterfuzzlite/build.sh builds by.
TARGETS=()
for src in "$ROOT"/fuzz/fz_*.c; do
  [ -f "$src" ] || continue
  if grep -q 'LLVMFuzzerTestOneInput' "$src" && grep -q 'FZ_LIBFUZZER' "$src"; then
    t=$(basename "$src" .c); TARGETS+=("${t#fz_}")
  fi
done

seconds() {   # 90, 90s, 15m, 2h -> seconds; empty on a bad value
  case "$1" in
    *[!0-9smh]*|'') echo "" ;;
    *h) [[ ${1%h} =~ ^[0-9]+$ ]] && echo $(( ${1%h} * 3600 )) ;;
    *m) [[ ${1%m} =~ ^[0-9]+$ ]] && echo $(( ${1%m} * 60 )) ;;
    *s) [[ ${1%s} =~ ^[0-9]+$ ]] && echo "${1%s}" ;;
    *)  [[ $1 =~ ^[0-9]+$ ]] && echo "$1" ;;
  esac
}

# ------------------------------------------------------------------ options
ENGINE=libfuzzer
JOBS=$(nproc 2>/dev/null || echo 1)
TOTAL=600
SANITIZER=${ISP_FUZZ_SANITIZER:-address}
TIMEOUT=25
RSS=2560
MERGE=1
FINDINGS=""
CORPUS=$ROOT/corpus
PREBUILT=""
INTERVAL=5
WHAT=""
need() { [ $# -ge 2 ] && [ -n "$2" ] || die_usage "option $1 needs a value"; }
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --engine) need "$@"; ENGINE=$2; shift 2 ;;
    --engine=*) ENGINE=${1#*=}; shift ;;
    --jobs|-j) need "$@"; JOBS=$2; shift 2 ;;
    --jobs=*) JOBS=${1#*=}; shift ;;
    --time) need "$@"; TOTAL=$2; shift 2 ;;
    --time=*) TOTAL=${1#*=}; shift ;;
    --sanitizer) need "$@"; SANITIZER=$2; shift 2 ;;
    --sanitizer=*) SANITIZER=${1#*=}; shift ;;
    --timeout) need "$@"; TIMEOUT=$2; shift 2 ;;
    --timeout=*) TIMEOUT=${1#*=}; shift ;;
    --rss-limit) need "$@"; RSS=$2; shift 2 ;;
    --rss-limit=*) RSS=${1#*=}; shift ;;
    --no-merge) MERGE=0; shift ;;
    --findings) need "$@"; FINDINGS=$2; shift 2 ;;
    --findings=*) FINDINGS=${1#*=}; shift ;;
    --corpus) need "$@"; CORPUS=$2; shift 2 ;;
    --corpus=*) CORPUS=${1#*=}; shift ;;
    --prebuilt) need "$@"; PREBUILT=$2; shift 2 ;;
    --prebuilt=*) PREBUILT=${1#*=}; shift ;;
    --interval) need "$@"; INTERVAL=$2; shift 2 ;;
    --interval=*) INTERVAL=${1#*=}; shift ;;
    -*) die_usage "unknown option '$1'" ;;
    *) [ -z "$WHAT" ] || die_usage "one TARGET or 'all', not both '$WHAT' and '$1'"
       WHAT=$1; shift ;;
  esac
done

[ ${#TARGETS[@]} -gt 0 ] || die "no fuzz targets found in $ROOT/fuzz (fz_*.c defining LLVMFuzzerTestOneInput)"
[ -n "$WHAT" ] || die_usage "missing TARGET (one of: ${TARGETS[*]}, or all)"
case "$WHAT" in
  *.lua) die_usage "'$WHAT' is a Lua property: run it with 'intspect fuzz $WHAT'" ;;
esac
if [ "$WHAT" = all ]; then
  RUN=("${TARGETS[@]}")
else
  RUN=()
  for t in "${TARGETS[@]}"; do [ "$t" = "$WHAT" ] && RUN=("$t"); done
  [ ${#RUN[@]} -eq 1 ] || die_usage "unknown target '$WHAT' (targets: ${TARGETS[*]}, or all)"
fi
case "$ENGINE" in
  libfuzzer|afl) ;;
  aflplusplus|afl++) ENGINE=afl ;;
  *) die_usage "--engine must be libfuzzer or afl (got '$ENGINE')" ;;
esac
case "$SANITIZER" in
  address|undefined|none) ;;
  coverage) die_usage "--sanitizer coverage builds for measuring, not fuzzing: use fuzz/cflite.sh coverage" ;;
  *) die_usage "--sanitizer must be address, undefined or none (got '$SANITIZER')" ;;
esac
[[ $JOBS =~ ^[0-9]+$ ]] && [ "$JOBS" -ge 1 ] || die_usage "--jobs must be a positive integer (got '$JOBS')"
secs=$(seconds "$TOTAL")
[ -n "$secs" ] && [ "$secs" -ge 1 ] || die_usage "--time must be a number of seconds, or like 90s, 15m, 2h (got '$TOTAL')"
TOTAL=$secs
[[ $TIMEOUT =~ ^[0-9]+$ ]] && [ "$TIMEOUT" -ge 1 ] || die_usage "--timeout must be a positive number of seconds (got '$TIMEOUT')"
[[ $RSS =~ ^[0-9]+$ ]] && [ "$RSS" -ge 64 ] || die_usage "--rss-limit must be at least 64 (MB; got '$RSS')"
[[ $INTERVAL =~ ^[0-9]+$ ]] && [ "$INTERVAL" -ge 1 ] || die_usage "--interval must be a positive number of seconds (got '$INTERVAL')"
if [ -n "$PREBUILT" ]; then
  [ -d "$PREBUILT" ] || die_usage "--prebuilt $PREBUILT: no such directory"
  PREBUILT=$(cd "$PREBUILT" && pwd)
fi
mkdir -p "$CORPUS" && CORPUS=$(cd "$CORPUS" && pwd) || die "cannot create $CORPUS"
if [ -n "$FINDINGS" ]; then mkdir -p "$FINDINGS" && FINDINGS=$(cd "$FINDINGS" && pwd) || die "cannot create $FINDINGS"; fi

# ------------------------------------------------------------------ tools
have() { command -v "$1" >/dev/null 2>&1; }
check_tools() {
  if [ -z "$PREBUILT" ]; then
    have zip || die "zip is missing (.clusterfuzzlite/build.sh packs the seed corpus with it): apt-get install zip"
    [ -f /usr/include/gmp.h ] || [ -f /usr/include/x86_64-linux-gnu/gmp.h ] || [ -f /usr/local/include/gmp.h ] ||
      die "GMP is missing (the targets check every answer against it): apt-get install libgmp-dev"
  fi
  if [ "$ENGINE" = libfuzzer ]; then
    [ -n "$PREBUILT" ] && return 0
    have clang && have clang++ || die "clang is missing (libFuzzer comes with it): apt-get install clang libclang-rt-dev"
    local probe
    probe=$(mktemp -d "${TMPDIR:-/tmp}/isp-probe.XXXXXX")
    printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
    if ! clang -fsanitize=fuzzer,address "$probe/p.c" -o "$probe/p" >"$probe/log" 2>&1; then
      rm -rf "$probe"
      die "clang cannot link libFuzzer with ASan (its runtime libraries are missing): apt-get install libclang-rt-dev"
    fi
    rm -rf "$probe"
  else
    have afl-fuzz || die "AFL++ is missing (afl-fuzz not found): apt-get install afl++"
    have afl-tmin && have afl-cmin || die "AFL++'s afl-tmin/afl-cmin are missing: apt-get install afl++"
    [ -n "$PREBUILT" ] || have afl-clang-fast || die "AFL++'s compiler afl-clang-fast is missing: apt-get install afl++ (and clang)"
  fi
}
check_tools

# ------------------------------------------------------------------ build
BASE=${ISP_FUZZ_BUILD:-$ROOT/build-cflite}
mkdir -p "$BASE" && BASE=$(cd "$BASE" && pwd) || die "cannot create $BASE"
if [ -n "$PREBUILT" ]; then
  BIN_DIR=$PREBUILT
elif [ "$ENGINE" = afl ]; then
  BIN_DIR=$BASE/afl-$SANITIZER
else
  BIN_DIR=$BASE/out-$SANITIZER
fi

build() {
  local stamp=$BIN_DIR/.campaign-stamp log fresh=1 t
  for t in "${RUN[@]}"; do [ -x "$BIN_DIR/fuzz_$t" ] || fresh=0; done
  if [ $fresh = 1 ] && [ -f "$stamp" ]; then
    if [ -z "$(find "$ROOT/runtime" "$ROOT/fuzz" "$ROOT/.clusterfuzzlite" -newer "$stamp" \
                 \( -name '*.[ch]' -o -name '*.options' -o -name '*.dict' -o -name build.sh \) \
                 -print -quit 2>/dev/null)" ]; then
      return 0
    fi
  fi
  mkdir -p "$BIN_DIR" || die "cannot create $BIN_DIR"
  log=$BIN_DIR/build.log
  echo "== building the targets ($ENGINE, SANITIZER=$SANITIZER) into $(rel "$BIN_DIR")"
  local -a env=(env -u SRC -u CFLAGS -u CXXFLAGS SANITIZER="$SANITIZER" OUT="$BIN_DIR"
                LIB_FUZZING_ENGINE=-fsanitize=fuzzer)
  if [ "$ENGINE" = afl ]; then
    env+=(CC=afl-clang-fast CXX=afl-clang-fast++ WORK="$BASE/afl-work-$SANITIZER" AFL_QUIET=1)
  else
    env+=(CC=clang CXX=clang++ WORK="$BASE/work-$SANITIZER")
  fi
  if ! "${env[@]}" bash "$ROOT/.clusterfuzzlite/build.sh" >"$log" 2>&1; then
    tail -n 25 "$log" >&2
    die "building the targets failed (full log: $(rel "$log"))"
  fi
  : >"$stamp"
}
[ -n "$PREBUILT" ] || build
for t in "${RUN[@]}"; do
  [ -x "$BIN_DIR/fuzz_$t" ] || die "$(rel "$BIN_DIR")/fuzz_$t is missing"
done

# ------------------------------------------------------------------ helpers
# Sanitizer options for reproducing: symbolized stacks, every report fatal.
# (An OSS-Fuzz UBSan build also checks unsigned overflow, which the digit
# code relies on; as ClusterFuzz does, that report is silenced.)
REPRO_ENV=(env ASAN_OPTIONS=symbolize=1:detect_leaks=1:allocator_may_return_null=1
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:symbolize=1:silence_unsigned_overflow=1
           LSAN_OPTIONS=symbolize=1)
: "${UBSAN_OPTIONS:=print_stacktrace=1:silence_unsigned_overflow=1}"
export UBSAN_OPTIONS

# opt FILE KEY: a value from fuzz_T.options
opt() { [ -f "$1" ] && sed -n "s/^$2 *= *//p" "$1" | head -n 1; }

# Run one input; its report on stdout; status 0 when it does not fail.
reproduce() {   # bin file
  # (braces: the shell's own "Aborted" notice goes into the report too)
  {
    if [ "$ENGINE" = afl ]; then
      "${REPRO_ENV[@]}" timeout -k 5 $((TIMEOUT * 3)) "$1" "$2"
    else
      "${REPRO_ENV[@]}" timeout -k 5 $((TIMEOUT * 3)) "$1" -timeout="$TIMEOUT" \
        -rss_limit_mb="$RSS" "$2"
    fi
  } 2>&1
}

# A report -> "kind<TAB>where<TAB>signature<TAB>frames".  The signature is
# the kind and the top frame inside runtime/ or fuzz/ with its line (or, for
# a mismatch, the target's MISMATCH line with its numbers taken out): a
# runtime function is called from many paths, and the same bad line reached
# from two of them is one bug.  'frames' lists the top three for the reader.
classify() {
  awk '
    function slug(s) { gsub(/[^A-Za-z0-9_.]+/, "-", s); gsub(/^-+|-+$/, "", s); return tolower(s) }
    /MISMATCH: / && mm == "" {
      mm = $0; sub(/.*MISMATCH: /, "", mm)
      m1 = mm; sub(/^[^A-Za-z_]*/, "", m1); match(m1, /^[A-Za-z_][A-Za-z0-9_-]*/)
      mwhere = (RLENGTH > 0) ? substr(m1, 1, RLENGTH) : "target"
      gsub(/0x[0-9a-fA-F]+|-?[0-9]+(\.[0-9]+)?/, "N", mm)
    }
    /Assertion `.*failed/ && as == "" {
      as = $0; n = split($0, p, ": ")
      for (i = 1; i < n; i++) if (p[i+1] ~ /^Assertion/) { awhere = p[i]; break }
    }
    /ERROR: AddressSanitizer: / && san == "" {
      s = $0; sub(/.*AddressSanitizer: /, "", s); split(s, aw, " ")
      san = (aw[1] == "attempting") ? aw[2] : aw[1]; stack = 1
    }
    /ERROR: LeakSanitizer: / && san == "" { san = "leak"; stack = 1 }
    /runtime error: / && san == "" {
      s = $0
      if (s ~ /unsigned integer overflow/) san = "unsigned-integer-overflow"
      else if (s ~ /signed integer overflow|negation of/) san = "signed-integer-overflow"
      else if (s ~ /shift exponent|left shift of|shift amount/) san = "shift"
      else if (s ~ /division by zero/) san = "divide-by-zero"
      else if (s ~ /out of bounds/) san = "array-bounds"
      else if (s ~ /null pointer/) san = "null"
      else if (s ~ /misaligned/) san = "alignment"
      else if (s ~ /insufficient space for an object/) san = "object-size"
      else if (s ~ /not a valid value for type .bool/) san = "bool"
      else if (s ~ /not a valid value for type/) san = "enum"
      else if (s ~ /pointer overflow|applying .*offset/) san = "pointer-overflow"
      else if (s ~ /unreachable/) san = "unreachable"
      else if (s ~ /variable length array/) san = "vla-bound"
      else if (s ~ /outside the range of representable/) san = "float-cast-overflow"
      else if (s ~ /passing zero to/) san = "builtin"
      else san = "undefined-behavior"
      if (match(s, /[A-Za-z0-9_.\/-]+\.[ch]:[0-9]+/)) uloc = substr(s, RSTART, RLENGTH)
      stack = 1
    }
    /ERROR: libFuzzer: deadly signal/ && lf == "" { lf = "deadly-signal"; stack = 1 }
    /ERROR: libFuzzer: out-of-memory/ && lf == "" { lf = "out-of-memory" }
    /ERROR: libFuzzer: timeout/ && lf == "" { lf = "timeout" }
    /ERROR: libFuzzer: fuzz target exited/ && lf == "" { lf = "exit" }
    /^ *#[0-9]+ 0x[0-9a-f]+ in / {
      if ($0 ~ /^ *#0 / && nstacks++ > 0 && nf > 0) done = 1
      if (done || nf >= 3) next
      fn = $4; loc = $5
      if (loc !~ /\/(runtime|fuzz)\//) next
      if (fn ~ /^(fz_fail|__assert|abort|raise|LLVMFuzzerTestOneInput)/) next
      sub(/.*\/(runtime|fuzz)\//, "", loc); sub(/:[0-9]+$/, "", loc)
      f[++nf] = fn; fl[nf] = loc
    }
    END {
      if (mm != "")        { kind = "mismatch"; where = mwhere; sig = "mismatch|" mm }
      else if (as != "")   { kind = "assertion"; where = (awhere != "") ? awhere : f[1]
                             s = as; sub(/^.*:[0-9]+: /, "", s); sig = "assertion|" s }
      else if (san != "")  { kind = slug(san); where = f[1] }
      else if (lf != "")   { kind = lf; where = f[1] }
      else                 { kind = "crash"; where = f[1] }
      if (where == "" && uloc != "") { where = uloc; sub(/:.*/, "", where); sub(/.*\//, "", where) }
      if (where == "") where = "unknown"
      # the top frame of a leak may be an allocation wrapper: then its caller
      # tells the leaks apart
      wrap = (kind == "leak" && nf > 1 && f[1] ~ /alloc|new|create|dup|make/)
      if (sig == "") sig = kind "|" ((nf > 0) ? f[1] " " fl[1] : uloc) (wrap ? "|" f[2] " " fl[2] : "")
      if (wrap && where == f[1]) where = f[2]
      frames = ""
      for (i = 1; i <= nf; i++) frames = frames (i > 1 ? " < " : "") f[i] " (" fl[i] ")"
      printf "%s\t%s\t%s\t%s\n", kind, slug(where), sig, frames
    }'
}

# ------------------------------------------------------------------ one target
STOP=0
ENGINE_PIDS=()
on_int() {
  if [ "$STOP" = 1 ]; then
    for p in "${ENGINE_PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null; done
    echo "$PROG: interrupted" >&2; exit 130
  fi
  STOP=1
  echo "$PROG: stopping the engine; findings and corpus are still collected (interrupt again to quit)" >&2
  for p in "${ENGINE_PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
}
trap on_int INT TERM

engine_alive() { local p; for p in "${ENGINE_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
engine_kill() { local p; for p in "${ENGINE_PIDS[@]}"; do kill -"$1" -- "-$p" 2>/dev/null; done; }

# One progress line from the engine's own output.
progress_libfuzzer() {   # log artifacts-dir elapsed
  local line
  line=$(grep -a -E '^#[0-9]+' "$1" 2>/dev/null | tail -n 1)
  awk -v line="$line" -v found="$(find "$2" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \) | wc -l)" \
      -v slow="$(find "$2" -maxdepth 1 -type f \( -name 'timeout-*' -o -name 'oom-*' \) | wc -l)" \
      -v secs="${3:-0}" 'BEGIN {
    n = split(line, w, /[ \t]+/); execs = "-"; eps = "-"; cov = "-"; corp = "-"; otc = ""
    if (w[1] ~ /^#[0-9]+/) { execs = w[1]; gsub(/[^0-9]/, "", execs) }
    for (i = 1; i < n; i++) {
      if (w[i] == "cov:") cov = w[i+1]
      else if (w[i] == "corp:") { corp = w[i+1]; sub(/\/.*/, "", corp) }
      else if (w[i] == "exec/s" || w[i] == "exec/s:") eps = w[i+1]
      else if (w[i] == "oom/timeout/crash:") otc = w[i+1]
    }
    if (eps + 0 == 0 && execs != "-" && secs + 0 > 0) eps = int(execs / secs)
    if (otc != "") { split(otc, o, "/"); if (o[3] + 0 > found) found = o[3] + 0; if (o[1] + o[2] > slow) slow = o[1] + o[2] }
    printf "execs %s  exec/s %s  cov %s edges  corpus %s  findings %d  slow %d", execs, eps, cov, corp, found, slow
  }'
}

progress_afl() {   # sync-dir
  local d execs=0 eps=0 edges=0 known=0 corpus crashes hangs v rt
  for d in "$1"/*/; do
    [ -f "$d/fuzzer_stats" ] || continue
    known=1
    v=$(sed -n 's/^execs_done *: *//p' "$d/fuzzer_stats"); execs=$((execs + ${v%%.*}))
    # execs_per_sec is execs over a run time AFL++ rounds to whole
    # seconds, and absurd in its first write (run_time 0): the rate is
    # taken here from the two counts, once a second has passed
    v=$(sed -n 's/^run_time *: *//p' "$d/fuzzer_stats")
    if [[ ${v%%.*} =~ ^[0-9]+$ ]] && [ "${v%%.*}" -gt 0 ]; then
      rt=${v%%.*}
      v=$(sed -n 's/^execs_done *: *//p' "$d/fuzzer_stats")
      eps=$((eps + ${v%%.*} / rt))
    fi
    v=$(sed -n 's/^edges_found *: *//p' "$d/fuzzer_stats"); [ "${v:-0}" -gt "$edges" ] 2>/dev/null && edges=$v
  done
  corpus=$(find "$1"/main/queue -maxdepth 1 -name 'id:*' 2>/dev/null | wc -l)
  crashes=$(find "$1"/*/crashes -maxdepth 1 -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "$1"/*/hangs -maxdepth 1 -name 'id:*' 2>/dev/null | wc -l)
  if [ $known = 1 ]; then
    printf 'execs %s  exec/s %s  edges %s (AFL++ stats, updated about once a minute)  corpus %s  findings %s  slow %s' \
      "$execs" "$eps" "$edges" "$corpus" "$crashes" "$hangs"
  else
    printf 'corpus %s  findings %s  slow %s' "$corpus" "$crashes" "$hangs"
  fi
}

# Run the engine for $2 seconds; leaves candidate crash files listed in $SCR/candidates.
run_engine() {   # target secs
  local t=$1 secs=$2 bin=$BIN_DIR/fuzz_$1 opts=$BIN_DIR/fuzz_$1.options
  local maxlen dict start now deadline last=0 i
  maxlen=$(opt "$opts" max_len)
  dict=$(opt "$opts" dict)
  [ -n "$dict" ] && dict=$BIN_DIR/$dict && [ -f "$dict" ] || dict=""
  ENGINE_PIDS=()
  start=$(date +%s)
  deadline=$((start + secs + 30 + TIMEOUT))
  if [ "$ENGINE" = libfuzzer ]; then
    # -fork: jobs in child processes, so that a slow or memory-hungry input
    # ends only its job; -ignore_crashes: keep fuzzing past a crash and
    # collect them all (each is triaged below).
    ( cd "$SCR" && exec setsid "$bin" -fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$secs" -timeout="$TIMEOUT" -rss_limit_mb="$RSS" \
        -artifact_prefix="$SCR/artifacts/" ${maxlen:+-max_len=$maxlen} ${dict:+-dict=$dict} \
        "$SCR/corpus" >"$SCR/engine.log" 2>&1 ) &
    ENGINE_PIDS+=($!)
  else
    local -a vary=("" "-p explore" "-L 0" "-p coe" "-p exploit" "-p rare" "-Z" "-p lin" "-p quad")
    local role
    for ((i = 0; i < JOBS; i++)); do
      if [ $i = 0 ]; then role=(-M main); else role=(-S "s$i"); fi
      # shellcheck disable=SC2206
      local extra=(${vary[$(( i % ${#vary[@]} ))]})
      # The 4.04c driver asserts when given @@: the input comes on stdin.
      ( cd "$SCR" && AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
          AFL_NO_AFFINITY=1 AFL_AUTORESUME=1 \
          ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1 \
          UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0 \
          exec setsid afl-fuzz "${role[@]}" "${extra[@]}" -i "$SCR/corpus" -o "$SCR/afl" -V "$secs" \
            -m none -t "$((TIMEOUT * 1000))+" ${dict:+-x "$dict"} -- "$bin" \
            >"$SCR/afl-$i.log" 2>&1 ) &
      ENGINE_PIDS+=($!)
    done
  fi
  while engine_alive; do
    sleep 1
    now=$(date +%s)
    if [ $((now - last)) -ge "$INTERVAL" ]; then
      last=$now
      if [ "$ENGINE" = libfuzzer ]; then
        printf '[%s %ds/%ds] %s\n' "$t" $((now - start)) "$secs" "$(progress_libfuzzer "$SCR/engine.log" "$SCR/artifacts" $((now - start)))"
      else
        printf '[%s %ds/%ds] %s\n' "$t" $((now - start)) "$secs" "$(progress_afl "$SCR/afl")"
      fi
    fi
    if [ "$now" -ge "$deadline" ]; then
      echo "$PROG: the engine ran past its time; stopping it"
      engine_kill TERM; sleep 3; engine_kill KILL
    fi
  done
  wait 2>/dev/null
  ENGINE_PIDS=()
  if [ "$ENGINE" = libfuzzer ]; then
    FINAL=$(progress_libfuzzer "$SCR/engine.log" "$SCR/artifacts" $(($(date +%s) - start)))
    if ! grep -a -q -E '^#[0-9]+|INFO: fuzzed for|INFO: exiting' "$SCR/engine.log"; then
      tail -n 20 "$SCR/engine.log" >&2
      echo "$PROG: fuzz_$t did not start (log: $(rel "$SCR/engine.log"))" >&2
      ENGINE_FAILED=1
    fi
    find "$SCR/artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \) | sort >"$SCR/candidates"
    find "$SCR/artifacts" -maxdepth 1 -type f \( -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) | sort >"$SCR/slow"
  else
    FINAL=$(progress_afl "$SCR/afl")
    if [ ! -d "$SCR/afl/main/queue" ]; then
      sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$SCR/afl-0.log" | grep -a -E '\[-\]|PROGRAM ABORT|Location' | head -n 10 >&2
      echo "$PROG: afl-fuzz did not start (log: $(rel "$SCR/afl-0.log"))" >&2
      ENGINE_FAILED=1
    fi
    find "$SCR"/afl/*/crashes -maxdepth 1 -type f -name 'id:*' 2>/dev/null | sort >"$SCR/candidates"
    find "$SCR"/afl/*/hangs -maxdepth 1 -type f -name 'id:*' 2>/dev/null | sort >"$SCR/slow"
  fi
}

# Shrink a crashing input; prints the path of the smallest one that still
# fails with the same signature.
minimize() {   # bin file sig
  local bin=$1 f=$2 sig=$3 out=$SCR/min/$(basename "$2") got
  mkdir -p "$SCR/min"
  if [ "$ENGINE" = afl ]; then
    AFL_NO_UI=1 ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1 \
      UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0 AFL_ALLOW_TMP=1 \
      timeout -k 5 "$MINTIME" afl-tmin -i "$f" -o "$out" -m none -t "$((TIMEOUT * 1000))" -- "$bin" - \
      >"$SCR/min/$(basename "$f").log" 2>&1
  else
    ( cd "$SCR/min" && timeout -k 5 $((MINTIME + 30)) "$bin" -minimize_crash=1 -max_total_time="$MINTIME" \
        -runs=100000 -timeout="$TIMEOUT" -rss_limit_mb="$RSS" -exact_artifact_path="$out" "$f" \
        >"$SCR/min/$(basename "$f").log" 2>&1 )
  fi
  if [ -s "$out" ] && [ "$(stat -c %s "$out")" -le "$(stat -c %s "$f")" ] && ! cmp -s "$out" "$f"; then
    got=$(reproduce "$bin" "$out" | classify | cut -f3)
    if [ "$got" = "$sig" ]; then echo "$out"; return; fi
  fi
  echo "$f"
}

# Triage every candidate: reproduce, deduplicate, minimize, save, print.
triage() {   # target
  local t=$1 bin=$BIN_DIR/fuzz_$1 f report kind where sig dest name min sha known e
  local -A seen=()
  local dir
  if [ -n "$FINDINGS" ]; then dir=$FINDINGS/$t; else dir=$ROOT/corpus/$t/regressions; fi
  local max=${ISP_FUZZ_MAX_TRIAGE:-100} total
  mkdir -p "$SCR/reports"
  # smallest first: quicker to run and to minimize; a frequent bug can leave
  # thousands of files, so at most $max are looked at
  total=$(wc -l <"$SCR/candidates")
  if [ "$total" -gt 0 ]; then
    xargs -d '\n' stat -c '%s %n' <"$SCR/candidates" | sort -n | cut -d' ' -f2- | head -n "$max" \
      >"$SCR/candidates.sorted"
    mv "$SCR/candidates.sorted" "$SCR/candidates"
    [ "$total" -gt "$max" ] && UNTRIAGED=$((total - max))
  fi
  while IFS= read -r f; do
    [ -f "$f" ] || continue
    report=$SCR/reports/$(basename "$f").txt
    if reproduce "$bin" "$f" >"$report"; then
      echo "NOT REPRODUCED: $(rel "$f") failed while fuzzing but passes alone (engine log: $(rel "$SCR"))"
      UNREPRODUCED=$((UNREPRODUCED + 1))
      continue
    fi
    IFS=$'\t' read -r kind where sig frames < <(classify <"$report")
    if [ -n "${seen[$sig]:-}" ]; then DUPS=$((DUPS + 1)); continue; fi
    seen[$sig]=1
    # Already kept?  A regression with the same kind and place that fails
    # the same way is the same bug.
    known=""
    for e in "$dir/$kind-$where-"*; do
      [ -f "$e" ] || continue
      if [ "$(reproduce "$bin" "$e" | classify | cut -f3)" = "$sig" ]; then known=$e; break; fi
    done
    NFIND=$((NFIND + 1))
    if [ -n "$known" ]; then
      echo "FINDING (already kept, still failing): $kind in $where ($t, $ENGINE, SANITIZER=$SANITIZER)"
      echo "  kept as:   $(rel "$known")"
      dest=$known
      KNOWNFIND+=("$(rel "$known")")
    else
      min=$(minimize "$bin" "$f" "$sig")
      sha=$(sha1sum "$min" | cut -c1-8)
      name=$kind-$where-$sha
      mkdir -p "$dir"
      dest=$dir/$name
      cp "$min" "$dest"
      report=$SCR/reports/$name.txt
      reproduce "$bin" "$dest" >"$report"
      echo "FINDING: $kind in $where ($t, $ENGINE, SANITIZER=$SANITIZER)"
      echo "  saved:     $(rel "$dest")  ($(stat -c %s "$f") bytes, minimized to $(stat -c %s "$dest"))"
      NEWFIND+=("$(rel "$dest")")
    fi
    grep -a -m 3 -E 'MISMATCH|ERROR: |runtime error|Assertion' "$report" | cut -c1-200 | sed 's/^/  | /'
    [ -n "$frames" ] && echo "  stack:     $frames"
    echo "  reproduce: $(rel "$bin") $(rel "$dest")"
    if [ -n "$INTSPECT" ]; then
      echo "             $(rel "$INTSPECT") replay $(rel "$dest")"
    fi
    echo "  report:    $(rel "$report")"
  done <"$SCR/candidates"
}

# Add the inputs that grew coverage to corpus/<t>/, named by their sha1.
merge() {   # target
  local t=$1 bin=$BIN_DIR/fuzz_$1 dest=$CORPUS/$1 f sum before added=0 src
  mkdir -p "$dest"
  before=$(find "$dest" -maxdepth 1 -type f | wc -l)
  rm -rf "$SCR/merged" "$SCR/base"
  mkdir -p "$SCR/merged" "$SCR/base"
  find "$dest" -maxdepth 1 -type f -exec cp {} "$SCR/base/" \;
  if [ "$ENGINE" = libfuzzer ]; then
    # Into a copy of the corpus: libFuzzer adds only what covers more than it.
    ( cd "$SCR" && "$bin" -merge=1 -timeout="$TIMEOUT" -rss_limit_mb="$RSS" \
        -merge_control_file="$SCR/merge.ctl" "$SCR/base" "$SCR/corpus" >"$SCR/merge.log" 2>&1 )
    src=$SCR/base
  else
    mkdir -p "$SCR/all"
    find "$SCR/base" "$SCR"/afl/*/queue -maxdepth 1 -type f -exec cp {} "$SCR/all/" \; 2>/dev/null
    AFL_NO_UI=1 AFL_ALLOW_TMP=1 ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1 \
      UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0 \
      afl-cmin -i "$SCR/all" -o "$SCR/merged" -m none -t "$((TIMEOUT * 1000))" -- "$bin" - \
      >"$SCR/merge.log" 2>&1
    src=$SCR/merged
  fi
  for f in "$src"/*; do
    [ -f "$f" ] || continue
    sum=$(sha1sum "$f" | cut -d' ' -f1)
    [ -e "$dest/$sum" ] && continue
    cmp -s "$f" "$dest/$(basename "$f")" 2>/dev/null && continue
    cp "$f" "$dest/$sum" && added=$((added + 1))
  done
  MERGED="$(rel "$dest")/: $before -> $((before + added)) files (+$added)"
}

campaign() {   # target secs
  local t=$1 secs=$2 f
  NFIND=0; DUPS=0; UNREPRODUCED=0; UNTRIAGED=0; NEWFIND=(); KNOWNFIND=(); MERGED="not merged (--no-merge)"; ENGINE_FAILED=0; FINAL=""
  mkdir -p "$BASE/campaign"
  SCR=$(mktemp -d "$BASE/campaign/$t-$(date +%Y%m%d-%H%M%S)-XXXX") || die "cannot create a scratch directory in $BASE/campaign"
  mkdir -p "$SCR/corpus" "$SCR/artifacts"
  # The seeds only: regressions/ holds bugs already fixed, replayed by the tests.
  [ -d "$CORPUS/$t" ] && find "$CORPUS/$t" -maxdepth 1 -type f -exec cp {} "$SCR/corpus/" \;
  [ -n "$(ls -A "$SCR/corpus")" ] || printf '\0' >"$SCR/corpus/empty"
  echo "== fuzz $t: $ENGINE, SANITIZER=$SANITIZER, $JOBS job(s), ${secs}s, $(ls "$SCR/corpus" | wc -l) seeds (scratch: $(rel "$SCR"))"
  run_engine "$t" "$secs"
  if [ "$ENGINE_FAILED" = 1 ]; then
    FAILED_START=1
    return
  fi
  MINTIME=${ISP_FUZZ_MINTIME:-60}
  triage "$t"
  [ "$MERGE" = 1 ] && merge "$t"
  echo "== summary $t: $FINAL"
  echo "   corpus: $MERGED"
  printf '   findings: %d (%d new, %d already kept' "$NFIND" "${#NEWFIND[@]}" "${#KNOWNFIND[@]}"
  [ "$DUPS" -gt 0 ] && printf ', %d duplicate crash files' "$DUPS"
  [ "$UNREPRODUCED" -gt 0 ] && printf ', %d not reproducible' "$UNREPRODUCED"
  [ "$UNTRIAGED" -gt 0 ] && printf ', %d more crash files not looked at, in %s' "$UNTRIAGED" "$(rel "$SCR")"
  printf ')\n'
  for f in "${NEWFIND[@]}" "${KNOWNFIND[@]}"; do echo "     $f"; done
  if [ -s "$SCR/slow" ]; then
    echo "   slow inputs (over ${TIMEOUT}s or ${RSS} MB; not findings): $(wc -l <"$SCR/slow"), in $(rel "$SCR")"
  fi
  TOTAL_FIND=$((TOTAL_FIND + NFIND))
  ALL_NEW+=("${NEWFIND[@]}" "${KNOWNFIND[@]}")
  # Keep the scratch directory only when it holds something to look at.
  if [ "$NFIND" = 0 ] && [ "$UNREPRODUCED" = 0 ] && [ "$UNTRIAGED" = 0 ] && [ ! -s "$SCR/slow" ] && [ "${ISP_FUZZ_KEEP:-0}" != 1 ]; then
    rm -rf "$SCR"
  fi
}

TOTAL_FIND=0
FAILED_START=0
ALL_NEW=()
each=$((TOTAL / ${#RUN[@]}))
[ "$each" -ge 1 ] || each=1
for t in "${RUN[@]}"; do
  [ "$STOP" = 1 ] && break
  campaign "$t" "$each"
done

if [ ${#RUN[@]} -gt 1 ]; then
  echo "== campaign: ${RUN[*]}; $TOTAL_FIND finding(s), ${#ALL_NEW[@]} new"
  for f in "${ALL_NEW[@]}"; do echo "   $f"; done
fi
[ "$TOTAL_FIND" -gt 0 ] && exit 1
[ "$FAILED_START" = 1 ] && exit 2
[ "$STOP" = 1 ] && exit 130
exit 0
