#!/bin/sh
# powercut.sh - pulled plugs on the SD-card image (hw/image): the card
# booted again and again under qemu-system-aarch64 (lib.sh's vm_start),
# each time killed (SIGKILL of QEMU) at a random instant of one of four
# phases, in turn:
#   session  mid-session: 3..30 s after the start button
#   after    the end of a session: 0..20 s after the history shows it
#            completed (the history's database, the card's history.csv,
#            report.pdf and sheets being written)
#   lobby    0..20 s after READY, the coach speaking its lobby and
#            writing problems.txt and sheets
#   boot     0..(the last boot's READY) s after QEMU's start: fsck, the
#            mounts, the first boot's growing of the root, the journal
# The same card all along, as on a Pi. After each kill, on the host:
#   * fsck.vfat -n of the firmware partition says nothing at all, and
#     every file on it is what the image holds (it is mounted read-only);
#   * fsck.vfat -n of the REPCUE partition says nothing but the marks of a
#     cut (the dirty bit, clusters no file owns, a temporary of the
#     coach's card copier) and nothing about any file the person wrote;
#     every file the coach does not write is byte for byte what it was
#     before the boot; each file the coach writes back is whole (a PDF
#     from %PDF- to %%EOF, a CSV with its header and a last line ended);
# and the console of the boot: the coach never died (no restart by
# systemd), the root's check (e2fsck in the initrd) found no errors;
# and at the next boot, which must reach READY again (the REPCUE
# partition repaired by the boot's own fsck.vfat -a), every session the
# history showed completed before any kill is there still (over SSH,
# `repcue history --csv`). Before the second boot a routine is added to
# the REPCUE partition with mtools and a broken one beside it, as a person
# would on a laptop: problems.txt must then offer the first and name the
# second's file, line and fault.
#
# Buttons: the card's config.yaml makes a USB foot pedal the start button
# (evdev); the pedal is made in the VM through uinput (pedal.pl, lib.sh's
# vm_pedal_up) after each boot's READY, and a tap starts a session of a
# 20-s routine (tests/hw/short.yaml) offered first.
#
# Environment: REPCUE_IMAGE, REPCUE_IMAGE_BUILD (lib.sh's image_find);
#   REPCUE_IMAGE_KILLS  how many kills (default 4; at least 30 in the long
#                       run of tests/README.md)
#   REPCUE_IMAGE_SEED   the seed of the kill instants (default: the time)
#   REPCUE_IMAGE_KEEP   a folder: the card, logs and verdicts are kept there
# Exit: 0 pass, 77 skipped (says why), else failure.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/image/lib.sh"
image_tools
KILLS=${REPCUE_IMAGE_KILLS:-4}
SEED=${REPCUE_IMAGE_SEED:-$(date +%s)}
image_find

if [ -n "${REPCUE_IMAGE_KEEP:-}" ]; then
	WORK=$REPCUE_IMAGE_KEEP
	rm -rf "$WORK"
	mkdir -p "$WORK"
	trap 'vm_stop' EXIT
else
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/repcue-image-powercut.XXXXXX")
	trap 'vm_stop; rm -rf "$WORK"' EXIT
fi
export MTOOLS_SKIP_CHECK=1
DISK=$WORK/card.img
card_make "$DISK"
kernel_extract "$DISK"
ssh_key_on_card "$DISK"
FW=$(part_mtools "$DISK" 1)
CARD=$(part_mtools "$DISK" 2)
echo "power cuts: $KILLS kills, seed $SEED (REPCUE_IMAGE_SEED=$SEED repeats the instants)"

# --- the person's card: the short routine, offered first, and a USB
# pedal as the start button
sed 's/^name: Rig$/name: Short/' "$SRC/tests/hw/short.yaml" >"$WORK/short.yaml"
mcopy -o -i "$CARD" "$WORK/short.yaml" ::/repcue/routines/short.yaml
cat >"$WORK/config.yaml" <<'YAML'
repcue: 1
routines:
  default: short
inputs:
  - role: start
    evdev: {device: "repcue test pedal", key: KEY_A}
YAML
sed 's/$/\r/' "$WORK/config.yaml" >"$WORK/config.crlf"
mcopy -o -i "$CARD" "$WORK/config.crlf" ::/repcue/config.yaml

# sums PART OUT: every file of a FAT partition (mtools, no mount) and its
# sha256, a line each
sums() {
	rm -rf "$WORK/x"
	mkdir -p "$WORK/x"
	mcopy -s -n -i "$1" '::/*' "$WORK/x/" 2>"$2.err" || true
	(cd "$WORK/x" && find . -type f | LC_ALL=C sort | xargs -r sha256sum) | awk '{ print substr($2, 3), $1 }' >"$2"
}
# What the coach writes back onto the card (repcue-card.service's copier:
# src/cardcopy), and its temporaries (src/util/out_file.c: RCXXXXXX.TMP)
COACH_RE='^repcue/(problems\.txt|history\.csv|report\.pdf|sheets/[^/]*\.pdf)$'
TMP_RE='^repcue/(sheets/)?RC[A-Z0-9]{6}\.TMP$'
sums "$FW" "$WORK/fw-image.txt"

