/* gesture.h - debounce and gesture recognition for push buttons and foot
 * switches.  Pure: no I/O, no clock reads; time comes in with every call,
 * so tests walk hours of presses in microseconds.
 *
 * Per input:
 *  - A press acts on its first edge.  Bounce after it is absorbed.
 *  - A press only ends once the contact has stayed open for lockout_usec.
 *    A shorter opening (bounce, chatter, a glitch in the middle of a long
 *    press) never ends a press, so it cannot split a hold or fake a
 *    double tap.
 *  - Where a press decides something after the fact (inputs with a
 *    double-tap or hold meaning), a press that lasts less than lockout_usec
 *    in all is a glitch and is dropped.  That rejects a late bounce (the
 *    rare 150 ms outlier) after a release; see hw/README.md "Debounce".
 *  - No double tap and no hold: TAP on the first press edge, delay 0.
 *    Hold only: TAP when the release is confirmed (before hold_usec).
 *    Double tap: TAP when double_tap_usec has passed since the press with
 *    no second press; DOUBLE_TAP once a second press, begun within that
 *    window, has lasted lockout_usec.  HOLD at hold_usec after the press.
 *
 * Usage: feed every edge (in timestamp order per input), then
 * gesture_tick(now); drain gesture_next_event(); poll your fds with a
 * timeout until gesture_next_deadline(). */
#ifndef REPCUE_INPUT_GESTURE_H
#define REPCUE_INPUT_GESTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "input/edge.h"

enum gesture_kind {
	GESTURE_TAP,
	GESTURE_DOUBLE_TAP,
	GESTURE_HOLD,
	GESTURE_COUNT,
};

struct gesture_config {
	input_usec_t lockout_usec;     /* > 0: bounce lockout, release settle
	                                * time and shortest real press */
	input_usec_t double_tap_usec;  /* 0 = no double-tap meaning; else the
	                                * window from the first press edge in
	                                * which a second press must begin */
	input_usec_t hold_usec;        /* 0 = no hold meaning; else press
	                                * length that makes a HOLD */
};

#define GESTURE_BUTTON_LOCKOUT_USEC 30000
#define GESTURE_PEDAL_LOCKOUT_USEC 50000
#define GESTURE_DOUBLE_TAP_USEC 400000
#define GESTURE_HOLD_USEC 700000

struct gesture_event {
	unsigned input;              /* index given to gesture_decoder_new() */
	enum gesture_kind kind;
	input_usec_t at_usec;        /* when the gesture became certain */
	input_usec_t delay_usec;     /* at_usec minus the edge that started it
	                              * (the second press for DOUBLE_TAP) */
};

struct gesture_decoder;

const char *gesture_kind_name(enum gesture_kind kind);

/* Checks one config: -EINVAL if lockout_usec <= 0, a window or hold is
 * negative, or a non-zero window/hold is not longer than the lockout. */
int gesture_config_check(const struct gesture_config *cfg);

/* A decoder for n_inputs inputs, all using cfg (copied).  Returns 0 and
 * *ret (caller frees with gesture_decoder_free), -EINVAL, -ENOMEM. */
int gesture_decoder_new(unsigned n_inputs, const struct gesture_config *cfg,
			struct gesture_decoder **ret);

/* Accepts NULL. */
void gesture_decoder_free(struct gesture_decoder *dec);

/* Replaces one input's config and forgets its state.  -EINVAL, -ERANGE. */
int gesture_set_config(struct gesture_decoder *dec, unsigned input,
		       const struct gesture_config *cfg);

/* One raw edge: pressed = contact closed (after active-low inversion).
 * Deadlines of this input up to at_usec are handled first.  An edge older
 * than the input's last handled time counts as happening at that time.
 * -ERANGE for a bad input, -ENOBUFS if events were not drained. */
int gesture_feed(struct gesture_decoder *dec, unsigned input, bool pressed,
		 input_usec_t at_usec);

/* Handles every deadline <= now_usec.  Call after feeding all edges read
 * in this wake-up.  -ENOBUFS if events were not drained. */
int gesture_tick(struct gesture_decoder *dec, input_usec_t now_usec);

/* Earliest time gesture_tick() has work, or INPUT_NO_DEADLINE. */
input_usec_t gesture_next_deadline(const struct gesture_decoder *dec);

/* Pops the oldest recognised gesture; false when none is queued. */
bool gesture_next_event(struct gesture_decoder *dec, struct gesture_event *ev);

/* Forgets an input's half-made gesture without reporting anything (the
 * device behind it vanished).  -ERANGE for a bad input. */
int gesture_reset(struct gesture_decoder *dec, unsigned input);

#endif
