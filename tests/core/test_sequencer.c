/* Unit tests of the sequencer: a fake clock (blocks of 256 frames, as the
 * engine runs it), fake speech of known lengths, scripted control events. */
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "core/sequencer.h"
#include "fake_lines.h"
#include "test_routines.h"

#define BLOCK 256
#define LOG_CAP 20000

struct run {
	struct seq_log_entry log[LOG_CAP];
	int n;
	frames_t length;
};

/* Speech that is late: no line is ready in [late_from, late_to) (session
 * frames), and `never` (a text id, or -1) is never ready, as when the
 * synthesizer falls behind. Open by default. */
struct gate {
	frames_t late_from, late_to;
	int never;
};

/* What a case works on, made fresh for it (fixture_new, fixture_small)
 * and freed after it, so that any case can run alone or in any order: the
 * plan, the fake speech and its gate, the sequencer, and two runs (base:
 * the plain session; other: the case's own). */
struct fixture {
	struct routine routine;
	struct plan plan;
	struct fake_lines lines;
	struct gate gate;
	int lobby_text; /* run_session waits in the lobby when >= 0 */
	struct sequencer seq;
	struct run base, other;
};

/* The gate stands for a source that cannot give a line (its synthesis
 * failed: -ENOENT), which holds nothing: the line waits in the queue until
 * its deadline. A line still being made (-EAGAIN) holds the timeline
 * instead; fake_lines' slow_text plays that part. */
static int gated_get(void *ctx, int text, struct line_audio *out)
{
	struct fixture *f = ctx;

	if (text == f->gate.never || (f->seq.now >= f->gate.late_from && f->seq.now < f->gate.late_to))
		return -ENOENT;
	return fake_get(&f->lines, text, out);
}

/* Runs a whole session the way the engine does and keeps its log. */
static void run_session(struct fixture *f, const struct control_event *presses, int n_presses,
			int not_ready, struct run *out)
{
	struct sequencer *seq = &f->seq;

	f->lines.not_ready_until_get = not_ready;
	f->lines.gets = 0;
	seq_init(seq, &f->plan, fake_lines_source(&f->lines, &f->plan));
	seq->lines = (struct line_source){ .ctx = f, .get = gated_get };
	if (f->lobby_text >= 0)
		seq_wait_in_lobby(seq, f->lobby_text);
	for (int i = 0; i < n_presses; i++)
		seq_push_control(seq, presses[i]);
	out->n = 0;
	while (!seq->finished && seq->now < frames_from_s(3600)) {
		frames_t done = 0;
		seq_apply_controls(seq);
		while (done < BLOCK) {
			frames_t run = seq_prepare(seq);
			if (run > BLOCK - done)
				run = BLOCK - done;
			seq_advance(seq, run);
			done += run;
		}
		out->n += seq_take_log(seq, out->log + out->n, LOG_CAP - out->n);
	}
	out->length = seq->now;
	CHECK(seq->finished, "session finished (at %lld)", (long long)seq->now);
	CHECK(seq->log_dropped == 0, "log complete");
}

static frames_t line_frames(const struct plan *p, int text)
{
	return (frames_t)strlen(p->texts[text]) * FAKE_FRAMES_PER_CHAR;
}

static bool is_word_start(const struct plan *p, int text, frames_t offset)
{
	const char *t = p->texts[text];
	for (int i = 0; t[i]; i++)
		if (t[i] == ' ' && (frames_t)(i + 1) * FAKE_FRAMES_PER_CHAR == offset)
			return true;
	return false;
}

static int find_text(const struct plan *p, const char *text)
{
	for (int i = 0; i < p->n_texts; i++)
		if (strcmp(p->texts[i], text) == 0)
			return i;
	return -1;
}

/* One voice at a time, cuts only at word boundaries, timed segments last
 * exactly their planned length, beeps land on their planned frame. */
static void check_timeline(const struct plan *p, const struct run *r, bool pressed)
{
	frames_t voice_start = -1, voice_end = -1;
	int voice_text = -1;
	int seg = -1;
	frames_t seg_start = 0;
	int next_beep = 0;

	for (int i = 0; i < r->n; i++) {
		const struct seq_log_entry *e = &r->log[i];
		switch (e->kind) {
		case LOG_SAY:
			CHECK(e->at >= voice_end, "line %d starts at %lld before the last ends at %lld",
			      e->arg, (long long)e->at, (long long)voice_end);
			voice_start = e->at;
			voice_end = e->at + line_frames(p, e->arg);
			voice_text = e->arg;
			break;
		case LOG_CUT:
			CHECK(e->arg == voice_text && is_word_start(p, e->arg, e->at - voice_start),
			      "'%s' cut at %lld frames, not a word boundary", p->texts[e->arg],
			      (long long)(e->at - voice_start));
			voice_end = e->at;
			break;
		case LOG_SEGMENT:
			if (seg >= 0 && !pressed) {
				const struct plan_segment *s = &p->segments[seg];
				if (s->kind != SEG_SPEECH)
					CHECK(e->at - seg_start == s->length, "segment %d lasted %lld, planned %lld",
					      seg, (long long)(e->at - seg_start), (long long)s->length);
				else
					CHECK(e->at >= voice_end + s->length, "speech segment %d ends after its speech", seg);
				int missed = -1;
				for (int a = next_beep; a < s->first_action + s->n_actions; a++)
					if (p->actions[a].kind == ACTION_BEEP && missed < 0)
						missed = a;
				CHECK(missed < 0, "segment %d beeps all sounded (action %d, %s at %lld, did not)",
				      seg, missed, missed < 0 ? "" : tone_name((enum tone)p->actions[missed].arg),
				      missed < 0 ? 0LL : (long long)p->actions[missed].at);
			}
			seg = e->arg;
			seg_start = e->at;
			next_beep = p->segments[seg].first_action;
			break;
		case LOG_BEEP:
			if (pressed)
				break;
			while (next_beep < p->segments[seg].first_action + p->segments[seg].n_actions &&
			       p->actions[next_beep].kind != ACTION_BEEP)
				next_beep++;
			CHECK(p->actions[next_beep].arg == e->arg &&
			      e->at == seg_start + p->actions[next_beep].at,
			      "beep %s at %lld, planned %s at %lld", tone_name((enum tone)e->arg),
			      (long long)e->at, tone_name((enum tone)p->actions[next_beep].arg),
			      (long long)(seg_start + p->actions[next_beep].at));
			next_beep++;
			break;
		default:
			break;
		}
	}
}

