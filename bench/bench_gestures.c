/* bench_gestures - edge-to-action delay of every gesture under the default
 * mapping. Pure computation: synthetic presses go through the real gesture
 * decoder configured by input_mapping_gesture_config(), so the figures are
 * exact and the same on any machine.
 *
 * Per role, three scripts (times from the first press edge):
 *   tap         press 0 ms, release TAP_MS
 *   double-tap  press 0, release TAP_MS, press GAP_MS, release GAP_MS + TAP_MS
 *   hold        press 0, release HOLD_PRESS_MS
 * and for each gesture the decoder reports: when it became certain and its
 * delay from the edge that started it (the second press for a double tap). */
#include <stdio.h>
#include <string.h>

#include "input/gesture.h"
#include "input/mapping.h"

#define TAP_MS 100
#define GAP_MS 250
#define HOLD_PRESS_MS 1200
#define T0_USEC 1000000 /* any start; the decoder only uses differences */

struct edge_script {
	const char *name;
	int n;
	struct { bool pressed; int at_ms; } edges[4];
};

static const struct edge_script scripts[] = {
	{ "tap", 2, { { true, 0 }, { false, TAP_MS } } },
	{ "double-tap", 4, { { true, 0 }, { false, TAP_MS }, { true, GAP_MS }, { false, GAP_MS + TAP_MS } } },
	{ "hold", 2, { { true, 0 }, { false, HOLD_PRESS_MS } } },
};

static const char *binding_name(struct input_binding b)
{
	if (b.command != INPUT_COMMAND_NONE)
		return input_command_name(b.command);
	return b.control == CONTROL_NONE ? "(none)" : control_action_name(b.control);
}

/* Ticks the decoder through its deadlines up to `until` and prints every
 * gesture it reports. */
static int drain(struct gesture_decoder *dec, const struct input_mapping *map, enum input_role role,
		 const char *script, input_usec_t until, int *row)
{
	for (;;) {
		struct gesture_event ev;
		while (gesture_next_event(dec, &ev)) {
			struct input_binding active = input_mapping_lookup(map, role, ev.kind, INPUT_SESSION_ACTIVE);
			struct input_binding resting = input_mapping_lookup(map, role, ev.kind, INPUT_SESSION_RESTING);
			char action[64];
			if (memcmp(&active, &resting, sizeof(active)) == 0)
				snprintf(action, sizeof(action), "%s", binding_name(active));
			else
				snprintf(action, sizeof(action), "%s (resting: %s)", binding_name(active),
					 binding_name(resting));
			printf("  %-8s %-11s -> %-10s at %5lld ms  delay %5lld ms  %s\n", (*row)++ ? "" : input_role_name(role),
			       script, gesture_kind_name(ev.kind), (long long)(ev.at_usec - T0_USEC) / 1000,
			       (long long)ev.delay_usec / 1000, action);
		}
		input_usec_t d = gesture_next_deadline(dec);
		if (d == INPUT_NO_DEADLINE || d > until)
			return 0;
		if (gesture_tick(dec, d) < 0)
			return -1;
	}
}

static int run_role(const struct input_mapping *map, enum input_role role)
{
	struct gesture_config cfg;
	int row = 0;

	input_mapping_gesture_config(map, role, &cfg);
	printf("%s: lockout %lld ms, double-tap window %s%lld ms, hold %s%lld ms\n", input_role_name(role),
	       (long long)cfg.lockout_usec / 1000, cfg.double_tap_usec ? "" : "off ",
	       (long long)cfg.double_tap_usec / 1000, cfg.hold_usec ? "" : "off ",
	       (long long)cfg.hold_usec / 1000);
	for (size_t s = 0; s < sizeof(scripts) / sizeof(scripts[0]); s++) {
		struct gesture_decoder *dec;
		if (gesture_decoder_new(1, &cfg, &dec) < 0)
			return -1;
		for (int i = 0; i < scripts[s].n; i++) {
			input_usec_t at = T0_USEC + (input_usec_t)scripts[s].edges[i].at_ms * 1000;
			if (drain(dec, map, role, scripts[s].name, at, &row) < 0 ||
			    gesture_feed(dec, 0, scripts[s].edges[i].pressed, at) < 0) {
				gesture_decoder_free(dec);
				return -1;
			}
		}
		int r = drain(dec, map, role, scripts[s].name, INPUT_NO_DEADLINE - 1, &row);
		gesture_decoder_free(dec);
		if (r < 0)
			return -1;
	}
	return 0;
}

int main(void)
{
	struct input_mapping *map;
	char err[256];

	if (input_mapping_new(&map) < 0)
		return 1;
	printf("scripts: tap = %d ms press; double-tap = two %d ms presses %d ms apart; hold = %d ms press\n"
	       "delay = from the edge that starts the gesture to the action (the second press for a double tap)\n\n",
	       TAP_MS, TAP_MS, GAP_MS, HOLD_PRESS_MS);
	printf("default mapping:\n");
	for (int r = 0; r < INPUT_ROLE_COUNT; r++)
		if (run_role(map, (enum input_role)r) < 0)
			goto fail;
	/* No default role has a tap alone; this override shows that case. */
	if (input_mapping_set(map, "next.hold", "none", err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_gestures: %s\n", err);
		goto fail;
	}
	printf("\nwith next.hold = none (a tap-only input):\n");
	if (run_role(map, INPUT_ROLE_NEXT) < 0)
		goto fail;
	input_mapping_free(map);
	return 0;
fail:
	input_mapping_free(map);
	return 1;
}
