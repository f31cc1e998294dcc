#!/bin/sh
# compiler-finds.sh - adding a step kind or a control action: the compiler
# names every place that must say what the new one does, and only those.
#
# A copy of the header gets a new entry (a fourth step kind in routine.h;
# a user action row in control.h's CONTROL_ACTIONS) and every source of
# src/ is compiled against it with -Wall -Wextra:
#   - step kind: -Wswitch must name it in src/core/plan.c (what the coach
#     says for it) and nothing else may warn: its word and its measure are
#     columns of its row, the rest goes by the measure; and no
#     `kind == STEP_...` test may be left in src/;
#   - control action: -Wswitch must name it in src/core/sequencer.c (the
#     handler) and nothing else may warn: the rest is derived from the row.
# Sources that do not compile here as they are (a library's headers not
# installed, such as libgpiod 2's on bookworm) are listed and left out.
#
#   compiler-finds.sh SOURCE_DIR C_COMPILER
set -u
top=${1:?source dir}
src=$top/src
cc=${2:?compiler}
. "$top/tests/lib/check.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags="-std=c17 -D_GNU_SOURCE -DREPCUE_VERSION=\"0\" -DREPCUE_PKGDATADIR=\"/usr/share/repcue\"
 -DREPCUE_SYSCONFDIR=\"/etc/repcue\" -DHAVE_LIBSYSTEMD -fsyntax-only -Wall -Wextra
 $(pkg-config --cflags libevdev 2>/dev/null) $(pkg-config --cflags pangocairo 2>/dev/null)"

# the sources that compile as they are, without a warning
: >"$tmp/sources"
for f in $(find "$src" -name '*.c' | sort); do
	# shellcheck disable=SC2086
	if $cc $flags -Werror -I "$src" "$f" >/dev/null 2>&1; then
		echo "$f" >>"$tmp/sources"
	else
		echo "left out (does not compile here as it is): ${f#"$src"/}"
	fi
done
check "most sources compile here ($(wc -l <"$tmp/sources"))" test "$(wc -l <"$tmp/sources")" -ge 40

# compile_with DIR: every source against the headers in DIR first; the
# warnings, one per line, into $tmp/warnings (the diagnostic lines only:
# clang adds a count, "1 warning generated.")
compile_with() {
	: >"$tmp/warnings"
	while read -r f; do
		# shellcheck disable=SC2086
		LC_ALL=C $cc $flags -I "$1" -I "$src" "$f" 2>&1 | grep -E ': (warning|error):' >>"$tmp/warnings"
	done <"$tmp/sources"
	sed "s|^$src/|  |" "$tmp/warnings"
}

# 1. step kinds
chains=$(grep -rnE '(==|!=) *STEP_[A-Z_]+|STEP_[A-Z_]+ *(==|!=)' "$src" --include='*.c' --include='*.h')
check "no 'kind == STEP_...' chains in src/" test -z "$chains"
[ -z "$chains" ] || printf '%s\n' "$chains"
mkdir -p "$tmp/kind/core"
sed 's|^\(\tX(HOLD, .*\)$|\1\n\tX(EXTRA, "extra", STEP_MEASURE_SECONDS) \\|' \
	"$src/core/routine.h" >"$tmp/kind/core/routine.h"
check "the copy of routine.h has the extra kind" grep -q 'X(EXTRA' "$tmp/kind/core/routine.h"
echo "a fourth step kind:"
compile_with "$tmp/kind"
check "plan.c: -Wswitch names the new kind (what the coach says for it)" \
	grep -q "^$src/core/plan.c:.*STEP_EXTRA.* not handled in switch" "$tmp/warnings"
check "nothing else needs it" test "$(grep -vc "^$src/core/plan.c:.*STEP_EXTRA.* not handled in switch" "$tmp/warnings")" -eq 0

# 2. control actions
mkdir -p "$tmp/action/core"
sed 's|^\(\tX(QUIT, .*\)$|\tX(EXTRA, "extra", true, true, false, '"'x'"', "extra") \\\n\1|' \
	"$src/core/control.h" >"$tmp/action/core/control.h"
check "the copy of control.h has the extra action" grep -q 'X(EXTRA' "$tmp/action/core/control.h"
echo "a new user action:"
compile_with "$tmp/action"
check "sequencer.c: -Wswitch names the new action" \
	grep -q "^$src/core/sequencer.c:.*CONTROL_EXTRA.* not handled in switch" "$tmp/warnings"
check "nothing else needs it" test "$(grep -vc "^$src/core/sequencer.c:.*CONTROL_EXTRA.* not handled in switch" "$tmp/warnings")" -eq 0
check_done compiler-finds
