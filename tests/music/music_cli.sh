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

# The card's settings (config.yaml, music:): off is no music; another
# level or order changes the bed and only the bed; a bad key is named and
# the others apply.
printf 'repcue: 1\nmusic: {on: false}\n' >"$tmp/off.yaml"
"$repcue" render "$routine" -q -o "$tmp/off.wav" --music "$music" --config "$tmp/off.yaml" 2>/dev/null ||
	no "render with music off"
cmp -s "$tmp/plain.wav" "$tmp/off.wav" || no "music: {on: false} still played music"
printf 'repcue: 1\nmusic: {volume: -10 dB, order: shuffle, seed: 3}\n' >"$tmp/soft.yaml"
"$repcue" render "$routine" -q -o "$tmp/soft.wav" --music "$music" --config "$tmp/soft.yaml" 2>/dev/null ||
	no "render with music settings"
cmp -s "$tmp/music.wav" "$tmp/soft.wav" && no "music: {volume: -10 dB, order: shuffle} changed nothing"
"$repcue" render "$routine" -q -o "$tmp/soft2.wav" --music "$music" --config "$tmp/soft.yaml" 2>/dev/null ||
	no "second render with music settings"
cmp -s "$tmp/soft.wav" "$tmp/soft2.wav" || no "the same seed gave another render"
printf 'repcue: 1\nmusic: {on: false, duck: 99 dB}\n' >"$tmp/bad.yaml"
"$repcue" render "$routine" -q -o "$tmp/bad.wav" --music "$music" --config "$tmp/bad.yaml" 2>"$tmp/bad.err" ||
	no "render with a bad music setting"
grep -q "duck" "$tmp/bad.err" || no "a bad music.duck not named: $(cat "$tmp/bad.err")"
cmp -s "$tmp/plain.wav" "$tmp/bad.wav" || no "with a bad duck, on: false did not apply"

set +e
"$repcue" render "$routine" -q -o "$tmp/x.wav" --music-only 2>"$tmp/only.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || no "--music-only without --music: exit $rc, not 2"
[ "$fail" -eq 0 ] && echo "music_cli: all passed"
exit "$fail"
