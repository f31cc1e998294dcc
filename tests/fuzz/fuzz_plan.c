/* fuzz_plan - libFuzzer target: plan building. Any bytes the routine
 * loader accepts are compiled into a plan; the plan must be consistent
 * (every action inside its segment's range, every said text a printable
 * single line, lengths positive), and the sequencer must walk it to its
 * end with speech that is always ready (tests/core/fake_lines.h). A plan
 * that takes long to build or walk shows as a libFuzzer timeout. */
#include <stddef.h>
#include <stdint.h>

#include "core/sequencer.h"
#include "fake_lines.h"
#include "fuzz_common.h"
#include "routine/routine_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct routine routine;
static struct diag_list diags;
static struct fake_lines lines;
static struct sequencer seq;
static struct seq_log_entry log_buf[SEQ_LOG_MAX];

static void check_plan(const struct plan *p)
{
	FUZZ_REQUIRE(p->n_segments > 0 && p->n_texts >= TEXT_FIXED_COUNT, "%d segments, %d texts",
		     p->n_segments, p->n_texts);
	for (int t = 0; t < p->n_texts; t++) {
		fuzz_printable("spoken line", p->texts[t]);
		FUZZ_REQUIRE(p->texts[t][0] != '\0', "empty spoken line %d", t);
	}
	int next = 0;
	for (int s = 0; s < p->n_segments; s++) {
		const struct plan_segment *g = &p->segments[s];
		FUZZ_REQUIRE(g->first_action == next && g->n_actions >= 0 &&
				     g->first_action + g->n_actions <= p->n_actions,
			     "segment %d actions %d+%d of %d", s, g->first_action, g->n_actions, p->n_actions);
		next = g->first_action + g->n_actions;
		FUZZ_REQUIRE(g->length >= 0, "segment %d length %lld", s, (long long)g->length);
		FUZZ_REQUIRE(g->repeat_text < p->n_texts, "segment %d repeat text %d", s, g->repeat_text);
		for (int a = g->first_action; a < next; a++) {
			const struct plan_action *x = &p->actions[a];
			FUZZ_REQUIRE(x->at >= 0 && (g->kind == SEG_SPEECH || x->at <= g->length),
				     "action %d at %lld in segment %d of %lld", a, (long long)x->at, s,
				     (long long)g->length);
			FUZZ_REQUIRE(x->kind != ACTION_SAY || (x->arg >= 0 && x->arg < p->n_texts),
				     "action %d says text %d of %d", a, x->arg, p->n_texts);
			if (a > g->first_action)
				FUZZ_REQUIRE(x->at >= p->actions[a - 1].at, "actions of segment %d out of order", s);
		}
	}
	FUZZ_REQUIRE(next == p->n_actions, "%d actions, segments cover %d", p->n_actions, next);
}

/* The session, as the engine runs it: 256-frame blocks. */
static void walk(const struct plan *p)
{
	seq_init(&seq, p, fake_lines_source(&lines, p));
	while (!seq.finished && seq.now < frames_from_s(7 * 3600)) {
		frames_t done = 0;

		seq_apply_controls(&seq);
		while (done < 256) {
			frames_t run = seq_prepare(&seq);
			if (run > 256 - done)
				run = 256 - done;
			seq_advance(&seq, run);
			done += run;
		}
		seq_take_log(&seq, log_buf, SEQ_LOG_MAX);
	}
	FUZZ_REQUIRE(seq.finished, "the session did not end in 7 h (at segment %d of %d)", seq.seg,
		     p->n_segments);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan plan;
	int ret = routine_parse(FUZZ_NAME, (const char *)data, size, &routine, &diags);

	fuzz_check_diags(ret, &diags);
	if (ret != 0)
		return 0;
	FUZZ_REQUIRE(plan_build(&plan, &routine) == 0, "plan_build failed on a valid routine");
	check_plan(&plan);
	walk(&plan);
	plan_finish(&plan);
	return 0;
}
