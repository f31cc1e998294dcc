/* terminal.h - single keys on the controlling terminal, for use at a
 * desk: the keys of the control table (core/control.c, e.g. space =
 * pause/resume, n = next, q = quit; control_key_help() lists them all).
 * Keys map straight to actions (no gestures).
 *
 * The terminal is put in non-canonical, no-echo mode; ISIG stays on so
 * Ctrl-C still raises SIGINT.  Call terminal_restore() from the SIGINT /
 * SIGTERM path: the program must not leave the user's shell without
 * echo. */
#ifndef REPCUE_INPUT_TERMINAL_H
#define REPCUE_INPUT_TERMINAL_H

#include "core/control.h"
#include "input/edge.h"
#include "input/input.h"

struct terminal_input;

/* The action for one key byte, CONTROL_NONE if none: control_action_from_key(). */
enum control_action terminal_key_action(int key);

/* Switches tty fd (borrowed; stays open, e.g. STDIN_FILENO) to single
 * keys.  0 and *ret (free with terminal_input_close), -ENOTTY if fd is
 * not a terminal (carry on without keys), -EBUSY if a terminal is already
 * open, -errno from tcgetattr/tcsetattr, -ENOMEM. */
int terminal_input_open(int fd, struct terminal_input **ret);

int terminal_input_fd(const struct terminal_input *term);

/* Reads the keys typed (non-blocking) as INPUT_EDGE_ACTION edges stamped
 * now_usec (a tty has no kernel timestamps).  Count, or -errno; -EIO
 * when the terminal went away (hang-up, EOF). */
int terminal_input_read(struct terminal_input *term, input_usec_t now_usec,
			struct input_edge *out, int max);

/* Restores the saved terminal mode and frees.  Accepts NULL. */
void terminal_input_close(struct terminal_input *term);

/* Restores the saved terminal mode, if any.  Async-signal-safe (only
 * tcsetattr on saved state), idempotent; call it from a signal handler or
 * an atexit path. */
void terminal_restore(void);

/* ctx = struct terminal_input *, closed by the hub. */
extern const struct input_ops terminal_input_ops;

#endif
