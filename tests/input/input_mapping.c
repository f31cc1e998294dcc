/* Mapping: the documented defaults, overrides, and messages for bad
 * override strings. */
#include <errno.h>
#include <string.h>

#include "../lib/harness.h"
#include "input/mapping.h"

static struct input_binding B(enum control_action a)
{
	return (struct input_binding){ .control = a };
}

static void check_binding(const struct input_mapping *m, enum input_role r,
			  enum gesture_kind g, enum input_session_state s,
			  struct input_binding want, int line)
{
	struct input_binding b = input_mapping_lookup(m, r, g, s);

	if (b.control != want.control || b.command != want.command) {
		fprintf(stderr, "line %d: %s.%s.%s = %s/%s, want %s/%s\n", line,
			input_role_name(r), gesture_kind_name(g),
			input_session_state_name(s), control_action_name(b.control),
			input_command_name(b.command),
			control_action_name(want.control),
			input_command_name(want.command));
		check_failures++;
	}
}

#define BIND(m, r, g, s, want) check_binding(m, r, g, s, want, __LINE__)

static void test_defaults(void)
{
	struct input_mapping *m = NULL;
	struct gesture_config cfg;
	const struct input_binding none = { 0 };
	const struct input_binding choose = {
		.command = INPUT_COMMAND_CHOOSE_ROUTINE
	};

	CHECK_EQ_INT(input_mapping_new(&m), 0);
	for (int s = 0; s < INPUT_SESSION_COUNT; s++) {
		BIND(m, INPUT_ROLE_START, GESTURE_TAP, s, B(CONTROL_START));
		BIND(m, INPUT_ROLE_START, GESTURE_HOLD, s, choose);
		BIND(m, INPUT_ROLE_START, GESTURE_DOUBLE_TAP, s, none);
		BIND(m, INPUT_ROLE_NEXT, GESTURE_TAP, s, B(CONTROL_NEXT));
		BIND(m, INPUT_ROLE_REPEAT, GESTURE_TAP, s, B(CONTROL_REPEAT));
		BIND(m, INPUT_ROLE_REPEAT, GESTURE_DOUBLE_TAP, s,
		     B(CONTROL_SAY_AGAIN));
		BIND(m, INPUT_ROLE_REPEAT, GESTURE_HOLD, s, none);
		BIND(m, INPUT_ROLE_PEDAL, GESTURE_TAP, s, B(CONTROL_NEXT));
		BIND(m, INPUT_ROLE_PEDAL, GESTURE_DOUBLE_TAP, s,
		     B(CONTROL_REPEAT));
		BIND(m, INPUT_ROLE_PEDAL, GESTURE_HOLD, s, B(CONTROL_PAUSE));
	}
	BIND(m, INPUT_ROLE_NEXT, GESTURE_HOLD, INPUT_SESSION_RESTING,
	     B(CONTROL_MORE_REST));
	BIND(m, INPUT_ROLE_NEXT, GESTURE_HOLD, INPUT_SESSION_ACTIVE,
	     B(CONTROL_NEXT));

	/* the decoder only waits where waiting means something */
	input_mapping_gesture_config(m, INPUT_ROLE_REPEAT, &cfg);
	CHECK_EQ_INT(cfg.lockout_usec, GESTURE_BUTTON_LOCKOUT_USEC);
	CHECK_EQ_INT(cfg.double_tap_usec, GESTURE_DOUBLE_TAP_USEC);
	CHECK_EQ_INT(cfg.hold_usec, 0);
	input_mapping_gesture_config(m, INPUT_ROLE_NEXT, &cfg);
	CHECK_EQ_INT(cfg.double_tap_usec, 0);
	CHECK_EQ_INT(cfg.hold_usec, GESTURE_HOLD_USEC);
	input_mapping_gesture_config(m, INPUT_ROLE_PEDAL, &cfg);
	CHECK_EQ_INT(cfg.lockout_usec, GESTURE_PEDAL_LOCKOUT_USEC);
	CHECK_EQ_INT(cfg.double_tap_usec, GESTURE_DOUBLE_TAP_USEC);
	CHECK_EQ_INT(cfg.hold_usec, GESTURE_HOLD_USEC);

	/* out of range: nothing */
	BIND(m, INPUT_ROLE_COUNT, GESTURE_TAP, 0, none);
	BIND(m, INPUT_ROLE_START, GESTURE_COUNT, 0, none);
	input_mapping_free(m);
	input_mapping_free(NULL);
}

