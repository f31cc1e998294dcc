#!/bin/sh
# rig.sh - repcue against real kernel interfaces in a QEMU (TCG) VM:
# buttons on gpio-sim, USB pedals on uinput + evdev, the speaker on
# snd-aloop, and the service under systemd as PID 1. See tests/hw/README.md.
#
#   tests/hw/rig.sh SUITE MODE
#     SUITE  bookworm (libgpiod 1.6, the v1 adapter) | trixie (libgpiod 2.x, v2)
#     MODE   tests   (busybox init chroots into the root and runs vm/checks.sh)
#            systemd (the suite's .deb is installed at boot with apt-get onto
#                     a FAT boot partition, then systemd boots the root;
#                     repcue.service starts at boot; vm/service-checks.sh
#                     runs as a unit, then powers off)
#            powercut (the systemd mode's package and root, booted and
#                     killed again and again while the card copier writes:
#                     tests/hw/powercut.sh, which says its variables)
#
# Exit 0 when every check passed (SKIP allowed), 1 when one failed or the
# VM did not finish, 77 (skipped) when QEMU or the kernel packages cannot be
# had, 2 on usage. Environment:
#   REPCUE_HW_CACHE      cache dir, outside the clone (default /var/cache/repcue-hw):
#                        the debootstrap roots, the kernel, the gpio-sim module,
#                        the initramfs; results in runs/SUITE-MODE/
#   REPCUE_DEBIAN_MIRROR the mirror for debootstrap (default: tests/lib/debian-mirror.sh)
#   REPCUE_HW_TIMEOUT    seconds the VM may run (default 720; 900 in systemd mode)
#   REPCUE_HW_MEM, REPCUE_HW_SMP   VM memory in MiB (1536) and vCPUs (2)
#   REPCUE_HW_ONLY       tests mode: only these sections (unit,gpio,audio,pedal;
#                        latency runs only when asked for)
#   REPCUE_HW_LATENCY    repcue's output latency in frames (default 4096, see README)
#   REPCUE_HW_AUDIO_LATENCY  the same for the sample-exact audio check (default 16384)
#   REPCUE_HW_DEB        systemd mode: install this .deb instead of the one the
#                        rig builds (and caches in debs/) from the tree
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
SUITE=${1:-}; MODE=${2:-}
case "$SUITE/$MODE" in
bookworm/tests | bookworm/systemd | trixie/tests | trixie/systemd) ;;
bookworm/powercut | trixie/powercut) ;;
*) echo "usage: tests/hw/rig.sh bookworm|trixie tests|systemd|powercut" >&2; exit 2 ;;
esac
skip(){ echo "SKIP: $*"; exit 77; }
die(){ echo "rig: $*" >&2; exit 1; }
W=${REPCUE_HW_CACHE:-/var/cache/repcue-hw}
LAT=${REPCUE_HW_LATENCY:-4096}

# --- what the host must have. Only QEMU and the kernel packages are reasons
# to skip; anything else missing is a broken test machine (tests/install-deps
# installs all of it).
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot, 9p root owned by root)"
command -v qemu-system-x86_64 > /dev/null || skip "no qemu-system-x86_64 (Debian package qemu-system-x86)"
[ -f /usr/src/linux-source-6.1.tar.xz ] || skip "no /usr/src/linux-source-6.1.tar.xz (Debian package linux-source-6.1): gpio-sim is built from it"
HDR=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1)
[ -n "$HDR" ] || skip "no /usr/src/linux-headers-*-amd64 (Debian package linux-headers-amd64)"
KV=${HDR##*/linux-headers-}
case "$KV" in 6.1.*) ;; *) skip "the host's kernel headers are $KV, not 6.1 (gpio-sim is built from linux-source-6.1 against bookworm's kernel)" ;; esac
for c in debootstrap busybox cpio gzip make gcc flock sha256sum mkfs.vfat mcopy; do
	command -v $c > /dev/null || die "missing host tool $c: run tests/install-deps"
done
MIRROR=$(sh "$SRC/tests/lib/debian-mirror.sh")

mkdir -p "$W"
exec 9> "$W/lock"
flock -w 3600 9 || die "$W/lock is held by another rig run for an hour"
t0=$(date +%s)
step(){ echo "rig: $1 ($(( $(date +%s) - t0 )) s)"; }

