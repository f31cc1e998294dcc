/* clock.h - the one monotonic clock (the seam of redis' monotonic.h).
 *
 * The audio sample counter is the time base of a session; everything else
 * that measures or waits (pacing of the null output, timeouts, the
 * watchdog, backoff, input times) reads this clock, in nanoseconds since
 * an arbitrary start, through one pointer: the real CLOCK_MONOTONIC, or a
 * fake one a test installs with clock_use(), so pacing and timeouts run
 * on a fake clock and tests count instead of sleeping.
 *
 * Not through it: pthread_cond_timedwait deadlines (util/job.c: the kernel
 * waits on CLOCK_MONOTONIC itself) and the name noise of util/cleanup.c. */
#ifndef REPCUE_UTIL_CLOCK_H
#define REPCUE_UTIL_CLOCK_H

#include <stdint.h>

struct clock_source {
	int64_t (*now_ns)(void *ctx);                           /* monotonic, ns */
	void (*sleep_until_ns)(void *ctx, int64_t deadline_ns); /* returns at or after it */
	void *ctx;                                              /* borrowed */
};

/* CLOCK_MONOTONIC and clock_nanosleep (EINTR: sleeps on to the deadline). */
extern const struct clock_source clock_monotonic;

/* The clock in use: clock_monotonic unless a test replaced it. */
const struct clock_source *clock_source(void);

/* Replaces the process's clock (NULL: clock_monotonic again) and returns
 * the one before. For tests: set it before the threads that read it start;
 * src is borrowed until replaced. */
const struct clock_source *clock_use(const struct clock_source *src);

int64_t clock_now_ns(void);
void clock_sleep_until_ns(int64_t deadline_ns);

static inline int64_t clock_now_us(void)
{
	return clock_now_ns() / 1000;
}

static inline int64_t clock_now_ms(void)
{
	return clock_now_ns() / 1000000;
}

#endif
