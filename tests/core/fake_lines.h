/* fake_lines.h - a line source for unit tests: every line lasts
 * 60 ms per character, with a word boundary after each space, and its
 * samples are a constant 0.5 so the mixer's levels can be read back. */
#ifndef REPCUE_TESTS_FAKE_LINES_H
#define REPCUE_TESTS_FAKE_LINES_H

#include <errno.h>
#include <string.h>

#include "core/line.h"
#include "core/plan.h"

#define FAKE_FRAMES_PER_CHAR (SESSION_RATE_HZ * 60 / 1000)
#define FAKE_LEVEL 16384 /* 0.5 */
#define FAKE_MAX_FRAMES (PLAN_TEXT_MAX * FAKE_FRAMES_PER_CHAR)

struct fake_lines {
	const struct plan *plan;
	int not_ready_until_get; /* first N get() calls answer -EAGAIN */
	int gets;
	int slow_text;           /* this line answers -EAGAIN ... */
	int slow_gets;           /* ... for its first N get() calls */
	frames_t words[PLAN_TEXT_MAX];
	int16_t samples[FAKE_MAX_FRAMES];
};

static int fake_get(void *ctx, int text, struct line_audio *out)
{
	struct fake_lines *f = ctx;
	const char *t = f->plan->texts[text];
	int n = 0;

	if (f->gets++ < f->not_ready_until_get)
		return -EAGAIN;
	if (text == f->slow_text && f->slow_gets > 0) {
		f->slow_gets--;
		return -EAGAIN;
	}
	for (int i = 0; t[i]; i++)
		if (t[i] == ' ')
			f->words[n++] = (frames_t)(i + 1) * FAKE_FRAMES_PER_CHAR;
	*out = (struct line_audio){
		.samples = f->samples, .frames = (frames_t)strlen(t) * FAKE_FRAMES_PER_CHAR,
		.word_starts = f->words, .n_words = n,
	};
	return 0;
}

static inline struct line_source fake_lines_source(struct fake_lines *f, const struct plan *plan)
{
	f->plan = plan;
	for (int i = 0; i < FAKE_MAX_FRAMES; i++)
		f->samples[i] = FAKE_LEVEL;
	return (struct line_source){ .ctx = f, .get = fake_get };
}

#endif
