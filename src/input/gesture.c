/* gesture.c - see gesture.h.  Two layers per input:
 *   debounce: raw edges -> press episodes (start, confirmed, end, glitch)
 *   gesture:  episodes + windows -> TAP / DOUBLE_TAP / HOLD
 * Everything is driven by times passed in; deadlines are recomputed from
 * state rather than stored, so there is no timer to forget to cancel. */
#include "input/gesture.h"

#include <errno.h>
#include <stdlib.h>

#include "core/device_config.h"

enum phase {
	PHASE_IDLE,
	PHASE_FIRST,        /* first press of a gesture is down */
	PHASE_WAIT_SECOND,  /* first press released; double-tap window open */
	PHASE_SECOND,       /* second press down, not yet long enough to count */
	PHASE_CONSUMED,     /* this press already made its gesture (HOLD or
	                     * DOUBLE_TAP); its release means nothing */
};

struct line_state {
	struct gesture_config cfg;
	input_usec_t now;            /* latest time handled for this input */

	/* debounce */
	bool down;                   /* inside a press episode */
	bool release_pending;        /* contact open for < lockout so far */
	bool confirmed;              /* episode has lasted >= lockout */
	input_usec_t press_at;       /* first edge of the episode */
	input_usec_t release_at;     /* edge that opened the contact */

	/* gesture */
	enum phase phase;
	input_usec_t gesture_at;     /* first press: start of the window */
	input_usec_t second_at;      /* second press edge */
};

struct gesture_decoder {
	unsigned n_inputs;
	struct line_state *inputs;  /* owned, n_inputs */
	struct gesture_event *queue; /* owned ring, cap entries */
	size_t cap, head, len;
	bool overflow;               /* an event was dropped since last call */
};

/* The names are the device config's table, in the same order. */
_Static_assert(GESTURE_TAP == (int)DEVICE_GESTURE_TAP && GESTURE_DOUBLE_TAP == (int)DEVICE_GESTURE_DOUBLE_TAP &&
	       GESTURE_HOLD == (int)DEVICE_GESTURE_HOLD && GESTURE_COUNT == (int)DEVICE_GESTURE_COUNT,
	       "gestures are the device config's");

const char *gesture_kind_name(enum gesture_kind kind)
{
	if ((unsigned)kind >= GESTURE_COUNT)
		return "?";
	return device_gesture_names[kind];
}

int gesture_config_check(const struct gesture_config *cfg)
{
	if (!cfg || cfg->lockout_usec <= 0)
		return -EINVAL;
	if (cfg->double_tap_usec < 0 || cfg->hold_usec < 0)
		return -EINVAL;
	/* A window no longer than the lockout could never see a second
	 * press begin and last long enough to count. */
	if (cfg->double_tap_usec && cfg->double_tap_usec <= cfg->lockout_usec)
		return -EINVAL;
	if (cfg->hold_usec && cfg->hold_usec <= cfg->lockout_usec)
		return -EINVAL;
	return 0;
}

static bool immediate(const struct line_state *s)
{
	return s->cfg.double_tap_usec == 0 && s->cfg.hold_usec == 0;
}

static void reset_state(struct line_state *s)
{
	struct gesture_config cfg = s->cfg;
	input_usec_t now = s->now;

	*s = (struct line_state){ .cfg = cfg, .now = now, .phase = PHASE_IDLE };
}

static void emit(struct gesture_decoder *dec, const struct line_state *s,
		 enum gesture_kind kind, input_usec_t at, input_usec_t from)
{
	if (dec->len == dec->cap) {
		dec->overflow = true;
		return;
	}
	dec->queue[(dec->head + dec->len) % dec->cap] = (struct gesture_event){
		.input = (unsigned)(s - dec->inputs),
		.kind = kind,
		.at_usec = at,
		.delay_usec = at - from,
	};
	dec->len++;
}

/* --- gesture layer: reacts to press episodes --- */

static void episode_start(struct gesture_decoder *dec, struct line_state *s,
			  input_usec_t t)
{
	if (immediate(s)) {
		emit(dec, s, GESTURE_TAP, t, t);
		return;
	}
	if (s->phase == PHASE_WAIT_SECOND) {
		s->phase = PHASE_SECOND;
		s->second_at = t;
	} else {
		s->phase = PHASE_FIRST;
		s->gesture_at = t;
	}
}

