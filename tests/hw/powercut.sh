# powercut.sh - power cuts on the card (tests/hw/README.md, "Power cuts"),
# sourced by `rig.sh SUITE powercut` after it made the kernel, the
# initramfs, the root and the suite's .deb ready (the systemd mode's steps
# 1-6; the package is installed at the first boot). Then, KILLS times:
# boot the VM on the same card image, let vm/powercut-driver.sh keep
# repcue-card.service writing the card folder, SIGKILL QEMU at a random
# instant, and judge the image on the host:
#   * `fsck.vfat -n` finds nothing but the marks of a cut (the dirty bit,
#     clusters of a file whose write was cut) and nothing about any file
#     but the one in flight and the copier's temporaries (their clusters
#     shared with it when the cut fell inside the rename);
#   * every file of the card but the copier's three is byte for byte what
#     it was before the boot: the firmware, config.txt, the routines, the
#     README; no file appeared but a temporary (RCXXXXXX.TMP) and, at the
#     first boot, what the postinst seeds and the coach's sheets, each a
#     whole PDF;
#   * each of the copier's files is whole: the version the copier last
#     finished (or the one before this boot), or the one it was writing;
# then repairs the image with `fsck.vfat -a` (as the Pi's boot does, fstab
# pass 2) for the next boot.
# Variables (besides rig.sh's):
#   REPCUE_POWERCUT_KILLS   how many boots and kills (default 3)
#   REPCUE_POWERCUT_SEED    the seed of the kill instants (default: the time)
#   REPCUE_POWERCUT_WINDOW  kills fall 0..WINDOW s after the writing began (12)
#   REPCUE_POWERCUT_BOOT_TIMEOUT  seconds from QEMU's start to the writer's GO
#                           (900 for the first boot, 480 for the others)
# (rig.sh runs with -e: here every failure is judged, not fatal; a
# killed QEMU's `wait` alone returns 137)
set +e
KILLS=${REPCUE_POWERCUT_KILLS:-3}
SEED=${REPCUE_POWERCUT_SEED:-$(date +%s)}
WINDOW=${REPCUE_POWERCUT_WINDOW:-12}
OUT=$W/runs/$SUITE-powercut; rm -rf "$OUT"; mkdir -p "$OUT"
S=$OUT/summary.txt; : > "$S"
IMG=$OUT/card.img
export MTOOLS_SKIP_CHECK=1
CARDOUT="problems.txt history.csv report.pdf"
res(){ printf 'RESULT %s %s %ss %s\n' "$1" "$2" "$3" "$(printf '%s' "$4" | tr '\n' '|' | cut -c1-600)" | tee -a "$S"; }
echo "rig: power cuts: $KILLS kills, seed $SEED (REPCUE_POWERCUT_SEED=$SEED repeats the instants), window $WINDOW s"

