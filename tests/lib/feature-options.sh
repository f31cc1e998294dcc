#!/bin/sh
# feature-options.sh SOURCE_DIR WORK_DIR: the REPCUE_WITH_* options as a
# packager meets them. pkg-config is pointed at a copy of this machine's
# .pc files with one library's file left out, so that library is missing:
#   on   fails the configure step, naming the Debian -dev package;
#   auto succeeds and says the feature is not built;
# and a value other than auto/on/off is refused. Only configures (no
# compiler runs beyond CMake's own checks). 77 when pkg-config is missing.
set -u
src=$1
work=$2
command -v pkg-config >/dev/null || { echo "SKIP: pkg-config is not installed (Debian package pkgconf)"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
status=0
fail() { echo "FAILED: $*"; status=1; }

# name|.pc file|Debian package, as in the top CMakeLists.txt's REPCUE_FEATURES
for feature in PORTAUDIO:portaudio-2.0:portaudio19-dev GPIOD:libgpiod:libgpiod-dev \
	EVDEV:libevdev:libevdev-dev SYSTEMD:libsystemd:libsystemd-dev; do
	name=${feature%%:*}
	rest=${feature#*:}
	module=${rest%%:*}
	package=${rest#*:}
	pc=$work/pc-$name
	mkdir -p "$pc"
	for dir in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
		[ -d "$dir" ] || continue
		for f in "$dir"/*.pc; do
			[ -e "$f" ] && [ ! -e "$pc/${f##*/}" ] && ln -s "$f" "$pc/"
		done
	done
	[ -e "$pc/$module.pc" ] || { echo "SKIP: $module.pc is not installed here ($package), so it cannot be taken away"; exit 77; }
	rm "$pc/$module.pc"

	out=$(PKG_CONFIG_LIBDIR=$pc PKG_CONFIG_PATH= cmake -S "$src" -B "$work/on-$name" \
		-DBUILD_TESTING=OFF -DREPCUE_WITH_$name=on 2>&1)
	rc=$?
	[ "$rc" -ne 0 ] || fail "REPCUE_WITH_$name=on configured without $module"
	echo "$out" | tr '\n' ' ' | tr -s ' ' | grep -q "REPCUE_WITH_$name=on.*apt-get install $package" ||
		fail "REPCUE_WITH_$name=on without $module does not name $package: $out"

	out=$(PKG_CONFIG_LIBDIR=$pc PKG_CONFIG_PATH= cmake -S "$src" -B "$work/auto-$name" \
		-DBUILD_TESTING=OFF -DREPCUE_WITH_$name=auto 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] || fail "REPCUE_WITH_$name=auto without $module failed: $out"
	echo "$out" | grep -q "repcue: $module: no (REPCUE_WITH_$name=auto)" ||
		fail "REPCUE_WITH_$name=auto without $module does not say so: $out"
	echo "REPCUE_WITH_$name: on fails without $module, naming $package; auto goes without"
done

out=$(cmake -S "$src" -B "$work/bad" -DBUILD_TESTING=OFF -DREPCUE_WITH_GPIOD=maybe 2>&1) &&
	fail "REPCUE_WITH_GPIOD=maybe was accepted"
echo "$out" | grep -q "say auto, on or off" || fail "REPCUE_WITH_GPIOD=maybe: no useful message: $out"
rm -rf "$work"
exit $status