static void episode_confirmed(struct gesture_decoder *dec,
			      struct line_state *s, input_usec_t t)
{
	if (s->phase == PHASE_SECOND) {
		emit(dec, s, GESTURE_DOUBLE_TAP, t, s->second_at);
		s->phase = PHASE_CONSUMED;
	}
}

/* A confirmed episode ended; t is when the release became certain. */
static void episode_end(struct gesture_decoder *dec, struct line_state *s,
			input_usec_t t)
{
	switch (s->phase) {
	case PHASE_FIRST:
		if (s->cfg.double_tap_usec &&
		    t < s->gesture_at + s->cfg.double_tap_usec) {
			s->phase = PHASE_WAIT_SECOND;
			return;
		}
		emit(dec, s, GESTURE_TAP, t, s->gesture_at);
		s->phase = PHASE_IDLE;
		return;
	case PHASE_CONSUMED:
		s->phase = PHASE_IDLE;
		return;
	default:
		return;
	}
}

/* An episode shorter than the lockout: a glitch, not a press. */
static void episode_glitch(struct gesture_decoder *dec, struct line_state *s,
			   input_usec_t t)
{
	if (s->phase == PHASE_FIRST) {
		s->phase = PHASE_IDLE;
	} else if (s->phase == PHASE_SECOND) {
		s->phase = PHASE_WAIT_SECOND;
		if (t >= s->gesture_at + s->cfg.double_tap_usec) {
			emit(dec, s, GESTURE_TAP, t, s->gesture_at);
			s->phase = PHASE_IDLE;
		}
	}
}

/* --- deadlines --- */

static input_usec_t min_t(input_usec_t a, input_usec_t b)
{
	return a < b ? a : b;
}

static input_usec_t input_deadline(const struct line_state *s)
{
	input_usec_t d = INPUT_NO_DEADLINE;
	input_usec_t lock = s->cfg.lockout_usec;

	if (s->down) {
		if (s->release_pending)
			d = min_t(d, s->release_at + lock);
		else if (!s->confirmed)
			d = min_t(d, s->press_at + lock);
		/* While the contact is open the hold waits: either the
		 * release is real (a tap) or the press goes on (a hold,
		 * reported when the contact closes again). */
		if (s->phase == PHASE_FIRST && s->cfg.hold_usec &&
		    !s->release_pending)
			d = min_t(d, s->press_at + s->cfg.hold_usec);
	}
	if (s->phase == PHASE_WAIT_SECOND)
		d = min_t(d, s->gesture_at + s->cfg.double_tap_usec);
	return d;
}

/* Handles whatever is due at time t (t >= the deadline). */
static void handle_due(struct gesture_decoder *dec, struct line_state *s,
		       input_usec_t t)
{
	input_usec_t lock = s->cfg.lockout_usec;

	if (s->down && s->release_pending && t >= s->release_at + lock) {
		bool was_confirmed = s->confirmed;

		s->down = false;
		s->release_pending = false;
		if (was_confirmed)
			episode_end(dec, s, t);
		else
			episode_glitch(dec, s, t);
		return;
	}
	if (s->down && !s->release_pending && !s->confirmed &&
	    t >= s->press_at + lock) {
		s->confirmed = true;
		episode_confirmed(dec, s, t);
	}
	if (s->down && !s->release_pending && s->phase == PHASE_FIRST &&
	    s->cfg.hold_usec && t >= s->press_at + s->cfg.hold_usec) {
		emit(dec, s, GESTURE_HOLD, t, s->press_at);
		s->phase = PHASE_CONSUMED;
	}
	if (s->phase == PHASE_WAIT_SECOND &&
	    t >= s->gesture_at + s->cfg.double_tap_usec) {
		emit(dec, s, GESTURE_TAP, t, s->gesture_at);
		s->phase = PHASE_IDLE;
	}
}

static void advance(struct gesture_decoder *dec, struct line_state *s,
		    input_usec_t t)
{
	for (;;) {
		input_usec_t d = input_deadline(s);

		if (d > t)
			break;
		/* A deadline that passed while waiting for something else
		 * (a deferred hold) takes effect now, not in the past. */
		if (d > s->now)
			s->now = d;
		handle_due(dec, s, s->now);
	}
	if (t > s->now)
		s->now = t;
}

