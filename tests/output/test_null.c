/* test_null - the null backend, counted exactly, never timed:
 *  - instant pacing with a frame limit pulls exactly that many frames;
 *  - real-time pacing on a fake clock (output_config.null_clock, or the
 *    process's one clock replaced with util/clock.h clock_use): one
 *    period is pulled per period of clock time, every deadline is exactly
 *    start + k periods even when each sleep returns late (no drift), and
 *    the limit ends it after exactly the frames asked for;
 *  - real-time pacing on the real clock is never ahead of it: at every
 *    look, frames pulled <= the periods due since before the start, plus
 *    the first; the test waits until half a second of frames is pulled. */
#include "output/output.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../lib/harness.h"

#define RATE SESSION_RATE_HZ
#define PERIOD OUTPUT_DEFAULT_PERIOD_FRAMES
#define WAIT_MS 60000 /* for a condition; reached in ms when all is well */

static void pull(void *ctx, float *out, size_t frames)
{
	frames_t *n = ctx;

	memset(out, 0, frames * sizeof(float));
	*n += (frames_t)frames;
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&t, NULL);
}

/* Waits until the output stops by itself (its limit); false after WAIT_MS. */
static bool wait_stopped(struct output *out, struct output_health *h)
{
	for (int waited = 0; waited < WAIT_MS; waited++) {
		output_health(out, h);
		if (h->state == OUTPUT_STOPPED)
			return true;
		sleep_ms(1);
	}
	return false;
}

/* ns from the start to the end of frame count `frames` (as null.c's) */
static int64_t frames_ns(int64_t frames)
{
	return frames / RATE * 1000000000LL + frames % RATE * 1000000000LL / RATE;
}

#define FAKE_SLEEPS_MAX 1024

struct fake_clock {
	int64_t now;                          /* ns */
	int sleeps;
	int64_t deadline[FAKE_SLEEPS_MAX];    /* asked for, in order */
	frames_t pulled_at[FAKE_SLEEPS_MAX];  /* frames pulled when asked */
	const frames_t *pulled;               /* the pull counter (same thread) */
};

static int64_t fake_now(void *ctx)
{
	return ((struct fake_clock *)ctx)->now;
}

/* Returns late by up to 3 ms, as a busy machine does. */
static void fake_sleep_until(void *ctx, int64_t deadline)
{
	struct fake_clock *c = ctx;

	if (c->sleeps < FAKE_SLEEPS_MAX) {
		c->deadline[c->sleeps] = deadline;
		c->pulled_at[c->sleeps] = *c->pulled;
	}
	c->sleeps++;
	if (deadline > c->now)
		c->now = deadline;
	c->now += (c->sleeps % 4) * 1000000LL;
}

static void instant_with_limit(void)
{
	struct output_config cfg = { .pacing = OUTPUT_PACE_INSTANT, .null_frame_limit = 100000 };
	struct output_health h;
	struct output *out;
	frames_t pulled = 0;
	char msg[OUTPUT_MSG_MAX];

	REQUIRE(output_open(&output_null_ops, &cfg, pull, &pulled, &out, msg, sizeof(msg)) == 0);
	REQUIRE(output_start(out) == 0);
	REQUIRE(wait_stopped(out, &h));
	REQUIRE(h.frames_pulled == 100000);
	output_close(out);
	REQUIRE(pulled == 100000); /* the thread is joined: plain read is safe */
	printf("instant: exactly 100000 frames\n");
}

/* process: the fake clock replaces the process's one clock (util/clock.h
 * clock_use), which the null output uses when none is given; else it is
 * given in output_config.null_clock. */
static void realtime_fake_clock(bool process)
{
	const frames_t limit = RATE; /* one second: 187 periods and a half */
	const int periods = (int)((limit + PERIOD - 1) / PERIOD);
	static struct fake_clock fc;
	struct clock_source clock = { fake_now, fake_sleep_until, &fc };
	struct output_config cfg = { .pacing = OUTPUT_PACE_REALTIME, .null_frame_limit = limit,
				     .null_clock = process ? NULL : &clock };
	struct output_health h;
	struct output *out;
	frames_t pulled = 0;
	char msg[OUTPUT_MSG_MAX];
	memset(&fc, 0, sizeof(fc));
	fc.now = 1000000000LL;
	int64_t start = fc.now;

	fc.pulled = &pulled;
	const struct clock_source *real = process ? clock_use(&clock) : NULL;
	REQUIRE(output_open(&output_null_ops, &cfg, pull, &pulled, &out, msg, sizeof(msg)) == 0);
	REQUIRE(output_start(out) == 0);
	REQUIRE(wait_stopped(out, &h));
	output_close(out); /* joined: fc and pulled are ours again */
	if (process)
		REQUIRE(clock_use(real) == &clock && clock_source() == &clock_monotonic);
	REQUIRE(pulled == limit && h.frames_pulled == limit);
	/* a sleep after every pull, the last one's included */
	REQUIRE(fc.sleeps == periods);
	for (int k = 1; k <= fc.sleeps; k++) {
		frames_t due = (frames_t)k * PERIOD < limit ? (frames_t)k * PERIOD : limit;
		if (fc.deadline[k - 1] != start + frames_ns((int64_t)k * PERIOD) || fc.pulled_at[k - 1] != due) {
			fprintf(stderr, "sleep %d: deadline %lld ns after the start (want %lld), %lld frames pulled "
				"(want %lld)\n", k, (long long)(fc.deadline[k - 1] - start),
				(long long)frames_ns((int64_t)k * PERIOD), (long long)fc.pulled_at[k - 1], (long long)due);
			REQUIRE(0);
		}
	}
	printf("real-time, fake clock (%s): %d periods, %lld frames, every deadline exact though each sleep "
	       "returned up to 3 ms late\n", process ? "the process's clock" : "output_config.null_clock", fc.sleeps,
	       (long long)pulled);
}

static void realtime_real_clock(void)
{
	const frames_t want = RATE / 2;
	struct output_config cfg = { .pacing = OUTPUT_PACE_REALTIME };
	struct output_health h;
	struct output *out;
	frames_t pulled = 0;
	char msg[OUTPUT_MSG_MAX];
	int looks = 0;

	REQUIRE(output_open(&output_null_ops, &cfg, pull, &pulled, &out, msg, sizeof(msg)) == 0);
	REQUIRE(output_describe(out, msg, sizeof(msg)) > 0);
	printf("%s\n", msg);
	int64_t t0 = clock_now_ns();
	REQUIRE(output_start(out) == 0);
	for (int waited = 0;; waited++) {
		REQUIRE(waited < WAIT_MS);
		output_health(out, &h);
		int64_t t = clock_now_ns();
		/* periods due by t: the first at once, then one per period */
		frames_t due = ((t - t0) * RATE / 1000000000LL / PERIOD + 1) * PERIOD;
		looks++;
		if (h.frames_pulled > due) {
			fprintf(stderr, "%lld frames pulled %.3f ms after the start: ahead of the clock (%lld due)\n",
				(long long)h.frames_pulled, (double)(t - t0) / 1e6, (long long)due);
			REQUIRE(0);
		}
		if (h.frames_pulled >= want)
			break;
		sleep_ms(1);
	}
	REQUIRE(output_stop(out) == 0);
	output_close(out);
	printf("real-time, real clock: %lld frames, never ahead of the clock in %d looks\n",
	       (long long)h.frames_pulled, looks);
}

int main(void)
{
	instant_with_limit();
	realtime_fake_clock(false);
	realtime_fake_clock(true);
	realtime_real_clock();
	output_close(NULL);
	printf("null: ok\n");
	return 0;
}
