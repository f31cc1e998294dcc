/* Unit tests of plan_build: segment order and every action's offset. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "core/plan.h"
#include "core/sequencer.h"
#include "fake_lines.h"
#include "small_fixture.h"
#include "test_routines.h"

static int count_segments(const struct plan *p, enum segment_kind kind, int step)
{
	int n = 0;
	for (int i = 0; i < p->n_segments; i++)
		n += p->segments[i].kind == kind && p->segments[i].step == step;
	return n;
}

static const struct plan_segment *find_work(const struct plan *p, int step, int set, enum side side)
{
	for (int i = 0; i < p->n_segments; i++) {
		const struct plan_segment *s = &p->segments[i];
		if (s->kind == SEG_WORK && s->step == step && s->set == set && s->side == side)
			return s;
	}
	return NULL;
}

static int text_id(const struct plan *p, const char *text)
{
	for (int i = 0; i < p->n_texts; i++)
		if (strcmp(p->texts[i], text) == 0)
			return i;
	return -1;
}

static void test_reps_timing(struct small_fixture *f)
{
	const struct plan *p = &f->plan;
	const struct plan_segment *w = find_work(p, 0, 2, SIDE_NONE);
	frames_t rep = frames_from_s(1 + 2 + 2 + 1); /* lift, top, lower, bottom */
	int lifts = 0, tops = 0, lowers = 0, bottoms = 0, counts = 0;

	CHECK(w != NULL, "work segment of set 2");
	if (!w)
		return;
	CHECK(w->length == 4 * rep + frames_from_ms(600), "length %lld", (long long)w->length);
	for (int i = 0; i < w->n_actions; i++) {
		const struct plan_action *a = &p->actions[w->first_action + i];
		frames_t in_rep = a->at % rep;
		int r = (int)(a->at / rep) + 1;
		if (i > 0)
			CHECK(a->at >= p->actions[w->first_action + i - 1].at, "actions sorted");
		if (a->kind == ACTION_BEEP) {
			switch (a->arg) {
			case TONE_GO: CHECK(a->at == 0, "go at 0"); lifts++; break;
			case TONE_LIFT: CHECK(in_rep == 0, "pull at rep start"); lifts++; break;
			case TONE_TOP: CHECK(in_rep == frames_from_s(1), "hold after 1 s lift"); tops++; break;
			case TONE_LOWER: CHECK(in_rep == frames_from_s(3), "release after 2 s hold"); lowers++; break;
			case TONE_BOTTOM: CHECK(in_rep == frames_from_s(5), "reset after 2 s lower"); bottoms++; break;
			case TONE_END: CHECK(a->at == 4 * rep, "end tone after the last rep"); break;
			default: CHECK(0, "unexpected tone %d", a->arg);
			}
		} else if (a->prio == PRIO_TEMPO) {
			char num[16];
			snprintf(num, sizeof(num), r == 1 ? "Go." : "%d", r);
			CHECK(in_rep == 0 && strcmp(p->texts[a->arg], num) == 0, "count %d at rep start", r);
			counts++;
		} else if (a->prio == PRIO_FORM) {
			const char *t = p->texts[a->arg];
			CHECK((r == 2 && strcmp(t, "Squeeze, set 2 of 2.") == 0) ||
			      (r == 3 && strcmp(t, "Core on.") == 0), "cue '%s' at rep %d", t, r);
		}
	}
	CHECK(lifts == 4 && tops == 4 && lowers == 4 && bottoms == 3 && counts == 4,
	      "beeps %d %d %d %d counts %d", lifts, tops, lowers, bottoms, counts);
}

