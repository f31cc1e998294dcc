/* test_supervisor.c - the device-loss supervisor (output/supervisor.h) on
 * a fake clock: hours of playing, losing the device, backing off,
 * rate-limited messages, recovering, losing it again and stopping while
 * lost, in microseconds of real time. No device, no thread, no clock. */
#include "output/supervisor.h"

#include <string.h>

#include "../lib/harness.h"

#define STALL_MS 500
#define HOUR_MS (3600LL * 1000)

/* The messages the caller would log: a new one when message_seq moves. */
struct log {
	unsigned seq;
	unsigned count;
	int64_t at_ms;
	struct output_health h;
};

static bool new_message(const struct supervisor *s, struct log *log, int64_t now_ms)
{
	supervisor_report(s, &log->h);
	if (log->h.message_seq == log->seq)
		return false;
	CHECK(log->h.message_seq == log->seq + 1, "one message at a time (seq %u after %u)",
	      log->h.message_seq, log->seq);
	log->seq = log->h.message_seq;
	log->count++;
	log->at_ms = now_ms;
	return true;
}

static void play(struct supervisor *s, int64_t *now_ms, frames_t *frames, int64_t for_ms)
{
	struct supervisor_stream st = { .active = true };

	for (int64_t end = *now_ms + for_ms; *now_ms < end; *now_ms += 100) {
		*frames += 4800;
		st.frames = *frames;
		CHECK(!supervisor_watch(s, *now_ms, &st, "dev"), "a moving heartbeat is never a loss (t=%lld)",
		      (long long)*now_ms);
	}
}

/* An hour of playing, then a stall: lost only once more than STALL_MS has
 * passed without a frame. */
static void test_stall(void)
{
	struct supervisor s;
	struct log log = { 0 };
	int64_t now = 1000;
	frames_t frames = 0;
	struct supervisor_stream st = { .active = true };

	supervisor_init(&s, STALL_MS);
	supervisor_report(&s, &log.h);
	CHECK(log.h.state == OUTPUT_STOPPED, "stopped at first");
	supervisor_started(&s, now, frames);
	play(&s, &now, &frames, HOUR_MS);
	CHECK(!new_message(&s, &log, now), "nothing to say while playing");
	supervisor_report(&s, &log.h);
	CHECK(log.h.state == OUTPUT_PLAYING && log.h.losses == 0, "playing after an hour");

	/* the last frames came at now - 100 */
	int64_t last = now - 100;
	st.frames = frames;
	CHECK(!supervisor_watch(&s, last + STALL_MS, &st, "dev"), "a stall of exactly STALL_MS is not a loss");
	CHECK(supervisor_watch(&s, last + STALL_MS + 1, &st, "dev"), "one ms more is");
	CHECK(new_message(&s, &log, now), "the loss is said");
	CHECK(strcmp(log.h.message, "audio output 'dev' lost (no audio pulled for 501 ms); retrying every 1 s") == 0,
	      "message: %s", log.h.message);
	CHECK(log.h.state == OUTPUT_LOST && log.h.losses == 1, "lost once");
	CHECK(!supervisor_watch(&s, last + 10 * STALL_MS, &st, "dev"), "a lost output is not lost again");
}

static void test_reasons(void)
{
	struct supervisor s;
	struct log log = { 0 };
	struct supervisor_stream st = { .active = true, .finished = true };

	supervisor_init(&s, STALL_MS);
	CHECK(!supervisor_watch(&s, 0, &st, "dev"), "a stopped output is not watched");
	supervisor_started(&s, 0, 0);
	CHECK(supervisor_watch(&s, 10, &st, "dev"), "ended");
	new_message(&s, &log, 10);
	CHECK(strstr(log.h.message, "lost (stream ended)"), "message: %s", log.h.message);

	supervisor_started(&s, 20, 0);
	st = (struct supervisor_stream){ .active = false };
	CHECK(supervisor_watch(&s, 30, &st, "dev"), "inactive");
	new_message(&s, &log, 30);
	CHECK(strstr(log.h.message, "lost (stream no longer active)"), "message: %s", log.h.message);
	CHECK(log.h.losses == 2, "two losses");
}

/* Each step of the backoff: reopen 1 s after the loss, then 1 s, 2 s and
 * 4 s after each failure, and 4 s from then on. */
