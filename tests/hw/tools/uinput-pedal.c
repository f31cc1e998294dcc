/* uinput-pedal - a USB foot pedal replayed through /dev/uinput (libevdev),
 * with the identity and event pattern the real device shows in evtest.
 *
 *   uinput-pedal PROFILE ACTION...
 *
 * PROFILE (one table below, the only place the patterns are written):
 *   transcription  VEC Infinity IN-USB-2 (05f3:00ff, "VEC VEC USB Footpedal"):
 *                  a HID device that is not a keyboard; hid-input turns its
 *                  three pedals (button page usages 1..3) into BTN_0, BTN_1,
 *                  BTN_2, each preceded by MSC_SCAN 0x90001..0x90003;
 *                  no autorepeat.
 *   footswitch     PCsensor FootSwitch (413d:2107, "PCsensor FootSwitch"):
 *                  a USB keyboard, by default typing a, b, c (MSC_SCAN 0x70004..
 *                  0x70006, then KEY_A..KEY_C); EV_REP is set, so the kernel
 *                  repeats a held key (value 2) after 250 ms, every 33 ms.
 * ACTION: wait:MS  gate:PATH (wait until PATH exists)  down:KEY  up:KEY
 *         tap:KEY:MS  unplug  plug
 * KEY is one of the profile's keys by name (BTN_0, KEY_B, ...).
 * Prints each action as "SECONDS what" on CLOCK_MONOTONIC. Exit 0 when the
 * actions are done, 1 if uinput fails, 2 on usage. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>

#define MAX_KEYS 3

struct profile {
	const char *id;
	const char *name;        /* as the kernel reports it (EVIOCGNAME) */
	unsigned vendor, product;
	bool autorepeat;         /* EV_REP: a keyboard */
	unsigned keys[MAX_KEYS];
	unsigned scan[MAX_KEYS]; /* HID usage sent as MSC_SCAN before each key */
};

static const struct profile profiles[] = {
	{ "transcription", "VEC VEC USB Footpedal", 0x05f3, 0x00ff, false,
	  { BTN_0, BTN_1, BTN_2 }, { 0x90001, 0x90002, 0x90003 } },
	{ "footswitch", "PCsensor FootSwitch", 0x413d, 0x2107, true,
	  { KEY_A, KEY_B, KEY_C }, { 0x70004, 0x70005, 0x70006 } },
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void msleep(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static struct libevdev_uinput *plug(const struct profile *p)
{
	struct libevdev *d = libevdev_new();
	struct libevdev_uinput *ui = NULL;
	int r;

	if (!d)
		return NULL;
	libevdev_set_name(d, p->name);
	libevdev_set_id_bustype(d, BUS_USB);
	libevdev_set_id_vendor(d, (int)p->vendor);
	libevdev_set_id_product(d, (int)p->product);
	libevdev_enable_event_type(d, EV_KEY);
	for (int i = 0; i < MAX_KEYS; i++)
		libevdev_enable_event_code(d, EV_KEY, p->keys[i], NULL);
	libevdev_enable_event_type(d, EV_MSC);
	libevdev_enable_event_code(d, EV_MSC, MSC_SCAN, NULL);
	if (p->autorepeat) {
		int delay = 250, period = 33;

		libevdev_enable_event_type(d, EV_REP);
		libevdev_enable_event_code(d, EV_REP, REP_DELAY, &delay);
		libevdev_enable_event_code(d, EV_REP, REP_PERIOD, &period);
	}
	r = libevdev_uinput_create_from_device(d, LIBEVDEV_UINPUT_OPEN_MANAGED, &ui);
	libevdev_free(d);
	if (r < 0) {
		fprintf(stderr, "uinput-pedal: cannot create the device: %s\n", strerror(-r));
		return NULL;
	}
	printf("%.3f plugged %s %s\n", now(), p->name, libevdev_uinput_get_devnode(ui));
	fflush(stdout);
	return ui;
}

/* index of KEY in the profile, -1 if it has no such key */
static int key_index(const struct profile *p, const char *key)
{
	int code = libevdev_event_code_from_name(EV_KEY, key);

	for (int i = 0; code >= 0 && i < MAX_KEYS; i++)
		if (p->keys[i] == (unsigned)code)
			return i;
	return -1;
}

static int key(struct libevdev_uinput *ui, const struct profile *p, const char *name,
	       int value)
{
	int i = key_index(p, name);

	if (i < 0 || !ui) {
		fprintf(stderr, "uinput-pedal: %s: %s\n", name,
			ui ? "not a key of this pedal" : "the pedal is unplugged");
		return -EINVAL;
	}
	/* the order hid-input reports them in: scan code, key, report */
	libevdev_uinput_write_event(ui, EV_MSC, MSC_SCAN, (int)p->scan[i]);
	libevdev_uinput_write_event(ui, EV_KEY, p->keys[i], value);
	libevdev_uinput_write_event(ui, EV_SYN, SYN_REPORT, 0);
	printf("%.3f %s %s\n", now(), name, value ? "down" : "up");
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const struct profile *p = NULL;
	struct libevdev_uinput *ui;

	for (size_t i = 0; argc > 1 && i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(argv[1], profiles[i].id) == 0)
			p = &profiles[i];
	if (!p) {
		fprintf(stderr, "usage: uinput-pedal transcription|footswitch ACTION...\n");
		return 2;
	}
	ui = plug(p);
	if (!ui)
		return 1;
	for (int i = 2; i < argc; i++) {
		char buf[256], *a = buf, *b, *c;
		int r = 0;

		snprintf(buf, sizeof(buf), "%s", argv[i]);
		b = strchr(a, ':');
		if (b)
			*b++ = '\0';
		c = b ? strchr(b, ':') : NULL;
		if (c)
			*c++ = '\0';
		if (strcmp(a, "wait") == 0 && b) {
			msleep(atol(b));
		} else if (strcmp(a, "gate") == 0 && b) {
			while (access(b, F_OK) != 0)
				msleep(20);
		} else if (strcmp(a, "down") == 0 && b) {
			r = key(ui, p, b, 1);
		} else if (strcmp(a, "up") == 0 && b) {
			r = key(ui, p, b, 0);
		} else if (strcmp(a, "tap") == 0 && b) {
			r = key(ui, p, b, 1);
			msleep(c ? atol(c) : 100);
			if (r == 0)
				r = key(ui, p, b, 0);
		} else if (strcmp(a, "unplug") == 0 && ui) {
			libevdev_uinput_destroy(ui);
			ui = NULL;
			printf("%.3f unplugged\n", now());
			fflush(stdout);
		} else if (strcmp(a, "plug") == 0 && !ui) {
			ui = plug(p);
			if (!ui)
				return 1;
		} else {
			fprintf(stderr, "uinput-pedal: bad action %s\n", argv[i]);
			r = -EINVAL;
		}
		if (r < 0) {
			if (ui)
				libevdev_uinput_destroy(ui);
			return 2;
		}
	}
	if (ui)
		libevdev_uinput_destroy(ui);
	printf("%.3f done\n", now());
	return 0;
}
