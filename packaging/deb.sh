#!/bin/sh
# packaging/deb.sh -- build the Debian package and check its dependencies.
#
#   packaging/deb.sh [BUILD_DIR]        (default build-deb/)
#
# Configures BUILD_DIR as a release build installing into /usr (so that
# GNUInstallDirs picks Debian's multiarch lib/<triplet> and the Lua module
# goes where lua5.4's INSTALL_CMOD says), builds it, runs `cpack -G DEB`
# and prints the package's path.  Then it checks the package's Depends
# (cmake/package.cmake) against what its ELF files load: each DT_NEEDED
# library must belong, on this machine, to a package the Depends line names.
# Needs cmake, a compiler, dpkg (dpkg -S) and the build dependencies of
# README.md; dpkg-dev is not needed.
set -eu
cd "$(dirname "$0")/.."
B=${1:-build-deb}
JOBS=$(nproc 2>/dev/null || echo 2)
[ "$JOBS" -gt 2 ] && JOBS=2

cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$B" -j "$JOBS" >/dev/null
(cd "$B" && cpack -G DEB >/dev/null)
deb=$(ls -t "$B"/intspect_*.deb | head -1)
[ -f "$deb" ] || { echo "deb.sh: cpack made no intspect_*.deb in $B" >&2; exit 1; }

# What the package says it needs, and what its files load.
depends=$(dpkg-deb -f "$deb" Depends)
x=$(mktemp -d /tmp/isp-deb-XXXXXX)
trap 'rm -rf "$x"' EXIT
dpkg-deb -x "$deb" "$x"
triplet=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH)
status=0
for f in $(find "$x" -type f); do
  head -c 4 "$f" | grep -q "ELF" || continue
  for lib in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    pkg=$(dpkg -S "*/$triplet/$lib" 2>/dev/null | head -1 | sed 's/:.*//')
    if [ -z "$pkg" ]; then
      echo "deb.sh: ${f#"$x"} loads $lib, which no installed package holds" >&2; status=1
    elif ! printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$pkg"; then
      echo "deb.sh: ${f#"$x"} loads $lib from $pkg, which Depends ($depends) does not name" >&2
      status=1
    fi
  done
done
[ $status -eq 0 ] || exit 1
echo "$deb"
echo "  Depends: $depends"
echo "  $(du -k "$deb" | cut -f1) KiB, $(dpkg-deb -c "$deb" | grep -vc '/$') files"
