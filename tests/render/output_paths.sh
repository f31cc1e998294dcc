#!/bin/sh
# Where `render -o PATH` and `play --fallback-wav PATH` write (issue 11,
# item 1; the policy is in src/util/out_file.h): nothing the user did not
# name is clobbered, and every file written is a whole, valid WAV.
# Usage: output_paths.sh REPCUE SOURCE_DIR
set -u
repcue=$1
src=$2
tiny=$src/tests/system/tiny.yaml
. "$(dirname "$0")/../lib/check.sh"
hermetic_work
mkdir -p "$work/o"
# frames=N from a summary line on stderr
frames_of() { sed -n 's/.*(\([0-9]*\) frames at 48000 Hz).*/\1/p' "$1"; }
# a WAV whose header agrees with its size: RIFF size = size - 8, data = size - 44
valid_wav() {
	python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
ok = (len(d) > 44 and d[:4] == b"RIFF" and d[8:12] == b"WAVE" and d[36:40] == b"data"
      and struct.unpack("<I", d[4:8])[0] == len(d) - 8
      and struct.unpack("<I", d[40:44])[0] == len(d) - 44)
sys.exit(0 if ok else 1)
PY
}
no_temporaries() { ! ls -A "$1" | grep -q '^\.'; }
o=$work/o


# A device node is written in place: it stays a device. (A private node
# equal to /dev/null, so a failure cannot damage the machine's.)
if mknod "$o/null" c 1 3 2>/dev/null; then
	"$repcue" render "$tiny" -q -o "$o/null" 2>"$work/e"
	check "render to a device exits 0" test $? -eq 0
	check "the device is still a character device" test -c "$o/null"
	rm -f "$o/null"
else
	echo "note: mknod not permitted (not root): device case not run"
fi

# "-" streams to stdout: a header for an unknown length, then every frame;
# the transcript goes to stderr instead.
"$repcue" render "$tiny" -o - >"$work/stream.wav" 2>"$work/e"
check "render -o - exits 0" test $? -eq 0
frames=$(frames_of "$work/e")
check "stdout holds the header and every frame ($frames)" \
	test "$(stat -c %s "$work/stream.wav")" -eq $((44 + 2 * frames))
check "the streamed header says RIFF/WAVE" sh -c "head -c 12 '$work/stream.wav' | grep -q WAVE"
check "the transcript went to stderr" grep -q "end of session" "$work/e"
check "and not into the WAV" sh -c "! grep -aq 'end of session' '$work/stream.wav'"

# /dev/stdout redirected to a file: a seekable stream, so an exact header.
"$repcue" render "$tiny" -q -o /dev/stdout >"$o/so.wav" 2>"$work/e"
check "render -o /dev/stdout exits 0" test $? -eq 0
check "a valid WAV through /dev/stdout" valid_wav "$o/so.wav"

# A symbolic link is written through: the link stays, its target is the WAV.
echo old >"$o/target.wav"
ln -s target.wav "$o/link.wav"
"$repcue" render "$tiny" -q -o "$o/link.wav" 2>"$work/e"
check "render through a symlink exits 0" test $? -eq 0
check "the link is still a link" test -L "$o/link.wav"
check "its target is a valid WAV" valid_wav "$o/target.wav"
check "no temporaries left beside it" no_temporaries "$o"

# A dangling link is refused, and nothing is created.
ln -s missing.wav "$o/dangling.wav"
"$repcue" render "$tiny" -q -o "$o/dangling.wav" 2>"$work/e"
check "a dangling link exits 1" test $? -eq 1
check "saying so" grep -q "dangling.wav: a symbolic link to a missing file" "$work/e"
check "nothing created" test ! -e "$o/missing.wav"

# A link another user planted in a sticky shared directory (/tmp) is not
# followed, as fs.protected_symlinks would refuse (it is off in containers).
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	chmod 755 "$work" "$o"
	mkdir -p "$o/sticky"
	chmod 1777 "$o/sticky"
	echo mine >"$o/roots-file"
	su -s /bin/sh nobody -c "ln -s '$o/roots-file' '$o/sticky/s.wav'" 2>/dev/null
	if [ -L "$o/sticky/s.wav" ]; then
		"$repcue" render "$tiny" -q -o "$o/sticky/s.wav" 2>"$work/e"
		check "a planted link in a sticky directory exits 1" test $? -eq 1
		check "saying why" grep -q "another user made in a shared sticky directory" "$work/e"
		check "the file it points to is untouched" test "$(cat "$o/roots-file")" = mine
	else
		echo "note: could not make a link as nobody (work dir not reachable?): case not run"
	fi
	rm -rf "$o/sticky" "$o/roots-file"
