/* test_watchdog.c - when WATCHDOG=1 is sent, on a fake clock: only while
 * the sample clock moves, at half the interval, never with the watchdog
 * off; while no device is there yet, as long as the loop runs; while a
 * lost device is being reopened, for the grace only; and what the coach
 * tells the journal before a restart (a late round, a standing clock). */
#include <stdio.h>

#include "../lib/harness.h"
#include "core/watchdog.h"

#define INTERVAL_MS 60000

/* Runs the main loop every 100 ms for ms milliseconds; frames advance by
 * rate frames per loop. Returns the pings sent. */
static int run(struct watchdog *w, int64_t *now, frames_t *frames, int64_t ms, frames_t rate,
	       enum watchdog_audio audio)
{
	int pings = 0;
	for (int64_t end = *now + ms; *now < end;) {
		*now += 100;
		*frames += rate;
		pings += watchdog_should_ping(w, *now, *frames, audio);
	}
	return pings;
}

/* Each case's fixture: the watchdog, the fake clock and the sample
 * counter, from the same start, so no case runs on from where another
 * stopped. */
struct fixture {
	struct watchdog w;
	int64_t now;
	frames_t frames;
};

#define FIXTURE { .now = 1000, .frames = 0 }

static const enum watchdog_audio playing = WATCHDOG_AUDIO_PLAYING;

static void test_off(void)
{
	struct fixture fx = FIXTURE;

	watchdog_init(&fx.w, 0, fx.now);
	CHECK(run(&fx.w, &fx.now, &fx.frames, 600000, 4800, playing) == 0, "no WatchdogSec: never a ping");
}

/* the sample clock runs, wedges, moves again; no device yet */
static void test_playing(void)
{
	struct fixture fx = FIXTURE;
	int p;

	watchdog_init(&fx.w, INTERVAL_MS, fx.now);
	p = run(&fx.w, &fx.now, &fx.frames, 29900, 4800, playing);
	CHECK(p == 0, "nothing before half the interval (%d)", p);
	p = run(&fx.w, &fx.now, &fx.frames, 100, 4800, playing);
	CHECK(p == 1, "a ping at half the interval while the clock runs (%d)", p);
	p = run(&fx.w, &fx.now, &fx.frames, 10 * 60000, 4800, playing);
	CHECK(p == 20, "every half interval for ten minutes: 20 pings (%d)", p);

	/* the device wedges: the clock stands still, no more pings, so
	 * systemd restarts the service one interval after the last one */
	p = run(&fx.w, &fx.now, &fx.frames, 5 * 60000, 0, playing);
	CHECK(p == 0, "a wedged sample clock: no ping (%d)", p);
	/* it moves again (a new output starts from 0: any change counts) */
	fx.frames = 0;
	p = run(&fx.w, &fx.now, &fx.frames, 100, 256, playing);
	CHECK(p == 1, "the clock moves again, even from 0: a ping at once (%d)", p);

	/* waiting for a sound device: no clock, but the loop is the work */
	p = run(&fx.w, &fx.now, &fx.frames, 10 * 60000, 0, WATCHDOG_AUDIO_NONE);
	CHECK(p == 20, "no device yet: pings while the loop runs, however long (%d)", p);
}

static void test_lost(void)
{
	struct fixture fx = FIXTURE;
	int p;

	/* a device lost: pings while it is reopened, for three intervals;
	 * then none (wedged: restart) */
	watchdog_init(&fx.w, INTERVAL_MS, fx.now);
	p = run(&fx.w, &fx.now, &fx.frames, 3 * INTERVAL_MS, 0, WATCHDOG_AUDIO_LOST);
	CHECK(p == 6, "lost: a ping every half interval through the grace of three intervals (%d)", p);
	p = run(&fx.w, &fx.now, &fx.frames, 5 * INTERVAL_MS, 0, WATCHDOG_AUDIO_LOST);
	CHECK(p == 0, "lost for longer: no pings (%d)", p);
	/* back: the grace starts afresh at the next loss */
	p = run(&fx.w, &fx.now, &fx.frames, INTERVAL_MS, 256, playing);
	CHECK(p == 2, "back and playing: pings again (%d)", p);
	p = run(&fx.w, &fx.now, &fx.frames, INTERVAL_MS, 0, WATCHDOG_AUDIO_LOST);
	CHECK(p == 2, "lost again: a new grace (%d)", p);
}