static const struct seq_log_entry *find(const struct run *r, enum seq_log_kind kind, int arg, frames_t after)
{
	for (int i = 0; i < r->n; i++)
		if (r->log[i].kind == kind && r->log[i].arg == arg && r->log[i].at >= after)
			return &r->log[i];
	return NULL;
}

static int count(const struct run *r, enum seq_log_kind kind, frames_t from, frames_t to)
{
	int n = 0;
	for (int i = 0; i < r->n; i++)
		n += r->log[i].kind == kind && r->log[i].at >= from && r->log[i].at < to;
	return n;
}

static frames_t segment_start(const struct run *r, int seg, int nth)
{
	for (int i = 0; i < r->n; i++)
		if (r->log[i].kind == LOG_SEGMENT && r->log[i].arg == seg && nth-- == 0)
			return r->log[i].at;
	return -1;
}

static int first_segment(const struct plan *p, enum segment_kind kind, int step, int set)
{
	for (int i = 0; i < p->n_segments; i++)
		if (p->segments[i].kind == kind && p->segments[i].step == step && p->segments[i].set == set)
			return i;
	return -1;
}

/* An empty fixture: speech always ready, the gate open, no lobby. */
static struct fixture *fixture_new(void)
{
	struct fixture *f = FIXTURE_CALLOC(sizeof(*f));

	f->lines.slow_text = -1;
	f->gate.never = -1;
	f->lobby_text = -1;
	return f;
}

/* The small routine's plan and its plain session in base, the run most
 * cases compare theirs with. */
static struct fixture *fixture_small(void)
{
	struct fixture *f = fixture_new();

	test_routine_small(&f->routine);
	REQUIRE(plan_build(&f->plan, &f->routine) == 0, "plan_build");
	run_session(f, NULL, 0, 0, &f->base);
	return f;
}

static void fixture_free(struct fixture *f)
{
	if (!f)
		return;
	plan_finish(&f->plan);
	free(f);
}

static void test_plain(struct fixture *f)
{
	const struct plan *p = &f->plan;

	/* base: the fixture's plain run */
	check_timeline(p, &f->base, false);
	run_session(f, NULL, 0, 0, &f->other);
	CHECK(f->other.n == f->base.n &&
	      memcmp(f->other.log, f->base.log, sizeof(f->base.log[0]) * (size_t)f->base.n) == 0,
	      "two runs give the same session");
	CHECK(find(&f->base, LOG_END, 0, 0) != NULL, "end logged");
}

static void test_pause(struct fixture *f)
{
	const struct plan *p = &f->plan;
	int work = first_segment(p, SEG_WORK, 0, 1);
	frames_t at = segment_start(&f->base, work, 0) + frames_from_ms(2500);
	struct control_event presses[] = {
		{ CONTROL_PAUSE, at }, { CONTROL_PAUSE, at + frames_from_s(10) },
	};

	run_session(f, presses, 2, 0, &f->other);
	check_timeline(p, &f->other, true);
	const struct seq_log_entry *pe = find(&f->other, LOG_CONTROL, CONTROL_PAUSE, at);
	CHECK(pe && pe->at - at < BLOCK && pe->at % BLOCK == 0, "pause applied at the next block start");
	const struct seq_log_entry *said = find(&f->other, LOG_SAY, TEXT_PAUSED, at);
	CHECK(said && said->at - pe->at < frames_from_ms(600), "'Paused.' said within a word");
	const struct seq_log_entry *resumed = find(&f->other, LOG_SAY, TEXT_RESUMING, at + frames_from_s(10));
	CHECK(resumed != NULL, "'Resuming.' said");
	if (said && resumed) {
		frames_t quiet_until = resumed->at + line_frames(p, TEXT_RESUMING);
		CHECK(count(&f->other, LOG_BEEP, said->at, quiet_until) == 0, "no beeps while paused");
		CHECK(count(&f->other, LOG_BEEP, quiet_until, quiet_until + frames_from_s(6)) > 0,
		      "beeps again after resuming");
	}
	CHECK(count(&f->other, LOG_BEEP, 0, f->other.length) >= count(&f->base, LOG_BEEP, 0, f->base.length),
	      "no beat lost to the pause");
	CHECK(f->other.length > f->base.length + frames_from_s(10), "the pause lengthens the session");
}

