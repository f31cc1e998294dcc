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

# exactly four sessions written by the real history module (a fixed seed,
# a fake clock; closed cleanly), then read back: each one counted once
n=4
"$driver" run "$work/state" 1 "$n" >/dev/null
check "the driver wrote its $n sessions" test $? -eq 0
"$repcue" history >"$work/t.txt"
check "table exits 0" test $? -eq 0
sessions=$(grep -c "Test routine" "$work/t.txt")
check "table lists the $n sessions ($sessions)" test "$sessions" -eq "$n"
check "with a week summary" grep -q "^week of" "$work/t.txt"
this_week=$(sed -n '/^week of/,$p' "$work/t.txt" | tail -n 1 | awk '{ print $2 }')
check "this week has the $n sessions ($this_week)" test "$this_week" = "$n"
"$repcue" history --csv >"$work/c.csv"
check "CSV exits 0" test $? -eq 0
check "CSV header" sh -c "head -n 1 '$work/c.csv' | grep -q '^date,routine,level,file,minutes,outcome,sets_done,sets_total,progress'"
rows=$(($(wc -l <"$work/c.csv") - 1))
check "CSV has one row per session ($rows = $n)" test "$rows" -eq "$n"
# how they felt (the driver rates each; only completed sessions keep it):
# the CSV's last column and the table say the same
check "CSV header ends with rating" sh -c "head -n 1 '$work/c.csv' | grep -q ',counts,rating.\$'"
rated_csv=$(grep -c ',\(easy\|hard\|hurt\).$' "$work/c.csv")
rated_table=$(grep -c "rated \(easy\|hard\|hurt\))" "$work/t.txt")
completed=$(grep -c ',completed,' "$work/c.csv")
check "every completed session rated in the CSV ($rated_csv of $completed)" test "$rated_csv" -eq "$completed" -a "$completed" -gt 0
check "and in the table ($rated_table)" test "$rated_table" -eq "$rated_csv"

check_done history_cli
