# check.sh - what the shell tests share; source it:
#   . "$(dirname "$0")/../lib/check.sh"
#   check "what it shows" COMMAND ARGS...
#   check_done NAME     # last line: "NAME: P passed, F failed", and the status
#   hermetic_work       # $work, and an environment that touches nothing of the user's
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
# A fresh directory $work, removed on exit, and under it the HOME, XDG
# dirs and speech cache of the binary; no device config and no cache
# bound from outside: the binary touches nothing of the user's.
hermetic_work() {
	work=$(mktemp -d) || exit 1
	trap 'rm -rf "$work"' EXIT
	export HOME="$work/home" XDG_CACHE_HOME="$work/xdg-cache" XDG_CONFIG_HOME="$work/xdg-config"
	export XDG_RUNTIME_DIR="$work/run" REPCUE_CACHE_DIR="$work/cache" REPCUE_CONFIG=none
	unset REPCUE_CACHE_MAX_MB CACHE_DIRECTORY
	mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
}
