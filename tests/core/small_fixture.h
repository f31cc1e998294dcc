/* small_fixture.h - what a case of core.plan or core.status works on, made
 * in the case and freed after it: the small routine (test_routines.h), its
 * plan, and the fake speech and sequencer that play it. */
#ifndef REPCUE_TESTS_SMALL_FIXTURE_H
#define REPCUE_TESTS_SMALL_FIXTURE_H

#include <stdlib.h>

#include "../lib/harness.h"
#include "core/plan.h"
#include "core/sequencer.h"
#include "fake_lines.h"
#include "test_routines.h"

struct small_fixture {
	struct routine routine;
	struct plan plan;
	struct fake_lines lines;
	struct sequencer seq;
};

static inline struct small_fixture *small_fixture_new(void)
{
	struct small_fixture *f = FIXTURE_CALLOC(sizeof(*f));

	test_routine_small(&f->routine);
	REQUIRE(plan_build(&f->plan, &f->routine) == 0, "plan_build");
	return f;
}

static inline void small_fixture_free(struct small_fixture *f)
{
	if (!f)
		return;
	plan_finish(&f->plan);
	free(f);
}

#endif
