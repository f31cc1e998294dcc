/* test_routines.h - routines built in C, so core tests need no YAML. */
#ifndef REPCUE_TESTS_TEST_ROUTINES_H
#define REPCUE_TESTS_TEST_ROUTINES_H

#include <stdio.h>
#include <string.h>

#include "core/routine.h"

static inline void test_routine_base(struct routine *r)
{
	memset(r, 0, sizeof(*r));
	r->version = 1;
	snprintf(r->name, sizeof(r->name), "Test routine");
	r->level = 1;
	snprintf(r->voice, sizeof(r->voice), "coach");
	snprintf(r->safety, sizeof(r->safety), "Stop if it hurts.");
	r->defaults = (struct routine_defaults){
		.rest_between_sets_s = 20, .rest_between_steps_s = 30, .countdown_s = 3,
		.tempo = { .lower_s = 2, .bottom_s = 0, .lift_s = 2, .top_s = 1 },
	};
}

static inline struct step *test_add_step(struct routine *r, const char *name, enum step_kind kind)
{
	struct step *s = &r->steps[r->n_steps++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->kind = kind;
	s->phase = PHASE_WORK;
	s->sets = 1;
	s->tempo = r->defaults.tempo;
	s->rest_between_sets_s = r->defaults.rest_between_sets_s;
	s->rest_after_s = r->defaults.rest_between_steps_s;
	return s;
}

/* Two steps: a 2 x 4 reps step with a cue at rep 2 and every 3, and a
 * 20 s hold per side with a cue at 5 s. */
static inline void test_routine_small(struct routine *r)
{
	test_routine_base(r);
	struct step *rows = test_add_step(r, "Band rows", STEP_REPS);
	rows->sets = 2;
	rows->reps = 4;
	rows->tempo = (struct tempo){ .lower_s = 2, .bottom_s = 1, .lift_s = 1, .top_s = 2 };
	rows->n_cues = 2;
	rows->cues[0] = (struct cue){ .trigger = CUE_AT_REP, .n = 2 };
	snprintf(rows->cues[0].text, sizeof(rows->cues[0].text), "Squeeze, set {set} of {sets}.");
	rows->cues[1] = (struct cue){ .trigger = CUE_EVERY_REPS, .n = 3 };
	snprintf(rows->cues[1].text, sizeof(rows->cues[1].text), "Core on.");
	rows->n_intro = 1;
	snprintf(rows->intro[0], sizeof(rows->intro[0]), "Anchor the band.");
	struct step *stretch = test_add_step(r, "Doorway stretch", STEP_HOLD);
	stretch->seconds = 20;
	stretch->sides = SIDES_LEFT_RIGHT;
	stretch->n_cues = 1;
	stretch->cues[0] = (struct cue){ .trigger = CUE_AT_SECOND, .n = 5 };
	snprintf(stretch->cues[0].text, sizeof(stretch->cues[0].text), "Breathe, {side} arm soft.");
}

#endif
