#!/bin/sh
# service-checks.sh - the rig's checks in "systemd" mode: systemd is PID 1,
# repcue.service was installed and enabled before boot (install-repcue.sh)
# and started with the system; this runs as rig-checks.service, then powers
# the VM off. One RESULT line per check in /hwrig/out/summary.txt.
set -u
. /hwrig/lib.sh
: > $O/summary.txt
trap 'journalctl -b --no-pager -o short-monotonic > $O/journal-boot.txt 2>&1; sync; systemctl --no-block poweroff' EXIT
echo "T_CHECKS_START $(up)"
J=$O/journal-repcue.txt
jr(){ journalctl -u repcue --no-pager -o short-monotonic > $J 2>&1; }
# jwait ERE SECONDS [N]: until the unit's journal has N (default 1) matching lines
jwait(){
	_end=$(( $(secs) + $2 ))
	while jr; [ "$(grep -Ec -- "$1" $J)" -lt "${3:-1}" ]; do
		[ "$(secs)" -ge $_end ] && return 1; sleep 0.5
	done
}
show(){ systemctl show -p "$1" --value repcue; }
B=/boot/firmware
# --- the settings' volume: the card's config.yaml at 0 dB, then at
# VOL_DB; each time the service started and its lobby line captured from
# the loopback (arecord opened first, as rig-capture does at boot, so the
# loopback keeps its float format). The same line, so the energies and
# peaks of the two captures differ by the gain alone (tools/sound-level).
# A config.yaml on the card replaces /etc's, so it carries the rig's device
# settings (the loopback, the latency, the pins) with the volume added.
VOL_DB=-12
vol_capture(){   # vol_capture DB: the card's volume DB, the lobby in /run/vol$DB.f32
	{ cat /etc/repcue/config.yaml; echo "volume: $1 dB"; } > $B/repcue/config.yaml && sync || return 1
	_f=/run/vol$1.f32; rm -f $_f
	arecord -q -D hw:Loopback,1,0 -f FLOAT_LE -c 2 -r 48000 -t raw $_f &
	_ap=$!
	_end=$(( $(secs) + 30 ))
	until grep -q RUNNING /proc/asound/Loopback/pcm1c/sub0/status 2>/dev/null || [ "$(secs)" -ge $_end ]; do sleep 0.2; done
	jr; _n=$(grep -c 'Press start when you are ready' $J)
	systemctl start repcue
	jwait 'Press start when you are ready' 90 $((_n + 1))
	# until the line has been played out: sound, then 1.5 s of silence
	_end=$(( $(secs) + 60 ))
	while /hwrig/bin/sound-level $_f 2 > $O/vol$1.txt; ! awk '{ split($4, a, "="); exit !(a[2] >= 1.5) }' $O/vol$1.txt; do
		[ "$(secs)" -ge $_end ] && break; sleep 0.5
	done
	kill -INT $_ap; wait $_ap
	systemctl stop repcue
	/hwrig/bin/sound-level $_f 2 > $O/vol$1.txt
}
lvl_of(){ sed -n "s/.* $2=\([-0-9.e+]*\).*/\1/p" $O/vol$1.txt; }
card_volume_check(){
	t=$(up)
	vol_capture 0; vol_capture $VOL_DB
	rm -f $B/repcue/config.yaml /run/vol*.f32
	e0=$(lvl_of 0 energy); e1=$(lvl_of $VOL_DB energy); p0=$(lvl_of 0 peak); p1=$(lvl_of $VOL_DB peak)
	vol_note=$(awk -v e0=${e0:-0} -v e1=${e1:-0} -v p0=${p0:-0} -v p1=${p1:-0} -v want=$VOL_DB 'BEGIN {
		if (e0 <= 0 || e1 <= 0 || p0 <= 0 || p1 <= 0) { print "FAIL a capture is silent"; exit }
		de = 10 * log(e1 / e0) / log(10); dp = 20 * log(p1 / p0) / log(10)
		ok = (de - want <= 0.5 && want - de <= 0.5 && dp - want <= 0.5 && want - dp <= 0.5)
		printf "%s volume %d dB against 0 dB on the card: the lobby line %.2f dB in energy (RMS), %.2f dB in peak (want %d +- 0.5)",
			ok ? "PASS" : "FAIL", want, de, dp, want }')
	result card_volume_level ${vol_note%% *} "${vol_note#* }; 0 dB: $(cut -d' ' -f1,5,6,8 $O/vol0.txt); $VOL_DB dB: $(cut -d' ' -f1,5,6,8 $O/vol$VOL_DB.txt) ($(since $t)s)"
}

