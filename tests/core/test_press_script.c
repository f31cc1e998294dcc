/* test_press_script.c - the one tokenizer of press scripts
 * (core/press_script.h), shared by --press (actions) and --simulate
 * (roles): items, the held time, what is not a number, the length limit. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "../lib/harness.h"
#include "core/press_script.h"

/* Two items and an empty one between them: the names, the times, the held
 * time, then the end. */
static void test_items(void)
{
	struct press_script ps;
	struct press_token t;

	REQUIRE(press_script_init(&ps, "next@95.5,,start@1:900") == 0, "a script of two items");
	CHECK(press_script_next(&ps, &t) == 1, "the first item");
	CHECK_STR(t.name, "next");
	CHECK_STR(t.when, "95.5");
	CHECK(t.seconds == 95.5 && !t.has_held, "95.5 s, no held time (%g)", t.seconds);
	CHECK(press_script_next(&ps, &t) == 1, "the empty item is skipped");
	CHECK_STR(t.name, "start");
	CHECK_STR(t.when, "1:900");
	CHECK(t.seconds == 1 && t.has_held && t.held_ms == 900, "1 s held 900 ms (%g, %g)", t.seconds,
	      t.held_ms);
	CHECK(press_script_next(&ps, &t) == 0, "then the end");
	CHECK(press_script_next(&ps, &t) == 0, "and it stays at the end");
}

/* What is not an item or not a number. */
static void test_bad_items(void)
{
	struct press_script ps;
	struct press_token t;

	REQUIRE(press_script_init(&ps, "next,pause@x,pause@2x,pedal@1:,pedal@1:5x") == 0, "bad items");
	CHECK(press_script_next(&ps, &t) == -EINVAL, "an item without '@'");
	CHECK_STR(t.name, "next");
	CHECK(press_script_next(&ps, &t) == 1 && isnan(t.seconds), "no number: NAN");
	CHECK(press_script_next(&ps, &t) == 1 && isnan(t.seconds), "a number and more: NAN");
	CHECK(press_script_next(&ps, &t) == 1 && t.has_held && t.held_ms == 0, "an empty held time: 0");
	CHECK(press_script_next(&ps, &t) == 1 && t.has_held && isnan(t.held_ms), "a held time and more: NAN");
}

/* The length limit. */
static void test_length(void)
{
	struct press_script ps;
	char longer[PRESS_SCRIPT_CHARS_MAX + 2];

	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	CHECK(press_script_init(&ps, longer) == -E2BIG, "over %d characters", PRESS_SCRIPT_CHARS_MAX);
	longer[PRESS_SCRIPT_CHARS_MAX] = '\0';
	CHECK(press_script_init(&ps, longer) == 0, "%d characters", PRESS_SCRIPT_CHARS_MAX);
}

int main(void)
{
	RUN_CASE(test_items, ());
	RUN_CASE(test_bad_items, ());
	RUN_CASE(test_length, ());
	return check_done("press_script");
}