static void test_overrides(void)
{
	struct input_mapping *m = NULL;
	struct gesture_config cfg;
	char err[256];

	CHECK_EQ_INT(input_mapping_new(&m), 0);
	CHECK_EQ_INT(input_mapping_set(m, "pedal.double-tap", "say-again", err,
				   sizeof(err)), 0);
	CHECK_EQ_INT(err[0], '\0');
	BIND(m, INPUT_ROLE_PEDAL, GESTURE_DOUBLE_TAP, INPUT_SESSION_PAUSED,
	     B(CONTROL_SAY_AGAIN));
	CHECK_EQ_INT(input_mapping_set(m, "next.hold.resting", "none", err,
				   sizeof(err)), 0);
	BIND(m, INPUT_ROLE_NEXT, GESTURE_HOLD, INPUT_SESSION_RESTING,
	     ((struct input_binding){ 0 }));
	BIND(m, INPUT_ROLE_NEXT, GESTURE_HOLD, INPUT_SESSION_ACTIVE,
	     B(CONTROL_NEXT));
	CHECK_EQ_INT(input_mapping_set(m, "start.tap.idle", "confirm", err,
				   sizeof(err)), 0);
	BIND(m, INPUT_ROLE_START, GESTURE_TAP, INPUT_SESSION_ACTIVE,
	     ((struct input_binding){ .command = INPUT_COMMAND_CONFIRM }));
	BIND(m, INPUT_ROLE_START, GESTURE_TAP, INPUT_SESSION_PAUSED,
	     B(CONTROL_START));
	/* taking the last meaning off a gesture stops the decoder waiting:
	 * the pedal then taps on its first edge */
	CHECK_EQ_INT(input_mapping_set(m, "pedal.double-tap", "none", err,
				   sizeof(err)), 0);
	CHECK_EQ_INT(input_mapping_set(m, "pedal.hold", "none", err,
				   sizeof(err)), 0);
	input_mapping_gesture_config(m, INPUT_ROLE_PEDAL, &cfg);
	CHECK_EQ_INT(cfg.double_tap_usec, 0);
	CHECK_EQ_INT(cfg.hold_usec, 0);
	CHECK_EQ_INT(input_mapping_set(m, "repeat.hold", "quit", NULL, 0), 0);
	BIND(m, INPUT_ROLE_REPEAT, GESTURE_HOLD, INPUT_SESSION_RESTING,
	     B(CONTROL_QUIT));
	input_mapping_free(m);
}

static void expect_error(const char *key, const char *value,
			 const char *const *must_contain)
{
	struct input_mapping *m = NULL;
	char err[400];
	struct input_binding before, after;

	CHECK_EQ_INT(input_mapping_new(&m), 0);
	before = input_mapping_lookup(m, INPUT_ROLE_PEDAL, GESTURE_TAP, 0);
	CHECK_EQ_INT(input_mapping_set(m, key, value, err, sizeof(err)), -EINVAL);
	after = input_mapping_lookup(m, INPUT_ROLE_PEDAL, GESTURE_TAP, 0);
	CHECK(before.control == after.control);
	for (const char *const *w = must_contain; *w; w++) {
		if (!strstr(err, *w)) {
			fprintf(stderr, "\"%s\" = \"%s\": message lacks \"%s\": %s\n",
				key, value, *w, err);
			check_failures++;
		}
	}
	printf("  %s = %s -> %s\n", key, value, err);
	input_mapping_free(m);
}

static void test_errors(void)
{
	expect_error("pedl.tap", "next", (const char *const[]){
		"\"pedl\"", "did you mean \"pedal\"", "start, next, repeat, pedal",
		NULL });
	expect_error("pedal.doubletap", "next", (const char *const[]){
		"gesture \"doubletap\"", "did you mean \"double-tap\"",
		"tap, double-tap, hold", NULL });
	expect_error("pedal.tap", "nxet", (const char *const[]){
		"action \"nxet\"", "did you mean \"next\"", "say-again",
		"choose-routine", NULL });
	expect_error("pedal.tap", "explode", (const char *const[]){
		"action \"explode\"", "valid actions", NULL });
	/* internal notifications are not actions a user may bind, and
	 * the list of valid actions shows none of them */
	expect_error("next.tap", "pedal-gone", (const char *const[]){
		"action \"pedal-gone\"", "valid actions", NULL });
	expect_error("next.tap", "output-back", (const char *const[]){
		"action \"output-back\"", NULL });
	{
		struct input_mapping *m = NULL;
		char err[400];

		CHECK_EQ_INT(input_mapping_new(&m), 0);
		CHECK_EQ_INT(input_mapping_set(m, "pedal.tap", "pedal-back", err, sizeof(err)), -EINVAL);
		CHECK(strstr(err, "pedal-gone") == NULL && strstr(err, "output-back") == NULL &&
		      strstr(err, "quit") != NULL);
		/* the user's bytes come back escaped, never raw */
		CHECK_EQ_INT(input_mapping_set(m, "pedal.\x1b[2Jtap", "next", err, sizeof(err)), -EINVAL);
		CHECK(strchr(err, 0x1b) == NULL && strstr(err, "\\x1b[2Jtap") != NULL);
		input_mapping_free(m);
	}
	expect_error("pedal.tap.sleeping", "next", (const char *const[]){
		"state \"sleeping\"", "active, resting, paused", NULL });
	expect_error("pedal", "next", (const char *const[]){
		"input.gesture", NULL });
	expect_error("a.b.c.d", "next", (const char *const[]){
		"input.gesture", NULL });
	/* a tiny buffer is truncated, never overrun */
	{
		struct input_mapping *m = NULL;
		char small[8];

		CHECK_EQ_INT(input_mapping_new(&m), 0);
		CHECK_EQ_INT(input_mapping_set(m, "x.tap", "next", small,
					   sizeof(small)), -EINVAL);
		CHECK_EQ_INT(strlen(small), 7);
		input_mapping_free(m);
	}
}

int main(void)
{
	RUN_CASE(test_defaults, ());
	RUN_CASE(test_overrides, ());
	RUN_CASE(test_errors, ());
	return check_done("input_mapping");
}
