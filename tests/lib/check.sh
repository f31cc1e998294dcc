# check.sh - pass/fail counting shared by the shell tests; source it:
#   . "$(dirname "$0")/../lib/check.sh"
#   check "what it shows" COMMAND ARGS...
#   check_done NAME     # last line: "NAME: P passed, F failed", and the status
failures=0
passes=0
check() { # description, then a command that must succeed
	desc=$1
	shift
	if "$@"; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAILED: $desc"; fi
}
check_done() {
	echo "$1: $passes passed, $failures failed"
	test "$failures" -eq 0
}
