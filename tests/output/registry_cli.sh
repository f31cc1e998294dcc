#!/bin/sh
# repcue play's --output comes from the backend table: the usage text lists
# every backend with its description, an unknown name is refused (exit 2)
# with the valid names. Nothing here opens a sound device.
# usage: registry_cli.sh REPCUE SRC
repcue=$1
src=$2
. "$src/tests/lib/check.sh"

help=$("$repcue" play --help)
check "usage lists the sound card" sh -c 'printf "%s\n" "$1" | grep -q "^  --output portaudio   the sound card"' - "$help"
check "usage lists null" sh -c 'printf "%s\n" "$1" | grep -q "^  --output null        no sound: pace the session"' - "$help"

err=$("$repcue" play --output bogus "$src/tests/system/tiny.yaml" 2>&1 >/dev/null)
rc=$?
check "unknown output: exit 2 (was $rc)" test "$rc" = 2
check "unknown output: names it and the valid ones ($err)" \
	test "$err" = "repcue play: no output 'bogus': give one of portaudio, null
Try 'repcue play --help'."

check_done registry_cli
