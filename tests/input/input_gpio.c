/* GPIO adapter against the real kernel interface.
 *
 * Part 1 (always): error paths on this machine's real /dev - a missing
 * chip, line or name must come back as -ENOENT with a message naming the
 * line and the fix, and other errors get their own advice.
 * Part 2 (needs gpio-sim, root, configfs): a simulated chip; pulling a
 * line low must read as a PRESS with a kernel timestamp, a second request
 * of the same line must be -EBUSY.  Skipped (77) without gpio-sim. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/gpiosim.h"
#include "../lib/harness.h"
#include "input/gpio_internal.h"

static void expect_msg(const char *msg, const char *const *words)
{
	for (const char *const *w = words; *w; w++) {
		if (!strstr(msg, *w)) {
			fprintf(stderr, "message lacks \"%s\": %s\n", *w, msg);
			check_failures++;
		}
	}
}

static void test_errors(void)
{
	struct gpio_input *in = NULL;
	char err[512];
	struct gpio_line_spec chip99 = { .chip = "gpiochip99", .offset = 17,
					 .role = INPUT_ROLE_START };
	struct gpio_line_spec path99 = { .chip = "/dev/gpiochip99", .offset = 3,
					 .role = INPUT_ROLE_NEXT };
	struct gpio_line_spec name = { .name = "REPCUE_NO_SUCH_LINE",
				       .role = INPUT_ROLE_PEDAL };
	struct gpio_line_spec label = { .chip = "no-such-label", .offset = 0,
					.role = INPUT_ROLE_REPEAT };
	struct gpio_line_spec bad = { .offset = -1 };
	int r;

	printf("gpio adapter: %s\n", gpio_backend_name());
	r = gpio_input_open(&chip99, &in, err, sizeof(err));
	if (r == -ENOTSUP) {
		expect_msg(err, (const char *const[]){ "not built in",
			   "libgpiod-dev", NULL });
		printf("  %s\n", err);
		return;
	}
	CHECK_EQ_INT(r, -ENOENT);
	expect_msg(err, (const char *const[]){ "gpiochip99 line 17", "start",
		   "gpioinfo", NULL });
	printf("  %s\n", err);

	CHECK_EQ_INT(gpio_input_open(&path99, &in, err, sizeof(err)), -ENOENT);
	expect_msg(err, (const char *const[]){ "/dev/gpiochip99 line 3", "next",
		   "gpioinfo", NULL });

	CHECK_EQ_INT(gpio_input_open(&name, &in, err, sizeof(err)), -ENOENT);
	expect_msg(err, (const char *const[]){ "REPCUE_NO_SUCH_LINE", "pedal",
		   "gpioinfo", NULL });
	printf("  %s\n", err);

	CHECK_EQ_INT(gpio_input_open(&label, &in, err, sizeof(err)), -ENOENT);
	expect_msg(err, (const char *const[]){ "no-such-label", NULL });

	CHECK_EQ_INT(gpio_input_open(&bad, &in, err, sizeof(err)), -EINVAL);
	CHECK_EQ_INT(gpio_input_open(NULL, &in, NULL, 0), -EINVAL);
	gpio_input_close(NULL);
	CHECK_EQ_INT(gpio_input_fd(NULL), -1);

	/* the advice for errors this machine cannot produce for real */
	gpio_fail(&chip99, -EACCES, "request line", err, sizeof(err));
	expect_msg(err, (const char *const[]){ "group gpio", "99-repcue.rules",
		   NULL });
	printf("  %s\n", err);
	gpio_fail(&chip99, -EBUSY, "request line", err, sizeof(err));
	expect_msg(err, (const char *const[]){ "another program", "gpioinfo",
		   "gpio-key", NULL });
	printf("  %s\n", err);
	CHECK_EQ_INT(gpio_fail(&chip99, -EIO, "x", NULL, 0), -EIO);

	{
		char path[64];

		CHECK_EQ_INT(gpio_chip_path("4", path, sizeof(path)), 0);
		CHECK(strcmp(path, "/dev/gpiochip4") == 0);
		CHECK_EQ_INT(gpio_chip_path("gpiochip4", path, sizeof(path)), 0);
		CHECK(strcmp(path, "/dev/gpiochip4") == 0);
		CHECK_EQ_INT(gpio_chip_path("pinctrl-rp1", path, sizeof(path)),
			 -ENOENT);
		CHECK_EQ_INT(gpio_chip_path("4a", path, sizeof(path)), -ENOENT);
	}
}

/* --- gpio-sim (tests/lib/gpiosim.h) --- */

static input_usec_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (input_usec_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int test_sim(void)
{
	static const struct gpiosim_line lines[] = { { 0, "REPCUE_BTN" } };
	struct gpiosim sim;
	struct gpio_input *in = NULL, *again = NULL;
	struct gpio_line_spec spec = { .name = "REPCUE_BTN",
				       .role = INPUT_ROLE_NEXT };
	struct input_edge e[8];
	struct pollfd pfd;
	char err[512];
	input_usec_t before;
	int n;

	if (!gpiosim_available())
		return 77;
	n = gpiosim_create(&sim, "repcue-test", 4, lines, 1);
	if (n < 0) {
		fprintf(stderr, "gpio-sim setup failed: %s\n", strerror(-n));
		check_failures++;
		return 1;
	}

	CHECK_EQ_INT(gpio_input_open(&spec, &in, err, sizeof(err)), 0);
	if (!in) {
		fprintf(stderr, "%s\n", err);
		gpiosim_remove(&sim);
		return 1;
	}
	CHECK_EQ_INT(gpio_input_open(&spec, &again, err, sizeof(err)), -EBUSY);
	printf("  %s\n", err);
	CHECK_EQ_INT(gpio_input_read(in, e, 8), 0);   /* nothing yet, no block */

	before = now_usec();
	CHECK_EQ_INT(gpiosim_pull(&sim, 0, false), 0);  /* contact to GND */
	pfd = (struct pollfd){ .fd = gpio_input_fd(in), .events = POLLIN };
	CHECK_EQ_INT(poll(&pfd, 1, 2000), 1);
	n = gpio_input_read(in, e, 8);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(e[0].kind, INPUT_EDGE_PRESS);
	CHECK_EQ_INT(e[0].role, INPUT_ROLE_NEXT);
	CHECK(e[0].at_usec >= before && e[0].at_usec <= now_usec());
	CHECK_EQ_INT(gpiosim_pull(&sim, 0, true), 0);
	CHECK_EQ_INT(poll(&pfd, 1, 2000), 1);
	n = gpio_input_read(in, e, 8);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(e[0].kind, INPUT_EDGE_RELEASE);
	gpio_input_close(in);
	gpiosim_remove(&sim);
	return 0;
}

/* "input_gpio" runs the error paths, "input_gpio sim" the gpio-sim
 * part, so ctest shows a skip of one without hiding the other. */
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "sim") == 0) {
		printf("gpio adapter: %s\n", gpio_backend_name());
		if (test_sim() == 77)
			SKIP("needs gpio-sim (root, configfs mounted, "
			     "`modprobe gpio-sim`); this machine has no GPIO "
			     "chip and no gpio-sim");
		return check_done("input_gpio sim");
	}
	RUN_CASE(test_errors, ());
	return check_done("input_gpio");
}
