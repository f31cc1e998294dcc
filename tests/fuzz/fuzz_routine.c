/* fuzz_routine - libFuzzer target: routine_parse() on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
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
				     routine_estimate_s(&routine) > 0,
			     "a valid routine with %d steps, estimate %d s", routine.n_steps,
			     routine_estimate_s(&routine));
	return 0;
}
