/* fuzz_config - libFuzzer target: config_parse() (the device config,
 * /etc/repcue/config.yaml) on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "routine/config_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct device_config config;
static struct diag_list diags;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_check_diags(config_parse(FUZZ_NAME, (const char *)data, size, &config, &diags), &diags);
	return 0;
}