static void test_next_and_repeat(struct fixture *f)
{
	const struct plan *p = &f->plan;
	int work1 = first_segment(p, SEG_WORK, 0, 1);
	int rest1 = first_segment(p, SEG_REST, 0, 0);
	frames_t in_work = segment_start(&f->base, work1, 0) + frames_from_s(3);
	struct control_event next[] = { { CONTROL_NEXT, in_work } };

	run_session(f, next, 1, 0, &f->other);
	check_timeline(p, &f->other, true);
	CHECK(find(&f->other, LOG_SAY, TEXT_NEXT, in_work) != NULL, "'Skipping ahead.' said");
	const struct seq_log_entry *rest = find(&f->other, LOG_SEGMENT, rest1, 0);
	CHECK(rest && rest->at - in_work < BLOCK, "next jumps straight to the rest");

	frames_t in_rest = segment_start(&f->base, rest1, 0) + frames_from_s(5);
	struct control_event repeat[] = { { CONTROL_REPEAT, in_rest } };
	run_session(f, repeat, 1, 0, &f->other);
	check_timeline(p, &f->other, true);
	int repeating = find_text(p, "Repeating set 1.");
	CHECK(repeating >= 0 && find(&f->other, LOG_SAY, repeating, in_rest) != NULL, "'Repeating set 1.' said");
	CHECK(segment_start(&f->other, work1, 1) > in_rest, "set 1 worked again");
	CHECK(find(&f->other, LOG_SAY, find_text(p, "Set 1 of 2."), in_rest) == NULL,
	      "the confirmation replaces the set announcement");

	struct control_event more[] = { { CONTROL_MORE_REST, in_rest } };
	run_session(f, more, 1, 0, &f->other);
	frames_t start = segment_start(&f->other, rest1, 0), end = segment_start(&f->other, rest1 + 1, 0);
	CHECK(end - start == p->segments[rest1].length + frames_from_s(15), "rest 15 s longer");
	CHECK(find(&f->other, LOG_SAY, TEXT_MORE_REST, in_rest) != NULL, "more rest confirmed");
}

static void test_open_set_done(struct fixture *f)
{
	struct routine *r = &f->routine;
	const struct plan *p = &f->plan;

	test_routine_base(r);
	struct step *s = test_add_step(r, "Pull-aparts", STEP_REPS);
	s->reps = 0;
	plan_build(&f->plan, r);
	int work = first_segment(p, SEG_WORK, 0, 1);
	run_session(f, NULL, 0, 0, &f->base);
	frames_t at = segment_start(&f->base, work, 0) + frames_from_s(12);
	struct control_event done[] = { { CONTROL_DONE, at } };
	run_session(f, done, 1, 0, &f->other);
	CHECK(find(&f->other, LOG_SAY, TEXT_DONE, at) != NULL, "'Done.' ends the open set");
	CHECK(f->other.length < f->base.length - frames_from_s(60), "and the session moves on");
}

static void test_priority_cut(struct fixture *f)
{
	struct routine *r = &f->routine;
	const struct plan *p = &f->plan;

	test_routine_base(r);
	struct step *s = test_add_step(r, "Rows", STEP_REPS);
	s->reps = 3;
	s->tempo = (struct tempo){ 1, 0, 1, 1 }; /* 3 s reps */
	s->n_cues = 1;
	s->cues[0] = (struct cue){ .trigger = CUE_AT_REP, .n = 1 };
	/* 80 characters: 4.8 s, longer than the rep, so count "2" must cut it */
	snprintf(s->cues[0].text, sizeof(s->cues[0].text),
		 "Keep your shoulders down and your elbows close, and squeeze at the top of it.");
	plan_build(&f->plan, r);
	run_session(f, NULL, 0, 0, &f->base);
	check_timeline(p, &f->base, false);
	int cue = find_text(p, s->cues[0].text), two = find_text(p, "2");
	const struct seq_log_entry *cut = find(&f->base, LOG_CUT, cue, 0);
	int work = first_segment(p, SEG_WORK, 0, 1);
	frames_t rep2 = segment_start(&f->base, work, 0) + frames_from_s(3);
	const struct seq_log_entry *said = find(&f->base, LOG_SAY, two, rep2);
	CHECK(cut != NULL, "the form cue gives way to the count");
	CHECK(said && said->at >= rep2 && said->at - rep2 < frames_from_ms(500), "count 2 said within a word of its beat");
}

static void test_not_ready(struct fixture *f)
{
	const struct plan *p = &f->plan;

	run_session(f, NULL, 0, 40, &f->other);
	CHECK(find(&f->other, LOG_END, 0, 0) != NULL, "a session with slow speech still completes");
	CHECK(find(&f->other, LOG_SAY, find_text(p, "Test routine."), 0) != NULL, "and says its first line");
	/* and leaves nothing behind in the fake speech: a plain run after it is
	 * the plain session (what a second plain case checked when the cases
	 * shared their speech and runs) */
	run_session(f, NULL, 0, 0, &f->other);
	check_timeline(p, &f->other, false);
	CHECK(f->other.n == f->base.n &&
	      memcmp(f->other.log, f->base.log, sizeof(f->base.log[0]) * (size_t)f->base.n) == 0,
	      "a plain run after the slow one gives the plain session");
}

/* Issue 10 item 1: a pause stops the line at once (one block plus the
 * fade), and resuming says it again from its start after "Resuming.". The
 * line is picked from the plain run: the first line of a set longer than
 * 0.5 s that is said to its end. */
