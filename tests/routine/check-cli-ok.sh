#!/bin/sh
# check-cli-ok.sh - `repcue check` on valid routines: exit 0, exactly one
# "FILE: ok (N steps, about M minutes)" line per file, in order, with a
# plausible step count and length, and nothing at all on stderr (no
# warning, no diagnostic).
#
# Usage: check-cli-ok.sh REPCUE FILE...
set -eu
repcue=$1
shift
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
status=0
"$repcue" check "$@" >"$out" 2>"$err" || status=$?
fail() {
	echo "FAIL: $*"
	echo "--- stdout:"; cat "$out"
	echo "--- stderr:"; cat "$err"
	exit 1
}
[ "$status" -eq 0 ] || fail "exit $status, expected 0"
[ ! -s "$err" ] || fail "something on stderr"
[ "$(wc -l <"$out")" -eq $# ] || fail "expected $# lines, one per file"
i=0
for f in "$@"; do
	i=$((i + 1))
	line=$(sed -n "${i}p" "$out")
	case "$line" in
	"$f: ok ("[1-9]*" steps, about "[1-9]*" minutes)") ;;
	*) fail "line $i is not '$f: ok (N steps, about M minutes)': $line" ;;
	esac
done
cat "$out"
echo "PASS: $# routines ok"