timeout 300 systemctl is-system-running --wait > $O/system-running.txt 2>&1
result systemd_boot INFO "$(systemctl --version | head -1); $(cat $O/system-running.txt); $(systemd-analyze time 2>&1 | head -1)"
systemctl --failed --no-legend --plain > $O/failed-units.txt 2>&1
[ -s $O/failed-units.txt ] && result systemd_failed_units INFO "$(cat $O/failed-units.txt)"
# --- the package, installed by apt-get at boot before systemd (initramfs-init
# ran vm/install-repcue.sh boot) onto the FAT boot partition
I=$O/install.log
ver=$(dpkg-query -W -f='${Version} ${Status}' repcue 2>/dev/null)
case "$ver" in
*"install ok installed") grep -q '^RIG_INSTALL_RC 0$' $I \
	&& result package_installed PASS "repcue $ver from $(cat /hwrig/install-at-boot); unit $(systemctl show -p FragmentPath --value repcue); $(grep '^repcue:' $I | tr '\n' ' ')" \
	|| result package_installed FAIL "$(tail -5 $I)" ;;
*) result package_installed FAIL "dpkg: '$ver'; $(tail -5 $I)" ;;
esac
result apt_install_time INFO "$(awk '/^T_APT_INSTALL/ { printf "apt-get install ./%s took %.1f s in the VM (TCG)", "'"$(cat /hwrig/install-at-boot)"'", $3 - $2 }' $I)"

# --- the FAT boot partition, mounted by systemd from /etc/fstab as on
# Raspberry Pi OS; the postinst seeded repcue/ on it at install
B=/boot/firmware
mnt=$(findmnt -n -o SOURCE,FSTYPE,OPTIONS $B 2>&1)
own=$(stat -c '%U:%G %A' $B/repcue/routines/upper-back-1.yaml $B/repcue 2>&1 | tr '\n' ' ')
case "$mnt" in
*" vfat "*) [ "$own" = "root:root -rwxr-xr-x root:root drwxr-xr-x " ] \
	&& result boot_partition_vfat PASS "$mnt; $own" \
	|| result boot_partition_vfat FAIL "not root-owned 0755: $own ($mnt)" ;;
*) result boot_partition_vfat FAIL "$B: '$mnt'" ;;
esac
bad=""
for f in /usr/share/repcue/routines/*.yaml; do
	cmp -s $f $B/repcue/routines/${f##*/} || bad="$bad ${f##*/}"
done
cr=$(printf '\r')
lines=$(wc -l < $B/repcue/README.txt 2>/dev/null); crlf=$(grep -c "$cr\$" $B/repcue/README.txt 2>/dev/null)
[ -z "$bad" ] && [ "${lines:-0}" -gt 10 ] && [ "$crlf" = "$lines" ] \
	&& result boot_partition_seeded PASS "$(ls $B/repcue/routines | tr '\n' ' ')equal to the packaged ones; README.txt: $crlf of $lines lines CRLF" \
	|| result boot_partition_seeded FAIL "differ or missing:${bad:- none}; README.txt: ${crlf:-0} of ${lines:-0} lines CRLF; $(ls -R $B 2>&1 | tr '\n' ' ')"

SIM_SYS=$(cat /run/rig-sim-sys 2>/dev/null)
[ -n "$SIM_SYS" ] && result gpio_sim_at_boot PASS "$SIM_SYS; $(ls -l /dev/gpiochip* | awk '{print $4, $NF}' | tr '\n' ' ')" \
	|| result gpio_sim_at_boot FAIL "rig-hardware.service: $(systemctl status rig-hardware --no-pager 2>&1 | tail -3)"

