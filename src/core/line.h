/* line.h - how the core sees synthesized speech: lengths and word
 * boundaries (to schedule and to cut only between words) and the samples
 * (for the mixer). The speech module fills it; the core never synthesizes. */
#ifndef REPCUE_CORE_LINE_H
#define REPCUE_CORE_LINE_H

#include <stdint.h>

#include "core/time.h"

struct line_audio {
	const int16_t *samples;     /* mono, SESSION_RATE_HZ; owned by the source */
	frames_t frames;
	const frames_t *word_starts; /* ascending offsets of each word's start */
	int n_words;
};

struct line_source {
	void *ctx;
	/* Fills *out for text id `text`. Returns 0, or -EAGAIN if that line
	 * is not synthesized yet (live playback with a cold cache). Must not
	 * block, allocate or lock: it runs in the audio callback. */
	int (*get)(void *ctx, int text, struct line_audio *out);
	/* Optional: told after every processing block which segment the
	 * session is in and which line is playing (-1: none), so a source
	 * can load what comes next and let go of what is done. */
	void (*at)(void *ctx, int segment, int playing_text);
	/* Optional: as get, without any effect on the source (no request to
	 * make the line, no bookkeeping): how the engine looks ahead to
	 * foresee lines (music ducking). NULL: lines cannot be foreseen. */
	int (*peek)(void *ctx, int text, struct line_audio *out);
};

#endif