static void test_resume_after_pause(struct fixture *f)
{
	const struct plan *p = &f->plan;
	int text = -1, seg = -1;
	frames_t said = 0;

	for (int i = 0; i < f->base.n && text < 0; i++) {
		const struct seq_log_entry *e = &f->base.log[i];
		if (e->kind == LOG_SEGMENT)
			seg = e->arg;
		else if (e->kind == LOG_SAY && seg >= 0 && p->segments[seg].unit == UNIT_BOUT &&
			 line_frames(p, e->arg) > frames_from_ms(500) && !find(&f->base, LOG_CUT, e->arg, e->at)) {
			text = e->arg;
			said = e->at;
		}
	}
	CHECK(text >= 0, "a line of a set to press pause in");
	if (text < 0)
		return;
	frames_t press = said + line_frames(p, text) / 2 + 77, resume = press + frames_from_s(10);
	struct control_event presses[] = { { CONTROL_PAUSE, press }, { CONTROL_PAUSE, resume } };

	run_session(f, presses, 2, 0, &f->other);
	const struct seq_log_entry *stop = find(&f->other, LOG_STOP, text, said);
	CHECK(stop && stop->at - press <= BLOCK + SEQ_FADE_FRAMES,
	      "'%s' stopped within a block and the fade of the press", p->texts[text]);
	const struct seq_log_entry *paused = find(&f->other, LOG_SAY, TEXT_PAUSED, press);
	CHECK(paused && stop && paused->at == stop->at, "'Paused.' right after");
	const struct seq_log_entry *resumed = find(&f->other, LOG_SAY, TEXT_RESUMING, resume);
	CHECK(resumed && resumed->at - resume <= BLOCK, "'Resuming.' on the second press");
	if (!resumed)
		return;
	frames_t after = resumed->at + line_frames(p, TEXT_RESUMING);
	const struct seq_log_entry *again = find(&f->other, LOG_SAY, text, resumed->at);
	CHECK(again && again->at == after, "'%s' said again as soon as 'Resuming.' ends", p->texts[text]);
	CHECK(count(&f->other, LOG_SAY, resumed->at + 1, after) == 0, "nothing else in between");
	if (!again)
		return;
	/* From its start, to its end: nothing else starts before it is through. */
	CHECK(count(&f->other, LOG_SAY, again->at + 1, again->at + line_frames(p, text)) == 0 &&
	      !find(&f->other, LOG_STOP, text, again->at) && !find(&f->other, LOG_CUT, text, again->at),
	      "and said whole, from its start");
	CHECK(find(&f->other, LOG_END, 0, 0) != NULL, "the session runs to its end");
}

/* Item 3: a line not synthesized yet holds the timeline between lines and
 * says so once; nothing is cut and the session's beeps keep their place
 * relative to each f->other. */
static void test_wait_between_lines(struct fixture *f)
{
	const struct plan *p = &f->plan;
	/* The first count of a set (a line with a 250 ms deadline) is not
	 * there for 20 looks, about 0.1 s. */
	int seg = -1, slow = -1;
	for (int i = 0; i < f->base.n && slow < 0; i++) {
		if (f->base.log[i].kind == LOG_SEGMENT)
			seg = f->base.log[i].arg;
		else if (f->base.log[i].kind == LOG_SAY && p->segments[seg].kind == SEG_WORK)
			slow = f->base.log[i].arg;
	}
	CHECK(slow >= 0, "a line said during work");
	f->lines.slow_text = slow;
	f->lines.slow_gets = 400;
	run_session(f, NULL, 0, 0, &f->other);
	f->lines.slow_text = -1;
	int waits = count(&f->other, LOG_WAIT, 0, f->other.length);
	CHECK(waits == 1 && find(&f->other, LOG_WAIT, slow, 0), "the wait is in the log once (%d)", waits);
	const struct seq_log_entry *w = find(&f->other, LOG_WAIT, slow, 0);
	const struct seq_log_entry *said = w ? find(&f->other, LOG_SAY, slow, w->at) : NULL;
	CHECK(said && said->at - w->at > frames_from_ms(250), "a real wait, longer than the line's deadline");
	CHECK(count(&f->other, LOG_DROP, 0, f->other.length) == count(&f->base, LOG_DROP, 0, f->base.length),
	      "no line dropped for being late");
	CHECK(count(&f->other, LOG_SAY, 0, f->other.length) == count(&f->base, LOG_SAY, 0, f->base.length),
	      "every line said");
}

static int count_arg(const struct run *r, enum seq_log_kind kind, int arg, frames_t from, frames_t to);

/* A line that is never made (the source answers -EAGAIN for ever: a
 * stuck speech thread) holds the timeline for SEQ_WAIT_MAX_FRAMES, no
 * longer: then it is dropped and the session goes on to its end, every
 * other line and beep in place, later by exactly the wait. */
static void test_wait_is_bounded(struct fixture *f)
{
	const struct plan *p = &f->plan;
	int seg = -1, slow = -1;
	frames_t due = -1;
	for (int i = 0; i < f->base.n && slow < 0; i++) {
		if (f->base.log[i].kind == LOG_SEGMENT)
			seg = f->base.log[i].arg;
		else if (f->base.log[i].kind == LOG_SAY && p->segments[seg].kind == SEG_WORK &&
			 count_arg(&f->base, LOG_SAY, f->base.log[i].arg, 0, f->base.length) == 1) {
			slow = f->base.log[i].arg;
			due = f->base.log[i].at;
		}
	}
	CHECK(slow >= 0, "a line said once, during work");
	f->lines.slow_text = slow;
	f->lines.slow_gets = 1 << 30;
	run_session(f, NULL, 0, 0, &f->other);
	f->lines.slow_text = -1;
	f->lines.slow_gets = 0;
	const struct seq_log_entry *w = find(&f->other, LOG_WAIT, slow, 0);
	const struct seq_log_entry *drop = w ? find(&f->other, LOG_DROP, slow, w->at) : NULL;
	CHECK(w && w->at == due, "the wait begins when the line is due (%lld, %lld)",
	      w ? (long long)w->at : -1LL, (long long)due);
	CHECK(drop && drop->at - w->at >= SEQ_WAIT_MAX_FRAMES &&
	      drop->at - w->at <= SEQ_WAIT_MAX_FRAMES + 2 * BLOCK,
	      "it is dropped after SEQ_WAIT_MAX_FRAMES (%lld frames)",
	      drop && w ? (long long)(drop->at - w->at) : -1LL);
	CHECK(find(&f->other, LOG_END, 0, 0) != NULL, "the session still ends");
	CHECK(count(&f->other, LOG_BEEP, 0, f->other.length) == count(&f->base, LOG_BEEP, 0, f->base.length),
	      "every beep sounded");
	CHECK(count(&f->other, LOG_SAY, 0, f->other.length) == count(&f->base, LOG_SAY, 0, f->base.length) - 1,
	      "every other line said");
	frames_t shift = drop && w ? drop->at - w->at : 0;
	CHECK(f->other.length >= f->base.length + shift - 2 * BLOCK &&
	      f->other.length <= f->base.length + shift + 2 * BLOCK,
	      "the session is longer by the wait only (%lld, %lld + %lld)", (long long)f->other.length,
	      (long long)f->base.length, (long long)shift);
}

