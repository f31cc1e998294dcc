#!/bin/sh
# harness-fail.sh SELFTEST: `SELFTEST fail` must exit 1 and print each
# failure with file:line, the condition and the values or message.
out=$("$1" fail 2>&1)
rc=$?
status=0
[ "$rc" -eq 1 ] || { echo "exit status $rc, expected 1"; status=1; }
for want in \
	'harness_selftest.c:[0-9]*: FAILED: n == 3$' \
	'harness_selftest.c:[0-9]*: FAILED: n == 4: n is 2$' \
	'FAILED: n == 5: 2 != 5$' \
	'FAILED: "a" equals "b": "a" != "b"$' \
	'FAILED: null_str equals "c": "(null)" != "c"$' \
	'FAILED: n == 6: then n = 7$' \
	'^case two_checks$' \
	'harness_selftest.c:[0-9]*: FAILED: n == 2: the case.s check$' \
	'^case two_checks: FAILED, 1 of 2 checks$' \
	'^harness_selftest fail: 2 checks passed, 7 failed$' \
	'FAILED: n == 8: the end$'; do
	printf '%s\n' "$out" | grep -q -- "$want" || { echo "missing: $want"; status=1; }
done
[ "$status" -eq 0 ] || printf 'output was:\n%s\n' "$out"
exit $status
