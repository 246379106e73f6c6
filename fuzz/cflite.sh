#!/usr/bin/env bash
# fuzz/cflite.sh -- the ClusterFuzzLite modes of .github/workflows/cflite_*.yml,
# run locally with the system clang instead of the OSS-Fuzz images
# (.clusterfuzzlite/build.sh does the build either way).
#
#   fuzz/cflite.sh build                 build every target into build-cflite/out-$SANITIZER/
#   fuzz/cflite.sh code-change [SECS]    the pull-request check: all targets share SECS
#                                        (default 600); exit 1 on a finding
#   fuzz/cflite.sh batch [SECS]          long run (default 3600 in all), the grown corpus
#                                        kept in build-cflite/corpus/
#   fuzz/cflite.sh prune                 minimize build-cflite/corpus/ with -merge=1
#   fuzz/cflite.sh coverage              per-function coverage of runtime/*.c by corpus/
#                                        (and build-cflite/corpus/), naming every function
#                                        no input reaches
#
# SANITIZER=address (default) or undefined, as the workflows' matrix; build
# also takes coverage and none.  Fuzzing goes through fuzz/campaign.sh (what
# `intspect fuzz` runs), so findings are deduplicated, minimized and saved as
# corpus/<target>/regressions/<what>-<where>-<sha1-8> like a campaign's.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:-build}
BASE="$ROOT/build-cflite"
SANITIZER=${SANITIZER:-address}
JOBS=$(nproc 2>/dev/null || echo 1)

usage() { sed -n '2,/^set -e/{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

targets() {
  local src t
  for src in "$ROOT"/fuzz/fz_*.c; do
    if grep -q 'LLVMFuzzerTestOneInput' "$src" && grep -q 'FZ_LIBFUZZER' "$src"; then
      t=$(basename "$src" .c); echo "${t#fz_}"
    fi
  done
}

build() {   # [sanitizer]
  local san=${1:-$SANITIZER}
  case "$san" in
    address|undefined|coverage|none) ;;
    *) echo "cflite.sh: SANITIZER must be address, undefined, coverage or none (got '$san')" >&2; exit 2 ;;
  esac
  command -v clang >/dev/null || { echo "cflite.sh: clang is missing: apt-get install clang libclang-rt-dev" >&2; exit 2; }
  command -v zip >/dev/null || { echo "cflite.sh: zip is missing: apt-get install zip" >&2; exit 2; }
  # build.sh picks the flags for $SANITIZER itself when CFLAGS is unset
  env -u CFLAGS -u CXXFLAGS -u SRC SANITIZER="$san" CC=clang CXX=clang++ \
    OUT="$BASE/out-$san" WORK="$BASE/work-$san" bash "$ROOT/.clusterfuzzlite/build.sh"
}

# llvm-profdata / llvm-cov, unversioned or with clang's major version.
llvm_tool() {
  local major
  major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
  for c in "$1" "$1-$major" "/usr/lib/llvm-$major/bin/$1"; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  echo "cflite.sh: $1 is missing (it comes with LLVM: apt-get install llvm)" >&2
  exit 2
}

