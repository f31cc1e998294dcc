#!/bin/sh
# card-readme.sh - the README.txt the package puts on the card (issue 19
# item 5): installed with CRLF line ends (the postinst's sed, for
# Notepad), self-contained (no "man PAGE", no /usr/share path: a laptop
# cannot open them), ASCII, and its example routine passes `repcue check`.
#
# Usage: card-readme.sh REPCUE SOURCE_DIR
set -eu
repcue=$1 src=$2
readme=$src/debian/README.boot.txt
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# the postinst's own conversion line, run on the packaged file
conv=$(grep -o "sed 's/\\\$/\\\\r/' /usr/share/repcue/boot/README.txt" "$src/debian/repcue.postinst") ||
	fail "the postinst no longer converts README.txt with sed 's/\$/\\r/'"
grep -q 'debian/README.boot.txt debian/repcue/usr/share/repcue/boot/README.txt' "$src/debian/rules" ||
	fail "debian/rules no longer installs debian/README.boot.txt as boot/README.txt"
! grep -q "$(printf '\r')" "$readme" || fail "$readme has CRs already: the postinst would double them"
sed 's/$/\r/' "$readme" >"$dir/README.txt"
lines=$(wc -l <"$dir/README.txt")
crlf=$(grep -c "$(printf '\r')\$" "$dir/README.txt")
[ "$lines" -gt 0 ] && [ "$lines" -eq "$crlf" ] || fail "$crlf of $lines lines end in CRLF"
! grep -n 'man \|/usr/share\|/etc/' "$dir/README.txt" || fail "points to a file only the Pi can open"
! LC_ALL=C grep -n "$(printf '[\200-\377]')" "$readme" || fail "not plain ASCII"
for word in 'config.yaml' 'routines' 'line' 'Tab' 'sides:' 'seconds' 'problems.txt' 'No problems.'; do
	grep -q "$word" "$readme" || fail "does not mention $word"
done

# the example routine, as a person would copy it out of the README
awk '/^A complete example routine/{f=1} /^Other cues:/{f=0} f && /^  /{print substr($0,3)}' \
	"$readme" >"$dir/example.yaml"
"$repcue" check "$dir/example.yaml" || fail "the README's example routine does not pass repcue check"
echo "PASS"
