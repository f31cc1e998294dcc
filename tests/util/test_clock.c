/* test_clock - the one monotonic clock (util/clock.h): the real one moves
 * forward and sleeps to an absolute deadline; a fake one installed with
 * clock_use() is what every reader sees, in each unit, and its sleeps go
 * to it; clock_use(NULL) gives the real one back. */
#include "util/clock.h"

#include "../lib/harness.h"

struct fake {
	int64_t now;
	int64_t slept_to;
};

static int64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void fake_sleep_until(void *ctx, int64_t deadline)
{
	struct fake *f = ctx;
	f->slept_to = deadline;
	if (deadline > f->now)
		f->now = deadline;
}

int main(void)
{
	REQUIRE(clock_source() == &clock_monotonic);
	int64_t a = clock_now_ns();
	clock_sleep_until_ns(a + 2000000);
	int64_t b = clock_now_ns();
	CHECK(b >= a + 2000000, "slept to the deadline: %lld ns", (long long)(b - a));

	struct fake f = { .now = 7000123456789LL };
	const struct clock_source fake = { fake_now, fake_sleep_until, &f };
	CHECK(clock_use(&fake) == &clock_monotonic, "the real one was in use");
	CHECK_EQ_INT(clock_now_ns(), 7000123456789LL);
	CHECK_EQ_INT(clock_now_us(), 7000123456LL);
	CHECK_EQ_INT(clock_now_ms(), 7000123LL);
	clock_sleep_until_ns(7000123456789LL + 3600000000000LL); /* an hour, at once */
	CHECK_EQ_INT(f.slept_to, 7000123456789LL + 3600000000000LL);
	CHECK_EQ_INT(clock_now_ms(), 10600123LL);
	CHECK(clock_use(NULL) == &fake, "the fake one was in use");
	CHECK(clock_source() == &clock_monotonic && clock_now_ns() >= b, "the real one is back");
	return check_done("test_clock");
}
