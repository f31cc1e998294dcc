#!/bin/sh
# build.sh - the flashable arm64 SD-card image: Debian (kernel, Raspberry
# Pi firmware, systemd) plus the repcue .deb built from this tree.
#
#   hw/image/build.sh [--deb FILE] [--out DIR] [--no-xz] [--root-only|--if-cached] [SUITE]
#
# SUITE: bookworm (default) or trixie. Makes
#   OUT/repcue-<version>-<suite>-arm64.img.xz   (OUT default: build/image)
# Run as root on Debian 12 x86-64; no KVM needed. Steps (hw/image/README.md):
#   1. the arm64 root: mmdebstrap with maintainer scripts under qemu-user
#      (binfmt_misc), cached in $CACHE as a tarball keyed by a hash of the
#      package list and this script, never rebuilt when the key matches;
#   2. the repcue arm64 .deb: --deb FILE, or tests/cross/arm64.sh --out;
#   3. the image: a fresh copy of the root with the .deb installed, split
#      into three partition images (firmware FAT, root ext4, REPCUE FAT)
#      made by mkfs.vfat + mcopy and mkfs.ext4 -d, joined by sfdisk + dd.
# --root-only: stop after step 1 (to warm the cache). --if-cached: skip
# (77) instead of building a missing root (for tests/image). --no-xz: the
# .img only (the tests boot it; xz takes minutes).
# Environment: REPCUE_TEST_CACHE (default /var/cache/repcue-test),
# REPCUE_DEBIAN_MIRROR (see tests/lib/debian-mirror.sh).
# Exit: 0 built, 77 cannot run here (says why), else failure.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${REPCUE_TEST_CACHE:-/var/cache/repcue-test}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
OUT=$SRC/build/image
DEB=
ROOT_ONLY=0
IF_CACHED=0
XZ=1
while [ $# -gt 0 ]; do
	case "$1" in
	--deb) DEB=$(realpath "$2"); shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--root-only) ROOT_ONLY=1; shift ;;
	--if-cached) IF_CACHED=1; shift ;;
	--no-xz) XZ=0; shift ;;
	-*) echo "usage: $0 [--deb FILE] [--out DIR] [--no-xz] [--root-only|--if-cached] [SUITE]" >&2; exit 2 ;;
	*) break ;;
	esac
done
SUITE=${1:-bookworm}

skip() {
	echo "SKIP: $*"
	exit 77
}
now() { date +%s; }

[ "$(id -u)" = 0 ] || skip "needs root (mmdebstrap, chroot, binfmt_misc)"
# arch-test: mmdebstrap asks it whether this machine runs arm64 programs
for tool in mmdebstrap arch-test qemu-aarch64-static sfdisk mkfs.vfat mcopy mkfs.ext4 xz flock unshare; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found (apt-get install mmdebstrap arch-test qemu-user-static fdisk dosfstools mtools e2fsprogs xz-utils)"
done
[ -r "$KEYRING" ] || skip "$KEYRING missing (apt-get install debian-archive-keyring)"
MIRROR=$(sh "$SRC/tests/lib/debian-mirror.sh")

# arm64 programs (maintainer scripts, ldconfig, update-initramfs) run in the
# chroot through qemu-user. The kernel must know to start them with it:
# binfmt_misc. F (fix binary): the interpreter is opened now, so it works
# inside the chroot, which has no qemu of its own. This changes this
# machine's kernel only; an entry already there (binfmt-support, systemd-
# binfmt) is left as it is.
BINFMT=/proc/sys/fs/binfmt_misc
binfmt_aarch64() {
	[ -e $BINFMT/register ] || mount -t binfmt_misc binfmt_misc $BINFMT 2>/dev/null ||
		skip "binfmt_misc cannot be mounted at $BINFMT (needed to run arm64 maintainer scripts)"
	[ -e $BINFMT/qemu-aarch64 ] && return 0
	printf '%s' ':qemu-aarch64:M::\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-aarch64-static:F' \
		>$BINFMT/register
}

