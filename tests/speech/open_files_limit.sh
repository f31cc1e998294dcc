#!/bin/sh
# Out of file descriptors (issue 17 item 7): with a low `ulimit -n` the
# coach must say what really happened -- too many open files -- and not
# "eSpeak NG has no voice for 'en-gb'" or a permissions problem, which send
# the user looking in the wrong place. Every limit from 4 up to the first
# one that works is tried with the real binary (render, which opens the
# routine, the history, eSpeak NG and the WAV); each failure must name
# EMFILE, and the smallest limit that works must be found below 64.
# Usage: open_files_limit.sh REPCUE ROUTINE
set -u
repcue=$1
routine=$2
. "$(dirname "$0")/../lib/check.sh"
hermetic_work
export REPCUE_STATE_DIR="$work/state"

n=4
worked=0
while [ "$n" -lt 64 ]; do
	# a fresh speech cache each time: a cached line would spare eSpeak NG
	(ulimit -n "$n" && exec "$repcue" render "$routine" -o "$work/x.wav" -q --with-history) \
		>"$work/out.txt" 2>&1 </dev/null
	rc=$?
	rm -rf "$REPCUE_CACHE_DIR"
	if [ "$rc" -eq 0 ]; then
		worked=$n
		break
	fi
	# below a few descriptors the dynamic loader itself fails (127): not ours
	if [ "$rc" -eq 127 ] && grep -q 'error while loading shared libraries' "$work/out.txt"; then
		n=$((n + 1))
		continue
	fi
	ours=$(grep '^repcue\|: error: ' "$work/out.txt")
	if printf '%s\n' "$ours" | grep -q 'Too many open files' &&
		! printf '%s\n' "$ours" | grep -qi 'no voice\|permission\|check the SD card'; then
		passes=$((passes + 1))
	else
		failures=$((failures + 1))
		echo "FAILED: ulimit -n $n: exit $rc without naming 'Too many open files':"
		cat "$work/out.txt"
	fi
	n=$((n + 1))
done
check "a limit below 64 works (found $worked)" test "$worked" -gt 0
echo "failures below $worked open files: $passes, each named EMFILE"
check_done open_files_limit
