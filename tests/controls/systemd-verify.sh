#!/bin/sh
# systemd-verify.sh UNIT REPCUE - checks systemd/repcue.service with
# systemd-analyze: `verify` must say nothing at all (it exits 0 even for
# unknown keys and bad values, so any message fails the test), and the
# offline security review must rate the exposure 1.5 or lower (issue 7).
# ExecStart is pointed at the built binary, which verify wants to exist.
# Exit 77 (skipped) without systemd-analyze.
set -u
unit=$1 repcue=$2
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "skipped: systemd-analyze not found (Debian package systemd)"
	exit 77
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
sed "s#/usr/bin/repcue#$repcue#" "$unit" >"$work/repcue.service"
# --man=no: Documentation=man:repcue(1) exists once the package is
# installed, not on a build machine.
out=$(systemd-analyze verify --man=no "$work/repcue.service" 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ -n "$out" ]; then
	echo "FAIL: systemd-analyze verify (exit $rc):"
	echo "$out"
	exit 1
fi
echo "systemd-analyze verify: clean"
# --offline needs systemd 252 or later; older ones cannot review a file.
sec=$(systemd-analyze security --offline=yes "$work/repcue.service" 2>&1) || {
	echo "security review not available here (systemd < 252): verify only"
	exit 0
}
level=$(printf '%s\n' "$sec" | sed -n 's/.*Overall exposure level for repcue.service: \([0-9.]*\).*/\1/p')
echo "systemd-analyze security: exposure $level"
if [ -z "$level" ] || ! awk -v l="$level" 'BEGIN { exit !(l <= 1.5) }'; then
	echo "FAIL: exposure level '$level' above 1.5:"
	printf '%s\n' "$sec" | grep -v '^✓' | head -40
	exit 1
fi
exit 0