static void test_backoff(void)
{
	static const int64_t waits[] = { 1000, 1000, 2000, 4000, 4000, 4000, 4000 };
	struct supervisor s;
	int64_t now = 5000, due;

	supervisor_init(&s, STALL_MS);
	supervisor_started(&s, now, 0);
	supervisor_lost(&s, now, "dev", "test");
	due = now + waits[0];
	for (size_t i = 1; i < sizeof(waits) / sizeof(waits[0]); i++) {
		CHECK(!supervisor_should_reopen(&s, due - 1, false), "step %zu: not before %lld ms", i,
		      (long long)(due - now));
		CHECK(supervisor_should_reopen(&s, due, false), "step %zu: at %lld ms", i, (long long)(due - now));
		CHECK(!supervisor_should_reopen(&s, due, true), "step %zu: never while one is in flight", i);
		now = due + 37; /* the reopen took 37 ms and failed */
		CHECK(supervisor_reopened(&s, now, -19, "dev", "no device") == SUPERVISOR_NONE, "failed");
		due = now + waits[i];
	}
	struct output_health h;
	supervisor_report(&s, &h);
	CHECK(h.state == OUTPUT_LOST && h.losses == 1 && h.recoveries == 0, "still lost, once");
}

/* An hour lost, a reopen failing every time: one message at the loss,
 * then one at most every 10 s, each counting those withheld since the
 * one before; none lost or counted twice. Then the device comes back,
 * and is lost again, and the backoff starts over. */
static void test_hour_lost_then_back(void)
{
	struct supervisor s;
	struct log log = { 0 };
	int64_t now = 0, lost_at, in_flight_until = -1, prev_msg;
	frames_t frames = 0;
	unsigned failures = 0, failures_since_msg = 0, withheld_total = 0, shown = 0;

	supervisor_init(&s, STALL_MS);
	supervisor_started(&s, now, frames);
	play(&s, &now, &frames, 60 * 1000);
	supervisor_lost(&s, now, "dev", "test");
	lost_at = now;
	CHECK(new_message(&s, &log, now), "loss said");
	prev_msg = now;
	for (; now < lost_at + HOUR_MS; now += 10) {
		if (in_flight_until >= 0 && now >= in_flight_until) {
			in_flight_until = -1;
			failures++;
			failures_since_msg++;
			supervisor_reopened(&s, now, -19, "dev", "no device");
			if (new_message(&s, &log, now)) {
				shown++;
				CHECK(now - prev_msg >= SUPERVISOR_REPEAT_MSG_MS, "messages %lld ms apart",
				      (long long)(now - prev_msg));
				/* one try every 4 s (plus its 50 ms): the first after 10 s is shown */
				CHECK(now - prev_msg <= SUPERVISOR_REPEAT_MSG_MS + SUPERVISOR_RETRY_MAX_MS + 50,
				      "but not withheld longer: %lld ms", (long long)(now - prev_msg));
				CHECK(log.h.suppressed == failures_since_msg - 1,
				      "message at %lld ms: %u withheld since the one before, reported %u",
				      (long long)(now - lost_at), failures_since_msg - 1, log.h.suppressed);
				CHECK(strcmp(log.h.message, "audio output still unavailable (no device); retrying") == 0,
				      "message: %s", log.h.message);
				withheld_total += log.h.suppressed;
				failures_since_msg = 0;
				prev_msg = now;
			}
		}
		if (supervisor_should_reopen(&s, now, in_flight_until >= 0))
			in_flight_until = now + 50;
	}
	CHECK(failures > 800 && failures < 1000, "an hour at one try every 4 s: %u tries", failures);
	CHECK(shown > 3600 / 15 && shown <= 3600 / 10, "an hour at one message every 10 to 14 s: %u", shown);
	CHECK(shown + withheld_total + failures_since_msg == failures,
	      "every failure shown or counted once: %u shown + %u withheld + %u pending != %u", shown,
	      withheld_total, failures_since_msg, failures);

	/* The device is back, within 10 s of the last message: a change of
	 * state is always said, with the failures withheld since. */
	while (!supervisor_should_reopen(&s, now, false))
		now += 10;
	CHECK(now - prev_msg < SUPERVISOR_REPEAT_MSG_MS, "back within the rate limit's window");
	CHECK(supervisor_reopened(&s, now + 20, 0, "dev2", NULL) == SUPERVISOR_KEEP, "keep it");
	now += 20;
	CHECK(new_message(&s, &log, now), "back is said");
	char want[80];
	snprintf(want, sizeof(want), "audio output 'dev2' back after %.1f s", (double)(now - lost_at) / 1000.0);
	CHECK(strcmp(log.h.message, want) == 0, "message: %s", log.h.message);
	CHECK(log.h.suppressed == failures_since_msg, "withheld since the last: %u, reported %u",
	      failures_since_msg, log.h.suppressed);
	CHECK(log.h.state == OUTPUT_PLAYING && log.h.recoveries == 1, "playing, recovered once");

	/* the new stream's heartbeat counts from 0 */
	frames = 0;
	play(&s, &now, &frames, HOUR_MS);
	CHECK(!new_message(&s, &log, now), "quiet for another hour");

	/* lost again: counted, said, and the backoff starts at 1 s again */
	struct supervisor_stream st = { .active = true, .frames = frames };
	int64_t stalled = now + STALL_MS + 1;
	CHECK(supervisor_watch(&s, stalled, &st, "dev2"), "lost again");
	CHECK(new_message(&s, &log, stalled), "said");
	CHECK(log.h.losses == 2 && log.h.suppressed == 0, "second loss, nothing withheld");
	CHECK(!supervisor_should_reopen(&s, stalled + 999, false) && supervisor_should_reopen(&s, stalled + 1000, false),
	      "first reopen 1 s after");
	supervisor_reopened(&s, stalled + 1000, -19, "dev2", "x");
	CHECK(supervisor_should_reopen(&s, stalled + 2000, false), "then 1 s again: the backoff restarted");
}