# --- 1. the kernel: Debian's stock bookworm image whose headers the host has
K=$W/kernel-$KV
if [ ! -f "$K/boot/vmlinuz-$KV" ]; then
	rm -rf "$K.tmp"; mkdir -p "$K.tmp"
	(cd "$K.tmp" && { apt-get download -q "linux-image-$KV" || apt-get download -q "linux-image-$KV-unsigned"; }) \
		> "$W/kernel.log" 2>&1 || skip "cannot download linux-image-$KV (apt-get download; see $W/kernel.log)"
	dpkg-deb -x "$K.tmp"/linux-image-*.deb "$K.tmp/x" && rm -rf "$K" && mv "$K.tmp/x" "$K" && rm -rf "$K.tmp"
	step "kernel $KV"
fi
# --- 2. gpio-sim: not built in Debian's 6.1 (CONFIG_GPIO_SIM is not set), so
# built out of tree from linux-source-6.1 with irq_sim (also not built); the
# one change: irq_to_desc() is not exported to modules, and
# generic_handle_irq_safe() does the same for a simulated interrupt.
M=$W/gpio-sim-$KV
if [ ! -f "$M/gpio-sim.ko" ]; then
	rm -rf "$M"; mkdir -p "$M"
	tar xf /usr/src/linux-source-6.1.tar.xz -C "$M" --strip-components=3 \
		linux-source-6.1/drivers/gpio/gpio-sim.c linux-source-6.1/drivers/gpio/gpiolib.h \
		linux-source-6.1/kernel/irq/irq_sim.c
	mv "$M/gpio-sim.c" "$M/gpio-sim-core.c"
	sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq_safe(irqnum);/' "$M/irq_sim.c"
	grep -q 'generic_handle_irq_safe(irqnum)' "$M/irq_sim.c" || die "irq_sim.c of linux-source-6.1 changed: update rig.sh"
	printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-core.o irq_sim.o\n' > "$M/Kbuild"
	make -s -C "$HDR" M="$M" modules > "$M/build.log" 2>&1 || { cat "$M/build.log"; rm -f "$M/gpio-sim.ko"; die "gpio-sim did not build"; }
	step "gpio-sim module"
fi
# --- 3. the initramfs: busybox, the virtio and 9p modules, initramfs-init
I=$W/initrd-$KV.gz
if [ ! -f "$I" ] || [ "$HERE/initramfs-init" -nt "$I" ]; then
	T=$(mktemp -d); mkdir -p "$T/bin" "$T/proc" "$T/sys" "$T/dev" "$T/mods" "$T/newroot"
	cp "$(command -v busybox)" "$T/bin/busybox"; mknod -m 600 "$T/dev/console" c 5 1
	for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_legacy_dev \
		drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci net/9p/9pnet \
		net/9p/9pnet_virtio fs/netfs/netfs fs/fscache/fscache fs/9p/9p; do
		cp "$K/lib/modules/$KV/kernel/$m.ko" "$T/mods/" && echo "${m##*/}" >> "$T/mods/order"
	done
	cp "$HERE/initramfs-init" "$T/init"; chmod 755 "$T/init"
	(cd "$T" && find . | cpio -o -H newc 2> /dev/null | gzip -1) > "$I.tmp" && mv "$I.tmp" "$I"
	rm -rf "$T"
fi
# --- 4. the root: debootstrap + what the project builds and tests with
R=$W/root-$SUITE
# to build: debian/control's Build-Depends (tests/lib/build-deps, with
# debhelper: the systemd mode builds the .deb); to run and test: the rest
PKGS="$(sh "$HERE/../lib/build-deps" | tr '\n' ' ')build-essential dpkg-dev python3 espeak-ng-data"
PKGS="$PKGS gpiod alsa-utils kmod procps systemd systemd-sysv udev"
# the FAT boot partition: fsck.vfat at boot, mtools as the laptop
PKGS="$PKGS dosfstools mtools"
in_root(){ unshare -m sh -c "mount -t proc proc '$R/proc' && chroot '$R' sh -euc '$1'"; }
if [ "$(cat "$R/.rig-packages" 2> /dev/null)" != "$PKGS" ]; then
	if [ ! -x "$R/usr/bin/apt-get" ]; then
		rm -rf "$R.tmp"
		debootstrap --variant=minbase "$SUITE" "$R.tmp" "$MIRROR" > "$W/debootstrap-$SUITE.log" 2>&1 ||
			{ tail -20 "$W/debootstrap-$SUITE.log"; die "debootstrap $SUITE from $MIRROR failed"; }
		rm -rf "$R"; mv "$R.tmp" "$R"
		step "debootstrap $SUITE"
	fi
	cp /etc/resolv.conf "$R/etc/resolv.conf"
	in_root "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PKGS && apt-get clean" \
		> "$W/apt-$SUITE.log" 2>&1 || { tail -20 "$W/apt-$SUITE.log"; die "apt-get in the $SUITE root failed"; }
	echo "$PKGS" > "$R/.rig-packages"
	step "packages in the $SUITE root"
