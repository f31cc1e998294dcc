/* input.h - the input hub: every input backend (GPIO lines, evdev pedals,
 * terminal keys, scripts) behind one ops table, one gesture decoder and
 * the mapping, so the main loop polls a list of fds and gets actions.
 *
 * Main loop:
 *     struct pollfd fds[INPUT_HUB_MAX_BACKENDS];
 *     int n = input_hub_pollfds(hub, fds, INPUT_HUB_MAX_BACKENDS);
 *     poll(fds, n, input_hub_timeout_ms(hub, input_clock_usec()));
 *     input_hub_dispatch(hub, fds, n, input_clock_usec());
 *     while (input_hub_next_action(hub, session_state, &act)) ...
 * (add the program's own fds after the hub's.) */
#ifndef REPCUE_INPUT_INPUT_H
#define REPCUE_INPUT_INPUT_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "input/edge.h"
#include "input/gesture.h"
#include "input/mapping.h"

/* One input backend.  Every method gets the ctx given to input_hub_add. */
struct input_ops {
	const char *name;   /* "gpio", "evdev", "terminal", "script" */
	/* The fd to poll for POLLIN, or -1 while there is none (a pedal
	 * that is unplugged, a script). */
	int (*fd)(void *ctx);
	/* Reads what is ready, without blocking, into out[0..max).  Called
	 * when the fd is readable or the deadline has passed.  now_usec is
	 * CLOCK_MONOTONIC; edges carry their own kernel time.  Returns the
	 * count or -errno (the hub then drops the backend). */
	int (*read)(void *ctx, input_usec_t now_usec, struct input_edge *out,
		    int max);
	/* Optional (NULL = never): when read() wants to be called even
	 * without fd activity, e.g. to look for an unplugged pedal again. */
	input_usec_t (*deadline)(void *ctx);
	/* Releases ctx and everything it holds. */
	void (*close)(void *ctx);
};

#define INPUT_HUB_MAX_BACKENDS 16

enum input_status {
	INPUT_STATUS_NONE,
	INPUT_STATUS_CONNECTED,     /* "Pedal connected." */
	INPUT_STATUS_DISCONNECTED,  /* "Pedal disconnected." (once) */
	INPUT_STATUS_FAILED,        /* backend read failed with .error and
	                             * was dropped */
};

/* One thing for the program to do.  Exactly one of control, command and
 * status is set. */
struct input_action {
	enum control_action control;
	enum input_command command;
	enum input_status status;
	int error;                  /* -errno for INPUT_STATUS_FAILED */
	const char *source;         /* label given to input_hub_add; owned
	                             * by the hub, valid until it is freed */
	bool from_gesture;          /* role and gesture are meaningful */
	enum input_role role;
	enum gesture_kind gesture;
	input_usec_t at_usec;       /* CLOCK_MONOTONIC time of the action */
	input_usec_t delay_usec;    /* first edge to action (0 = first edge) */
};

struct input_hub;

/* CLOCK_MONOTONIC now, in the unit every input time uses. */
input_usec_t input_clock_usec(void);

/* A hub using map (borrowed: must outlive the hub; read again for every
 * action, so changes apply at once) and, per role, the decoder timing
 * input_mapping_gesture_config() derives from it.  0 and *ret (free with
 * input_hub_free), -EINVAL, -ENOMEM. */
int input_hub_new(const struct input_mapping *map, struct input_hub **ret);

/* Closes every backend.  Accepts NULL. */
void input_hub_free(struct input_hub *hub);

/* Overrides the decoder timing for one role (e.g. from the config file).
 * The double-tap window and hold are still switched off where the mapping
 * gives them no meaning.  -EINVAL for a bad config. */
int input_hub_set_timing(struct input_hub *hub, enum input_role role,
			 const struct gesture_config *cfg);

/* Adds a backend.  The hub owns ctx from here on, also on failure (it is
 * closed with ops->close).  label (copied) names it in actions, e.g.
 * "pedal".  Returns the backend index or -ENOSPC, -ENOMEM, -EINVAL. */
int input_hub_add(struct input_hub *hub, const struct input_ops *ops,
		  void *ctx, const char *label);

/* Takes backend `index` back from the hub without closing it: *ops and
 * *ctx (the caller owns ctx again, e.g. to add it to another hub). The
 * hub keeps its place, closed (it polls and reads nothing there any
 * more), so the other indices stay. -EINVAL when there is no open
 * backend at index. */
int input_hub_detach(struct input_hub *hub, int index, const struct input_ops **ops, void **ctx);

/* Fills fds[i] for backend i (fd -1, which poll() skips, where a backend
 * has nothing to poll).  Returns the number filled (all backends), or
 * -ENOSPC if max is too small. */
int input_hub_pollfds(const struct input_hub *hub, struct pollfd *fds,
		      int max);

/* Earliest time dispatch has work without fd activity, or
 * INPUT_NO_DEADLINE. */
input_usec_t input_hub_deadline(const struct input_hub *hub);

/* poll() timeout for now_usec: -1 for none, rounded up so poll does not
 * wake before the deadline. */
int input_hub_timeout_ms(const struct input_hub *hub, input_usec_t now_usec);

/* After poll(): reads the backends whose fd is ready or whose deadline
 * has passed, feeds the decoder and runs it up to now_usec.  fds/n as
 * filled by input_hub_pollfds (fds may be NULL if n is 0).  0, or
 * -ENOBUFS if actions were not drained since the last call (some lost). */
int input_hub_dispatch(struct input_hub *hub, const struct pollfd *fds, int n,
		       input_usec_t now_usec);

/* Pops the next action, mapping gestures with the session state the
 * caller is in now.  Gestures that mean nothing in that state are
 * skipped.  false when there is none. */
bool input_hub_next_action(struct input_hub *hub,
			   enum input_session_state state,
			   struct input_action *out);

/* --- the script backend: always available, no hardware --- */

struct input_script;

/* A backend that replays edges (copied) at their at_usec, which must be
 * in non-decreasing order: tests, demos and --press.  0 and *ret (owned
 * by the caller until given to input_hub_add), -EINVAL, -ENOMEM.  n may
 * be 0: a null input. */
int input_script_new(const struct input_edge *edges, size_t n,
		     struct input_script **ret);
void input_script_free(struct input_script *script);  /* accepts NULL */

/* ctx = struct input_script *. */
extern const struct input_ops input_script_ops;

#endif