static void test_hold_timing(struct small_fixture *f)
{
	const struct plan *p = &f->plan;
	const struct plan_segment *left = find_work(p, 1, 1, SIDE_LEFT);
	const struct plan_segment *right = find_work(p, 1, 1, SIDE_RIGHT);
	int breathe = text_id(p, "Breathe, right arm soft.");

	CHECK(left && right && left < right, "left side, then right");
	if (!right)
		return;
	CHECK(right->length == frames_from_s(20) + frames_from_ms(600), "hold length");
	bool saw_cue = false, saw_one = false, saw_reminder = false;
	for (int i = 0; i < right->n_actions; i++) {
		const struct plan_action *a = &p->actions[right->first_action + i];
		if (a->kind == ACTION_SAY && a->arg == breathe)
			saw_cue = a->at == frames_from_s(5);
		if (a->kind == ACTION_SAY && strcmp(p->texts[a->arg], "1") == 0)
			saw_one = a->at == frames_from_s(19) && a->prio == PRIO_COUNTDOWN;
		if (a->kind == ACTION_SAY && strcmp(p->texts[a->arg], "10 seconds left.") == 0)
			saw_reminder = a->at == frames_from_s(10) && a->prio == PRIO_CHATTER;
	}
	CHECK(saw_cue, "cue with {side} expanded at 5 s");
	CHECK(saw_one, "countdown 'one' at 19 s");
	CHECK(saw_reminder, "time left at 10 s");
}

static void test_structure(struct small_fixture *f)
{
	const struct plan *p = &f->plan;

	CHECK(p->segments[0].unit == UNIT_INTRO && p->segments[0].unit_start, "session intro first");
	CHECK(p->segments[p->n_segments - 1].unit == UNIT_END, "end last");
	CHECK(count_segments(p, SEG_COUNTDOWN, 0) == 2, "a countdown per set");
	CHECK(count_segments(p, SEG_COUNTDOWN, 1) == 2, "a countdown per side");
	CHECK(count_segments(p, SEG_REST, 0) == 2, "rest between sets and after the step");
	CHECK(count_segments(p, SEG_REST, 1) == 0, "no rest after the last step");
	CHECK(text_id(p, "Next up: Doorway stretch.") >= 0, "next up line");
	CHECK(text_id(p, "Switch to the right side.") >= 0, "switch line");
	CHECK(text_id(p, "Repeating set 2.") >= 0, "repeat confirmation");
	CHECK(strcmp(p->texts[TEXT_PAUSED], "Paused.") == 0, "fixed texts first");
	for (int i = 0; i < p->n_texts; i++)
		for (int j = i + 1; j < p->n_texts; j++)
			CHECK(strcmp(p->texts[i], p->texts[j]) != 0, "text %d interned once", i);
}

static void test_alternate_and_open(void)
{
	struct routine r;
	struct plan p;

	test_routine_base(&r);
	struct step *s = test_add_step(&r, "Posterior deltoid", STEP_REPS);
	s->sets = 2;
	s->reps = 0;
	s->sides = SIDES_ALTERNATE;
	CHECK(plan_build(&p, &r) == 0, "plan");
	CHECK(find_work(&p, 0, 1, SIDE_LEFT) < find_work(&p, 0, 1, SIDE_RIGHT), "set 1 left first");
	CHECK(find_work(&p, 0, 2, SIDE_RIGHT) < find_work(&p, 0, 2, SIDE_LEFT), "set 2 right first");
	CHECK(find_work(&p, 0, 1, SIDE_LEFT)->open_ended, "open set");
	plan_finish(&p);
	plan_finish(&p); /* finishing twice is allowed */
}

static void test_expand(void)
{
	char out[64];
	struct placeholder_values v = { .rep = 3, .reps = 10, .set = 2, .sets = 4, .seconds = 30,
					.side = SIDE_LEFT, .name = "Rows" };

	plan_expand(out, sizeof(out), "{name}: rep {rep}/{reps}, set {set}/{sets}, {side}, {seconds}s {bogus} {", &v);
	CHECK(strcmp(out, "Rows: rep 3/10, set 2/4, left, 30s {bogus} {") == 0, "got '%s'", out);
	CHECK(plan_expand(out, 8, "{name} and more", &v) == 13, "the whole length is returned");
	CHECK(strcmp(out, "Rows an") == 0, "truncated safely: '%s'", out);
	/* never inside a value nor a UTF-8 character */
	v.name = "Rudern";
	CHECK(plan_expand(out, 8, "ab {name}", &v) == 9 && strcmp(out, "ab ") == 0, "'%s'", out);
	CHECK(plan_expand(out, 6, "abcd\xc3\xa9", &v) == 6 && strcmp(out, "abcd") == 0, "'%s'", out);
}

/* Issue 11 item 11: a line that expands past a plan line is refused, never
 * cut without a word; the loader checks the same bound
 * (plan_expand_longest) so `check` and play/render agree. */
