#include "core/status.h"

#include <stdio.h>

/* Whole seconds left, rounded up, so "1 s left" is shown until the end. */
static int seconds_left(frames_t left)
{
	if (left < 0)
		left = 0;
	return (int)((left + SESSION_RATE_HZ - 1) / SESSION_RATE_HZ);
}

/* snprintf at buf + *o, keeping *o within size. */
#define ADD(...)                                                                         \
	do {                                                                             \
		if (*o < size) {                                                         \
			int n_ = snprintf(buf + *o, size - *o, __VA_ARGS__);             \
			*o += n_ < 0 ? 0 : (size_t)n_;                                   \
		}                                                                        \
	} while (0)

static void format_step(const struct step *step, const struct plan_segment *seg,
			const struct seq_status *st, char *buf, size_t size, size_t *o)
{
	ADD("%s", step->name);
	if (seg->set > 0)
		ADD(", set %d of %d", seg->set, step->sets);
	if (seg->side != SIDE_NONE)
		ADD(", %s", side_name(seg->side));
	if (seg->kind != SEG_WORK)
		return;
	switch (step_kind_measure(step->kind)) {
	case STEP_MEASURE_REPS: {
		const struct tempo *t = &step->tempo;
		frames_t rep_len = frames_from_s(t->lift_s + t->top_s + t->lower_s + t->bottom_s);
		int rep = rep_len > 0 ? (int)(st->seg_offset / rep_len) + 1 : 1;

		if (step->reps > 0)
			ADD(": rep %d of %d", rep > step->reps ? step->reps : rep, step->reps);
		else
			ADD(": rep %d (open set)", rep);
		break;
	}
	case STEP_MEASURE_SECONDS:
		ADD(": %d s left", seconds_left(st->seg_left));
		break;
	}
}

void status_format(const struct routine *r, const struct plan *p, const struct seq_status *st,
		   char *buf, size_t size)
{
	size_t used = 0, *o = &used;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (st->finished || st->segment < 0 || st->segment >= p->n_segments) {
		ADD("Session complete.");
		return;
	}
	const struct plan_segment *seg = &p->segments[st->segment];
	const struct step *step = seg->step >= 0 && seg->step < r->n_steps ? &r->steps[seg->step] : NULL;

	if (st->paused)
		ADD("[paused] ");
	if (seg->kind == SEG_REST)
		ADD("Rest: %d s left", seconds_left(st->seg_left));
	else if (!step)
		ADD("%s", r->name);
	else
		format_step(step, seg, st, buf, size, o);
}
