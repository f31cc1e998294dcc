/* plan_length.c - how long a plan is expected to take: the one timing
 * model (announcements at PLAN_SPEECH_MS_PER_CHAR, timed segments on
 * time), used for "about 14 minutes", the loader's session limit and the
 * history's resume point. */
#include "core/plan.h"

#include <string.h>

/* The one walk of the timing model: the expected length of the session,
 * in ret_lengths (if not NULL, n_segments entries) how long each segment
 * is expected to last, and in *ret_past (if not NULL) the first segment by
 * whose end it passes limit, or -1. */
static frames_t expected_walk(const struct plan *plan, int speech_ms_per_char, frames_t limit,
			      int *ret_past, frames_t *ret_lengths)
{
	frames_t total = 0;
	frames_t carry = 0;  /* how long the last line of a timed segment goes
	                      * on into the next segment */

	for (int i = 0; i < plan->n_segments; i++) {
		const struct plan_segment *s = &plan->segments[i];
		const struct plan_action *a = &plan->actions[s->first_action];
		frames_t said = carry;  /* when its last line ends, from its start */

		carry = 0;
		for (int k = 0; k < s->n_actions; k++) {
			frames_t length;

			if (a[k].kind != ACTION_SAY)
				continue;
			length = frames_from_ms((frames_t)strlen(plan->texts[a[k].arg]) *
						speech_ms_per_char);
			if (s->kind == SEG_SPEECH) {
				/* one voice: its lines are said one after another */
				said = (a[k].at > said ? a[k].at : said) + length;
			} else if (a[k].at + length - s->length > carry) {
				/* a timed segment ends on time; its last line ("And
				 * release.") may still be heard in the next one, which
				 * an announcement waits for */
				carry = a[k].at + length - s->length;
			}
		}
		total += s->length + (s->kind == SEG_SPEECH ? said : 0);
		if (ret_lengths)
			ret_lengths[i] = s->length + (s->kind == SEG_SPEECH ? said : 0);
		if (ret_past && *ret_past < 0 && total > limit)
			*ret_past = i;
	}
	return total;
}

frames_t plan_expected_frames(const struct plan *plan, int speech_ms_per_char)
{
	return expected_walk(plan, speech_ms_per_char, 0, NULL, NULL);
}

frames_t plan_segment_expected_frames(const struct plan *plan, int speech_ms_per_char,
				      frames_t *ret_lengths)
{
	return expected_walk(plan, speech_ms_per_char, 0, NULL, ret_lengths);
}

int plan_first_segment_past(const struct plan *plan, int speech_ms_per_char, frames_t limit)
{
	int past = -1;

	expected_walk(plan, speech_ms_per_char, limit, &past, NULL);
	return past;
}

long plan_routine_expected_s(const struct routine *routine)
{
	struct plan plan;
	long s;

	if (plan_build(&plan, routine) < 0)
		return -1;
	s = (long)(plan_expected_frames(&plan, PLAN_SPEECH_MS_PER_CHAR) / SESSION_RATE_HZ);
	plan_finish(&plan);
	return s;
}
