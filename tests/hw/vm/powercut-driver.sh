#!/bin/sh
# powercut-driver.sh - the VM side of the power-cut test (tests/hw/powercut.sh),
# run as rig-powercut.service under systemd as PID 1. It keeps the real
# copier writing the card: it puts a new version of history.csv or
# report.pdf (two of the copier's three names; problems.txt stays the
# coach's own, which it rewrites whenever its lobby looks again) into the
# coach's outbox (as the coach does: a temp file
# renamed into place), repcue-card.path starts repcue-card.service, which
# writes it onto the FAT folder (temp + fsync + rename + fsync of the
# folder); once that run has ended with the file on the card, the next
# version. The host kills QEMU at a random instant after "PC GO".
#
# What the host needs to judge the card after the kill goes to the serial
# console, one line per event, before the event (QEMU writes each byte the
# guest puts on its UART to the log at once; a line lost in the guest's tty
# buffer only makes the host's view older, which allows more, never less):
#   PC BASE NAME SHA       the card's file when writing began (- absent)
#   PC WRITE NAME K SHA    version K is about to go into the outbox
#   PC DURABLE NAME K SHA  the copier ran to its end with version K on the card
#   PC GO                  the bases are out: the host may kill from now on
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8
CARD=/boot/firmware/repcue
BOX=/var/lib/private/repcue/card-out
# (made beside the outbox, not in it: only the rename is a change there)
TMP=/var/lib/private/repcue/.powercut-version
TTY=/dev/ttyS0
CYCLE=$(sed -n 's/.*hwrig\.cycle=\([0-9]*\).*/\1/p' /proc/cmdline)
NAMES="problems.txt history.csv report.pdf"
say(){ printf 'PC %s\n' "$*" > $TTY; }
secs(){ read -r _u _ < /proc/uptime; echo ${_u%.*}; }
sha(){ if [ -f "$1" ]; then sha256sum < "$1" | cut -c1-64; else echo -; fi; }
copier(){ systemctl show -p ActiveState --value repcue-card.service; }
say "BOOT cycle $CYCLE uptime $(cut -d' ' -f1 /proc/uptime)"

# --- settle: the coach's own lobby and its problems.txt copied, so that
# the coach does not write into the outbox while the driver does
end=$(( $(secs) + 800 ))
# (from the second boot on, powercut.sh masks the coach on the kernel's
# command line: the card folder is seeded and problems.txt is in the
# outbox, and what is cut is the copier's writing, which this script
# drives; a coach would only cost minutes of TCG per boot)
COACH=yes
if [ "$(systemctl show -p LoadState --value repcue)" = masked ]; then
	COACH=no
	say "NO COACH (masked): the copier and this writer only"
else
	until journalctl -b -u repcue --no-pager -o cat 2>/dev/null | grep -q 'Press start when you are ready'; do
		[ "$(secs)" -ge $end ] && { say "FAIL no lobby in 800 s: $(journalctl -b -u repcue --no-pager -o cat | tail -4 | tr '\n' ' ')"; exit 1; }
		# (where the coach is, every 30 s: its first lobby with a cold
		# speech cache takes minutes under TCG)
		if [ $(( $(secs) % 30 )) = 0 ]; then
			say "WAIT $(systemctl show -p SubState,StatusText --value repcue | tr '\n' ' ')"
			# (why, when it waits for a sound device: what the coach said,
			# whether ALSA's major is registered, and since when)
			if systemctl show -p StatusText --value repcue | grep -q 'sound device'; then
				say "WHY $(journalctl -b -u repcue --no-pager -o cat | grep -i 'sound device' | tail -2 | tr '\n' ' ')"
				say "WHY /proc/devices: $(grep -w alsa /proc/devices | tr '\n' ' ') cards: $(tr '\n' ' ' < /proc/asound/cards 2>&1)"
				say "WHY $(journalctl -b --no-pager -o short-monotonic | grep -i -E 'snd|alsa|sound|modules-load|Starting repcue|Started repcue' | head -12 | tr '\n' ' ')"
			fi
		fi
		sleep 1
	done
	say "LOBBY uptime $(cut -d' ' -f1 /proc/uptime)"