static void test_pedal_notes(struct fixture *f)
{
	const struct plan *p = &f->plan;
	struct control_event presses[] = {
		{ CONTROL_PEDAL_GONE, frames_from_s(30) }, { CONTROL_PEDAL_BACK, frames_from_s(50) },
	};
	run_session(f, presses, 2, 0, &f->other);
	check_timeline(p, &f->other, true);
	const struct seq_log_entry *gone = find(&f->other, LOG_SAY, TEXT_PEDAL_GONE, frames_from_s(30));
	const struct seq_log_entry *back = find(&f->other, LOG_SAY, TEXT_PEDAL_BACK, frames_from_s(50));
	CHECK(gone && gone->at - frames_from_s(30) < frames_from_s(2), "'Pedal disconnected.' said");
	CHECK(back && back->at - frames_from_s(50) < frames_from_s(2), "'Pedal connected.' said");
	CHECK(count(&f->other, LOG_BEEP, 0, f->other.length) == count(&f->base, LOG_BEEP, 0, f->base.length),
	      "and the session goes on as before");
}

/* Issue 11 item 8: the sound device coming back while the user has paused
 * must not resume the session; the user's next press resumes it. */
static void test_output_back_while_paused(struct fixture *f)
{
	const struct plan *p = &f->plan;
	int work = first_segment(p, SEG_WORK, 0, 1);
	frames_t at = segment_start(&f->base, work, 0) + frames_from_ms(2500);
	frames_t back = at + frames_from_s(3), resume = at + frames_from_s(10);
	struct control_event presses[] = {
		{ CONTROL_PAUSE, at }, { CONTROL_OUTPUT_BACK, back }, { CONTROL_PAUSE, resume },
	};

	run_session(f, presses, 3, 0, &f->other);
	const struct seq_log_entry *ob = find(&f->other, LOG_CONTROL, CONTROL_OUTPUT_BACK, back);
	CHECK(ob != NULL, "output-back applied");
	CHECK(count(&f->other, LOG_SAY, at, resume) == 1 && find(&f->other, LOG_SAY, TEXT_PAUSED, at) &&
	      find(&f->other, LOG_SAY, TEXT_PAUSED, at)->at < back,
	      "only 'Paused.' said between the pause and the user's resume press");
	CHECK(count(&f->other, LOG_BEEP, at, resume) == 0, "no beeps while paused, output back or not");
	const struct seq_log_entry *resumed = find(&f->other, LOG_SAY, TEXT_RESUMING, 0);
	CHECK(resumed && resumed->at >= resume && resumed->at - resume < frames_from_ms(600),
	      "'Resuming.' said on the user's press, not when the output came back");
	CHECK(find(&f->other, LOG_SAY, TEXT_PAUSED, back) == NULL,
	      "the second press resumed (it did not pause a session the output had un-paused)");
	CHECK(f->other.length > f->base.length + frames_from_s(10) - BLOCK &&
	      f->other.length < f->base.length + frames_from_s(11),
	      "the session is longer by the paused time only (%lld vs %lld)",
	      (long long)f->other.length, (long long)f->base.length);

	/* Not paused: the output coming back says "Resuming." and goes on. */
	struct control_event lost[] = { { CONTROL_OUTPUT_BACK, back } };
	run_session(f, lost, 1, 0, &f->other);
	resumed = find(&f->other, LOG_SAY, TEXT_RESUMING, back);
	CHECK(resumed && resumed->at - back < frames_from_ms(600), "'Resuming.' after the output came back");
	CHECK(find(&f->other, LOG_SAY, TEXT_PAUSED, 0) == NULL, "and the session is not paused");
	CHECK(find(&f->other, LOG_END, 0, 0) != NULL, "and runs to its end");
}

static void test_lobby(struct fixture *f)
{
	struct plan *p = &f->plan;

	f->lobby_text = plan_intern(p, "Test routine. Press start when you are ready.");
	CHECK(f->lobby_text >= 0 && plan_intern(p, p->texts[f->lobby_text]) == f->lobby_text, "interned once");
	struct control_event presses[] = {
		{ CONTROL_SAY_AGAIN, frames_from_s(6) }, { CONTROL_START, frames_from_s(20) },
	};
	run_session(f, presses, 2, 0, &f->other);
	int text = f->lobby_text, said = 0;
	f->lobby_text = -1;
	for (int i = 0; i < f->other.n; i++)
		said += f->other.log[i].kind == LOG_SAY && f->other.log[i].arg == text;
	CHECK(said == 2, "the lobby line said at once and again on say-again (%d)", said);
	const struct seq_log_entry *first = find(&f->other, LOG_SEGMENT, 1, 0);
	CHECK(first && first->at >= frames_from_s(20) && first->at - frames_from_s(20) < frames_from_s(30),
	      "nothing moves until start");
	CHECK(count(&f->other, LOG_BEEP, 0, frames_from_s(20)) == 0, "no beeps in the lobby");
	CHECK(f->other.length - frames_from_s(20) >= f->base.length - BLOCK &&
	      f->other.length - frames_from_s(20) <= f->base.length + frames_from_s(1),
	      "then the whole session runs as without the lobby");
}


