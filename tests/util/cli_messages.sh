#!/bin/sh
# Usage errors as GNU tools give them (issue 18, the command line): one
# prefix "repcue COMMAND:", one line saying what was wrong, then "Try
# 'repcue COMMAND --help'." and nothing else (never the binary's path or
# the whole usage text); "did you mean" for a near miss of a command; the
# exit status the man page's EXIT STATUS gives (read from the page itself,
# so the two cannot drift apart). Usage: cli_messages.sh REPCUE SOURCE_DIR
set -u
repcue=$1
src=$2
. "$src/tests/lib/check.sh"
hermetic_work

# the exit statuses the man page documents
man="$src/src/man/repcue.1.scd"
status_of() { # the status listed under "# EXIT STATUS" whose text matches $1
	awk -v pat="$1" '/^# EXIT STATUS/ { on = 1; next } /^# / { on = 0 }
		on && /^\*[0-9]+\*$/ { code = substr($0, 2, length($0) - 2); next }
		on && $0 ~ pat { print code; exit }' "$man"
}
usage_rc=$(status_of "Usage error")
fail_rc=$(status_of "Failure")
ok_rc=$(status_of "Success")
check "the man page lists usage (2), failure (1), success (0)" test "$usage_rc$fail_rc$ok_rc" = "210"

misuse() { # command-for-prefix pattern -- repcue args...
	prefix=$1 pattern=$2
	shift 2
	timeout 20 "$repcue" "$@" >"$work/out" 2>"$work/err" </dev/null
	rc=$?
	line1=$(sed -n 1p "$work/err")
	line2=$(sed -n 2p "$work/err")
	lines=$(wc -l <"$work/err")
	if [ "$rc" = "$usage_rc" ] && [ "$lines" -eq 2 ] && [ ! -s "$work/out" ] &&
		printf '%s\n' "$line1" | grep -q "^$prefix: $pattern" &&
		[ "$line2" = "Try '$prefix --help'." ]; then
		passes=$((passes + 1))
	else
		failures=$((failures + 1))
		echo "FAILED: repcue $*: exit $rc (want $usage_rc), $lines lines; stderr:"
		cat "$work/err"
	fi
}
tiny="$src/tests/system/tiny.yaml"
misuse "repcue" "unknown option '--bogus'" --bogus
misuse "repcue" "unknown option '-x'" -x
misuse "repcue" "unknown command 'plya'; did you mean 'play'?" plya
misuse "repcue" "unknown command 'histroy'; did you mean 'history'?" histroy
misuse "repcue" "unknown command 'xyzzy' (commands: play, render, check, hw-test, history, sheet)" xyzzy
misuse "repcue play" "unknown option '--bogus'" play --bogus
misuse "repcue play" "option '--device' needs a value" play --device
misuse "repcue play" "--latency 'x': give frames" play --latency x
misuse "repcue play" "one routine at a time; 'b.yaml' is one too many" play a.yaml b.yaml
misuse "repcue render" "give the WAV to write with -o" render "$tiny"
misuse "repcue render" "option '-o' needs a value" render "$tiny" -o
misuse "repcue render" "unknown option '--bogus'" render --bogus
misuse "repcue render" "unknown option '--quiet'" render --quiet=yes -o x.wav
misuse "repcue check" "give the routine files to check" check
misuse "repcue check" "unknown option '--bogus'" check --bogus
misuse "repcue history" "unknown option '--bogus'" history --bogus
misuse "repcue history" "--weeks takes 1 to" history --weeks 0
misuse "repcue history" "it takes no file or name: 'x'" history x
misuse "repcue hw-test" "unknown option '--bogus'" hw-test --bogus
misuse "repcue hw-test" "it takes no routine or file: 'x'" hw-test --config none x

# a failure (1), not a usage error: the folder of -o does not exist, said
# about the file the user named, not about our temporary
timeout 60 "$repcue" render "$tiny" -o "$work/no/such/x.wav" -q >/dev/null 2>"$work/err" </dev/null
rc=$?
check "-o in a missing folder: exit $fail_rc ($rc)" test "$rc" = "$fail_rc"
check "-o in a missing folder: named with ENOENT" \
	grep -q "^repcue render: $work/no/such/x.wav: No such file or directory (its folder does not exist)$" "$work/err"
check "-o in a missing folder: no temporary named" sh -c "! grep -q '\\.x\\.wav\\.' '$work/err'"
# a path too long to hold is an error, never a truncated path
long=$(printf '/x%.0s' $(seq 1 600))
REPCUE_DATA_DIR=$long timeout 60 "$repcue" render "$tiny" -o "$work/y.wav" -q >/dev/null 2>"$work/err" </dev/null
rc=$?
check "an over-long data directory: exit $fail_rc ($rc)" test "$rc" = "$fail_rc"
check "an over-long data directory: said so" grep -q "path is too long" "$work/err"
# ... the variable named (util/env.h reads the environment once, in main)
REPCUE_STATE_DIR=$long timeout 60 "$repcue" history >/dev/null 2>"$work/err" </dev/null
rc=$?
check "an over-long REPCUE_STATE_DIR: exit $fail_rc ($rc)" test "$rc" = "$fail_rc"
check "an over-long REPCUE_STATE_DIR: named" grep -q '^repcue: \$REPCUE_STATE_DIR: the path is too long' "$work/err"
# ... and a routine path longer than a session holds (not a shorter one)
deep=$work/$(printf 'd%.0s' $(seq 1 200))/$(printf 'e%.0s' $(seq 1 200))/$(printf 'f%.0s' $(seq 1 200))
mkdir -p "$deep" && cp "$tiny" "$deep/tiny.yaml"
timeout 60 "$repcue" render "$deep/tiny.yaml" -o "$work/z.wav" -q >/dev/null 2>"$work/err" </dev/null
rc=$?
check "an over-long routine path: exit $fail_rc ($rc)" test "$rc" = "$fail_rc"
check "an over-long routine path: said so" grep -q "the routine's path is too long" "$work/err"
# success (0): --help on stdout
"$repcue" --help >"$work/out" 2>/dev/null
check "--help exits $ok_rc" test "$?" = "$ok_rc"

check_done cli_messages