# rnd C MAX: the kill instant of cycle C, 0..MAX s, from the seed
rnd() {
	awk -v s="$SEED" -v c="$1" -v m="$2" 'BEGIN { srand(s + c * 7919); printf "%d", rand() * m }'
}
# completed: the sessions the history shows completed (date, routine,
# level, file, minutes: a session's own columns), a line each
# (fails when SSH or the command does: an empty answer is not "none")
completed() {
	vm_ssh 'REPCUE_STATE_DIR=/var/lib/repcue repcue history --csv' >"$WORK/history.csv" 2>>"$WORK/ssh.err" ||
		return 1
	tr -d '\r' <"$WORK/history.csv" |
		awk -F, 'NR > 1 && $6 == "completed" { print $1 "," $2 "," $3 "," $4 "," $5 }' | LC_ALL=C sort
}

: >"$WORK/sessions.txt" # every completed session seen so far
fails=0
last_ready=120
c=0
while [ $c -lt "$KILLS" ]; do
	c=$((c + 1))
	phase=$(echo "session after lobby boot" | cut -d ' ' -f $(((c - 1) % 4 + 1)))
	sums "$CARD" "$WORK/before-$c.txt"
	log=$WORK/serial-$c.log
	vm_start "$DISK" "$log" "$WORK/capture-$c.wav"
	problems=''
	what=''
	if [ "$phase" = boot ]; then
		# a kill before READY: the instant is within the last boot's
		delay=$(rnd $c "$last_ready")
		while kill -0 "$QEMU_PID" 2>/dev/null && [ $(($(now) - T0)) -lt "$delay" ]; do sleep 0.2; done
		what="${delay} s after QEMU's start"
		grep -a -q 'Started repcue.service' "$log" && what="$what (after READY)"
	elif ! vm_wait_ready "$log" 900; then
		problems="$problems no READY within $(($(now) - T0)) s (the last kill's damage?);"
	else
		last_ready=$READY
		# the history and the card as the coach left them before this
		# boot's kill: every session completed so far must be there
		if vm_ssh_wait $(($(now) + 300)); then
			completed >"$WORK/seen-$c.txt" ||
				problems="$problems repcue history --csv failed over SSH: $(tail -n 2 "$WORK/ssh.err" | tr '\n' ' ');"
			missing=$(LC_ALL=C comm -23 "$WORK/sessions.txt" "$WORK/seen-$c.txt")
			[ -z "$missing" ] || problems="$problems completed sessions missing from the history: $(echo "$missing" | tr '\n' ' ');"
			LC_ALL=C sort -u "$WORK/sessions.txt" "$WORK/seen-$c.txt" -o "$WORK/sessions.txt"
			vm_pedal_up >"$WORK/pedal-$c.txt" 2>&1 ||
				problems="$problems the pedal: $(tr '\n' ' ' <"$WORK/pedal-$c.txt");"
			if [ $c = 2 ]; then
				# the routines added while the card was out (below)
				i=0
				while [ $i -lt 60 ]; do
					vm_ssh 'cat /media/repcue/repcue/problems.txt' >"$WORK/problems-2.txt" 2>>"$WORK/ssh.err" || true
					grep -q 'routines/added.yaml (Added)' "$WORK/problems-2.txt" && break
					sleep 5
					i=$((i + 1))
				done
				grep -q 'routines/added.yaml (Added)' "$WORK/problems-2.txt" ||
					problems="$problems problems.txt does not offer routines/added.yaml:$(tr '\n' ' ' <"$WORK/problems-2.txt" | cut -c1-300);"
				grep -q "routines/broken.yaml:$BROKEN_LINE:[0-9]*: error: " "$WORK/problems-2.txt" ||
					problems="$problems problems.txt does not name routines/broken.yaml:$BROKEN_LINE;"
			fi
		else
			problems="$problems no SSH with the card's key within 300 s of READY;"
		fi
		case $phase in
		lobby)
			delay=$(rnd $c 20)
			sleep "$delay"
			what="$delay s after READY (lobby)"
			;;
		session)
			vm_tap || problems="$problems the pedal's tap failed over SSH;"
			delay=$((3 + $(rnd $c 27)))
			sleep "$delay"
			what="$delay s after the start button"
			;;
		after)
			vm_tap || problems="$problems the pedal's tap failed over SSH;"
			t_press=$(now)
			# until the history shows one completed session more
			n0=$(wc -l <"$WORK/sessions.txt")
			while [ $(($(now) - t_press)) -lt 300 ]; do
				completed >"$WORK/now-$c.txt" || true
				LC_ALL=C sort -u "$WORK/sessions.txt" "$WORK/now-$c.txt" -o "$WORK/sessions.txt"
				[ "$(wc -l <"$WORK/sessions.txt")" -gt "$n0" ] && break
				sleep 4
			done
			if [ "$(wc -l <"$WORK/sessions.txt")" -gt "$n0" ]; then
				delay=$(rnd $c 20)
				sleep "$delay"
				what="$delay s after the session was in the history ($(($(now) - t_press)) s after the start button)"
			else
				problems="$problems no completed session in the history 300 s after the start button;"
				what="300 s after the start button"
			fi
			;;
		esac
	fi
	vm_kill

	# --- the boot as the console showed it: the coach never died (a
	# restart by systemd would pass unseen otherwise: READY came before),
	# and the root's check found nothing the journal did not mend
	died=$(grep -a -E 'repcue\.service: (Main process exited|Watchdog timeout)' "$log" | head -n 2 | tr '\n' ' ')
	[ -z "$died" ] || problems="$problems the coach died: $died;"
	rootfs=$(grep -a -E 'EXT4-fs error|UNEXPECTED INCONSISTENCY|RASPIROOT contains a file system with errors' "$log" |
		head -n 2 | tr '\n' ' ')
	[ -z "$rootfs" ] || problems="$problems the root: $rootfs;"

	# --- the firmware partition: read-only, so untouched
	part_copy "$DISK" 1 "$WORK/fw.part"
	fsck.vfat -n "$WORK/fw.part" >"$WORK/fsck-fw-$c.txt" 2>&1 || true
	bad=$(grep -v -E '^fsck\.fat |^Leaving filesystem unchanged|: [0-9]+ files, [0-9]+/[0-9]+ clusters$|^ *$' \
		"$WORK/fsck-fw-$c.txt" || true)
	[ -z "$bad" ] || problems="$problems fsck.vfat -n of the firmware partition: $(echo "$bad" | tr '\n' ' ');"
	sums "$FW" "$WORK/fw-$c.txt"
	cmp -s "$WORK/fw-image.txt" "$WORK/fw-$c.txt" ||
		problems="$problems the firmware partition changed: $(diff "$WORK/fw-image.txt" "$WORK/fw-$c.txt" | head -n 4 | tr '\n' ' ');"

	# --- the REPCUE partition: what fsck.vfat -n says (a block: a /path
	# line, then indented details), allowed only for the marks of a cut
	# and the coach's own files
	part_copy "$DISK" 2 "$WORK/card.part"
	fsck.vfat -n "$WORK/card.part" >"$WORK/fsck-card-$c.txt" 2>&1 || true
	bad=$(awk -v x='[A-Z0-9]' '
		/^fsck\.fat / || /^Dirty bit is set/ || /Automatically removing dirty bit/ ||
		/^Leaving filesystem unchanged/ || /: [0-9]+ files, [0-9]+\/[0-9]+ clusters$/ || /^ *$/ ||
		/Reclaimed [0-9]+ unused clusters?/ || /Free cluster summary/ || /^ *Auto-correcting\.$/ ||
		/^FATs differ/ { blk = ""; next }
		# the boot sector and its backup differ in byte 65 alone: the
		# dirty flag Linux sets in the first while mounted (FAT32)
		/^There are differences between boot sector and its backup/ || /^This is mostly harmless/ ||
		/^  65:01\/00$/ || /^  Not automatically fixing this\.$/ { blk = ""; next }
		/^\// { blk = $0; p = $0; sub(/ +and$/, "", p); sub(/^\//, "", p)
			ok = (p ~ "^repcue/(sheets/)?RC" x x x x x x "\\.TMP$") ||
			     (p ~ "^repcue/(problems\\.txt|history\\.csv|report\\.pdf|sheets/[^/]*\\.pdf)$")
			if (!ok) print; next }
		/^  / && blk != "" { if (!ok) print; next }
		{ print }' "$WORK/fsck-card-$c.txt")
	[ -z "$bad" ] || problems="$problems fsck.vfat -n of REPCUE: $(echo "$bad" | tr '\n' ' ');"
	sums "$CARD" "$WORK/after-$c.txt"
	# every file the coach does not write: as before the boot
	while read -r p h; do
		echo "$p" | grep -Eq "$COACH_RE|$TMP_RE" && continue
		a=$(awk -v p="$p" '$1 == p { print $2 }' "$WORK/after-$c.txt")
		[ "$a" = "$h" ] || problems="$problems $p ${a:+changed}${a:-lost};"
	done <"$WORK/before-$c.txt"
	# what the coach wrote: whole
	while read -r p h; do
		echo "$p" | grep -Eq "$TMP_RE" && continue
		if ! echo "$p" | grep -Eq "$COACH_RE"; then
			grep -q "^$p " "$WORK/before-$c.txt" || problems="$problems $p appeared;"
			continue
		fi
		f=$WORK/x/$p
		case "$p" in
		*.pdf) [ "$(head -c 5 "$f")" = "%PDF-" ] && tail -c 32 "$f" | grep -aq '%%EOF' ||
			problems="$problems $p is not a whole PDF;" ;;
		*.csv) head -n 1 "$f" | grep -q '^date,routine,' && [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] ||
			problems="$problems $p is not a whole table;" ;;
		*.txt) [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || problems="$problems $p is cut short;" ;;
		esac
	done <"$WORK/after-$c.txt"
	marks=$(grep -c -v -E '^fsck\.fat |^Leaving|: [0-9]+ files, |^ *$' "$WORK/fsck-card-$c.txt" || true)
	if [ -n "$problems" ]; then
		fails=$((fails + 1))
		echo "RESULT kill $c $phase FAIL: killed $what;$problems"
		show_log "$log" | tail -n 40
	else
		echo "RESULT kill $c $phase PASS: killed $what; fsck.vfat -n: firmware clean, REPCUE $marks line(s) of a cut; $(wc -l <"$WORK/sessions.txt") completed sessions so far"
	fi

	# --- before the second boot: the card in a laptop, a routine added
	# and a broken one (an unknown kind on its line 13)
	if [ $c = 1 ]; then
		sed 's/^name: Short$/name: Added/' "$WORK/short.yaml" >"$WORK/added.yaml"
		mcopy -o -i "$CARD" "$WORK/added.yaml" ::/repcue/routines/added.yaml
		sed 's/^    kind: reps$/    kind: sideways/' "$WORK/short.yaml" >"$WORK/broken.yaml"
		BROKEN_LINE=$(grep -n '^    kind: sideways$' "$WORK/broken.yaml" | head -n 1 | cut -d: -f1)
		mcopy -o -i "$CARD" "$WORK/broken.yaml" ::/repcue/routines/broken.yaml
	fi
done

# --- the last boot: READY once more, every completed session there, and
# the clock. A Pi has no clock chip; QEMU's virt machine has one, set here
# years behind (as a Pi's clock starts when nothing sets it), so the
# clock at READY is what the image's fake-hwclock made of it: no earlier
# than the newest session in the history (hw/image/files/
# repcue-clock-save.service saves it after every write to the card).
VM_QEMU_ARGS="-rtc base=2021-01-01T00:00:00"
vm_start "$DISK" "$WORK/serial-last.log" "$WORK/capture-last.wav"
VM_QEMU_ARGS=
if ! vm_wait_ready "$WORK/serial-last.log" 900; then
	show_log "$WORK/serial-last.log"
	fail "the card did not boot to READY after the last kill ($fails of $KILLS kills failed before)"
fi
vm_ssh_wait $(($(now) + 300)) || fail "no SSH with the card's key after the last boot"
completed >"$WORK/seen-last.txt" || fail "repcue history --csv failed over SSH: $(tail -n 2 "$WORK/ssh.err")"
clock=$(vm_ssh "date -u '+%Y-%m-%d %H:%M'" 2>>"$WORK/ssh.err") || fail "date over SSH failed"
vm_stop
missing=$(LC_ALL=C comm -23 "$WORK/sessions.txt" "$WORK/seen-last.txt")
[ -z "$missing" ] || fail "completed sessions missing from the history at the last boot: $missing"
n=$(wc -l <"$WORK/sessions.txt")
[ "$KILLS" -lt 2 ] || [ "$n" -ge 1 ] || fail "no session completed in $KILLS boots: the history check proved nothing"
newest=$(cut -d, -f1 "$WORK/seen-last.txt" | LC_ALL=C sort | tail -n 1)
if [ -n "$newest" ] && [ "$(printf '%s\n%s\n' "$newest" "$clock" | LC_ALL=C sort | tail -n 1)" != "$clock" ]; then
	fail "the clock with the real-time clock at 2021 came up at $clock, before the newest session ($newest): fake-hwclock did not keep it"
fi
echo "clock at READY with the RTC at 2021-01-01: $clock UTC (the newest session: ${newest:-none})"
[ "$fails" = 0 ] || fail "$fails of $KILLS kills failed a check (RESULT lines above)"
echo "ok: $KILLS kills (seed $SEED), each booted to READY again; nothing lost on either FAT partition; all $n completed sessions in the history (QEMU TCG; not a Pi)"
