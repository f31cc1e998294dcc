/* controls_trouble.c - the configured inputs that did not open: as data
 * for the lobby and problems.txt (controls_problems), and opened again at
 * each lobby and every few seconds (controls_retry). Beside controls.c,
 * which opens them; both know struct controls (controls_internal.h). */
#include "input/controls.h"
#include "input/controls_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int controls_failed(const struct controls *c)
{
	return c ? c->n_failed : 0;
}

int controls_retry(struct controls *c, FILE *log)
{
	struct failure before[DEVICE_CONFIG_INPUTS_MAX];
	int n_before, opened = 0;

	if (!c)
		return -EINVAL;
	/* the failures that may pass are taken out and opened again; one
	 * that fails again is recorded again, quietly: it was logged once */
	n_before = c->n_failed;
	memcpy(before, c->failures, sizeof(before));
	c->n_failed = 0;
	for (int i = 0; i < n_before; i++) {
		bool reopened = false;   /* opening its device again records it again */

		for (int j = 0; j < n_before; j++)
			reopened |= before[j].retry && before[j].problem.role == INPUT_ROLE_PEDAL &&
				c->cfg.inputs[before[j].input].kind == DEVICE_INPUT_EVDEV &&
				c->cfg.inputs[before[i].input].kind == DEVICE_INPUT_EVDEV &&
				strcmp(c->cfg.inputs[before[j].input].device,
				       c->cfg.inputs[before[i].input].device) == 0;
		if (!before[i].retry && !reopened)
			c->failures[c->n_failed++] = before[i];
	}
	for (int i = 0; i < n_before; i++) {
		int active = controls_active(c), r;

		if (!before[i].retry)
			continue;
		r = controls_open_input(c, before[i].input, NULL);
		if (r < 0)
			return r;
		if (controls_active(c) > active) {
			/* the new slot is the last; a pedal path that is gone now is waited for */
			bool up = c->slots[c->n_slots - 1].state == SLOT_UP;

			opened++;
			if (log) {
				fprintf(log, "%s: %s %s\n", before[i].label, before[i].problem.input,
					up ? "works now" : "is not plugged in; waiting for it");
				fflush(log);
			}
		}
	}
	return opened;
}

int controls_problems(const struct controls *c, struct controls_problem *out, int max)
{
	int n = 0;

	for (int i = 0; c && i < c->n_failed && n < max; i++)
		out[n++] = c->failures[i].problem;
	for (int i = 0; c && i < c->n_slots && n < max; i++) {
		const struct slot *s = &c->slots[i];

		if (s->kind != SLOT_EVDEV || (s->state != SLOT_WAITING && s->state != SLOT_GONE))
			continue;
		out[n] = (struct controls_problem){ .role = INPUT_ROLE_PEDAL, .trouble = CONTROLS_NOT_PLUGGED_IN };
		snprintf(out[n].input, sizeof(out[n].input), "%s", c->cfg.inputs[s->input].device);
		n++;
	}
	return n;
}