# --- started at boot, Type=notify: active only once READY=1 came
systemctl show -p Type,NotifyAccess,ActiveState,SubState,MainPID,StatusText,NRestarts,WatchdogUSec,ExecMainStartTimestampMonotonic,ActiveEnterTimestampMonotonic repcue > $O/show-boot.txt
# (a restart before this point is a failure, unless it followed repcue's
# 2 s bound on PortAudio's open, which TCG's speed can outlast: README,
# "PortAudio's open under load"; then the note says so)
jr
boot_restarts=$(sed -n 's/^NRestarts=//p' $O/show-boot.txt)
why_restart=$(grep -m1 -E 'PortAudio did not (open the device|answer) within' $J)
grep -q '^Type=notify$' $O/show-boot.txt && grep -q '^ActiveState=active$' $O/show-boot.txt &&
	{ [ "$boot_restarts" = 0 ] || [ -n "$why_restart" ]; } \
	&& result service_active_ready PASS "$(grep -E 'SubState|StatusText|NRestarts' $O/show-boot.txt) ${why_restart:+(restarted after: $why_restart)}" \
	|| result service_active_ready FAIL "$(cat $O/show-boot.txt) $(grep -E 'repcue\[' $J | tail -3)"
jwait 'Press start when you are ready' 120
check service_journal_lobby $J 'Press start when you are ready'
# (REPCUE_HW_ONLY=volume: only this check after the boot, for a loaded host)
if grep -q 'hwrig\.only=[a-z,]*volume' /proc/cmdline; then
	systemctl stop rig-capture repcue; card_volume_check; echo "T_CHECKS_END $(up)"; exit 0
fi

# --- boot to ready: kernel start (uptime 0) -> READY=1 -> first lobby word
# heard on the loopback (the capture's first sound, timed from when
# rig-capture.service started arecord)
start_us=$(sed -n 's/^ExecMainStartTimestampMonotonic=//p' $O/show-boot.txt)
ready_us=$(sed -n 's/^ActiveEnterTimestampMonotonic=//p' $O/show-boot.txt)
# the lobby line is logged when it is queued: waited for in the capture
# (60 s at most), not given a fixed time to get there
i=0
while :; do
	/hwrig/bin/first-sound $O/service.f32 2 > $O/service-sound.txt 2>&1; rc=$?
	{ [ $rc = 0 ] || [ $i -ge 60 ]; } && break
	sleep 1; i=$((i + 1))
