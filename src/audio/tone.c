#include "audio/tone.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Each tone: a sweep from f0 to f1 (equal for a steady tone) plus an
 * optional second partial, shaped by raised-cosine attack and release so
 * it starts and stops without a click. Pull rises, release falls, hold
 * sits between them: the phase can be told apart without looking. */
struct tone_shape {
	double f0, f1;       /* Hz at start and end */
	double partial;      /* second partial as a ratio of the fundamental, 0 = none */
	double level;        /* 0..1 of TONE_PEAK */
	int attack_ms, release_ms;
};

static const struct tone_shape shapes[TONE_KINDS] = {
	[TONE_LIFT] = { 620, 930, 0, 1.0, 5, 30 },
	[TONE_TOP] = { 780, 780, 0, 0.8, 5, 30 },
	[TONE_LOWER] = { 930, 620, 0, 1.0, 5, 30 },
	[TONE_BOTTOM] = { 520, 520, 0, 0.5, 5, 25 },
	[TONE_COUNT] = { 1000, 1000, 0, 0.9, 4, 30 },
	[TONE_GO] = { 1320, 1320, 1.5, 1.0, 5, 80 },
	[TONE_END] = { 660, 523, 1.5, 1.0, 10, 200 },
};

static float envelope(frames_t i, frames_t n, frames_t attack, frames_t release)
{
	if (i < attack)
		return (float)(0.5 - 0.5 * cos(M_PI * (double)i / (double)attack));
	if (i >= n - release)
		return (float)(0.5 - 0.5 * cos(M_PI * (double)(n - i) / (double)release));
	return 1.0f;
}

static void synthesize(float *out, frames_t n, const struct tone_shape *s)
{
	double phase = 0.0, phase2 = 0.0;
	frames_t attack = frames_from_ms(s->attack_ms), release = frames_from_ms(s->release_ms);
	double norm = s->partial > 0 ? 1.0 / 1.5 : 1.0; /* partial at half level */

	for (frames_t i = 0; i < n; i++) {
		double f = s->f0 + (s->f1 - s->f0) * (double)i / (double)n;
		double v = sin(phase);
		if (s->partial > 0)
			v += 0.5 * sin(phase2);
		out[i] = (float)(v * norm * s->level) * TONE_PEAK * envelope(i, n, attack, release);
		phase = fmod(phase + 2.0 * M_PI * f / SESSION_RATE_HZ, 2.0 * M_PI);
		phase2 = fmod(phase2 + 2.0 * M_PI * f * s->partial / SESSION_RATE_HZ, 2.0 * M_PI);
	}
}

int tone_bank_init(struct tone_bank *bank)
{
	memset(bank, 0, sizeof(*bank));
	for (int t = 0; t < TONE_KINDS; t++) {
		frames_t n = tone_length((enum tone)t);
		bank->samples[t] = malloc((size_t)n * sizeof(float));
		if (!bank->samples[t]) {
			tone_bank_finish(bank);
			return -ENOMEM;
		}
		synthesize(bank->samples[t], n, &shapes[t]);
	}
	return 0;
}

void tone_bank_finish(struct tone_bank *bank)
{
	for (int t = 0; t < TONE_KINDS; t++)
		free(bank->samples[t]);
	memset(bank, 0, sizeof(*bank));
}
