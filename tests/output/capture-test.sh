#!/bin/sh
# Real PortAudio -> ALSA path without a sound card: play the counter-coded
# signal through the PortAudio backend into the ALSA file plugin (see
# alsa-file.conf.in), then check the capture sample for sample against both
# references with compare-capture.
#   capture-test.sh PLAY_SIGNAL COMPARE_CAPTURE WORKDIR CAPTURE_FILE
set -eu
play=$1 compare=$2 work=$3 capture=$4
mkdir -p "$work"
rm -f "$capture" "$work/reference.f32" "$work/reference.wav"
"$play" --frames 96000 --reference "$work/reference.f32" --wav "$work/reference.wav"
"$compare" --format f32 --channels 2 "$capture" "$work/reference.f32"
"$compare" --format f32 --channels 2 "$capture" "$work/reference.wav"
# The checker must catch a single dropped frame: remove frame 30000.
python3 - "$capture" "$work/dropped.f32" <<'PY' 2>/dev/null || dd if="$capture" of="$work/dropped.f32" bs=8 count=30512 2>/dev/null
import sys
data = open(sys.argv[1], 'rb').read()
cut = (512 + 30000) * 8
open(sys.argv[2], 'wb').write(data[:cut] + data[cut + 8:])
PY
if "$compare" --format f32 --channels 2 "$work/dropped.f32" "$work/reference.f32"; then
	echo "FAIL: compare-capture accepted a capture with a dropped frame" >&2
	exit 1
fi
echo "capture test: ok"