static void test_moved_once(void)
{
	struct fixture fx = FIXTURE;
	int p;

	/* a clock that moved once and stopped: one ping, then none */
	watchdog_init(&fx.w, INTERVAL_MS, fx.now);
	p = run(&fx.w, &fx.now, &fx.frames, 30000, 48, playing);
	p += run(&fx.w, &fx.now, &fx.frames, 120000, 0, playing);
	CHECK(p == 1, "one ping for the last movement, none after (%d)", p);
}

static void test_silence(void)
{
	struct fixture fx = FIXTURE;

	/* what the journal hears before systemd's SIGABRT */
	watchdog_init(&fx.w, INTERVAL_MS, fx.now);
	int loop = 0, clock = 0;
	for (int i = 0; i < 900; i++) { /* 90 s, the clock standing from 10 s on */
		fx.now += 100;
		fx.frames += i < 100 ? 4800 : 0;
		watchdog_should_ping(&fx.w, fx.now, fx.frames, playing);
		enum watchdog_silence s = watchdog_silence(&fx.w, fx.now);
		loop += s == WATCHDOG_SILENCE_LOOP;
		if (s == WATCHDOG_SILENCE_CLOCK) {
			clock++;
			/* the last ping at 30 s (the clock had moved since the
			 * start): told three quarters of an interval after it */
			CHECK(fx.now - fx.w.last_ping_ms == INTERVAL_MS * 3 / 4, "told at 45 s without a ping (%lld)",
			      (long long)(fx.now - fx.w.last_ping_ms));
		}
	}
	CHECK(clock == 1 && loop == 0, "a standing clock: told once, no late round (%d, %d)", clock, loop);
	/* the clock moves again: a ping, and a new silence is told again */
	fx.frames += 4800;
	fx.now += 100;
	CHECK(watchdog_should_ping(&fx.w, fx.now, fx.frames, playing), "a ping when the clock moves again");
	CHECK(watchdog_silence(&fx.w, fx.now) == WATCHDOG_SILENCE_NONE, "nothing to tell right after a ping");
	fx.now += INTERVAL_MS * 3 / 4;
	watchdog_should_ping(&fx.w, fx.now, fx.frames, playing);
	CHECK(fx.w.round_gap_ms == INTERVAL_MS * 3 / 4, "the round's gap is measured (%lld)", (long long)fx.w.round_gap_ms);
	CHECK(watchdog_silence(&fx.w, fx.now) == WATCHDOG_SILENCE_LOOP, "a round 45 s late: the loop was busy");
	fx.now += 100;
	watchdog_should_ping(&fx.w, fx.now, fx.frames, playing);
	CHECK(watchdog_silence(&fx.w, fx.now) == WATCHDOG_SILENCE_CLOCK, "then the standing clock, once");
	fx.now += 100;
	watchdog_should_ping(&fx.w, fx.now, fx.frames, playing);
	CHECK(watchdog_silence(&fx.w, fx.now) == WATCHDOG_SILENCE_NONE, "not twice");
	/* rounds 29.9 s apart are not late; the watchdog off tells nothing */
	watchdog_init(&fx.w, INTERVAL_MS, fx.now);
	fx.now += INTERVAL_MS / 2 - 100;
	watchdog_should_ping(&fx.w, fx.now, fx.frames, playing);
	CHECK(watchdog_silence(&fx.w, fx.now) == WATCHDOG_SILENCE_NONE, "a round just under half an interval: not late");
	watchdog_init(&fx.w, 0, fx.now);
	fx.now += 10 * INTERVAL_MS;
	watchdog_should_ping(&fx.w, fx.now, fx.frames, playing);
	CHECK(watchdog_silence(&fx.w, fx.now) == WATCHDOG_SILENCE_NONE, "no WatchdogSec: nothing to tell");
}

int main(void)
{
	RUN_CASE(test_off, ());
	RUN_CASE(test_playing, ());
	RUN_CASE(test_lost, ());
	RUN_CASE(test_moved_once, ());
	RUN_CASE(test_silence, ());
	return check_done("watchdog");
}
