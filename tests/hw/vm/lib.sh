# lib.sh - shell helpers for the checks inside the VM (sourced by checks.sh
# and service-checks.sh). The rig puts this directory at /hwrig in the root,
# the tools in /hwrig/bin, and collects /hwrig/out after the VM is gone.
O=/hwrig/out
mkdir -p $O
export PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8
up(){ cut -d' ' -f1 /proc/uptime; }
since(){ awk "BEGIN{printf \"%.1f\", $(up) - $1}"; }

# result NAME PASS|FAIL|SKIP|INFO [note]: one line per check, with the
# seconds since the previous one. INFO lines carry figures, never a verdict.
_last=$(up)
result(){
	_now=$(up)
	printf 'RESULT %s %s %ss %s\n' "$1" "$2" "$(awk "BEGIN{printf \"%.1f\", $_now - $_last}")" \
		"$(printf '%s' "${3:-}" | tr '\n' '|' | cut -c1-400)" | tee -a $O/summary.txt
	_last=$_now
}
# result_rc NAME RC [note]: a test program's exit code, 0 PASS, 77 SKIP
result_rc(){
	case $2 in
	0) result "$1" PASS "rc=0 ${3:-}" ;;
	77) result "$1" SKIP "rc=77 ${3:-}" ;;
	*) result "$1" FAIL "rc=$2 ${3:-}" ;;
	esac
}
# check NAME FILE ERE: PASS if a line of FILE matches, quoting it
check(){
	_m=$(grep -E -m1 -- "$3" "$2" 2>/dev/null)
	if [ -n "$_m" ]; then result "$1" PASS "[$_m]"
	else result "$1" FAIL "no line matching /$3/ in $(basename "$2")"; fi
}
# check_after NAME FILE ERE1 ERE2: a line matching ERE2 after one matching ERE1
check_after(){
	_m=$(awk -v a="$3" -v b="$4" 'f && $0 ~ b { print; exit } $0 ~ a { f = 1 }' "$2")
	if [ -n "$_m" ]; then result "$1" PASS "[$_m]"
	else result "$1" FAIL "no /$4/ after /$3/ in $(basename "$2")"; fi
}
# check_count NAME FILE ERE MIN: at least MIN matching lines
check_count(){
	_n=$(grep -E -c -- "$3" "$2" 2>/dev/null); _n=${_n:-0}
	if [ "$_n" -ge "$4" ]; then result "$1" PASS "$_n lines /$3/"
	else result "$1" FAIL "$_n lines /$3/ in $(basename "$2"), expected at least $4"; fi
}
# secs: whole seconds of VM uptime, without a fork (under TCG every fork
# costs 50-100 ms, so a loop's bound must be on the clock, not on a count)
secs(){ read -r _u _ < /proc/uptime; echo ${_u%.*}; }
# wait_for FILE ERE SECONDS: until a line of FILE matches; 1 after SECONDS
# (a bound on waiting for the program, not a guess at how long it takes)
wait_for(){
	_end=$(( $(secs) + $3 ))
	while ! grep -Eq -- "$2" "$1" 2>/dev/null; do
		[ "$(secs)" -ge $_end ] && return 1; sleep 0.1
	done
}
# wait_play FILE ERE SECONDS: wait_for, but gives up at once when the
# session started by start_play ($PP) has ended
wait_play(){
	_end=$(( $(secs) + $3 ))
	while ! grep -Eq -- "$2" "$1" 2>/dev/null; do
		kill -0 $PP 2> /dev/null || grep -Eq -- "$2" "$1" 2>/dev/null || return 1
		[ "$(secs)" -ge $_end ] && return 1; sleep 0.1
	done
}
# wait_play_count FILE ERE N SECONDS: until N lines match, or the session ended
wait_play_count(){
	_end=$(( $(secs) + $4 ))
	while [ "$(grep -Ec -- "$2" "$1" 2>/dev/null)" -lt "$3" ]; do
		kill -0 $PP 2> /dev/null || return 1
		[ "$(secs)" -ge $_end ] && return 1; sleep 0.1
	done
}

