/* number_parse_u64: digits only, in range, never wrapped (issue 11 item 11:
 * --latency 4294967296 was taken as 0, --speech-budget-mb
 * 17592186044417 wrapped to 1 MB). */
#include <errno.h>
#include <stdint.h>

#include "../lib/harness.h"
#include "util/number.h"

static int parse(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	*out = 12345;
	return number_parse_u64(text, min, max, out);
}

int main(void)
{
	uint64_t v;

	CHECK(parse("0", 0, 48000, &v) == 0 && v == 0, "0");
	CHECK(parse("48000", 0, 48000, &v) == 0 && v == 48000, "the maximum");
	CHECK(parse("48001", 0, 48000, &v) == -ERANGE && v == 12345, "one above");
	CHECK(parse("4294967296", 0, 48000, &v) == -ERANGE, "2^32 is not 0");
	CHECK(parse("17592186044417", 1, 1024, &v) == -ERANGE, "2^44 + 1 is not 1");
	CHECK(parse("18446744073709551615", 0, UINT64_MAX, &v) == 0 && v == UINT64_MAX, "2^64 - 1");
	CHECK(parse("18446744073709551616", 0, UINT64_MAX, &v) == -ERANGE, "2^64 overflows");
	CHECK(parse("0", 1, 1024, &v) == -ERANGE, "below the minimum");
	CHECK(parse("-1", 0, 48000, &v) == -EINVAL, "no sign (strtoull wraps -1)");
	CHECK(parse("+5", 0, 48000, &v) == -EINVAL, "no plus");
	CHECK(parse(" 5", 0, 48000, &v) == -EINVAL, "no leading space");
	CHECK(parse("5 ", 0, 48000, &v) == -EINVAL, "no trailing space");
	CHECK(parse("5k", 0, 48000, &v) == -EINVAL, "no suffix");
	CHECK(parse("", 0, 48000, &v) == -EINVAL, "empty");
	CHECK(parse("0x10", 0, 48000, &v) == -EINVAL, "decimal only");
	CHECK(number_parse_u64(NULL, 0, 1, &v) == -EINVAL, "NULL");
	return check_done("test_number");
}
