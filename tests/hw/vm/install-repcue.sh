#!/bin/sh
# install-repcue.sh - installs repcue as a service in the rig's root, the way
# systemd/README.md says, before the VM boots (so the unit starts at boot as
# on a Pi). Runs in a chroot on the host. The one step that differs once a
# package exists: with REPCUE_HW_DEB=/path/repcue_*.deb (seen in the root at
# /hwrig/debs/) it is `apt-get install ./repcue_*.deb` instead of
# `cmake --install` + copying the unit.
set -eu
if [ -n "${REPCUE_HW_DEB:-}" ]; then
	apt-get install -y -q --no-install-recommends /hwrig/debs/"$(basename "$REPCUE_HW_DEB")"
else
	# the unit as CMake configured it: ExecStart names this prefix's binary
	cmake --install /build/repcue > /dev/null
	cp /build/repcue/repcue.service /etc/systemd/system/
fi
getent group gpio > /dev/null || groupadd -r gpio
cp /src/repcue/hw/99-repcue.rules /etc/udev/rules.d/
mkdir -p /etc/repcue
cat > /etc/repcue/config.yaml <<YAML
# written by tests/hw/vm/install-repcue.sh: the example config's pin map
repcue: 1
audio:
  device: "Loopback"
  latency: ${LATENCY:-4096}   # QEMU TCG: see tests/hw/README.md, "Latency under TCG"
  wait_for_device: true
inputs:
  - {role: start, gpio: {name: GPIO17}}
  - {role: next, gpio: {name: GPIO27}}
  - {role: repeat, gpio: {name: GPIO22}}
  - {role: pedal, gpio: {name: GPIO23}}
YAML
# a cold speech cache, so the boot-to-first-word figure includes synthesis
rm -rf /var/cache/private/repcue /var/cache/repcue
systemctl enable repcue.service 2>&1
