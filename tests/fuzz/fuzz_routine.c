/* fuzz_routine - libFuzzer target: routine_parse() on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "core/plan.h"
#include "routine/routine_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct routine routine;
static struct diag_list diags;

/* The session's expected length in seconds, from its plan: the one timing
 * model (plan_expected_frames), which `repcue check` prints; -1 if the
 * routine cannot be planned. */
static long expected_s(const struct routine *r)
{
	struct plan plan;
	long s;

	if (plan_build(&plan, r) < 0)
		return -1;
	s = (long)(plan_expected_frames(&plan, PLAN_SPEECH_MS_PER_CHAR) / SESSION_RATE_HZ);
	plan_finish(&plan);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int ret = routine_parse(FUZZ_NAME, (const char *)data, size, &routine, &diags);

	fuzz_check_diags(ret, &diags);
	if (ret == 0)
		FUZZ_REQUIRE(routine.n_steps >= 1 && routine.n_steps <= ROUTINE_STEPS_MAX &&
				     expected_s(&routine) > 0,
			     "a valid routine with %d steps, estimate %ld s", routine.n_steps,
			     expected_s(&routine));
	return 0;
}
