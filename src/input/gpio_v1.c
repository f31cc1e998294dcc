/* gpio_v1.c - the gpio adapter for libgpiod 1.x (Debian 12, Raspberry Pi
 * OS bookworm).  The only file using the v1 API.
 *
 * Edge types are logical: with ACTIVE_LOW the kernel reports a press
 * (line pulled to GND) as a rising edge.  The v1 uAPI reads the level
 * after the interrupt, so during bounce two edges of the same type can
 * arrive; the decoder treats the last one as the current level, which is
 * right because that level was read last. */
#include "input/gpio_internal.h"

#include <errno.h>
#include <stdlib.h>

#include <gpiod.h>

struct gpio_input {
	struct gpiod_chip *chip;   /* owned */
	struct gpiod_line *line;   /* belongs to chip */
	int fd;                    /* event fd, belongs to line */
	enum input_role role;
};

const char *gpio_backend_name(void)
{
	return "libgpiod 1.x";
}

int gpio_input_open(const struct gpio_line_spec *spec, struct gpio_input **ret,
		    char *err, size_t errlen)
{
	struct gpio_input *in;
	int r;

	r = gpio_check_spec(spec, err, errlen);
	if (r < 0)
		return r;
	in = calloc(1, sizeof(*in));
	if (!in)
		return gpio_fail(spec, -ENOMEM, "allocate", err, errlen);
	in->role = spec->role;

	errno = 0;
	if (spec->chip) {
		/* path, name, label or number, as gpiodetect shows them */
		in->chip = gpiod_chip_open_lookup(spec->chip);
		if (!in->chip) {
			r = gpio_fail(spec, gpio_errno_or(-ENOENT), "open chip", err,
				      errlen);
			goto free_in;
		}
		errno = 0;
		in->line = spec->name ?
			gpiod_chip_find_line(in->chip, spec->name) :
			gpiod_chip_get_line(in->chip, (unsigned)spec->offset);
		if (!in->line) {
			r = gpio_fail(spec, gpio_errno_or(-ENOENT), "find line", err,
				      errlen);
			goto close_chip;
		}
	} else {
		/* searches every chip; the chip it opens is ours to close */
		in->line = gpiod_line_find(spec->name);
		if (!in->line) {
			r = gpio_fail(spec, gpio_errno_or(-ENOENT), "find line", err,
				      errlen);
			goto free_in;
		}
		in->chip = gpiod_line_get_chip(in->line);
	}

	errno = 0;
	if (gpiod_line_request_both_edges_events_flags(in->line, "repcue",
			GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP |
			GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) < 0) {
		r = gpio_fail(spec, gpio_errno_or(-EIO), "request line", err, errlen);
		goto close_chip;
	}
	in->fd = gpiod_line_event_get_fd(in->line);
	r = gpio_set_nonblocking(spec, in->fd, err, errlen);
	if (r < 0)
		goto release_line;
	*ret = in;
	return 0;

release_line:
	gpiod_line_release(in->line);
close_chip:
	gpiod_chip_close(in->chip);
free_in:
	free(in);
	return r;
}

int gpio_input_fd(const struct gpio_input *in)
{
	return in ? in->fd : -1;
}

int gpio_input_read(struct gpio_input *in, struct input_edge *out, int max)
{
	struct gpiod_line_event ev[16];
	int n, r;

	if (!in || max <= 0)
		return -EINVAL;
	n = max < 16 ? max : 16;
	errno = 0;
	r = gpiod_line_event_read_fd_multiple(in->fd, ev, (unsigned)n);
	if (r < 0)
		return errno == EAGAIN ? 0 : gpio_errno_or(-EIO);
	for (int i = 0; i < r; i++) {
		out[i] = (struct input_edge){
			.kind = ev[i].event_type == GPIOD_LINE_EVENT_RISING_EDGE ?
				INPUT_EDGE_PRESS : INPUT_EDGE_RELEASE,
			.role = in->role,
			.at_usec = (input_usec_t)ev[i].ts.tv_sec * 1000000 +
				   ev[i].ts.tv_nsec / 1000,
		};
	}
	return r;
}

void gpio_input_close(struct gpio_input *in)
{
	if (!in)
		return;
	gpiod_line_release(in->line);
	gpiod_chip_close(in->chip);
	free(in);
}
