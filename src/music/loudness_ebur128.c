#include "music/loudness.h"

#include <errno.h>
#include <stdlib.h>

#include <ebur128.h>

struct music_meter {
	ebur128_state *st;
};

struct music_meter *music_meter_new(int rate)
{
	struct music_meter *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	/* The histogram keeps the meter's memory fixed (a few KiB, however
	 * long the track) at a resolution of 0.1 LU, far finer than matters. */
	m->st = ebur128_init(1, (unsigned long)rate,
			     EBUR128_MODE_I | EBUR128_MODE_SAMPLE_PEAK | EBUR128_MODE_HISTOGRAM);
	if (!m->st) {
		free(m);
		return NULL;
	}
	return m;
}

int music_meter_add(struct music_meter *m, const float *mono, size_t n)
{
	return ebur128_add_frames_float(m->st, mono, n) == EBUR128_SUCCESS ? 0 : -ENOMEM;
}

int music_meter_result(struct music_meter *m, double *lufs, double *peak)
{
	if (ebur128_loudness_global(m->st, lufs) != EBUR128_SUCCESS ||
	    ebur128_sample_peak(m->st, 0, peak) != EBUR128_SUCCESS)
		return -EIO;
	return 0;
}

void music_meter_free(struct music_meter *m)
{
	if (!m)
		return;
	ebur128_destroy(&m->st);
	free(m);
}
