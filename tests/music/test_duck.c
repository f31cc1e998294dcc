/* Unit tier: the duck envelope (core/duck.h), a pure function of spans. */
#include <math.h>

#include "../lib/harness.h"
#include "core/duck.h"

#define ATTACK 9600
#define RELEASE 33600

/* The largest step of a raised cosine of `db` over n frames, in dB. */
static double max_step_db(double db, frames_t n)
{
	return db * M_PI / (2.0 * (double)n) * 1.001;
}

static void case_foreseen_line(void)
{
	struct duck_span sp = duck_span_foreseen(0, 20000, ATTACK, 15.0f);

	CHECK(sp.ramp_from == 20000 - ATTACK && sp.start == 20000, "ramp %lld..%lld",
	      (long long)sp.ramp_from, (long long)sp.start);
	CHECK(duck_span_db(&sp, RELEASE, sp.ramp_from - 1) == 0.0f, "untouched before the ramp");
	CHECK(duck_span_db(&sp, RELEASE, 20000) == 15.0f, "down on the line's first sample");
	CHECK(duck_span_db(&sp, RELEASE, 10000000) == 15.0f, "down while the line is open");
	sp.end = 50000;
	CHECK(duck_span_db(&sp, RELEASE, 49999) == 15.0f, "down to the last sample");
	CHECK(duck_span_db(&sp, RELEASE, 50000) == 15.0f, "release starts at the top");
	CHECK(duck_span_db(&sp, RELEASE, 50000 + RELEASE) == 0.0f, "back after the release");
	CHECK(duck_span_over(&sp, RELEASE, 50000 + RELEASE) && !duck_span_over(&sp, RELEASE, 50000 + RELEASE - 1),
	      "over exactly when the release is done");
	/* continuous: no step larger than the ramps allow, anywhere */
	double worst_attack = 0.0, worst_release = 0.0;
	for (frames_t t = 0; t < 50000 + RELEASE + 10; t++) {
		double d = fabs((double)duck_span_db(&sp, RELEASE, t + 1) - duck_span_db(&sp, RELEASE, t));
		if (t < 20000 && d > worst_attack)
			worst_attack = d;
		if (t >= 20000 && d > worst_release)
			worst_release = d;
	}
	CHECK(worst_attack <= max_step_db(15.0, ATTACK), "attack step %g dB", worst_attack);
	CHECK(worst_release <= max_step_db(15.0, RELEASE), "release step %g dB", worst_release);
}

static void case_late_and_unforeseen(void)
{
	/* foreseen only 1000 frames ahead: the ramp starts when it is known */
	struct duck_span sp = duck_span_foreseen(19000, 20000, ATTACK, 15.0f);
	CHECK(sp.ramp_from == 19000 && sp.start == 20000, "late ramp from when known");
	CHECK(duck_span_db(&sp, RELEASE, 19000) == 0.0f, "no jump when it becomes known");
	/* unforeseen: the short ramp, from now */
	sp = duck_span_foreseen(30000, 30000, 0, 15.0f);
	CHECK(sp.ramp_from == 30000 && sp.start == 30000 + DUCK_FAST_FRAMES, "fast ramp");
	CHECK(duck_span_db(&sp, RELEASE, 30000) == 0.0f && duck_span_db(&sp, RELEASE, 30000 + DUCK_FAST_FRAMES) == 15.0f,
	      "down within %lld frames", (long long)DUCK_FAST_FRAMES);
	double worst = 0.0;
	for (frames_t t = 29990; t < 30300; t++) {
		double d = fabs((double)duck_span_db(&sp, RELEASE, t + 1) - duck_span_db(&sp, RELEASE, t));
		if (d > worst)
			worst = d;
	}
	CHECK(worst <= max_step_db(15.0, DUCK_FAST_FRAMES), "fast step %g dB", worst);
	CHECK(DUCK_FAST_FRAMES <= 256, "within one engine block");
}

static void case_deepest_wins(void)
{
	struct duck_span spans[3] = {
		duck_span_foreseen(0, 10000, ATTACK, 15.0f),   /* a line */
		duck_span_foreseen(0, 12000, ATTACK, 5.0f),    /* a beep in it */
		duck_span_foreseen(0, 30000, ATTACK, 15.0f),   /* the next line */
	};
	spans[0].end = 20000;
	spans[1].end = 14000;
	CHECK(duck_db(spans, 3, RELEASE, 13000) == 15.0f, "the line's depth under a beep");
	/* two lines closer than attack + release: the music stays down */
	for (frames_t t = 10000; t < 30000; t += 97)
		CHECK(duck_db(spans, 3, RELEASE, t) > 10.0f, "stays down between close lines at %lld", (long long)t);
	CHECK(duck_db(spans, 0, RELEASE, 5) == 0.0f, "no spans: untouched");
	CHECK(fabsf(duck_gain_from_db(20.0f) - 0.1f) < 1e-6f && duck_gain_from_db(0.0f) == 1.0f, "dB to gain");
}

int main(void)
{
	RUN_CASE(case_foreseen_line, ());
	RUN_CASE(case_late_and_unforeseen, ());
	RUN_CASE(case_deepest_wins, ());
	return check_done("test_duck");
}
