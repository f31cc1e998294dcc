#!/bin/sh
# raspi3b.sh - the image's kernel, its device trees of the BCM2837 boards
# and its initrd on QEMU's Raspberry Pi 3 machine (-M raspi3b: a BCM2837,
# 1 GiB, its SD host with the card attached), until systemd starts.
#
# What it proves: Debian's arm64 kernel as the image ships it boots on an
# emulated BCM2837 with the upstream device tree the firmware partition
# holds for the board (the one a Pi's firmware picks with config.txt's
# upstream_kernel=1), runs the image's initrd (userspace: its /init), and
# that initrd finds the root on the Pi's SD host by its label and starts
# systemd from it ("Welcome to Debian"). Boards: the Pi 3 Model B
# (bcm2837-rpi-3-b.dtb) and the Zero 2 W (bcm2837-rpi-zero-2-w.dtb: its
# RP3A0 is a BCM2837 too, so this checks its device tree on the same SoC,
# not the board's own wiring). What it does not: QEMU loads the kernel
# itself, so the Pi's GPU firmware (bootcode.bin, start*.elf), config.txt
# and cmdline.txt are not run; no USB, no sound, no coach; the Pi 4
# (BCM2711) needs QEMU 9's raspi4b, not in Debian 12.
# Environment: REPCUE_IMAGE, REPCUE_IMAGE_BUILD (lib.sh's image_find),
#   REPCUE_RASPI_TIMEOUT (s, default 600).
# Exit: 0 pass, 77 skipped (says why), else failure.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/image/lib.sh"
image_tools
qemu-system-aarch64 -M help | grep -q '^raspi3b ' || skip "this QEMU has no raspi3b machine"
TIMEOUT=${REPCUE_RASPI_TIMEOUT:-600}
image_find
WORK=$(mktemp -d "${TMPDIR:-/tmp}/repcue-image-raspi3b.XXXXXX")
QEMU_PID=
trap 'vm_stop; rm -rf "$WORK"' EXIT
DISK=$WORK/card.img
case "$IMAGE" in
*.xz) xz -dc "$IMAGE" >"$DISK" ;;
*) cp --sparse=always "$IMAGE" "$DISK" ;;
esac
# QEMU's SD card must be a power of two in size (a real card's is not,
# nor need it be): the next one up
size=$(stat -c %s "$DISK")
card=1048576
while [ "$card" -lt "$size" ]; do card=$((card * 2)); done
truncate -s "$card" "$DISK"
kernel_extract "$DISK"
fw=$(part_mtools "$DISK" 1)
boot_dtb() {
	dtb=$1
	mcopy -n -i "$fw" "::/$dtb" "$WORK/$dtb" ||
		fail "no $dtb on the firmware partition: the image would not boot that board"
	echo "raspi3b: $KERNEL, $dtb and the initrd from the image's firmware partition"
	# The console on the PL011 (ttyAMA0), QEMU's first serial port on this
	# machine; the root by label, as the card's cmdline.txt says; the
	# rescue target, which needs nothing the board lacks here (no network,
	# no sound) and whose start is enough.
	log=$WORK/serial-$dtb.log
	T0=$(now)
	qemu-system-aarch64 -M raspi3b -display none -serial "file:$log" -monitor none \
		-kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" -dtb "$WORK/$dtb" \
		-append "console=ttyAMA0 root=LABEL=RASPIROOT rootwait rw systemd.unit=rescue.target" \
		-drive "file=$DISK,format=raw,if=sd" >"$WORK/qemu.out" 2>&1 &
	QEMU_PID=$!
	initrd_at='' welcome_at=''
	while kill -0 "$QEMU_PID" 2>/dev/null && [ $(($(now) - T0)) -lt "$TIMEOUT" ]; do
		[ -z "$initrd_at" ] && grep -a -q 'Run /init as init process' "$log" 2>/dev/null &&
			initrd_at=$(($(now) - T0))
		if grep -a -q 'Welcome to .*Debian' "$log" 2>/dev/null; then
			welcome_at=$(($(now) - T0))
			break
		fi
		sleep 2
	done
	vm_stop
	echo "--- what the console said (machine, SD, init)"
	grep -a -E 'Machine model|mmcblk|Run /init|Mounting root|Welcome to|Kernel panic|ALERT' "$log" | head -n 10 || true
	echo "---"
	if [ -n "$welcome_at" ]; then
		echo "$dtb: the initrd ran at ${initrd_at:-?} s and found the root on the SD host; systemd started at $welcome_at s"
		return 0
	fi
	tail -n 40 "$log"
	cat "$WORK/qemu.out"
	[ -n "$initrd_at" ] && fail "raspi3b with $dtb: the initrd ran at $initrd_at s, but systemd did not start from the SD card within $TIMEOUT s"
	fail "raspi3b with $dtb: the kernel did not reach userspace (the initrd's /init) within $TIMEOUT s"
}
boot_dtb bcm2837-rpi-3-b.dtb
boot_dtb bcm2837-rpi-zero-2-w.dtb
echo "ok: raspi3b: the Pi 3B's and the Zero 2 W's device trees, the image's kernel and initrd start systemd from the SD card (QEMU TCG; no GPU firmware, no USB, no sound)"
