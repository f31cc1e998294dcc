/* signal.h - the counter-coded test signal: frame i carries
 * ((i mod 30011) + 1) / 32768, so every frame within 0.6 s differs, none
 * is silent, and a dropped, repeated or shifted frame shows up as the
 * first mismatch. The values are exact in float and survive the 16-bit
 * conversion as distinct codes. */
#ifndef REPCUE_TESTS_OUTPUT_SIGNAL_H
#define REPCUE_TESTS_OUTPUT_SIGNAL_H

#include <stdint.h>

static inline float signal_at(int64_t i)
{
	return (float)((i % 30011) + 1) / 32768.0f;
}

#endif
