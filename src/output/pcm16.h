/* pcm16.h - the one float -> 16-bit conversion of the project. The WAV
 * writer uses it and so does tests/output/compare-capture, so a live
 * capture (float) and a rendered WAV (16-bit) of the same session compare
 * exactly once the capture is put through the same function. */
#ifndef REPCUE_OUTPUT_PCM16_H
#define REPCUE_OUTPUT_PCM16_H

#include <math.h>
#include <stdint.h>

/* Clamp to [-1, 1], scale by 32767 (symmetric: +1 and -1 both fit), round
 * half away from zero. NaN becomes 0. */
static inline int16_t pcm16_from_float(float x)
{
	if (!(x == x))
		return 0;
	if (x > 1.0f)
		x = 1.0f;
	else if (x < -1.0f)
		x = -1.0f;
	return (int16_t)lroundf(x * 32767.0f);
}

#endif