# gpio-sim through configfs: sim_create NAME NUM_LINES "OFFSET:NAME ..."
# (the C tests' twin, one bank named bank0 too: tests/lib/gpiosim.h)
# sets SIM_CHIP (gpiochipN) and SIM_SYS (its sysfs dir with sim_gpioN/pull)
SIMCFG=/sys/kernel/config/gpio-sim
sim_create(){
	_d=$SIMCFG/$1
	mkdir $_d $_d/bank0 && echo $2 > $_d/bank0/num_lines || return 1
	for _l in $3; do
		mkdir $_d/bank0/line${_l%%:*} && echo ${_l#*:} > $_d/bank0/line${_l%%:*}/name || return 1
	done
	echo 1 > $_d/live || return 1
	SIM_CHIP=$(cat $_d/bank0/chip_name); SIM_DEV=$(cat $_d/dev_name)
	SIM_SYS=/sys/devices/platform/$SIM_DEV/$SIM_CHIP
}
sim_remove(){
	_d=$SIMCFG/$1
	echo 0 > $_d/live; for _l in $_d/bank0/line*; do rmdir $_l; done; rmdir $_d/bank0 $_d
}
# A Pi-like chip: the lines named as on the Pi header, the four the default
# config uses (hw/README.md, "Pin map"): start 17, next 27, repeat 22, pedal 23
PI_LINES="17:GPIO17 27:GPIO27 22:GPIO22 23:GPIO23"
START=17 NEXT=27 REPEAT=22 PEDAL=23
# Presses: the buttons are active-low with the pull-up on, so pressed =
# pulled down. sim-pulse times the edges (see tools/sim-pulse.c); each
# gesture and its edge times go to $O/edges.log.
pulse(){ _l=$1; shift; echo "line $_l: $*" >> $O/edges.log; /hwrig/bin/sim-pulse $SIM_SYS/sim_gpio$_l/pull "$@" >> $O/edges.log; }
tap(){ pulse $1 down ${2:-150} up; }
hold(){ pulse $1 down ${2:-1200} up; }
dtap(){ pulse $1 down 100 up 120 down 100 up; }
# stamp: prefix each line with the VM uptime at which it arrived (mawk reads
# a pipe in blocks unless -W interactive)
awk -W version 2>&1 | grep -q mawk && AWKI="awk -W interactive" || AWKI=awk
stamp(){ $AWKI '{ getline u < "/proc/uptime"; close("/proc/uptime"); split(u, a, " "); print a[1] " " $0; fflush() }'; }
# sound_health NAME FILE: the output-loss messages repcue printed (INFO)
sound_health(){
	result "$1" INFO "$(grep -c 'lost (' "$2") 'output lost', $(grep -c ' back after' "$2") 'back after'$(xruns)"
}
# ALSA xruns, counted by a kprobe on __snd_pcm_xrun (the function that
# stops a stream on an underrun or overrun, playback and capture alike):
# Debian's kernel has no CONFIG_SND_PCM_XRUN_DEBUG, so no snd_pcm:xrun event
TR=/sys/kernel/tracing
xrun_trace_on(){
	mountpoint -q $TR || mount -t tracefs nodev $TR || { echo "no tracefs at $TR"; return 0; }
	[ -d $TR/events/rig/xrun ] || echo 'p:rig/xrun snd_pcm:__snd_pcm_xrun' >> $TR/kprobe_events ||
		{ echo "cannot set a kprobe on __snd_pcm_xrun"; return 0; }
	echo 1 > $TR/events/rig/xrun/enable && echo > $TR/trace && echo "kprobe on __snd_pcm_xrun"
}
xruns(){
	[ -r $TR/events/rig/xrun/enable ] || return 0
	printf '; %s ALSA xruns (playback and capture)' "$(grep -c ' xrun: ' $TR/trace)"
	echo > $TR/trace
}
# tcg_slowdown: the same render of short.yaml with a cold speech cache (so
# eSpeak NG and libsamplerate do all the work), natively on the host before
# boot (rig.sh) and here; prints both times and the ratio
render_s(){ sed -n 's/.* in \([0-9.]*\) s, .*/\1/p' "$1"; }
tcg_slowdown(){
	rm -rf /tmp/rig-cold
	XDG_CACHE_HOME=/tmp/rig-cold repcue render /hwrig/short.yaml -o /tmp/rig-cold.wav --quiet > $O/vm-render.txt 2>&1
	rm -rf /tmp/rig-cold /tmp/rig-cold.wav
	_h=$(render_s $O/host-render.txt); _v=$(render_s $O/vm-render.txt)
	[ -n "$_h" ] && [ -n "$_v" ] || { echo "no figure: $(cat $O/host-render.txt $O/vm-render.txt)"; return 0; }
	awk -v h=$_h -v v=$_v 'BEGIN { printf "render of short.yaml with a cold cache: host %.2f s, VM %.2f s: the VM is %.0f times slower", h, v, v / h }'
}
# start_play OUT ERR COMMAND...: starts a repcue session in the background
# (PID in PP) and returns once it plays or has ended. PortAudio's open is
# bounded at 2 s in repcue; under TCG, 10-40 times slower than the host, it
# sometimes takes longer and play exits "did not open the device within
# 2000 ms" (or "did not answer within 2000 ms while listing the sound
# devices"). That is the emulator, not the session under test: such a start
# is retried (twice at most) and logged to open-timeouts.log, which the
# checks report (portaudio_open_timeouts).
start_play(){
	_out=$1 _err=$2; shift 2
	_try=1
	while :; do
		"$@" > $_out 2> $_err < /dev/null &
		PP=$!
		while kill -0 $PP 2> /dev/null && ! grep -q 'playing through' $_err; do sleep 0.2; done
		grep -q 'playing through' $_err && return 0
		grep -Eq 'PortAudio did not (open the device|answer) within' $_err && [ $_try -lt 3 ] || return 0
		wait $PP
		echo "$(basename $_err) attempt $_try: $(cat $_err)" >> $O/open-timeouts.log
		_try=$((_try + 1))
	done
}