fi
# the stock modules and gpio-sim where modprobe finds them (depmod in the root)
RM=$R/usr/lib/modules/$KV
if [ ! -f "$RM/.rig-stamp" ] || [ "$M/gpio-sim.ko" -nt "$RM/.rig-stamp" ]; then
	rm -rf "$RM"; mkdir -p "$RM"
	cp -a "$K/lib/modules/$KV/." "$RM/"
	mkdir -p "$RM/extra"; cp "$M/gpio-sim.ko" "$RM/extra/"
	chroot "$R" depmod -a "$KV"; touch "$RM/.rig-stamp"
fi

# --- 5. the project, built natively in a chroot (seconds; minutes under TCG),
# and the rig's tools and checks at /hwrig
# The sources are extracted with the time of extraction (tar -m), not their
# own: the build directory is kept between runs, and a tree whose files are
# older than objects another tree built there (two worktrees, one cached
# root) was otherwise linked from both, structs of two layouts in one binary.
rm -rf "$R/src/repcue"; mkdir -p "$R/src/repcue" "$R/build"
if git -C "$SRC" rev-parse > /dev/null 2>&1; then
	git -C "$SRC" ls-files -co --exclude-standard -z | (cd "$SRC" && tar --null -T - -cf -) | tar -C "$R/src/repcue" -m -xf -
else
	tar -C "$SRC" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$R/src/repcue" -m -xf -
