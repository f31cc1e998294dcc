# pedal.pl - a USB foot pedal for the image tests, made inside the booted
# image through the kernel's uinput (perl-base is in every Debian root; the
# image has no compiler and no python). The coach reads it through evdev
# as it would a real pedal (a keyboard-like device, one key: KEY_A).
# Run as root after `modprobe uinput`: it creates the device, says
# "PEDAL UP", and taps KEY_A (pressed, released 150 ms later) each time
# the file /run/repcue-pedal-tap appears (it removes it). The device lives
# as long as the process.
#
# Why not QEMU's own keyboard (usb-kbd, virtio-keyboard-pci with the
# monitor's sendkey): with -display none, QEMU 7.2 took the key events
# (its input trace shows them) but neither device passed one to the guest.
use strict;
use warnings;
use Time::HiRes qw(sleep);

# <linux/uinput.h> and <linux/input-event-codes.h>; the sizes are those of
# a 64-bit kernel (arm64, x86-64): struct input_event is 24 bytes.
my ($UI_SET_EVBIT, $UI_SET_KEYBIT, $UI_DEV_CREATE) = (0x40045564, 0x40045565, 0x5501);
my ($EV_SYN, $EV_KEY, $SYN_REPORT, $KEY_A, $BUS_USB) = (0, 1, 0, 30, 3);
my $NAME = "repcue test pedal";
my $TAP = "/run/repcue-pedal-tap";

open(my $u, "+<", "/dev/uinput") or die "pedal: /dev/uinput: $!\n";
ioctl($u, $UI_SET_EVBIT, $EV_KEY) or die "pedal: UI_SET_EVBIT: $!\n";
ioctl($u, $UI_SET_KEYBIT, $KEY_A) or die "pedal: UI_SET_KEYBIT: $!\n";
# struct uinput_user_dev: name[80], input_id (bustype, vendor, product,
# version), ff_effects_max, absmax/absmin/absfuzz/absflat[64]
my $dev = pack("a80 S4 L", $NAME, $BUS_USB, 0x1209, 0x0001, 1, 0) . ("\0" x (4 * 64 * 4));
syswrite($u, $dev) == length($dev) or die "pedal: writing the device: $!\n";
ioctl($u, $UI_DEV_CREATE, 0) or die "pedal: UI_DEV_CREATE: $!\n";
$| = 1;
print "PEDAL UP\n";

sub event {
	my ($type, $code, $value) = @_;
	my $e = pack("q q S S l", 0, 0, $type, $code, $value);
	syswrite($u, $e) == length($e) or die "pedal: writing an event: $!\n";
}
while (1) {
	if (-e $TAP) {
		unlink $TAP;
		event($EV_KEY, $KEY_A, 1);
		event($EV_SYN, $SYN_REPORT, 0);
		sleep 0.15;
		event($EV_KEY, $KEY_A, 0);
		event($EV_SYN, $SYN_REPORT, 0);
		print "PEDAL TAP\n";
	}
	sleep 0.05;
}
