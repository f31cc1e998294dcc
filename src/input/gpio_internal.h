/* gpio_internal.h - helpers shared by the gpio adapters; no libgpiod. */
#ifndef REPCUE_INPUT_GPIO_INTERNAL_H
#define REPCUE_INPUT_GPIO_INTERNAL_H

#include <stddef.h>

#include "input/gpio.h"

/* "GPIO17" or "gpiochip0 line 17" into buf. */
void gpio_describe(const struct gpio_line_spec *spec, char *buf, size_t len);

/* Writes the user-facing message for error -err on spec into buf and
 * returns err, so adapters can `return gpio_fail(...)`.  what says which
 * step failed ("open chip", "request line", ...). */
int gpio_fail(const struct gpio_line_spec *spec, int err, const char *what,
	      char *buf, size_t len);

/* Turns "0", "gpiochip0" or "/dev/gpiochip0" into a device path in buf.
 * Returns 0, or -ENOENT for something else (a label: search by label). */
int gpio_chip_path(const char *chip, char *buf, size_t len);

/* -errno after a failed libgpiod call, or fallback where the library
 * left errno unset. */
int gpio_errno_or(int fallback);

/* Makes the line's event fd non-blocking (poll() says when to read; a
 * read must never block the loop). 0, or a -errno with its message. */
int gpio_set_nonblocking(const struct gpio_line_spec *spec, int fd, char *err, size_t errlen);

/* Checks spec: name or chip + offset >= 0.  -EINVAL with message. */
int gpio_check_spec(const struct gpio_line_spec *spec, char *err, size_t len);

#endif
