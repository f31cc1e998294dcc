/* test_rating.c - "how did that feel?" on a fake clock (core/rating.h):
 * a tap is easy once the window for a second has passed, two taps or a
 * double tap hard, a hold hurt; silence skips at exactly the timeout; a
 * press after it is ignored; and the one vocabulary (names, phrases). */
#include <stdio.h>

#include "../lib/harness.h"
#include "core/rating.h"

#define T0 100000 /* any monotonic start: not 0 */

/* Asks at T0 with the default timeout, presses `press` at T0 + at_ms,
 * then ticks every 10 ms until the question is over (at most 20 s).
 * Returns the answer; *over_ms when it was taken (ms after T0). */
static enum rating answer(enum rating_press press, int64_t at_ms, int64_t *over_ms)
{
	struct rating_question q;
	enum rating r = RATING_COUNT;

	rating_ask(&q, T0, 0);
	for (int64_t t = 0; t <= 20000; t += 10) {
		if (t == at_ms)
			CHECK(rating_press(&q, press, T0 + t), "the press at %lld ms is taken", (long long)t);
		else
			rating_tick(&q, T0 + t);
		if (rating_take(&q, &r)) {
			*over_ms = t;
			return r;
		}
	}
	*over_ms = -1;
	return r;
}

static void test_vocabulary(void)
{
	/* the vocabulary: one table, names both ways, a phrase each */
	CHECK_STR(rating_name(RATING_EASY), "easy");
	CHECK_STR(rating_name(RATING_HARD), "hard");
	CHECK_STR(rating_name(RATING_HURT), "hurt");
	CHECK_STR(rating_name(RATING_NONE), "");
	CHECK_STR(rating_name((enum rating)99), "");
	for (int i = RATING_NONE + 1; i < RATING_COUNT; i++) {
		CHECK(rating_from_name(rating_name((enum rating)i)) == (enum rating)i, "%s read back", rating_name((enum rating)i));
		CHECK(rating_phrase((enum rating)i) != PHRASE_COUNT, "%s has a confirmation", rating_name((enum rating)i));
	}
	CHECK(rating_phrase(RATING_EASY) == PHRASE_RATING_RECORDED_EASY);
	CHECK(rating_phrase(RATING_HURT) == PHRASE_RATING_RECORDED_HURT);
	CHECK(rating_phrase(RATING_NONE) == PHRASE_COUNT);
	CHECK(rating_from_name(NULL) == RATING_NONE && rating_from_name("") == RATING_NONE &&
	      rating_from_name("Easy") == RATING_NONE && rating_from_name("skipped") == RATING_NONE);
}

static void test_tap_double_hold(void)
{
	int64_t over;

	/* a tap: easy, once the window for a second tap has passed */
	CHECK(answer(RATING_PRESS_TAP, 3000, &over) == RATING_EASY, "tap: easy");
	CHECK_EQ_INT(over, 3000 + RATING_SECOND_TAP_MS);
	/* a double tap (the pedal's decoder): hard at once */
	CHECK(answer(RATING_PRESS_DOUBLE, 2500, &over) == RATING_HARD, "double tap: hard");
	CHECK_EQ_INT(over, 2500);
	/* a hold: hurt at once */
	CHECK(answer(RATING_PRESS_HOLD, 1000, &over) == RATING_HURT, "hold: hurt");
	CHECK_EQ_INT(over, 1000);
}

static void test_two_taps(void)
{
	struct rating_question q;
	enum rating r;

	/* two taps (the start button reports each): hard at the second */
	rating_ask(&q, T0, 0);
	CHECK(rating_press(&q, RATING_PRESS_TAP, T0 + 4000));
	rating_tick(&q, T0 + 4000 + RATING_SECOND_TAP_MS - 1);
	CHECK(!rating_take(&q, &r), "one tap, the window still open: no answer yet");
	CHECK(rating_is_open(&q));
	CHECK(rating_deadline(&q) == T0 + 4000 + RATING_SECOND_TAP_MS, "the deadline is the window's end");
	CHECK(rating_press(&q, RATING_PRESS_TAP, T0 + 4000 + RATING_SECOND_TAP_MS - 1));
	CHECK(rating_take(&q, &r) && r == RATING_HARD, "two taps: hard");
	CHECK(!rating_is_open(&q) && q.state == RATING_IDLE, "taken: idle");
}