/* Stopped while lost: no reopen for hours; a reopen already in flight
 * that comes back is closed, not kept; start again reopens at once. */
static void test_stop_while_lost(void)
{
	struct supervisor s;
	struct log log = { 0 };
	struct output_health h;
	int64_t now = 0;

	supervisor_init(&s, STALL_MS);
	supervisor_started(&s, now, 0);
	supervisor_lost(&s, now, "dev", "test");
	new_message(&s, &log, now);
	now += 1000;
	CHECK(supervisor_should_reopen(&s, now, false), "reopen due");
	supervisor_stopped(&s); /* with that reopen in flight */
	supervisor_report(&s, &h);
	CHECK(h.state == OUTPUT_STOPPED, "stopped");
	for (int64_t end = now + 5 * HOUR_MS; now < end; now += 250)
		CHECK(!supervisor_should_reopen(&s, now, false), "no reopen while stopped (t=%lld)", (long long)now);
	CHECK(supervisor_reopened(&s, now, 0, "dev", NULL) == SUPERVISOR_CLOSE, "a late reopen is closed");
	supervisor_report(&s, &h);
	CHECK(h.state == OUTPUT_STOPPED && h.recoveries == 0, "still stopped, not a recovery");
	CHECK(supervisor_reopened(&s, now, -5, "dev", "gone") == SUPERVISOR_NONE, "a late failure: nothing");
	/* still said (as before the supervisor was its own module): it is
	 * hours since the last message */
	CHECK(new_message(&s, &log, now), "the late failure is said");
	supervisor_report(&s, &h);
	CHECK(h.state == OUTPUT_STOPPED, "still stopped");

	/* start with no stream: lost again at once, not a new loss */
	supervisor_start_without_stream(&s, now);
	supervisor_report(&s, &h);
	CHECK(h.state == OUTPUT_LOST && h.losses == 1, "lost, not counted again");
	CHECK(supervisor_should_reopen(&s, now, false), "reopen at once");
	CHECK(supervisor_reopened(&s, now + 100, 0, "dev", NULL) == SUPERVISOR_KEEP, "back");
	new_message(&s, &log, now + 100);
	CHECK(strcmp(log.h.message, "audio output 'dev' back after 0.1 s") == 0, "message: %s", log.h.message);
}

/* A reopen that hangs: the next try after the backoff, and its message
 * rate-limited like a failure. */
static void test_hung_reopen(void)
{
	struct supervisor s;
	struct log log = { 0 };
	int64_t now = 0;

	supervisor_init(&s, STALL_MS);
	supervisor_started(&s, now, 0);
	supervisor_lost(&s, now, "dev", "test");
	new_message(&s, &log, now);
	now = 1000 + 2000; /* reopened at 1 s, abandoned 2 s later */
	supervisor_reopen_hung(&s, now, "PortAudio", 2000);
	CHECK(!new_message(&s, &log, now), "withheld: 3 s after the loss message");
	CHECK(!supervisor_should_reopen(&s, now + 999, false) && supervisor_should_reopen(&s, now + 1000, false),
	      "next try after the backoff");
	now = 20000;
	supervisor_reopen_hung(&s, now, "PortAudio", 2000);
	CHECK(new_message(&s, &log, now), "said after 10 s");
	CHECK(strcmp(log.h.message, "audio output: PortAudio did not answer in 2000 ms; leaking that stream") == 0,
	      "message: %s", log.h.message);
	CHECK(log.h.suppressed == 1, "one withheld before it: %u", log.h.suppressed);
}

int main(void)
{
	RUN_CASE(test_stall, ());
	RUN_CASE(test_reasons, ());
	RUN_CASE(test_backoff, ());
	RUN_CASE(test_hour_lost_then_back, ());
	RUN_CASE(test_stop_while_lost, ());
	RUN_CASE(test_hung_reopen, ());
	return check_done("output.supervisor");
}
