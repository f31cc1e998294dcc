/* fuzz_routine - libFuzzer target: routine_parse() on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "core/plan.h"
#include "routine/routine_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct routine routine;
static struct diag_list diags;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int ret = routine_parse(FUZZ_NAME, (const char *)data, size, &routine, &diags);

	fuzz_check_diags(ret, &diags);
	if (ret == 0)
		FUZZ_REQUIRE(routine.n_steps >= 1 && routine.n_steps <= ROUTINE_STEPS_MAX &&
				     plan_routine_expected_s(&routine) > 0,
			     "a valid routine with %d steps, estimate %ld s", routine.n_steps,
			     plan_routine_expected_s(&routine));
	return 0;
}
