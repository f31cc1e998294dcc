/* fuzz_voice - libFuzzer target: voice_profile_parse() on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "routine/routine_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct voice_profile voice;
static struct diag_list diags;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_check_diags(voice_profile_parse(FUZZ_NAME, (const char *)data, size, &voice, &diags), &diags);
	return 0;
}
