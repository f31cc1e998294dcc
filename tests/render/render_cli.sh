#!/bin/sh
# repcue render through the binary: exit codes, messages, the WAV and the
# transcript agree. Usage: render_cli.sh REPCUE SOURCE_DIR
set -u
repcue=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export REPCUE_CACHE_DIR="$work/cache"
. "$(dirname "$0")/../lib/check.sh"

"$repcue" render "$src/tests/system/tiny.yaml" -o "$work/s.wav" --press pause@5,pause@7 >"$work/t.txt" 2>"$work/e.txt"
check "render exits 0" test $? -eq 0
check "WAV written" test -s "$work/s.wav"
check "no temporary file left" sh -c "! ls -A '$work' | grep -q '^\.s\.wav\.' && test ! -e '$work/s.wav.tmp'"
check "transcript has the press" grep -q "press pause" "$work/t.txt"
check "transcript ends the session" grep -q "end of session" "$work/t.txt"
check "transcript lines are time, sample, event" \
	sh -c "grep -Evq '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} +[0-9]+  ' '$work/t.txt' && exit 1 || exit 0"
# The WAV holds exactly the frames the summary reports, and the last event
# lies within them (16-bit mono: 44-byte header + 2 bytes a frame).
frames=$(sed -n 's/.*(\([0-9]*\) frames at 48000 Hz).*/\1/p' "$work/e.txt")
bytes=$(stat -c %s "$work/s.wav")
check "WAV size matches the frames rendered ($frames)" test "$bytes" -eq $((44 + 2 * frames))
last=$(tail -n 1 "$work/t.txt" | awk '{print $2}')
check "last event inside the audio" test "$last" -le "$frames"

"$repcue" render "$src/tests/routine/bad/unknown-key-defaults.yaml" -o "$work/b.wav" >/dev/null 2>"$work/b.txt"
check "a broken routine exits 1" test $? -eq 1
check "with file:line:col" grep -Eq "unknown-key-defaults.yaml:[0-9]+:[0-9]+: error" "$work/b.txt"
check "and nothing written" test ! -e "$work/b.wav"

"$repcue" render "$src/tests/system/tiny.yaml" >/dev/null 2>&1
check "missing -o is a usage error" test $? -eq 2
"$repcue" render "$src/tests/system/tiny.yaml" -o "$work/x.wav" --press jump@3 >/dev/null 2>"$work/p.txt"
check "an unknown press is a usage error" test $? -eq 2
check "naming it" grep -q "unknown action 'jump'" "$work/p.txt"
# issue 11 item 10: internal notifications are no presses
"$repcue" render "$src/tests/system/tiny.yaml" -o "$work/x.wav" --press pedal-gone@3 >"$work/pt.txt" 2>"$work/p.txt"
check "--press pedal-gone is a usage error" test $? -eq 2
check "saying it is a notification, with the actions" \
	grep -q "notification.*'pedal-gone'; use one of: next, repeat, pause" "$work/p.txt"
check "and nothing says 'Pedal disconnected.'" sh -c "! grep -q 'Pedal disconnected' '$work/pt.txt'"
# issue 11 item 11: a pause nothing resumes is an error at once, not 6 h of
# silence written with exit 0
timeout 120 "$repcue" render "$src/tests/system/tiny.yaml" -o "$work/pz.wav" --press pause@3 -q 2>"$work/pz.txt"
check "a pause never resumed exits 1" test $? -eq 1
check "saying where it is paused" grep -q "paused at 00:00:03.*no later press resumes it" "$work/pz.txt"
check "and writing nothing" test ! -e "$work/pz.wav"
"$repcue" render "$work/missing.yaml" -o "$work/x.wav" >/dev/null 2>"$work/m.txt"
check "a missing routine exits 1" test $? -eq 1
check "naming the file" grep -q "missing.yaml" "$work/m.txt"
"$repcue" render "$src/tests/system/tiny.yaml" -o /proc/no-such-dir/x.wav >/dev/null 2>"$work/w.txt"
check "an unwritable output exits 1" test $? -eq 1
check "naming the path" grep -q "/proc/no-such-dir/x.wav" "$work/w.txt"

check_done render_cli
