/* gpio_common.c - what every gpio adapter shares: messages, chip paths and
 * the ops table. */
#include "input/gpio_internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

void gpio_describe(const struct gpio_line_spec *spec, char *buf, size_t len)
{
	if (spec->name && spec->chip)
		snprintf(buf, len, "%s on %s", spec->name, spec->chip);
	else if (spec->name)
		snprintf(buf, len, "%s", spec->name);
	else
		snprintf(buf, len, "%s line %d", spec->chip ? spec->chip : "?",
			 spec->offset);
}

/* What each error means for a GPIO line and what to do about it. */
static const struct {
	int err, err_too;   /* err_too: another error that means the same; 0 none */
	const char *step;   /* instead of the failed step; NULL: that step */
	const char *text;
} gpio_advice[] = {
	{ -ENOENT, -ENODEV, NULL, "no such GPIO chip or line. List chips and line names with `gpioinfo` "
		"(package gpiod); on a Raspberry Pi the header pins are named GPIO2..GPIO27" },
	{ -EACCES, -EPERM, NULL, "permission denied. Add the user to group gpio (`sudo usermod -aG gpio "
		"$USER`, then log in again) or install hw/99-repcue.rules" },
	{ -EBUSY, 0, NULL, "the line is held by another program or an overlay; `gpioinfo` shows who "
		"uses it (consumer column). Stop that program or remove its dtoverlay (e.g. "
		"gpio-key) from /boot/firmware/config.txt" },
	{ -EINVAL, 0, NULL, "invalid request (offset beyond the chip's lines, or a kernel without bias "
		"support); check with `gpioinfo`" },
	{ -ENOTSUP, 0, "gpio", "not built in (libgpiod was not found when repcue was configured; "
		"install libgpiod-dev and re-run cmake), or use a gpio-key overlay and evdev" },
};

int gpio_fail(const struct gpio_line_spec *spec, int err, const char *what,
	      char *buf, size_t len)
{
	const char *step = what, *text = strerror(-err);
	char line[96];

	if (!buf || len == 0)
		return err;
	gpio_describe(spec, line, sizeof(line));
	for (size_t i = 0; i < sizeof(gpio_advice) / sizeof(gpio_advice[0]); i++)
		if (gpio_advice[i].err == err || (gpio_advice[i].err_too && gpio_advice[i].err_too == err)) {
			step = gpio_advice[i].step ? gpio_advice[i].step : what;
			text = gpio_advice[i].text;
		}
	snprintf(buf, len, "gpio %s (%s): %s: %s", line, input_role_name(spec->role), step, text);
	return err;
}

int gpio_chip_path(const char *chip, char *buf, size_t len)
{
	const char *p = chip;
	int n;

	if (chip[0] == '/') {
		n = snprintf(buf, len, "%s", chip);
	} else if (isdigit((unsigned char)chip[0])) {
		while (isdigit((unsigned char)*p))
			p++;
		if (*p)
			return -ENOENT;
		n = snprintf(buf, len, "/dev/gpiochip%s", chip);
	} else if (strncmp(chip, "gpiochip", 8) == 0) {
		n = snprintf(buf, len, "/dev/%s", chip);
	} else {
		return -ENOENT;
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int gpio_check_spec(const struct gpio_line_spec *spec, char *err, size_t len)
{
	if (!spec || (unsigned)spec->role >= INPUT_ROLE_COUNT ||
	    (!spec->name && (!spec->chip || spec->offset < 0))) {
		if (err && len)
			snprintf(err, len, "gpio: a line needs a name (e.g. "
				 "GPIO17) or a chip and an offset >= 0, and a role");
		return -EINVAL;
	}
	return 0;
}

static int ops_fd(void *ctx)
{
	return gpio_input_fd(ctx);
}

static int ops_read(void *ctx, input_usec_t now_usec, struct input_edge *out,
		    int max)
{
	(void)now_usec;  /* edges carry the kernel's time */
	return gpio_input_read(ctx, out, max);
}

static void ops_close(void *ctx)
{
	gpio_input_close(ctx);
}

const struct input_ops gpio_input_ops = {
	.name = "gpio",
	.fd = ops_fd,
	.read = ops_read,
	.close = ops_close,
};

int gpio_errno_or(int fallback)
{
	return errno > 0 ? -errno : fallback;
}

int gpio_set_nonblocking(const struct gpio_line_spec *spec, int fd, char *err, size_t errlen)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return gpio_fail(spec, gpio_errno_or(-EIO), "set non-blocking", err, errlen);
	return 0;
}
