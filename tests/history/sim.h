/* sim.h - a session on the fake clock (blocks of 256 frames, as the
 * engine runs it) whose log goes through the real history tracker: the
 * unit tests and the power-cut driver share it. */
#ifndef REPCUE_TESTS_HISTORY_SIM_H
#define REPCUE_TESTS_HISTORY_SIM_H

#include "../core/fake_lines.h"
#include "../core/test_routines.h"
#include "core/sequencer.h"
#include "history/history_logic.h"

#define SIM_BLOCK 256
#define SIM_EVENTS_MAX 512

struct sim {
	struct sequencer seq;
	struct fake_lines lines;
	struct history_tracker tracker;
	struct history_event events[SIM_EVENTS_MAX];
	int n_events;
	/* called with every record as it is made (the driver pushes it) */
	void (*on_event)(void *ctx, const struct history_event *ev);
	void *ctx;
	int64_t wall_s;
};

/* The session every history test records: the small routine's. */
#define SIM_SESSION_INFO                                                                         \
	{                                                                                        \
		.routine = "/routines/small.yaml", .name = "Test routine", .hash = "aaaa-1",     \
		.level = 1, .voice = "coach",                                                    \
	}

/* The small test routine and its plan (plan_finish() frees it); 0 or -1. */
static inline int sim_plan_small(struct routine *routine, struct plan *plan)
{
	test_routine_small(routine);
	return plan_build(plan, routine) < 0 ? -1 : 0;
}

/* The segment that starts set `set` of step `step` in plan, or -1. */
static inline int sim_find_bout(const struct plan *plan, int step, int set)
{
	for (int i = 0; i < plan->n_segments; i++)
		if (plan->segments[i].unit == UNIT_BOUT && plan->segments[i].unit_start &&
		    plan->segments[i].step == step && plan->segments[i].set == set)
			return i;
	return -1;
}

static inline void sim_add(struct sim *s, const struct history_event *ev, int n)
{
	for (int i = 0; i < n; i++) {
		if (s->n_events < SIM_EVENTS_MAX)
			s->events[s->n_events++] = ev[i];
		if (s->on_event)
			s->on_event(s->ctx, &ev[i]);
	}
}

/* Starts a session on plan; lobby_text >= 0 waits in the lobby first;
 * resume_seg >= 0 places it there. */
static inline void sim_start(struct sim *s, const struct plan *plan, const struct routine *r,
			     const struct history_session_info *info, int lobby_text, int resume_seg)
{
	struct history_event ev[HISTORY_TRACK_MAX];

	s->n_events = 0;
	seq_init(&s->seq, plan, fake_lines_source(&s->lines, plan));
	if (resume_seg >= 0)
		seq_start_at(&s->seq, resume_seg);
	if (lobby_text >= 0)
		seq_wait_in_lobby(&s->seq, lobby_text);
	sim_add(s, ev, history_tracker_init(&s->tracker, plan, r, info, lobby_text >= 0, resume_seg, s->wall_s,
					   ev, HISTORY_TRACK_MAX));
}

/* Runs one block; returns false once the session is over. */
static inline bool sim_block(struct sim *s)
{
	struct seq_log_entry log[SEQ_LOG_MAX];
	struct history_event ev[HISTORY_TRACK_MAX];
	frames_t done = 0;

	if (s->seq.finished)
		return false;
	seq_apply_controls(&s->seq);
	while (done < SIM_BLOCK) {
		frames_t run = seq_prepare(&s->seq);
		if (run > SIM_BLOCK - done)
			run = SIM_BLOCK - done;
		seq_advance(&s->seq, run);
		done += run;
	}
	int n = seq_take_log(&s->seq, log, SEQ_LOG_MAX);
	for (int i = 0; i < n; i++)
		sim_add(s, ev, history_track(&s->tracker, &log[i], s->wall_s, ev, HISTORY_TRACK_MAX));
	return !s->seq.finished;
}

static inline void sim_press(struct sim *s, enum control_action a, frames_t at)
{
	seq_push_control(&s->seq, (struct control_event){ .action = a, .at = at });
}

static inline void sim_stop(struct sim *s)
{
	struct history_event ev[HISTORY_TRACK_MAX];
	sim_add(s, ev, history_track_stop(&s->tracker, s->seq.now, s->wall_s, ev, HISTORY_TRACK_MAX));
}

static inline int sim_count(const struct sim *s, enum history_kind kind)
{
	int n = 0;
	for (int i = 0; i < s->n_events; i++)
		n += s->events[i].kind == kind;
	return n;
}

#endif
