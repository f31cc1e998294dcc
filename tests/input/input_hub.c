/* Hub: script backends through poll-style dispatch into mapped actions,
 * with the session state applied when an action is taken; status
 * reports; a failing backend is dropped without stopping the others. */
#include <errno.h>
#include <string.h>

#include "../lib/harness.h"
#include "input/input.h"

#define MS 1000

static struct input_edge press(enum input_role r, input_usec_t t)
{
	return (struct input_edge){ .kind = INPUT_EDGE_PRESS, .role = r,
				    .at_usec = t };
}

static struct input_edge release(enum input_role r, input_usec_t t)
{
	return (struct input_edge){ .kind = INPUT_EDGE_RELEASE, .role = r,
				    .at_usec = t };
}

/* Runs the hub like the main loop, with a virtual clock that jumps to
 * each deadline, until nothing is left or `until`. */
static int run(struct input_hub *hub, input_usec_t until,
	       enum input_session_state state, struct input_action *acts,
	       int max)
{
	int n = 0;
	input_usec_t now = 0;

	for (;;) {
		struct pollfd fds[INPUT_HUB_MAX_BACKENDS];
		int nfds = input_hub_pollfds(hub, fds, INPUT_HUB_MAX_BACKENDS);
		input_usec_t d = input_hub_deadline(hub);

		CHECK(nfds >= 0);
		if (d == INPUT_NO_DEADLINE || d > until)
			break;
		if (d > now)
			now = d;
		/* the timeout poll() would get is never late */
		CHECK(input_hub_timeout_ms(hub, now - 1500) >= 1);
		CHECK_EQ_INT(input_hub_dispatch(hub, fds, 0, now), 0);
		while (n < max && input_hub_next_action(hub, state, &acts[n]))
			n++;
	}
	return n;
}

/* A backend that fails on its first read. */
static int broken_fd(void *ctx)
{
	(void)ctx;
	return -1;
}

static int broken_read(void *ctx, input_usec_t now, struct input_edge *out,
		       int max)
{
	(void)ctx;
	(void)now;
	(void)out;
	(void)max;
	return -EIO;
}

static input_usec_t broken_deadline(void *ctx)
{
	(void)ctx;
	return 4500 * MS;
}

/* ctx: the case's count of closes (an int) */
static void broken_close(void *ctx)
{
	(*(int *)ctx)++;
}

static const struct input_ops broken_ops = {
	.name = "broken",
	.fd = broken_fd,
	.read = broken_read,
	.deadline = broken_deadline,
	.close = broken_close,
};

static void test_pedal_and_buttons(void)
{
	struct input_mapping *map = NULL;
	struct input_hub *hub = NULL;
	struct input_script *pedal = NULL, *buttons = NULL;
	struct input_action a[16];
	const struct input_edge pedal_edges[] = {
		/* tap, then (after the window) a double tap, then a hold */
		press(INPUT_ROLE_PEDAL, 1000 * MS),
		release(INPUT_ROLE_PEDAL, 1120 * MS),
		press(INPUT_ROLE_PEDAL, 2000 * MS),
		release(INPUT_ROLE_PEDAL, 2100 * MS),
		press(INPUT_ROLE_PEDAL, 2250 * MS),
		release(INPUT_ROLE_PEDAL, 2350 * MS),
		press(INPUT_ROLE_PEDAL, 3000 * MS),
		release(INPUT_ROLE_PEDAL, 4000 * MS),
	};
	const struct input_edge button_edges[] = {
		press(INPUT_ROLE_NEXT, 1500 * MS),
		{ .kind = INPUT_EDGE_DISCONNECTED, .at_usec = 1600 * MS },
		{ .kind = INPUT_EDGE_CONNECTED, .at_usec = 2600 * MS },
		{ .kind = INPUT_EDGE_ACTION, .action = CONTROL_QUIT,
		  .at_usec = 5000 * MS },
	};
	int n, broken_closed = 0;

	CHECK_EQ_INT(input_mapping_new(&map), 0);
	CHECK_EQ_INT(input_hub_new(map, &hub), 0);
	CHECK_EQ_INT(input_script_new(pedal_edges, 8, &pedal), 0);
	CHECK_EQ_INT(input_script_new(button_edges, 4, &buttons), 0);
	CHECK_EQ_INT(input_hub_add(hub, &input_script_ops, pedal, "pedal"), 0);
	CHECK_EQ_INT(input_hub_add(hub, &input_script_ops, buttons, "buttons"), 1);
	CHECK_EQ_INT(input_hub_add(hub, &broken_ops, &broken_closed, NULL), 2);

	n = run(hub, INT64_MAX / 2, INPUT_SESSION_ACTIVE, a, 16);
	CHECK_EQ_INT(n, 7);
	if (n == 7) {
		CHECK_EQ_INT(a[0].control, CONTROL_NEXT);      /* pedal tap */
		CHECK_EQ_INT(a[0].at_usec, 1400 * MS);
		CHECK_EQ_INT(a[0].delay_usec, 400 * MS);
		CHECK(strcmp(a[0].source, "pedal") == 0);
		CHECK(a[0].from_gesture);
		CHECK_EQ_INT(a[1].status, INPUT_STATUS_DISCONNECTED);
		CHECK(strcmp(a[1].source, "buttons") == 0);
		CHECK_EQ_INT(a[2].control, CONTROL_REPEAT);    /* pedal double */
		CHECK_EQ_INT(a[2].at_usec, 2300 * MS);
		CHECK_EQ_INT(a[3].status, INPUT_STATUS_CONNECTED);
		CHECK_EQ_INT(a[4].control, CONTROL_PAUSE);     /* pedal hold */
		CHECK_EQ_INT(a[4].at_usec, 3700 * MS);
		CHECK_EQ_INT(a[5].status, INPUT_STATUS_FAILED);
		CHECK_EQ_INT(a[5].error, -EIO);
		CHECK(strcmp(a[5].source, "broken") == 0);
		CHECK_EQ_INT(a[6].control, CONTROL_QUIT);      /* direct key */
		CHECK(!a[6].from_gesture);
	}
	/* the next press cut off by the disconnect never became anything */
	CHECK_EQ_INT(broken_closed, 1);
	CHECK_EQ_INT(input_hub_timeout_ms(hub, 0), -1);
	input_hub_free(hub);
	CHECK_EQ_INT(broken_closed, 1);
	input_mapping_free(map);
}

