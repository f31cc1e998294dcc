/* evdev_libevdev.c - the evdev event source on real devices, through
 * libevdev.  The only file including libevdev. */
#include "input/evdev.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <libevdev/libevdev.h>
#include <linux/major.h>

struct source {
	struct libevdev *dev;   /* owned, NULL while closed */
	int fd;                 /* owned, -1 while closed */
	bool syncing;           /* draining the delta after SYN_DROPPED */
};

int evdev_key_code(const char *name)
{
	char buf[64] = "KEY_";
	size_t off = 0;
	int code;

	if (!name)
		return -EINVAL;
	if (strncasecmp(name, "KEY_", 4) == 0 || strncasecmp(name, "BTN_", 4) == 0)
		off = 0;
	else
		off = 4;  /* "pagedown" -> "KEY_PAGEDOWN" */
	if (strlen(name) + off >= sizeof(buf))
		return -EINVAL;
	for (size_t i = 0; name[i]; i++)
		buf[off + i] = (char)toupper((unsigned char)name[i]);
	buf[off + strlen(name)] = '\0';
	code = libevdev_event_code_from_name(EV_KEY, buf);
	return code < 0 ? -EINVAL : code;
}

static void src_close(void *sctx)
{
	struct source *s = sctx;

	if (s->dev) {
		/* the kernel drops the grab on close; ungrab anyway so a
		 * shared fd would not keep it */
		libevdev_grab(s->dev, LIBEVDEV_UNGRAB);
		libevdev_free(s->dev);
		s->dev = NULL;
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->syncing = false;
}

/* Opens path into s; -errno. */
static int open_path(struct source *s, const char *path)
{
	int r;

	s->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0)
		return -errno;
	/* An input device is a character device of the input major: told by
	 * its type, not by how an ioctl on something else fails (a regular
	 * file, /dev/null or a folder give ENOTTY, EINVAL or EISDIR on a
	 * kernel, and whatever qemu-user makes of an ioctl it does not know) */
	struct stat st;
	if (fstat(s->fd, &st) == 0 && (!S_ISCHR(st.st_mode) || major(st.st_rdev) != INPUT_MAJOR)) {
		close(s->fd);
		s->fd = -1;
		return -ENOTTY;
	}
	r = libevdev_new_from_fd(s->fd, &s->dev);
	if (r < 0) {
		close(s->fd);
		s->fd = -1;
		s->dev = NULL;
		return r;
	}
	return 0;
}

static int is_event_node(const struct dirent *d)
{
	return strncmp(d->d_name, "event", 5) == 0;
}

/* Finds a device by name under /dev/input; -ENOENT, or -EACCES if some
 * node could not be opened (the likely reason it was not found). */
static int open_by_name(struct source *s, const char *name)
{
	struct dirent **list;
	int n, e, r = -ENOENT;
	bool denied = false;

	n = scandir("/dev/input", &list, is_event_node, versionsort);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		char path[300];

		if (r == 0)
			goto next;
		snprintf(path, sizeof(path), "/dev/input/%s", list[i]->d_name);
		e = open_path(s, path);
		if (e < 0) {
			denied = denied || e == -EACCES || e == -EPERM;
			goto next;
		}
		if (strcmp(libevdev_get_name(s->dev), name) == 0)
			r = 0;
		else
			src_close(s);
next:
		free(list[i]);
	}
	free(list);
	return r == -ENOENT && denied ? -EACCES : r;
}

static int src_open(void *sctx, const char *device, bool grab, char *err,
		    size_t errlen)
{
	struct source *s = sctx;
	int r;

	src_close(s);
	r = device[0] == '/' ? open_path(s, device) : open_by_name(s, device);
	if (r < 0) {
		const char *hint = r == -ENOENT ?
			"not plugged in, or no such device; list names with "
			"`libinput list-devices` and paths with "
			"`ls /dev/input/by-id`" :
			r == -EACCES || r == -EPERM ?
			"permission denied: add the user to group input "
			"(`sudo usermod -aG input $USER`) or install "
			"hw/99-repcue.rules" : strerror(-r);

		snprintf(err, errlen, "evdev \"%s\": %s", device, hint);
		return r;
	}
	if (!libevdev_has_event_type(s->dev, EV_KEY)) {
		snprintf(err, errlen, "evdev \"%s\" (%s) has no keys", device,
			 libevdev_get_name(s->dev));
		src_close(s);
		return -EINVAL;
	}
	/* kernel times on the clock the GPIO edges and the decoder use */
	r = libevdev_set_clock_id(s->dev, CLOCK_MONOTONIC);
	if (r < 0) {
		snprintf(err, errlen, "evdev \"%s\": cannot select the "
			 "monotonic clock: %s", device, strerror(-r));
		src_close(s);
		return r;
	}
	if (grab) {
		r = libevdev_grab(s->dev, LIBEVDEV_GRAB);
		if (r < 0) {
			snprintf(err, errlen, "evdev \"%s\": another program has "
				 "grabbed it (%s); stop it, or set no_grab",
				 device, strerror(-r));
			src_close(s);
			return r == -EBUSY ? -EBUSY : r;
		}
	}
	return 0;
}

static int src_fd(void *sctx)
{
	return ((struct source *)sctx)->fd;
}

static int src_next(void *sctx, struct evdev_key_event *out)
{
	struct source *s = sctx;
	struct input_event ev;

	if (!s->dev)
		return -ENODEV;
	for (;;) {
		int r = libevdev_next_event(s->dev, s->syncing ?
					    LIBEVDEV_READ_FLAG_SYNC :
					    LIBEVDEV_READ_FLAG_NORMAL, &ev);

		if (r == -EAGAIN) {
			if (!s->syncing)
				return 0;
			s->syncing = false;  /* delta done, back to normal */
			continue;
		}
		if (r < 0)
			return r;  /* -ENODEV when unplugged */
		if (r == LIBEVDEV_READ_STATUS_SYNC && !s->syncing) {
			/* SYN_DROPPED: the delta that follows carries the
			 * key changes we missed */
			s->syncing = true;
			continue;
		}
		if (ev.type != EV_KEY)
			continue;
		*out = (struct evdev_key_event){
			.code = ev.code,
			.value = ev.value,
			/* input_event_sec: 64-bit time on 32-bit Pi OS */
			.at_usec = (input_usec_t)ev.input_event_sec * 1000000 +
				   ev.input_event_usec,
		};
		return 1;
	}
}

static void src_destroy(void *sctx)
{
	if (!sctx)
		return;
	src_close(sctx);
	free(sctx);
}

static const struct evdev_source_ops libevdev_ops = {
	.open = src_open,
	.fd = src_fd,
	.next = src_next,
	.close = src_close,
	.destroy = src_destroy,
};

int evdev_libevdev_source(const struct evdev_source_ops **ops, void **sctx)
{
	struct source *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->fd = -1;
	*ops = &libevdev_ops;
	*sctx = s;
	return 0;
}