# What the root is made of. Debian's own Raspberry Pi support: the arm64
# kernel (its DTBs serve the Pi 3, 4 and Zero 2 W), raspi-firmware (the
# GPU boot files, from non-free-firmware) and initramfs-tools. Then what
# repcue needs at run time (its shared libraries, so installing the .deb
# later needs no network) and for a card without a screen: alsa-utils,
# fsck.vfat, fake-hwclock (no clock chip), fdisk (sfdisk grows the root
# into the card at first boot), openssh-server (off unless the card holds
# a key: hw/image/README.md).
# Two of those libraries have other package names in trixie (the .deb's
# Depends there): ALSA's, renamed for 64-bit time_t, and libgpiod 2.
case $SUITE in
trixie) ASOUND=libasound2t64 GPIOD=libgpiod3 ;;
*) ASOUND=libasound2 GPIOD=libgpiod2 ;;
esac
PACKAGES="systemd systemd-sysv udev kmod dbus linux-image-arm64 raspi-firmware
initramfs-tools e2fsprogs dosfstools fake-hwclock alsa-utils procps fdisk
openssh-server
libespeak-ng1 espeak-ng-data libportaudio2 $ASOUND $GPIOD libyaml-0-2
libsqlite3-0 libcairo2 libpango-1.0-0 libpangocairo-1.0-0 libsndfile1
libebur128-1 libsamplerate0 libsystemd0 libevdev2 zlib1g fonts-dejavu-core
passwd"
# raspi-firmware's kernel hook copies the kernel, initrd and DTBs to
# /boot/firmware and refuses if that is not a mount point: a bind mount of
# the directory onto itself satisfies it, and the files stay in the root,
# where step 3 takes them for the firmware partition.
SETUP_HOOK='mkdir -p "$1/boot/firmware" && mount --bind "$1/boot/firmware" "$1/boot/firmware"'
CUSTOMIZE_HOOK='umount "$1/boot/firmware"'
# The initramfs with the modules that find the root on a Pi's SD card (the
# two SD hosts of the upstream device trees, sdhci-iproc and bcm2835
# sdhost, with the firmware clock and GPIO expander the Pi 4 SD slot needs)
# and on QEMU's virtio disk, not Debian's MODULES=most: under qemu-user
# each module costs several emulated processes, and "most" (about a
# thousand modules) took over an hour here on a loaded 2-core machine.
# The rest load from the root, by udev, as on any Debian system.
# FSTYPE=ext4: initramfs-tools' fsck hook copies e2fsck in for the root's
# type, which it cannot find by itself in a chroot (no RASPIROOT device),
# and without it the initrd says "fsck not present" and mounts the root
# unchecked after a pulled plug; with it, the root is checked (and, with
# the cmdline's fsck.repair=yes, repaired) before it is mounted. Written
# before initramfs-tools is installed (essential hook), as files of no
# package, so no conffile question arises.
INITRAMFS_HOOK='mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/etc/initramfs-tools/hooks"
printf "MODULES=list\nFSTYPE=ext4\n" >"$1/etc/initramfs-tools/conf.d/repcue-image.conf"
cat >"$1/etc/initramfs-tools/hooks/repcue-image" <<"HOOK"
#!/bin/sh
# hw/image/build.sh: the root device drivers of a Pi and of QEMU virt.
[ "$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
manual_add_modules mmc_block sdhci-iproc bcm2835 clk-raspberrypi gpio-raspberrypi-exp reset-raspberrypi raspberrypi-firmware virtio_blk virtio_pci virtio_mmio crc32c_generic
force_load ext4
HOOK
chmod 755 "$1/etc/initramfs-tools/hooks/repcue-image"'
KEY=$( (echo "$SUITE $PACKAGES"; echo "$SETUP_HOOK"; echo "$CUSTOMIZE_HOOK"; echo "$INITRAMFS_HOOK") | sha256sum | cut -c1-12)
ROOT_TAR=$CACHE/$SUITE-image-arm64-$KEY.tar.gz

# (before the lock: a root being built is not there yet, and --if-cached
# must not wait for it)
[ "$IF_CACHED" = 0 ] || [ -f "$ROOT_TAR" ] ||
	skip "no cached arm64 root $ROOT_TAR (hw/image/build.sh --root-only makes it, about 40 min)"
mkdir -p "$CACHE"
exec 8>"$CACHE/image.lock"
flock 8
binfmt_aarch64
if [ ! -f "$ROOT_TAR" ]; then
	t0=$(now)
	echo "$SUITE arm64 root: mmdebstrap under qemu-user (about 40 min cold) ..."
	log=$CACHE/$SUITE-image-arm64.log
	# (.tar.gz at the end: mmdebstrap picks the format by it)
	tmp_tar=$CACHE/tmp-$SUITE-image-arm64-$KEY.tar.gz
	# shellcheck disable=SC2086 # PACKAGES is a list
	if ! mmdebstrap --mode=root --arch=arm64 --variant=minbase \
		--components=main,non-free-firmware \
		--include="$(echo $PACKAGES | tr ' ' ',')" \
		--setup-hook="$SETUP_HOOK" --essential-hook="$INITRAMFS_HOOK" \
		--customize-hook="$CUSTOMIZE_HOOK" \
		"$SUITE" "$tmp_tar" "$MIRROR" >"$log" 2>&1; then
		tail -n 30 "$log"
		rm -f "$tmp_tar"
		# The setup hook's bind mount outlives a run that failed before
		# the customize hook, and keeps mmdebstrap's temporary root from
		# being removed: both go here (image.lock keeps any other run of
		# this script, whose mount it would be, out).
		grep -o " ${TMPDIR:-/tmp}/mmdebstrap\.[^ /]*/boot/firmware " /proc/mounts | while read -r m; do
			umount "$m" && rm -rf "${m%/boot/firmware}"
		done
		echo "FAIL: building the $SUITE arm64 root; see $log"
		exit 1
	fi
	# (older roots of this suite go; the new one's temporary name does not
	# match this pattern)
	rm -f "$CACHE/$SUITE-image-arm64-"*.tar.gz
	mv "$tmp_tar" "$ROOT_TAR"
	echo "$SUITE arm64 root built in $(($(now) - t0)) s (cached as $ROOT_TAR)"
fi
[ "$ROOT_ONLY" = 1 ] && exit 0

# The rest works on a fresh copy; nothing of it is kept but the image.
WORK=$(mktemp -d "$CACHE/image-run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
t_start=$(now)

# 2. The repcue .deb for this suite.
if [ -z "$DEB" ]; then
	t0=$(now)
	if ! sh "$SRC/tests/cross/arm64.sh" --out "$WORK/debs" "$SUITE"; then
		echo "FAIL: the arm64 .deb (tests/cross/arm64.sh)"
		exit 1
	fi
	DEB=$(ls "$WORK/debs/$SUITE-arm64/"repcue_*_arm64.deb)
	echo "arm64 .deb built in $(($(now) - t0)) s"
fi
VERSION=$(dpkg-deb -f "$DEB" Version)
NAME=repcue-$VERSION-$SUITE-arm64

# 3a. The root: the cached tarball, the .deb and the image's settings.
root=$WORK/root
mkdir -p "$root"
tar -C "$root" -xzf "$ROOT_TAR"
cp "$DEB" "$root/tmp/repcue.deb"
# The card folder lives on the REPCUE partition, mounted here; the
# postinst seeds it (routines, README.txt) through REPCUE_BOOT_DIR.
CARD_MOUNT=/media/repcue
mkdir -p "$root$CARD_MOUNT"
# The image's own units (hw/image/files): the root grown at first boot,
# SSH only for a key on the card, the wired network for it.
install -D -m 0755 "$SRC/hw/image/files/repcue-grow-root" "$root/usr/lib/repcue-image/repcue-grow-root"
install -D -m 0755 "$SRC/hw/image/files/repcue-ssh-key" "$root/usr/lib/repcue-image/repcue-ssh-key"
install -m 0644 "$SRC/hw/image/files/repcue-grow-root.service" "$SRC/hw/image/files/repcue-ssh-key.service" \
	"$SRC/hw/image/files/repcue-clock-save.service" "$root/etc/systemd/system/"
install -D -m 0644 "$SRC/hw/image/files/20-repcue-wired.network" "$root/etc/systemd/network/20-repcue-wired.network"
if ! unshare -m sh -eu -c '
	root=$1
	mount --make-rprivate /
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	chroot "$root" sh -eu -c "
		REPCUE_BOOT_DIR='"$CARD_MOUNT"' dpkg -i /tmp/repcue.deb
		rm /tmp/repcue.deb
		passwd -l root
		# SSH off, and no host keys every card would share: both only
		# when the card asks (repcue-ssh-key)
		systemctl disable ssh.service
		rm -f /etc/ssh/ssh_host_*
		systemctl enable repcue-grow-root.service repcue-ssh-key.service
		dpkg-query -W -f=\"\\\${Package} \\\${Version}\\n\" linux-image-arm64 raspi-firmware systemd repcue
	"' run "$root" >"$WORK/install.log" 2>&1; then
	cat "$WORK/install.log"
	echo "FAIL: installing $DEB into the arm64 root (a missing dependency belongs in PACKAGES)"
	exit 1
fi
grep -E '^(linux-image|raspi|systemd|repcue) ' "$WORK/install.log" || true
cp "$root/etc/repcue/config.yaml" "$root$CARD_MOUNT/repcue/config.yaml"
# the card's README.txt (CRLF, for Notepad) says what only the image does
sed 's/$/\r/' "$SRC/hw/image/files/README-image.txt" >>"$root$CARD_MOUNT/repcue/README.txt"

# Mounts. The firmware partition read-only: the coach never writes it, and
# a pulled plug cannot damage what is not being written (a kernel upgrade
# remounts it rw by hand). The REPCUE partition is checked and repaired
# (fsck.vfat -a, by systemd-fsck: pass 2) before it is mounted; nofail: a
# card whose REPCUE partition was removed still boots, and the coach falls
# back to its packaged routines. flush: FAT writes reach the card at once.
# device-timeout 180 s: under QEMU's TCG udev made the by-label links only
# about 100 s after boot, and the 10 s tried first gave up on REPCUE (a
# Pi makes them in seconds; a card without the partition waits this long).
cat >"$root/etc/fstab" <<FSTAB
LABEL=RASPIROOT / ext4 rw,noatime,errors=remount-ro 0 1
LABEL=RASPIFIRM /boot/firmware vfat ro,nofail,fmask=0022,dmask=0022 0 2
LABEL=REPCUE $CARD_MOUNT vfat rw,nofail,noatime,flush,fmask=0022,dmask=0022,x-systemd.device-timeout=180s 0 2
FSTAB
echo repcue >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\trepcue\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
# machine-id: empty, so systemd makes one at first boot and writes it
# (not "uninitialized": that would also run `systemctl preset-all` on the
# first boot and change which units are enabled from what was tested).
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
# For a later kernel upgrade, raspi-firmware's hook writes the cmdline.txt
# with the same root= as the one below.
touch "$root/etc/default/raspi-firmware"
sed -i '/^#* *ROOTPART=/d' "$root/etc/default/raspi-firmware"
echo ROOTPART=LABEL=RASPIROOT >>"$root/etc/default/raspi-firmware"
# The coach reads its card folder from the REPCUE partition, and the card
# copier writes back there; both wait for the mount (Wants, not Requires:
# without the partition the coach still starts).
mkdir -p "$root/etc/systemd/system/repcue.service.d" "$root/etc/systemd/system/repcue-card.service.d"
cat >"$root/etc/systemd/system/repcue.service.d/image.conf" <<UNIT
# The SD-card image (hw/image): the card folder is on the REPCUE partition.
[Unit]
Wants=media-repcue.mount
After=media-repcue.mount
[Service]
Environment=REPCUE_BOOT_DIR=$CARD_MOUNT
ReadOnlyPaths=-$CARD_MOUNT
UNIT
cat >"$root/etc/systemd/system/repcue-card.service.d/image.conf" <<UNIT
# The SD-card image (hw/image): the card folder is on the REPCUE partition.
# After each copy the clock is saved for the next boot (no clock chip).
[Unit]
After=media-repcue.mount
Wants=repcue-clock-save.service
[Service]
ExecStart=
ExecStart=/usr/libexec/repcue/repcue-card-copy /var/lib/private/repcue/card-out $CARD_MOUNT/repcue
ReadWritePaths=-$CARD_MOUNT/repcue
UNIT

# 3b. The firmware partition: what raspi-firmware's hook put in
# /boot/firmware (GPU firmware, kernel, initrd, DTBs, config.txt,
# cmdline.txt). root= by label: the same on a card and under QEMU.
fw=$WORK/firmware
mv "$root/boot/firmware" "$fw"
mkdir -p "$root/boot/firmware"
# raspi-firmware's own line (its consoles: the upstream kernel knows no
# "serial0"), with the root by label.
if [ -s "$fw/cmdline.txt" ]; then
	sed -i 's/root=[^ ]*/root=LABEL=RASPIROOT/' "$fw/cmdline.txt"
else
	echo "console=tty0 root=LABEL=RASPIROOT rw fsck.repair=yes rootwait" >"$fw/cmdline.txt"
fi
grep -q 'root=LABEL=RASPIROOT' "$fw/cmdline.txt" || sed -i 's/$/ root=LABEL=RASPIROOT/' "$fw/cmdline.txt"

# 3c. Three partition images, joined into one disk image (MBR: the Pi's
# boot ROM reads the first FAT partition of an MBR disk). The root is last
# so that it can grow into the rest of a bigger card.
MIB=1048576
FW_MIB=256
CARD_MIB=128
root_mib=$(($(du -sm -x "$root" | cut -f1) * 5 / 4 + 256))
mkfs.vfat -F 32 -n RASPIFIRM -C "$WORK/fw.img" $((FW_MIB * 1024)) >/dev/null
mcopy -i "$WORK/fw.img" -s -m "$fw"/* ::/
mkfs.vfat -F 32 -n REPCUE -C "$WORK/card.img" $((CARD_MIB * 1024)) >/dev/null
mcopy -i "$WORK/card.img" -s -m "$root$CARD_MOUNT/repcue" ::/
rm -rf "${root:?}$CARD_MOUNT/repcue"
truncate -s "${root_mib}M" "$WORK/root.img"
mkfs.ext4 -q -L RASPIROOT -d "$root" "$WORK/root.img" "${root_mib}M"
img=$OUT/$NAME.img
rm -f "$img" "$img.xz"
total_mib=$((4 + FW_MIB + CARD_MIB + root_mib))
truncate -s "${total_mib}M" "$img"
sfdisk -q "$img" <<LAYOUT
label: dos
start=4MiB, size=${FW_MIB}MiB, type=c, bootable
start=$((4 + FW_MIB))MiB, size=${CARD_MIB}MiB, type=c
start=$((4 + FW_MIB + CARD_MIB))MiB, type=83
LAYOUT
dd if="$WORK/fw.img" of="$img" bs=1M seek=4 conv=notrunc,sparse status=none
dd if="$WORK/card.img" of="$img" bs=1M seek=$((4 + FW_MIB)) conv=notrunc,sparse status=none
dd if="$WORK/root.img" of="$img" bs=1M seek=$((4 + FW_MIB + CARD_MIB)) conv=notrunc,sparse status=none
if [ "$XZ" = 0 ]; then
	echo "ok: $img ($total_mib MiB) in $(($(now) - t_start)) s (not compressed: --no-xz)"
	exit 0
fi
echo "image: $img ($total_mib MiB) in $(($(now) - t_start)) s; compressing"
t0=$(now)
xz -T2 -6 -k -f "$img"
echo "xz in $(($(now) - t0)) s"
echo "ok: $img.xz ($(($(stat -c %s "$img.xz") / MIB)) MiB; raw $total_mib MiB) in $(($(now) - t_start)) s"
