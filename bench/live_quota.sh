#!/bin/sh
# bench/live_quota.sh BUILD_DIR [SECONDS]: a live session on a slow CPU
# (issue 22's benchmark): `repcue play` of upper-back-1 through the null
# output (paced by the clock, as a sound card paces it), held by a cgroup
# to 10 % of one core, the stand-in for a slow Pi. Twice in the same run:
# without music (the baseline) and with the card's music (five tracks made
# by tests/music/make_music, one per format, shuffled). Per run: CPU used
# (% of one core: the process's user+system time over the wall time), how
# often and how long the quota held the process back (the cgroup's
# nr_throttled and throttled_time: 0 means it never waited), whether the
# music fell behind (repcue says so at the end), and the peak RSS. The
# decoder's share is the difference. A third run is the coach as the
# service runs it: `play --wait-for-start --card-out` on a card of the three
# bundled routines with the music in its music/ folder, which draws the
# routines' sheets in the lobby (as children: `repcue sheet`) and is started
# 15 s in; its peak is the coach's own (VmHWM), since wait4's figure
# includes the children it waited for. Printed, never asserted: the machine
# may be busy. Needs root and the cgroup v1 cpu controller or cgroup v2
# with cpu.max; says which is missing otherwise.
set -eu
build=${1:-build}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
repcue=$build/src/repcue
child=$build/bench/bench_child
quota_pct=10

for f in "$repcue" "$child" "$build/tests/music/make_music"; do
	[ -x "$f" ] || { echo "live_quota: $f not built (cmake --build $build)"; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "live_quota: needs root (to make a cgroup)"; exit 1; }