# --- the card: a Pi's boot partition with firmware files (random bytes of
# their sizes: what matters is that not one changes)
rm -f "$IMG"; truncate -s 64M "$IMG"
mkfs.vfat -n bootfs "$IMG" > /dev/null 2>&1 || die "mkfs.vfat failed on $IMG"
F=$OUT/firmware; mkdir -p "$F/overlays"
printf '# written by tests/hw/powercut.sh\r\narm_64bit=1\r\n' > "$F/config.txt"
printf 'console=serial0,115200 root=PARTUUID=00000000-02 rootwait\n' > "$F/cmdline.txt"
head -c 2975744 /dev/urandom > "$F/start4.elf"; head -c 5399 /dev/urandom > "$F/fixup4.dat"
head -c 8302080 /dev/urandom > "$F/kernel8.img"; head -c 52593 /dev/urandom > "$F/bcm2711-rpi-4-b.dtb"
head -c 3961 /dev/urandom > "$F/overlays/vc4-kms-v3d.dtbo"
mcopy -s -i "$IMG" "$F"/* ::/ || die "mcopy onto $IMG failed"
rm -rf "$F"

# sums IMG FILE: every file of the image (mtools, no mount) and its sha256
sums(){
	rm -rf "$OUT/x"; mkdir -p "$OUT/x"
	mcopy -s -n -i "$IMG" '::/*' "$OUT/x/" 2> "$2.err"
	(cd "$OUT/x" && find . -type f | LC_ALL=C sort | xargs -r sha256sum) | awk '{ print substr($2, 3), $1 }' > "$2"
	rm -rf "$OUT/x"
}
# the copier's temporaries on FAT: an 8.3 name, RCXXXXXX.TMP, one
# directory entry (src/util/out_file.c), in the folder or in sheets/
TMPRE='^repcue/(sheets/)?RC[A-Z0-9]{6}\.TMP$'

fails=0 inflight=0 t_all=$(date +%s)
c=0
while [ $c -lt "$KILLS" ]; do
	c=$((c + 1)); tc=$(date +%s)
	sums "$IMG" "$OUT/before-$c.txt"
	# the package is installed at the first boot only; the card and the
	# root (the coach's state, its outbox) carry over, as on a Pi
	[ $c -gt 1 ] && rm -f "$R/hwrig/install-at-boot"
	# From the second boot on, the coach is masked (on the kernel's
	# command line: nothing in the root changes), and so is the gpio-sim
	# chip it alone uses: the card is seeded and the coach's problems.txt
	# is in its outbox, and what is cut is the copier's writing, which
	# the writer drives. The coach cost minutes of TCG per boot (its
	# lobby) and at a second boot once waited for ever for a sound
	# device (README, "Power cuts: the runs").
	[ $c -gt 1 ] && ca="systemd.mask=repcue.service systemd.mask=rig-hardware.service" || ca=""
	CON=$OUT/console-$c.log
	qemu-system-x86_64 -accel tcg -cpu max -m "${REPCUE_HW_MEM:-1536}" \
		-smp "${REPCUE_HW_SMP:-2}" -nographic -no-reboot -kernel "$K/boot/vmlinuz-$KV" -initrd "$I" \
		-virtfs local,path="$R",mount_tag=root,security_model=passthrough,id=root \
		-drive file="$IMG",format=raw,if=virtio \
		-append "$A hwrig.cycle=$c${ca:+ $ca}" > "$CON" 2>&1 < /dev/null &
	QP=$!
	# until the driver says GO (the coach in its lobby, the copier idle)
	# (the first boot installs the package and synthesizes the lobby with
	# a cold speech cache: 270 s to the writer under TCG on a loaded host)
	[ $c = 1 ] && bt=900 || bt=480
	end=$(( $(date +%s) + ${REPCUE_POWERCUT_BOOT_TIMEOUT:-$bt} ))
	while ! tr -d '\r' < "$CON" | grep -aq '^PC GO'; do
		if ! kill -0 $QP 2> /dev/null || [ "$(date +%s)" -ge $end ] || tr -d '\r' < "$CON" | grep -aq '^PC FAIL'; then
			kill -9 $QP 2> /dev/null; wait $QP 2> /dev/null
			res powercut_$c FAIL $(( $(date +%s) - tc )) "the VM did not get to writing the card: $(tr -d '\r' < "$CON" | grep -a -E '^PC |RIG_|rig:' | tail -3)"
			fails=$((fails + 1)); continue 2
		fi
		sleep 0.5
	done
	tgo=$(date +%s)
	delay=$(awk -v s="$SEED" -v c=$c -v w="$WINDOW" 'BEGIN { srand(s + c * 7919); printf "%.2f", rand() * w }')
	sleep "$delay"
	kill -9 $QP; wait $QP 2> /dev/null
	tr -d '\r' < "$CON" | grep -a '^PC ' > "$OUT/pc-$c.txt"

	# --- what each of the copier's files may hold: the version last
	# finished this boot (else the one before the boot), or the one
	# being written when the power went
	: > "$OUT/allowed-$c.txt"; flight=""
	for n in $CARDOUT; do
		awk -v n=$n '$2 == "BASE" && $3 == n { d = $4; dk = 0 }
			$2 == "DURABLE" && $3 == n { d = $5; dk = $4 }
			$2 == "WRITE" && $3 == n && length($5) == 64 { w = $5; wk = $4 }
			END { print n, d; if (wk > dk) print n, w, "inflight", wk }' "$OUT/pc-$c.txt" >> "$OUT/allowed-$c.txt"
	done
	flight=$(awk '$3 == "inflight" { print $1 " version " $4 }' "$OUT/allowed-$c.txt")
	[ -n "$flight" ] && inflight=$((inflight + 1))
	fname=${flight%% *}
	durable=$(grep -c '^PC DURABLE' "$OUT/pc-$c.txt")

	# --- fsck first, read-only, on the image as the cut left it
	fsck.vfat -n "$IMG" > "$OUT/fsck-$c.txt" 2>&1; frc=$?
	# what it may say: the marks of a cut; about files, only the one in
	# flight and the temporaries (a block: a /path line, indented details)
	# (x: one letter or digit; Debian's mawk has no {6}. A long-name
	# fragment: of the name in flight (its first copy makes a long-name
	# entry and a short one, which a cut may split), or one the last
	# repair left, which `fsck.vfat -a` never corrects and a laptop's
	# system ignores; "FATs differ": the cut fell between the two copies
	# of the FAT, the first of which fsck keeps.)
	prev=$OUT/fsck-repair-$((c - 1)).txt
	bad_fsck=$(awk -v f="$fname" -v x='[A-Z0-9]' -v prev="$prev" '
		BEGIN { while ((getline l < prev) > 0) left[l] = 1 }
		/^fsck\.fat / || /^Dirty bit is set/ || /Automatically removing dirty bit/ ||
		/^Leaving filesystem unchanged/ || /: [0-9]+ files, [0-9]+\/[0-9]+ clusters$/ || /^ *$/ ||
		/Reclaimed [0-9]+ unused clusters?/ || /Free cluster summary/ ||
		/^FATs differ/ { blk = ""; next }
		/^Long filename fragment "/ { blk = $0; frag = $0; sub(/^Long filename fragment "/, "", frag)
			sub(/" found.*/, "", frag); ok = (left[$0] || (f != "" && frag != "" && index(f, frag) > 0))
			if (!ok) print; next }
		/^\// { blk = $0; p = $0; sub(/ +and$/, "", p)   # "/A  and" "/B" "  share clusters."
			ok = (p ~ "^/repcue/(sheets/)?RC" x x x x x x "\\.TMP$") || (f != "" && p == "/repcue/" f)
			if (!ok) print; next }
		/^  / && blk != "" { if (!ok) print; next }
		{ print }' "$OUT/fsck-$c.txt")
	sums "$IMG" "$OUT/after-$c.txt"

	# --- the files
	problems=""
	while read -r p h; do
		case " $CARDOUT " in *" ${p#repcue/} "*) [ "${p%/*}" = repcue ] && continue ;; esac
		echo "$p" | grep -Eq "$TMPRE" && continue
		a=$(awk -v p="$p" '$1 == p { print $2 }' "$OUT/after-$c.txt")
		[ "$a" = "$h" ] || problems="$problems $p ${a:+changed}${a:-lost};"
	done < "$OUT/before-$c.txt"
	temps=0
	while read -r p h; do
		if echo "$p" | grep -Eq "$TMPRE"; then temps=$((temps + 1)); continue; fi
		# the file in flight under its short name alone (HISTORY.CSV): a
		# cut inside its first copy kept the short entry, not the long one
		if [ -n "$fname" ] && [ "$p" != "repcue/$fname" ] &&
			[ "$(echo "$p" | tr a-z A-Z)" = "$(echo "repcue/$fname" | tr a-z A-Z)" ]; then
			awk -v n="$fname" -v h="$h" '$1 == n && $2 == h { f = 1 } END { exit !f }' "$OUT/allowed-$c.txt" ||
				problems="$problems $p (the file in flight under its short name) is neither version;"
			continue
		fi
		awk -v p="$p" '$1 == p { f = 1 } END { exit !f }' "$OUT/before-$c.txt" && continue
		# (the first boot installs the package: its postinst seeds the
		# folder, and the coach's first lobby draws a sheet of each
		# routine, which the copier puts in sheets/ before GO)
		[ $c = 1 ] && case "$p" in repcue/README.txt | repcue/routines/*) continue ;; esac
		if [ $c = 1 ] && case "$p" in repcue/sheets/*.pdf) true ;; *) false ;; esac; then
			mcopy -n -i "$IMG" "::/$p" "$OUT/sheet.pdf" 2> /dev/null
			[ "$(head -c 5 "$OUT/sheet.pdf" 2> /dev/null)" = "%PDF-" ] && tail -c 32 "$OUT/sheet.pdf" | grep -aq '%%EOF' ||
				problems="$problems $p is not a whole PDF;"
			rm -f "$OUT/sheet.pdf"; continue
		fi
		case " $CARDOUT " in *" ${p#repcue/} "*) [ "${p%/*}" = repcue ] && continue ;; esac
		problems="$problems $p appeared;"
	done < "$OUT/after-$c.txt"
	held=""
	for n in $CARDOUT; do
		a=$(awk -v p="repcue/$n" '$1 == p { print $2 }' "$OUT/after-$c.txt"); a=${a:--}
		if awk -v n=$n -v a="$a" '$1 == n && $2 == a { f = 1 } END { exit !f }' "$OUT/allowed-$c.txt"; then
			case "$n" in "$fname")
				[ "$(awk -v n=$n '$1 == n && $3 == "inflight" { print $2 }' "$OUT/allowed-$c.txt")" = "$a" ] &&
					held="$n holds the new version" || held="$n holds the previous version" ;;
			esac
		else
			problems="$problems repcue/$n is neither version (sha256 ${a%"${a#????????????}"});"
		fi
	done
	grep -aE '^PC (STUCK|FAIL|LIMIT)' "$OUT/pc-$c.txt" > "$OUT/driver-$c.txt"
	grep -q 'STUCK\|FAIL' "$OUT/driver-$c.txt" && problems="$problems the writer: $(tr '\n' ' ' < "$OUT/driver-$c.txt");"
	[ -n "$bad_fsck" ] && problems="$problems fsck.vfat -n: $(echo "$bad_fsck" | tr '\n' ' ');"
	fs=$(grep -v -E '^fsck\.fat |^ *$|^Leaving' "$OUT/fsck-$c.txt" | tr '\n' ' ' | cut -c1-160)

	# --- repaired for the next boot, as the Pi's own fsck at boot would
	fsck.vfat -a -w "$IMG" > "$OUT/fsck-repair-$c.txt" 2>&1
	note="killed ${delay} s after writing began (${durable} copies finished this boot); in flight: ${flight:-nothing (between two copies)}${held:+, $held}; fsck -n rc $frc: ${fs:-clean}; temporaries on the card: $temps; cycle $(( $(date +%s) - tc )) s (boot to writing $(( tgo - tc )) s)"
	if [ -z "$problems" ]; then res powercut_$c PASS $(( $(date +%s) - tc )) "$note"
	else res powercut_$c FAIL $(( $(date +%s) - tc )) "$problems $note"; fails=$((fails + 1)); fi
done
rm -f "$R/hwrig/install-at-boot"
# the speech cache for the next run (rig.sh puts it back after the purge)
if [ -n "$(ls -A "$R/var/cache/private/repcue" 2> /dev/null)" ]; then
	rm -rf "$W/powercut-speech"; cp -a "$R/var/cache/private/repcue" "$W/powercut-speech"
fi
total=$(( $(date +%s) - t_all ))
res powercut_summary INFO $total "$KILLS kills, seed $SEED, window $WINDOW s: $fails failed; $inflight cut a copy in flight; $total s, $(( total / KILLS )) s a cycle"
echo "== $(grep -c '^RESULT [^ ]* PASS' "$S") PASS, $(grep -c '^RESULT [^ ]* FAIL' "$S") FAIL; $(( $(date +%s) - t0 )) s; logs in $OUT"
[ $fails = 0 ]
