/* evdev.h - USB foot pedals and other keyboard-like devices (also GPIO
 * buttons turned into keys by the gpio-key overlay) through the kernel's
 * evdev interface.
 *
 * Key events become PRESS/RELEASE edges of the role their key is bound
 * to; autorepeat (value 2) is ignored.  Times are the kernel's event
 * times, switched to CLOCK_MONOTONIC.  The device is grabbed so pedal
 * keys do not also type into a console.  Hot-plug: when the device goes
 * away one DISCONNECTED edge is reported and it is looked for again at
 * most once per EVDEV_RESCAN_USEC (driven by the deadline, no busy loop);
 * CONNECTED is reported when it is back. */
#ifndef REPCUE_INPUT_EVDEV_H
#define REPCUE_INPUT_EVDEV_H

#include <stdbool.h>
#include <stddef.h>

#include "input/edge.h"
#include "input/input.h"

#define EVDEV_RESCAN_USEC 1000000

struct evdev_key_binding {
	unsigned code;           /* KEY_* from <linux/input-event-codes.h> */
	enum input_role role;
};

struct evdev_input_config {
	/* A path ("/dev/input/by-id/usb-PCsensor_FootSwitch-event-kbd",
	 * which survives re-plugging) or the device name as evtest or
	 * `libinput list-devices` shows it ("PCsensor FootSwitch"). */
	const char *device;
	const struct evdev_key_binding *keys;  /* copied at open */
	size_t n_keys;
	bool no_grab;       /* let keys reach other readers too */
	bool allow_absent;  /* open succeeds while unplugged and waits */
};

struct evdev_input;

/* "KEY_PAGEDOWN", "PAGEDOWN" or "pagedown" -> KEY_PAGEDOWN.  -EINVAL for
 * an unknown name, -ENOTSUP when built without libevdev. */
int evdev_key_code(const char *name);

/* Opens cfg->device.  0 and *ret (free with evdev_input_close), or
 * -errno with a message in err: -ENOENT (not plugged in / no such name,
 * unless allow_absent), -EACCES (add the user to group input), -EBUSY
 * (grabbed by another program), -ENOTSUP (built without libevdev),
 * -EINVAL (no keys, or the device has no keys). */
int evdev_input_open(const struct evdev_input_config *cfg, input_usec_t now_usec,
		     struct evdev_input **ret, char *err, size_t errlen);

/* The fd to poll, -1 while disconnected. */
int evdev_input_fd(const struct evdev_input *in);

/* When evdev_input_read wants to be called without fd activity: the
 * next rescan while disconnected, now if events are still queued,
 * INPUT_NO_DEADLINE otherwise. */
input_usec_t evdev_input_deadline(const struct evdev_input *in);

/* Reads queued key events (non-blocking), or rescans when disconnected
 * and the rescan time has come.  Count of edges or -errno. */
int evdev_input_read(struct evdev_input *in, input_usec_t now_usec,
		     struct input_edge *out, int max);

bool evdev_input_connected(const struct evdev_input *in);

/* Ungrabs and closes.  Accepts NULL. */
void evdev_input_close(struct evdev_input *in);

/* ctx = struct evdev_input *, closed by the hub. */
extern const struct input_ops evdev_input_ops;

/* --- where key events come from (libevdev, or a test's pipe) --- */

struct evdev_key_event {
	unsigned code;
	int value;                /* 0 release, 1 press, 2 autorepeat */
	input_usec_t at_usec;     /* kernel event time, CLOCK_MONOTONIC */
};

struct evdev_source_ops {
	/* Opens the device: 0, or -errno and a message in err. */
	int (*open)(void *sctx, const char *device, bool grab, char *err,
		    size_t errlen);
	int (*fd)(void *sctx);
	/* Next key event, non-blocking: 1 = *ev filled, 0 = none queued,
	 * -ENODEV = the device is gone, other -errno. */
	int (*next)(void *sctx, struct evdev_key_event *ev);
	/* Closes the device; sctx stays usable for another open. */
	void (*close)(void *sctx);
	/* Frees sctx (closing the device if open). */
	void (*destroy)(void *sctx);
};

/* Like evdev_input_open with another event source; takes ownership of
 * sctx (destroyed with ops->destroy, also on failure). */
int evdev_input_open_source(const struct evdev_input_config *cfg,
			    const struct evdev_source_ops *ops, void *sctx,
			    input_usec_t now_usec, struct evdev_input **ret,
			    char *err, size_t errlen);

/* The libevdev source: 0 and the ops and their context, -ENOMEM,
 * -ENOTSUP. */
int evdev_libevdev_source(const struct evdev_source_ops **ops, void **sctx);

#endif
