/* loudness.h - the libebur128 adapter (loudness_ebur128.c is the only file
 * that includes <ebur128.h>): integrated loudness (EBU R 128) and sample
 * peak of a mono signal. */
#ifndef REPCUE_MUSIC_LOUDNESS_H
#define REPCUE_MUSIC_LOUDNESS_H

#include <stddef.h>

struct music_meter;

/* NULL on out of memory or a rate libebur128 refuses. */
struct music_meter *music_meter_new(int rate);
/* 0 or -ENOMEM. */
int music_meter_add(struct music_meter *m, const float *mono, size_t n);
/* Integrated loudness in LUFS (-HUGE_VAL for silence) and sample peak
 * (linear). 0 or -EIO. */
int music_meter_result(struct music_meter *m, double *lufs, double *peak);
/* NULL is a no-op. */
void music_meter_free(struct music_meter *m);

#endif
