/* controls_simulate.c - buttons pressed by a script ("ROLE@SECONDS[:MS]",
 * the --simulate of play and hw-test), fed through the real gesture decoder
 * and mapping as a script backend of the hub: demos, and tests on machines
 * without buttons. Separate from controls.c because it opens nothing: it
 * only turns a script into input edges, with the press-script tokenizer
 * core/press_script.h that render's --press shares. */
#include "input/controls.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/press_script.h"

#define SIMULATED_SECONDS_MAX 86400
#define SIMULATED_PRESSES_MAX 32
#define SIMULATED_PRESS_MS 80

/* Parses spec into edges (room for 2 * SIMULATED_PRESSES_MAX); on -EINVAL
 * says why in why[why_size] (what to write, or which limit was passed). */
static int parse_presses(const char *spec, struct input_edge *edges, size_t *n_edges,
			 char *why, size_t why_size)
{
	struct press_script ps;
	struct press_token t;
	size_t n = 0;
	int r;

	snprintf(why, why_size, "write ROLE@SECONDS[:MS held],... with roles start next repeat pedal");
	if (press_script_init(&ps, spec) < 0) {
		snprintf(why, why_size, "at most %d characters", PRESS_SCRIPT_CHARS_MAX);
		return -EINVAL;
	}
	while ((r = press_script_next(&ps, &t)) != 0) {
		double s = t.seconds, ms = t.has_held ? t.held_ms : SIMULATED_PRESS_MS;
		int role = -1;

		if (r < 0)
			return -EINVAL;
		if (n + 2 > 2 * SIMULATED_PRESSES_MAX) {
			snprintf(why, why_size, "at most %d presses", SIMULATED_PRESSES_MAX);
			return -EINVAL;
		}
		for (int k = 0; k < INPUT_ROLE_COUNT; k++)
			if (strcmp(t.name, input_role_name((enum input_role)k)) == 0)
				role = k;
		if (role < 0 || !(s >= 0 && s <= SIMULATED_SECONDS_MAX) || !(ms > 0 && ms <= 60000))
			return -EINVAL;
		edges[n++] = (struct input_edge){ .kind = INPUT_EDGE_PRESS, .role = role,
						  .at_usec = (input_usec_t)(s * 1e6) };
		edges[n++] = (struct input_edge){ .kind = INPUT_EDGE_RELEASE, .role = role,
						  .at_usec = (input_usec_t)((s + ms / 1000) * 1e6) };
	}
	/* time order, as the script backend wants (insertion sort: few) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && edges[j].at_usec < edges[j - 1].at_usec; j--) {
			struct input_edge e = edges[j];

			edges[j] = edges[j - 1];
			edges[j - 1] = e;
		}
	*n_edges = n;
	return 0;
}

int controls_simulate(struct controls *c, const char *spec)
{
	struct input_edge edges[2 * SIMULATED_PRESSES_MAX];
	struct input_script *script;
	input_usec_t t0 = input_clock_usec();
	size_t n;
	char why[160];
	int r = parse_presses(spec, edges, &n, why, sizeof(why));

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		edges[i].at_usec += t0;
	r = input_script_new(edges, n, &script);
	if (r < 0)
		return r;
	r = controls_add(c, &input_script_ops, script, "simulated");
	return r < 0 ? r : 0;
}

int controls_simulation_check(const char *spec, char *why, size_t why_size)
{
	struct input_edge edges[2 * SIMULATED_PRESSES_MAX];
	size_t n;

	return parse_presses(spec, edges, &n, why, why_size);
}
