#!/bin/sh
# install-test.sh - build the Debian package of this tree in a chroot of
# each suite and install it, with `apt-get install ./repcue_*.deb`, into a
# fresh `debootstrap --variant=minbase` chroot of the same suite that has a
# fake FAT boot partition at /boot/firmware.
#
# Checks: the binary runs (--version), `repcue check` passes on the
# installed routines and on the copies on the boot partition, `repcue
# sheet` draws with the installed drawing module, the unit and
# the udev rule are where systemd and udev read them and the unit is
# enabled, the gpio group exists, /etc/repcue/config.yaml is a conffile,
# lintian reports no error or warning (info tags are printed), postinst copied the routines and a CRLF
# README.txt to the FAT image, a second install leaves the user's edited
# and added routines alone, and purge removes the speech cache but leaves
# the user's files on the boot partition and an admin's routine in
# /etc/repcue/routines/; an install with a read-only boot partition
# succeeds and says why nothing was copied.
#
# Why each suite builds its own .deb: trixie has libgpiod 2 (another ABI
# and adapter) and another debhelper (units in /usr/lib); a .deb is only
# good for the suite it was built in.
#
# The boot partition is a FAT image made by mkfs.vfat. It is loop-mounted
# when the kernel can mount vfat; where it cannot (this project's CI VM
# has no vfat module), its contents are copied with mtools into the
# chroot's /boot/firmware before each step and back into the image after
# it. Every check reads the image through mtools, in both cases.
#
# Usage: install-test.sh [--out DIR] [SUITE...]   (default: bookworm trixie)
# Environment:
#   REPCUE_TEST_CACHE     cached base and build-dependency tarballs and .deb
#                         downloads (default /var/cache/repcue-test)
#   REPCUE_DEBIAN_MIRROR  see tests/lib/debian-mirror.sh
# Exit: 0 pass, 77 skipped (not root, no debootstrap/mtools, no network on
# the first run), else failure. All mounts are made in private mount
# namespaces (unshare -m): nothing stays mounted if the script is killed.
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/lib/chroot.sh"
chroot_out_option "$@"
shift "$OUT_SHIFT"
SUITES=${*:-bookworm trixie}

fail() {
	echo "FAIL: $*"
	failed=1
}
failed=0

