#!/bin/sh
# tests/install/run.sh -- intspect as a user installs and uses it.
#
#   run.sh BUILD_DIR VERSION SOVERSION LUA_CMOD LUA_LMOD LIBDIR
#
# Installs BUILD_DIR into a scratch prefix (/tmp/isp-install-XXXXXX) with
# `cmake --install --prefix`, then, from outside the source tree:
#   - checks the installed files, the SONAME, that libintspect.so exports
#     exactly the functions intspect.h declares, and every version stamp;
#   - builds tests/install/consumer/consumer.c with gcc and with clang, through
#     pkg-config (shared, and -static) and through find_package
#     (intspect::runtime and intspect::runtime_static), and runs each binary;
#     find_package refuses a version the package is not compatible with;
#   - loads the installed Lua module with lua5.4, runs installed_spec.lua
#     with a stock busted and --helper=intspect.helper, and with the
#     installed intspect;
#   - checks that the man page holds every command's `intspect help` text,
#     and, where man is installed, that it renders without a warning.
# Any failure prints what was expected and what happened, and exits 1.
set -eu

[ $# -eq 6 ] || { echo "usage: run.sh BUILD_DIR VERSION SOVERSION LUA_CMOD LUA_LMOD LIBDIR" >&2; exit 2; }
BUILD=$1 VERSION=$2 SOVERSION=$3 CMOD=$4 LMOD=$5 LIBDIR=$6
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
P=$(mktemp -d /tmp/isp-install-XXXXXX)
W=$P.work
mkdir -p "$W"
trap 'rm -rf "$P" "$W"' EXIT
STEP=""
fail() {
  echo "install test: FAILED at: $STEP" >&2
  for m in "$@"; do echo "  $m" >&2; done
  exit 1
}
step() { STEP=$*; echo "== $*"; }
# run DESCRIPTION CMD...: CMD must succeed; its output is kept in $W/out
run() {
  d=$1; shift
  rc=0
  "$@" >"$W/out" 2>&1 || rc=$?
  [ $rc -eq 0 ] || { cat "$W/out" >&2; fail "$d: exit status $rc from: $*"; }
}
expect_line() {   # file wanted-line
  grep -qxF -- "$2" "$1" || { cat "$1" >&2; fail "expected the line: $2"; }
}
case $W in "$SRC"/*) fail "scratch directory $W is inside the source tree" ;; esac

step "cmake --install $BUILD --prefix $P"
run "install" cmake --install "$BUILD" --prefix "$P"
for f in bin/intspect include/intspect.h "$LIBDIR/libintspect.a" "$LIBDIR/libintspect.so" \
         "$LIBDIR/libintspect.so.$SOVERSION" "$LIBDIR/libintspect.so.$VERSION" \
         "$LIBDIR/pkgconfig/intspect.pc" "$LIBDIR/cmake/intspect/intspect-config.cmake" \
         "$LIBDIR/cmake/intspect/intspect-config-version.cmake" \
         "$CMOD/intspect.so" "$LMOD/intspect/helper.lua" share/man/man1/intspect.1; do
  [ -e "$P/$f" ] || fail "$P/$f was not installed"
done

step "the shared library: SONAME and exported symbols"
readelf -d "$P/$LIBDIR/libintspect.so.$VERSION" >"$W/dyn"
grep -q "(SONAME).*\[libintspect\.so\.$SOVERSION\]$" "$W/dyn" ||
  { cat "$W/dyn" >&2; fail "the SONAME is not libintspect.so.$SOVERSION"; }
nm -D --defined-only "$P/$LIBDIR/libintspect.so" | awk '$2 == "T" {print $3}' | sort >"$W/exported"
sed -n 's/.*[ *]\(isp_[a-z0-9_]*\)(.*/\1/p' "$P/include/intspect.h" | sort -u >"$W/declared"
diff "$W/declared" "$W/exported" >"$W/symdiff" ||
  fail "exported symbols (>) differ from intspect.h's functions (<):" "$(cat "$W/symdiff")"
[ -s "$W/declared" ] || fail "no isp_ function found in the installed intspect.h"

step "versions: intspect --version, intspect.pc, the Lua module"
run "intspect --version" "$P/bin/intspect" --version
expect_line "$W/out" "intspect $VERSION"
export PKG_CONFIG_PATH="$P/$LIBDIR/pkgconfig"
run "pkg-config --modversion" pkg-config --modversion intspect
expect_line "$W/out" "$VERSION"

OUT_LINE="intspect $VERSION (header $VERSION) cpython3.12: 2**100 = 1267650600228229401496703205376, refcount(7) 4294967295, 2 // 0: ZeroDivisionError: integer division or modulo by zero"
check_binary() {   # binary shared|static
  if [ "$2" = shared ]; then
    readelf -d "$1" | grep -q "NEEDED.*\[libintspect\.so\.$SOVERSION\]" ||
      fail "$1 does not load libintspect.so.$SOVERSION"
  elif readelf -d "$1" | grep -q "NEEDED.*libintspect"; then
    fail "$1 was to link libintspect.a but loads libintspect.so"
  fi
  run "running $1" env LD_LIBRARY_PATH="$P/$LIBDIR" "$1"
  expect_line "$W/out" "$OUT_LINE"
}

cp "$HERE/consumer/consumer.c" "$HERE/consumer/CMakeLists.txt" "$W/"
for CC in gcc clang; do
  command -v $CC >/dev/null || fail "$CC not found (apt-get install $CC)"
  step "$CC, pkg-config, shared"
  run "$CC with pkg-config" sh -c "$CC -std=c11 -Wall -Wextra -Werror '$W/consumer.c' \$(pkg-config --cflags --libs intspect) -o '$W/pc-shared-$CC'"
  check_binary "$W/pc-shared-$CC" shared
  step "$CC, pkg-config --static, -static"
  run "$CC -static with pkg-config" sh -c "$CC -std=c11 -Wall -Wextra -Werror -static '$W/consumer.c' \$(pkg-config --static --cflags --libs intspect) -o '$W/pc-static-$CC'"
  check_binary "$W/pc-static-$CC" static
  step "$CC, find_package(intspect ${VERSION%.*} CONFIG): intspect::runtime and intspect::runtime_static"
  run "configure with find_package" cmake -S "$W" -B "$W/cm-$CC" -DCMAKE_C_COMPILER=$CC \
      -DCMAKE_PREFIX_PATH="$P" -DWANT_VERSION="${VERSION%.*}"
  grep -q "intspect $VERSION from $P/" "$W/out" || { cat "$W/out" >&2; fail "find_package did not find $P"; }
  run "build with find_package" cmake --build "$W/cm-$CC"
  check_binary "$W/cm-$CC/consumer_shared" shared
  check_binary "$W/cm-$CC/consumer_static" static
done

step "find_package refuses an incompatible version"
MAJOR=${VERSION%%.*}
if cmake -S "$W" -B "$W/cm-wrong" -DCMAKE_PREFIX_PATH="$P" -DWANT_VERSION=$((MAJOR + 1)).0 >"$W/out" 2>&1; then
  fail "find_package(intspect $((MAJOR + 1)).0) accepted version $VERSION"
fi
grep -q "$VERSION" "$W/out" || { cat "$W/out" >&2; fail "the refusal does not name the version found"; }

export LUA_CPATH="$P/$CMOD/?.so;;" LUA_PATH="$P/$LMOD/?.lua;;"
step "lua5.4 loads the installed module"
run "lua5.4" lua5.4 -e '
  local intspect = require "intspect"
  local R = intspect.runtime("cpython2.7")
  print(package.searchpath("intspect", package.cpath), intspect.version,
        R:is(R:int(256), R:int("256")), R:is(R:int(257), R:int("257")))'
expect_line "$W/out" "$P/$CMOD/intspect.so	$VERSION	true	false"

cp "$HERE/installed_spec.lua" "$W/"
cd "$W"
step "a stock busted with --helper=intspect.helper"
run "busted" busted --lua=lua5.4 --helper=intspect.helper -o plainTerminal installed_spec.lua
grep -q "^20 successes / 0 failures / 0 errors / 0 pending" "$W/out" ||
  { cat "$W/out" >&2; fail "busted did not pass the 20 cases of installed_spec.lua"; }
step "the helper refuses an unknown INTSPECT_PROFILE"
if INTSPECT_PROFILE=cpython9.9 busted --lua=lua5.4 --helper=intspect.helper installed_spec.lua >"$W/out" 2>&1; then
  fail "busted passed with INTSPECT_PROFILE=cpython9.9"
fi
grep -q "unknown profile 'cpython9.9'" "$W/out" || { cat "$W/out" >&2; fail "no message naming the unknown profile"; }
step "the installed intspect spec"
run "intspect spec" "$P/bin/intspect" spec installed_spec.lua
expect_line "$W/out" "20 passed, 0 failed"

step "the man page holds every command's 'intspect help' text"
sed 's/\\-/-/g; s/\\e/\\/g; s/^\\&//' "$P/share/man/man1/intspect.1" >"$W/man.txt"
"$P/bin/intspect" help >"$W/overview"
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' "$W/overview")
[ -n "$cmds" ] || fail "no command listed by 'intspect help'"
for c in $cmds; do
  grep -qx "\.SS $c" "$W/man.txt" || fail "no section for '$c' in intspect.1"
  "$P/bin/intspect" help "$c" >"$W/usage"
  while IFS= read -r line; do
    grep -qxF -- "$line" "$W/man.txt" || fail "intspect.1 lacks this line of 'intspect help $c':" "$line"
  done <"$W/usage"
done

if command -v man >/dev/null; then
  step "man renders intspect.1 without a warning"
  MANWIDTH=80 man --warnings -l "$P/share/man/man1/intspect.1" 2>"$W/manwarn" >"$W/manout" ||
    fail "man -l failed:" "$(cat "$W/manwarn")"
  [ ! -s "$W/manwarn" ] || fail "man warns about intspect.1:" "$(cat "$W/manwarn")"
  grep -q "^ *intspect  *- " "$W/manout" || fail "the rendered page has no NAME line"
else
  echo "== (man not installed: intspect.1 not rendered)"
fi

echo "install test: all passed (prefix $P)"
