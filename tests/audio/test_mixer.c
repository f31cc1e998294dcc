/* Unit tests of the beeps and the mixer: click-free envelopes, distinct
 * tones, ducking under speech, no clipping, and block-size independence. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "../core/fake_lines.h"
#include "../core/test_routines.h"
#include "audio/engine.h"

/* What a case works on, made in the case and freed after it: the tone
 * bank and the small routine's plan. */
struct fixture {
	struct tone_bank bank;
	struct routine routine;
	struct plan plan;
};

static struct fixture *fixture_new(void)
{
	struct fixture *f = FIXTURE_CALLOC(sizeof(*f));

	CHECK(tone_bank_init(&f->bank) == 0, "tone bank");
	test_routine_small(&f->routine);
	CHECK(plan_build(&f->plan, &f->routine) == 0, "plan");
	return f;
}

static void fixture_free(struct fixture *f)
{
	if (!f)
		return;
	plan_finish(&f->plan);
	tone_bank_finish(&f->bank);
	free(f);
}

/* Largest sample-to-sample step: a click is a jump far above what a
 * sine of the tone's own frequency and level can make. */
static float max_step(const float *x, frames_t n)
{
	float m = 0.0f;
	for (frames_t i = 1; i < n; i++)
		if (fabsf(x[i] - x[i - 1]) > m)
			m = fabsf(x[i] - x[i - 1]);
	return m;
}

static void test_tones(struct fixture *f)
{
	const struct tone_bank *bank = &f->bank;

	for (int t = 0; t < TONE_KINDS; t++) {
		const float *x = bank->samples[t];
		frames_t n = tone_length((enum tone)t);
		float peak = 0.0f;
		for (frames_t i = 0; i < n; i++)
			peak = fmaxf(peak, fabsf(x[i]));
		CHECK(fabsf(x[0]) < 1e-4f && fabsf(x[n - 1]) < 0.01f * TONE_PEAK,
		      "%s starts and ends at silence (%g, %g)", tone_name((enum tone)t), x[0], x[n - 1]);
		CHECK(peak <= TONE_PEAK + 1e-6f && peak > 0.4f * TONE_PEAK, "%s peak %g", tone_name((enum tone)t), peak);
		/* 2*pi*f/rate*peak bounds the step of a clean sine up to 2 kHz */
		CHECK(max_step(x, n) < 2.0f * (float)M_PI * 2000.0f / SESSION_RATE_HZ * TONE_PEAK,
		      "%s has no click (largest step %g)", tone_name((enum tone)t), max_step(x, n));
	}
	/* pull rises, release falls: count zero crossings in each half */
	for (int t = TONE_LIFT; t <= TONE_LOWER; t += TONE_LOWER - TONE_LIFT) {
		const float *x = bank->samples[t];
		frames_t n = tone_length((enum tone)t), half = n / 2;
		int first = 0, second = 0;
		for (frames_t i = 1; i < n; i++)
			if ((x[i - 1] < 0) != (x[i] < 0)) {
				if (i < half)
					first++;
				else
					second++;
			}
		CHECK(t == TONE_LIFT ? second > first : first > second, "%s sweeps the right way (%d, %d)",
		      tone_name((enum tone)t), first, second);
	}
}

/* Renders a whole session into a buffer, in engine blocks or in chunks of
 * varying size through engine_pull. */
static float *render(const struct plan *p, const struct tone_bank *bank, bool chunks, frames_t *frames)
{
	struct engine *e = calloc(1, sizeof(*e));
	struct fake_lines *lines = calloc(1, sizeof(*lines)); /* this render's own speech */
	size_t cap = (size_t)frames_from_s(1200);
	float *out = calloc(cap, sizeof(float));
	size_t n = 0;
	unsigned seed = 7;

	REQUIRE(e && lines, "engine and speech allocated");
	engine_init(e, p, fake_lines_source(lines, p), bank);
	while (!engine_finished(e) && n + 4096 < cap) {
		if (chunks) {
			seed = seed * 1103515245u + 12345u;
			size_t k = 1 + (seed >> 16) % 1500;
			engine_pull(e, out + n, k);
			n += k;
		} else {
			engine_render_block(e, out + n);
			n += ENGINE_BLOCK;
		}
	}
	*frames = (frames_t)n;
	free(lines);
	free(e);
	return out;
}

static void test_session_levels(struct fixture *f)
{
	const struct plan *p = &f->plan;
	const struct tone_bank *bank = &f->bank;
	frames_t n_blocks, n_chunks;
	float *blocks = render(p, bank, false, &n_blocks);
	float *chunks = render(p, bank, true, &n_chunks);
	frames_t common = n_blocks < n_chunks ? n_blocks : n_chunks;

	CHECK(memcmp(blocks, chunks, (size_t)common * sizeof(float)) == 0,
	      "the same samples whatever size the output asks for");
	float peak = 0.0f;
	for (frames_t i = 0; i < n_blocks; i++)
		peak = fmaxf(peak, fabsf(blocks[i]));
	CHECK(peak < 1.0f, "no clipping: peak %g", peak);

	/* Where speech (constant 0.5) and a beep overlap, the beep is ducked:
	 * output - 0.5 stays within ENGINE_DUCK_GAIN of the beep's peak once
	 * the ramp is done; alone, beeps reach TONE_PEAK. */
	float alone = 0.0f, under = 0.0f;
	for (frames_t i = 0; i < n_blocks; i++) {
		float x = blocks[i];
		if (fabsf(x) < 0.3f)
			alone = fmaxf(alone, fabsf(x));
		else
			under = fmaxf(under, fabsf(x - 0.5f));
	}
	CHECK(alone > 0.9f * TONE_PEAK && alone <= TONE_PEAK + 1e-6f, "beeps alone at full level (%g)", alone);
	CHECK(under > 0.0f && under <= ENGINE_DUCK_GAIN * TONE_PEAK + 1e-3f,
	      "beeps under speech ducked (%g, %g alone)", under, alone);
	free(blocks);
	free(chunks);
}

/* A case on a fixture of its own, made inside the case (its checks count
 * in it) and freed after. */
#define RUN_FIXTURE(fn)                                                            \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_new()));                                \
		fixture_free(f_);                                                  \
	} while (0)

int main(void)
{
	RUN_FIXTURE(test_tones);
	RUN_FIXTURE(test_session_levels);
	return check_done("audio.mixer");
}
