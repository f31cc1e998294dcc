#!/bin/sh
# repcue play with no usable sound device renders instead (issue 11 item
# 11): the WAV goes to $XDG_STATE_HOME/repcue, never the current
# directory; the message names it; with transcript and messages in one
# file the summary comes last. Usage: play_fallback.sh REPCUE SOURCE_DIR
# Hermetic: HOME, XDG dirs and the cache are private; run it through
# tests/system/private-shm for a private /dev/shm (PortAudio starts).
set -u
repcue=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/cwd"
export HOME="$work/home" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config" \
	XDG_STATE_HOME="$work/state" XDG_RUNTIME_DIR="$work" REPCUE_CACHE_DIR="$work/cache"
. "$(dirname "$0")/../lib/check.sh"

# PortAudio finding no device leaks from a library constructor of a host
# API module it dlopens and unloads again (LeakSanitizer: "<unknown
# module>"); not ours, so leak detection is off for the play runs (as in
# tests/controls/hw_test_pty.py). Everything else ASan checks stays on.
play_asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
(cd "$work/cwd" && ASAN_OPTIONS=$play_asan timeout 120 "$repcue" play "$src/tests/system/tiny.yaml" --config none --no-keys \
	--device "no such device" --transcript >"$work/both.txt" 2>&1)
check "play falls back and exits 0" test $? -eq 0
check "nothing written in the current directory" test -z "$(ls -A "$work/cwd")"
check "the WAV is in \$XDG_STATE_HOME/repcue" test -s "$work/state/repcue/repcue-session.wav"
check "the message names it" grep -q "rendering the session to $work/state/repcue/repcue-session.wav" "$work/both.txt"
check "the transcript is there" grep -q "end of session" "$work/both.txt"
check "the summary is the last line" sh -c "tail -n 1 '$work/both.txt' | grep -q '^repcue: wrote '"

# without XDG_STATE_HOME: ~/.local/state/repcue
(cd "$work/cwd" && unset XDG_STATE_HOME && ASAN_OPTIONS=$play_asan timeout 120 "$repcue" play "$src/tests/system/tiny.yaml" \
	--config none --no-keys --device "no such device" --transcript >/dev/null 2>&1)
check "the default under \$HOME" test -s "$work/home/.local/state/repcue/repcue-session.wav"
check "still nothing in the current directory" test -z "$(ls -A "$work/cwd")"

# render: transcript and summary in one file, summary last
timeout 120 "$repcue" render "$src/tests/system/tiny.yaml" -o "$work/r.wav" >"$work/r.txt" 2>&1
check "render exits 0" test $? -eq 0
check "render's summary is the last line" sh -c "tail -n 1 '$work/r.txt' | grep -q '^repcue: wrote '"

check_done play_fallback
