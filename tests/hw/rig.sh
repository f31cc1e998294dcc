#!/bin/sh
# rig.sh - repcue against real kernel interfaces in a QEMU (TCG) VM:
# buttons on gpio-sim, USB pedals on uinput + evdev, the speaker on
# snd-aloop, and the service under systemd as PID 1. See tests/hw/README.md.
#
#   tests/hw/rig.sh SUITE MODE
#     SUITE  bookworm (libgpiod 1.6, the v1 adapter) | trixie (libgpiod 2.x, v2)
#     MODE   tests   (busybox init chroots into the root and runs vm/checks.sh)
#            systemd (systemd boots the root; repcue.service starts at boot;
#                     vm/service-checks.sh runs as a unit, then powers off)
#
# Exit 0 when every check passed (SKIP allowed), 1 when one failed or the
# VM did not finish, 77 (skipped) when QEMU or the kernel packages cannot be
# had, 2 on usage. Environment:
#   REPCUE_HW_CACHE      cache dir, outside the clone (default /var/cache/repcue-hw):
#                        the debootstrap roots, the kernel, the gpio-sim module,
#                        the initramfs; results in runs/SUITE-MODE/
#   REPCUE_DEBIAN_MIRROR the mirror for debootstrap (default: tests/lib/debian-mirror.sh)
#   REPCUE_HW_TIMEOUT    seconds the VM may run (default 720)
#   REPCUE_HW_MEM, REPCUE_HW_SMP   VM memory in MiB (1536) and vCPUs (2)
#   REPCUE_HW_ONLY       tests mode: only these sections (unit,gpio,audio,pedal;
#                        latency runs only when asked for)
#   REPCUE_HW_LATENCY    repcue's output latency in frames (default 4096, see README)
#   REPCUE_HW_AUDIO_LATENCY  the same for the sample-exact audio check (default 16384)
#   REPCUE_HW_DEB        systemd mode: install this .deb instead of cmake --install
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
SUITE=${1:-}; MODE=${2:-}
case "$SUITE/$MODE" in
bookworm/tests | bookworm/systemd | trixie/tests | trixie/systemd) ;;
*) echo "usage: tests/hw/rig.sh bookworm|trixie tests|systemd" >&2; exit 2 ;;
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
for c in debootstrap busybox cpio gzip make gcc flock; do
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
# to build: debian/control's Build-Depends (tests/lib/build-deps); to run and test: the rest
PKGS="$(sh "$HERE/../lib/build-deps" --cmake | tr '\n' ' ')python3 espeak-ng-data"
PKGS="$PKGS gpiod alsa-utils kmod procps systemd systemd-sysv udev"
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
rm -rf "$R/src/repcue"; mkdir -p "$R/src/repcue" "$R/build"
if git -C "$SRC" rev-parse > /dev/null 2>&1; then
	git -C "$SRC" ls-files -co --exclude-standard -z | (cd "$SRC" && tar --null -T - -cf -) | tar -C "$R/src/repcue" -xf -
else
	tar -C "$SRC" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$R/src/repcue" -xf -
