/* resample.h - the libsamplerate adapter (the only file that includes
 * <samplerate.h> is resample.c). libsamplerate's sinc converters are
 * band-limited and well tested; a hand-written interpolator would alias. */
#ifndef REPCUE_SPEECH_RESAMPLE_H
#define REPCUE_SPEECH_RESAMPLE_H

#include <stddef.h>

/* Converts in[0..n_in) at rate_in to *out at rate_out. *out is malloc'ed
 * and owned by the caller. Returns 0 or a negative errno. */
int resample_to(const float *in, size_t n_in, int rate_in, int rate_out,
		float **out, size_t *n_out);

#endif