/* The state that counts is the one when the action is taken. */
static void test_state_at_pop(void)
{
	struct input_mapping *map = NULL;
	struct input_hub *hub = NULL;
	struct input_script *s = NULL;
	struct input_action a[4];
	const struct input_edge e[] = {
		press(INPUT_ROLE_NEXT, 1000 * MS),
		release(INPUT_ROLE_NEXT, 2000 * MS),
		press(INPUT_ROLE_REPEAT, 3000 * MS),
		release(INPUT_ROLE_REPEAT, 3050 * MS),
	};
	char err[200];

	CHECK_EQ_INT(input_mapping_new(&map), 0);
	CHECK_EQ_INT(input_hub_new(map, &hub), 0);
	CHECK_EQ_INT(input_script_new(e, 4, &s), 0);
	CHECK_EQ_INT(input_hub_add(hub, &input_script_ops, s, NULL), 0);
	/* repeat's hold means nothing and repeat.tap is unbound in rest:
	 * skipped */
	CHECK_EQ_INT(input_mapping_set(map, "repeat.tap.resting", "none", err,
				   sizeof(err)), 0);
	CHECK_EQ_INT(run(hub, INT64_MAX / 2, INPUT_SESSION_RESTING, a, 4), 1);
	CHECK_EQ_INT(a[0].control, CONTROL_MORE_REST);
	CHECK_EQ_INT(a[0].role, INPUT_ROLE_NEXT);
	CHECK_EQ_INT(a[0].gesture, GESTURE_HOLD);
	input_hub_free(hub);
	input_mapping_free(map);
}

static void test_timing_and_limits(void)
{
	struct input_mapping *map = NULL;
	struct input_hub *hub = NULL;
	struct gesture_config bad = { 0, 0, 0 };
	struct gesture_config slow = { 30 * MS, 600 * MS, 1000 * MS };
	struct input_action a[4];
	const struct input_edge e[] = {
		press(INPUT_ROLE_START, 1000 * MS),
		release(INPUT_ROLE_START, 1100 * MS),
	};
	struct input_script *s = NULL;
	const struct input_edge unsorted[] = {
		press(INPUT_ROLE_START, 2), press(INPUT_ROLE_START, 1),
	};

	CHECK_EQ_INT(input_mapping_new(&map), 0);
	CHECK_EQ_INT(input_hub_new(map, &hub), 0);
	CHECK_EQ_INT(input_hub_set_timing(hub, INPUT_ROLE_START, &bad), -EINVAL);
	CHECK_EQ_INT(input_hub_set_timing(hub, INPUT_ROLE_START, &slow), 0);
	CHECK_EQ_INT(input_script_new(e, 2, &s), 0);
	CHECK_EQ_INT(input_hub_add(hub, &input_script_ops, s, "start"), 0);
	/* start has no double-tap meaning: the tap comes on the settled
	 * release, whatever window the timing asks for */
	CHECK_EQ_INT(run(hub, INT64_MAX / 2, INPUT_SESSION_ACTIVE, a, 4), 1);
	CHECK_EQ_INT(a[0].control, CONTROL_START);
	CHECK_EQ_INT(a[0].at_usec, 1130 * MS);
	CHECK_EQ_INT(input_script_new(unsorted, 2, &s), -EINVAL);
	for (int i = 1; i < INPUT_HUB_MAX_BACKENDS; i++) {
		CHECK_EQ_INT(input_script_new(NULL, 0, &s), 0);
		CHECK_EQ_INT(input_hub_add(hub, &input_script_ops, s, "null"), i);
	}
	CHECK_EQ_INT(input_script_new(NULL, 0, &s), 0);
	CHECK_EQ_INT(input_hub_add(hub, &input_script_ops, s, "one too many"),
		 -ENOSPC);
	{
		struct pollfd fds[2];

		CHECK_EQ_INT(input_hub_pollfds(hub, fds, 2), -ENOSPC);
	}
	input_hub_free(hub);
	input_hub_free(NULL);
	input_mapping_free(map);
	CHECK(input_clock_usec() > 0);
}

int main(void)
{
	RUN_CASE(test_pedal_and_buttons, ());
	RUN_CASE(test_state_at_pop, ());
	RUN_CASE(test_timing_and_limits, ());
	return check_done("input_hub");
}
