#!/bin/sh
# repcue history through the binary: usage, no history yet, a table and CSV.
# Usage: history_cli.sh REPCUE CRASH_DRIVER
set -u
repcue=$1
driver=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export REPCUE_STATE_DIR="$work/state" HOME="$work"
. "$(dirname "$0")/../lib/check.sh"

"$repcue" history --help >"$work/h.txt"
check "--help exits 0" test $? -eq 0
check "--help names --csv" grep -q -- "--csv" "$work/h.txt"
"$repcue" history --weeks 0 2>"$work/w.txt"
check "--weeks 0 is a usage error" test $? -eq 2
check "naming the range" grep -q "1 to 520" "$work/w.txt"
"$repcue" history extra 2>/dev/null
check "an extra argument is a usage error" test $? -eq 2
"$repcue" history >"$work/n.txt"
check "no history yet exits 0" test $? -eq 0
check "and says so" grep -q "no history yet" "$work/n.txt"
check "and creates nothing" test ! -e "$work/state"

# a few sessions written by the real history module, then read back
timeout -s KILL 2 "$driver" run "$work/state" 1 >/dev/null
"$repcue" history >"$work/t.txt"
check "table exits 0" test $? -eq 0
check "table lists the sessions" grep -q "Test routine" "$work/t.txt"
check "with a week summary" grep -q "^week of" "$work/t.txt"
"$repcue" history --csv >"$work/c.csv"
check "CSV exits 0" test $? -eq 0
check "CSV header" sh -c "head -n 1 '$work/c.csv' | grep -q '^date,routine,level,file,minutes,outcome,sets_done,sets_total,progress'"
rows=$(($(wc -l <"$work/c.csv") - 1))
sessions=$(grep -c "Test routine" "$work/t.txt")
check "CSV has every session ($rows >= $sessions)" test "$rows" -ge "$sessions"

check_done history_cli
