/* worst_routine.h - generates, as YAML text, the routine the loader
 * accepts that has the most distinct spoken lines: WORST_STEPS steps at
 * every limit, 16 `every: 1` cues per step whose placeholders make every
 * line of every rep, set and side distinct (about 48 000 lines). Used by
 * tests/routine/test_plan_scale.c and bench/bench_plan.c. */
#ifndef REPCUE_TESTS_WORST_ROUTINE_H
#define REPCUE_TESTS_WORST_ROUTINE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/routine.h"

/* Steps at every limit that fit in a session of ROUTINE_SESSION_MAX_S:
 * each lasts about 1 hour 17 minutes (10 sets of 50 reps of 4 s, each
 * side), so a fourth passes 4 hours and the loader refuses it. With 32
 * (the step limit) it had half a million lines, over 41 hours. */
#define WORST_STEPS 3

/* A growing buffer of text; release buf with free(). */
struct worst_text {
	char *buf;
	size_t len, cap;
};

static inline void worst_put(struct worst_text *t, const char *s)
{
	size_t n = strlen(s);
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->buf = realloc(t->buf, t->cap);
		if (!t->buf)
			abort();
	}
	memcpy(t->buf + t->len, s, n + 1);
	t->len += n;
}

/* A 240-byte line of text ending in the placeholders that change with
 * every rep, set and side, so every cue of every rep is a distinct line. */
static inline void worst_line(char *out, size_t size, int step, int cue)
{
	const char *tail = " {rep} {set} {side}";
	int head = 240 - (int)strlen(tail);
	int n = snprintf(out, size, "Step %d cue %d ", step, cue);
	for (; n < head; n++)
		out[n] = "keep the shoulders low "[n % 23];
	snprintf(out + n, size - (size_t)n, "%s", tail);
}

static inline void worst_routine(struct worst_text *t)
{
	char line[512], buf[1024];

	worst_put(t, "repcue: 1\nname: Worst case\nlevel: 1\nvoice: coach\n"
	       "defaults: {rest_between_sets: 0, rest_between_steps: 0, countdown: 10, tempo: 1-1-1-1}\n"
	       "steps:\n");
	for (int s = 0; s < WORST_STEPS; s++) {
		snprintf(buf, sizeof(buf),
			 "  - name: Step %d\n    kind: reps\n    sets: %d\n    reps: %d\n"
			 "    sides: left-right\n    intro:\n",
			 s, ROUTINE_SETS_MAX, ROUTINE_REPS_MAX);
		worst_put(t, buf);
		for (int i = 0; i < ROUTINE_INTRO_MAX; i++) {
			worst_line(line, sizeof(line), s, 100 + i);
			snprintf(buf, sizeof(buf), "      - \"%s\"\n", line);
			worst_put(t, buf);
		}
		worst_put(t, "    cues:\n");
		for (int c = 0; c < ROUTINE_CUES_MAX; c++) {
			worst_line(line, sizeof(line), s, c);
			snprintf(buf, sizeof(buf), "      - {every: 1, say: \"%s\"}\n", line);
			worst_put(t, buf);
		}
	}
}

#endif
