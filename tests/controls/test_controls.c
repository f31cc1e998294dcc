/* test_controls.c - src/input/controls.c against the real input module:
 *  - GPIO lines on a chip that does not exist (libgpiod, real kernel
 *    interface) and a pedal key name libevdev does not know: one line
 *    each in the log, naming the input and the fix; a pedal that is not
 *    plugged in is waited for; the rest of the hub keeps working (a
 *    script backend added afterwards delivers its gestures, with the
 *    config's timing and mapping override applied);
 *  - what does not work as data (controls_problems), what still starts
 *    a session, and controls_retry;
 *  - terminal keys through a real pseudo-terminal on stdin, and the
 *    terminal mode restored by controls_close. */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "input/controls.h"
#include "input/evdev.h"
#include "input/gpio.h"

static int count_lines(const char *text)
{
	int n = 0;

	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* Polls (never spinning) until want actions arrived or limit_ms passed. */
static int collect(struct controls *c, struct input_action *acts, int want, int limit_ms)
{
	input_usec_t end = input_clock_usec() + (input_usec_t)limit_ms * 1000;
	int got = 0;

	while (got < want && input_clock_usec() < end) {
		struct pollfd fds[CONTROLS_MAX_FDS];
		int n = controls_pollfds(c, fds, CONTROLS_MAX_FDS);
		int timeout = controls_timeout_ms(c);
		int left = (int)((end - input_clock_usec()) / 1000) + 1;

		if (timeout < 0 || timeout > left)
			timeout = left;
		if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
			break;
		controls_dispatch(c, fds, n);
		while (got < want && controls_next(c, INPUT_SESSION_ACTIVE, &acts[got]))
			got++;
	}
	return got;
}

static void test_missing_hardware(void)
{
	struct device_config cfg;
	struct controls *c = NULL;
	struct input_action acts[4];
	struct input_script *script;
	char *log_text = NULL, *desc = NULL, name[96];
	size_t log_len = 0, desc_len = 0;
	FILE *log = open_memstream(&log_text, &log_len), *df;
	bool have_evdev = evdev_key_code("KEY_B") >= 0;
	bool have_gpio = strcmp(gpio_backend_name(), "none") != 0;
	input_usec_t t0;
	int r, got;

	device_config_init(&cfg);
	snprintf(cfg.file, sizeof(cfg.file), "test.yaml");
	for (int i = 0; i < 3; i++) {
		struct device_input *in = &cfg.inputs[cfg.n_inputs++];

		*in = (struct device_input){ .role = (enum device_role)i, .kind = DEVICE_INPUT_GPIO,
					     .offset = 17 + i, .line = 10 + i };
		snprintf(in->chip, sizeof(in->chip), "gpiochip99");
	}
	for (int i = 0; i < 2; i++) {
		struct device_input *in = &cfg.inputs[cfg.n_inputs++];

		*in = (struct device_input){ .role = DEVICE_ROLE_PEDAL, .kind = DEVICE_INPUT_EVDEV,
					     .offset = -1, .line = 20 + i };
		snprintf(in->device, sizeof(in->device), "/nonexistent/repcue-pedal-event-kbd");
		snprintf(in->key, sizeof(in->key), i == 0 ? "KEY_B" : "KEY_NOPE");
	}
	/* pedal: tap on the first edge (no double tap, no hold), meaning repeat */
	cfg.timing[DEVICE_ROLE_PEDAL] = (struct device_timing){ -1, 0, 0 };
	cfg.mapping[cfg.n_mapping++] = (struct device_mapping){ "pedal.tap", "repeat", 30 };

	r = controls_open(&cfg, false, &c, log);
	fflush(log);
	printf("--- log ---\n%s-----------\n", log_text);
	CHECK(r == 0, "controls_open succeeds with every input missing: %d", r);
	if (r)
		goto out;
	if (have_evdev) {
		CHECK(count_lines(log_text) == 5, "one line per problem: %d", count_lines(log_text));
		CHECK(strstr(log_text, "pedal: evdev /nonexistent/repcue-pedal-event-kbd: unknown key "
			     "name 'KEY_NOPE' (config line 21): run `evtest") != NULL,
		      "unknown key named, with the fix");
		CHECK(strstr(log_text, "pedal: /nonexistent/repcue-pedal-event-kbd is not plugged in; "
			     "waiting for it") != NULL, "absent pedal waited for");
		CHECK(controls_failed(c) == 4 && controls_active(c) == 1,
		      "4 failed, the pedal waits: %d %d", controls_failed(c), controls_active(c));
		r = controls_timeout_ms(c);
		CHECK(r >= 0 && r <= 1000, "a waiting pedal is looked for within a second: %d", r);
	} else {
		printf("note: built without libevdev: pedal lines say so\n");
		CHECK(strstr(log_text, "not built in") != NULL, "evdev missing is reported");
	}
	static const char *const labels[] = { "start button: ", "next button: ",
					      "repeat button: " };
	for (int i = 0; i < 3; i++) {
		char *line = strstr(log_text, labels[i]);
		char *end = line ? strchr(line, '\n') : NULL;

		CHECK(line && (line == log_text || line[-1] == '\n'), "%s line", labels[i]);
		if (!line || !end)
			continue;
		*end = '\0';
		CHECK(strstr(line, "gpiochip99") != NULL, "names the chip: %s", line);
		CHECK(!have_gpio || strstr(line, "gpioinfo") != NULL, "names the fix: %s", line);
		*end = '\n';
	}

	df = open_memstream(&desc, &desc_len);
	controls_describe(c, df);
	fclose(df);
	printf("--- describe ---\n%s----------------\n", desc);
	CHECK(strstr(desc, "start button: not available: gpio gpiochip99 line 17 (start)") != NULL,
	      "describe lists what failed");
	CHECK(!have_evdev || strstr(desc, "pedal: /nonexistent/repcue-pedal-event-kbd: KEY_B -> "
				    "pedal (not plugged in: waiting for it)") != NULL,
	      "describe lists the waiting pedal");

	/* the hub still works: a scripted pedal tap and next tap */
	t0 = input_clock_usec();
	struct input_edge edges[] = {
		{ .kind = INPUT_EDGE_PRESS, .role = INPUT_ROLE_PEDAL, .at_usec = t0 + 10000 },
		{ .kind = INPUT_EDGE_RELEASE, .role = INPUT_ROLE_PEDAL, .at_usec = t0 + 90000 },
		{ .kind = INPUT_EDGE_PRESS, .role = INPUT_ROLE_NEXT, .at_usec = t0 + 200000 },
		{ .kind = INPUT_EDGE_RELEASE, .role = INPUT_ROLE_NEXT, .at_usec = t0 + 260000 },
	};
	CHECK(input_script_new(edges, 4, &script) == 0, "script");
	CHECK(controls_add(c, &input_script_ops, script, "script") >= 0, "script added");
	got = collect(c, acts, 2, 3000);
	CHECK(got == 2, "two gestures: %d", got);
	if (got == 2) {
		CHECK(acts[0].from_gesture && acts[0].role == INPUT_ROLE_PEDAL &&
		      acts[0].gesture == GESTURE_TAP && acts[0].delay_usec == 0 &&
		      acts[0].control == CONTROL_REPEAT,
		      "pedal tap on the first edge (timing), meaning repeat (mapping): %s %lld %s",
		      gesture_kind_name(acts[0].gesture), (long long)acts[0].delay_usec,
		      control_action_name(acts[0].control));
		CHECK(strcmp(controls_input_name(c, &acts[0], name, sizeof(name)),
			     "script pedal") == 0, "named '%s'", name);
		CHECK(acts[1].role == INPUT_ROLE_NEXT && acts[1].gesture == GESTURE_TAP &&
		      acts[1].control == CONTROL_NEXT && acts[1].delay_usec > 0,
		      "next tap after the release settled (next has a hold meaning)");
	}
out:
	controls_close(c);
	fclose(log);
	free(log_text);
	free(desc);
}

static void test_terminal(void)
{
	struct device_config cfg;
	struct controls *c = NULL;
	struct input_action act;
	struct termios mode;
	char name[64];
	int master, slave, saved_stdin, r;

	if (openpty(&master, &slave, NULL, NULL, NULL) < 0) {
		printf("note: no pseudo-terminal (%s): terminal part not run\n", strerror(errno));
		return;
	}
	saved_stdin = dup(STDIN_FILENO);
	dup2(slave, STDIN_FILENO);
	device_config_init(&cfg);
	r = controls_open(&cfg, true, &c, stderr);
	CHECK(r == 0 && controls_has_terminal(c) && controls_active(c) == 1 &&
	      controls_failed(c) == 0, "terminal keys on a tty: %d", r);
	CHECK(tcgetattr(STDIN_FILENO, &mode) == 0 && !(mode.c_lflag & ICANON) &&
	      !(mode.c_lflag & ECHO) && (mode.c_lflag & ISIG), "single keys, Ctrl-C still works");
	CHECK(controls_timeout_ms(c) == -1, "nothing to wait for: no timeout");
	CHECK(write(master, "xn", 2) == 2, "type");
	CHECK(collect(c, &act, 1, 2000) == 1, "a key arrives");
	CHECK(act.control == CONTROL_NEXT && !act.from_gesture &&
	      strcmp(controls_input_name(c, &act, name, sizeof(name)), "keyboard") == 0,
	      "n = next from the keyboard: %s %s", control_action_name(act.control), name);
	controls_close(c);
	CHECK(tcgetattr(STDIN_FILENO, &mode) == 0 && (mode.c_lflag & ICANON) &&
	      (mode.c_lflag & ECHO), "terminal mode restored");

	/* not a tty: no keys, and no complaint */
	dup2(saved_stdin, STDIN_FILENO);
	if (!isatty(STDIN_FILENO)) {
		r = controls_open(&cfg, true, &c, stderr);
		CHECK(r == 0 && !controls_has_terminal(c) && controls_active(c) == 0,
		      "no tty: no terminal input");
		controls_close(c);
	}
	close(saved_stdin);
	close(slave);
	close(master);
}

/* Issue 17 item 8: what does not work is data for the lobby to say (a
 * pin name that cannot exist, a pedal path that is /dev/null or a regular
 * file, a pedal not plugged in), what still starts a session, and a retry
 * that neither duplicates a problem nor logs it again. */
static void test_problems(void)
{
	struct device_config cfg;
	struct controls *c = NULL;
	struct controls_problem pr[8];
	char *log_text = NULL, path[] = "/tmp/repcue-test-pedal-XXXXXX";
	size_t log_len = 0;
	FILE *log = open_memstream(&log_text, &log_len);
	bool have_evdev = evdev_key_code("KEY_B") >= 0;
	bool have_gpio = strcmp(gpio_backend_name(), "none") != 0;
	int fd = mkstemp(path), n, r, lines;

	CHECK(fd >= 0, "a regular file for the pedal path");
	if (fd >= 0)
		close(fd);
	device_config_init(&cfg);
	static const struct { enum device_role role; enum device_input_kind kind; const char *where; } inputs[] = {
		{ DEVICE_ROLE_START, DEVICE_INPUT_GPIO, "GPIO71-REPCUE-NO-SUCH-LINE" },
		{ DEVICE_ROLE_PEDAL, DEVICE_INPUT_EVDEV, "/dev/null" },
		{ DEVICE_ROLE_NEXT, DEVICE_INPUT_EVDEV, NULL },   /* the regular file */
		{ DEVICE_ROLE_PEDAL, DEVICE_INPUT_EVDEV, "/nonexistent/repcue-pedal-event-kbd" },
	};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct device_input *in = &cfg.inputs[cfg.n_inputs++];

		*in = (struct device_input){ .role = inputs[i].role, .kind = inputs[i].kind, .offset = -1,
					     .line = 5 + (int)i };
		if (in->kind == DEVICE_INPUT_GPIO) {
			snprintf(in->line_name, sizeof(in->line_name), "%s", inputs[i].where);
		} else {
			snprintf(in->device, sizeof(in->device), "%s", inputs[i].where ? inputs[i].where : path);
			snprintf(in->key, sizeof(in->key), "KEY_B");
		}
	}
	r = controls_open(&cfg, false, &c, log);
	fflush(log);
	lines = count_lines(log_text);
	printf("--- log ---\n%s-----------\n", log_text);
	CHECK(r == 0, "controls_open: %d", r);
	if (r)
		goto out;
	n = controls_problems(c, pr, 8);
	for (int i = 0; i < n; i++)
		printf("problem: role %d trouble %d input %s\n", pr[i].role, pr[i].trouble, pr[i].input);
	CHECK(n == 4, "four problems: %d", n);
	CHECK(n >= 1 && pr[0].role == INPUT_ROLE_START && strcmp(pr[0].input, "GPIO71-REPCUE-NO-SUCH-LINE") == 0 &&
	      pr[0].trouble == (have_gpio ? CONTROLS_NO_SUCH_PIN : CONTROLS_PIN_REFUSED),
	      "the start button: its pin does not exist");
	if (have_evdev && n == 4) {
		CHECK(pr[1].role == INPUT_ROLE_PEDAL && strcmp(pr[1].input, "/dev/null") == 0 &&
		      pr[1].trouble == CONTROLS_NOT_INPUT_DEVICE, "/dev/null is no input device: %d", pr[1].trouble);
		CHECK(pr[2].role == INPUT_ROLE_PEDAL && strcmp(pr[2].input, path) == 0 &&
		      pr[2].trouble == CONTROLS_NOT_INPUT_DEVICE,
		      "a regular file is no input device, and an evdev device is the pedal whatever its key does");
		CHECK(pr[3].role == INPUT_ROLE_PEDAL && pr[3].trouble == CONTROLS_NOT_PLUGGED_IN &&
		      strcmp(pr[3].input, "/nonexistent/repcue-pedal-event-kbd") == 0, "a pedal not plugged in");
	}
	CHECK(controls_starters(c) == 0, "nothing starts a session: %#x", controls_starters(c));
	CHECK(controls_problems(c, pr, 1) == 1, "at most max copied");

	r = controls_retry(c, log);
	fflush(log);
	CHECK(r == 0, "nothing opens on retry: %d", r);
	CHECK(controls_problems(c, pr, 8) == n, "a retry keeps the problems, once each: %d",
	      controls_problems(c, pr, 8));
	CHECK(count_lines(log_text) == lines, "a retry that fails again is not logged again:\n%s", log_text);

	/* the regular file goes away: the next retry opens the path, and
	 * waits for a device there as for any pedal not plugged in */
	unlink(path);
	r = controls_retry(c, log);
	fflush(log);
	CHECK(r == (have_evdev ? 1 : 0), "one opens on retry: %d", r);
	if (have_evdev) {
		CHECK(controls_problems(c, pr, 8) == n, "still four problems");
		CHECK(strcmp(pr[n - 1].input, path) == 0 && pr[n - 1].trouble == CONTROLS_NOT_PLUGGED_IN,
		      "the path is now waited for: %s %d", pr[n - 1].input, pr[n - 1].trouble);
		CHECK(strstr(log_text, "is not plugged in; waiting for it\n") != NULL &&
		      count_lines(log_text) == lines + 1, "and that is logged once:\n%s", log_text);
	}
out:
	controls_close(c);
	fclose(log);
	free(log_text);
	unlink(path);
}

static void test_arguments(void)
{
	struct controls *c = NULL;

	CHECK(controls_open(NULL, false, &c, NULL) == -EINVAL, "NULL config");
	controls_close(NULL);
	CHECK(controls_next(NULL, INPUT_SESSION_ACTIVE, NULL) == false, "NULL next");
	CHECK(controls_active(NULL) == 0 && controls_failed(NULL) == 0, "NULL counts");
}

int main(void)
{
	RUN_CASE(test_missing_hardware, ());
	RUN_CASE(test_terminal, ());
	RUN_CASE(test_problems, ());
	RUN_CASE(test_arguments, ());
	return check_done("controls");
}
