/* evdev adapter without a device: key names (libevdev's table), and the
 * connected -> gone -> back state machine driven through a pipe that
 * carries real struct input_event records (EOF = unplugged). */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <string.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "input/evdev.h"

#define S 1000000

/* --- a fake source: one pipe per "plug-in" --- */

struct fake {
	int plugs[4];       /* read ends waiting to be "plugged in" */
	int n_plugs;
	int fd;             /* current read end, -1 when closed */
	int opens;          /* open attempts */
	bool grab;
	bool destroyed;
};

static int fake_open(void *sctx, const char *device, bool grab, char *err,
		     size_t errlen)
{
	struct fake *f = sctx;

	f->opens++;
	if (f->n_plugs == 0) {
		snprintf(err, errlen, "evdev \"%s\": not plugged in", device);
		return -ENOENT;
	}
	f->fd = f->plugs[0];
	memmove(f->plugs, f->plugs + 1, sizeof(f->plugs) - sizeof(f->plugs[0]));
	f->n_plugs--;
	f->grab = grab;
	return 0;
}

static int fake_fd(void *sctx)
{
	return ((struct fake *)sctx)->fd;
}

static int fake_next(void *sctx, struct evdev_key_event *out)
{
	struct fake *f = sctx;
	struct input_event ev;

	for (;;) {
		ssize_t n = read(f->fd, &ev, sizeof(ev));

		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (n == 0)
			return -ENODEV;   /* writer gone: unplugged */
		if (ev.type != EV_KEY)
			continue;
		*out = (struct evdev_key_event){
			.code = ev.code, .value = ev.value,
			.at_usec = (input_usec_t)ev.input_event_sec * S +
				   ev.input_event_usec,
		};
		return 1;
	}
}

