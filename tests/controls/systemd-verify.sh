#!/bin/sh
# systemd-verify.sh UNIT REPCUE [CARD_SERVICE CARD_PATH COPIER] - checks
# systemd/repcue.service with systemd-analyze: `verify` must say nothing
# at all (it exits 0 even for unknown keys and bad values, so any message
# fails the test), and the offline security review must rate the exposure
# 1.5 or lower (issue 7). ExecStart is pointed at the built binary, which
# verify wants to exist. With the card units: the same for
# repcue-card.service (ExecStart the built copier) and repcue-card.path,
# and the copier is started at boot too (WantedBy=multi-user.target, after
# the card is mounted): a copy a power cut stopped is redone.
# Exit 77 (skipped) without systemd-analyze.
set -u
unit=$1 repcue=$2 card_service=${3:-} card_path=${4:-} copier=${5:-}
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "skipped: systemd-analyze not found (Debian package systemd)"
	exit 77
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
sed "s#/usr/bin/repcue#$repcue#" "$unit" >"$work/repcue.service"
# systemd-analyze verify of units in $work, clean or FAIL. --man=no:
# Documentation=man:repcue(1) exists once the package is installed, not on
# a build machine.
verify_clean() {
	out=$(cd "$work" && systemd-analyze verify --man=no "$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		echo "FAIL: systemd-analyze verify $* (exit $rc):"
		echo "$out"
		exit 1
	fi
	echo "systemd-analyze verify $*: clean"
}
verify_clean repcue.service
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
[ -z "$card_service" ] && exit 0

sed "s#/usr/libexec/repcue/repcue-card-copy#$copier#" "$card_service" >"$work/repcue-card.service"
cp "$card_path" "$work/repcue-card.path"
verify_clean repcue-card.service repcue-card.path
# started at boot as well as by the path unit, once the card is mounted
for want in 'WantedBy=multi-user.target' 'RequiresMountsFor=.*/boot/firmware/repcue' \
	'RequiresMountsFor=.*/var/lib/private/repcue'; do
	if ! grep -q "^$want" "$work/repcue-card.service"; then
		echo "FAIL: repcue-card.service has no $want: a copy a power cut stopped is not redone at boot"
		exit 1
	fi
done
# started for every change in the outbox (a sheet each): a start limit
# would fail the path unit for good (the hw tier saw 'unit-start-limit-hit')
if ! grep -q '^StartLimitIntervalSec=0$' "$work/repcue-card.service"; then
	echo "FAIL: repcue-card.service has a start limit: a card's sheets, copied one by one, stop the path unit"
	exit 1
fi
level=$(systemd-analyze security --offline=yes "$work/repcue-card.service" 2>&1 |
	sed -n 's/.*Overall exposure level for repcue-card.service: \([0-9.]*\).*/\1/p')
echo "systemd-analyze security repcue-card.service: exposure $level"
if [ -z "$level" ] || ! awk -v l="$level" 'BEGIN { exit !(l <= 1.5) }'; then
	echo "FAIL: the copier's exposure level '$level' above 1.5"
	exit 1
fi
exit 0
