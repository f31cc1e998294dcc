#!/bin/sh
# gpiod-v2-chroot.sh - build the input module against libgpiod 2.x and run
# its tests inside a Debian trixie chroot.
#
# Why a chroot: the development host (Debian 12) ships libgpiod 1.6, so the
# v2 adapter (src/input/gpio_v2.c) would otherwise never be compiled here.
# trixie ships libgpiod 2.2.x.
#
# Usage: gpiod-v2-chroot.sh [--prepare] SOURCE_DIR
#   --prepare   only create/refresh the cached chroot, do not build.
#
# Environment:
#   REPCUE_TRIXIE_DIR     cached chroot (default /var/tmp/repcue-trixie);
#                         created on first run (~25 s debootstrap + ~12 s
#                         apt), reused afterwards.
#   REPCUE_DEBIAN_MIRROR  mirror for debootstrap (default: the Debian mirror
#                         of this machine's own apt sources, see
#                         tests/lib/debian-mirror.sh, else deb.debian.org).
#
# Exit codes: 0 pass, 77 skipped (not root / no debootstrap / no network on
# first run), anything else = failure.  Mounts happen in a private mount
# namespace (unshare -m) so nothing stays mounted if the script is killed.
set -eu

ROOT=${REPCUE_TRIXIE_DIR:-/var/tmp/repcue-trixie}
MIRROR=$(sh "$(dirname "$0")/../lib/debian-mirror.sh")
# The whole project is configured in the chroot, so it needs what it takes
# to build: debian/control's Build-Depends (tests/lib/build-deps).
PACKAGES=$(sh "$(dirname "$0")/../lib/build-deps" --cmake | tr '\n' ' ')

prepare_only=0
if [ "${1:-}" = "--prepare" ]; then
	prepare_only=1
	shift
fi
SRC=${1:-$(cd "$(dirname "$0")/../.." && pwd)}

skip() {
	echo "SKIP: $*"
	exit 77
}

if [ "$(id -u)" != 0 ]; then
	skip "needs root for debootstrap, chroot and bind mounts"
fi
command -v debootstrap >/dev/null 2>&1 ||
	skip "debootstrap not installed (apt-get install debootstrap)"
command -v unshare >/dev/null 2>&1 || skip "unshare (util-linux) not found"
# unshare -m makes / private, which fails (EINVAL) where / is not a mount
# point, as in a plain chroot: skip there instead of failing.
if ! why=$(unshare -m true 2>&1); then
	mountpoint -q / 2>/dev/null ||
		skip "/ is not a mount point (a chroot?), so unshare -m cannot work: $why"
	skip "cannot make a mount namespace (unshare -m): $why"
fi
[ -f "$SRC/CMakeLists.txt" ] || { echo "no CMakeLists.txt in $SRC" >&2; exit 2; }

mkdir -p "$(dirname "$ROOT")"
# Two build trees (plain and ASan) may run ctest at once; one chroot, one
# user at a time.
exec 9>"$ROOT.lock"
flock 9

stamp="$ROOT/.repcue-packages"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$PACKAGES" ]; then
	t0=$(date +%s)
	if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
		rm -rf "$ROOT.tmp"
		# Build into a temporary directory so an interrupted debootstrap
		# never leaves a half-made chroot that looks usable.
		if ! debootstrap --variant=minbase trixie "$ROOT.tmp" "$MIRROR" \
			>"$ROOT.debootstrap.log" 2>&1; then
			tail -n 20 "$ROOT.debootstrap.log"
			rm -rf "$ROOT.tmp"
			skip "debootstrap trixie failed (network?); see $ROOT.debootstrap.log"
		fi
		rm -rf "$ROOT"
		mv "$ROOT.tmp" "$ROOT"
	fi
	t1=$(date +%s)
	cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
	# shellcheck disable=SC2086
	if ! unshare -m sh -c "mount -t proc proc '$ROOT/proc' &&
		chroot '$ROOT' sh -c 'apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES'" \
		>"$ROOT.apt.log" 2>&1; then
		tail -n 20 "$ROOT.apt.log"
		echo "apt-get inside the chroot failed; see $ROOT.apt.log" >&2
		exit 1
	fi
	echo "$PACKAGES" >"$stamp"
	t2=$(date +%s)
	echo "chroot: debootstrap $((t1 - t0)) s, build deps $((t2 - t1)) s"
fi

echo "chroot $ROOT: libgpiod $(chroot "$ROOT" pkg-config --modversion libgpiod)"
[ "$prepare_only" = 1 ] && exit 0

# A fresh build every run: it takes seconds and cannot be stale.
rm -rf "$ROOT/build"
mkdir -p "$ROOT/src" "$ROOT/build"
t0=$(date +%s)
# Source read-only: the chroot build must not write into the shared tree.
# The build directory lives in the chroot and is reused between runs.
unshare -m sh -eu -c "
	mount --make-rprivate /
	mount --bind '$SRC' '$ROOT/src'
	mount -o remount,bind,ro '$ROOT/src'
	mount -t proc proc '$ROOT/proc'
	mount --rbind /dev '$ROOT/dev'
	chroot '$ROOT' sh -eu -c '
		cmake -S /src -B /build >/build.cmake.log 2>&1 ||
			{ cat /build.cmake.log; exit 1; }
		grep \"repcue input\" /build.cmake.log
		grep -q \"gpio adapter gpio_v2.c\" /build.cmake.log ||
			{ echo \"expected the libgpiod v2 adapter\"; exit 1; }
		cmake --build /build -j\$(nproc) --target repcue_input_tests
		ctest --test-dir /build -R \"^input\\.\" -LE chroot --output-on-failure
	'
"
t1=$(date +%s)
echo "chroot build + tests: $((t1 - t0)) s"
