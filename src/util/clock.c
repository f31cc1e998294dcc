/* clock.c - the one monotonic clock (clock.h). */
#include "util/clock.h"

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

static int64_t monotonic_now_ns(void *ctx)
{
	struct timespec t;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void monotonic_sleep_until_ns(void *ctx, int64_t deadline_ns)
{
	struct timespec t = { .tv_sec = deadline_ns / 1000000000LL, .tv_nsec = deadline_ns % 1000000000LL };

	(void)ctx;
	/* EINTR: a signal woke us early; the absolute deadline is
	 * unchanged, so just sleep again. */
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

const struct clock_source clock_monotonic = { monotonic_now_ns, monotonic_sleep_until_ns, NULL };

/* read from any thread; replaced only by tests */
static _Atomic(const struct clock_source *) current = &clock_monotonic;

const struct clock_source *clock_source(void)
{
	return atomic_load_explicit(&current, memory_order_acquire);
}

const struct clock_source *clock_use(const struct clock_source *src)
{
	return atomic_exchange_explicit(&current, src ? src : &clock_monotonic, memory_order_acq_rel);
}

int64_t clock_now_ns(void)
{
	const struct clock_source *c = clock_source();
	return c->now_ns(c->ctx);
}

void clock_sleep_until_ns(int64_t deadline_ns)
{
	const struct clock_source *c = clock_source();
	c->sleep_until_ns(c->ctx, deadline_ns);
}