fi
rm -rf "$R/hwrig"; mkdir -p "$R/hwrig/bin" "$R/hwrig/out" "$R/hwrig/tools"
cp "$HERE"/vm/* "$HERE/short.yaml" "$R/hwrig/"; cp "$HERE"/tools/*.c "$R/hwrig/tools/"
in_root '
	cmake -S /src/repcue -B /build/repcue -DCMAKE_BUILD_TYPE=RelWithDebInfo > /build/cmake.log 2>&1 || { cat /build/cmake.log; exit 1; }
	cmake --build /build/repcue -j'"$(nproc)"' > /build/make.log 2>&1 || { tail -40 /build/make.log; exit 1; }
	cmake --install /build/repcue > /build/install.log
	cc="gcc -std=c17 -O2 -Wall -Wextra -Werror"
	$cc -o /hwrig/bin/sim-pulse /hwrig/tools/sim-pulse.c
	$cc -o /hwrig/bin/first-sound /hwrig/tools/first-sound.c -lm
	$cc -o /hwrig/bin/wakeup-gaps /hwrig/tools/wakeup-gaps.c
	$cc -o /hwrig/bin/uinput-pedal /hwrig/tools/uinput-pedal.c $(pkg-config --cflags --libs libevdev)
	grep "repcue input" /build/cmake.log || true
' > "$W/build-$SUITE.log" 2>&1 || { cat "$W/build-$SUITE.log"; die "the project did not build in the $SUITE root"; }
# the TCG slowdown figure: this render natively here, and in the VM (lib.sh)
in_root "rm -rf /tmp/rig-cold; XDG_CACHE_HOME=/tmp/rig-cold repcue render /hwrig/short.yaml -o /tmp/rig-cold.wav --quiet" \
	> "$R/hwrig/out/host-render.txt" 2>&1 || true
step "project built in the $SUITE root ($(cat "$W/build-$SUITE.log" | tr '\n' ' '))"

# --- 6. systemd mode: the service installed as systemd/README.md says, the
# rig's hardware and capture units, the checks as a unit; quiet console
A="console=ttyS0 panic=-1 rdinit=/init quiet hwrig.mode=$MODE hwrig.latency=$LAT"
[ -n "${REPCUE_HW_AUDIO_LATENCY:-}" ] && A="$A hwrig.audio_latency=$REPCUE_HW_AUDIO_LATENCY"
if [ "$MODE" = systemd ]; then
	if [ -n "${REPCUE_HW_DEB:-}" ]; then
		mkdir -p "$R/hwrig/debs"; cp "$REPCUE_HW_DEB" "$R/hwrig/debs/"
	fi
	in_root "REPCUE_HW_DEB='${REPCUE_HW_DEB:-}' LATENCY=$LAT sh /hwrig/install-repcue.sh" > "$W/install-$SUITE.log" 2>&1 ||
		{ cat "$W/install-$SUITE.log"; die "installing the service in the root failed"; }
	for u in serial-getty@ttyS0.service getty@tty1.service; do ln -sf /dev/null "$R/etc/systemd/system/$u"; done
	mkdir -p "$R/etc/systemd/journald.conf.d" "$R/etc/modules-load.d"
	printf '[Journal]\nStorage=volatile\n' > "$R/etc/systemd/journald.conf.d/rig.conf"
	printf '# the rig: what a Pi has built in\ngpio-sim\nuinput\nsnd-aloop\n' > "$R/etc/modules-load.d/rig.conf"
	echo rig > "$R/etc/hostname"
	for u in rig-hardware rig-capture rig-checks; do
		cp "$HERE/vm/$u.service" "$R/etc/systemd/system/"
		chroot "$R" systemctl enable "$u.service" > /dev/null 2>&1
	done
	A="$A systemd.show_status=0"
fi
[ -n "${REPCUE_HW_ONLY:-}" ] && A="$A hwrig.only=$REPCUE_HW_ONLY"

# --- 7. boot
OUT=$W/runs/$SUITE-$MODE; rm -rf "$OUT"; mkdir -p "$OUT"
timeout "${REPCUE_HW_TIMEOUT:-720}" qemu-system-x86_64 -accel tcg -cpu max -m "${REPCUE_HW_MEM:-1536}" \
	-smp "${REPCUE_HW_SMP:-2}" -nographic -no-reboot -kernel "$K/boot/vmlinuz-$KV" -initrd "$I" \
	-virtfs local,path="$R",mount_tag=root,security_model=passthrough,id=root \
	-append "$A" > "$OUT/console.log" 2>&1 || echo "rig: qemu exit $?"
step "VM ($SUITE, $MODE)"
cp -a "$R/hwrig/out/." "$OUT/"
S=$OUT/summary.txt
# (systemd mode prefixes console lines with the kernel time and the unit)
grep -q 'T_CHECKS_END' "$OUT/console.log" ||
	echo "RESULT vm_finished FAIL the checks did not get to their end: stopped after ${REPCUE_HW_TIMEOUT:-720} s, or the VM died (see $OUT/console.log)" >> "$S"
echo "== $S"
cat "$S"
echo "== $(grep -c '^RESULT [^ ]* PASS' "$S") PASS, $(grep -c '^RESULT [^ ]* FAIL' "$S") FAIL, $(grep -c '^RESULT [^ ]* SKIP' "$S") SKIP; $(( $(date +%s) - t0 )) s; logs in $OUT"
! grep -q '^RESULT [^ ]* FAIL' "$S" && grep -q '^RESULT [^ ]* PASS' "$S"
