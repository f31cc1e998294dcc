/* test_watchdog.c - when WATCHDOG=1 is sent, on a fake clock: only while
 * the sample clock moves, at half the interval, never with the watchdog
 * off; and, while no sound is expected, as long as the loop runs. */
#include <stdio.h>

#include "../check.h"
#include "core/watchdog.h"

#define INTERVAL_MS 60000

/* Runs the main loop every 100 ms for ms milliseconds; frames advance by
 * rate frames per loop. Returns the pings sent. */
static int run(struct watchdog *w, int64_t *now, frames_t *frames, int64_t ms, frames_t rate, bool expected)
{
	int pings = 0;
	for (int64_t end = *now + ms; *now < end;) {
		*now += 100;
		*frames += rate;
		pings += watchdog_should_ping(w, *now, *frames, expected);
	}
	return pings;
}

int main(void)
{
	struct watchdog w;
	int64_t now = 1000;
	frames_t frames = 0;

	watchdog_init(&w, 0, now);
	CHECK(run(&w, &now, &frames, 600000, 4800, true) == 0, "no WatchdogSec: never a ping");

	watchdog_init(&w, INTERVAL_MS, now);
	int p = run(&w, &now, &frames, 29900, 4800, true);
	CHECK(p == 0, "nothing before half the interval (%d)", p);
	p = run(&w, &now, &frames, 100, 4800, true);
	CHECK(p == 1, "a ping at half the interval while the clock runs (%d)", p);
	p = run(&w, &now, &frames, 10 * 60000, 4800, true);
	CHECK(p == 20, "every half interval for ten minutes: 20 pings (%d)", p);

	/* the device wedges: the clock stands still, no more pings, so
	 * systemd restarts the service one interval after the last one */
	p = run(&w, &now, &frames, 5 * 60000, 0, true);
	CHECK(p == 0, "a wedged sample clock: no ping (%d)", p);
	/* it moves again (a new output starts from 0: any change counts) */
	frames = 0;
	p = run(&w, &now, &frames, 100, 256, true);
	CHECK(p == 1, "the clock moves again, even from 0: a ping at once (%d)", p);

	/* waiting for a sound device: no clock, but the loop is the work */
	p = run(&w, &now, &frames, 60000, 0, false);
	CHECK(p == 2, "no sound expected: pings while the loop runs (%d)", p);

	/* a clock that moved once and stopped: one ping, then none */
	watchdog_init(&w, INTERVAL_MS, now);
	p = run(&w, &now, &frames, 30000, 48, true);
	p += run(&w, &now, &frames, 120000, 0, true);
	CHECK(p == 1, "one ping for the last movement, none after (%d)", p);
	return check_done("watchdog");
}
