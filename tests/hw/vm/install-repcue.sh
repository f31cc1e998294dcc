#!/bin/sh
# install-repcue.sh - installs the Debian package in the rig's root, the way
# a Pi gets it: `apt-get install ./repcue_*.deb` on a system whose FAT boot
# partition is mounted at /boot/firmware, so the postinst seeds
# /boot/firmware/repcue/ on the real vfat file system. Two steps:
#   prepare  on the host, chrooted into the root, before the VM boots:
#            takes away what a former run left (the package, an unowned
#            copy of its conffile, the unit and udev rule an older rig
#            copied), the speech cache (so boot to first word is cold), and
#            writes the fstab line of the boot partition;
#   boot     in the VM, run by initramfs-init before systemd starts (chrooted
#            into the root with /proc, /sys, /dev and /run mounted): mounts the
#            boot partition, apt-get install, the rig's device config, unmounts.
# The .deb's file name is in /hwrig/install-at-boot, the file in /hwrig/debs/.
set -eu
export DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8
case "${1:-}" in
prepare)
	if dpkg-query -W -f='${Status}' repcue 2> /dev/null | grep -q 'installed\|config-files'; then
		apt-get purge -y -q repcue
	fi
	rm -f /etc/repcue/config.yaml /etc/udev/rules.d/99-repcue.rules
	# apt's package cache made here, natively: the VM's apt-get would
	# otherwise spend 90 s of TCG on building it from the package lists
	apt-cache gencaches
	# and no man-db index update after each install and purge (the root has
	# man-db for debhelper; its trigger takes minutes of TCG over 9p)
	rm -f /var/lib/man-db/auto-update
	# Until service-checks.sh has checked everything else, the watchdog is
	# 10 min, not the unit's 60 s: at TCG's 40-80-fold slowdown on a loaded
	# host, the first lobby's cold-cache synthesis took over 60 s of the
	# VM's CPU (under 1 s natively), the watchdog restarted repcue, and the
	# next process started cold again (tests/hw/README.md). The checks
	# take this drop-in away before the watchdog's own check.
	mkdir -p /etc/systemd/system/repcue.service.d
	printf '[Service]\n# tests/hw/vm/install-repcue.sh: TCG is 40-80 times slower than a CPU\nWatchdogSec=600s\n' \
		> /etc/systemd/system/repcue.service.d/rig-tcg.conf
	rm -rf /var/cache/private/repcue /var/cache/repcue /var/lib/private/repcue /var/lib/repcue
	# Raspberry Pi OS's line for it (bookworm and trixie): vfat, "defaults"
	# (no uid/gid/fmask/dmask: root-owned, files and folders 0755), fsck
	# pass 2. The Pi names it by PARTUUID; here it is the second disk.
	mkdir -p /boot/firmware
	sed -i '\|[[:space:]]/boot/firmware[[:space:]]|d' /etc/fstab 2> /dev/null || true
	echo '/dev/vda  /boot/firmware  vfat  defaults  0  2' >> /etc/fstab
	;;
boot)
	deb=/hwrig/debs/$(cat /hwrig/install-at-boot)
	# (loaded by name: the kernel's own module loading would run the
	# initramfs's /sbin/modprobe, which does not exist; under systemd, udev
	# and the kernel load the same ones)
	modprobe -a virtio_blk vfat nls_cp437 nls_ascii nls_utf8
	i=0; while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	mount /boot/firmware
	grep ' /boot/firmware ' /proc/mounts
	t0=$(cut -d' ' -f1 /proc/uptime)
	apt-get install -y -q --no-install-recommends "$deb"
	echo "T_APT_INSTALL $t0 $(cut -d' ' -f1 /proc/uptime)"
	# The rig's device config over the packaged one (a conffile an admin
	# edits): the loopback as the sound device, the Pi's pin map.
	cat > /etc/repcue/config.yaml <<YAML
# written by tests/hw/vm/install-repcue.sh: the example config's pin map
repcue: 1
audio:
  device: "Loopback"
  latency: $(sed -n 's/.*hwrig\.latency=\([0-9]*\).*/\1/p' /proc/cmdline)   # QEMU TCG: see tests/hw/README.md, "Latency under TCG"
  wait_for_device: true
inputs:
  - {role: start, gpio: {name: GPIO17}}
  - {role: next, gpio: {name: GPIO27}}
  - {role: repeat, gpio: {name: GPIO22}}
  - {role: pedal, gpio: {name: GPIO23}}
YAML
	umount /boot/firmware
	;;
*)
	echo "usage: install-repcue.sh prepare|boot" >&2
	exit 2
	;;
esac
