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

timeout 300 systemctl is-system-running --wait > $O/system-running.txt 2>&1
result systemd_boot INFO "$(systemctl --version | head -1); $(cat $O/system-running.txt); $(systemd-analyze time 2>&1 | head -1)"
systemctl --failed --no-legend --plain > $O/failed-units.txt 2>&1
[ -s $O/failed-units.txt ] && result systemd_failed_units INFO "$(cat $O/failed-units.txt)"
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
why_restart=$(grep -m1 'did not open the device within' $J)
grep -q '^Type=notify$' $O/show-boot.txt && grep -q '^ActiveState=active$' $O/show-boot.txt &&
	{ [ "$boot_restarts" = 0 ] || [ -n "$why_restart" ]; } \
	&& result service_active_ready PASS "$(grep -E 'SubState|StatusText|NRestarts' $O/show-boot.txt) ${why_restart:+(restarted after: $why_restart)}" \
	|| result service_active_ready FAIL "$(cat $O/show-boot.txt) $(grep -E 'repcue\[' $J | tail -3)"
jwait 'Press start when you are ready' 120
check service_journal_lobby $J 'Press start when you are ready'

# --- boot to ready: kernel start (uptime 0) -> READY=1 -> first lobby word
# heard on the loopback (the capture's first sound, timed from when
# rig-capture.service started arecord)
start_us=$(sed -n 's/^ExecMainStartTimestampMonotonic=//p' $O/show-boot.txt)
ready_us=$(sed -n 's/^ActiveEnterTimestampMonotonic=//p' $O/show-boot.txt)
sleep 3   # the lobby line is logged when it is queued; let it reach the capture
/hwrig/bin/first-sound $O/service.f32 2 > $O/service-sound.txt 2>&1; rc=$?
cap0=$(cat $O/capture-start 2>/dev/null || echo 0)
first=$(sed -n 's/.* first=\([-0-9]*\).*/\1/p' $O/service-sound.txt)
if [ $rc = 0 ]; then
	result service_lobby_in_loopback PASS "$(cat $O/service-sound.txt)"
	# (the capture's start is when arecord was exec'd; the journal's stamp of
	# the lobby line is when journald got it: the word lies about between)
	said=$(grep -m1 'Press start when you are ready' $J | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p')
	result boot_to_ready INFO "$(awk -v s=$start_us -v r=$ready_us -v c=$cap0 -v f=$first -v j=${said:-0} 'BEGIN {
		printf "kernel start 0.0 s -> repcue started %.1f s -> READY=1 %.1f s -> first lobby word in the capture %.1f s (journal: %.1f s); VM uptime under QEMU TCG", s / 1e6, r / 1e6, c + f / 48000, j }')"
else
	result service_lobby_in_loopback FAIL "$(cat $O/service-sound.txt) capture since ${cap0}s"
fi
systemctl stop rig-capture   # 384 kB/s over 9p: only the boot is needed

# --- a gpio-sim start press reaches the service through its sandbox
PID1=$(show MainPID)
tap $START
jwait 'press start' 60
check service_gpio_start $J 'press start'
grep -E 'permission|denied|cannot open|not found' $J | head -3 > $O/service-input-errors.txt
[ -s $O/service-input-errors.txt ] && result service_no_input_errors FAIL "$(cat $O/service-input-errors.txt)" \
	|| result service_no_input_errors PASS "no permission or open errors in the journal"

# --- kill -9: Restart=on-failure brings it back (RestartSec=2), and the new
# process reuses the speech cache in $CACHE_DIRECTORY
jr; lobbies=$(grep -c 'Press start when you are ready' $J)
kill -9 $PID1
t=$(up); end=$(( $(secs) + 90 ))
while [ "$(secs)" -lt $end ]; do
	P=$(show MainPID)
	[ "$P" != 0 ] && [ "$P" != "$PID1" ] && [ "$(show ActiveState)" = active ] && break
	sleep 0.5
done
systemctl show -p ActiveState,SubState,MainPID,NRestarts,Result repcue > $O/show-kill.txt
grep -q "^NRestarts=$((boot_restarts + 1))$" $O/show-kill.txt && grep -q '^ActiveState=active$' $O/show-kill.txt \
	&& result service_restart_after_kill9 PASS "active again after $(since $t)s: $(cat $O/show-kill.txt)" \
	|| result service_restart_after_kill9 FAIL "after $(since $t)s: $(cat $O/show-kill.txt)"
jwait 'Press start when you are ready' 90 $((lobbies + 1))
check service_journal_killed $J 'status=9/KILL'
check_count service_lobby_after_restart $J 'Press start when you are ready' $((lobbies + 1))

# --- the watchdog: a wedged process (SIGSTOP) is killed and restarted
wd=$(show WatchdogUSec)
if [ "$wd" = 0 ] || [ "$wd" = infinity ] || [ -z "$wd" ]; then
	result service_watchdog SKIP "the unit has no WatchdogSec= (WatchdogUSec=$wd): nothing restarts a wedged repcue"
else
	P=$(show MainPID); N=$(show NRestarts); t=$(up)
	kill -STOP $P
	end=$(( $(secs) + 120 ))
	while [ "$(secs)" -lt $end ]; do
		[ "$(show NRestarts)" -gt "$N" ] && [ "$(show MainPID)" != "$P" ] && [ "$(show ActiveState)" = active ] && break
		sleep 0.5
	done
	jr
	[ "$(show NRestarts)" -gt "$N" ] && grep -q 'atchdog timeout' $J \
		&& result service_watchdog PASS "WatchdogUSec=$wd; restarted $(since $t)s after SIGSTOP: $(grep -m1 'atchdog timeout' $J)" \
		|| result service_watchdog FAIL "WatchdogUSec=$wd; after SIGSTOP and $(since $t)s: NRestarts $(show NRestarts) (was $N), $(show ActiveState)"
fi

# --- the sandbox, rated on the running unit
result tcg_slowdown INFO "$(tcg_slowdown)"
systemd-analyze security repcue.service --no-pager > $O/security.txt 2>&1
lvl=$(sed -n 's/.*Overall exposure level for repcue.service: \([0-9.]*\).*/\1/p' $O/security.txt)
[ -n "$lvl" ] && awk "BEGIN{exit !($lvl <= 2.0)}" \
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
echo "T_CHECKS_END $(up)"
