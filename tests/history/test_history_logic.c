/* Unit tests of the history's pure logic, with the real plan and
 * sequencer on a fake clock and no database: what a session's log gives
 * as records, what resume offers, weeks and the adherence line; and the
 * core's entry points for it (seq_start_at, plan_add_closing). */
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "sim.h"

static const struct history_session_info info = SIM_SESSION_INFO;

/* What a case works on, made in the case and freed after it: the small
 * routine, its plan (which a case may add lines to) and the simulated
 * session, so that no case starts from what an earlier one left. */
struct fixture {
	struct routine routine;
	struct plan plan;
	struct sim sim;
};

static struct fixture *fixture_new(void)
{
	struct fixture *f = FIXTURE_CALLOC(sizeof(*f));

	REQUIRE(sim_plan_small(&f->routine, &f->plan) == 0, "the small routine's plan");
	return f;
}

static void fixture_free(struct fixture *f)
{
	if (!f)
		return;
	plan_finish(&f->plan);
	free(f);
}

/* A session summed up from records, as the database does. */
static void summarize(const struct sim *s, struct history_session *out)
{
	memset(out, 0, sizeof(*out));
	out->last_step = -1;
	for (int i = 0; i < s->n_events; i++) {
		const struct history_event *e = &s->events[i];
		out->counts = e->counts; /* every record carries the session's counts */
		switch (e->kind) {
		case HISTORY_SESSION_START: out->info = e->session; break;
		case HISTORY_SET_BEGIN:
			out->last_step = e->step;
			out->last_set = e->set;
			out->last_set_over = false;
			snprintf(out->last_step_name, sizeof(out->last_step_name), "%s", e->step_name);
			break;
		case HISTORY_SET_DONE: out->last_set_over = true; break;
		case HISTORY_SET_SKIPPED: out->last_set_over = true; break;
		case HISTORY_SESSION_END: out->outcome = (enum history_outcome)e->arg; break;
		default: break;
		}
	}
}

static void test_whole_session(struct fixture *f)
{
	sim_start(&f->sim, &f->plan, &f->routine, &info, -1, -1);
	while (sim_block(&f->sim))
		;
	CHECK(f->sim.n_events > 0 && f->sim.events[0].kind == HISTORY_SESSION_START, "starts with the session");
	CHECK(f->sim.events[0].session.sets_total == 3, "2 sets of rows + 1 set of the stretch (two sides): %d",
	      f->sim.events[0].session.sets_total);
	CHECK(sim_count(&f->sim, HISTORY_SET_BEGIN) == 3, "3 sets begun: %d", sim_count(&f->sim, HISTORY_SET_BEGIN));
	CHECK(sim_count(&f->sim, HISTORY_SET_DONE) == 3, "3 sets done: %d", sim_count(&f->sim, HISTORY_SET_DONE));
	CHECK(sim_count(&f->sim, HISTORY_STEP_BEGIN) == 2, "2 steps: %d", sim_count(&f->sim, HISTORY_STEP_BEGIN));
	const struct history_event *last = &f->sim.events[f->sim.n_events - 1];
	CHECK(last->kind == HISTORY_SESSION_END && last->arg == HISTORY_COMPLETED, "ends completed");
	for (int i = 1; i < f->sim.n_events; i++)
		CHECK(f->sim.events[i].at >= f->sim.events[i - 1].at, "records in session order");

	struct history_session sum;
	struct history_offer offer;
	summarize(&f->sim, &sum);
	history_offer(&sum, info.hash, &f->plan, &f->routine, &offer);
	CHECK(offer.kind == HISTORY_OFFER_NONE, "a completed session offers nothing");
}