static void test_taps_too_far_apart(void)
{
	struct rating_question q;
	enum rating r;

	/* two taps too far apart: easy, and the second is ignored */
	rating_ask(&q, T0, 0);
	CHECK(rating_press(&q, RATING_PRESS_TAP, T0 + 1000));
	CHECK(!rating_press(&q, RATING_PRESS_TAP, T0 + 1000 + RATING_SECOND_TAP_MS), "a late second tap is ignored");
	CHECK(rating_take(&q, &r) && r == RATING_EASY, "taps too far apart: easy");
}

static void test_tap_then_hold(void)
{
	struct rating_question q;
	enum rating r;

	/* a tap then a hold within the window: the hold wins (it hurt) */
	rating_ask(&q, T0, 0);
	rating_press(&q, RATING_PRESS_TAP, T0 + 1000);
	rating_press(&q, RATING_PRESS_HOLD, T0 + 1300);
	CHECK(rating_take(&q, &r) && r == RATING_HURT, "tap then hold: hurt");
}

static void test_silence(void)
{
	struct rating_question q;
	enum rating r;
	int64_t over;

	/* silence: skipped at exactly the timeout, not a millisecond before */
	rating_ask(&q, T0, 0);
	CHECK(rating_deadline(&q) == T0 + RATING_TIMEOUT_MS_DEFAULT);
	rating_tick(&q, T0 + RATING_TIMEOUT_MS_DEFAULT - 1);
	CHECK(!rating_take(&q, &r) && rating_is_open(&q), "1 ms before the timeout: still open");
	rating_tick(&q, T0 + RATING_TIMEOUT_MS_DEFAULT);
	CHECK(!rating_is_open(&q), "at the timeout: closed");
	/* a press after the timeout, before the loop took the skip: ignored */
	CHECK(!rating_press(&q, RATING_PRESS_HOLD, T0 + RATING_TIMEOUT_MS_DEFAULT + 5), "a press after it is ignored");
	CHECK(rating_take(&q, &r) && r == RATING_NONE, "silence: skipped, nothing to record");
	CHECK(answer(RATING_PRESS_TAP, 20000, &over) == RATING_NONE, "a tap after the timeout: skipped");
	CHECK_EQ_INT(over, RATING_TIMEOUT_MS_DEFAULT);
}

static void test_own_timeout(void)
{
	struct rating_question q;
	enum rating r;

	/* a timeout of its own; a press exactly at it is already too late */
	rating_ask(&q, T0, 3000);
	CHECK(!rating_press(&q, RATING_PRESS_TAP, T0 + 3000), "a press at the timeout is too late");
	CHECK(rating_take(&q, &r) && r == RATING_NONE);
}

static void test_idle(void)
{
	struct rating_question q;
	enum rating r;

	/* idle: nothing asked, nothing taken, presses ignored */
	q = (struct rating_question){ 0 };
	CHECK(!rating_is_open(&q) && rating_deadline(&q) == -1);
	CHECK(!rating_press(&q, RATING_PRESS_TAP, T0));
	CHECK(!rating_take(&q, &r), "nothing asked: no answer");
}

int main(void)
{
	RUN_CASE(test_vocabulary, ());
	RUN_CASE(test_tap_double_hold, ());
	RUN_CASE(test_two_taps, ());
	RUN_CASE(test_taps_too_far_apart, ());
	RUN_CASE(test_tap_then_hold, ());
	RUN_CASE(test_silence, ());
	RUN_CASE(test_own_timeout, ());
	RUN_CASE(test_idle, ());
	return check_done("rating");
}
