#!/bin/sh
# cli-help.sh - every command of the repcue binary answers --help and -h
# with its usage on stdout and exit 0, and --version prints
# "repcue <project version>".
#
# The command list is read from `repcue --help` itself (its lines
# "  repcue NAME ..."), so a command added there is checked here too.
#
# Usage: cli-help.sh REPCUE_BINARY PROJECT_VERSION
set -eu
bin=$1
version=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# Runs "$@"; expects exit 0, usage on stdout (first line starting with
# the given prefix) and nothing on stderr.
expect_usage() {
	prefix=$1
	shift
	status=0
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null || status=$?
	[ "$status" = 0 ] || bad "'$*' exited $status, expected 0"
	head -n 1 "$tmp/out" | grep -q "^$prefix" ||
		bad "'$*': stdout does not start with '$prefix': $(head -n 1 "$tmp/out")"
	[ ! -s "$tmp/err" ] || bad "'$*' wrote to stderr: $(head -n 3 "$tmp/err")"
}

out=$("$bin" --version) || bad "'repcue --version' failed"
[ "$out" = "repcue $version" ] || bad "--version printed '$out', expected 'repcue $version'"

expect_usage "usage: repcue" "$bin" --help
expect_usage "usage: repcue" "$bin" -h

commands=$("$bin" --help | sed -n 's/^  repcue \([a-z][a-z-]*\).*/\1/p' | sort -u)
[ -n "$commands" ] || bad "no commands found in 'repcue --help'"
for c in check render play hw-test; do
	echo "$commands" | grep -qx "$c" || bad "'repcue --help' does not list '$c'"
done
for c in $commands; do
	expect_usage "usage: repcue $c" "$bin" "$c" --help
	expect_usage "usage: repcue $c" "$bin" "$c" -h
	echo "ok: repcue $c --help"
done
[ "$fail" = 0 ] && echo "ok: repcue --version, --help and $(echo $commands | wc -w) commands"
exit "$fail"
