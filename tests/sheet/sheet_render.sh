#!/bin/sh
# repcue sheet through the binary, cairo and pango (render tier): the
# sheet of every seed routine, English and German, read back with
# poppler's pdftotext (every exercise's name, the total time `repcue
# check` gives, one page), drawn with pdftoppm, and as SVG (XML with an
# <svg> root) and PNG (read back by tests/sheet/png_check.py); US Letter; a long routine on more
# pages; the messages for a missing folder, an unknown extension, a
# broken routine. Usage: sheet_render.sh REPCUE SOURCE_DIR
set -u
repcue=$1
src=$2
. "$src/tests/lib/check.sh"
for tool in pdftotext pdftoppm pdfinfo python3; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "SKIP: $tool is missing (Debian package poppler-utils or python3)"; exit 77; }
done
hermetic_work

# the names of a routine's steps, one a line, as the file writes them
names() {
	sed -n 's/^  - name: *//p' "$1" | sed 's/^"\(.*\)"$/\1/'
}

is_png() {
	test "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a"
}

is_svg() {
	python3 -c 'import sys, xml.etree.ElementTree as E
root = E.parse(sys.argv[1]).getroot()
sys.exit(0 if root.tag.endswith("svg") else 1)' "$1"
}

for routine in upper-back-1 upper-back-2 upper-back-3 de/upper-back-1; do
	file="$src/routines/$routine.yaml"
	out="$work/$(echo "$routine" | tr / -)"
	case $routine in
	de/*) total="Gesamtdauer: etwa" unit="Minute" ;;
	*) total="Total time: about" unit="minute" ;;
	esac
	minutes=$("$repcue" check "$file" 2>/dev/null | sed -n 's/.*about \([0-9]*\) minute.*/\1/p')
	check "$routine: repcue check gives the minutes ($minutes)" test -n "$minutes"

	"$repcue" sheet "$file" -o "$out.pdf" >"$work/out" 2>"$work/err"
	check "$routine: sheet -o .pdf exits 0" test $? -eq 0
	check "$routine: says what it wrote" grep -q "wrote $out.pdf: 1 page" "$work/err"
	check "$routine: nothing on stdout" test ! -s "$work/out"
	pdftotext -raw "$out.pdf" "$work/text" 2>/dev/null
	check "$routine: pdftotext reads it" test -s "$work/text"
	# a name may wrap inside its column: read the text as one line
	tr -s '\n' ' ' <"$work/text" >"$work/line"
	names "$file" >"$work/names"
	check "$routine: has steps" test -s "$work/names"
	while IFS= read -r name; do
		check "$routine: the sheet names '$name'" grep -qF -- "$name" "$work/line"
	done <"$work/names"
	check "$routine: the total time, $minutes minutes" grep -qF -- "$total $minutes $unit" "$work/line"
	check "$routine: one page" sh -c "pdfinfo '$out.pdf' | grep -q '^Pages: *1$'"
	check "$routine: A4" sh -c "pdfinfo '$out.pdf' | grep -q '^Page size: *595.2[0-9]* x 841.8[0-9]* pts'"
	pdftoppm -png -r 40 "$out.pdf" "$out-page" 2>/dev/null
	check "$routine: pdftoppm draws it" is_png "$out-page-1.png"

	"$repcue" sheet "$file" -o "$out.svg" 2>/dev/null
	check "$routine: sheet -o .svg exits 0" test $? -eq 0
	check "$routine: the SVG parses as XML with an svg root" is_svg "$out.svg"
	"$repcue" sheet "$file" -o "$out.PNG" 2>/dev/null
	check "$routine: sheet -o .PNG exits 0" test $? -eq 0
	check "$routine: a PNG" is_png "$out.PNG"
	# A4 at 144 dpi, read back pixel by pixel (repcue writes it with libpng)
	check "$routine: the PNG reads back whole, A4 at 144 dpi, with ink" \
		python3 "$src/tests/sheet/png_check.py" "$out.PNG" 1191 1684
done

# the German sheet is German: the phrasebook's headings, none of the English
pdftotext -raw "$work/de-upper-back-1.pdf" - 2>/dev/null | tr -s '\n' ' ' >"$work/de"
check "German headings" grep -q "Übung.*Sätze.*Tempo.*Seiten.*Pause" "$work/de"
check "no English headings" sh -c "! grep -Eq 'Exercise|Form cues|Total time|Safety' '$work/de'"

"$repcue" sheet upper-back-1 --letter -o "$work/letter.pdf" 2>/dev/null
check "--letter exits 0 (a routine by name)" test $? -eq 0
check "--letter is US Letter" sh -c "pdfinfo '$work/letter.pdf' | grep -q '^Page size: *612 x 792 pts'"

# 32 steps with long names flow onto more pages
{
	printf 'repcue: 1\nname: A long routine\nsteps:\n'
	i=1
	while [ $i -le 32 ]; do
		printf '  - name: "Step %d with a long name that takes two lines in its column"\n' $i
		printf '    kind: hold\n    seconds: 10\n'
		i=$((i + 1))
	done
} >"$work/long.yaml"
"$repcue" sheet "$work/long.yaml" -o "$work/long.pdf" 2>"$work/err"
check "32 steps: exits 0" test $? -eq 0
pages=$(pdfinfo "$work/long.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
check "32 steps: more pages ($pages)" test "${pages:-0}" -ge 2
check "32 steps: says so" grep -q "wrote $work/long.pdf: $pages pages" "$work/err"
pdftotext -raw "$work/long.pdf" - 2>/dev/null | tr -s '\n' ' ' >"$work/long"
check "32 steps: the last one is there" grep -q "Step 32 with a long name" "$work/long"
check "32 steps: pages numbered" grep -q "Page $pages of $pages" "$work/long"

# errors: named, and nothing left behind
"$repcue" sheet upper-back-1 -o "$work/no/such/x.pdf" >/dev/null 2>"$work/err"
check "-o into a missing folder exits 1" test $? -eq 1
check "and says so, naming the file" grep -q "^repcue sheet: $work/no/such/x.pdf: No such file or directory" "$work/err"
"$repcue" sheet upper-back-1 -o "$work/x.doc" >/dev/null 2>"$work/err"
check "an unknown extension is a usage error" test $? -eq 2
check "naming the formats" grep -q "'$work/x.doc': say the format by the file's extension: .pdf, .svg or .png" "$work/err"
"$repcue" sheet upper-back-1 >/dev/null 2>"$work/err"
check "no -o is a usage error" test $? -eq 2
"$repcue" sheet "$src/tests/routine/bad/unknown-key-defaults.yaml" -o "$work/bad.pdf" >/dev/null 2>"$work/err"
check "a broken routine exits 1" test $? -eq 1
check "with file:line:col" grep -Eq "unknown-key-defaults.yaml:[0-9]+:[0-9]+: error" "$work/err"
check "and what came of it" grep -q "unknown-key-defaults.yaml: no sheet written; fix the problems above" "$work/err"
check "and nothing written" test ! -e "$work/bad.pdf"
check "no temporary left" sh -c "! ls -A '$work' | grep -q '^\.'"
"$repcue" sheet --help >"$work/out" 2>&1
check "--help exits 0" test $? -eq 0
check "--help names the formats" grep -q "SHEET.pdf|SHEET.svg|SHEET.png" "$work/out"
check_done sheet_render
