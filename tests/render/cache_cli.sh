#!/bin/sh
# The speech cache through the binary (issue 11, item 3): entries whose
# samples were damaged on the disk are made again (the render equals the
# one before the damage, not 1 s of noise) and rewritten; the cache stays
# under REPCUE_CACHE_MAX_MB. Usage: cache_cli.sh REPCUE SOURCE_DIR
set -u
repcue=$1
src=$2
tiny=$src/tests/system/tiny.yaml
. "$(dirname "$0")/../lib/check.sh"
hermetic_work
export TMPDIR="$work"
# "lines: S synthesized, C from the cache" from a summary
synthesized() { sed -n 's/.*lines: \([0-9]*\) synthesized.*/\1/p' "$1"; }
from_cache() { sed -n 's/.* \([0-9]*\) from the cache.*/\1/p' "$1"; }

# The first render in a fresh HOME sounds slightly different from all later
# ones (seen on bookworm: eSpeak NG's audio library creates ~/.config/pulse
# during it); one render into another cache first, so that the renders
# compared below are all later ones.
REPCUE_CACHE_DIR="$work/warm-up" "$repcue" render "$tiny" -q -o "$work/warm-up.wav" 2>/dev/null
"$repcue" render "$tiny" -q -o "$work/first.wav" 2>"$work/e1"
check "first render exits 0" test $? -eq 0
lines=$(synthesized "$work/e1")
check "it made lines ($lines)" test "${lines:-0}" -gt 0
# damage the middle of every entry (the samples), as a bad SD card would
python3 - "$work/cache" <<'PY'
import os, sys
d = sys.argv[1]
for n in os.listdir(d):
    if n.endswith(".cue"):
        p = os.path.join(d, n)
        b = bytearray(open(p, "rb").read())
        for i in range(len(b) // 2, len(b) // 2 + 64):
            b[i] ^= 0x5A
        open(p, "wb").write(b)
PY
"$repcue" render "$tiny" -q -o "$work/second.wav" 2>"$work/e2"
check "render over a damaged cache exits 0" test $? -eq 0
check "every damaged line made again ($(synthesized "$work/e2") of $lines)" test "$(synthesized "$work/e2")" = "$lines"
check "the session sounds as before the damage" cmp -s "$work/first.wav" "$work/second.wav"
"$repcue" render "$tiny" -q -o "$work/third.wav" 2>"$work/e3"
check "and the cache is whole again: all $lines from it" test "$(from_cache "$work/e3")" = "$lines"
check "no temporaries in the cache" sh -c "! ls '$work/cache' | grep -q '\.tmp$'"

# Synthesis depends on the text and the voice alone, not on the clock:
# eSpeak NG 1.52 (trixie) seeds its noise from the time of day unless told
# a seed, and then a line made in another second came out a frame longer.
# Two renders with empty caches, the second started in a later second of
# the clock than the first one ended in (waited for, not guessed).
REPCUE_CACHE_DIR="$work/clock-a" "$repcue" render "$tiny" -q -o "$work/clock-a.wav" 2>/dev/null
ended=$(date +%s)
while [ "$(date +%s)" -le "$ended" ]; do sleep 0.05; done
REPCUE_CACHE_DIR="$work/clock-b" "$repcue" render "$tiny" -q -o "$work/clock-b.wav" 2>/dev/null
check "lines made in another second of the clock sound the same" cmp -s "$work/clock-a.wav" "$work/clock-b.wav"

# the bound: a 14-minute routine makes several MB of lines; 1 MB allowed
REPCUE_CACHE_MAX_MB=1 REPCUE_CACHE_DIR="$work/small" \
	"$repcue" render "$src/routines/upper-back-1.yaml" -q -o "$work/long.wav" 2>"$work/e4"
check "a render with a 1 MB cache exits 0" test $? -eq 0
size=$(cat "$work/small"/*.cue | wc -c)
check "the cache holds at most 1 MB ($size bytes)" test "$size" -le 1048576
check "but is used ($size bytes)" test "$size" -gt 0

check_done cache_cli
