#!/bin/sh
# debian-mirror.sh - print the Debian mirror URL that debootstrap should use.
#
# Order: $REPCUE_DEBIAN_MIRROR if set; else the first "debian" URI of this
# machine's own apt sources (deb822 *.sources or one-line *.list), so a user
# behind a local mirror or proxy runs the suite against that mirror; else
# deb.debian.org. Security and backports archives are never chosen.
#
# Usage: mirror=$(sh tests/lib/debian-mirror.sh)
set -eu
if [ -n "${REPCUE_DEBIAN_MIRROR:-}" ]; then
	echo "$REPCUE_DEBIAN_MIRROR"
	exit 0
fi
found=$(
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		case "$f" in
		*.sources) sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr ' ' '\n' ;;
		*) sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' "$f" ;;
		esac
	done | grep -E '^(https?|file)://' | grep -E '/debian/?$' |
		grep -v -e security -e backports | head -n 1
)
echo "${found:-http://deb.debian.org/debian}"
