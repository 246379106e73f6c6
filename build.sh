#!/usr/bin/env bash
# build.sh -- install what is missing, build, and run intspect's checks.
#
#   ./build.sh spec [intspect spec options]   the conformance specs, every profile
#   ./build.sh test                           every test: unit, harness, specs,
#                                             corpus replay; release and ASan+UBSan
#   ./build.sh build                          only build build/ (release)
#   ./build.sh deps                           only install the Debian packages
#
# Two build trees: build/ (release, what users run and benchmark) and
# build-asan/ (clang, AddressSanitizer + UndefinedBehaviorSanitizer, and
# the algorithm cutoffs lowered so every fast path runs on small inputs).
set -euo pipefail
cd "$(dirname "$0")"

JOBS=$(nproc 2>/dev/null || echo 2)
PACKAGES=(cmake make gcc clang libclang-rt-dev pkg-config lua5.4 liblua5.4-dev lua-busted libgmp-dev)

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
    ;;
  help|-h|--help)
    sed -n '2,/^set -e/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    echo "build.sh: unknown command '$cmd' (expected spec, test, build, deps)" >&2
    exit 2
    ;;
esac
