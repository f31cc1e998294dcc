/* controls.h - the program's inputs as configured: turns a struct
 * device_config into an input mapping (defaults + overrides) and an input
 * hub holding every GPIO line, every pedal device and the terminal keys.
 *
 * Wiring, not a module: it knows the config model and the input module,
 * and it is the boundary that logs.  Every input is opened on its own; one
 * that fails is reported once, in one line naming the input and the fix,
 * and the others keep working.
 *
 * Main loop (the caller polls; nothing here blocks or spins):
 *     struct pollfd fds[CONTROLS_MAX_FDS + mine];
 *     int n = controls_pollfds(c, fds, CONTROLS_MAX_FDS);
 *     poll(fds, n, controls_timeout_ms(c));   (add your own fds after n)
 *     controls_dispatch(c, fds, n);
 *     while (controls_next(c, state, &act)) ...
 */
#ifndef REPCUE_CONTROLS_H
#define REPCUE_CONTROLS_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/device_config.h"
#include "input/input.h"

/* Room controls_pollfds() may need: one fd per hub backend. */
#define CONTROLS_MAX_FDS INPUT_HUB_MAX_BACKENDS

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
