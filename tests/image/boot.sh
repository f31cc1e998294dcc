#!/bin/sh
# boot.sh - boot the arm64 SD-card image (hw/image) under QEMU and wait
# for the coach: qemu-system-aarch64 -M virt -cpu cortex-a53 -m 512 (TCG,
# no KVM), the kernel and initrd copied out of the image's firmware
# partition, a copy of the whole image as the disk (virtio; the image
# itself is never changed; lib.sh has the VM), a USB sound card
# (qemu-xhci + usb-audio) whose output QEMU writes to a WAV file, and the
# serial console in a log. Passes when systemd says repcue.service started
# (Type=notify: only after the coach's READY=1) and the captured sound is
# not silent (the lobby line). Then, as a person with a bigger card and an
# SSH key would: the disk is 1 GiB bigger than the image and the REPCUE
# drive holds repcue/ssh-key.txt (a key made for the test), so the first
# boot must grow the root into the card and let that key in over the
# network (QEMU's user network, port 22 forwarded): the test logs in and
# asks systemd whether the coach is active and the root's size. Prints
# the seconds from QEMU's start to READY, to the first sound and to SSH.
#
# The image: $REPCUE_IMAGE (.img or .img.xz), else the newest
# SRC/build/image/repcue-*-arm64.img; with none, hw/image/build.sh makes
# one if its arm64 root is cached (or REPCUE_IMAGE_BUILD=1: also cold,
# about 45 min), else this skips.
# Environment: REPCUE_IMAGE_TIMEOUT (s, default 900): boot to READY.
# Exit: 0 pass, 77 skipped (says why), else failure.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/image/lib.sh"
image_tools
TIMEOUT=${REPCUE_IMAGE_TIMEOUT:-900}
image_find

WORK=$(mktemp -d "${TMPDIR:-/tmp}/repcue-image-boot.XXXXXX")
trap 'vm_stop; rm -rf "$WORK"' EXIT
image=$WORK/disk.img
card_make "$image"
root_mib=$ROOT_MIB
kernel_extract "$image"
echo "kernel: $KERNEL and its initrd (from the firmware partition)"

# The REPCUE partition (the second) as a laptop sees it: the card folder
# with routines and config.yaml, and no damage fsck.vfat would repair.
card=$(part_mtools "$image" 2)
label=$(mlabel -s -i "$card" :: 2>/dev/null | sed 's/.* is //; s/ *$//')
routines=$(mdir -b -i "$card" ::/repcue/routines 2>/dev/null | grep -c '\.yaml$' || true)
if [ "$label" != REPCUE ] || [ "${routines:-0}" -lt 1 ] || ! mdir -b -i "$card" ::/repcue/config.yaml >/dev/null 2>&1; then
	echo "FAIL: partition 2 should be REPCUE with repcue/routines/*.yaml and repcue/config.yaml;" \
		"label '$label', $routines routines"
	exit 1
fi
echo "REPCUE partition: repcue/ with $routines routines and config.yaml"
# What a person who wants SSH writes on the drive (hw/image/README.md).
ssh_key_on_card "$image"

log=$WORK/serial.log
wav=$WORK/capture.wav
vm_start "$image" "$log" "$wav"
if ! vm_wait_ready "$log" "$TIMEOUT"; then
	show_log "$log"
	fail "repcue.service did not reach READY within $(($(now) - T0)) s of QEMU's start"
fi
ready=$READY
echo "boot to READY: $ready s after QEMU's start (TCG, cortex-a53, -smp 2)"

# The lobby line: the first sample above -40 dBFS in the capture.
sound=
while kill -0 "$QEMU_PID" 2>/dev/null && [ $(($(now) - T0)) -lt $((ready + 180)) ]; do
	if wav_loud "$wav"; then
		sound=$(($(now) - T0))
		break
	fi
	sleep 2
done
# SSH with the card's key: tried again until it answers or 300 s more.
ssh_at=''
ssh_out=''
if [ -n "$sound" ] && vm_ssh_wait $((T0 + sound + 300)); then
	ssh_at=$SSH_AT
	ssh_out=$(vm_ssh 'systemctl is-active repcue.service; systemctl is-enabled ssh.service || true; df -m --output=size / | tail -n 1; systemctl show -P NRestarts repcue.service' 2>>"$WORK/ssh.err") || true
fi
# A debugging aid, not used by ctest: REPCUE_IMAGE_SSH_SCRIPT=FILE runs
# FILE with sh on the booted image, as root, and prints what it says.
if [ -n "$ssh_at" ] && [ -n "${REPCUE_IMAGE_SSH_SCRIPT:-}" ]; then
	echo "--- $REPCUE_IMAGE_SSH_SCRIPT on the image"
	vm_ssh_stdin sh -s <"$REPCUE_IMAGE_SSH_SCRIPT" 2>&1 || true
	echo "---"
fi
# The coach's own journal, for a failure below (read while the VM runs).
if [ -n "$ssh_at" ]; then
	vm_ssh 'journalctl -b --no-pager -o short-monotonic -u repcue.service | tail -n 60' >"$WORK/journal" 2>&1 || true
fi
vm_stop
if [ -z "$sound" ]; then
	show_log "$log"
	echo "FAIL: READY after $ready s, but the captured WAV stayed silent for 180 s more"
	exit 1
fi
echo "first sound in the WAV: $sound s after QEMU's start"
if [ -z "$ssh_at" ]; then
	show_log "$log"
	cat "$WORK/ssh.err"
	echo "FAIL: no SSH login with the key in repcue/ssh-key.txt within 300 s of the first sound"
	exit 1
fi
# the coach active and never restarted; ssh started for the key, not
# enabled for every boot; the root grown by about the 1 GiB added (its
# ext4 is a little smaller than its partition)
set -- $ssh_out
if [ "${1:-}" != active ] || [ "${2:-}" != disabled ] || [ "${3:-0}" -lt $((root_mib + 768)) ] ||
	[ "${4:-}" != 0 ]; then
	show_log "$log"
	echo "--- journalctl -u repcue.service (over SSH)"
	cat "$WORK/journal"
	echo "FAIL: over SSH: repcue.service '${1:-}' restarted ${4:-?} times, ssh.service enabled '${2:-}'," \
		"root ${3:-?} MiB (the partition was $root_mib MiB before the first boot; expected about 1 GiB more)"
	exit 1
fi
echo "SSH with the card's key: $ssh_at s after QEMU's start; repcue.service active (0 restarts), ssh.service disabled" \
	"(started for the key only); root grown from $root_mib MiB to a $3 MiB filesystem"
grep -a -m 1 'repcue-grow-root: the root' "$log" | sed 's/^/  /' || true
# What the coach logged of its lobby (the journal is on the console).
grep -a -m 3 'repcue\[' "$log" | sed 's/^/  /' || true
echo "ok: image boots to READY in $ready s, speaks at $sound s, grows its root and lets the card's SSH key in at $ssh_at s (QEMU TCG; not a Pi)"
