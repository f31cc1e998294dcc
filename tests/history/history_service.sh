#!/bin/sh
# repcue history run by a person at the Pi, not by the service (issue 19
# item 6): the service keeps its history in /var/lib/repcue, a link into
# /var/lib/private that only root can enter (DynamicUser=). With no history
# of their own, root (sudo) is shown the service's, read-only, and anyone
# else is told to run 'sudo repcue history'. With $REPCUE_STATE_DIR set,
# only that one is looked at. /var/lib is a tmpfs in a private mount
# namespace, so nothing of this machine's is read or touched (77 without
# unshare or setpriv).
# Usage: history_service.sh REPCUE CRASH_DRIVER
set -u
repcue=$1
driver=$2
. "$(dirname "$0")/../lib/check.sh"
hermetic_work
unset REPCUE_STATE_DIR XDG_STATE_HOME STATE_DIRECTORY

if ! unshare -m true 2>/dev/null || ! command -v setpriv >/dev/null; then
	echo "SKIP: needs a private mount namespace (unshare -m, as root) and setpriv"
	exit 77
fi
# the service's history, made by the real history module
"$driver" run "$work/state" 1 | head -n 10 >"$work/commits.txt"
check "the driver committed sessions" test "$(grep -c '^commit' "$work/commits.txt")" -eq 10
chmod 711 "$work"
mkdir -m 777 "$work/someone"
unshare -m sh -c '
	mount -t tmpfs -o mode=0755 tmpfs /var/lib || exit 9
	mkdir -m 0700 /var/lib/private && cp -a "$1" /var/lib/private/repcue && ln -s private/repcue /var/lib/repcue
	"$2" history >"$3/root.txt" 2>"$3/root.err"; echo "root $?" >"$3/rc.txt"
	HOME="$3/someone" setpriv --reuid=65534 --regid=65534 --clear-groups "$2" history \
		>"$3/user.txt" 2>"$3/user.err"; echo "user $?" >>"$3/rc.txt"
	REPCUE_STATE_DIR="$3/empty" "$2" history >"$3/named.txt" 2>&1; echo "named $?" >>"$3/rc.txt"
' sh "$work/state" "$repcue" "$work"
check "the namespace was made" test -s "$work/rc.txt"
check "root: exit 0" grep -qx "root 0" "$work/rc.txt"
check "root: the service's sessions" grep -q "Test routine" "$work/root.txt"
check "root: says whose history it is" grep -q "the coach service's history, /var/lib/repcue/history.db" "$work/root.err"
check "someone else: exit 0" grep -qx "user 0" "$work/rc.txt"
check "someone else: told to use sudo" grep -q "run 'sudo repcue history'" "$work/user.txt"
check "someone else: nothing on stderr" test ! -s "$work/user.err"
check "\$REPCUE_STATE_DIR set: only that one" grep -q "no history yet" "$work/named.txt"
check "\$REPCUE_STATE_DIR set: not the service's" sh -c "! grep -q 'Test routine\|sudo' '$work/named.txt'"
for f in root.txt root.err user.txt user.err named.txt; do echo "--- $f"; cat "$work/$f"; done
check_done history_service
