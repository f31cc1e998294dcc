/* gpio.h - push buttons and foot switches on GPIO lines, through libgpiod.
 *
 * Every line is requested as: input, pull-up bias, active-low (contact to
 * GND reads as "pressed"), both edges, consumer "repcue", kernel
 * timestamps on CLOCK_MONOTONIC.  Each line is opened on its own, so a
 * busy or missing line does not stop the others.  No kernel debounce: the
 * gesture decoder acts on the first edge and debounces after it.
 *
 * The adapter is chosen when CMake runs: gpio_v1.c for libgpiod < 2,
 * gpio_v2.c for libgpiod >= 2, gpio_none.c (every open fails with
 * -ENOTSUP) without libgpiod.  Only those files include <gpiod.h>. */
#ifndef REPCUE_INPUT_GPIO_H
#define REPCUE_INPUT_GPIO_H

#include <stddef.h>

#include "input/edge.h"
#include "input/input.h"

/* Which line.  Either name (chip NULL: searched on every chip, first
 * match; chip set: on that chip) or chip + offset. */
struct gpio_line_spec {
	const char *chip;     /* "gpiochip0", "/dev/gpiochip0", "0", or a chip
	                       * label such as "pinctrl-rp1"; NULL with name */
	int offset;           /* line offset on chip; ignored with name */
	const char *name;     /* line name, e.g. "GPIO17"; NULL for offset */
	enum input_role role; /* role of the edges this line reports */
};

struct gpio_input;

/* "libgpiod 1.x", "libgpiod 2.x" or "none": which adapter is built in. */
const char *gpio_backend_name(void);

/* Requests one line.  0 and *ret (free with gpio_input_close), or -errno
 * with a message in err (errlen bytes) naming the line and the fix:
 *   -ENOENT  no such chip or line (list them with `gpioinfo`)
 *   -EACCES/-EPERM  not allowed (add the user to group gpio)
 *   -EBUSY   another program or an overlay holds the line (`gpioinfo`)
 *   -ENOTSUP built without libgpiod */
int gpio_input_open(const struct gpio_line_spec *spec, struct gpio_input **ret,
		    char *err, size_t errlen);

/* The fd to poll for POLLIN (non-blocking). */
int gpio_input_fd(const struct gpio_input *in);

/* Reads the queued edges (non-blocking) into out[0..max): PRESS/RELEASE
 * with the kernel timestamp.  Count, 0 if none, or -errno. */
int gpio_input_read(struct gpio_input *in, struct input_edge *out, int max);

/* Releases the line.  Accepts NULL. */
void gpio_input_close(struct gpio_input *in);

/* ctx = struct gpio_input *, closed by the hub. */
extern const struct input_ops gpio_input_ops;

#endif
