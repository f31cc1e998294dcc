# lib.sh - what the image tests share (sourced by boot.sh and powercut.sh):
# finding (or building) the image, a card made of it, the VM that boots
# the card, and reaching into it. The caller sets SRC and WORK (a folder
# of its own, removed on exit) and calls vm_stop on exit. Every wait is
# for a condition, bounded by a time limit, never a sleep-then-check.

now() { date +%s; }
skip() {
	echo "SKIP: $*"
	exit 77
}
fail() {
	echo "FAIL: $*"
	exit 1
}

image_tools() {
	for tool in qemu-system-aarch64 mcopy mdir mlabel sfdisk python3 xz ssh ssh-keygen fsck.vfat; do
		command -v "$tool" >/dev/null 2>&1 ||
			skip "$tool not found (apt-get install qemu-system-arm mtools fdisk dosfstools python3 xz-utils openssh-client)"
	done
}

# image_find: IMAGE := $REPCUE_IMAGE (.img or .img.xz), else the newest
# SRC/build/image/repcue-*-arm64.img; with none, hw/image/build.sh makes
# one if its arm64 root is cached (or REPCUE_IMAGE_BUILD=1: also cold),
# else this skips.
image_find() {
	IMAGE=${REPCUE_IMAGE:-}
	[ -n "$IMAGE" ] || IMAGE=$(ls -t "$SRC"/build/image/repcue-*-arm64.img 2>/dev/null | head -n 1 || true)
	if [ -z "$IMAGE" ]; then
		if [ "${REPCUE_IMAGE_BUILD:-}" = 1 ]; then
			sh "$SRC/hw/image/build.sh" --out "$SRC/build/image"
		else
			rc=0
			sh "$SRC/hw/image/build.sh" --if-cached --out "$SRC/build/image" || rc=$?
			[ "$rc" = 77 ] && skip "no image in $SRC/build/image and no cached arm64 root (REPCUE_IMAGE_BUILD=1 builds one cold, about 45 min)"
			[ "$rc" = 0 ] || exit "$rc"
		fi
		IMAGE=$(ls -t "$SRC"/build/image/repcue-*-arm64.img | head -n 1)
	fi
	[ -r "$IMAGE" ] || skip "$IMAGE not readable"
	echo "image: $IMAGE"
}

# card_make DISK: the image written to a card 1 GiB bigger than itself (a
# copy: the image is never changed). Sets ROOT_MIB, the root partition's
# size before the first boot.
card_make() {
	case "$IMAGE" in
	*.xz) xz -dc "$IMAGE" >"$1" ;;
	*) cp --sparse=always "$IMAGE" "$1" ;;
	esac
	ROOT_MIB=$(($(part_field "$1" 3 size) / 2048))
	truncate -s +1G "$1"
}

# part_field DISK N start|size: partition N's start or size in sectors.
part_field() {
	sfdisk -d "$1" | sed -n "s/^[^:]*$2 : .*$3= *\([0-9]*\),.*/\1/p"
}
# part_mtools DISK N: partition N as mtools names it (-i "DISK@@OFFSET")
part_mtools() {
	echo "$1@@$(($(part_field "$1" "$2" start) * 512))"
}
# part_copy DISK N FILE: partition N alone, for fsck.vfat (which takes no
# offset)
part_copy() {
	dd if="$1" of="$3" bs=512 skip="$(part_field "$1" "$2" start)" count="$(part_field "$1" "$2" size)" \
		status=none
}