fi
rm -rf "$R/hwrig"; mkdir -p "$R/hwrig/bin" "$R/hwrig/out" "$R/hwrig/tools"
cp "$HERE"/vm/* "$HERE/short.yaml" "$R/hwrig/"; cp "$HERE"/tools/*.c "$R/hwrig/tools/"
# (tests mode runs the build installed to /usr/local; systemd mode runs the
# .deb, so there the /usr/local install, which would come first on PATH, and
# the unit a former rig put in /etc/systemd/system, which would hide the
# package's, are taken away)
if [ "$MODE" = tests ]; then INSTALL='cmake --install /build/repcue > /build/install.log'
else INSTALL='[ ! -f /build/repcue/install_manifest.txt ] || xargs rm -f < /build/repcue/install_manifest.txt
	rm -f /etc/systemd/system/repcue.service /etc/systemd/system/multi-user.target.wants/repcue.service'
fi
if [ "$MODE" = powercut ]; then
	# (the power cuts run only the package: no build, no tools; what a
	# former run left on PATH or in /etc goes as in the systemd mode)
	in_root "$INSTALL" > "$W/build-$SUITE.log" 2>&1 || { cat "$W/build-$SUITE.log"; die "cleaning the $SUITE root failed"; }
else
	in_root '
		cmake -S /src/repcue -B /build/repcue -DCMAKE_BUILD_TYPE=RelWithDebInfo > /build/cmake.log 2>&1 || { cat /build/cmake.log; exit 1; }
		cmake --build /build/repcue -j'"$(nproc)"' > /build/make.log 2>&1 || { tail -40 /build/make.log; exit 1; }
		'"$INSTALL"'
		cc="gcc -std=c17 -O2 -Wall -Wextra -Werror"
		$cc -o /hwrig/bin/sim-pulse /hwrig/tools/sim-pulse.c
		$cc -o /hwrig/bin/first-sound /hwrig/tools/first-sound.c -lm
		$cc -o /hwrig/bin/sound-level /hwrig/tools/sound-level.c -lm
		$cc -o /hwrig/bin/wakeup-gaps /hwrig/tools/wakeup-gaps.c
		$cc -o /hwrig/bin/uinput-pedal /hwrig/tools/uinput-pedal.c $(pkg-config --cflags --libs libevdev)
		grep "repcue input" /build/cmake.log || true
	' > "$W/build-$SUITE.log" 2>&1 || { cat "$W/build-$SUITE.log"; die "the project did not build in the $SUITE root"; }
	# the TCG slowdown figure: this render natively here, and in the VM (lib.sh)
	in_root "rm -rf /tmp/rig-cold; XDG_CACHE_HOME=/tmp/rig-cold /build/repcue/src/repcue render /hwrig/short.yaml -o /tmp/rig-cold.wav --quiet" \
		> "$R/hwrig/out/host-render.txt" 2>&1 || true
fi
[ "$MODE" = powercut ] || step "project built in the $SUITE root ($(cat "$W/build-$SUITE.log" | tr '\n' ' '))"

# --- 6. systemd mode: the suite's .deb, installed at boot (initramfs-init
# runs vm/install-repcue.sh before systemd starts) onto a FAT boot partition,
# as on a Pi; the rig's hardware and capture units, the checks as a unit.
A="console=ttyS0 panic=-1 rdinit=/init quiet hwrig.mode=$MODE hwrig.latency=$LAT"
[ -n "${REPCUE_HW_AUDIO_LATENCY:-}" ] && A="$A hwrig.audio_latency=$REPCUE_HW_AUDIO_LATENCY"
DISK=""
# (powercut: the same install, then tests/hw/powercut.sh boots and kills)
if [ "$MODE" != tests ]; then
	DEB=${REPCUE_HW_DEB:-}
	if [ -z "$DEB" ]; then
		# One .deb per suite and source state: bookworm's links libgpiod2
		# (1.6), trixie's libgpiod3 (2.x), so neither installs on the other.
		# Built in the suite's root (which has the Build-Depends) like
		# tests/package does in its chroot, but with nocheck: the rig needs
		# the package's contents, and the unit tier runs elsewhere; cached
		# by a hash of the files that go into a nocheck build (all but
		# tests/, which BUILD_TESTING=OFF leaves out), so a warm run with
		# the same tree does not build it again.
		H=$(cd "$R/src/repcue" && find . -path ./tests -prune -o -type f -print0 | LC_ALL=C sort -z |
			xargs -0 sha256sum | sha256sum | cut -c1-16)
		D=$W/debs/$SUITE-$H
		if ! ls "$D"/repcue_*.deb > /dev/null 2>&1; then
			t1=$(date +%s)
			in_root 'rm -rf /src/deb /src/repcue_* && mkdir -p /src/deb && cp -a /src/repcue /src/deb/ &&
				cd /src/deb/repcue && DEB_BUILD_OPTIONS="nocheck" dpkg-buildpackage -b -us -uc -j'"$(nproc)" \
				> "$W/deb-$SUITE.log" 2>&1 || { tail -30 "$W/deb-$SUITE.log"; die "dpkg-buildpackage in the $SUITE root failed (see $W/deb-$SUITE.log)"; }
			rm -rf "$D.tmp"; mkdir -p "$D.tmp"; cp "$R"/src/deb/repcue_*.deb "$D.tmp/" && rm -rf "$D" && mv "$D.tmp" "$D"
			rm -rf "$R/src/deb"
			# older trees' packages of this suite are not needed again
			find "$W/debs" -maxdepth 1 -name "$SUITE-*" ! -name "$SUITE-$H" -exec rm -rf {} +
			step "built $(cd "$D" && ls repcue_*.deb) for $SUITE in $(( $(date +%s) - t1 )) s"
		else
			step "$(cd "$D" && ls repcue_*.deb) for $SUITE from the cache ($D)"
		fi
		DEB=$(ls "$D"/repcue_*.deb)
	fi
	mkdir -p "$R/hwrig/debs"; cp "$DEB" "$R/hwrig/debs/"
	echo "$(basename "$DEB")" > "$R/hwrig/install-at-boot"
	in_root "sh /hwrig/install-repcue.sh prepare" > "$W/install-$SUITE.log" 2>&1 ||
		{ cat "$W/install-$SUITE.log"; die "preparing the $SUITE root for the package failed"; }
	# (powercut: the speech cache its last run left, so that only the
	# first run of a cache synthesizes the lobby under TCG: minutes on a
	# loaded host, and nothing the power cuts are about)
	if [ "$MODE" = powercut ] && [ -d "$W/powercut-speech" ]; then
		mkdir -p "$R/var/cache/private"; cp -a "$W/powercut-speech" "$R/var/cache/private/repcue"
	fi
	# The SD card's boot partition: FAT, as Raspberry Pi OS makes it (label
	# bootfs), with config.txt so repcue's and the postinst's boot-dir rule
	# pick /boot/firmware; a second virtio disk, /dev/vda in the VM.
	mkdir -p "$W/runs"
	if [ "$MODE" = systemd ]; then
		DISK=$W/runs/boot-$SUITE.img
		rm -f "$DISK"; truncate -s 64M "$DISK"
		mkfs.vfat -n bootfs "$DISK" > /dev/null 2>&1 || die "mkfs.vfat failed on $DISK"
		printf '# written by tests/hw/rig.sh: a Pi boot partition has this file\r\narm_64bit=1\r\n' > "$W/runs/config.txt"
		mcopy -i "$DISK" "$W/runs/config.txt" ::/config.txt
	fi
	for u in serial-getty@ttyS0.service getty@tty1.service; do ln -sf /dev/null "$R/etc/systemd/system/$u"; done
	mkdir -p "$R/etc/systemd/journald.conf.d" "$R/etc/modules-load.d"
	printf '[Journal]\nStorage=volatile\n' > "$R/etc/systemd/journald.conf.d/rig.conf"
	printf '# the rig: what a Pi has built in\ngpio-sim\nuinput\nsnd-aloop\n' > "$R/etc/modules-load.d/rig.conf"
	echo rig > "$R/etc/hostname"
	if [ "$MODE" = systemd ]; then ON="rig-hardware rig-capture rig-checks" OFF=rig-powercut
	else ON="rig-hardware rig-powercut" OFF="rig-capture rig-checks"; fi
	for u in $ON; do
		cp "$HERE/vm/$u.service" "$R/etc/systemd/system/"
		chroot "$R" systemctl enable "$u.service" > /dev/null 2>&1
	done
	for u in $OFF; do
		chroot "$R" systemctl disable "$u.service" > /dev/null 2>&1 || true
		rm -f "$R/etc/systemd/system/$u.service"
	done
	A="$A systemd.show_status=0"
fi
[ -n "${REPCUE_HW_ONLY:-}" ] && A="$A hwrig.only=$REPCUE_HW_ONLY"

# --- 7. boot (powercut: many boots, each killed: tests/hw/powercut.sh)
if [ "$MODE" = powercut ]; then
	. "$HERE/powercut.sh"
	exit $?
fi
OUT=$W/runs/$SUITE-$MODE; rm -rf "$OUT"; mkdir -p "$OUT"
# (systemd mode does more: the install at boot, the laptop, the purge)
[ "$MODE" = systemd ] && VMT=${REPCUE_HW_TIMEOUT:-900} || VMT=${REPCUE_HW_TIMEOUT:-720}
timeout "$VMT" qemu-system-x86_64 -accel tcg -cpu max -m "${REPCUE_HW_MEM:-1536}" \
	-smp "${REPCUE_HW_SMP:-2}" -nographic -no-reboot -kernel "$K/boot/vmlinuz-$KV" -initrd "$I" \
	-virtfs local,path="$R",mount_tag=root,security_model=passthrough,id=root \
	${DISK:+-drive file="$DISK",format=raw,if=virtio} \
	-append "$A" > "$OUT/console.log" 2>&1 || echo "rig: qemu exit $?"
step "VM ($SUITE, $MODE)"
cp -a "$R/hwrig/out/." "$OUT/"
S=$OUT/summary.txt
# (systemd mode prefixes console lines with the kernel time and the unit)
grep -q 'T_CHECKS_END' "$OUT/console.log" ||
	echo "RESULT vm_finished FAIL the checks did not get to their end: stopped after $VMT s, or the VM died (see $OUT/console.log)" >> "$S"
echo "== $S"
cat "$S"
echo "== $(grep -c '^RESULT [^ ]* PASS' "$S") PASS, $(grep -c '^RESULT [^ ]* FAIL' "$S") FAIL, $(grep -c '^RESULT [^ ]* SKIP' "$S") SKIP; $(( $(date +%s) - t0 )) s; logs in $OUT"
! grep -q '^RESULT [^ ]* FAIL' "$S" && grep -q '^RESULT [^ ]* PASS' "$S"
