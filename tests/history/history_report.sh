#!/bin/sh
# repcue history --report through the binary, cairo and pango (render
# tier; issue 21 item 3): a history of sessions written by the real
# history module (crash_driver: a fixed seed whose 4 sessions, this week,
# end with one that counts), then the report read
# back with poppler's pdftotext: the header, the routines' names, the
# target, and the week counts that `repcue history` prints; pdftoppm draws
# it; SVG and PNG; --letter, --weeks, --target; usage errors; the history
# is read, never written. Usage: history_report.sh REPCUE CRASH_DRIVER SOURCE_DIR
set -u
repcue=$1
driver=$2
src=$3
. "$src/tests/lib/check.sh"
for tool in pdftotext pdftoppm pdfinfo; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "SKIP: $tool is missing (Debian package poppler-utils)"; exit 77; }
done
hermetic_work
state="$work/state"
export REPCUE_STATE_DIR="$state"

is_png() {
	test "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a"
}
# the report's text, runs of blanks made one
text_of() {
	pdftotext -layout "$1" - 2>/dev/null | tr -s ' ' >"$2"
}

# no history yet: nothing written, and said so
"$repcue" history --report "$work/none.pdf" >/dev/null 2>"$work/err"
check "no history: exits 1" test $? -eq 1
check "no history: says no report was written" grep -q "no report written" "$work/err"
check "no history: no file" test ! -e "$work/none.pdf"

"$driver" run "$state" 7 4 >/dev/null
check "the driver wrote 4 sessions" test $? -eq 0
"$repcue" history >"$work/table.txt"
check "repcue history lists the sessions" test "$(grep -c 'Test routine' "$work/table.txt")" -eq 4
# the weeks as `repcue history` sums them: "week sessions counted"
sed -n '/^week of/,$p' "$work/table.txt" | sed 1d | awk '{ print $1, $2, $3 }' >"$work/weeks.txt"
check "four weeks summed" test "$(wc -l <"$work/weeks.txt")" -eq 4
check "one session of four counts this week" sh -c "tail -n 1 '$work/weeks.txt' | grep -q ' 4 1$'"
first_monday=$(head -n 1 "$work/weeks.txt" | cut -d' ' -f1)

# (a reader of a WAL database may leave an empty -wal and a -shm beside it,
# as `repcue history` does: the database and the CSV must not change)
sum_before=$(cat "$state/history.db" "$state/history.csv" | md5sum)
"$repcue" history --report "$work/report.pdf" >"$work/out" 2>"$work/err"
check "--report .pdf exits 0" test $? -eq 0
check "says what it wrote" grep -q "wrote $work/report.pdf: 1 page, 4 sessions" "$work/err"
check "nothing on stdout" test ! -s "$work/out"
text_of "$work/report.pdf" "$work/text"
check "the header" grep -q "repcue – exercise report" "$work/text"
check "the period, from the Monday 3 weeks back" grep -q "Period: Monday $first_monday to Sunday .* (4 weeks)" "$work/text"
check "when it was made" grep -q "Generated $(date +%Y-%m-%d)" "$work/text"
check "the target, 3 by default" grep -q "Target: 3 sessions a week" "$work/text"
check "the routine" grep -q "Test routine" "$work/text"
check "the pain column says where it comes from" grep -q "(as rated)" "$work/text"
while read -r monday sessions counted; do
	met=no
	[ "$counted" -ge 3 ] && met=yes
	check "the week of $monday: $sessions sessions, $counted counted" \
		grep -q "^$monday $sessions $counted $met" "$work/text"
done <"$work/weeks.txt"
check "one page" sh -c "pdfinfo '$work/report.pdf' | grep -q '^Pages: *1$'"
check "A4" sh -c "pdfinfo '$work/report.pdf' | grep -q '^Page size: *595.2[0-9]* x 841.8[0-9]* pts'"
pdftoppm -png -r 40 "$work/report.pdf" "$work/page" 2>/dev/null
check "pdftoppm draws it" is_png "$work/page-1.png"
check "the history is only read: the same bytes" \
	test "$(cat "$state/history.db" "$state/history.csv" | md5sum)" = "$sum_before"

"$repcue" history --report "$work/letter.pdf" --letter --weeks 2 --target 1 2>/dev/null
check "--letter --weeks 2 --target 1 exits 0" test $? -eq 0
check "US Letter" sh -c "pdfinfo '$work/letter.pdf' | grep -q '^Page size: *612 x 792 pts'"
text_of "$work/letter.pdf" "$work/letter"
check "a period of 2 weeks" grep -q "(2 weeks)" "$work/letter"
check "the target given" grep -q "Target: 1 session a week" "$work/letter"
this=$(tail -n 1 "$work/weeks.txt" | cut -d' ' -f1)
check "this week meets a target of 1" grep -q "^$this 4 1 yes" "$work/letter"
"$repcue" history --report "$work/report.svg" 2>/dev/null
check ".svg exits 0" test $? -eq 0
check "an SVG" grep -q "<svg" "$work/report.svg"
"$repcue" history --report "$work/report.PNG" 2>/dev/null
check ".PNG exits 0" test $? -eq 0
check "a PNG" is_png "$work/report.PNG"

# usage errors (2) and a folder that is not there (1), nothing left behind
"$repcue" history --report "$work/x.doc" >/dev/null 2>"$work/err"
check "an unknown extension is a usage error" test $? -eq 2
check "naming the formats" grep -q "'$work/x.doc': say the report's format by the file's extension" "$work/err"
"$repcue" history --report "$work/x.pdf" --csv >/dev/null 2>&1
check "--csv with --report is a usage error" test $? -eq 2
"$repcue" history --report "$work/x.pdf" --target many >/dev/null 2>"$work/err"
check "--target many is a usage error" test $? -eq 2
check "naming the range" grep -q "0 to 21" "$work/err"
"$repcue" history --target 2 >/dev/null 2>&1
check "--target without --report is a usage error" test $? -eq 2
"$repcue" history --report "$work/no/such/x.pdf" >/dev/null 2>"$work/err"
check "into a missing folder exits 1" test $? -eq 1
check "naming the file" grep -q "^repcue history: $work/no/such/x.pdf: No such file or directory" "$work/err"
check "no temporary left" sh -c "! ls -A '$work' | grep -q '^\.'"
"$repcue" history --help >"$work/out"
check "--help names --report" grep -q -- "--report REPORT.pdf" "$work/out"
check_done history_report
