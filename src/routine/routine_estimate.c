/* routine_estimate.c - how long a routine takes, roughly, for
 * `repcue check` and menus. Pure arithmetic on struct routine. */
#include "routine/routine_load.h"

#include <string.h>

/* Open-ended sets are counted as this many reps. */
#define OPEN_SET_REPS 12
/* The coach speaks at about 150 words per minute: 2.5 words a second. */
#define WORDS_PER_10_S 25

static int speech_s(const char *text)
{
	int words = 0;
	bool in_word = false;

	for (const char *p = text; *p; p++) {
		bool space = *p == ' ';

		if (!space && !in_word)
			words++;
		in_word = !space;
	}
	return (words * 10 + WORDS_PER_10_S - 1) / WORDS_PER_10_S;
}

static int step_s(const struct routine *r, const struct step *st)
{
	int sides = st->sides == SIDES_NONE ? 1 : 2;
	int per_side, total = speech_s(st->name) + 1;

	if (st->kind == STEP_REPS) {
		const struct tempo *t = &st->tempo;
		int reps = st->reps ? st->reps : OPEN_SET_REPS;

		per_side = reps * (t->lower_s + t->bottom_s + t->lift_s + t->top_s);
	} else {
		per_side = st->seconds;
	}
	/* Each set and side starts with the countdown and "go". */
	per_side += r->defaults.countdown_s + 1;
	for (int i = 0; i < st->n_intro; i++)
		total += speech_s(st->intro[i]);
	total += st->sets * sides * per_side;
	if (sides == 2)
		total += st->sets * (st->switch_text[0] ? speech_s(st->switch_text) : 2);
	total += (st->sets - 1) * st->rest_between_sets_s;
	return total;
}

int routine_estimate_s(const struct routine *r)
{
	int total = speech_s(r->name) + speech_s(r->safety);

	for (int i = 0; i < r->n_steps; i++) {
		total += step_s(r, &r->steps[i]);
		if (i + 1 < r->n_steps)
			total += r->steps[i].rest_after_s;
	}
	return total;
}