# The cgroup: v1's cpu controller (cfs quota) or v2's cpu.max.
cg=""
if [ -w /sys/fs/cgroup/cpu ] && [ -e /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
	cg=/sys/fs/cgroup/cpu/repcue-bench.$$
	mkdir "$cg"
	echo 100000 >"$cg/cpu.cfs_period_us"
	echo $((quota_pct * 1000)) >"$cg/cpu.cfs_quota_us"
elif [ -e /sys/fs/cgroup/cgroup.controllers ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
	echo +cpu >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
	cg=/sys/fs/cgroup/repcue-bench.$$
	mkdir "$cg"
	echo "$((quota_pct * 1000)) 100000" >"$cg/cpu.max"
else
	echo "live_quota: no cgroup cpu controller here (v1 /sys/fs/cgroup/cpu or v2 cpu.max)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rmdir "$cg" 2>/dev/null; rm -rf "$tmp"' EXIT

mkdir -p "$tmp/music" "$tmp/home"
"$build/tests/music/make_music" "$tmp/music" 60 >/dev/null
printf 'repcue: 1\nmusic: {on: true, order: shuffle, seed: 1}\n' >"$tmp/config.yaml"
routine=$root/routines/upper-back-1.yaml
# the speech cache warm first (a live session on a Pi starts warm after
# its first), outside the cgroup
HOME=$tmp/home REPCUE_CACHE_DIR=$tmp/cache "$repcue" render "$routine" -o "$tmp/warm.wav" -q >/dev/null 2>&1

# a counter of the cgroup's cpu.stat (v2 names the time throttled_usec)
throttled() {
	v=$(sed -n "s/^$1 //p" "$cg/cpu.stat")
	[ -n "$v" ] || v=$(($(sed -n "s/^${1%_time}_usec //p" "$cg/cpu.stat") * 1000))
	echo "$v"
}

# one RUN_NAME [ARGS...]: play for $seconds s inside the cgroup; the
# quota's counters are read from the first sound on (start-up's loading
# is a burst the quota may well stretch; the session after it must not be)
one() {
	name=$1
	shift
	: >"$tmp/$name.err"
	# the shell joins the cgroup, then becomes bench_child: its children inherit it
	sh -c 'echo $$ >"$1/cgroup.procs"; shift; exec "$@"' sh "$cg" \
		env HOME="$tmp/home" REPCUE_BOOT_DIR="$boot" REPCUE_CACHE_DIR="$tmp/cache" REPCUE_STATE_DIR="$tmp/state.$name" \
		"$child" -t "$seconds" -- "$repcue" play "$routine" --output null --no-keys "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	# the coach's own peak (bench_child's child), read until it ends
	hwm=0
	peak() {
		for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
			h=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/"$c"/status 2>/dev/null)
			[ -z "$h" ] || [ "$h" -le "$hwm" ] || hwm=$h
		done
	}
	while kill -0 "$pid" 2>/dev/null && ! grep -q 'playing through' "$tmp/$name.err"; do peak; sleep 0.1; done
	n0=$(throttled nr_throttled) t0=$(throttled throttled_time)
	# the lines ahead are made (or read from the cache) in the first
	# seconds: a burst; what follows is the steady session
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do peak; sleep 0.1; i=$((i + 1)); done
	n1=$(throttled nr_throttled) t1=$(throttled throttled_time)
	while kill -0 "$pid" 2>/dev/null; do peak; sleep 0.1; done
	wait "$pid" || true
	n2=$(throttled nr_throttled) t2=$(throttled throttled_time)
	r=$(cat "$tmp/$name.out")
	wall=$(printf '%s\n' "$r" | tr ' ' '\n' | sed -n 's/^wall_s=//p')
	cpu=$(printf '%s\n' "$r" | tr ' ' '\n' | sed -n 's/^cpu_s=//p')
	rss=$(printf '%s\n' "$r" | tr ' ' '\n' | sed -n 's/^maxrss_kb=//p')
	late=$(sed -n 's/.*the music fell behind the sound: \([0-9.]*\) s.*/\1/p' "$tmp/$name.err")
	printf '%-12s %7s %7s %8s %14s %14s %9s %9s\n' "$name" "$wall" "$cpu" \
		"$(awk -v c="$cpu" -v w="$wall" 'BEGIN { printf "%.2f", 100 * c / w }')" \
		"$((n1 - n0))/$((n2 - n1))" "$(((t1 - t0) / 1000000))/$(((t2 - t1) / 1000000))" \
		"$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" \
		"$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')"
	[ -z "$late" ] || echo "             the music fell behind: $late s came late"
	grep -q 'playing through null output' "$tmp/$name.err" || { echo "$name: did not play:"; cat "$tmp/$name.err"; }
}

echo "live session, upper-back-1, $seconds s through the null output, held to $quota_pct % of one core by $cg"
printf '%-12s %7s %7s %8s %14s %14s %9s %9s\n' run wall_s cpu_s "cpu_%" throttled throttled_ms rss_MB coach_MB
echo "(cpu: the whole process and its children, start-up included; throttled: periods and ms in the"
echo " first 10 s after the first sound / from then to the end; rss: wait4's peak, the process's and"
echo " its children's; coach: the process's own VmHWM)"
boot=$tmp/no-card   # none: the first two runs play the routine alone
one no-music
one music --config "$tmp/config.yaml" --music "$tmp/music"
# the card as the service sees it: routines, settings with music on, music
card=$tmp/boot/repcue
mkdir -p "$card/routines"
cp "$root/routines/upper-back-1.yaml" "$card/routines/a-upper-back-1.yaml"
cp "$root/routines/upper-back-2.yaml" "$root/routines/upper-back-3.yaml" "$card/routines/"
cp -r "$tmp/music" "$card/music"
cp "$tmp/config.yaml" "$card/config.yaml"
boot=$tmp/boot
one card-music --wait-for-start --card-out "$tmp/outbox" --simulate start@15
ls "$tmp/outbox/sheets"/*.pdf >/dev/null 2>&1 || echo "card-music: no sheets were drawn: $(ls "$tmp/outbox" 2>&1)"
echo "(throttled: 100 ms periods in which the quota held the process back; 0 = it never waited."
echo " The decoder's share is cpu_% with music minus without; figures from whatever machine runs this.)"