done
cap0=$(cat $O/capture-start 2>/dev/null || echo 0)
first=$(sed -n 's/.* first=\([-0-9]*\).*/\1/p' $O/service-sound.txt)
if [ $rc = 0 ]; then
	result service_lobby_in_loopback PASS "$(cat $O/service-sound.txt)"
	# (the capture's start is when arecord was exec'd; the journal's stamp of
	# the lobby line is when journald got it: the word lies about between)
	said=$(grep -m1 'Press start when you are ready' $J | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p')
	# (the rig installs the .deb at boot, before systemd starts: that time
	# is not a Pi's boot, so the figures are also given without it)
	sw=$(sed -n 's/^T_SWITCH_ROOT //p' $I); sw=${sw:-0}
	result boot_to_ready INFO "$(awk -v s=$start_us -v r=$ready_us -v c=$cap0 -v f=$first -v j=${said:-0} -v w=$sw 'BEGIN {
		printf "kernel start 0.0 s -> systemd started %.1f s -> repcue started %.1f s -> READY=1 %.1f s -> first lobby word in the capture %.1f s (journal: %.1f s); from systemd'"'"'s start (the apt-get install at boot left out): repcue started %.1f s, READY=1 %.1f s, first word %.1f s; VM uptime under QEMU TCG", w, s / 1e6, r / 1e6, c + f / 48000, j, s / 1e6 - w, r / 1e6 - w, c + f / 48000 - w }')"
else
	result service_lobby_in_loopback FAIL "$(cat $O/service-sound.txt) capture since ${cap0}s"
fi
systemctl stop rig-capture   # 384 kB/s over 9p: only the boot is needed

# --- a gpio-sim start press reaches the service through its sandbox
tap $START
jwait 'press start' 60
check service_gpio_start $J 'press start'
# --- hw-test while the service holds the lines: it says to stop the service
timeout 60 repcue hw-test --seconds 2 --quiet > $O/hw-test-busy.txt 2>&1
grep -q "the repcue service is running (process $(show MainPID)).*sudo systemctl stop repcue" $O/hw-test-busy.txt \
	&& result hw_test_names_service PASS "$(grep -m1 'the repcue service is running' $O/hw-test-busy.txt)" \
	|| result hw_test_names_service FAIL "$(tr '\n' ' ' < $O/hw-test-busy.txt)"
grep -E 'permission|denied|cannot open|not found' $J | head -3 > $O/service-input-errors.txt
[ -s $O/service-input-errors.txt ] && result service_no_input_errors FAIL "$(cat $O/service-input-errors.txt)" \
	|| result service_no_input_errors PASS "no permission or open errors in the journal"

# --- kill -9: Restart=on-failure brings it back (RestartSec=2), and the new
# process reuses the speech cache in $CACHE_DIRECTORY
# (the PID and restart count of now: under a heavily loaded host the
# watchdog may already have restarted a process busy with its first,
# cold-cache lobby; that is reported, and the checks count from here)
jr; lobbies=$(grep -c 'Press start when you are ready' $J)
grep -E "Failed with result|Watchdog timeout" $J > $O/restarts-before-kill.txt
[ -s $O/restarts-before-kill.txt ] && result service_restarts_before_kill INFO "$(cat $O/restarts-before-kill.txt)"
PID1=$(show MainPID); N9=$(show NRestarts)
kill -9 $PID1
t=$(up); end=$(( $(secs) + 90 ))
while [ "$(secs)" -lt $end ]; do
	P=$(show MainPID)
	[ "$P" != 0 ] && [ "$P" != "$PID1" ] && [ "$(show ActiveState)" = active ] && break
	sleep 0.5
done
systemctl show -p ActiveState,SubState,MainPID,NRestarts,Result repcue > $O/show-kill.txt
grep -q "^NRestarts=$((N9 + 1))$" $O/show-kill.txt && grep -q '^ActiveState=active$' $O/show-kill.txt \
	&& result service_restart_after_kill9 PASS "active again after $(since $t)s: $(cat $O/show-kill.txt)" \
	|| result service_restart_after_kill9 FAIL "after $(since $t)s: $(cat $O/show-kill.txt)"
jwait 'Press start when you are ready' 90 $((lobbies + 1))
check service_journal_killed $J 'status=9/KILL'
check_count service_lobby_after_restart $J 'Press start when you are ready' $((lobbies + 1))

# --- the watchdog: a wedged process (SIGSTOP) is killed and restarted.
# The unit as packaged: the rig's wider boot-time watchdog taken away, and
# the service restarted with it (its speech cache is warm by now)
rm -f /etc/systemd/system/repcue.service.d/rig-tcg.conf
systemctl daemon-reload; systemctl restart repcue
jr; jwait 'Press start when you are ready' 90 $(( $(grep -c 'Press start when you are ready' $J) + 1 ))
wd=$(show WatchdogUSec)
if [ "$wd" = 0 ] || [ "$wd" = infinity ] || [ -z "$wd" ]; then
	result service_watchdog SKIP "the unit has no WatchdogSec= (WatchdogUSec=$wd): nothing restarts a wedged repcue"
else
	jr; W0=$(grep -c 'atchdog timeout' $J)
	P=$(show MainPID); N=$(show NRestarts); t=$(up)
	kill -STOP $P
	end=$(( $(secs) + 120 ))
	while [ "$(secs)" -lt $end ]; do
		[ "$(show NRestarts)" -gt "$N" ] && [ "$(show MainPID)" != "$P" ] && [ "$(show ActiveState)" = active ] && break
		sleep 0.5
	done
	jr
	[ "$(show NRestarts)" -gt "$N" ] && [ "$(grep -c 'atchdog timeout' $J)" -gt "$W0" ] \
		&& result service_watchdog PASS "WatchdogUSec=$wd; restarted $(since $t)s after SIGSTOP: $(grep 'atchdog timeout' $J | tail -1)" \
		|| result service_watchdog FAIL "WatchdogUSec=$wd; after SIGSTOP and $(since $t)s: NRestarts $(show NRestarts) (was $N), $(show ActiveState)"
fi

# --- the sandbox, rated on the running unit
result tcg_slowdown INFO "$(tcg_slowdown)"
systemd-analyze security repcue.service --no-pager > $O/security.txt 2>&1
lvl=$(sed -n 's/.*Overall exposure level for repcue.service: \([0-9.]*\).*/\1/p' $O/security.txt)
[ -n "$lvl" ] && awk "BEGIN{exit !($lvl <= 1.5)}" \
	&& result service_security PASS "$(grep 'Overall exposure' $O/security.txt)" \
	|| result service_security FAIL "$(grep 'Overall exposure' $O/security.txt || tail -2 $O/security.txt)"

# --- stop, and what the journal holds
t=$(up); systemctl stop repcue; rc=$?
[ $rc = 0 ] && [ "$(show ActiveState)" = inactive ] && result service_stop PASS "$(since $t)s" \
	|| result service_stop FAIL "rc=$rc $(show ActiveState)"
jr
check service_journal_playing $J 'playing through'
check service_cache_after_restart $J '[1-9][0-9]* from the cache'
result service_sound INFO "$(grep -c 'lost (' $J) 'output lost', $(grep -c ' back after' $J) 'back after'; journal: $(grep -c . $J) lines"

# --- the laptop: the card taken out (the service stopped, the partition
# unmounted), its FAT changed with mtools on the raw device, as a Windows or
# macOS laptop changes it without the Pi's kernel, put back (mounted again)
# and the service started, as when the Pi is switched on again. The unit
# then reads the changed files through its sandbox (DynamicUser, the boot
# partition root-owned 0755, ReadOnlyPaths=).
# From here the watchdog is checked already; a drop-in widens it to 10 min
# again, because preparing a routine whose lines are not in the speech
# cache keeps the main loop from pinging, and at TCG's 60-80-fold slowdown
# on a loaded host that took over the unit's 60 s (55 s of CPU in the VM,
# under 1 s natively here): the watchdog restarted repcue in the middle of
# a check.
mkdir -p /run/systemd/system/repcue.service.d
printf '[Service]\n# tests/hw/vm/service-checks.sh: TCG is 60-80 times slower than a CPU\nWatchdogSec=600s\n' \
	> /run/systemd/system/repcue.service.d/rig-tcg.conf
systemctl daemon-reload

card_volume_check
export MTOOLS_SKIP_CHECK=1
DEV=$(findmnt -n -o SOURCE $B)
card(){
	systemctl stop repcue && umount $B || return 1
	"$@"; _rc=$?
	mount $B && systemctl start repcue && return $_rc
}
R=::/repcue/routines
name2=$(sed -n 's/^name: //p' /usr/share/repcue/routines/upper-back-2.yaml)
laptop_adds(){
	# an edited seed routine (its name changed), a new routine saved by
	# Notepad (CRLF) that sorts right after it, and a file with a mistake
	mtype -i $DEV $R/upper-back-1.yaml | sed 's/^name: .*/name: Card Rows/' > /tmp/ub1.yaml &&
	mcopy -o -i $DEV /tmp/ub1.yaml $R/upper-back-1.yaml &&
	sed 's/^name: .*/name: Laptop Rows/; s/$/\r/' /usr/share/repcue/routines/upper-back-2.yaml > /tmp/ub1b.yaml &&
	mcopy -i $DEV /tmp/ub1b.yaml $R/upper-back-1b.yaml &&
	printf 'repcue: 1\r\nname: Broken\r\nsteps: [ {name: Rows\r\n' > /tmp/broken.yaml &&
	mcopy -i $DEV /tmp/broken.yaml $R/broken.yaml
}
laptop_removes(){ mdel -i $DEV $R/upper-back-1b.yaml $R/broken.yaml; }

jr; n0=$(grep -c . $J)
t=$(up)
card laptop_adds; rc=$?
jwait 'say ".*Card Rows\. Press start when you are ready' 90
# (only the journal lines of this start)
tail -n +$((n0 + 1)) $J > $O/journal-card1.txt
check fat_edit_read_by_service $O/journal-card1.txt 'say ".*Card Rows\. Press start when you are ready'
[ $rc = 0 ] || result fat_laptop_adds FAIL "mtools or the remount failed (rc=$rc)"
check fat_broken_file_named $O/journal-card1.txt 'Routine file broken\.yaml has a problem on line [0-9]+\. Skipping it\.'
check fat_broken_file_logged $O/journal-card1.txt "$B/repcue/routines/broken\.yaml: skipped"
# --- what the coach writes for the person comes back onto the card: the
# unit writes problems.txt into its outbox (--card-out), repcue-card.path
# sees it and repcue-card.service (root, src/cardcopy) copies it onto the FAT
# cwait ERE SECONDS: until the card's problems.txt has a line matching
cwait(){
	_end=$(( $(secs) + $2 ))
	while ! grep -Eq -- "$1" $B/repcue/problems.txt 2>/dev/null; do
		[ "$(secs)" -ge $_end ] && return 1; sleep 0.5
	done
}
if cwait 'routines/broken\.yaml:[0-9]+:[0-9]+: error: ' 90; then
	result card_problems_txt PASS "$(stat -c '%U:%G %a %s bytes' $B/repcue/problems.txt): $(grep -c . $B/repcue/problems.txt) lines, $(grep -m1 'broken\.yaml:' $B/repcue/problems.txt | tr -d '\r'); $(journalctl -u repcue-card --no-pager -o cat | grep -m1 'problems.txt written')"
else
	result card_problems_txt FAIL "$(ls -la $B/repcue 2>&1 | tr '\n' ' '); outbox: $(ls -la /var/lib/private/repcue/card-out 2>&1 | tr '\n' ' '); $(systemctl status repcue-card.path repcue-card.service --no-pager 2>&1 | tail -8 | tr '\n' ' ')"
fi
hold $START 1200
jwait 'say "Routine 2 of 4: Laptop Rows' 60
tail -n +$((n0 + 1)) $J > $O/journal-card1.txt
check fat_new_routine_choosable $O/journal-card1.txt 'Routine 2 of 4: Laptop Rows\. Press start to begin'
grep -E 'cannot read|denied|ermission' $O/journal-card1.txt > $O/fat-errors.txt
[ -s $O/fat-errors.txt ] && result fat_no_read_errors FAIL "$(cat $O/fat-errors.txt)" \
	|| result fat_no_read_errors PASS "no read or permission errors after the card changed ($(since $t)s)"

jr; n0=$(grep -c . $J)
t=$(up)
card laptop_removes; rc=$?
jwait 'say ".*Card Rows\. Press start when you are ready' 90 2
hold $START 1200
jwait "say \"Routine 2 of 3: $name2" 60
tail -n +$((n0 + 1)) $J > $O/journal-card2.txt
[ $rc = 0 ] && ! grep -q 'broken\.yaml\|Laptop Rows' $O/journal-card2.txt && grep -q "Routine 2 of 3: $name2\. Press start" $O/journal-card2.txt \
	&& result fat_removed_routine_gone PASS "after the laptop deleted upper-back-1b.yaml and broken.yaml: [$(grep -m1 'Routine 2 of 3' $O/journal-card2.txt)] ($(since $t)s)" \
	|| result fat_removed_routine_gone FAIL "rc=$rc; $(grep -E 'Routine|broken' $O/journal-card2.txt | tail -3)"
cwait '^No problems\.' 90 \
	&& result card_problems_fixed PASS "after the laptop removed broken.yaml: $(head -1 $B/repcue/problems.txt | tr -d '\r')" \
	|| result card_problems_fixed FAIL "$(head -5 $B/repcue/problems.txt 2>&1 | tr -d '\r' | tr '\n' ' ')"
# the copier's sandbox (root, one capability, one writable folder)
systemd-analyze security repcue-card.service --no-pager > $O/security-card.txt 2>&1
lvl=$(sed -n 's/.*Overall exposure level for repcue-card.service: \([0-9.]*\).*/\1/p' $O/security-card.txt)
[ -n "$lvl" ] && awk "BEGIN{exit !($lvl <= 1.5)}" \
	&& result card_copier_security PASS "$(grep 'Overall exposure' $O/security-card.txt)" \
	|| result card_copier_security FAIL "$(grep 'Overall exposure' $O/security-card.txt || tail -2 $O/security-card.txt)"
# --- a copy the plug cut short is redone at the next boot: besides
# repcue-card.path (which sees changes only, and nothing in the outbox
# changes after a power cut), multi-user.target starts repcue-card.service
# at every boot, once the card is mounted and before the coach. QEMU runs
# with -no-reboot, so the boot checked is this one: the package enabled
# the copier for it and it ran before the coach's first start; then what
# that boot start does is done again with the path unit stopped: a file
# in the outbox whose copy on the card is the old one (the rename a cut
# stopped) is copied, with nothing in the outbox changing.
mono(){ sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p' | head -1; }
t=$(up)
en=$(systemctl is-enabled repcue-card.service 2>&1)
wb=$(systemctl show -p WantedBy --value repcue-card.service)
c_done=$(journalctl -b -u repcue-card.service -o short-monotonic --no-pager 2>&1 | grep -E 'Finished|Failed|Deactivated' | mono)
r_start=$(journalctl -b -u repcue.service -o short-monotonic --no-pager 2>&1 | grep -E 'Starting' | mono)
BOX=/var/lib/private/repcue/card-out
systemctl stop repcue repcue-card.path
printf 'An older problems.txt, left by a power cut.\r\n' > $B/repcue/problems.txt && sync
box_before=$(stat -c '%Y %s' $BOX/problems.txt 2>&1)
systemctl start repcue-card.service; rc=$?
box_after=$(stat -c '%Y %s' $BOX/problems.txt 2>&1)
if [ "$en" = enabled ] && echo "$wb" | grep -qw multi-user.target && [ -n "$c_done" ] && [ -n "$r_start" ] &&
	awk -v c="$c_done" -v r="$r_start" 'BEGIN { exit !(c <= r) }' && [ $rc = 0 ] && [ "$box_before" = "$box_after" ] &&
	cmp -s $BOX/problems.txt $B/repcue/problems.txt; then
	result card_copy_at_boot PASS "repcue-card.service $en, WantedBy=$wb; this boot: copier done at ${c_done}s, coach started at ${r_start}s; the card's old problems.txt replaced by the outbox's with the outbox unchanged ($(head -1 $B/repcue/problems.txt | tr -d '\r')) ($(since $t)s)"
else
	result card_copy_at_boot FAIL "is-enabled: $en; WantedBy: $wb; copier done at '${c_done}', coach started at '${r_start}'; start rc=$rc; outbox '$box_before' -> '$box_after'; card: $(head -1 $B/repcue/problems.txt 2>&1 | tr -d '\r'); $(journalctl -u repcue-card --no-pager -o cat -n 3 | tr '\n' ' ')"
fi
systemctl start repcue-card.path repcue
jr; n_ready=$(grep -c 'Press start when you are ready' $J)
jwait 'Press start when you are ready' 120 $((n_ready + 1))

# --- a whole session under the unit: its row reaches the card's history.csv
# (the rig's 20 s routine copied on as the laptop would, chosen with a
# hold, started with a tap; the coach writes history.csv into its outbox
# after the session and repcue-card.service copies it)
# jafter N ERE SECONDS: until the unit's journal after its first N lines matches
jafter(){
	_end=$(( $(secs) + $3 ))
	while jr; ! tail -n +$(( $1 + 1 )) $J | grep -Eq -- "$2"; do
		[ "$(secs)" -ge $_end ] && return 1; sleep 0.5
	done
}
laptop_adds_rig(){ mcopy -i $DEV /hwrig/short.yaml $R/upper-back-1a.yaml; }
jr; n0=$(grep -c . $J)
t=$(up)
card laptop_adds_rig; rc=$?
jafter $n0 'Press start when you are ready' 120
hold $START 1200
jafter $n0 'say "Routine 2 of 4: Rig\. Press start to begin' 90
tap $START
end=$(( $(secs) + 400 ))
while ! grep -q ',"Rig",' $B/repcue/history.csv 2>/dev/null && [ "$(secs)" -lt $end ]; do sleep 1; done
if grep -q ',"Rig",' $B/repcue/history.csv 2>/dev/null; then
	result card_history_csv PASS "$(since $t)s after the card was changed: $(head -1 $B/repcue/history.csv | tr -d '\r'); $(grep ',"Rig",' $B/repcue/history.csv | tail -1 | tr -d '\r')"
else
	result card_history_csv FAIL "rc=$rc; card: $(ls -la $B/repcue 2>&1 | tr '\n' ' '); outbox: $(ls -la /var/lib/private/repcue/card-out 2>&1 | tr '\n' ' '); $(tail -n +$((n0 + 1)) $J | grep -E 'Rig|press|history' | tail -4 | tr '\n' ' ')"
fi

# --- the card's sheets and report (issue 21): the Rig routine the laptop
# added gets its sheet on the card, drawn in the silent lobby and copied
# by repcue-card.service; the session just done brings report.pdf
is_pdf(){ [ "$(head -c 5 "$1" 2>/dev/null)" = "%PDF-" ]; }
end=$(( $(secs) + 120 ))
while ! { is_pdf $B/repcue/sheets/upper-back-1a.pdf && is_pdf $B/repcue/report.pdf; } && [ "$(secs)" -lt $end ]; do sleep 1; done
if is_pdf $B/repcue/sheets/upper-back-1a.pdf; then
	result card_sheet_pdf PASS "$(since $t)s after the card was changed: sheets/ on the card: $(ls $B/repcue/sheets | tr '\n' ' ')($(stat -c %s $B/repcue/sheets/upper-back-1a.pdf) bytes)"
else
	result card_sheet_pdf FAIL "card: $(ls -la $B/repcue/sheets 2>&1 | tr '\n' ' '); outbox: $(ls -la /var/lib/private/repcue/card-out/sheets 2>&1 | tr '\n' ' '); $(tail -n +$((n0 + 1)) $J | grep -Ei 'sheet|card' | tail -4 | tr '\n' ' ')"
fi
if is_pdf $B/repcue/report.pdf; then
	result card_report_pdf PASS "report.pdf on the card beside history.csv ($(stat -c %s $B/repcue/report.pdf) bytes)"
else
	result card_report_pdf FAIL "card: $(ls -la $B/repcue 2>&1 | tr '\n' ' '); outbox: $(ls -la /var/lib/private/repcue/card-out 2>&1 | tr '\n' ' '); $(tail -n +$((n0 + 1)) $J | grep -Ei 'report|card' | tail -4 | tr '\n' ' ')"
fi

# --- purge: the package's own files go, the user's on the card stay
ls -lR $B/repcue > $O/card-before-purge.txt 2>&1
t=$(up)
apt-get purge -y -q repcue > $O/purge.log 2>&1; rc=$?
ls -lR $B/repcue > $O/card-after-purge.txt 2>&1
[ $rc = 0 ] && [ ! -e /usr/bin/repcue ] && [ ! -e /var/cache/private/repcue ] && ! systemctl -q is-active repcue &&
	cmp -s $O/card-before-purge.txt $O/card-after-purge.txt && grep -q '^name: Card Rows' $B/repcue/routines/upper-back-1.yaml \
	&& result purge_keeps_card PASS "apt-get purge in $(since $t)s; the card's repcue/ unchanged: $(ls $B/repcue/routines | tr '\n' ' ')" \
	|| result purge_keeps_card FAIL "rc=$rc; $(ls /usr/bin/repcue /var/cache/private/repcue 2>&1 | tr '\n' ' '); $(diff $O/card-before-purge.txt $O/card-after-purge.txt | head -5 | tr '\n' ' ')"
echo "T_CHECKS_END $(up)"
