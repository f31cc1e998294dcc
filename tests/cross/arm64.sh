#!/bin/sh
# arm64.sh - cross-build repcue for arm64 (Raspberry Pi Zero 2 W, 3, 4, 5
# on a 64-bit OS) with Debian's multiarch cross toolchain, and run the
# unit-tier tests on the arm64 binaries under qemu-user.
#
# Everything happens in a cached chroot of the suite with `dpkg
# --add-architecture arm64`, crossbuild-essential-arm64 and the :arm64
# build dependencies (apt-get build-dep -a arm64), so the host's package
# state is never touched. It makes:
#   1. repcue_<ver>_arm64.deb: dpkg-buildpackage -a arm64, with
#      DEB_BUILD_OPTIONS=nocheck (debhelper runs no tests when cross-
#      building), then lintian on it;
#   2. a cross CMake build with tests, run by ctest with
#      CMAKE_CROSSCOMPILING_EMULATOR = qemu-aarch64-static -L /: the arm64
#      dynamic loader and libraries are those of the multiarch chroot.
#      binfmt_misc is not used: registering an interpreter changes the
#      whole (shared) host kernel; ctest starts each test through qemu.
# The tests run: those of UNIT_RE (ctest names, module.case) that are not
# labelled system or chroot, i.e. the unit tests of the pure modules
# (core.*, audio.*, input.*, and some of routine, output and controls: no
# sound card, no kernel devices, no scripts that would start the binary
# without the emulator). output.spsc, a two-thread stress
# test, takes about 100 s under qemu's TCG; the rest about 10 s.
#
# Usage: arm64.sh [--out DIR] [SUITE]   (default bookworm; trixie works too)
# Exit: 0 pass, 77 skipped, else failure.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/lib/chroot.sh"
chroot_out_option "$@"
shift "$OUT_SHIFT"
suite=${1:-bookworm}
UNIT_RE='^(core\.|routine\.load$|routine\.check$|audio\.|output\.spsc$|output\.null$|output\.wav_roundtrip$|input\.|controls\.config_load$|controls\.open$)'

chroot_check
t_start=$(now)
# The chroot is cached per build dependencies and per this setup script.
setup='
	dpkg --add-architecture arm64
	apt-get update -q
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends build-essential \
		crossbuild-essential-arm64 fakeroot lintian qemu-user-static
	apt-get build-dep -y -q --no-install-recommends -a arm64 /tmp/ctl'
key=$( (cat "$SRC/debian/control"; echo "$setup") | sha256sum | cut -c1-12)
chroot_prepared "$suite" cross-arm64 "$key" "$setup"
chroot_unpack "$PREPARED" "$WORK/root"
chroot_copy_tree "$WORK/root/src/repcue"
mkdir -p "$OUT/$suite-arm64"
t0=$(now)
if ! chroot_run "$WORK/root" "" '
	cd /src/repcue
	DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -a arm64 -b -us -uc -j2
	lintian --fail-on error,warning ../repcue_*_arm64.deb
	dpkg-deb -I ../repcue_*_arm64.deb | grep -E "Architecture|Depends"' \
	>"$OUT/$suite-arm64-deb.log" 2>&1; then
	tail -n 30 "$OUT/$suite-arm64-deb.log"
	echo "FAIL: arm64 package; see $OUT/$suite-arm64-deb.log"
	exit 1
fi
cp "$WORK/root/src/"repcue_*_arm64.deb "$OUT/$suite-arm64/"
grep -E "Architecture|Depends|^[EW]: " "$OUT/$suite-arm64-deb.log" || true
echo "$suite arm64: $(cd "$OUT/$suite-arm64" && ls repcue_*_arm64.deb) built in $(($(now) - t0)) s"

t0=$(now)
if ! chroot_run "$WORK/root" "" "
	cd /src/repcue
	cmake -S . -B /build-arm64 -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 \
		-DCMAKE_C_COMPILER=aarch64-linux-gnu-gcc \
		-DPKG_CONFIG_EXECUTABLE=/usr/bin/aarch64-linux-gnu-pkg-config \
		'-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/qemu-aarch64-static;-L;/' >/dev/null
	cmake --build /build-arm64 -j2 >/dev/null
	readelf -h /build-arm64/src/repcue | grep -q AArch64
	qemu-aarch64-static -L / /build-arm64/src/repcue --version
	ctest --test-dir /build-arm64 -j2 --output-on-failure -R '$UNIT_RE' -LE 'system|chroot'" \
	>"$OUT/$suite-arm64-tests.log" 2>&1; then
	tail -n 40 "$OUT/$suite-arm64-tests.log"
	echo "FAIL: arm64 unit tests under qemu-user; see $OUT/$suite-arm64-tests.log"
	exit 1
fi
grep -E "^repcue |tests passed|tests failed" "$OUT/$suite-arm64-tests.log"
echo "$suite arm64: cross build and unit tests under qemu-user in $(($(now) - t0)) s"
echo "ok: $suite arm64 in $(($(now) - t_start)) s"
