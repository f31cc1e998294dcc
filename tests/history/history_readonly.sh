#!/bin/sh
# repcue history on a read-only history (issue 17 item 7): a backup, or a
# card in a reader. `history` only reads, so it opens the database
# read-only and shows the table and the CSV; it writes nothing there.
# Root ignores file modes, so the state directory is made read-only by a
# read-only bind mount in a private mount namespace (77 without unshare).
# Usage: history_readonly.sh REPCUE CRASH_DRIVER
set -u
repcue=$1
driver=$2
. "$(dirname "$0")/../lib/check.sh"
hermetic_work
state="$work/state"
export REPCUE_STATE_DIR="$state"

if ! unshare -m true 2>/dev/null; then
	echo "SKIP: needs a private mount namespace (unshare -m: root or user namespaces)"
	exit 77
fi

# sessions written by the real history module: the driver prints a line per
# commit; after 40 of them head exits and the driver ends on SIGPIPE
"$driver" run "$state" 1 | head -n 40 >"$work/commits.txt"
check "the driver committed 40 records" test "$(grep -c '^commit' "$work/commits.txt")" -eq 40
"$repcue" history >"$work/rw.txt"
check "writable: the table lists sessions" grep -q "Test routine" "$work/rw.txt"
sessions=$(grep -c "Test routine" "$work/rw.txt")

# the directory read-only, as the driver left it (cut off: its -wal and
# -shm still there, so the reader must not need to write either)
ls "$state" >"$work/before.txt"
check "the write-ahead log is there" test -e "$state/history.db-wal"
sum_before=$(cat "$state"/* | md5sum)
unshare -m sh -c '
	mount --bind -o ro "$1" "$1" || exit 9
	"$2" history >"$3/ro.txt" 2>"$3/ro.err"; echo "table $?" >"$3/rc.txt"
	"$2" history --csv >"$3/ro.csv" 2>>"$3/ro.err"; echo "csv $?" >>"$3/rc.txt"
' sh "$state" "$repcue" "$work"
check "the read-only mount took" test -s "$work/rc.txt"
check "read-only: the table exits 0" grep -qx "table 0" "$work/rc.txt"
check "read-only: the same sessions" test "$(grep -c "Test routine" "$work/ro.txt")" -eq "$sessions"
check "read-only: the CSV exits 0" grep -qx "csv 0" "$work/rc.txt"
check "read-only: the CSV has every session" test "$(($(wc -l <"$work/ro.csv") - 1))" -eq "$sessions"
check "read-only: nothing on stderr" test ! -s "$work/ro.err"
ls "$state" >"$work/after.txt"
check "nothing added to the state directory" cmp -s "$work/before.txt" "$work/after.txt"
check "nothing changed in it" test "$(cat "$state"/* | md5sum)" = "$sum_before"
if [ -s "$work/ro.err" ]; then cat "$work/ro.err"; fi

check_done history_readonly