/* Stopped in the middle of set 2 of the rows: offered at set 2. */
static void test_stop_mid_set(struct fixture *f)
{
	int set2 = sim_find_bout(&f->plan, 0, 2);
	sim_start(&f->sim, &f->plan, &f->routine, &info, -1, -1);
	while (sim_block(&f->sim) && !(f->sim.seq.seg == set2 + 2 && f->sim.seq.seg_offset > frames_from_s(2)))
		;
	CHECK(f->sim.seq.seg == set2 + 2, "in the work of set 2");
	sim_stop(&f->sim);
	struct history_session sum;
	struct history_offer offer;
	summarize(&f->sim, &sum);
	CHECK(sum.outcome == HISTORY_STOPPED, "stopped");
	history_offer(&sum, info.hash, &f->plan, &f->routine, &offer);
	CHECK(offer.kind == HISTORY_OFFER_RESUME && offer.segment == set2 && offer.step == 0 && offer.set == 2,
	      "resume at set 2: kind %d segment %d (want %d)", offer.kind, offer.segment, set2);
	CHECK(strcmp(offer.step_name, "Band rows") == 0, "named: %s", offer.step_name);
	char line[256];
	history_offer_line(&offer, line, sizeof(line));
	CHECK(strstr(line, "Band rows, set 2") != NULL, "%s", line);

	/* the file changed: say so, start over */
	history_offer(&sum, "bbbb-2", &f->plan, &f->routine, &offer);
	CHECK(offer.kind == HISTORY_OFFER_CHANGED, "changed file: %d", offer.kind);
	history_offer_line(&offer, line, sizeof(line));
	CHECK(strstr(line, "changed") != NULL, "%s", line);

	/* cut off with no end record at all (the plug): the same offer */
	sum.outcome = HISTORY_RUNNING;
	history_offer(&sum, info.hash, &f->plan, &f->routine, &offer);
	CHECK(offer.kind == HISTORY_OFFER_RESUME && offer.segment == set2, "running: resume at set 2");
}

/* Cut off in the rest after set 2: the next set (the stretch, set 1). */
static void test_stop_in_rest(struct fixture *f)
{
	int stretch = sim_find_bout(&f->plan, 1, 1);
	sim_start(&f->sim, &f->plan, &f->routine, &info, -1, -1);
	while (sim_block(&f->sim) && f->plan.segments[f->sim.seq.seg].unit != UNIT_REST)
		;
	while (sim_block(&f->sim) && !(f->plan.segments[f->sim.seq.seg].unit == UNIT_REST &&
				       f->sim.seq.seg > sim_find_bout(&f->plan, 0, 2)))
		;
	struct history_session sum;
	struct history_offer offer;
	summarize(&f->sim, &sum);
	CHECK(sum.last_set_over && sum.last_step == 0 && sum.last_set == 2, "set 2 of rows over");
	history_offer(&sum, info.hash, &f->plan, &f->routine, &offer);
	CHECK(offer.kind == HISTORY_OFFER_RESUME && offer.segment == stretch && offer.step == 1 && offer.set == 1,
	      "resume at the stretch: segment %d (want %d)", offer.segment, stretch);
}

/* `next` in a set skips it; `repeat` stays in it. */
static void test_presses(struct fixture *f)
{
	sim_start(&f->sim, &f->plan, &f->routine, &info, -1, -1);
	int set1 = sim_find_bout(&f->plan, 0, 1);
	while (sim_block(&f->sim) && f->sim.seq.seg != set1 + 2)
		;
	sim_press(&f->sim, CONTROL_REPEAT, f->sim.seq.now);
	sim_block(&f->sim);
	while (sim_block(&f->sim) && f->sim.seq.seg != set1 + 2)
		;
	sim_press(&f->sim, CONTROL_NEXT, f->sim.seq.now);
	while (sim_block(&f->sim))
		;
	CHECK(sim_count(&f->sim, HISTORY_PRESS) == 2, "2 presses: %d", sim_count(&f->sim, HISTORY_PRESS));
	CHECK(sim_count(&f->sim, HISTORY_SET_SKIPPED) == 1, "set 1 skipped: %d",
	      sim_count(&f->sim, HISTORY_SET_SKIPPED));
	CHECK(sim_count(&f->sim, HISTORY_SET_DONE) == 2, "2 sets done: %d", sim_count(&f->sim, HISTORY_SET_DONE));
	CHECK(sim_count(&f->sim, HISTORY_SET_BEGIN) == 3, "repeat begins no new set: %d",
	      sim_count(&f->sim, HISTORY_SET_BEGIN));
}

/* Lobby: nothing is recorded until start; a resumed session starts at
 * its set, after the set's countdown, and records that. */
