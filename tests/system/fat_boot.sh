#!/bin/sh
# fat_boot.sh REPCUE SOURCE_DIR - the routines and config on a FAT boot
# partition are readable by the service's user. A vfat image made with
# mkfs.vfat is loop-mounted with Raspberry Pi OS's options for
# /boot/firmware (root-owned; fmask=0022,dmask=0022: files 0755), routines
# are copied onto it with a BOM, CRLF and macOS junk, and then, as a user
# with no name and no groups (like systemd's DynamicUser=yes), read-only:
#   repcue check          every routine on the card is valid
#   repcue play --wait-for-start   lists them and says the first
# The unit's other sandboxing (ProtectSystem=strict, ReadOnlyPaths=) only
# makes files read-only, never unreadable; a run under systemd as PID 1
# is not possible on this machine (see systemd/README.md).
# Exit 77 (skipped) when not root or the kernel refuses a loop mount.
set -u
repcue=$1 source=$2
uid=61234   # in systemd's DynamicUser range (61184-65519)
if [ "$(id -u)" -ne 0 ]; then
	echo "skipped: needs root to loop-mount a vfat image"
	exit 77
fi
for tool in mkfs.vfat setpriv unshare; do
	command -v $tool >/dev/null 2>&1 || { echo "skipped: $tool not found (Debian packages dosfstools, util-linux)"; exit 77; }
done
work=$(mktemp -d) || exit 1
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
truncate -s 16M "$work/boot.img"
mkfs.vfat -n bootfs "$work/boot.img" >/dev/null 2>&1 || exit 1
mkdir "$work/boot"
# Its own mount namespace: the mount disappears with the test, whatever happens.
exec unshare --mount --propagation private sh -s "$repcue" "$source" "$work" "$uid" <<'INNER'
set -u
repcue=$1 source=$2 work=$3 uid=$4
if ! mount -o loop,ro,fmask=0022,dmask=0022 "$work/boot.img" "$work/boot" 2>"$work/mount.err"; then
	echo "skipped: cannot loop-mount a vfat image here: $(cat "$work/mount.err")"
	exit 77
fi
umount "$work/boot"
mount -o loop,fmask=0022,dmask=0022 "$work/boot.img" "$work/boot" || exit 1
mkdir -p "$work/boot/repcue/routines"
touch "$work/boot/config.txt"
sed 's/name: Tiny/name: Card one/' "$source/tests/system/tiny.yaml" >"$work/boot/repcue/routines/one.yaml"
{ printf '\357\273\277'; sed 's/name: Tiny/name: Card two/; s/$/\r/' "$source/tests/system/tiny.yaml"; } \
	>"$work/boot/repcue/routines/two.yaml"
printf '\000\005\026\007\000\002\000\000Mac OS X' >"$work/boot/repcue/routines/._one.yaml"
# read-only from here on, as the unit has it
mount -o remount,ro "$work/boot" || exit 1
ls -ln "$work/boot/repcue/routines" | sed 's/^/  /'
mkdir -p "$work/data/routines" && cp -r "$source/voices" "$work/data/" && chmod -R a+rX "$work/data"
as_service() {
	setpriv --reuid=$uid --regid=$uid --clear-groups --inh-caps=-all \
		env HOME=/nonexistent REPCUE_BOOT_DIR="$work/boot" REPCUE_DATA_DIR="$work/data" \
		REPCUE_CACHE_DIR="$work/cache-$uid" "$@"
}
if ! as_service "$repcue" check "$work/boot/repcue/routines/one.yaml" "$work/boot/repcue/routines/two.yaml"; then
	echo "FAIL: uid $uid cannot read the routines on the vfat partition"
	exit 1
fi
mkdir "$work/cache-$uid" && chown $uid "$work/cache-$uid"
out=$(as_service timeout 20 "$repcue" play one --wait-for-start --output null --no-keys --transcript \
	--config none --simulate start@1:900 2>&1 | grep -m 2 'Press start')
echo "$out"
case $out in
*"Card one. Press start when you are ready."*"Routine 2 of 2: Card two. Press start to begin."*) ;;
*) echo "FAIL: the lobby did not offer both routines from the vfat partition"; exit 1 ;;
esac
echo "vfat boot partition (fmask=0022,dmask=0022, read-only) read as uid $uid with no groups: ok"
INNER
