#!/bin/sh
# stale-jack-lock.sh - shows that the suite's PortAudio tests are hermetic:
# leaves a stale JACK server in /dev/shm (a default server, started and then
# stopped with SIGSTOP: its sockets, semaphores and shm registry stay, and a
# client that connects waits for ever, as with a crashed client holding the
# server), runs the given ctest tests under it, and removes it afterwards.
# Without a private /dev/shm per test, `repcue play` meets that server in
# Pa_Initialize and fails or hangs; with one, the tests do not see it.
#
# The stale server is put in a /dev/shm of a mount namespace of its own,
# standing in for the machine's: on a shared machine the real one may be in
# use by others. `--real-shm` uses the real /dev/shm (only on a machine of
# your own: every JACK client on it is stuck until the script ends).
#
# Usage: stale-jack-lock.sh [--real-shm] BUILD_DIR CTEST_REGEX
set -eu
real=0
if [ "${1:-}" = --real-shm ]; then
	real=1
	shift
fi
build=$1
regex=$2

skip() {
	echo "SKIP: $*"
	exit 77
}

if [ "${REPCUE_STALE_INNER:-}" != 1 ]; then
	[ "$(id -u)" -eq 0 ] || skip "needs root to make a mount namespace with its own /dev/shm"
	if ! command -v jackd >/dev/null 2>&1 || ! command -v jack_lsp >/dev/null 2>&1; then
		skip "jackd or jack_lsp not installed (apt-get install jackd2, and jack-example-tools where it exists)"
	fi
	export REPCUE_STALE_INNER=1
	if [ "$real" = 1 ]; then
		exec sh "$0" "$build" "$regex"
	fi
	unshare --mount --propagation private true 2>/dev/null ||
		skip "cannot make a private mount namespace (/ not a mount point, or no CAP_SYS_ADMIN)"
	exec unshare --mount --propagation private sh -c \
		'mount -t tmpfs -o mode=1777 stale-shm /dev/shm && exec sh "$0" "$@"' "$0" "$build" "$regex"
fi

# The stale server: the default name, as a user's own jackd would have.
unset JACK_DEFAULT_SERVER
JACK_NO_START_SERVER=1 jackd --no-realtime -d dummy -r 48000 -p 256 >/dev/null 2>&1 &
jackd_pid=$!
cleanup() {
	kill -CONT "$jackd_pid" 2>/dev/null || true
	kill -KILL "$jackd_pid" 2>/dev/null || true
	wait "$jackd_pid" 2>/dev/null || true
	# what a crashed server leaves, removed (in the real /dev/shm too)
	rm -rf /dev/shm/jack-* /dev/shm/jack_* /dev/shm/jack_db-* 2>/dev/null || true
}
trap cleanup EXIT INT TERM
up=0
for _ in $(seq 100); do
	if JACK_NO_START_SERVER=1 jack_lsp 2>/dev/null | grep -q system:playback_1; then
		up=1
		break
	fi
	sleep 0.1
done
[ "$up" = 1 ] || skip "jackd did not start with the dummy driver"
kill -STOP "$jackd_pid"
echo "stale JACK server $jackd_pid stopped; left in /dev/shm:"
ls /dev/shm | sed 's/^/  /'
# A client outside the suite's box is stuck on it (bounded here).
if timeout 5 env JACK_NO_START_SERVER=1 jack_lsp >/dev/null 2>&1; then
	echo "FAIL: jack_lsp got an answer from a stopped server: the stale state is not stale"
	exit 1
fi
echo "a JACK client outside a private /dev/shm gets no answer (jack_lsp timed out or failed)"
ctest --test-dir "$build" -R "$regex" --output-on-failure --timeout 120
