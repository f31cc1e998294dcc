#!/bin/sh
# Numeric options of the real binary: out of range or not a number is a
# usage error (exit 2) with a message naming the option, never a wrapped
# value (issue 11 item 11). Usage: options_cli.sh REPCUE SOURCE_DIR
set -u
repcue=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# hermetic: nothing here should reach a device, a cache or a config
export HOME="$work" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config" \
	XDG_RUNTIME_DIR="$work" REPCUE_CACHE_DIR="$work/cache"
failures=0
passes=0
refused() { # option value pattern -- command...
	opt=$1 value=$2 pattern=$3
	shift 3
	# bounded: a value wrongly taken would start a whole session
	timeout 20 "$@" "$opt" "$value" >"$work/out" 2>"$work/err" </dev/null
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q -- "$pattern" "$work/err"; then
		passes=$((passes + 1))
	else
		failures=$((failures + 1))
		echo "FAILED: $* $opt '$value': exit $rc, expected 2 and '$pattern'; stderr:"
		cat "$work/err"
	fi
}
play="$repcue play $src/tests/system/tiny.yaml --config none --no-keys --output null"
for v in 4294967296 48001 -1 " 5" 5k "" 18446744073709551616; do
	refused --latency "$v" "--latency.*0 to 48000" $play
done
for v in 17592186044417 0 1025 -1 1.5; do
	refused --speech-budget-mb "$v" "--speech-budget-mb.*1 to 1024" $play
done
for v in 4294967297 0 -3 x; do
	refused --seconds "$v" "--seconds.*give 1 to" "$repcue" hw-test --config none
done
# one press more than a script may hold: the message states the limit
# (issue 17 item 12)
many=$(i=0; while [ $i -le 32 ]; do i=$((i + 1)); printf 'next@%d,' $i; done)
many=${many%,}
refused --simulate "$many" "at most 32 presses" $play
refused --press "$many" "at most 32 presses" $play
refused --press "$many" "at most 32 presses" "$repcue" render "$src/tests/system/tiny.yaml" -o "$work/x.wav"
refused --simulate "$many" "at most 32 presses" "$repcue" hw-test --config none
# the user's bytes come back escaped
refused --latency "$(printf '\033[2J')" '\\x1b\[2J' $play
if grep -q "$(printf '\033')" "$work/err"; then
	failures=$((failures + 1))
	echo "FAILED: an escape character reached the terminal"
fi
# every message that echoes a file name, a command or an option shows it
# escaped: an escape sequence never reaches the terminal
esc=$(printf '\033[2J')
no_escape() { # description -- command...
	desc=$1
	shift
	timeout 60 "$@" >/dev/null 2>"$work/err" </dev/null
	if grep -q "$(printf '\033')" "$work/err" || ! grep -q '\\x1b\[2J' "$work/err"; then
		failures=$((failures + 1))
		echo "FAILED: $desc: stderr:"
		cat -v "$work/err"
	else
		passes=$((passes + 1))
	fi
}
no_escape "unknown command" "$repcue" "${esc}x"
no_escape "check of a missing file" "$repcue" check "$work/${esc}.yaml"
no_escape "check of an unknown option" "$repcue" check "--${esc}"
no_escape "render of a missing file" "$repcue" render "$work/${esc}.yaml" -o "$work/x.wav"
no_escape "--press" "$repcue" render "$src/tests/system/tiny.yaml" -o "$work/x.wav" --press "${esc}@3"
no_escape "--simulate" $play --simulate "${esc}@3"
no_escape "hw-test --simulate" "$repcue" hw-test --config none --simulate "${esc}@3"
echo "options_cli: $passes passed, $failures failed"
test "$failures" -eq 0
