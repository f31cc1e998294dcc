/* play_status.c - what play shows of a session, from the status
 * snapshot (struct live_status) only: the terminal line, systemd's
 * STATUS= and the state the input module's gestures depend on. */
#include <stdio.h>

#include "cli/play.h"
#include "core/status.h"

/* "Band rows, set 2 of 3, left: rep 5 of 12" (core/status.c) */
void format_status(const struct session *s, const struct live_status *st, char *buf, size_t size)
{
	struct seq_status ss = {
		.segment = st->segment, .seg_offset = st->seg_offset, .seg_left = st->seg_left,
		.paused = st->paused, .lobby = st->lobby, .finished = st->finished,
	};

	status_format(s->routine, &s->plan, &ss, buf, size);
}

/* STATUS= for systemctl status: what the service does or waits for.
 * Whole seconds are left out of it, so it changes with the step, not
 * ten times a second. */
void service_status(const struct session *s, const struct live_status *st, char *buf, size_t size)
{
	if (st->health.state == OUTPUT_LOST)
		snprintf(buf, size, "Sound device lost: waiting for it to come back (%s)", s->routine->name);
	else if (st->lobby)
		snprintf(buf, size, "Waiting for the start button: %s", s->routine->name);
	else if (st->finished)
		snprintf(buf, size, "Session complete: %s", s->routine->name);
	else if (st->paused)
		snprintf(buf, size, "Paused: %s", s->routine->name);
	else if (st->segment < s->plan.n_segments && s->plan.segments[st->segment].step >= 0)
		snprintf(buf, size, "Playing %s: %s", s->routine->name,
			 s->routine->steps[s->plan.segments[st->segment].step].name);
	else
		snprintf(buf, size, "Playing %s", s->routine->name);
}

enum input_session_state input_state(const struct session *s, const struct live_status *st)
{
	if (st->paused)
		return INPUT_SESSION_PAUSED;
	if (st->segment < s->plan.n_segments && s->plan.segments[st->segment].kind == SEG_REST)
		return INPUT_SESSION_RESTING;
	return INPUT_SESSION_ACTIVE;
}