else
	echo "note: not root or no user nobody: the planted-link case is not run"
fi

# A planted PATH.tmp symlink is never followed.
echo keep >"$o/victim"
ln -s victim "$o/out.wav.tmp"
ln -s victim "$o/.out.wav.tmp"
"$repcue" render "$tiny" -q -o "$o/out.wav" 2>"$work/e"
check "render beside planted links exits 0" test $? -eq 0
check "the victim is untouched" test "$(cat "$o/victim")" = keep
check "out.wav is a valid WAV" valid_wav "$o/out.wav"
rm -f "$o/out.wav.tmp" "$o/.out.wav.tmp"

# A read-only file is refused and kept (even for root).
echo precious >"$o/ro.wav"
chmod 444 "$o/ro.wav"
"$repcue" render "$tiny" -q -o "$o/ro.wav" 2>"$work/e"
check "a read-only file exits 1" test $? -eq 1
check "saying it is read-only" grep -q "ro.wav: is read-only" "$work/e"
check "and keeping it" test "$(cat "$o/ro.wav")" = precious

# A FIFO is written in place: it stays a FIFO and its reader gets the WAV.
mkfifo "$o/fifo"
timeout 120 cat "$o/fifo" >"$work/from-fifo.wav" &
reader=$!
"$repcue" render "$tiny" -o "$o/fifo" >/dev/null 2>"$work/e"
check "render to a FIFO exits 0" test $? -eq 0
wait "$reader"
frames=$(frames_of "$work/e")
check "the FIFO is still a FIFO" test -p "$o/fifo"
check "its reader got every frame" test "$(stat -c %s "$work/from-fifo.wav")" -eq $((44 + 2 * frames))

# Two renders to one name at once: each renames a whole file; the last
# wins. A 14-minute routine (cache made first) so that the two overlap.
long=$src/routines/upper-back-1.yaml
"$repcue" render "$long" -q -o "$o/both.wav" 2>/dev/null
"$repcue" render "$long" -q -o "$o/both.wav" --press pause@5,pause@300 2>/dev/null &
first=$!
"$repcue" render "$long" -q -o "$o/both.wav" 2>/dev/null
second=$?
wait "$first"
check "both renders exit 0" test $? -eq 0 -a "$second" -eq 0
check "the file is one valid WAV" valid_wav "$o/both.wav"
check "no temporaries left" no_temporaries "$o"

# A temporary of a dead render is swept; one a live writer holds is kept.
: >"$o/.swept.wav.AbCdEf"
: >"$o/.swept.wav.HeLd01"
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1])
fcntl.flock(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(120)' "$o/.swept.wav.HeLd01" >"$work/held" &
holder=$!
for i in $(seq 100); do grep -qs locked "$work/held" && break; sleep 0.1; done
"$repcue" render "$tiny" -q -o "$o/swept.wav" 2>/dev/null
check "a dead render's temporary is swept" test ! -e "$o/.swept.wav.AbCdEf"
check "a live writer's temporary is kept" test -e "$o/.swept.wav.HeLd01"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# play --fallback-wav goes through the same code: no sound device (an
# unknown one, in an ALSA configuration of our own) renders through a link.
cat >"$work/alsa.conf" <<'CONF'
pcm.!default { type null }
CONF
echo old >"$o/fb-target.wav"
ln -s fb-target.wav "$o/fb.wav"
ALSA_CONFIG_PATH="$work/alsa.conf" "$src/tests/system/private-shm" \
	"$repcue" play "$tiny" --config none --no-keys --device nosuch --fallback-wav "$o/fb.wav" \
	>/dev/null 2>"$work/e"
rc=$?
if grep -q "no sound device" "$work/e"; then
	check "play falling back exits 0" test $rc -eq 0
	check "the fallback link stays a link" test -L "$o/fb.wav"
	check "its target is a valid WAV" valid_wav "$o/fb-target.wav"
	chmod 444 "$o/fb-target.wav"
	ALSA_CONFIG_PATH="$work/alsa.conf" "$src/tests/system/private-shm" \
		"$repcue" play "$tiny" --config none --no-keys --device nosuch --fallback-wav "$o/fb-target.wav" \
		>/dev/null 2>"$work/e"
	check "a read-only fallback exits 1" test $? -eq 1
	check "saying it is read-only" grep -q "fb-target.wav: is read-only" "$work/e"
else
	echo "note: play did not fall back (rc $rc): $(cat "$work/e")"
	failures=$((failures + 1))
fi

check_done output_paths