static int count_arg(const struct run *r, enum seq_log_kind kind, int arg, frames_t from, frames_t to)
{
	int n = 0;
	for (int i = 0; i < r->n; i++)
		n += r->log[i].kind == kind && r->log[i].arg == arg && r->log[i].at >= from && r->log[i].at < to;
	return n;
}

/* The first ACTION_SAY of a segment with the given priority, or -1. */
static int first_say(const struct plan *p, int seg, enum speech_priority prio)
{
	const struct plan_segment *s = &p->segments[seg];
	for (int a = s->first_action; a < s->first_action + s->n_actions; a++)
		if (p->actions[a].kind == ACTION_SAY && p->actions[a].prio == prio)
			return a;
	return -1;
}

/* A form cue that is still waiting for the voice (here: never
 * synthesized) when its segment ends belongs to what has passed: it is
 * dropped at the segment's end, never said later, and the session goes on
 * exactly as planned. */
static void test_late_line_dropped(struct fixture *f)
{
	const struct plan *p = &f->plan;
	int core = find_text(p, "Core on.");
	int work = -1;

	for (int i = 0; i < p->n_segments && work < 0; i++)
		for (int a = p->segments[i].first_action;
		     a < p->segments[i].first_action + p->segments[i].n_actions; a++)
			if (p->actions[a].kind == ACTION_SAY && p->actions[a].arg == core)
				work = i;
	CHECK(core >= 0 && work >= 0, "the routine has the cue 'Core on.' in a segment");
	if (work < 0)
		return;
	f->gate.never = core;
	run_session(f, NULL, 0, 0, &f->other);
	f->gate.never = -1;
	check_timeline(p, &f->other, false);
	frames_t end = segment_start(&f->other, work + 1, 0);
	const struct seq_log_entry *drop = find(&f->other, LOG_DROP, core, 0);
	CHECK(drop && drop->at == end, "the unsaid cue dropped when its segment ends (at %lld, segment ends %lld)",
	      drop ? (long long)drop->at : -1LL, (long long)end);
	CHECK(count_arg(&f->other, LOG_SAY, core, 0, f->other.length) == 0, "and never said after");
	CHECK(f->other.length == f->base.length, "the session lasts as planned (%lld, %lld)", (long long)f->other.length,
	      (long long)f->base.length);
	CHECK(count(&f->other, LOG_BEEP, 0, f->other.length) == count(&f->base, LOG_BEEP, 0, f->base.length),
	      "every beep sounded");
}

/* A countdown line that cannot be said on its beat (speech not ready) is
 * dropped once 250 ms late, inside its segment, not said late. */
static void test_deadline_drop(struct fixture *f)
{
	const struct plan *p = &f->plan;
	int cd = -1, action = -1;

	for (int i = 0; i < p->n_segments && action < 0; i++)
		if (p->segments[i].kind == SEG_COUNTDOWN) {
			cd = i;
			action = first_say(p, i, PRIO_COUNTDOWN);
		}
	CHECK(action >= 0, "the plan has a spoken countdown");
	if (action < 0)
		return;
	int text = p->actions[action].arg;
	frames_t due = segment_start(&f->base, cd, 0) + p->actions[action].at;

	/* late by a second: nothing is ready from its beat on, for 1 s */
	f->gate.late_from = due;
	f->gate.late_to = due + frames_from_s(1);
	run_session(f, NULL, 0, 0, &f->other);
	f->gate.late_from = f->gate.late_to = 0;
	check_timeline(p, &f->other, false);
	const struct seq_log_entry *drop = find(&f->other, LOG_DROP, text, due);
	CHECK(drop != NULL, "the late countdown line '%s' dropped", p->texts[text]);
	if (drop)
		CHECK(drop->at >= due + frames_from_ms(250) && drop->at <= due + frames_from_ms(250) + 2 * BLOCK,
		      "once 250 ms late (%lld frames after its beat)", (long long)(drop->at - due));
	CHECK(count_arg(&f->other, LOG_SAY, text, due, due + frames_from_s(1) + BLOCK) == 0,
	      "and not said late");
	CHECK(find(&f->other, LOG_END, 0, 0) != NULL, "the session still ends");
}

/* More waiting lines than the queue holds (speech is late, so nothing is
 * said): the oldest line of the lowest priority makes room; a new line of
 * lower priority than everything waiting is the one dropped. Then the
 * confirmations that can no longer be said in time (3 s) are dropped on
 * their deadline, not said late. */
