/* test_plan_scale - issue 11 item 7: any routine `check` accepts plans in
 * bounded work. Generates the worst routine the loader accepts for
 * interning (as many steps at every limit as fit in the 4-hour session
 * limit, 16 `every: 1` cues per step whose placeholders make every line
 * distinct), checks that the loader accepts it, builds its plan and
 * bounds the work of interning by counting hash probes
 * (plan.intern_probes), not by timing: the machines running the tests are
 * shared. Linear interning made about 1e9 probes here (1e11 at 32 steps,
 * before the session limit). */
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "core/plan.h"
#include "routine/routine_load.h"
#include "worst_routine.h"

int main(void)
{
	struct worst_text t = { 0 };
	struct routine *r = calloc(1, sizeof(*r));
	struct diag_list diags;
	struct plan plan;

	if (!r)
		return 1;
	worst_routine(&t);
	int ret = routine_parse("worst.yaml", t.buf, t.len, r, &diags);
	CHECK(ret == 0, "the loader accepts the worst routine (ret %d, %d problems)", ret, diags.count);
	for (int i = 0; i < diags.count && i < 5; i++)
		diag_print(stderr, &diags.items[i]);
	if (ret == 0) {
		ret = plan_build(&plan, r);
		CHECK(ret == 0, "plan_build: %d", ret);
		if (ret == 0) {
			long says = TEXT_FIXED_COUNT;
			for (int a = 0; a < plan.n_actions; a++)
				says += plan.actions[a].kind == ACTION_SAY;
			for (int s = 0; s < plan.n_segments; s++)
				says += plan.segments[s].repeat_text >= 0;
			printf("%d distinct lines, %ld lines said, %ld probes\n", plan.n_texts, says,
			       plan.intern_probes);
			CHECK(plan.n_texts > 45000, "every cue of every rep is its own line: %d", plan.n_texts);
			/* At a load factor of at most 1/2, linear probing visits
			 * about 1.5 slots per hit and 2.5 per miss on average;
			 * 4 per interned line leaves room for an uneven hash and
			 * is still thousands of times below what linear interning does. */
			CHECK(plan.intern_probes <= 4 * says, "probes %ld for %ld lines", plan.intern_probes,
			      says);
			plan_finish(&plan);
		}
	}
	free(r);
	free(t.buf);
	return check_done("test_plan_scale");
}