static void test_lobby_resume(struct fixture *f)
{
	int set2 = sim_find_bout(&f->plan, 0, 2);
	int lobby = plan_intern(&f->plan, "Press start.");
	sim_start(&f->sim, &f->plan, &f->routine, &info, lobby, set2);
	for (int i = 0; i < 200; i++)
		sim_block(&f->sim);
	CHECK(f->sim.n_events == 0, "nothing recorded in the lobby: %d", f->sim.n_events);
	sim_press(&f->sim, CONTROL_START, f->sim.seq.now);
	sim_block(&f->sim);
	CHECK(f->sim.n_events >= 2 && f->sim.events[0].kind == HISTORY_SESSION_START && f->sim.events[0].step == 0 &&
	      f->sim.events[0].set == 2, "started, resumed at set 2");
	CHECK(f->sim.events[1].kind == HISTORY_SET_BEGIN && f->sim.events[1].set == 2, "set 2 begun");
	bool countdown = false;
	while (sim_block(&f->sim))
		if (f->sim.seq.seg == set2 + 1)
			countdown = true;
	CHECK(countdown, "the set's countdown is played");
	CHECK(sim_count(&f->sim, HISTORY_SET_DONE) == 2, "set 2 and the stretch: %d",
	      sim_count(&f->sim, HISTORY_SET_DONE));
}

static void test_seq_start_at(struct fixture *f)
{
	struct sequencer *seq = &f->sim.seq;
	struct fake_lines *lines = &f->sim.lines;
	struct seq_log_entry log[SEQ_LOG_MAX];
	int set2 = sim_find_bout(&f->plan, 0, 2);

	seq_init(seq, &f->plan, fake_lines_source(lines, &f->plan));
	CHECK(seq_start_at(seq, -1) == -EINVAL, "negative");
	CHECK(seq_start_at(seq, f->plan.n_segments) == -EINVAL, "past the end");
	CHECK(seq_start_at(seq, set2) == 0, "set 2");
	int n = seq_take_log(seq, log, SEQ_LOG_MAX);
	CHECK(n == 2 && log[1].kind == LOG_SEGMENT && log[1].arg == set2, "logged as entering it");
	frames_t run = seq_prepare(seq);
	seq_advance(seq, run);
	CHECK(seq_start_at(seq, 0) == -EINVAL, "not once the session runs");
	n = seq_take_log(seq, log, SEQ_LOG_MAX);
	bool said = false;
	for (int i = 0; i < n; i++)
		if (log[i].kind == LOG_SAY && strcmp(f->plan.texts[log[i].arg], "Set 2 of 2.") == 0)
			said = true;
	CHECK(said, "starts with the set's announcement");
}

static void test_closing_line(struct fixture *f)
{
	struct plan p;
	CHECK(plan_build(&p, &f->routine) == 0, "plan");
	int id = plan_add_closing(&p, "That's your third session this week.");
	CHECK(id >= 0, "added");
	sim_start(&f->sim, &p, &f->routine, &info, -1, -1);
	int said_closing = -1, said_adherence = -1, k = 0;
	static struct seq_log_entry log[SEQ_LOG_MAX];
	while (!f->sim.seq.finished) {
		seq_apply_controls(&f->sim.seq);
		for (frames_t done = 0; done < SIM_BLOCK;) {
			frames_t run = seq_prepare(&f->sim.seq);
			if (run > SIM_BLOCK - done)
				run = SIM_BLOCK - done;
			seq_advance(&f->sim.seq, run);
			done += run;
		}
		int n = seq_take_log(&f->sim.seq, log, SEQ_LOG_MAX);
		for (int i = 0; i < n; i++, k++) {
			if (log[i].kind != LOG_SAY)
				continue;
			if (strstr(p.texts[log[i].arg], "whole session"))
				said_closing = k;
			if (log[i].arg == id)
				said_adherence = k;
		}
	}
	CHECK(said_closing >= 0 && said_adherence > said_closing, "said after the closing words: %d %d",
	      said_closing, said_adherence);
	plan_finish(&p);
}

/* Runs the session to its end, pressing `a` at the start of every bout's
 * work segment for which press(set index) says so; the closing line `id`
 * is looked for in the log. Returns whether it was said. */
