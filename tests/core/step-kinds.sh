#!/bin/sh
# step-kinds.sh - the compiler finds every place a step kind matters.
#
# Every decision on enum step_kind is a switch with no default (see
# src/core/routine.h).  This test adds a fourth kind to a copy of
# routine.h and compiles each source that handles kinds against it:
# -Wswitch must name the new kind in every one of them, so a kind added
# for real cannot fall silently into another kind's branch.  It also
# refuses the old style, `kind == STEP_...` or `!= STEP_...` chains.
#
#   step-kinds.sh SOURCE_DIR C_COMPILER
set -u
src=${1:?source dir}/src
cc=${2:?compiler}
. "${1}/tests/lib/check.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. no comparisons with a step kind left anywhere in src/
chains=$(grep -rnE '(==|!=) *STEP_[A-Z]+|STEP_[A-Z]+ *(==|!=)' "$src" --include='*.c' --include='*.h' |
	grep -v '_Static_assert')
check "no 'kind == STEP_...' chains in src/" test -z "$chains"
[ -z "$chains" ] || printf '%s\n' "$chains"

# 2. a fourth kind: every file with a 'case STEP_' must be told about it
mkdir -p "$tmp/core"
sed 's|^\(\tSTEP_TIMED,.*\)$|\1\n\tSTEP_EXTRA, /* a kind no code knows yet */|' \
	"$src/core/routine.h" >"$tmp/core/routine.h"
check "the copy of routine.h has the extra kind" grep -q STEP_EXTRA "$tmp/core/routine.h"
files=$(grep -rl 'case STEP_' "$src" --include='*.c')
check "sources dispatch on step kinds" test -n "$files"
for f in $files; do
	rel=${f#"$src"/}
	# as they are: no warning at all
	check "$rel compiles cleanly" "$cc" -std=c17 -D_GNU_SOURCE -fsyntax-only -Wall -Werror \
		-I "$src" "$f"
	LC_ALL=C "$cc" -std=c17 -D_GNU_SOURCE -fsyntax-only -Wswitch -I "$tmp" -I "$src" "$f" \
		>"$tmp/out" 2>&1
	sites=$(grep -c 'STEP_EXTRA.* not handled in switch' "$tmp/out")
	check "$rel: -Wswitch names the new kind ($sites sites)" test "$sites" -ge 1
	grep 'STEP_EXTRA.* not handled' "$tmp/out" | sed 's|^|  |'
done
check_done step-kinds
