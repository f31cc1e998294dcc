#!/bin/sh
# commands-docs.sh - the commands in `repcue --help` (derived from the one
# command table in src/main.c) are the commands the docs describe: a row
# of the README's "Commands" table and a section of repcue(1) each, and
# nothing more.  A command added to the table without its docs fails here.
#
#   commands-docs.sh REPCUE_BINARY SOURCE_DIR
set -u
bin=${1:?binary}
top=${2:?source dir}
. "$top/tests/lib/check.sh"

help=$("$bin" --help)
check "repcue --help exits 0" test $? -eq 0
commands=$(printf '%s\n' "$help" | sed -n 's/^  repcue \([a-z][a-z-]*\).*/\1/p')
check "repcue --help lists commands" test -n "$commands"
readme=$(sed -n 's/^| `repcue \([a-z][a-z-]*\).*/\1/p' "$top/README.md")
man=$(sed -n '/^# COMMANDS/,/^# OPTIONS/s/^\*\([a-z][a-z-]*\)\*.*/\1/p' "$top/src/man/repcue.1.scd")
for c in $commands; do
	check "README.md's Commands table has repcue $c" sh -c "printf '%s\n' \"\$1\" | grep -qx \"\$2\"" - "$readme" "$c"
	check "repcue.1 describes $c" sh -c "printf '%s\n' \"\$1\" | grep -qx \"\$2\"" - "$man" "$c"
done
for c in $readme $man; do
	check "$c, in the docs, is a command of repcue --help" sh -c "printf '%s\n' \"\$1\" | grep -qx \"\$2\"" - "$commands" "$c"
done
check_done commands-docs
