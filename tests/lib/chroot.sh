# chroot.sh - cached Debian chroots for the package and cross tests.
# Sourced (". tests/lib/chroot.sh") by tests/package/install-test.sh and
# tests/cross/arm64.sh after they set SRC (the source tree) and may set
# CACHE. Every chroot is unpacked fresh from a tarball, so no test sees
# what an earlier one left; the tarballs are kept between runs.
#
#   chroot_base SUITE           sets BASE: debootstrap --variant=minbase
#   chroot_prepared SUITE NAME KEY SCRIPT
#                               sets PREPARED: BASE plus SCRIPT run in it
#                               (apt-get install ...), cached per KEY
#   chroot_out_option "$@"; shift "$OUT_SHIFT"
#                               OUT: where the .debs go, from a leading
#                               --out DIR (default SRC/build/debs)
#   chroot_unpack TARBALL DIR   a fresh chroot in DIR
#   chroot_run ROOT IMG SCRIPT  sh -eu -c SCRIPT in ROOT with /proc, /dev,
#                               the .deb download cache and, if IMG is not
#                               empty, that FAT image as /boot/firmware
#
# Environment: REPCUE_TEST_CACHE (default /var/cache/repcue-test),
# REPCUE_DEBIAN_MIRROR (see debian-mirror.sh).

CACHE=${REPCUE_TEST_CACHE:-/var/cache/repcue-test}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

skip() {
	echo "SKIP: $*"
	exit 77
}

now() { date +%s; }

chroot_out_option() {
	OUT=$SRC/build/debs
	OUT_SHIFT=0
	if [ "${1:-}" = "--out" ]; then
		OUT=$2
		OUT_SHIFT=2
	fi
}

# chroot_check TOOL...: skip unless root with these tools, and take the
# cache lock (one test at a time may unpack and build).
chroot_check() {
	[ "$(id -u)" = 0 ] || skip "needs root for debootstrap, chroot and mounts"
	for tool in debootstrap unshare flock "$@"; do
		command -v "$tool" >/dev/null 2>&1 || skip "$tool not found (see tests/install-deps)"
	done
	# trixie's key is in bookworm's debian-archive-keyring (2023.3 and later).
	[ -r "$KEYRING" ] || skip "$KEYRING missing (apt-get install debian-archive-keyring)"
	MIRROR=$(sh "$SRC/tests/lib/debian-mirror.sh")
	mkdir -p "$CACHE"
	exec 9>"$CACHE/lock"
	flock 9
	WORK=$(mktemp -d "$CACHE/run.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
	BOOT_MODE=mtools
}

# A variable, not $(...) output: skip must be able to end the script.
chroot_base() {
	tarball="$CACHE/$1-minbase.tar.gz"
	if [ ! -f "$tarball" ]; then
		t0=$(now)
		rm -rf "$CACHE/$1.tmp"
		if ! debootstrap --variant=minbase --keyring="$KEYRING" "$1" \
			"$CACHE/$1.tmp" "$MIRROR" >"$CACHE/$1.debootstrap.log" 2>&1; then
			tail -n 5 "$CACHE/$1.debootstrap.log"
			rm -rf "$CACHE/$1.tmp"
			skip "debootstrap $1 from $MIRROR failed (network?); see $CACHE/$1.debootstrap.log"
		fi
		tar -C "$CACHE/$1.tmp" -czf "$tarball.tmp" .
		mv "$tarball.tmp" "$tarball"
		rm -rf "$CACHE/$1.tmp"
		echo "$1: debootstrap minbase $(($(now) - t0)) s (cached as $tarball)"
	fi
	BASE=$tarball
}

chroot_unpack() {
	mkdir -p "$2"
	tar -C "$2" -xzf "$1"
	cp /etc/resolv.conf "$2/etc/resolv.conf" 2>/dev/null || true
}

chroot_prepared() {
	suite=$1 name=$2 key=$3 script=$4
	chroot_base "$suite"
	tarball="$CACHE/$suite-$name-$key.tar.gz"
	if [ ! -f "$tarball" ]; then
		t0=$(now)
		root="$WORK/$suite-mk-$name"
		chroot_unpack "$BASE" "$root"
		mkdir -p "$root/tmp/ctl/debian"
		cp "$SRC/debian/control" "$root/tmp/ctl/debian/"
		if ! chroot_run "$root" "" "$script" >"$CACHE/$suite-$name.log" 2>&1; then
			tail -n 20 "$CACHE/$suite-$name.log"
			echo "FAIL: preparing the $suite $name chroot; see $CACHE/$suite-$name.log"
			exit 1
		fi
		rm -rf "$root/tmp/ctl" "$root/var/lib/apt/lists/"*
		rm -f "$CACHE/$suite-$name-"*.tar.gz
		tar -C "$root" -czf "$tarball.tmp" .
		mv "$tarball.tmp" "$tarball"
		rm -rf "$root"
		echo "$suite: $name chroot prepared in $(($(now) - t0)) s (cached as $tarball)"
	fi
	PREPARED=$tarball
}

# The boot image, when given, is loop-mounted if BOOT_MODE=loop; with
# BOOT_MODE=mtools its files are copied into ROOT/boot/firmware before
# SCRIPT and the image is made to match that directory after it.
chroot_run() {
	root=$1 img=$2 script=$3
	archives="$CACHE/archives/$(cat "$root/etc/debian_version" | cut -d. -f1)"
	mkdir -p "$root/boot/firmware" "$archives/partial"
	if [ -n "$img" ] && [ "$BOOT_MODE" = mtools ]; then
		rm -rf "$root/boot/firmware"
		mkdir -p "$root/boot/firmware"
		mcopy -i "$img" -s -n -m '::/*' "$root/boot/firmware/"
	fi
	status=0
	unshare -m sh -eu -c '
		root=$1 img=$2 mode=$3 archives=$4 script=$5
		mount --make-rprivate /
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		mount --bind "$archives" "$root/var/cache/apt/archives"
		if [ -n "$img" ] && [ "$mode" = loop ]; then
			mount -t vfat -o loop "$img" "$root/boot/firmware"
		fi
		chroot "$root" sh -eu -c "$script"
	' run "$root" "$img" "$BOOT_MODE" "$archives" "$script" || status=$?
	if [ -n "$img" ] && [ "$BOOT_MODE" = mtools ]; then
		mdeltree -i "$img" '::/*' >/dev/null 2>&1 || true
		mdel -i "$img" '::/*' >/dev/null 2>&1 || true
		if [ -n "$(ls -A "$root/boot/firmware")" ]; then
			mcopy -i "$img" -s -n -m "$root/boot/firmware/"* ::/
		fi
	fi
	return "$status"
}

# chroot_copy_tree DEST: this source tree without git data and build trees.
chroot_copy_tree() {
	mkdir -p "$1"
	tar -C "$SRC" --exclude=./.git --exclude='./build' --exclude='./build-*' \
		--exclude='./obj-*' --exclude=./debian/repcue --exclude=./debian/.debhelper \
		-cf - . | tar -C "$1" -xf -
}