fi
settled(){
	[ "$(copier)" = inactive ] && [ -f $BOX/problems.txt ] || return 1
	for n in $NAMES; do
		[ ! -f $BOX/$n ] || cmp -s $BOX/$n $CARD/$n || return 1
	done
	# and the sheets the coach's first lobby draws, one after another
	# after its lobby line (seconds each under TCG): all drawn (a line
	# per routine in the drawer's index) and on the card, so that none
	# is in flight when the host kills (it takes those that appeared at
	# the first boot for whole PDFs). A coach that draws nothing more
	# for 300 s is not waited for (then said: SHEETS).
	if [ "$COACH" = yes ] && [ "$sheets_given_up" = no ]; then
		n=$(ls "$CARD"/routines/*.yaml 2> /dev/null | wc -l)
		have=$(grep -c "$(printf '\t')" $BOX/sheets/index.txt 2> /dev/null)
		if [ "${have:-0}" -lt "$n" ]; then
			# (the last change: of the folder, a sheet, or the wait's start)
			last=$(stat -c %Y $BOX/sheets $BOX/sheets/* 2> /dev/null | sort -n | tail -1)
			[ "${last:-0}" -ge "$sheets_since" ] || last=$sheets_since
			if [ $(( $(date +%s) - last )) -ge 300 ]; then
				say "SHEETS only ${have:-0} of $n drawn, nothing new for 300 s: not waited for"
				sheets_given_up=yes
			fi
			return 1
		fi
	fi
	for f in $BOX/sheets/*.pdf; do
		[ ! -f "$f" ] || cmp -s "$f" "$CARD/sheets/${f##*/}" || return 1
	done
}
sheets_given_up=no sheets_since=$(date +%s)
# A copy the last cut stopped is not started again at boot: the path unit
# fires on a change, and the coach changes its outbox only at its next
# lobby or session. The driver starts the copier, as that change would.
kicked=0
until settled; do
	if [ "$(copier)" = inactive ] && [ $(( $(secs) - kicked )) -ge 20 ]; then
		say "RESTART the copier: the outbox and the card differ"
		systemctl start --no-block repcue-card.service; kicked=$(secs)
	fi
	[ "$(secs)" -ge $end ] && { say "FAIL the copier did not settle in 800 s: $(copier); $(ls -l $BOX $CARD | tr '\n' ' ')"; exit 1; }
	sleep 1
done
say "SETTLED uptime $(cut -d' ' -f1 /proc/uptime)"
# how long the boot took (before GO: nothing runs beside the copier then;
# not `blame`, which took minutes of TCG)
say "BOOT $(systemd-analyze time 2>&1 | head -1)"
for n in $NAMES; do say "BASE $n $(sha $CARD/$n)"; done
say GO

# --- versions: sizes from 60 bytes to 18 KB (clusters here are 2 KB, so
# a new version often takes more or fewer clusters than the old one),
# CRLF text (report.pdf too: the copier copies bytes, whatever they are);
# the content names the cycle and version
k=0
while :; do
	k=$((k + 1))
	case $((k % 2)) in 0) n=report.pdf ;; *) n=history.csv ;; esac
	size=$(( (k * 7919 + CYCLE * 104729) % 18000 + 60 ))
	awk -v n=$n -v c=$CYCLE -v k=$k -v s=$size 'BEGIN {
		t = sprintf("powercut %s cycle %d version %d size %d\r\n", n, c, k, s)
		for (i = 1; length(t) < s; i++) t = t sprintf("%d,%d,line %d of version %d\r\n", c, k, i, k)
		printf "%s", substr(t, 1, s) }' > $TMP
	h=$(sha $TMP)
	chown --reference=$BOX $TMP
	say "WRITE $n $k $h"
	mv -f $TMP $BOX/$n
	# until the copier has run to its end with this version on the card
	end=$(( $(secs) + 120 ))
	while [ "$(sha $CARD/$n)" != "$h" ] || [ "$(copier)" != inactive ]; do
		if [ "$(systemctl show -p Result --value repcue-card.service)" = start-limit-hit ]; then
			# more than 5 starts in 10 s: systemd's default limit
			say "LIMIT $n $k"
			systemctl reset-failed repcue-card.service; touch $BOX/$n
		fi
		[ "$(secs)" -ge $end ] && { say "STUCK $n $k: $(copier); $(journalctl -u repcue-card -n 3 --no-pager -o cat | tr '\n' ' ')"; end=$(( $(secs) + 120 )); }
		sleep 0.2
	done
	say "DURABLE $n $k $h"
done
