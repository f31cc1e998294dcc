/* controls.h - the program's inputs as configured: turns a struct
 * device_config into an input mapping (defaults + overrides) and an input
 * hub holding every GPIO line, every pedal device and the terminal keys.
 *
 * The top of the input module: the one part that knows the config model
 * (core/device_config.h) besides the backends, and the boundary that logs
 * (to the FILE the caller hands in).  Every input is opened on its own; one
 * that fails is reported once, in one line naming the input and the fix,
 * and the others keep working.  What does not work is also kept as data
 * (controls_problems) for the lobby to say, and opened again on request
 * (controls_retry).
 *
 * Main loop (the caller polls; nothing here blocks or spins):
 *     struct pollfd fds[CONTROLS_MAX_FDS + mine];
 *     int n = controls_pollfds(c, fds, CONTROLS_MAX_FDS);
 *     poll(fds, n, controls_timeout_ms(c));   (add your own fds after n)
 *     controls_dispatch(c, fds, n);
 *     while (controls_next(c, state, &act)) ...
 */
#ifndef REPCUE_INPUT_CONTROLS_H
#define REPCUE_INPUT_CONTROLS_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/device_config.h"
#include "input/input.h"

/* Room controls_pollfds() may need: one fd per hub backend. */
#define CONTROLS_MAX_FDS INPUT_HUB_MAX_BACKENDS

/* Why a configured input does not work now, as the lobby says it. */
enum controls_trouble {
	CONTROLS_NO_SUCH_PIN,       /* GPIO: no chip or line by that name (a typo, no chip) */
	CONTROLS_PIN_REFUSED,       /* GPIO: busy, no permission, not built in: the log says which */
	CONTROLS_NOT_INPUT_DEVICE,  /* evdev: the path is there but is no input device */
	CONTROLS_NOT_PLUGGED_IN,    /* evdev: nothing at the path (yet): waited for */
	CONTROLS_UNKNOWN_KEY,       /* evdev: a key name evdev does not know */
	CONTROLS_DEVICE_REFUSED,    /* evdev: no permission, not built in: the log says which */
	CONTROLS_TROUBLE_COUNT
};

/* A configured input that does not work, as data for the caller to say. */
struct controls_problem {
	enum input_role role;            /* what the user calls it: an evdev device is the pedal */
	enum controls_trouble trouble;
	char input[DEVICE_CONFIG_PATH_MAX];   /* as configured: "GPIO71", "/dev/input/event3",
	                                       * the key name for CONTROLS_UNKNOWN_KEY */
};

/* controls_starters(): the terminal keys, beside 1u << role for buttons
 * and pedals. */
#define CONTROLS_STARTER_KEYBOARD (1u << INPUT_ROLE_COUNT)

struct controls;

/* Builds the mapping and the hub from cfg (read during the call only) and
 * opens every configured input, plus the terminal keys when terminal_keys
 * is set and stdin is a terminal (stdin is then in single-key mode until
 * controls_close).  Problems with single inputs (no such line, busy,
 * permission, unknown key name, pedal not plugged in) go to log, one line
 * each (log may be NULL), and do not fail the call; so do timing values
 * and mapping overrides the input module refuses (the default applies;
 * config_load() does not let such values through).  Returns 0 and *ret
 * (free with controls_close), -EINVAL for bad arguments, -ENOMEM. */
int controls_open(const struct device_config *cfg, bool terminal_keys,
		  struct controls **ret, FILE *log);

/* Takes cfg (read during the call only) as the configuration from now
 * on: the configured inputs are closed and those of cfg opened, with
 * cfg's mapping and timing, as controls_open() would; the terminal keys
 * and added backends (a script) are kept as they are. An input of cfg
 * that fails is logged and listed by controls_problems(), the others
 * work. For between sessions: gestures under way are dropped. 0; -EINVAL
 * (bad arguments) or -ENOMEM before anything changed: c is as it was;
 * -ENOMEM after: some inputs of cfg may be missing. */
int controls_reconfigure(struct controls *c, const struct device_config *cfg, FILE *log);

/* Restores the terminal, closes every input, frees.  Accepts NULL. */
void controls_close(struct controls *c);

/* Adds another backend (a --press script, a test's input): as
 * input_hub_add, which owns ctx from here on, also on failure.  Returns
 * its index or -errno. */
int controls_add(struct controls *c, const struct input_ops *ops, void *ctx,
		 const char *label);

/* Inputs open now (GPIO lines, pedal devices, present or awaited, the
 * terminal, added backends), and those configured that could not be
 * opened. */
int controls_active(const struct controls *c);
int controls_failed(const struct controls *c);
bool controls_has_terminal(const struct controls *c);

/* The configured inputs that do not work now: those that did not open,
 * and pedals not plugged in (or unplugged). Copies at most max into out;
 * returns how many were copied. */
int controls_problems(const struct controls *c, struct controls_problem *out, int max);

/* What can start a session in the lobby now (a tap that starts, as
 * mapped): 1u << INPUT_ROLE_START for a working start button, ...,
 * 1u << INPUT_ROLE_PEDAL for a pedal, CONTROLS_STARTER_KEYBOARD. */
unsigned controls_starters(const struct controls *c);

/* Opens again every configured input that did not open (unless opening
 * it again cannot help: an unknown key name); one that opens now is
 * logged ("start button: GPIO71 works now"), one that fails again is not
 * logged again. Cheap enough for the main loop every few seconds.
 * Returns how many opened, or -ENOMEM, -EINVAL. */
int controls_retry(struct controls *c, FILE *log);

/* Fills fds[0..n) (see input_hub_pollfds); n, or -ENOSPC. */
int controls_pollfds(const struct controls *c, struct pollfd *fds, int max);

/* poll() timeout until the next gesture deadline or pedal rescan, -1 for
 * none. */
int controls_timeout_ms(const struct controls *c);

/* After poll(): reads ready inputs and runs the gesture decoder to now.
 * 0, or -ENOBUFS if actions were lost (controls_next was not drained). */
int controls_dispatch(struct controls *c, const struct pollfd *fds, int n);

/* Pops the next action for the session state the caller is in; false
 * when there is none. */
bool controls_next(struct controls *c, enum input_session_state state,
		   struct input_action *out);

/* What the user calls the input an action came from: "next button",
 * "pedal", "pedal (next)" for a pedal key with another role, "keyboard".
 * Writes into buf (size bytes) and returns buf. */
const char *controls_input_name(const struct controls *c,
				const struct input_action *act, char *buf,
				size_t size);

/* Lists what is active, one line each ("  next button: GPIO27 (libgpiod
 * 1.x)", "  pedal: /dev/input/...: KEY_B -> pedal (waiting for it)"), and
 * what failed. */
void controls_describe(const struct controls *c, FILE *f);

/* controls_simulate.c: */

/* Adds presses by a script: "ROLE@SECONDS[:MS],..." (e.g. "start@1:900"
 * holds start for 0.9 s one second from now; MS defaults to 80), fed
 * through the same gesture decoder and mapping as real buttons. Returns 0,
 * -EINVAL for a bad spec, or another -errno. */
int controls_simulate(struct controls *c, const char *spec);

/* 0 if spec is a valid controls_simulate() spec, else -EINVAL with the
 * reason for a usage error in why[why_size]: what to write, or the limit
 * passed ("at most 32 presses"). */
int controls_simulation_check(const char *spec, char *why, size_t why_size);

#endif