static bool run_pressing(struct fixture *f, const struct plan *p, enum control_action a, bool (*press)(int bout),
			int id)
{
	static struct seq_log_entry log[SEQ_LOG_MAX];
	struct history_event ev[HISTORY_TRACK_MAX];
	bool said = false;
	int bout = -1, last_seg = -1;

	sim_start(&f->sim, p, &f->routine, &info, -1, -1);
	while (!f->sim.seq.finished) {
		const struct plan_segment *s = seq_segment(&f->sim.seq);
		if (s && f->sim.seq.seg != last_seg && s->kind == SEG_WORK) {
			last_seg = f->sim.seq.seg;
			if (press(++bout))
				sim_press(&f->sim, a, f->sim.seq.now);
		}
		seq_apply_controls(&f->sim.seq);
		for (frames_t done = 0; done < SIM_BLOCK;) {
			frames_t run = seq_prepare(&f->sim.seq);
			if (run > SIM_BLOCK - done)
				run = SIM_BLOCK - done;
			seq_advance(&f->sim.seq, run);
			done += run;
		}
		int n = seq_take_log(&f->sim.seq, log, SEQ_LOG_MAX);
		for (int i = 0; i < n; i++) {
			said |= log[i].kind == LOG_SAY && log[i].arg == id;
			sim_add(&f->sim, ev,
				history_track(&f->sim.tracker, &log[i], f->sim.wall_s, ev, HISTORY_TRACK_MAX));
		}
	}
	return said;
}

static bool every(int bout) { (void)bout; return true; }
static bool first_only(int bout) { return bout == 0; }
static bool first_two(int bout) { return bout < 2; }

/* Issue 17, item 2: pressing next through every set reaches the end, but
 * no set was done: the session does not count and is not congratulated. */
static void test_skipped_through(struct fixture *f)
{
	struct plan p;
	struct history_session sum;
	CHECK(plan_build(&p, &f->routine) == 0, "plan");
	int id = plan_add_closing(&p, "That's your first session this week.");
	bool said = run_pressing(f, &p, CONTROL_NEXT, every, id);
	summarize(&f->sim, &sum);
	CHECK(sum.outcome == HISTORY_COMPLETED, "reached the end");
	CHECK(sum.counts.sets_done == 0 && sum.counts.sets_skipped == 3,
	      "0 done, 3 skipped: %d %d", sum.counts.sets_done, sum.counts.sets_skipped);
	CHECK(sum.info.sets_planned == 3, "3 planned: %d", sum.info.sets_planned);
	CHECK(!history_session_counts(&sum), "does not count");
	CHECK(!said, "the closing adherence line is not said");
	char progress[128];
	history_progress(&sum, progress, sizeof(progress));
	CHECK(strcmp(progress, "completed") != 0, "not called completed: %s", progress);

	/* one of three skipped: two done, at least half: it counts */
	said = run_pressing(f, &p, CONTROL_NEXT, first_only, id);
	summarize(&f->sim, &sum);
	CHECK(sum.counts.sets_done == 2 && sum.counts.sets_skipped == 1, "2 done, 1 skipped: %d %d",
	      sum.counts.sets_done, sum.counts.sets_skipped);
	CHECK(history_session_counts(&sum) && said, "counts, and is said: %d", said);

	/* the stretch has two sides (two bouts): skipping its left side skips
	 * the set; 1 of 3 done is less than half */
	said = run_pressing(f, &p, CONTROL_NEXT, first_two, id);
	summarize(&f->sim, &sum);
	CHECK(sum.counts.sets_done == 1, "1 done: %d", sum.counts.sets_done);
	CHECK(!history_session_counts(&sum) && !said, "does not count, not said: %d", said);
	plan_finish(&p);
}

/* Issue 17, item 1: a set counts once however often it is repeated. */
static void test_repeat_counts_once(struct fixture *f)
{
	struct plan p;
	struct history_session sum;
	CHECK(plan_build(&p, &f->routine) == 0, "plan");
	int id = plan_add_closing(&p, "That's your first session this week.");
	/* repeat pressed at the start of the work of every bout: each set is
	 * started over once, then finished */
	bool said = run_pressing(f, &p, CONTROL_REPEAT, every, id);
	summarize(&f->sim, &sum);
	CHECK(sum.counts.repeats >= 3, "repeats counted: %d", sum.counts.repeats);
	CHECK(sum.counts.sets_done == 3, "3 of 3 sets, not more: %d", sum.counts.sets_done);
	CHECK(said, "the session counts");

	/* repeat from the rest after a finished set: that set again, done twice */
	sim_start(&f->sim, &p, &f->routine, &info, -1, -1);
	int rest = sim_find_bout(&p, 0, 1);
	while (rest < p.n_segments && p.segments[rest].unit != UNIT_REST)
		rest++;
	for (int k = 0; k < 5; k++) {
		while (sim_block(&f->sim) && f->sim.seq.seg != rest)
			;
		sim_press(&f->sim, CONTROL_REPEAT, f->sim.seq.now);
		sim_block(&f->sim);
	}
	while (sim_block(&f->sim))
		;
	summarize(&f->sim, &sum);
	CHECK(sim_count(&f->sim, HISTORY_SET_DONE) > 3, "set 1 finished again each time: %d records",
	      sim_count(&f->sim, HISTORY_SET_DONE));
	CHECK(sum.counts.sets_done == 3 && sum.counts.repeats == 5, "3 of 3 sets, 5 repeats: %d %d",
	      sum.counts.sets_done, sum.counts.repeats);
	plan_finish(&p);
}

