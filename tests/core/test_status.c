/* Unit test of the status line (core/status.c) on a fake clock: a rest
 * lengthened by more-rest counts down to 0 s and never below (issue 11
 * item 10: it showed "Rest: -13 s left"). */
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "core/status.h"
#include "fake_lines.h"
#include "small_fixture.h"
#include "test_routines.h"

#define BLOCK 256

/* Runs the session; presses more-rest twice, 2 s and 4 s into the first
 * rest when rest_start >= 0; returns the first rest's start frame. */
static frames_t run(struct small_fixture *f, frames_t rest_start)
{
	const struct plan *p = &f->plan;
	const struct routine *r = &f->routine;
	struct sequencer *seq = &f->seq;
	frames_t first_rest = -1;
	int last_shown = -1, rests_seen = 0, extended = 0;
	bool in_rest = false;
	char line[256];

	seq_init(seq, p, fake_lines_source(&f->lines, p));
	if (rest_start >= 0) {
		seq_push_control(seq, (struct control_event){ CONTROL_MORE_REST,
							      rest_start + frames_from_s(2) });
		seq_push_control(seq, (struct control_event){ CONTROL_MORE_REST,
							      rest_start + frames_from_s(4) });
	}
	while (!seq->finished && seq->now < frames_from_s(3600)) {
		struct seq_status st;
		frames_t done = 0;

		seq_apply_controls(seq);
		seq_get_status(seq, &st);
		status_format(r, p, &st, line, sizeof(line));
		CHECK(strchr(line, '-') == NULL, "at %.3f s: '%s'", seq->now / (double)SESSION_RATE_HZ, line);
		CHECK(st.seg_left >= 0, "seg_left %lld", (long long)st.seg_left);
		if (st.segment < p->n_segments && p->segments[st.segment].kind == SEG_REST) {
			int shown = atoi(line + strlen("Rest: "));

			CHECK(strncmp(line, "Rest: ", 6) == 0, "'%s'", line);
			if (!in_rest) {
				in_rest = true;
				rests_seen++;
				if (first_rest < 0)
					first_rest = seq->now;
			} else if (shown > last_shown) {
				/* only more-rest may add time, 15 s at a press (14 when
				 * the whole second shown ticked over in the same block) */
				CHECK(shown - last_shown >= SEQ_MORE_REST_S - 1 && shown - last_shown <= SEQ_MORE_REST_S,
				      "%d s after %d s", shown, last_shown);
				extended++;
			}
			last_shown = shown;
		} else if (in_rest) {
			CHECK(last_shown <= 1, "a rest ended showing %d s left", last_shown);
			in_rest = false;
		}
		while (done < BLOCK) {
			frames_t n = seq_prepare(seq);
			if (n > BLOCK - done)
				n = BLOCK - done;
			seq_advance(seq, n);
			done += n;
		}
		seq_take_log(seq, (struct seq_log_entry[SEQ_LOG_MAX]){ 0 }, SEQ_LOG_MAX);
	}
	CHECK(seq->finished, "session finished");
	CHECK(rests_seen >= 2, "rests seen: %d", rests_seen);
	if (rest_start >= 0)
		CHECK(extended == 2, "the rest was extended twice, shown %d times", extended);
	return first_rest;
}

/* The plain session: every rest counts down to 0 s, never below. */
static void test_rests_count_down(struct small_fixture *f)
{
	CHECK(run(f, -1) > 0, "a rest in the plan");
}

/* The first rest lengthened twice by more-rest (its start found by a
 * plain run first) still counts down to 0 s and never below. */
static void test_more_rest(struct small_fixture *f)
{
	frames_t rest = run(f, -1);

	CHECK(rest > 0, "a rest in the plan");
	run(f, rest);
}

/* A case on the small routine's plan, made inside the case (its checks
 * count in it) and freed after. */
#define RUN_SMALL(fn)                                                              \
	do {                                                                       \
		struct small_fixture *f_ = NULL;                                   \
		RUN_CASE(fn, (f_ = small_fixture_new()));                          \
		small_fixture_free(f_);                                            \
	} while (0)

int main(void)
{
	RUN_SMALL(test_rests_count_down);
	RUN_SMALL(test_more_rest);
	return check_done("test_status");
}
