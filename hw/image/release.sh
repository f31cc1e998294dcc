#!/bin/sh
# release.sh - what a maintainer publishes, in one folder: the repcue .deb
# of each suite for amd64 and arm64 (built and install-tested in chroots of
# that suite), the flashable arm64 image of each suite, and SHA256SUMS.
#
#   hw/image/release.sh [--out DIR] [--no-image] [SUITE...]
#
# SUITE: bookworm and trixie by default. Makes in DIR (default
# build/release):
#   repcue_<version>_<suite>_amd64.deb   for Debian / Raspberry Pi OS PCs
#   repcue_<version>_<suite>_arm64.deb   for Raspberry Pi OS (64-bit)
#   repcue-<version>-<suite>-arm64.img.xz  the SD-card image (hw/image)
#   SHA256SUMS                           `sha256sum -c SHA256SUMS` checks them
# A .deb is only good for the suite it was built in (libgpiod 1.6 on
# bookworm, 2.x on trixie), hence the suite in its name; Debian's own
# name (repcue_<version>_<arch>.deb) would be the same for both.
# Each step is the one the tests use: tests/package/install-test.sh (the
# amd64 .deb, installed and checked in a fresh chroot), tests/cross/arm64.sh
# (the arm64 .deb, its unit tests run under qemu-user), hw/image/build.sh
# --deb (the image from that arm64 .deb). Run as root on Debian 12 x86-64;
# cold, each suite's arm64 root takes about 40 min (cached afterwards).
# Exit: 0 all made, 77 cannot run here (says why), else failure.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$SRC/build/release
IMAGE=1
while [ $# -gt 0 ]; do
	case $1 in
	--out) OUT=$2; shift 2 ;;
	--no-image) IMAGE=0; shift ;;
	-*) echo "usage: $0 [--out DIR] [--no-image] [SUITE...]" >&2; exit 2 ;;
	*) break ;;
	esac
done
SUITES=${*:-bookworm trixie}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (chroots, binfmt_misc)"; exit 77; }
version=$(sed -n 's/^project(repcue VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/repcue-release.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Runs a step; its output goes to a log in OUT, its last lines to the
# terminal when it fails.
step() {
	name=$1
	shift
	echo "release: $name ..."
	if ! "$@" >"$OUT/$name.log" 2>&1; then
		tail -n 30 "$OUT/$name.log"
		echo "FAIL: $name; see $OUT/$name.log"
		exit 1
	fi
}
for suite in $SUITES; do
	step "$suite-amd64" sh "$SRC/tests/package/install-test.sh" --out "$WORK/pkg" "$suite"
	cp "$(ls "$WORK/pkg/$suite/"repcue_*_amd64.deb)" "$OUT/repcue_${version}_${suite}_amd64.deb"
	step "$suite-arm64" sh "$SRC/tests/cross/arm64.sh" --out "$WORK/cross" "$suite"
	arm64_deb=$OUT/repcue_${version}_${suite}_arm64.deb
	cp "$(ls "$WORK/cross/$suite-arm64/"repcue_*_arm64.deb)" "$arm64_deb"
	if [ "$IMAGE" = 1 ]; then
		step "$suite-image" sh "$SRC/hw/image/build.sh" --deb "$arm64_deb" --out "$WORK/image" "$suite"
		mv "$WORK/image/repcue-$version-$suite-arm64.img.xz" "$OUT/"
	fi
done
# (only what this run made: an older release's files in OUT stay out)
cd "$OUT"
files=
for suite in $SUITES; do
	files="$files repcue_${version}_${suite}_amd64.deb repcue_${version}_${suite}_arm64.deb"
	[ "$IMAGE" = 0 ] || files="$files repcue-$version-$suite-arm64.img.xz"
done
# shellcheck disable=SC2086 # a list of names without spaces
sha256sum $files >SHA256SUMS
sha256sum -c --quiet SHA256SUMS
echo "ok: $OUT:"
# shellcheck disable=SC2086
ls -l $files SHA256SUMS
