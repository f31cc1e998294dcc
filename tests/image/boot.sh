#!/bin/sh
# boot.sh - boot the arm64 SD-card image (hw/image) under QEMU and wait
# for the coach: qemu-system-aarch64 -M virt -cpu cortex-a53 -m 512 (TCG,
# no KVM), the kernel and initrd copied out of the image's firmware
# partition, the whole image as the disk (virtio; writes go to a
# throw-away snapshot, so the image is never changed), a USB sound card
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
skip() {
	echo "SKIP: $*"
	exit 77
}
now() { date +%s; }
for tool in qemu-system-aarch64 mcopy mdir mlabel sfdisk python3 xz ssh ssh-keygen; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip "$tool not found (apt-get install qemu-system-arm mtools fdisk python3 xz-utils openssh-client)"
done
TIMEOUT=${REPCUE_IMAGE_TIMEOUT:-900}

image=${REPCUE_IMAGE:-}
if [ -z "$image" ]; then
	image=$(ls -t "$SRC"/build/image/repcue-*-arm64.img 2>/dev/null | head -n 1 || true)
fi
if [ -z "$image" ]; then
	if [ "${REPCUE_IMAGE_BUILD:-}" = 1 ]; then
		sh "$SRC/hw/image/build.sh" --out "$SRC/build/image"
	else
		rc=0
		sh "$SRC/hw/image/build.sh" --if-cached --out "$SRC/build/image" || rc=$?
		[ "$rc" = 77 ] && skip "no image in $SRC/build/image and no cached arm64 root (REPCUE_IMAGE_BUILD=1 builds one cold, about 45 min)"
		[ "$rc" = 0 ] || exit "$rc"
	fi
	image=$(ls -t "$SRC"/build/image/repcue-*-arm64.img | head -n 1)
fi
[ -r "$image" ] || skip "$image not readable"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/repcue-image-boot.XXXXXX")
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
echo "image: $image"
# The card: a copy (the image is never changed), 1 GiB bigger, as a card
# is bigger than the image written to it.
case "$image" in
*.xz) xz -dc "$image" >"$WORK/disk.img" ;;
*) cp --sparse=always "$image" "$WORK/disk.img" ;;
esac
image=$WORK/disk.img
root_mib=$(($(sfdisk -d "$image" | sed -n 's/^[^:]*3 : .*size= *\([0-9]*\),.*/\1/p') / 2048))
truncate -s +1G "$image"