/* --- public API --- */

int gesture_decoder_new(unsigned n_inputs, const struct gesture_config *cfg,
			struct gesture_decoder **ret)
{
	struct gesture_decoder *dec;
	int r;

	if (!ret || n_inputs == 0 || n_inputs > 4096)
		return -EINVAL;
	r = gesture_config_check(cfg);
	if (r < 0)
		return r;
	dec = calloc(1, sizeof(*dec));
	if (!dec)
		return -ENOMEM;
	dec->n_inputs = n_inputs;
	/* One call can finish at most three gestures per input (a glitch
	 * tap, a hold, a window) and callers drain after every call. */
	dec->cap = (size_t)n_inputs * 4 + 16;
	dec->inputs = calloc(n_inputs, sizeof(*dec->inputs));
	if (!dec->inputs)
		goto free_dec;
	dec->queue = calloc(dec->cap, sizeof(*dec->queue));
	if (!dec->queue)
		goto free_inputs;
	for (unsigned i = 0; i < n_inputs; i++) {
		dec->inputs[i].cfg = *cfg;
		dec->inputs[i].now = INT64_MIN;
		reset_state(&dec->inputs[i]);
	}
	*ret = dec;
	return 0;

free_inputs:
	free(dec->inputs);
free_dec:
	free(dec);
	return -ENOMEM;
}

void gesture_decoder_free(struct gesture_decoder *dec)
{
	if (!dec)
		return;
	free(dec->queue);
	free(dec->inputs);
	free(dec);
}

int gesture_set_config(struct gesture_decoder *dec, unsigned input,
		       const struct gesture_config *cfg)
{
	int r = gesture_config_check(cfg);

	if (r < 0)
		return r;
	if (!dec || input >= dec->n_inputs)
		return -ERANGE;
	dec->inputs[input].cfg = *cfg;
	reset_state(&dec->inputs[input]);
	return 0;
}

static int take_overflow(struct gesture_decoder *dec)
{
	if (!dec->overflow)
		return 0;
	dec->overflow = false;
	return -ENOBUFS;
}

int gesture_feed(struct gesture_decoder *dec, unsigned input, bool pressed,
		 input_usec_t at_usec)
{
	struct line_state *s;
	input_usec_t t;

	if (!dec || input >= dec->n_inputs)
		return -ERANGE;
	s = &dec->inputs[input];
	advance(dec, s, at_usec);
	t = s->now;  /* an edge from the past counts as now */

	if (pressed) {
		if (!s->down) {
			s->down = true;
			s->release_pending = false;
			s->confirmed = immediate(s);
			s->press_at = t;
			episode_start(dec, s, t);
		} else if (s->release_pending) {
			/* The contact closed again before the release
			 * settled: bounce, chatter or a glitch. */
			s->release_pending = false;
		}
		/* Confirmation or a deferred hold may be due right now. */
		advance(dec, s, t);
	} else if (s->down && !s->release_pending) {
		s->release_pending = true;
		s->release_at = t;
	}
	return take_overflow(dec);
}

int gesture_tick(struct gesture_decoder *dec, input_usec_t now_usec)
{
	if (!dec)
		return -EINVAL;
	for (unsigned i = 0; i < dec->n_inputs; i++)
		advance(dec, &dec->inputs[i], now_usec);
	return take_overflow(dec);
}

input_usec_t gesture_next_deadline(const struct gesture_decoder *dec)
{
	input_usec_t d = INPUT_NO_DEADLINE;

	if (!dec)
		return d;
	for (unsigned i = 0; i < dec->n_inputs; i++)
		d = min_t(d, input_deadline(&dec->inputs[i]));
	return d;
}

bool gesture_next_event(struct gesture_decoder *dec, struct gesture_event *ev)
{
	if (!dec || dec->len == 0)
		return false;
	*ev = dec->queue[dec->head];
	dec->head = (dec->head + 1) % dec->cap;
	dec->len--;
	return true;
}

int gesture_reset(struct gesture_decoder *dec, unsigned input)
{
	if (!dec || input >= dec->n_inputs)
		return -ERANGE;
	reset_state(&dec->inputs[input]);
	return 0;
}