# kernel_extract DISK: the newest kernel and its initrd, copied out of the
# firmware partition (the first) into WORK/vmlinuz and WORK/initrd.img.
# Sets KERNEL (vmlinuz-VERSION).
kernel_extract() {
	fw=$(part_mtools "$1" 1)
	KERNEL=$(mdir -b -i "$fw" :: | sed -n 's|^::/||p' | grep '^vmlinuz-' | sort -V | tail -n 1)
	[ -n "$KERNEL" ] || fail "no vmlinuz-* on the firmware partition of $1"
	mcopy -n -i "$fw" "::/$KERNEL" "$WORK/vmlinuz"
	mcopy -n -i "$fw" "::/initrd.img-${KERNEL#vmlinuz-}" "$WORK/initrd.img"
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ssh_key_on_card DISK: what a person who wants SSH writes on the drive
# (hw/image/README.md): a key made for the test in repcue/ssh-key.txt.
# Sets SSH_PORT, the host port QEMU forwards to the VM's 22.
ssh_key_on_card() {
	[ -f "$WORK/id" ] || ssh-keygen -q -t ed25519 -N '' -C repcue-image-test -f "$WORK/id"
	mcopy -o -i "$(part_mtools "$1" 2)" "$WORK/id.pub" ::/repcue/ssh-key.txt
	SSH_PORT=${SSH_PORT:-$(free_port)}
}

# vm_start DISK LOG WAV [CMDLINE...]: boots the card under
# qemu-system-aarch64 -M virt -cpu cortex-a53 -m 512 (TCG), the kernel
# and initrd of kernel_extract, the card as a virtio disk (written: what
# the VM writes stays, as on a card), a USB sound card whose output QEMU
# writes to WAV, QEMU's user network
# with SSH forwarded, the serial console in LOG, the monitor on a socket.
# VM_QEMU_ARGS: more QEMU options (split at spaces), e.g. a wrong clock.
# Sets QEMU_PID and T0 (its start).
#
# The command line is the card's cmdline.txt with QEMU's serial port
# (ttyAMA0 is the PL011 of -M virt) and the journal on the console, so the
# log shows the coach's own lines too. Under TCG a PortAudio call (listing
# the USB sound card's ALSA devices) takes longer than the 2 s a real Pi's
# coach allows before it calls the device wedged, so systemd.setenv gives
# every service of this emulated boot a longer bound (the image itself
# keeps the default). glibc's own fatal messages (a failed check in free()
# or a fortified call) go to stderr, the journal, rather than /dev/tty.
vm_start() {
	disk=$1 log=$2 wav=$3
	shift 3
	cmdline="console=ttyAMA0 root=LABEL=RASPIROOT rw rootwait fsck.repair=yes systemd.journald.forward_to_console=1"
	cmdline="$cmdline systemd.setenv=REPCUE_TEST_CALL_TIMEOUT_MS=30000 systemd.setenv=LIBC_FATAL_STDERR_=1 $*"
	rm -f "$WORK/monitor"
	T0=$(now)
	qemu-system-aarch64 -M virt -cpu cortex-a53 -m 512 -smp 2 \
		-display none -serial "file:$log" -monitor "unix:$WORK/monitor,server=on,wait=off" \
		-nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$SSH_PORT-:22" \
		-kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" -append "$cmdline" \
		-drive "file=$disk,format=raw,if=none,id=card,cache=writeback" -device virtio-blk-pci,drive=card \
		-device virtio-rng-pci \
		-audiodev "wav,id=snd0,path=$wav,out.frequency=48000,out.channels=2,out.format=s16" -device qemu-xhci -device usb-audio,audiodev=snd0 \
		${VM_QEMU_ARGS:-} \
		>"$WORK/qemu.out" 2>&1 &
	QEMU_PID=$!
}

# vm_kill: the plug pulled (SIGKILL: QEMU writes nothing more to the card)
vm_kill() {
	[ -n "${QEMU_PID:-}" ] || return 0
	kill -KILL "$QEMU_PID" 2>/dev/null || true
	wait "$QEMU_PID" 2>/dev/null || true
	QEMU_PID=
}
# vm_stop: QEMU ended (at the end of a test, or on its failure)
vm_stop() {
	[ -n "${QEMU_PID:-}" ] || return 0
	kill -TERM "$QEMU_PID" 2>/dev/null || true
	wait "$QEMU_PID" 2>/dev/null || true
	QEMU_PID=
}

# vm_wait_ready LOG TIMEOUT: waits until systemd says repcue.service
# started (Type=notify: only after the coach's READY=1), its start failed
# for good, QEMU ended or TIMEOUT s passed since T0. Sets READY (seconds
# since T0; empty if it did not come).
vm_wait_ready() {
	READY=
	while :; do
		if grep -a -q 'Started repcue.service' "$1" 2>/dev/null; then
			READY=$(($(now) - T0))
			return 0
		fi
		# (a failed start is retried: Restart=on-failure; systemd gives
		# up after five in ten seconds)
		grep -a -q 'repcue.service: Start request repeated too quickly' "$1" 2>/dev/null && return 1
		kill -0 "$QEMU_PID" 2>/dev/null || return 1
		[ $(($(now) - T0)) -lt "$2" ] || return 1
		sleep 1
	done
}

# vm_ssh CMD...: runs CMD on the VM as root with the card's key, its
# stdin from /dev/null; vm_ssh_stdin: this stdin.
vm_ssh() {
	vm_ssh_stdin "$@" </dev/null
}
vm_ssh_stdin() {
	ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o ConnectTimeout=20 -o LogLevel=ERROR -i "$WORK/id" -p "$SSH_PORT" root@127.0.0.1 "$@"
}
# vm_ssh_wait UNTIL: tries vm_ssh true until it answers (sshd starts
# after the card's key is read, slowly under TCG) or until UNTIL (an
# absolute time, `now`). Sets SSH_AT (seconds since T0) on success.
vm_ssh_wait() {
	SSH_AT=
	while kill -0 "$QEMU_PID" 2>/dev/null && [ "$(now)" -lt "$1" ]; do
		if vm_ssh true 2>"$WORK/ssh.err"; then
			SSH_AT=$(($(now) - T0))
			return 0
		fi
		sleep 3
	done
	return 1
}

# vm_pedal_up: a USB foot pedal, "repcue test pedal" (KEY_A), made in the
# VM through uinput by pedal.pl (it says why not QEMU's own keyboard),
# for as long as the VM runs; returns once the coach has the pedal's
# event device open (it looks for a missing pedal once a second), so a
# tap is not lost. Needs vm_ssh_wait first.
vm_pedal_up() {
	vm_ssh_stdin 'cat > /run/repcue-pedal.pl' <"$SRC/tests/image/pedal.pl" || return 1
	vm_ssh 'modprobe uinput || exit 1
		setsid perl /run/repcue-pedal.pl </dev/null >/run/repcue-pedal.log 2>&1 &
		i=0
		while [ $i -lt 100 ]; do
			ev=$(grep -A 5 "Name=\"repcue test pedal\"" /proc/bus/input/devices | sed -n "s/.*Handlers=.*\(event[0-9]*\).*/\1/p")
			pid=$(systemctl show -P MainPID repcue.service)
			[ -n "$ev" ] && ls -l /proc/$pid/fd 2>/dev/null | grep -q "/dev/input/$ev\$" && exit 0
			sleep 0.2
			i=$((i + 1))
		done
		echo "the coach (pid $pid) did not open the pedal ($ev) within 20 s"; cat /run/repcue-pedal.log
		exit 1'
}
# vm_tap: a tap of the pedal (pressed, released 150 ms later)
vm_tap() {
	vm_ssh 'touch /run/repcue-pedal-tap'
}

# wav_loud WAV: whether the capture holds a sample above -40 dBFS. QEMU
# writes the WAV header at the end, so the samples are read raw (16-bit
# stereo, after the 44-byte header).
wav_loud() {
	python3 - "$1" <<'PY'
import array, sys
try:
    data = open(sys.argv[1], "rb").read()[44:]
except OSError:
    sys.exit(1)
s = array.array("h", data[: len(data) // 2 * 2])
sys.exit(0 if any(abs(x) > 327 for x in s) else 1)
PY
}

# show_log LOG: the serial console's end (the coach's lines first) and
# what QEMU said, for a failure
show_log() {
	echo "--- serial console (last 60 lines; repcue's lines first)"
	grep -a -i 'repcue' "$1" | tail -n 30 || true
	echo "---"
	tail -n 60 "$1" || true
	cat "$WORK/qemu.out" 2>/dev/null || true
}
