#!/bin/sh
# Render tier: `repcue render --music` through the binary (issue 22).
#   music_cli.sh REPCUE SOURCE_DIR MUSIC_DIR (tracks made by make_music)
# - an empty or missing folder is no music: the WAV is the same bytes;
# - a folder with damaged (at the start, mid-way), cut-short and empty files
#   renders, naming each;
# - --music-only needs --music.
set -eu
repcue=$1
src=$2
music=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export REPCUE_CACHE_DIR="$tmp/cache"
routine="$src/tests/system/tiny.yaml"
fail=0
no() { echo "FAILED: $*" >&2; fail=1; }

"$repcue" render "$routine" -q -o "$tmp/plain.wav" 2>/dev/null || no "plain render"
mkdir "$tmp/empty"
"$repcue" render "$routine" -q -o "$tmp/empty.wav" --music "$tmp/empty" 2>"$tmp/empty.err" || no "render with an empty folder"
cmp -s "$tmp/plain.wav" "$tmp/empty.wav" || no "an empty music folder changed the render"
"$repcue" render "$routine" -q -o "$tmp/missing.wav" --music "$tmp/nowhere" 2>"$tmp/missing.err" || no "render with a missing folder"
cmp -s "$tmp/plain.wav" "$tmp/missing.wav" || no "a missing music folder changed the render"
grep -q music "$tmp/empty.err" "$tmp/missing.err" && no "no music is not worth a message"

"$repcue" render "$routine" -q -o "$tmp/music.wav" --music "$music" 2>"$tmp/music.err" || no "render with music"
for f in 00-corrupt.flac 00-truncated.wav 00-empty.mp3 00-damaged-mid.flac; do
	grep -q "music: $f: " "$tmp/music.err" || no "$f not named: $(cat "$tmp/music.err")"
done
for f in 01-chord.wav 02-tones.flac 03-noise.ogg 04-chord.opus; do
	grep -q "$f" "$tmp/music.err" && no "$f named but good"
done
cmp -s "$tmp/plain.wav" "$tmp/music.wav" && no "music did not change the render"
[ -n "$(ls "$tmp/cache/music" 2>/dev/null)" ] || no "no loudness cached in $tmp/cache/music"
# the second time from the cache: the same bytes
"$repcue" render "$routine" -q -o "$tmp/music2.wav" --music "$music" 2>/dev/null || no "second render"
cmp -s "$tmp/music.wav" "$tmp/music2.wav" || no "a render from the loudness cache differs"

set +e
"$repcue" render "$routine" -q -o "$tmp/x.wav" --music-only 2>"$tmp/only.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || no "--music-only without --music: exit $rc, not 2"
[ "$fail" -eq 0 ] && echo "music_cli: all passed"
exit "$fail"
