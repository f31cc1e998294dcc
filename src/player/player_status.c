/* player_status.c - what the player shows of the open session, from its
 * status snapshot (struct live_status) only: the terminal's status line,
 * systemd's STATUS=, the summary at its end, and the state the inputs'
 * gestures depend on. */
#include <stdio.h>
#include <string.h>

#include "core/status.h"
#include "player/player_internal.h"
#include "util/notify.h"

/* "Band rows, set 2 of 3, left: rep 5 of 12" (core/status.c) */
static void format_status(const struct session *s, const struct live_status *st, char *buf, size_t size)
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
static void service_status(const struct session *s, const struct live_status *st, char *buf, size_t size)
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

void player_status_show(struct player *p)
{
	const struct session *s = live_session(p->live);
	char status[256];

	service_status(s, &p->st, status, sizeof(status));
	if (strcmp(status, p->last_service_status) != 0) {
		notify_status(status);
		snprintf(p->last_service_status, sizeof(p->last_service_status), "%s", status);
	}
	if (!p->tty_status)
		return;
	format_status(s, &p->st, status, sizeof(status));
	if (strcmp(status, p->last_status) != 0) {
		fprintf(p->log, "\r\033[K%s", status);
		/* the log is line-buffered and this line has no newline:
		 * without the flush it would show only at the next message */
		fflush(p->log);
		snprintf(p->last_status, sizeof(p->last_status), "%s", status);
	}
}

void player_status_clear(struct player *p)
{
	if (p->tty_status && p->last_status[0]) {
		fputs("\r\033[K", p->log);
		fflush(p->log);
		p->last_status[0] = '\0';
	}
}

void player_status_summary(const struct player *p)
{
	const struct line_store *store = &live_session(p->live)->lines;
	const struct live_status *st = &p->st;

	fflush(stdout);  /* the transcript before the summary, should both go to one file */

	fprintf(p->log, "repcue: %s at %lld frames; lines: %d synthesized, %d from the cache, peak %.1f MB in memory\n",
		st->end_at >= 0 ? "session complete" : "stopped", (long long)(st->end_at >= 0 ? st->end_at : st->now),
		store->synthesized, store->from_disk, (double)store->peak_bytes / (1 << 20));
	if (st->music_missing > 0)
		fprintf(p->log, "repcue: the music fell behind the sound: %.2f s of it came late, silence "
			"in its place (the decoder could not keep up)\n", (double)st->music_missing / SESSION_RATE_HZ);
}

enum input_session_state player_input_state(const struct player *p)
{
	const struct session *s = live_session(p->live);
	const struct live_status *st = &p->st;

	if (st->paused)
		return INPUT_SESSION_PAUSED;
	if (st->segment < s->plan.n_segments && s->plan.segments[st->segment].kind == SEG_REST)
		return INPUT_SESSION_RESTING;
	return INPUT_SESSION_ACTIVE;
}