static void test_weeks(void)
{
	/* 2026-12-01 12:00 UTC is a Tuesday; its week starts Monday 2026-11-30 */
	int64_t tue = 1796126400;
	int64_t mon = 1795996800; /* 2026-11-30 00:00 UTC */
	CHECK(history_week_start(history_week(tue, 0), 0) == mon, "Monday: %lld",
	      (long long)history_week_start(history_week(tue, 0), 0));
	CHECK(history_week(mon, 0) == history_week(tue, 0), "same week");
	CHECK(history_week(mon - 1, 0) == history_week(tue, 0) - 1, "Sunday before is the week before");
	/* two hours east: Sunday 23:00 UTC is already Monday there */
	CHECK(history_week(mon - 3600, 7200) == history_week(tue, 0), "time zones");
	CHECK(history_week(-1, 0) == history_week(0, 0), "1969-12-31 and 1970-01-01 share a week");

	struct history_session s[4] = { 0 };
	s[0] = (struct history_session){ .started_wall = mon + 100, .outcome = HISTORY_COMPLETED };
	s[1] = (struct history_session){ .started_wall = mon + 200, .outcome = HISTORY_STOPPED };
	s[2] = (struct history_session){ .started_wall = mon - 100, .outcome = HISTORY_COMPLETED };
	s[3] = (struct history_session){ .started_wall = tue, .outcome = HISTORY_COMPLETED };
	CHECK(history_completed_this_week(s, 4, tue + 10, 0) == 2, "two completed this week");

	char line[128];
	history_adherence_line(3, line, sizeof(line));
	CHECK(strcmp(line, "That's your third session this week.") == 0, "%s", line);
	history_adherence_line(12, line, sizeof(line));
	CHECK(strcmp(line, "That's session 12 this week.") == 0, "%s", line);
}

static void test_csv_quoting(void)
{
	struct history_session s = { .started_wall = 1796126400, .outcome = HISTORY_STOPPED, .last_step = 0,
				     .last_set = 2, .session_frames = frames_from_s(90) };
	snprintf(s.info.name, sizeof(s.info.name), "Back \"easy\", day");
	snprintf(s.last_step_name, sizeof(s.last_step_name), "rows");
	char buf[512] = "";
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
	history_csv_row(f, &s);
	fclose(f);
	CHECK(strstr(buf, "2026-12-01 12:00,\"Back \"\"easy\"\", day\",") == buf, "%s", buf);
	CHECK(strstr(buf, ",1.5,stopped,0,0,\"stopped at rows, set 2\",0,0,0,no,\r\n") != NULL,
	      "not rated: the last column empty: %s", buf);
	/* a rated one: its name in the last column */
	s.outcome = HISTORY_COMPLETED;
	s.rating = RATING_HARD;
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	history_csv_row(f, &s);
	fclose(f);
	CHECK(strstr(buf, ",hard\r\n") != NULL, "rated: %s", buf);
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	history_csv_header(f);
	fclose(f);
	CHECK(strstr(buf, ",counts,rating\r\n") != NULL, "the header's last column: %s", buf);
}

/* A case on a fixture of its own, made inside the case (its checks count
 * in it) and freed after. */
#define RUN_FIXTURE(fn)                                                            \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_new()));                                \
		fixture_free(f_);                                                  \
	} while (0)

int main(void)
{
	RUN_FIXTURE(test_whole_session);
	RUN_FIXTURE(test_stop_mid_set);
	RUN_FIXTURE(test_stop_in_rest);
	RUN_FIXTURE(test_presses);
	RUN_FIXTURE(test_seq_start_at);
	RUN_FIXTURE(test_closing_line);
	RUN_FIXTURE(test_skipped_through);
	RUN_FIXTURE(test_repeat_counts_once);
	RUN_CASE(test_weeks, ());
	RUN_CASE(test_csv_quoting, ());
	RUN_FIXTURE(test_lobby_resume);
	return check_done("history_logic");
}