static void test_queue_eviction(struct fixture *f)
{
	const struct plan *p = &f->plan;
	int work2 = first_segment(p, SEG_WORK, 0, 2);
	frames_t work2_at = segment_start(&f->base, work2, 0);
	/* the countdown's "1" is due 1 s before set 2 */
	frames_t at = (work2_at - frames_from_s(1)) / BLOCK * BLOCK;
	frames_t at2 = at + 4 * BLOCK;
	struct control_event presses[SEQ_PENDING_MAX + 1];
	int one = find_text(p, "1");

	CHECK(work2 >= 0 && one >= 0, "the plan has a second set and a countdown");
	/* 15 confirmations; the "1" due then makes 16; two more a moment later */
	for (int i = 0; i <= SEQ_PENDING_MAX; i++)
		presses[i] = (struct control_event){ i % 2 ? CONTROL_PEDAL_BACK : CONTROL_PEDAL_GONE,
						     i < SEQ_PENDING_MAX - 1 ? at : at2 };
	f->gate.late_from = at;
	f->gate.late_to = work2_at + BLOCK; /* nothing said until set 2 has begun */
	run_session(f, presses, SEQ_PENDING_MAX + 1, 0, &f->other);
	f->gate.late_from = f->gate.late_to = 0;
	check_timeline(p, &f->other, true);
	CHECK(count(&f->other, LOG_DROP, at, at2) == 0, "sixteen lines fit");
	const struct seq_log_entry *count_drop = find(&f->other, LOG_DROP, one, at);
	CHECK(count_drop && count_drop->at == at2, "the count, the lowest priority waiting, makes room first");
	int evicted = 0;
	for (int i = 0; i < f->other.n; i++) {
		const struct seq_log_entry *e = &f->other.log[i];
		evicted += e->kind == LOG_DROP && e->at == at2 &&
			   (e->arg == TEXT_PEDAL_GONE || e->arg == TEXT_PEDAL_BACK);
	}
	const struct seq_log_entry *first_drop = find(&f->other, LOG_DROP, TEXT_PEDAL_GONE, at);
	CHECK(evicted == 1 && first_drop && first_drop->at == at2,
	      "then the oldest confirmation, for the seventeenth (%d evicted)", evicted);
	frames_t w2 = segment_start(&f->other, work2, 0);
	int opening = p->segments[work2].first_action;
	while (opening < p->n_actions - 1 && p->actions[opening].kind != ACTION_SAY)
		opening++;
	CHECK(p->actions[opening].kind == ACTION_SAY && p->actions[opening].at == 0 &&
	      p->actions[opening].prio < PRIO_CONTROL, "set 2 opens with a line");
	const struct seq_log_entry *refused = find(&f->other, LOG_DROP, p->actions[opening].arg, w2);
	CHECK(refused && refused->at == w2,
	      "'%s', due as set 2 begins with the queue full of confirmations, is dropped at once",
	      p->texts[p->actions[opening].arg]);
	int said = 0, late = 0;
	for (int i = 0; i < f->other.n; i++) {
		const struct seq_log_entry *e = &f->other.log[i];
		bool confirmation = e->arg == TEXT_PEDAL_GONE || e->arg == TEXT_PEDAL_BACK;
		said += e->kind == LOG_SAY && e->at >= at && confirmation;
		late += e->kind == LOG_DROP && e->at >= at + frames_from_s(3) && confirmation;
	}
	CHECK(said >= 1 && said + late + evicted == SEQ_PENDING_MAX + 1,
	      "every confirmation said or dropped once (%d said, %d dropped late, %d evicted)", said, late,
	      evicted);
	CHECK(late > 0, "confirmations past their 3 s are dropped, not said late");
	CHECK(find(&f->other, LOG_END, 0, 0) != NULL, "the session still ends");
}

/* Four voices for beeps. Four start together; the first, short, ends and
 * its voice takes a fifth; a sixth finds all four busy and replaces the
 * one nearest its end (the oldest, in voice 1), and every beep is logged.
 * A plan made by hand: no routine has beeps this close. */
static void test_all_beeps_busy(struct fixture *f)
{
	enum { N = SEQ_BEEPS_MAX + 2 };
	static char texts[TEXT_FIXED_COUNT][PLAN_TEXT_MAX];
	static const struct { frames_t at; enum tone tone; } beeps[N] = {
		{ 0, TONE_BOTTOM }, { 64, TONE_END }, { 128, TONE_END }, { 192, TONE_END },
		{ 2600, TONE_LIFT }, { 2700, TONE_GO },
	};
	struct plan_segment seg = {
		.kind = SEG_WORK, .unit = UNIT_BOUT, .unit_start = true, .step = 0, .set = 1,
		.length = frames_from_s(1), .first_action = 0, .n_actions = N, .repeat_text = -1,
	};
	struct plan_action actions[N];
	struct plan p = { .segments = &seg, .n_segments = 1, .actions = actions, .n_actions = N,
			  .texts = texts, .n_texts = TEXT_FIXED_COUNT };
	struct sequencer *seq = &f->seq;
	struct seq_log_entry log[SEQ_LOG_MAX];
	int logged = 0;

	CHECK(SEQ_BEEPS_MAX == 4 && tone_length(TONE_BOTTOM) < 2600 && tone_length(TONE_END) > 2700,
	      "the scenario fits the beep voices and lengths");
	for (int i = 0; i < TEXT_FIXED_COUNT; i++)
		snprintf(texts[i], sizeof(texts[i]), "Line %d.", i);
	for (int i = 0; i < N; i++)
		actions[i] = (struct plan_action){ .at = beeps[i].at, .kind = ACTION_BEEP, .arg = beeps[i].tone };
	seq_init(seq, &p, fake_lines_source(&f->lines, &p));
	while (seq->now < beeps[N - 1].at) {
		frames_t run = seq_prepare(seq);
		seq_advance(seq, run < beeps[N - 1].at - seq->now ? run : beeps[N - 1].at - seq->now);
		int n = seq_take_log(seq, log, SEQ_LOG_MAX);
		for (int i = 0; i < n; i++)
			logged += log[i].kind == LOG_BEEP;
	}
	seq_prepare(seq);
	int n = seq_take_log(seq, log, SEQ_LOG_MAX);
	for (int i = 0; i < n; i++)
		logged += log[i].kind == LOG_BEEP;
	CHECK(logged == N, "all six beeps started (%d)", logged);
	CHECK(seq->beeps[0].active && seq->beeps[0].tone == TONE_LIFT && seq->beeps[0].pos == 100,
	      "the fifth plays in the first beep's voice");
	CHECK(seq->beeps[1].active && seq->beeps[1].tone == TONE_GO && seq->beeps[1].pos == 0,
	      "the sixth replaced the oldest, in voice 1 (tone %d at %lld)", seq->beeps[1].tone,
	      (long long)seq->beeps[1].pos);
	CHECK(seq->beeps[2].tone == TONE_END && seq->beeps[2].pos == 2700 - 128 && seq->beeps[3].tone == TONE_END &&
	      seq->beeps[3].pos == 2700 - 192, "the other two play on");
}