static void fake_close(void *sctx)
{
	struct fake *f = sctx;

	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

static void fake_destroy(void *sctx)
{
	fake_close(sctx);
	((struct fake *)sctx)->destroyed = true;
}

static const struct evdev_source_ops fake_ops = {
	.open = fake_open, .fd = fake_fd, .next = fake_next,
	.close = fake_close, .destroy = fake_destroy,
};

/* A pipe whose read end is queued as the next plug-in; returns the
 * write end. */
static int plug(struct fake *f)
{
	int p[2];

	CHECK_EQ_INT(pipe2(p, O_NONBLOCK), 0);
	f->plugs[f->n_plugs++] = p[0];
	return p[1];
}

static void key(int w, unsigned type, unsigned code, int value,
		input_usec_t at)
{
	struct input_event ev = { .type = (unsigned short)type,
				  .code = (unsigned short)code, .value = value };

	ev.input_event_sec = at / S;
	ev.input_event_usec = at % S;
	CHECK_EQ_INT(write(w, &ev, sizeof(ev)), (ssize_t)sizeof(ev));
}

static const struct evdev_key_binding keys[] = {
	{ KEY_PAGEDOWN, INPUT_ROLE_PEDAL },
	{ KEY_PAGEUP, INPUT_ROLE_REPEAT },
};

static void test_hotplug(void)
{
	struct fake f = { .fd = -1 };
	struct evdev_input_config cfg = {
		.device = "PCsensor FootSwitch", .keys = keys, .n_keys = 2,
	};
	struct evdev_input *in = NULL;
	struct input_edge e[8];
	char err[256];
	int w = plug(&f), n;

	CHECK_EQ_INT(evdev_input_open_source(&cfg, &fake_ops, &f, 100 * S, &in,
					 err, sizeof(err)), 0);
	CHECK(f.grab);
	CHECK(evdev_input_connected(in));
	CHECK(evdev_input_fd(in) >= 0);
	CHECK_EQ_INT(evdev_input_deadline(in), INPUT_NO_DEADLINE);

	key(w, EV_KEY, KEY_PAGEDOWN, 1, 100 * S + 1);
	key(w, EV_SYN, SYN_REPORT, 0, 100 * S + 1);
	key(w, EV_KEY, KEY_PAGEDOWN, 2, 100 * S + 500000);  /* autorepeat */
	key(w, EV_KEY, KEY_A, 1, 100 * S + 600000);         /* unbound */
	key(w, EV_KEY, KEY_PAGEDOWN, 0, 100 * S + 700000);
	key(w, EV_KEY, KEY_PAGEUP, 1, 100 * S + 800000);
	n = evdev_input_read(in, 101 * S, e, 8);
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_INT(e[0].kind, INPUT_EDGE_PRESS);
	CHECK_EQ_INT(e[0].role, INPUT_ROLE_PEDAL);
	CHECK_EQ_INT(e[0].at_usec, 100 * S + 1);   /* the kernel's time */
	CHECK_EQ_INT(e[1].kind, INPUT_EDGE_RELEASE);
	CHECK_EQ_INT(e[1].at_usec, 100 * S + 700000);
	CHECK_EQ_INT(e[2].role, INPUT_ROLE_REPEAT);
	CHECK_EQ_INT(evdev_input_read(in, 101 * S, e, 8), 0);

	/* a full buffer leaves the rest for an immediate second call */
	for (int i = 0; i < 3; i++)
		key(w, EV_KEY, KEY_PAGEUP, i % 2 == 0 ? 0 : 1, 102 * S + i);
	CHECK_EQ_INT(evdev_input_read(in, 102 * S, e, 2), 2);
	CHECK_EQ_INT(evdev_input_deadline(in), 0);
	CHECK_EQ_INT(evdev_input_read(in, 102 * S, e, 2), 1);
	CHECK_EQ_INT(evdev_input_read(in, 102 * S, e, 2), 0);
	CHECK_EQ_INT(evdev_input_deadline(in), INPUT_NO_DEADLINE);

	/* unplugged: DISCONNECTED once, then quiet, fd gone */
	close(w);
	n = evdev_input_read(in, 103 * S, e, 8);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(e[0].kind, INPUT_EDGE_DISCONNECTED);
	CHECK_EQ_INT(e[0].at_usec, 103 * S);
	CHECK(!evdev_input_connected(in));
	CHECK_EQ_INT(evdev_input_fd(in), -1);
	CHECK_EQ_INT(evdev_input_deadline(in), 104 * S);
	CHECK_EQ_INT(f.opens, 1);

	/* not rescanned before its time, however often it is called */
	for (int i = 0; i < 100; i++)
		CHECK_EQ_INT(evdev_input_read(in, 103 * S + i * 9000, e, 8), 0);
	CHECK_EQ_INT(f.opens, 1);
	/* still away at the rescan: nothing reported, next try in 1 s */
	CHECK_EQ_INT(evdev_input_read(in, 104 * S, e, 8), 0);
	CHECK_EQ_INT(f.opens, 2);
	CHECK_EQ_INT(evdev_input_deadline(in), 105 * S);

	/* back: CONNECTED, and its keys come through */
	w = plug(&f);
	key(w, EV_KEY, KEY_PAGEDOWN, 1, 105 * S + 10);
	n = evdev_input_read(in, 105 * S, e, 8);
	CHECK_EQ_INT(n, 2);
	CHECK_EQ_INT(e[0].kind, INPUT_EDGE_CONNECTED);
	CHECK_EQ_INT(e[1].kind, INPUT_EDGE_PRESS);
	CHECK_EQ_INT(e[1].at_usec, 105 * S + 10);
	CHECK(evdev_input_connected(in));
	close(w);

	evdev_input_close(in);
	CHECK(f.destroyed);
	evdev_input_close(NULL);
}

static void test_absent(void)
{
	struct fake f = { .fd = -1 };
	struct evdev_input_config cfg = {
		.device = "/dev/input/by-id/usb-pedal-event-kbd",
		.keys = keys, .n_keys = 2, .no_grab = true,
	};
	struct evdev_input *in = NULL;
	struct input_edge e[4];
	char err[256];

	CHECK_EQ_INT(evdev_input_open_source(&cfg, &fake_ops, &f, 0, &in, err,
					 sizeof(err)), -ENOENT);
	CHECK(strstr(err, "usb-pedal") != NULL);
	CHECK(f.destroyed);

	f = (struct fake){ .fd = -1 };
	cfg.allow_absent = true;
	CHECK_EQ_INT(evdev_input_open_source(&cfg, &fake_ops, &f, 0, &in, err,
					 sizeof(err)), 0);
	CHECK(!evdev_input_connected(in));
	CHECK_EQ_INT(evdev_input_deadline(in), 1 * S);
	close(plug(&f));   /* plugged in, and at once gone again */
	CHECK_EQ_INT(evdev_input_read(in, 1 * S, e, 4), 2);
	CHECK_EQ_INT(e[0].kind, INPUT_EDGE_CONNECTED);
	CHECK_EQ_INT(e[1].kind, INPUT_EDGE_DISCONNECTED);
	CHECK(!f.grab);
	evdev_input_close(in);

	f = (struct fake){ .fd = -1 };
	cfg.n_keys = 0;
	CHECK_EQ_INT(evdev_input_open_source(&cfg, &fake_ops, &f, 0, &in, err,
					 sizeof(err)), -EINVAL);
	CHECK(f.destroyed);
}

static void test_key_names(void)
{
	int r = evdev_key_code("KEY_PAGEDOWN");
	char err[256];
	struct evdev_input *in = NULL;
	struct evdev_input_config cfg = {
		.device = "/dev/input/by-id/usb-repcue-no-such-pedal-event-kbd",
		.keys = keys, .n_keys = 2,
	};

	if (r == -ENOTSUP) {
		printf("built without libevdev: key names not checked\n");
		return;
	}
	CHECK_EQ_INT(r, KEY_PAGEDOWN);
	CHECK_EQ_INT(evdev_key_code("pagedown"), KEY_PAGEDOWN);
	CHECK_EQ_INT(evdev_key_code("PAGEUP"), KEY_PAGEUP);
	CHECK_EQ_INT(evdev_key_code("KEY_LEFT"), KEY_LEFT);
	CHECK_EQ_INT(evdev_key_code("right"), KEY_RIGHT);
	CHECK_EQ_INT(evdev_key_code("KEY_UP"), KEY_UP);
	CHECK_EQ_INT(evdev_key_code("down"), KEY_DOWN);
	CHECK_EQ_INT(evdev_key_code("enter"), KEY_ENTER);
	CHECK_EQ_INT(evdev_key_code("b"), KEY_B);
	CHECK_EQ_INT(evdev_key_code("KEY_NOPE"), -EINVAL);
	CHECK_EQ_INT(evdev_key_code(""), -EINVAL);
	CHECK_EQ_INT(evdev_key_code(NULL), -EINVAL);

	/* the real libevdev source on this machine: a path that is not
	 * there is "not plugged in", with how to find the right one */
	CHECK_EQ_INT(evdev_input_open(&cfg, 0, &in, err, sizeof(err)), -ENOENT);
	CHECK(strstr(err, "not plugged in") != NULL);
	CHECK(strstr(err, "/dev/input/by-id") != NULL);
	printf("  %s\n", err);
	cfg.device = "repcue no such pedal";
	r = evdev_input_open(&cfg, 0, &in, err, sizeof(err));
	CHECK(r == -ENOENT || r == -EACCES);
	printf("  %s\n", err);
}

int main(void)
{
	RUN_CASE(test_hotplug, ());
	RUN_CASE(test_absent, ());
	RUN_CASE(test_key_names, ());
	return check_done("input_evdev");
}
