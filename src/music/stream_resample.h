/* stream_resample.h - the libsamplerate adapter of the music thread
 * (stream_resample.c is the only music file that includes
 * <samplerate.h>): a track's rate to SESSION_RATE_HZ, a piece at a time. */
#ifndef REPCUE_MUSIC_STREAM_RESAMPLE_H
#define REPCUE_MUSIC_STREAM_RESAMPLE_H

#include <stdbool.h>

struct music_resampler;

/* NULL on out of memory. */
struct music_resampler *music_resampler_new(int rate_in);

/* Converts from in[0..n_in) into out (at most out_max frames): *used is
 * how much of in it took. `last`: in is the end of the track. Returns the
 * frames written, or -EIO. */
long music_resampler_run(struct music_resampler *r, const float *in, long n_in, long *used,
			 float *out, long out_max, bool last);

/* NULL is a no-op. */
void music_resampler_free(struct music_resampler *r);

#endif
