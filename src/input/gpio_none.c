/* gpio_none.c - the gpio "adapter" when libgpiod was not found: every open
 * fails with -ENOTSUP and says so, the rest of the program works. */
#include "input/gpio_internal.h"

#include <errno.h>

struct gpio_input {
	int unused;
};

const char *gpio_backend_name(void)
{
	return "none";
}

int gpio_input_open(const struct gpio_line_spec *spec, struct gpio_input **ret,
		    char *err, size_t errlen)
{
	int r = gpio_check_spec(spec, err, errlen);

	(void)ret;
	if (r < 0)
		return r;
	return gpio_fail(spec, -ENOTSUP, "open", err, errlen);
}

int gpio_input_fd(const struct gpio_input *in)
{
	(void)in;
	return -1;
}

int gpio_input_read(struct gpio_input *in, struct input_edge *out, int max)
{
	(void)in;
	(void)out;
	(void)max;
	return -ENOTSUP;
}

void gpio_input_close(struct gpio_input *in)
{
	(void)in;
}
