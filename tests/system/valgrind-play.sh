#!/bin/sh
# valgrind-play.sh - `repcue play` under valgrind through the real PortAudio
# -> ALSA path (an ALSA file plugin over a null slave, no sound card).
# Passes only when valgrind finds nothing AND the session really went
# through PortAudio to its end: the device line ("playing through ...") and
# "session complete" in its log. A run that fell back to rendering a WAV
# (no device) exits 0 too, and would prove nothing about the audio thread.
#
# Usage: valgrind-play.sh VALGRIND SUPPRESSIONS REPCUE ROUTINE ALSA_CONF WORKDIR [PLAY_ARG...]
set -eu
valgrind=$1 supp=$2 repcue=$3 routine=$4 alsa_conf=$5 work=$6
shift 6
rm -rf "$work"
mkdir -p "$work"
log="$work/stderr.log"
# Under valgrind everything runs 20-50 times slower: opening the stream can
# take longer than the 2 s a backend call normally gets before repcue gives
# up on the device. 60 s still catches a call that never returns.
status=0
ALSA_CONFIG_PATH=$alsa_conf REPCUE_CACHE_DIR="$work/cache" REPCUE_TEST_CALL_TIMEOUT_MS=60000 \
	"$valgrind" -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--suppressions="$supp" "$repcue" play "$routine" --no-keys --config none "$@" \
	>"$work/stdout.log" 2>"$log" </dev/null || status=$?
cat "$log"
if [ "$status" -ne 0 ]; then
	echo "FAIL: repcue play under valgrind exited $status"
	exit 1
fi
grep -q "playing through" "$log" || {
	echo "FAIL: no device line: the session did not go through PortAudio (fell back?)"
	exit 1
}
grep -q "session complete" "$log" || {
	echo "FAIL: the session did not run to its end"
	exit 1
}
echo "PASS: valgrind clean; played through PortAudio to the end"