chroot_check mkfs.vfat mcopy mtype mdir
version=$(sed -n 's/^project(repcue VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
mkdir -p "$OUT"

# The vfat loop mount is tried once; mtools is the fallback.
truncate -s 32M "$WORK/probe.img"
mkfs.vfat -n BOOTFS "$WORK/probe.img" >/dev/null
mkdir -p "$WORK/probe"
if unshare -m mount -t vfat -o loop "$WORK/probe.img" "$WORK/probe" 2>/dev/null; then
	BOOT_MODE=loop
fi
echo "boot partition: FAT image, $BOOT_MODE"

# build_tarball SUITE: sets BUILD to the minbase chroot plus the package's
# build dependencies, cached under a name that changes with debian/control.
build_tarball() {
	chroot_prepared "$1" build "$(sha256sum "$SRC/debian/control" | cut -c1-12)" '
		apt-get update -q
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -q --no-install-recommends build-essential fakeroot lintian
		apt-get build-dep -y -q --no-install-recommends /tmp/ctl'
	BUILD=$PREPARED
}

# mcat IMG PATH: a file of the FAT image on stdout, byte for byte.
mcat() {
	mtype -i "$1" "::$2"
}

test_suite() {
	suite=$1
	t_start=$(now)
	echo "=== $suite"

	# 1. Build the .deb in a chroot of the suite, from a copy of the tree.
	build_tarball "$suite"
	t0=$(now)
	broot="$WORK/$suite-build"
	chroot_unpack "$BUILD" "$broot"
	chroot_copy_tree "$broot/src/repcue"
	if ! chroot_run "$broot" "" 'cd /src/repcue && dpkg-buildpackage -b -us -uc -j2 &&
		lintian -I --fail-on error,warning ../repcue_*.deb' \
		>"$OUT/$suite-build.log" 2>&1; then
		tail -n 30 "$OUT/$suite-build.log"
		fail "$suite: dpkg-buildpackage or lintian; see $OUT/$suite-build.log"
		return
	fi
	grep -E '^[EWIN]: ' "$OUT/$suite-build.log" || echo "$suite: lintian: nothing to report"
	deb=$(cd "$broot/src" && ls repcue_*.deb)
	mkdir -p "$OUT/$suite"
	cp "$broot/src/$deb" "$OUT/$suite/"
	rm -rf "$broot"
	echo "$suite: built $deb in $(($(now) - t0)) s"

	# 2. A fresh minbase chroot with a FAT boot partition holding config.txt.
	t0=$(now)
	root="$WORK/$suite-install"
	chroot_base "$suite"
	chroot_unpack "$BASE" "$root"
	img="$WORK/$suite-boot.img"
	truncate -s 64M "$img"
	mkfs.vfat -n BOOTFS "$img" >/dev/null
	printf 'arm_64bit=1\r\n' >"$WORK/config.txt"
	mcopy -i "$img" "$WORK/config.txt" ::/config.txt
	cp "$OUT/$suite/$deb" "$root/tmp/"
	if ! chroot_run "$root" "$img" "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends /tmp/$deb" \
		>"$OUT/$suite-install.log" 2>&1; then
		tail -n 30 "$OUT/$suite-install.log"
		fail "$suite: apt-get install ./$deb; see $OUT/$suite-install.log"
		return
	fi
	echo "$suite: apt-get install ./$deb in $(($(now) - t0)) s"
	grep '^repcue:' "$OUT/$suite-install.log" || true

	# 3. What the package installed.
	out=$(chroot "$root" repcue --version) || fail "$suite: repcue --version failed"
	[ "$out" = "repcue $version" ] || fail "$suite: --version said '$out', not 'repcue $version'"
	chroot "$root" sh -c 'repcue check /usr/share/repcue/routines/*.yaml' ||
		fail "$suite: repcue check on the installed routines"
	# the drawing module where the installed binary looks for it
	# (sheet_module.c): a sheet drawn, and the module is the package's
	chroot "$root" sh -c 'repcue sheet upper-back-1 -o /tmp/sheet.pdf' >"$WORK/sheet.err" 2>&1 ||
		fail "$suite: repcue sheet with the installed drawing module: $(cat "$WORK/sheet.err")"
	chroot "$root" dpkg -S 'repcue-draw.so' | grep -q '^repcue: /usr/lib/.*/repcue/repcue-draw.so$' ||
		fail "$suite: repcue-draw.so is not the package's, in /usr/lib/<triplet>/repcue"
	unit=""
	for d in /usr/lib/systemd/system /lib/systemd/system; do
		[ -f "$root$d/repcue.service" ] && unit="$root$d/repcue.service"
	done
	[ -n "$unit" ] || fail "$suite: repcue.service not in /usr/lib/systemd/system or /lib/systemd/system"
	[ -n "$unit" ] && { grep -qx 'ExecStart=/usr/bin/repcue play.*' "$unit" ||
		fail "$suite: the unit does not start /usr/bin/repcue"; }
	[ -L "$root/etc/systemd/system/multi-user.target.wants/repcue.service" ] ||
		fail "$suite: repcue.service not enabled (no multi-user.target.wants link)"
	rules=""
	for d in /usr/lib/udev/rules.d /lib/udev/rules.d; do
		[ -f "$root$d/99-repcue.rules" ] && rules=yes
	done
	[ -n "$rules" ] || fail "$suite: 99-repcue.rules not in /usr/lib/udev/rules.d or /lib/udev/rules.d"
	chroot "$root" getent group gpio >/dev/null || fail "$suite: no gpio group"
	chroot "$root" dpkg-query -W -f='${Conffiles}\n' repcue | grep -q ' /etc/repcue/config.yaml ' ||
		fail "$suite: /etc/repcue/config.yaml is not a conffile"
	[ -d "$root/etc/repcue/routines" ] || fail "$suite: no /etc/repcue/routines/"
	for page in man1/repcue.1.gz man5/repcue-routine.5.gz; do
		[ -f "$root/usr/share/man/$page" ] || fail "$suite: no /usr/share/man/$page"
	done

	# 3b. This suite's libsndfile decodes every music format (issue 22): the
	# tracks tests/music/make_music made on the build machine (WAV, FLAC, Ogg
	# Vorbis, Opus, MP3 and four damaged ones), played under a short session
	# by the installed repcue. Each good track is measured once (one loudness
	# file in the cache per track), each damaged one named.
	if [ -n "${REPCUE_TEST_MUSIC:-}" ]; then
		rm -rf "$root/tmp/music" "$root/tmp/mcache"
		cp -r "$REPCUE_TEST_MUSIC" "$root/tmp/music"
		cp "$SRC/tests/system/tiny.yaml" "$root/tmp/tiny.yaml"
		chroot_run "$root" "$img" 'HOME=/tmp REPCUE_CACHE_DIR=/tmp/mcache repcue render /tmp/tiny.yaml \
			-q -o /tmp/music.wav --music /tmp/music' 2>"$WORK/music.err" >/dev/null ||
			fail "$suite: repcue render --music: $(cat "$WORK/music.err")"
		for f in 01-chord.wav 02-tones.flac 03-noise.ogg 04-chord.opus 05-tones.mp3; do
			! grep -q "$f" "$WORK/music.err" ||
				fail "$suite: libsndfile cannot play $f: $(grep "$f" "$WORK/music.err")"
		done
		for f in 00-corrupt.flac 00-damaged-mid.flac 00-empty.mp3 00-truncated.wav; do
			grep -q "music: $f: " "$WORK/music.err" || fail "$suite: the damaged $f was not named"
		done
		measured=$(ls "$root/tmp/mcache/music" 2>/dev/null | grep -c '\.loudness$' || true)
		[ "$measured" = 5 ] || fail "$suite: $measured of 5 good tracks measured"
		echo "$suite: music: WAV, FLAC, Ogg Vorbis, Opus and MP3 decoded; 4 damaged files named"
	fi

	# 4. The boot partition, read from the FAT image.
	mdir -i "$img" -b ::/repcue/routines/ >"$WORK/list" 2>&1 ||
		fail "$suite: no repcue/routines/ on the boot partition: $(cat "$WORK/list")"
	for f in "$root"/usr/share/repcue/routines/*.yaml; do
		name=$(basename "$f")
		mcat "$img" "/repcue/routines/$name" | cmp -s - "$f" ||
			fail "$suite: boot partition repcue/routines/$name differs from the packaged one"
	done
	mcat "$img" /repcue/README.txt >"$WORK/README.txt" || fail "$suite: no repcue/README.txt"
	lines=$(wc -l <"$WORK/README.txt")
	crlf=$(grep -c "$(printf '\r')\$" "$WORK/README.txt" || true)
	[ "$lines" -gt 10 ] && [ "$crlf" = "$lines" ] ||
		fail "$suite: README.txt: $crlf of $lines lines end in CRLF"
	chroot_run "$root" "$img" 'repcue check /boot/firmware/repcue/routines/*.yaml' >/dev/null ||
		fail "$suite: repcue check on the boot partition's routines"

	# 5. The user edits a routine and adds one from a laptop; an admin adds
	# one in /etc; the service made a speech cache. A second install must
	# not touch any of them.
	mcat "$img" /repcue/routines/upper-back-1.yaml >"$WORK/edited.yaml"
	echo "# edited on a laptop" >>"$WORK/edited.yaml"
	mcopy -i "$img" -o "$WORK/edited.yaml" ::/repcue/routines/upper-back-1.yaml
	cp "$root/usr/share/repcue/routines/upper-back-2.yaml" "$WORK/my-rows.yaml"
	mcopy -i "$img" "$WORK/my-rows.yaml" ::/repcue/routines/my-rows.yaml
	cp "$WORK/my-rows.yaml" "$root/etc/repcue/routines/admin.yaml"
	mkdir -p "$root/var/cache/private/repcue"
	echo cache >"$root/var/cache/private/repcue/line.pcm"
	ln -s private/repcue "$root/var/cache/repcue"
	if ! chroot_run "$root" "$img" "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall /tmp/$deb" \
		>>"$OUT/$suite-install.log" 2>&1; then
		fail "$suite: second install; see $OUT/$suite-install.log"
	fi
	mcat "$img" /repcue/routines/upper-back-1.yaml | cmp -s - "$WORK/edited.yaml" ||
		fail "$suite: a second install changed the user's edited routine"
	mcat "$img" /repcue/routines/my-rows.yaml | cmp -s - "$WORK/my-rows.yaml" ||
		fail "$suite: a second install changed the user's added routine"

	# 6. Purge: the package's own leftovers go, the user's and admin's stay.
	if ! chroot_run "$root" "$img" 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -q repcue' \
		>>"$OUT/$suite-install.log" 2>&1; then
		fail "$suite: apt-get purge; see $OUT/$suite-install.log"
	fi
	[ ! -e "$root/usr/bin/repcue" ] || fail "$suite: /usr/bin/repcue left after purge"
	[ ! -e "$root/var/cache/private/repcue" ] && [ ! -L "$root/var/cache/repcue" ] ||
		fail "$suite: the speech cache was left after purge"
	[ ! -e "$root/etc/systemd/system/multi-user.target.wants/repcue.service" ] ||
		fail "$suite: the unit's enable link was left after purge"
	cmp -s "$root/etc/repcue/routines/admin.yaml" "$WORK/my-rows.yaml" ||
		fail "$suite: purge removed the admin's /etc/repcue/routines/admin.yaml"
	mcat "$img" /repcue/routines/upper-back-1.yaml | cmp -s - "$WORK/edited.yaml" ||
		fail "$suite: purge changed the user's edited routine on the boot partition"
	mcat "$img" /repcue/routines/my-rows.yaml | cmp -s - "$WORK/my-rows.yaml" ||
		fail "$suite: purge removed the user's routine on the boot partition"
	mcat "$img" /repcue/README.txt | cmp -s - "$WORK/README.txt" ||
		fail "$suite: purge removed README.txt on the boot partition"

	# 7. A read-only boot partition does not fail the install.
	if ! chroot_run "$root" "" "mkdir -p /ro-boot && mount --bind /ro-boot /ro-boot &&
		mount -o remount,ro,bind /ro-boot &&
		REPCUE_BOOT_DIR=/ro-boot DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q /tmp/$deb" >"$WORK/ro.log" 2>&1; then
		cat "$WORK/ro.log" >>"$OUT/$suite-install.log"
		fail "$suite: install with a read-only boot partition failed; see $OUT/$suite-install.log"
	fi
	grep -q 'repcue: could not write to /ro-boot' "$WORK/ro.log" ||
		fail "$suite: no message about the read-only boot partition"
	rm -rf "$root"
	echo "$suite: done in $(($(now) - t_start)) s"
}

for suite in $SUITES; do
	test_suite "$suite"
done
[ "$failed" = 0 ] && echo "ok: $SUITES"
exit "$failed"
