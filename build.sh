#!/usr/bin/env bash
# build.sh -- install what is missing, build, and run intspect's checks.
#
#   ./build.sh spec [intspect spec options]   the conformance specs, every profile
#   ./build.sh test                           every test: unit, harness, specs,
#                                             corpus replay; release and ASan+UBSan;
#                                             then the fuzz builds and a short fuzzing run
#                                             of every C target and Lua property
#   ./build.sh build                          only build build/ (release)
#   ./build.sh deps                           only install the Debian packages
#
# Two build trees: build/ (release, what users run and benchmark) and
# build-asan/ (clang, AddressSanitizer + UndefinedBehaviorSanitizer, and
# the algorithm cutoffs lowered so every fast path runs on small inputs).
set -euo pipefail
cd "$(dirname "$0")"

JOBS=$(nproc 2>/dev/null || echo 2)
PACKAGES=(cmake make gcc clang libclang-rt-dev pkg-config lua5.4 liblua5.4-dev lua-busted libgmp-dev
          zip unzip python3 perl libxml2-utils gnuplot-nox)

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build.sh: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

configure_build() {   # dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -DISP_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}

release() { configure_build build -DCMAKE_BUILD_TYPE=Release; }

# Fuzzing in the test command: the OSS-Fuzz build of every target, then a
# short libFuzzer run of each (fork mode on every CPU, so that a slow or
# memory-hungry input ends one job, not the run), ASan then UBSan.  A
# finding fails the test and names its reproducer.
FUZZ_ASAN_SECONDS=12   # per target
FUZZ_UBSAN_SECONDS=6   # per target
FUZZ_LUA_SECONDS=8     # per Lua property
fuzz_smoke() {   # sanitizer seconds-per-target
  local san=$1 each=$2 n findings=build-cflite/test/findings-$1 status=0
  n=$(grep -l 'LLVMFuzzerTestOneInput' fuzz/fz_*.c | wc -l)
  rm -rf "$findings"
  ISP_FUZZ_BUILD=build-cflite/test ISP_FUZZ_MINTIME=20 \
    fuzz/campaign.sh all --sanitizer "$san" --time $((each * n)) --jobs "$JOBS" \
      --no-merge --findings "$findings" --interval 10 || status=$?
  if [ "$status" -eq 1 ]; then
    echo "build.sh: fuzzing (SANITIZER=$san) found a bug; reproducers:" >&2
    find "$findings" -type f | sed 's/^/  /' >&2
    exit 1
  elif [ "$status" -ne 0 ]; then
    echo "build.sh: fuzzing (SANITIZER=$san) could not run (exit status $status)" >&2
    exit 1
  fi
}
sanitized() {
  configure_build build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
    -DISP_SANITIZE=ON -DISP_TEST_CUTOFFS=ON -DISP_NO_ASM=ON
}

cmd=${1:-help}
[ $# -gt 0 ] && shift
case "$cmd" in
  deps) deps ;;
  build) deps; release ;;
  spec)
    deps; release
    exec build/intspect spec specs "$@"
    ;;
  test)
    deps
    release
    echo "== release build: ctest"
    (cd build && ctest --output-on-failure -j "$JOBS")
    sanitized
    echo "== ASan + UBSan build: ctest"
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
       UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$JOBS")
    echo "== fuzz builds: .clusterfuzzlite/build.sh with OSS-Fuzz's variables, per sanitizer"
    fuzz/check_cflite_build.sh build-cflite/check
    echo "== stability: every corpus input runs the same edges whatever ran before it"
    fuzz/check_stability.sh build-cflite/stability
    echo "== fuzzing: every target ${FUZZ_ASAN_SECONDS}s under ASan, then ${FUZZ_UBSAN_SECONDS}s under UBSan"
    fuzz_smoke address "$FUZZ_ASAN_SECONDS"
    fuzz_smoke undefined "$FUZZ_UBSAN_SECONDS"
    echo "== Lua properties: Lua coverage reaches the engine; each property ${FUZZ_LUA_SECONDS}s under ASan"
    fuzz/props_check.sh build-cflite/test/out-address "$FUZZ_LUA_SECONDS"
    ;;
  help|-h|--help)
    sed -n '2,/^set -e/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    echo "build.sh: unknown command '$cmd' (expected spec, test, build, deps)" >&2
    exit 2
    ;;
esac
