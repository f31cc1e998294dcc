/* gpio_v2.c - the gpio adapter for libgpiod 2.x (Debian trixie and
 * later).  The only file using the v2 API.
 *
 * Edge types are logical: with active-low a press (line pulled to GND) is
 * a rising edge.  The request outlives the chip handle, so the chip is
 * closed as soon as the line is requested. */
#include "input/gpio_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gpiod.h>

#define EVENT_BUFFER 16

struct gpio_input {
	struct gpiod_line_request *request;      /* owned */
	struct gpiod_edge_event_buffer *buffer;  /* owned */
	int fd;                                  /* belongs to request */
	enum input_role role;
};

const char *gpio_backend_name(void)
{
	return "libgpiod 2.x";
}

static int is_chip_entry(const struct dirent *d)
{
	return strncmp(d->d_name, "gpiochip", 8) == 0;
}

/* Opens the first chip under /dev whose label is label (want_label) or
 * that has a line called name; *offset gets that line.  NULL + errno. */
static struct gpiod_chip *scan_chips(const char *label, const char *name,
				     unsigned *offset)
{
	struct dirent **list;
	struct gpiod_chip *found = NULL;
	int n, seen_err = ENOENT;

	n = scandir("/dev", &list, is_chip_entry, versionsort);
	if (n < 0)
		return NULL;
	for (int i = 0; i < n; i++) {
		char path[300];
		struct gpiod_chip *chip;

		snprintf(path, sizeof(path), "/dev/%s", list[i]->d_name);
		if (found || !gpiod_is_gpiochip_device(path))
			goto next;
		chip = gpiod_chip_open(path);
		if (!chip) {
			/* remember EACCES: more useful than ENOENT */
			if (errno == EACCES || errno == EPERM)
				seen_err = errno;
			goto next;
		}
		if (label) {
			struct gpiod_chip_info *info = gpiod_chip_get_info(chip);

			if (info && strcmp(gpiod_chip_info_get_label(info),
					   label) == 0)
				found = chip;
			gpiod_chip_info_free(info);
		}
		if (!found && name) {
			int off = gpiod_chip_get_line_offset_from_name(chip, name);

			if (off >= 0) {
				*offset = (unsigned)off;
				found = chip;
			}
		}
		if (!found)
			gpiod_chip_close(chip);
next:
		free(list[i]);
	}
	free(list);
	if (!found)
		errno = seen_err;
	return found;
}

static struct gpiod_chip *open_chip(const char *chip)
{
	char path[256];

	if (gpio_chip_path(chip, path, sizeof(path)) == 0)
		return gpiod_chip_open(path);
	return scan_chips(chip, NULL, NULL);
}

/* input, pull-up, active-low, both edges, monotonic timestamps.
 * NULL + errno on failure. */
static struct gpiod_line_request *request_line(struct gpiod_chip *chip,
					       unsigned offset)
{
	struct gpiod_line_settings *settings = gpiod_line_settings_new();
	struct gpiod_line_config *line_cfg = gpiod_line_config_new();
	struct gpiod_request_config *req_cfg = gpiod_request_config_new();
	struct gpiod_line_request *req = NULL;
	int saved;

	errno = ENOMEM;
	if (!settings || !line_cfg || !req_cfg)
		goto out;
	if (gpiod_line_settings_set_direction(settings,
			GPIOD_LINE_DIRECTION_INPUT) < 0 ||
	    gpiod_line_settings_set_edge_detection(settings,
			GPIOD_LINE_EDGE_BOTH) < 0 ||
	    gpiod_line_settings_set_bias(settings, GPIOD_LINE_BIAS_PULL_UP) < 0 ||
	    gpiod_line_settings_set_event_clock(settings,
			GPIOD_LINE_CLOCK_MONOTONIC) < 0)
		goto out;
	gpiod_line_settings_set_active_low(settings, true);
	if (gpiod_line_config_add_line_settings(line_cfg, &offset, 1,
						settings) < 0)
		goto out;
	gpiod_request_config_set_consumer(req_cfg, "repcue");
	gpiod_request_config_set_event_buffer_size(req_cfg, EVENT_BUFFER * 4);
	req = gpiod_chip_request_lines(chip, req_cfg, line_cfg);
out:
	saved = errno;
	if (req_cfg)
		gpiod_request_config_free(req_cfg);
	if (line_cfg)
		gpiod_line_config_free(line_cfg);
	if (settings)
		gpiod_line_settings_free(settings);
	errno = saved;
	return req;
}

int gpio_input_open(const struct gpio_line_spec *spec, struct gpio_input **ret,
		    char *err, size_t errlen)
{
	struct gpio_input *in;
	struct gpiod_chip *chip;
	unsigned offset = 0;
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
		int off;

		chip = open_chip(spec->chip);
		if (!chip) {
			r = gpio_fail(spec, gpio_errno_or(-ENOENT), "open chip", err,
				      errlen);
			goto free_in;
		}
		if (spec->name) {
			errno = 0;
			off = gpiod_chip_get_line_offset_from_name(chip,
								   spec->name);
			if (off < 0) {
				r = gpio_fail(spec, gpio_errno_or(-ENOENT),
					      "find line", err, errlen);
				goto close_chip;
			}
			offset = (unsigned)off;
		} else {
			offset = (unsigned)spec->offset;
		}
	} else {
		chip = scan_chips(NULL, spec->name, &offset);
		if (!chip) {
			r = gpio_fail(spec, gpio_errno_or(-ENOENT), "find line", err,
				      errlen);
			goto free_in;
		}
	}

	errno = 0;
	in->request = request_line(chip, offset);
	if (!in->request) {
		r = gpio_fail(spec, gpio_errno_or(-EIO), "request line", err, errlen);
		goto close_chip;
	}
	in->buffer = gpiod_edge_event_buffer_new(EVENT_BUFFER);
	if (!in->buffer) {
		r = gpio_fail(spec, -ENOMEM, "allocate", err, errlen);
		goto release_request;
	}
	in->fd = gpiod_line_request_get_fd(in->request);
	r = gpio_set_nonblocking(spec, in->fd, err, errlen);
	if (r < 0)
		goto free_buffer;
	gpiod_chip_close(chip);
	*ret = in;
	return 0;

free_buffer:
	gpiod_edge_event_buffer_free(in->buffer);
release_request:
	gpiod_line_request_release(in->request);
close_chip:
	gpiod_chip_close(chip);
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
	int r;

	if (!in || max <= 0)
		return -EINVAL;
	errno = 0;
	r = gpiod_line_request_read_edge_events(in->request, in->buffer,
						max < EVENT_BUFFER ?
						(size_t)max : EVENT_BUFFER);
	if (r < 0)
		return errno == EAGAIN ? 0 : gpio_errno_or(-EIO);
	for (int i = 0; i < r; i++) {
		struct gpiod_edge_event *ev =
			gpiod_edge_event_buffer_get_event(in->buffer,
							  (unsigned long)i);

		out[i] = (struct input_edge){
			.kind = gpiod_edge_event_get_event_type(ev) ==
				GPIOD_EDGE_EVENT_RISING_EDGE ?
				INPUT_EDGE_PRESS : INPUT_EDGE_RELEASE,
			.role = in->role,
			.at_usec = (input_usec_t)(
				gpiod_edge_event_get_timestamp_ns(ev) / 1000),
		};
	}
	return r;
}

void gpio_input_close(struct gpio_input *in)
{
	if (!in)
		return;
	gpiod_edge_event_buffer_free(in->buffer);
	gpiod_line_request_release(in->request);
	free(in);
}
