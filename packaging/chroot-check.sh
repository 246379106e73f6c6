#!/bin/sh
# packaging/chroot-check.sh -- install the .deb on a fresh Debian 12 and use it.
#
#   packaging/chroot-check.sh DEB [BASE_DIR]
#
# As root.  BASE_DIR (default /tmp/isp-bookworm-base) holds a minimal
# Debian 12 made by `debootstrap --variant=minbase bookworm`; it is made
# when missing (apt-get install debootstrap; needs Debian's mirror) and is
# never changed.  Each run copies it to BASE_DIR.run, installs DEB there with
# `apt-get install ./intspect_*.deb` (which fetches the dependencies the
# package names), and then, inside, with the installed files only:
#   intspect --version; intspect spec on a spec written here; the same spec
#   with busted --lua=lua5.4 --helper=intspect.helper; man -w intspect.
# Prints the package's size, the install's time and each result; exits 1
# at the first failure.
set -eu
[ $# -ge 1 ] || { echo "usage: chroot-check.sh DEB [BASE_DIR]" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "chroot-check.sh: must run as root (chroot, mount)" >&2; exit 2; }
DEB=$(readlink -f "$1")
[ -f "$DEB" ] || { echo "chroot-check.sh: no such file: $1" >&2; exit 2; }
BASE=${2:-/tmp/isp-bookworm-base}
ROOT=$BASE.run

if [ ! -f "$BASE/etc/debian_version" ]; then
  command -v debootstrap >/dev/null ||
    { echo "chroot-check.sh: debootstrap not found (apt-get install debootstrap)" >&2; exit 2; }
  echo "== debootstrap --variant=minbase bookworm $BASE"
  t0=$(date +%s)
  debootstrap --variant=minbase bookworm "$BASE" http://deb.debian.org/debian >"$BASE.log" 2>&1 ||
    { tail -5 "$BASE.log" >&2; echo "chroot-check.sh: debootstrap failed (log: $BASE.log)" >&2; exit 1; }
  echo "   $(($(date +%s) - t0)) s"
fi
case $(cat "$BASE/etc/debian_version") in
  12*) ;;
  *) echo "chroot-check.sh: $BASE is Debian $(cat "$BASE/etc/debian_version"), not 12" >&2; exit 2 ;;
esac

cleanup() {
  umount "$ROOT/proc" 2>/dev/null || true
  umount "$ROOT/dev" 2>/dev/null || true
}
trap cleanup EXIT
cleanup
rm -rf "$ROOT"
cp -a "$BASE" "$ROOT"
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
cp "$DEB" "$ROOT/tmp/"
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
              LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

echo "== $(basename "$DEB"): $(du -k "$DEB" | cut -f1) KiB"
echo "   Depends: $(dpkg-deb -f "$DEB" Depends)"
in_root apt-get update -qq >/dev/null
in_root dpkg-query -W intspect >/dev/null 2>&1 && { echo "chroot-check.sh: intspect already in $BASE" >&2; exit 1; }
t0=$(date +%s.%N)
in_root apt-get install -y -qq "/tmp/$(basename "$DEB")" >"$ROOT/tmp/apt.log" 2>&1 ||
  { tail -20 "$ROOT/tmp/apt.log" >&2; echo "chroot-check.sh: apt-get install failed" >&2; exit 1; }
t1=$(date +%s.%N)
n=$(grep -c '^Setting up' "$ROOT/tmp/apt.log" || true)
echo "== apt-get install ./$(basename "$DEB"): $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s, $n packages set up"

echo "== intspect --version"
in_root intspect --version

mkdir -p "$ROOT/root/check"
cat >"$ROOT/root/check/chroot_spec.lua" <<'SPEC'
-- A spec of the chroot's own: the cache edge, 2.7's block allocator
-- stepping ids by -24, immortal refcounts, and an error text per profile.
describe_profiles(function(profile)
  local R
  before_each(function() R = intspect.runtime(profile) end)

  it("shares 256 and not 257", function()
    assert.is_same_object(R, R:int(256), R:int(200) + 56)
    assert.is_not_same_object(R, R:int(257), R:int(200) + 57)
  end)

  it("knows 3**100 and its size", function()
    local x = R:int(3) ^ 100
    assert.are.equal("515377520732011331036461129765621272702107522001", tostring(x))
    assert.are.equal(48, R:sizeof(x))   -- six 30-bit digits; 2.7's long too
  end)

  it("counts or pins the refcount of a cached 7", function()
    local want = ({ ["cpython2.7"] = 2, ["cpython3.11"] = 1000000000,
                    ["cpython3.12"] = 4294967295, ["cpython3.13"] = 4294967295,
                    ["cpython3.14"] = 3221225472 })[profile]
    assert.refcount(R, R:int(7), want)
  end)

  it("refuses a negative shift", function()
    assert.has_error(function() return R:int(1) << -1 end, "ValueError: negative shift count")
  end)
end)
SPEC
echo "== intspect spec chroot_spec.lua (in the chroot)"
in_root sh -c 'cd /root/check && intspect spec chroot_spec.lua' | tail -1 | tee "$ROOT/tmp/spec.out"
grep -qx "20 passed, 0 failed" "$ROOT/tmp/spec.out" || { echo "chroot-check.sh: intspect spec failed" >&2; exit 1; }

echo "== busted --lua=lua5.4 --helper=intspect.helper chroot_spec.lua (in the chroot)"
in_root sh -c 'cd /root/check && busted --lua=lua5.4 --helper=intspect.helper -o plainTerminal chroot_spec.lua' |
  tail -1 | tee "$ROOT/tmp/busted.out"
grep -q "^20 successes / 0 failures / 0 errors" "$ROOT/tmp/busted.out" ||
  { echo "chroot-check.sh: busted failed" >&2; exit 1; }

echo "== pkg-config intspect, man page (in the chroot)"
if in_root sh -c 'command -v pkg-config' >/dev/null; then
  in_root pkg-config --modversion intspect
  in_root pkg-config --cflags --libs intspect
fi
in_root sh -c 'ls /usr/share/man/man1/intspect.1*'
echo "chroot check passed ($ROOT)"
