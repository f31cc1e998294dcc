#include "core/duck.h"

#include <math.h>

/* 0 -> 1 over x in [0, 1], raised cosine. */
static double rise(double x)
{
	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	return 0.5 - 0.5 * cos(M_PI * x);
}

float duck_span_db(const struct duck_span *span, frames_t release, frames_t t)
{
	if (t < span->ramp_from)
		return 0.0f;
	if (t < span->start)
		return (float)(span->depth_db * rise((double)(t - span->ramp_from) /
						     (double)(span->start - span->ramp_from)));
	if (span->end == DUCK_OPEN || t < span->end)
		return span->depth_db;
	if (release <= 0 || t >= span->end + release)
		return 0.0f;
	return (float)(span->depth_db * (1.0 - rise((double)(t - span->end) / (double)release)));
}

float duck_db(const struct duck_span *spans, int n, frames_t release, frames_t t)
{
	float db = 0.0f;

	for (int i = 0; i < n; i++) {
		float d = duck_span_db(&spans[i], release, t);
		if (d > db)
			db = d;
	}
	return db;
}

float duck_gain_from_db(float db)
{
	return db <= 0.0f ? 1.0f : powf(10.0f, -db / 20.0f);
}

struct duck_span duck_span_foreseen(frames_t known_at, frames_t start, frames_t attack, float depth_db)
{
	frames_t from = start - attack;

	if (from < known_at)
		from = known_at;
	frames_t s = start;
	if (s - from < DUCK_FAST_FRAMES)
		s = from + DUCK_FAST_FRAMES;
	return (struct duck_span){ .ramp_from = from, .start = s, .end = DUCK_OPEN, .depth_db = depth_db };
}

bool duck_span_over(const struct duck_span *span, frames_t release, frames_t t)
{
	return span->end != DUCK_OPEN && t >= span->end + release;
}
