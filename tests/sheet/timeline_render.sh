#!/bin/sh
# repcue render --timeline through the binary, cairo and pango (render
# tier): a seed routine rendered with presses, drawn as SVG (parses as XML
# with an <svg> root, says the routine and every exercise in its <title>
# and <desc>, a wide page) and as PNG (its signature, a size within
# cairo's limits); the transcript is the same with and without
# --timeline; an unknown extension is refused before anything renders.
# Usage: timeline_render.sh REPCUE SOURCE_DIR
set -u
repcue=$1
src=$2
. "$src/tests/lib/check.sh"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is missing"; exit 77; }
hermetic_work

routine="$src/routines/upper-back-1.yaml"
"$repcue" render "$routine" -o "$work/a.wav" --press next@40,pause@60,pause@64 \
	--timeline "$work/a.svg" >"$work/with" 2>"$work/err"
check "render --timeline .svg exits 0" test $? -eq 0
check "says what it drew" grep -q "wrote $work/a.svg: the timeline, [0-9]* events" "$work/err"
"$repcue" render "$routine" -o "$work/b.wav" --press next@40,pause@60,pause@64 >"$work/without" 2>/dev/null
check "the transcript is the same with --timeline" cmp -s "$work/with" "$work/without"
check "the WAV is the same with --timeline" cmp -s "$work/a.wav" "$work/b.wav"
sed -n 's/^  - name: *//p' "$routine" | sed 's/^"\(.*\)"$/\1/' >"$work/names"
check "the routine has steps" test -s "$work/names"
python3 - "$work/a.svg" "$work/names" "$(grep -c '' "$work/with")" <<'PY'
import sys
import xml.etree.ElementTree as E
svg, names_file, lines = sys.argv[1], sys.argv[2], int(sys.argv[3])
root = E.parse(svg).getroot()
ns = "{http://www.w3.org/2000/svg}"
ok = root.tag == ns + "svg"
said = (root.findtext(ns + "title") or "") + " " + (root.findtext(ns + "desc") or "")
for name in open(names_file, encoding="utf-8").read().splitlines():
    if name not in said:
        print("FAILED: the SVG does not name '%s': %s" % (name, said))
        ok = False
width = float(root.get("width").rstrip("pt"))
# 12 points a second: a wide page, to zoom into
if width < 5000:
    print("FAILED: the SVG is %.0f points wide" % width)
    ok = False
# a mark for every event: many more shapes than transcript lines
shapes = sum(1 for e in root.iter() if e.tag in (ns + "path", ns + "rect", ns + "use"))
if shapes < lines:
    print("FAILED: %d shapes for %d transcript lines" % (shapes, lines))
    ok = False
sys.exit(0 if ok else 1)
PY
check "the SVG parses, names the routine's exercises, is wide" test $? -eq 0

"$repcue" render "$routine" -o "$work/c.wav" --quiet --timeline "$work/a.png" 2>"$work/err"
check "render --timeline .png exits 0" test $? -eq 0
check "a PNG by its signature" test "$(head -c 8 "$work/a.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a"
python3 - "$work/a.png" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read(24)
w, h = struct.unpack(">II", data[16:24])
ok = data[12:16] == b"IHDR" and 1000 < w <= 32767 and 100 < h < 2000
if not ok:
    print("FAILED: PNG %dx%d" % (w, h))
sys.exit(0 if ok else 1)
PY
check "the PNG's size is within cairo's limits and wide" test $? -eq 0

"$repcue" render "$routine" -o "$work/d.wav" --timeline "$work/a.pdf" >/dev/null 2>"$work/err"
check "a .pdf timeline is refused (exit 2)" test $? -eq 2
check "the refusal names the formats" grep -q "\.svg or \.png" "$work/err"
check "nothing rendered when refused" test ! -e "$work/d.wav"

check_done sheet.timeline_render
