#!/bin/sh
# check-cli-misnamed.sh - `repcue check` on a valid routine that Notepad
# saved as NAME.yaml.txt: not "ok" (the lobby would not offer it), exit 1,
# and the same fix the lobby's log gives ("rename it to NAME.yaml").
#
# Usage: check-cli-misnamed.sh REPCUE ROUTINE
set -eu
repcue=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$2" "$dir/shoulders.yaml.txt"
status=0
"$repcue" check "$dir/shoulders.yaml.txt" >"$dir/out" 2>"$dir/err" || status=$?
cat "$dir/out" "$dir/err"
[ "$status" -eq 1 ] || { echo "FAIL: exit $status, expected 1"; exit 1; }
grep -q "rename it to shoulders.yaml" "$dir/err" || { echo "FAIL: no 'rename it to shoulders.yaml'"; exit 1; }
! grep -q ": ok" "$dir/out" || { echo "FAIL: said ok"; exit 1; }
echo "PASS"
