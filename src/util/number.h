/* number.h - whole numbers from the command line, checked: strtoull alone
 * takes "-1" as 18446744073709551615 and a value too large for the type
 * it is stored in wraps silently (--latency 4294967296 became 0). */
#ifndef REPCUE_UTIL_NUMBER_H
#define REPCUE_UTIL_NUMBER_H

#include <stdint.h>

/* Parses text as a decimal whole number from min to max: digits only (no
 * sign, no spaces, no suffix). Returns 0 and *out, -EINVAL if it is not a
 * number, -ERANGE if it is out of range (*out untouched). */
int number_parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out);

#endif
