#!/bin/sh
# bench/music.sh BUILD_DIR [SECONDS]: the music thread's cost (issue 22) on
# tracks made here (WAV, FLAC, Ogg Vorbis, Opus, MP3: tests/music/make_music),
# one figure per format: decode + resample CPU per second of music, and the
# ring's memory. Printed, not asserted: the machine may be busy.
set -eu
build=${1:-build}
seconds=${2:-120}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/all"
"$build/tests/music/make_music" "$tmp/all" 60 >/dev/null
for f in "$tmp"/all/*; do
	name=$(basename "$f")
	mkdir "$tmp/$name.d"
	cp "$f" "$tmp/$name.d/"
	echo "== $name"
	"$build/bench/bench_music" "$tmp/$name.d" "$seconds"
done
