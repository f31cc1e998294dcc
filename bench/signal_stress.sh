#!/bin/sh
# signal_stress.sh - runs cases of tests/render/signal_test.py many times
# beside CPU load and prints how many passed and failed (issue 17, item 13:
# a SIGTERM in play's start-up that killed it without a word under ASan).
# A count, not a verdict: run it before and after a change to signal
# handling, with the ASan build, whose start-up is the slowest.
#
# usage: bench/signal_stress.sh REPCUE [RUNS [LOAD [SIGNAL_TEST [CASE...]]]]
#   REPCUE       the binary, e.g. build-asan/src/repcue
#   RUNS         how many runs (default 200)
#   LOAD         busy loops beside it (default 2: one per core of a Pi-like box)
#   SIGNAL_TEST  the test script (default tests/render/signal_test.py)
#   CASE         its cases (default play-priming, the start-up window)
# The output of each failed run is kept in $TMPDIR/signal-stress.*/fail-N.txt.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
repcue=${1:?usage: signal_stress.sh REPCUE [RUNS [LOAD [SIGNAL_TEST [CASE...]]]]}
runs=${2:-200}
load=${3:-2}
script=${4:-$here/tests/render/signal_test.py}
[ $# -gt 4 ] && shift 4 || set -- play-priming

logs=$(mktemp -d "${TMPDIR:-/tmp}/signal-stress.XXXXXX")
burners=""
stop_load() {
	for pid in $burners; do kill "$pid" 2>/dev/null || true; done
	burners=""
}
trap 'stop_load' EXIT
trap 'stop_load; exit 130' INT
trap 'stop_load; exit 143' TERM
i=0
while [ "$i" -lt "$load" ]; do
	sh -c 'while :; do :; done' &
	burners="$burners $!"
	i=$((i + 1))
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
pass=0 fail=0 i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	if python3 "$script" "$repcue" "$here" "$@" >"$logs/run.txt" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		mv "$logs/run.txt" "$logs/fail-$i.txt"
		grep '^FAIL' "$logs/fail-$i.txt" | head -3 | sed "s/^/run $i: /" >&2
	fi
done
stop_load
rm -f "$logs/run.txt"
echo "signal_stress: $runs runs of $* with $load busy loops: $pass passed, $fail failed"
echo "signal_stress: failed runs' output in $logs"
[ "$fail" -eq 0 ]