/* The output came back mid-session (CONTROL_OUTPUT_BACK, not paused): the line
 * being said is cut at a word, "Resuming." is said, nothing moves until it
 * is, and no beat is lost. */
static void test_resume_after_recovery(struct fixture *f)
{
	const struct plan *p = &f->plan;
	int work = first_segment(p, SEG_WORK, 0, 1);
	frames_t at = segment_start(&f->base, work, 0) + frames_from_s(4);
	struct control_event presses[] = { { CONTROL_OUTPUT_BACK, at } };

	run_session(f, presses, 1, 0, &f->other);
	check_timeline(p, &f->other, true);
	const struct seq_log_entry *c = find(&f->other, LOG_CONTROL, CONTROL_OUTPUT_BACK, at);
	const struct seq_log_entry *said = find(&f->other, LOG_SAY, TEXT_RESUMING, at);
	CHECK(c && c->arg2 == 1, "the resume acted on");
	CHECK(said && said->at - at < frames_from_ms(600), "'Resuming.' said within a word");
	if (said) {
		frames_t quiet_until = said->at + line_frames(p, TEXT_RESUMING);
		CHECK(count(&f->other, LOG_BEEP, said->at, quiet_until) == 0, "no beeps over 'Resuming.'");
	}
	CHECK(count(&f->other, LOG_BEEP, 0, f->other.length) == count(&f->base, LOG_BEEP, 0, f->base.length),
	      "no beat lost");
	CHECK(f->other.length >= f->base.length + line_frames(p, TEXT_RESUMING) - BLOCK,
	      "the session waits for the line (%lld vs %lld)", (long long)f->other.length, (long long)f->base.length);

	/* The user's resume press: pause, then start (either button resumes). */
	struct control_event user[] = { { CONTROL_PAUSE, at }, { CONTROL_START, at + frames_from_s(5) } };
	run_session(f, user, 2, 0, &f->other);
	check_timeline(p, &f->other, true);
	said = find(&f->other, LOG_SAY, TEXT_RESUMING, at + frames_from_s(5));
	CHECK(said && said->at - (at + frames_from_s(5)) < frames_from_ms(600), "start resumes a paused session");
	CHECK(count(&f->other, LOG_BEEP, 0, f->other.length) >= count(&f->base, LOG_BEEP, 0, f->base.length),
	      "and no beat is lost");
}

/* say-again during the session repeats the last form cue as a
 * confirmation; before any form cue it does nothing (and says so in its
 * log entry). */
static void test_say_again(struct fixture *f)
{
	const struct plan *p = &f->plan;
	int squeeze = find_text(p, "Squeeze, set 1 of 2.");
	const struct seq_log_entry *first = find(&f->base, LOG_SAY, squeeze, 0);

	CHECK(first != NULL, "the cue is said in the plain session");
	if (!first)
		return;
	frames_t at = first->at + line_frames(p, squeeze) + frames_from_ms(300);
	struct control_event presses[] = { { CONTROL_SAY_AGAIN, 0 }, { CONTROL_SAY_AGAIN, at } };
	run_session(f, presses, 2, 0, &f->other);
	check_timeline(p, &f->other, true);
	const struct seq_log_entry *early = find(&f->other, LOG_CONTROL, CONTROL_SAY_AGAIN, 0);
	CHECK(early && early->at == 0 && early->arg2 == 0, "say-again before any cue does nothing");
	const struct seq_log_entry *again = find(&f->other, LOG_SAY, squeeze, at);
	CHECK(again && again->at - at < frames_from_ms(600) && again->arg2 == PRIO_CONTROL,
	      "say-again repeats 'Squeeze, set 1 of 2.' at once, as a confirmation");
	CHECK(count_arg(&f->other, LOG_SAY, squeeze, 0, f->other.length) == 2, "said twice in all");
}

/* Each case on its own fixture, made inside the case (its checks count
 * in it) and freed after: the small routine's plan and plain run, or, for
 * the cases that build their own plan, an empty one. */
#define RUN_SMALL(fn)                                                              \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_small()));                              \
		fixture_free(f_);                                                  \
	} while (0)
#define RUN_EMPTY(fn)                                                              \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_new()));                                \
		fixture_free(f_);                                                  \
	} while (0)

int main(void)
{
	RUN_SMALL(test_plain);
	RUN_SMALL(test_pause);
	RUN_SMALL(test_next_and_repeat);
	RUN_SMALL(test_not_ready);
	RUN_SMALL(test_resume_after_pause);
	RUN_SMALL(test_wait_between_lines);
	RUN_SMALL(test_pedal_notes);
	RUN_SMALL(test_output_back_while_paused);
	RUN_SMALL(test_late_line_dropped);
	RUN_SMALL(test_wait_is_bounded);
	RUN_SMALL(test_deadline_drop);
	RUN_SMALL(test_queue_eviction);
	RUN_SMALL(test_resume_after_recovery);
	RUN_SMALL(test_say_again);
	RUN_SMALL(test_lobby);
	RUN_EMPTY(test_all_beeps_busy);
	RUN_EMPTY(test_open_set_done);
	RUN_EMPTY(test_priority_cut);
	return check_done("test_sequencer");
}
