/* evdev adapter on a real kernel input device made with uinput: keys with
 * kernel timestamps on CLOCK_MONOTONIC, the grab, unplug and re-plug.
 * Skipped (77) where /dev/uinput is missing or not writable. */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>

#include "../lib/harness.h"
#include "input/evdev.h"

#define NAME "repcue test pedal"

static input_usec_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (input_usec_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct libevdev_uinput *make_pedal(void)
{
	struct libevdev *dev = libevdev_new();
	struct libevdev_uinput *ui = NULL;
	int r;

	libevdev_set_name(dev, NAME);
	libevdev_enable_event_type(dev, EV_KEY);
	libevdev_enable_event_code(dev, EV_KEY, KEY_PAGEDOWN, NULL);
	libevdev_enable_event_code(dev, EV_KEY, KEY_PAGEUP, NULL);
	r = libevdev_uinput_create_from_device(dev, LIBEVDEV_UINPUT_OPEN_MANAGED,
					       &ui);
	libevdev_free(dev);
	return r < 0 ? NULL : ui;
}

static void tap(struct libevdev_uinput *ui, unsigned code, int value)
{
	libevdev_uinput_write_event(ui, EV_KEY, code, value);
	libevdev_uinput_write_event(ui, EV_SYN, SYN_REPORT, 0);
}

/* Waits for the fd (the kernel delivers at once; the bound is only a
 * safety net) and reads. */
static int wait_read(struct evdev_input *in, struct input_edge *e, int max)
{
	struct pollfd pfd = { .fd = evdev_input_fd(in), .events = POLLIN };

	if (poll(&pfd, 1, 2000) != 1)
		return -ETIMEDOUT;
	return evdev_input_read(in, now_usec(), e, max);
}

int main(void)
{
	static const struct evdev_key_binding keys[] = {
		{ KEY_PAGEDOWN, INPUT_ROLE_PEDAL },
	};
	struct evdev_input_config cfg = { .device = NAME, .keys = keys,
					  .n_keys = 1 };
	struct libevdev_uinput *ui;
	struct evdev_input *in = NULL;
	struct input_edge e[8];
	char err[256];
	input_usec_t before, t;
	int n, other;

	if (access("/dev/uinput", W_OK) != 0)
		SKIP("/dev/uinput is missing or not writable (%s); this test "
		     "needs a kernel with uinput (modprobe uinput) and root or "
		     "the input group", strerror(errno));
	ui = make_pedal();
	if (!ui)
		SKIP("cannot create a uinput device here");
	/* uinput made the device, but without the evdev handler (udev loads
	 * it on a real system) it has no /dev/input/event* node to open */
	if (!libevdev_uinput_get_devnode(ui)) {
		libevdev_uinput_destroy(ui);
		SKIP("the uinput device got no /dev/input/event* node: the "
		     "kernel's evdev handler is not loaded (modprobe evdev)");
	}

	CHECK_EQ_INT(evdev_input_open(&cfg, now_usec(), &in, err, sizeof(err)), 0);
	if (!in) {
		fprintf(stderr, "%s\n", err);
		libevdev_uinput_destroy(ui);
		return 1;
	}
	/* grabbed: nobody else may grab it now */
	other = open(libevdev_uinput_get_devnode(ui), O_RDONLY | O_NONBLOCK);
	CHECK(other >= 0);
	CHECK(ioctl(other, EVIOCGRAB, (void *)1) < 0 && errno == EBUSY);
	close(other);

	before = now_usec();
	tap(ui, KEY_PAGEDOWN, 1);
	tap(ui, KEY_PAGEDOWN, 2);
	tap(ui, KEY_PAGEDOWN, 0);
	n = wait_read(in, e, 8);
	if (n < 2)
		n += evdev_input_read(in, now_usec(), e + n, 8 - n);
	CHECK_EQ_INT(n, 2);
	CHECK_EQ_INT(e[0].kind, INPUT_EDGE_PRESS);
	CHECK_EQ_INT(e[1].kind, INPUT_EDGE_RELEASE);
	t = now_usec();
	CHECK(e[0].at_usec >= before && e[1].at_usec <= t);

	libevdev_uinput_destroy(ui);
	n = wait_read(in, e, 8);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(e[0].kind, INPUT_EDGE_DISCONNECTED);
	t = evdev_input_deadline(in);
	ui = make_pedal();
	CHECK(ui != NULL);
	/* the rescan is time driven: call it at its deadline */
	n = evdev_input_read(in, t, e, 8);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(e[0].kind, INPUT_EDGE_CONNECTED);
	evdev_input_close(in);
	libevdev_uinput_destroy(ui);
	return check_done("input_evdev_uinput");
}