case "$MODE" in
  build) build ;;
  code-change|batch)
    secs=${2:-}
    [ -n "$secs" ] || { [ "$MODE" = batch ] && secs=3600 || secs=600; }
    [[ $secs =~ ^[0-9]+$ ]] || { echo "cflite.sh: SECS must be a number of seconds (got '$secs')" >&2; exit 2; }
    case "$SANITIZER" in address|undefined) ;; *)
      echo "cflite.sh: $MODE fuzzes with SANITIZER=address or undefined (got '$SANITIZER')" >&2; exit 2 ;;
    esac
    build
    if [ "$MODE" = code-change ]; then
      # like the pull-request check: the seeds, no corpus change, fail on a finding
      exec bash "$ROOT/fuzz/campaign.sh" all --prebuilt "$BASE/out-$SANITIZER" \
        --sanitizer "$SANITIZER" --time "$secs" --jobs "$JOBS" --no-merge
    fi
    # batch: grow build-cflite/corpus/<target>/, starting from the seeds
    for t in $(targets); do
      mkdir -p "$BASE/corpus/$t"
      find "$ROOT/corpus/$t" -maxdepth 1 -type f -exec cp -n {} "$BASE/corpus/$t/" \; 2>/dev/null || true
    done
    exec bash "$ROOT/fuzz/campaign.sh" all --prebuilt "$BASE/out-$SANITIZER" \
      --sanitizer "$SANITIZER" --time "$secs" --jobs "$JOBS" --corpus "$BASE/corpus"
    ;;
  prune)
    out="$BASE/out-$SANITIZER"
    build >/dev/null
    for t in $(targets); do
      dir=$BASE/corpus/$t
      mkdir -p "$dir"
      find "$ROOT/corpus/$t" -maxdepth 1 -type f -exec cp -n {} "$dir/" \; 2>/dev/null || true
      rm -rf "$dir.pruned"; mkdir -p "$dir.pruned"
      "$out/fuzz_$t" -merge=1 -timeout=25 -rss_limit_mb=2560 "$dir.pruned" "$dir" >"$BASE/prune_$t.log" 2>&1 || {
        echo "cflite.sh: merge of $t failed (log: $BASE/prune_$t.log)" >&2; exit 1; }
      echo "$t: $(find "$dir" -type f | wc -l) -> $(find "$dir.pruned" -type f | wc -l) inputs"
      rm -rf "$dir"; mv "$dir.pruned" "$dir"
    done
    ;;
  coverage)
    profdata=$(llvm_tool llvm-profdata)
    cov=$(llvm_tool llvm-cov)
    build coverage >/dev/null
    out="$BASE/out-coverage"
    rm -rf "$BASE/profraw"; mkdir -p "$BASE/profraw"
    objects=()
    for t in $(targets); do
      dirs=("$ROOT/corpus/$t")
      [ -d "$BASE/corpus/$t" ] && dirs+=("$BASE/corpus/$t")
      # -runs=0 runs every input once (regressions/ included) and stops
      LLVM_PROFILE_FILE="$BASE/profraw/$t.%p.profraw" "$out/fuzz_$t" -runs=0 -timeout=25 \
        -rss_limit_mb=2560 "${dirs[@]}" >"$BASE/coverage_$t.log" 2>&1 ||
        echo "cflite.sh: fuzz_$t stopped early over its corpus (log: $BASE/coverage_$t.log)" >&2
      [ ${#objects[@]} -eq 0 ] && objects+=("$out/fuzz_$t") || objects+=(-object "$out/fuzz_$t")
    done
    "$profdata" merge -sparse "$BASE"/profraw/*.profraw -o "$BASE/cov.profdata"
    "$cov" report -show-functions -instr-profile="$BASE/cov.profdata" "${objects[@]}" \
      "$ROOT"/runtime/*.c >"$BASE/coverage-functions.txt"
    "$cov" report -instr-profile="$BASE/cov.profdata" "${objects[@]}" "$ROOT"/runtime/*.c
    echo
    echo "Per function: $BASE/coverage-functions.txt"
    # A function no input reaches has none of its regions covered.
    "$cov" export -summary-only=false -instr-profile="$BASE/cov.profdata" "${objects[@]}" \
      "$ROOT"/runtime/*.c >"$BASE/coverage.json"
    if command -v jq >/dev/null; then
      jq -r --arg root "$ROOT/" '[.data[].functions[] | select(.count == 0)
             | "\(.filenames[0] | ltrimstr($root)): \(.name)"] | unique | .[]' \
        "$BASE/coverage.json" | grep '^runtime/' | sort >"$BASE/coverage-unreached.txt" || true
    else
      awk '/^File /{f=$2} $1 !~ /^(Name|File|-|TOTAL)/ && NF >= 4 && $3 == $2 && $2 > 0 {print f ": " $1}' \
        "$BASE/coverage-functions.txt" | sed "s|$ROOT/||" | sort -u >"$BASE/coverage-unreached.txt"
    fi
    n=$(wc -l <"$BASE/coverage-unreached.txt")
    echo "Functions of runtime/*.c no corpus input reaches: $n"
    sed 's/^/  /' "$BASE/coverage-unreached.txt"
    ;;
  -h|--help|help) usage ;;
  *) echo "cflite.sh: unknown mode '$MODE'" >&2; usage ;;
esac