# The firmware partition is the first: its start from the partition table.
start=$(sfdisk -d "$image" | sed -n 's/^[^:]*1 : start= *\([0-9]*\),.*/\1/p')
[ -n "$start" ] || { echo "FAIL: no first partition in $image"; exit 1; }
fw="$image@@$((start * 512))"
kernel=$(mdir -b -i "$fw" :: | sed -n 's|^::/||p' | grep '^vmlinuz-' | sort -V | tail -n 1)
initrd=initrd.img-${kernel#vmlinuz-}
mcopy -n -i "$fw" "::/$kernel" "$WORK/vmlinuz"
mcopy -n -i "$fw" "::/$initrd" "$WORK/initrd.img"
echo "kernel: $kernel, $initrd (from the firmware partition)"

# The REPCUE partition (the second) as a laptop sees it: the card folder
# with routines and config.yaml, and no damage fsck.vfat would repair.
start2=$(sfdisk -d "$image" | sed -n 's/^[^:]*2 : start= *\([0-9]*\),.*/\1/p')
card="$image@@$((start2 * 512))"
label=$(mlabel -s -i "$card" :: 2>/dev/null | sed 's/.* is //; s/ *$//')
routines=$(mdir -b -i "$card" ::/repcue/routines 2>/dev/null | grep -c '\.yaml$' || true)
if [ "$label" != REPCUE ] || [ "${routines:-0}" -lt 1 ] || ! mdir -b -i "$card" ::/repcue/config.yaml >/dev/null 2>&1; then
	echo "FAIL: partition 2 should be REPCUE with repcue/routines/*.yaml and repcue/config.yaml;" \
		"label '$label', $routines routines"
	exit 1
fi
echo "REPCUE partition: repcue/ with $routines routines and config.yaml"
# What a person who wants SSH writes on the drive (hw/image/README.md).
ssh-keygen -q -t ed25519 -N '' -C repcue-image-test -f "$WORK/id"
mcopy -i "$card" "$WORK/id.pub" ::/repcue/ssh-key.txt
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The command line of the card's cmdline.txt, with QEMU's serial port
# (ttyAMA0 is the PL011 of -M virt) and the journal on the console, so the
# log shows the coach's own lines too. Under TCG a PortAudio call (listing
# the USB sound card's ALSA devices) takes longer than the 2 s a real Pi's
# coach allows before it calls the device wedged, so systemd.setenv gives
# every service of this emulated boot a longer bound (the image itself keeps
# the default).
cmdline="console=ttyAMA0 root=LABEL=RASPIROOT rw rootwait fsck.repair=yes systemd.journald.forward_to_console=1"
cmdline="$cmdline systemd.setenv=REPCUE_TEST_CALL_TIMEOUT_MS=30000"
# glibc's own fatal messages (a failed check in free() or a fortified
# call) to stderr, the journal, rather than /dev/tty
cmdline="$cmdline systemd.setenv=LIBC_FATAL_STDERR_=1"
log=$WORK/serial.log
wav=$WORK/capture.wav
t0=$(now)
qemu-system-aarch64 -M virt -cpu cortex-a53 -m 512 -smp 2 \
	-display none -monitor none -serial "file:$log" \
	-nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$port-:22" \
	-kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" -append "$cmdline" \
	-drive "file=$image,format=raw,if=none,id=card" -device virtio-blk-pci,drive=card \
	-device virtio-rng-pci \
	-audiodev "wav,id=snd0,path=$wav" -device qemu-xhci -device usb-audio,audiodev=snd0 \
	>"$WORK/qemu.out" 2>&1 &
qemu_pid=$!

# Wait for the condition, not a time: the line, the failure, QEMU's end
# or the time limit, whichever comes first.
ready=
while :; do
	if grep -q 'Started repcue.service' "$log" 2>/dev/null; then
		ready=$(($(now) - t0))
		break
	fi
	# (a failed start is retried: Restart=on-failure; systemd gives up
	# after five in ten seconds)
	if grep -q -E 'repcue.service: Start request repeated too quickly' "$log" 2>/dev/null; then
		break
	fi
	kill -0 "$qemu_pid" 2>/dev/null || break
	[ $(($(now) - t0)) -lt "$TIMEOUT" ] || break
	sleep 1
done
show_log() {
	echo "--- serial console (last 60 lines; repcue's lines first)"
	grep -a -i 'repcue' "$log" | tail -n 30 || true
	echo "---"
	tail -n 60 "$log" || true
	cat "$WORK/qemu.out"
}
if [ -z "$ready" ]; then
	show_log
	echo "FAIL: repcue.service did not reach READY within $(($(now) - t0)) s of QEMU's start"
	exit 1
fi
echo "boot to READY: $ready s after QEMU's start (TCG, cortex-a53, -smp 2)"

# The lobby line: the first sample above -40 dBFS in the capture. QEMU's
# WAV header is written at the end, so the samples are read raw (16-bit
# stereo, after the 44-byte header).
loud() {
	python3 - "$wav" <<'PY'
import array, sys
try:
    data = open(sys.argv[1], "rb").read()[44:]
except OSError:
    sys.exit(1)
s = array.array("h", data[: len(data) // 2 * 2])
sys.exit(0 if any(abs(x) > 327 for x in s) else 1)
PY
}
sound=
while kill -0 "$qemu_pid" 2>/dev/null && [ $(($(now) - t0)) -lt $((ready + 180)) ]; do
	if loud; then
		sound=$(($(now) - t0))
		break
	fi
	sleep 2
done
# SSH with the card's key: tried again until it answers (sshd starts
# after its host keys are made, slowly under TCG) or 300 s more.
ssh_at=''
ssh_out=''
while [ -n "$sound" ] && kill -0 "$qemu_pid" 2>/dev/null && [ $(($(now) - t0)) -lt $((sound + 300)) ]; do
	if ssh_out=$(ssh -n -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o ConnectTimeout=20 -o LogLevel=ERROR -i "$WORK/id" -p "$port" root@127.0.0.1 \
		'systemctl is-active repcue.service; systemctl is-enabled ssh.service || true; df -m --output=size / | tail -n 1; systemctl show -P NRestarts repcue.service' \
		2>"$WORK/ssh.err"); then
		ssh_at=$(($(now) - t0))
		break
	fi
	sleep 5
done
# A debugging aid, not used by ctest: REPCUE_IMAGE_SSH_SCRIPT=FILE runs
# FILE with sh on the booted image, as root, and prints what it says.
if [ -n "$ssh_at" ] && [ -n "${REPCUE_IMAGE_SSH_SCRIPT:-}" ]; then
	echo "--- $REPCUE_IMAGE_SSH_SCRIPT on the image"
	ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
		-i "$WORK/id" -p "$port" root@127.0.0.1 sh -s <"$REPCUE_IMAGE_SSH_SCRIPT" 2>&1 || true
	echo "---"
fi
# The coach's own journal, for a failure below (read while the VM runs).
if [ -n "$ssh_at" ]; then
	ssh -n -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=20 \
		-o LogLevel=ERROR -i "$WORK/id" -p "$port" root@127.0.0.1 \
		'journalctl -b --no-pager -o short-monotonic -u repcue.service | tail -n 60' >"$WORK/journal" 2>&1 || true
fi
kill -TERM "$qemu_pid" 2>/dev/null || true
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=
if [ -z "$sound" ]; then
	show_log
	echo "FAIL: READY after $ready s, but the captured WAV stayed silent for 180 s more"
	exit 1
fi
echo "first sound in the WAV: $sound s after QEMU's start"
if [ -z "$ssh_at" ]; then
	show_log
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
	show_log
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