static void test_expand_too_long(void)
{
	static struct routine r;
	struct plan p;
	struct step *st;

	test_routine_small(&r);
	st = &r.steps[0];
	memset(st->name, 'n', ROUTINE_NAME_MAX - 1);
	st->name[ROUTINE_NAME_MAX - 1] = '\0';
	snprintf(st->cues[0].text, sizeof(st->cues[0].text), "{name} {name} {name} {name} {name}");
	CHECK(plan_expand_longest(st->cues[0].text, st) == 5 * 80 + 4, "longest %zu",
	      plan_expand_longest(st->cues[0].text, st));
	CHECK(plan_build(&p, &r) == -EMSGSIZE, "a 404-byte line is refused, not cut");
	plan_finish(&p);
	snprintf(st->cues[0].text, sizeof(st->cues[0].text), "{name} {name} {name} {name}");
	CHECK(plan_build(&p, &r) == 0, "a 323-byte line is fine");
	plan_finish(&p);

	/* eight pieces of equipment with 80-byte names: every name said
	 * whole (they were cut at 399 bytes of "You will need: ...") */
	r.n_equipment = ROUTINE_EQUIPMENT_MAX;
	for (int i = 0; i < r.n_equipment; i++) {
		memset(r.equipment[i], 'a' + i, ROUTINE_NAME_MAX - 1);
		r.equipment[i][ROUTINE_NAME_MAX - 1] = '\0';
	}
	CHECK(plan_build(&p, &r) == 0, "plan with a long equipment list");
	for (int i = 0; i < r.n_equipment; i++) {
		bool said = false;

		for (int t = 0; t < p.n_texts && !said; t++)
			said = strstr(p.texts[t], r.equipment[i]) != NULL;
		CHECK(said, "equipment %d said whole", i);
	}
	plan_finish(&p);
	r.n_equipment = 2;
	snprintf(r.equipment[0], ROUTINE_NAME_MAX, "a band");
	snprintf(r.equipment[1], ROUTINE_NAME_MAX, "a ball");
	CHECK(plan_build(&p, &r) == 0, "plan");
	bool one_line = false;
	for (int t = 0; t < p.n_texts; t++)
		one_line |= strcmp(p.texts[t], "You will need: a band, and a ball.") == 0;
	CHECK(one_line, "a short list is one line");
	plan_finish(&p);
}

/* The one timing model (plan_expected_frames, what `repcue check` prints)
 * against the real sequencer playing the plan with nobody pressing, with
 * speech at the fake lines' rate: they agree to the frame, give or take a
 * block (the test moves the clock a block at a time). */
static void test_expected_length(struct small_fixture *f)
{
	const struct plan *p = &f->plan;
	struct sequencer *seq = &f->seq;
	frames_t want = plan_expected_frames(p, FAKE_FRAMES_PER_CHAR * 1000 / SESSION_RATE_HZ);

	CHECK(want > p->nominal_frames, "the announcements count: %lld more frames",
	      (long long)(want - p->nominal_frames));
	CHECK(plan_expected_frames(p, PLAN_SPEECH_MS_PER_CHAR) > want, "slower speech, longer session");
	seq_init(seq, p, fake_lines_source(&f->lines, p));
	while (!seq->finished && seq->now < frames_from_s(3600)) {
		frames_t done = 0;

		seq_apply_controls(seq);
		while (done < 256) {
			frames_t n = seq_prepare(seq);
			if (n > 256 - done)
				n = 256 - done;
			seq_advance(seq, n);
			done += n;
		}
		seq_take_log(seq, (struct seq_log_entry[SEQ_LOG_MAX]){ 0 }, SEQ_LOG_MAX);
	}
	CHECK(seq->finished, "the session ends");
	CHECK(seq->now >= want && seq->now <= want + 256, "played %.3f s, the model says %.3f s",
	      seq->now / (double)SESSION_RATE_HZ, want / (double)SESSION_RATE_HZ);
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
	RUN_SMALL(test_structure);
	RUN_SMALL(test_reps_timing);
	RUN_SMALL(test_hold_timing);
	RUN_SMALL(test_expected_length);
	RUN_CASE(test_alternate_and_open, ());
	RUN_CASE(test_expand, ());
	RUN_CASE(test_expand_too_long, ());
	return check_done("core.plan");
}
