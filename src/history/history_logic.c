#include "history/history_logic.h"

#include <string.h>
#include <time.h>

static const char *const kind_names[HISTORY_KINDS] = {
	[HISTORY_SESSION_START] = "session-start", [HISTORY_STEP_BEGIN] = "step-begin",
	[HISTORY_SET_BEGIN] = "set-begin", [HISTORY_SET_DONE] = "set-done",
	[HISTORY_SET_SKIPPED] = "set-skipped", [HISTORY_PRESS] = "press",
	[HISTORY_SESSION_END] = "session-end", [HISTORY_SESSION_RATING] = "rating",
};

static const char *const outcome_names[HISTORY_OUTCOMES] = {
	[HISTORY_RUNNING] = "running", [HISTORY_COMPLETED] = "completed",
	[HISTORY_STOPPED] = "stopped", [HISTORY_INTERRUPTED] = "interrupted",
};

const char *history_kind_name(enum history_kind kind)
{
	return (unsigned)kind < HISTORY_KINDS ? kind_names[kind] : "?";
}

const char *history_outcome_name(enum history_outcome outcome)
{
	return (unsigned)outcome < HISTORY_OUTCOMES ? outcome_names[outcome] : "?";
}

/* --- from the sequencer's log to records --- */

static bool is_bout(const struct plan *p, int seg)
{
	return seg >= 0 && seg < p->n_segments && p->segments[seg].unit == UNIT_BOUT;
}

static struct history_event record(const struct history_tracker *t, enum history_kind kind, frames_t at,
				   int64_t wall_s, int step, int set, int arg)
{
	struct history_event ev = {
		.kind = kind, .wall_s = wall_s, .at = at, .step = step, .set = set, .arg = arg,
		.counts = t->counts,
	};
	if (step >= 0 && t->routine && step < t->routine->n_steps)
		snprintf(ev.step_name, sizeof(ev.step_name), "%s", t->routine->steps[step].name);
	return ev;
}

static int start(struct history_tracker *t, frames_t at, int64_t wall_s, struct history_event *out, int max)
{
	int n = 0;
	const struct plan_segment *r = t->resume_seg >= 0 ? &t->plan->segments[t->resume_seg] : NULL;

	t->started = true;
	if (n < max) {
		out[n] = record(t, HISTORY_SESSION_START, at, wall_s, r ? r->step : -1, r ? r->set : 0, 0);
		out[n++].session = t->info;
	}
	return n;
}

/* The open set ends: counted once, done if it was ever finished. */
static void close_set(struct history_tracker *t)
{
	if (t->open_step < 0 || t->open_step >= ROUTINE_STEPS_MAX || t->open_set < 1 ||
	    t->open_set > ROUTINE_SETS_MAX)
		return;
	unsigned short bit = (unsigned short)(1u << (t->open_set - 1));
	if (!t->skipping)
		t->done[t->open_step] |= bit;
	else if (!(t->done[t->open_step] & bit))
		t->skipped[t->open_step] |= bit;
	t->skipped[t->open_step] &= (unsigned short)~t->done[t->open_step];
	t->counts.sets_done = t->counts.sets_skipped = 0;
	for (int i = 0; i < ROUTINE_STEPS_MAX; i++) {
		t->counts.sets_done += __builtin_popcount(t->done[i]);
		t->counts.sets_skipped += __builtin_popcount(t->skipped[i]);
	}
}

/* The session entered segment seg (== n_segments: the end). */
static int enter(struct history_tracker *t, int seg, frames_t at, int64_t wall_s, struct history_event *out,
		 int max)
{
	const struct plan *p = t->plan;
	int n = 0;
	bool bout = is_bout(p, seg);
	bool same = bout && t->open && p->segments[seg].step == t->open_step && p->segments[seg].set == t->open_set;

	t->seg = seg;
	if (t->open && !same) {
		close_set(t);
		if (n < max)
			out[n++] = record(t, t->skipping ? HISTORY_SET_SKIPPED : HISTORY_SET_DONE, at, wall_s,
					  t->open_step, t->open_set, 0);
		t->open = false;
	}
	if (bout && !same && p->segments[seg].unit_start) {
		t->open = true;
		t->open_step = p->segments[seg].step;
		t->open_set = p->segments[seg].set;
		t->skipping = false;
		if (n < max)
			out[n++] = record(t, HISTORY_SET_BEGIN, at, wall_s, t->open_step, t->open_set, 0);
	}
	if (seg < p->n_segments && p->segments[seg].unit == UNIT_INTRO && p->segments[seg].unit_start &&
	    p->segments[seg].step >= 0 && n < max)
		out[n++] = record(t, HISTORY_STEP_BEGIN, at, wall_s, p->segments[seg].step, 0, 0);
	return n;
}

int history_tracker_init(struct history_tracker *t, const struct plan *plan, const struct routine *routine,
			 const struct history_session_info *info, bool lobby, int resume_seg, int64_t wall_s,
			 struct history_event *out, int max)
{
	memset(t, 0, sizeof(*t));
	t->plan = plan;
	t->routine = routine;
	t->info = *info;
	t->info.sets_total = plan_sets_from(plan, 0);
	t->resume_seg = resume_seg >= 0 && resume_seg < plan->n_segments ? resume_seg : -1;
	t->info.sets_planned = plan_sets_from(plan, t->resume_seg >= 0 ? t->resume_seg : 0);
	t->seg = t->resume_seg >= 0 ? t->resume_seg : 0;
	if (lobby)
		return 0;
	return start(t, 0, wall_s, out, max);
}

/* Enters the held segment, if any; `e` (may be NULL) is the entry after it. */
static int release_held(struct history_tracker *t, const struct seq_log_entry *e, int64_t wall_s,
			struct history_event *out, int max)
{
	if (!t->has_held)
		return 0;
	t->has_held = false;
	if (e && e->kind == LOG_CONTROL && e->arg2 && e->arg == CONTROL_NEXT && e->at == t->held.at && t->open)
		t->skipping = true;
	return enter(t, t->held.arg, t->held.at, wall_s, out, max);
}

int history_track(struct history_tracker *t, const struct seq_log_entry *e, int64_t wall_s,
		  struct history_event *out, int max)
{
	int n = 0;

	if (t->ended)
		return 0;
	if (!t->started) {
		if (e->kind == LOG_SEGMENT)
			t->seg = e->arg;
		if (e->kind == LOG_CONTROL && e->arg2 && control_action_starts((enum control_action)e->arg)) {
			n = start(t, e->at, wall_s, out, max);
			n += enter(t, t->seg, e->at, wall_s, out + n, max - n);
		}
		return n;
	}
	n = release_held(t, e, wall_s, out, max);
	switch (e->kind) {
	case LOG_SEGMENT:
		t->held = *e;
		t->has_held = true;
		return n;
	case LOG_CONTROL:
		if (!e->arg2)
			return n;
		if (e->arg == CONTROL_REPEAT)
			t->counts.repeats++;
		if (n < max)
			out[n++] = record(t, HISTORY_PRESS, e->at, wall_s, -1, 0, e->arg);
		return n;
	case LOG_END:
		if (t->open)
			n += enter(t, t->plan->n_segments, e->at, wall_s, out + n, max - n);
		if (n < max)
			out[n++] = record(t, HISTORY_SESSION_END, e->at, wall_s, -1, 0, HISTORY_COMPLETED);
		t->ended = true;
		return n;
	default:
		return n;
	}
}

int history_track_stop(struct history_tracker *t, frames_t at, int64_t wall_s, struct history_event *out,
		       int max)
{
	if (!t->started || t->ended)
		return 0;
	int n = release_held(t, NULL, wall_s, out, max);
	t->ended = true;
	if (n < max)
		out[n++] = record(t, HISTORY_SESSION_END, at, wall_s, -1, 0, HISTORY_STOPPED);
	return n;
}

/* --- resume --- */

static int bout_start(const struct plan *p, int step, int set)
{
	for (int i = 0; i < p->n_segments; i++) {
		const struct plan_segment *s = &p->segments[i];
		if (s->unit == UNIT_BOUT && s->unit_start && s->step == step && s->set == set)
			return i;
	}
	return -1;
}

void history_offer(const struct history_session *last, const char *hash_now, const struct plan *plan,
		   const struct routine *routine, struct history_offer *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = HISTORY_OFFER_NONE;
	out->segment = -1;
	if (!last || last->outcome == HISTORY_COMPLETED || last->last_step < 0 || last->last_set < 1)
		return;
	out->step = last->last_step;
	out->set = last->last_set;
	snprintf(out->step_name, sizeof(out->step_name), "%s", last->last_step_name);
	if (strcmp(last->info.hash, hash_now) != 0) {
		out->kind = HISTORY_OFFER_CHANGED;
		return;
	}
	int seg = bout_start(plan, last->last_step, last->last_set);
	if (seg < 0)
		return;
	if (last->last_set_over) {
		/* the next set: the first bout start of another (step, set) */
		while (seg < plan->n_segments &&
		       !(plan->segments[seg].unit == UNIT_BOUT && plan->segments[seg].unit_start &&
			 !(plan->segments[seg].step == last->last_step && plan->segments[seg].set == last->last_set)))
			seg++;
		if (seg >= plan->n_segments)
			return;
	}
	const struct plan_segment *s = &plan->segments[seg];
	out->kind = HISTORY_OFFER_RESUME;
	out->segment = seg;
	out->step = s->step;
	out->set = s->set;
	if (routine && s->step >= 0 && s->step < routine->n_steps)
		snprintf(out->step_name, sizeof(out->step_name), "%s", routine->steps[s->step].name);
}

void history_offer_line_in(const struct history_offer *o, const struct phrasebook *book,
			   char *buf, size_t size)
{
	struct placeholder_values v = { .name = o->step_name, .set = o->set, .book = book };

	switch (o->kind) {
	case HISTORY_OFFER_RESUME:
		plan_expand(buf, size, phrase_text(book, PHRASE_RESUME_OFFER), &v);
		break;
	case HISTORY_OFFER_CHANGED:
		plan_expand(buf, size, phrase_text(book, PHRASE_RESUME_CHANGED), &v);
		break;
	case HISTORY_OFFER_NONE:
		snprintf(buf, size, "%s", "");
		break;
	}
}

void history_offer_line(const struct history_offer *o, char *buf, size_t size)
{
	history_offer_line_in(o, NULL, buf, size);
}

/* --- weeks --- */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t history_week(int64_t wall_s, long utc_offset_s)
{
	/* 1970-01-01 was a Thursday: day 0 + 3 is the Sunday before Monday 5 */
	int64_t day = floor_div(wall_s + utc_offset_s, 86400);
	return floor_div(day + 3, 7);
}

int64_t history_week_start(int64_t week, long utc_offset_s)
{
	return history_week_monday(week) * 86400 - utc_offset_s;
}

int64_t history_week_monday(int64_t week)
{
	return week * 7 - 3;
}

int history_sets_planned(const struct history_session *s)
{
	return s->info.sets_planned > 0 ? s->info.sets_planned : s->info.sets_total;
}

bool history_session_counts(const struct history_session *s)
{
	return plan_session_counts(s->outcome == HISTORY_COMPLETED, s->counts.sets_done, history_sets_planned(s));
}

void history_local_date(const struct history_session *s, char *buf, size_t size)
{
	time_t local = (time_t)(s->started_wall + s->utc_offset_s);
	struct tm tm;

	if (size)
		buf[0] = '\0';
	if (gmtime_r(&local, &tm))
		strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

int history_completed_this_week(const struct history_session *sessions, int n, int64_t now_s, long utc_offset_s)
{
	int64_t week = history_week(now_s, utc_offset_s);
	int count = 0;

	for (int i = 0; i < n; i++)
		if (history_session_counts(&sessions[i]) &&
		    history_week(sessions[i].started_wall, sessions[i].utc_offset_s) == week)
			count++;
	return count;
}

void history_adherence_line_in(int count, const struct phrasebook *book, char *buf, size_t size)
{
	struct placeholder_values v = { .number = count, .book = book };

	/* ordinals are whole phrases: their endings differ by language */
	plan_expand(buf, size, phrase_text(book, count >= 1 && count <= 10 ?
					   (enum phrase_id)(PHRASE_WEEK_1 + count - 1) : PHRASE_WEEK_N), &v);
}

void history_adherence_line(int count, char *buf, size_t size)
{
	history_adherence_line_in(count, NULL, buf, size);
}

void history_progress(const struct history_session *s, char *buf, size_t size)
{
	if (s->outcome == HISTORY_COMPLETED)
		/* the end reached by pressing next through it is not "completed" */
		snprintf(buf, size, "%s", history_session_counts(s) ? "completed" : "ended, most sets skipped");
	else if (s->last_step < 0 || s->last_set < 1)
		snprintf(buf, size, "%s before the first set", history_outcome_name(s->outcome));
	else
		snprintf(buf, size, "%s at %s, set %d%s", history_outcome_name(s->outcome), s->last_step_name,
			 s->last_set, s->last_set_over ? " (done)" : "");
}

/* --- CSV --- */

static void csv_field(FILE *out, const char *text)
{
	fputc('"', out);
	for (const char *c = text; *c; c++) {
		if (*c == '"')
			fputc('"', out);
		fputc(*c, out);
	}
	fputc('"', out);
}

void history_csv_header(FILE *out)
{
	fprintf(out, "date,routine,level,file,minutes,outcome,sets_done,sets_total,progress,"
		     "sets_skipped,sets_planned,repeats,counts,rating\r\n");
}

void history_csv_row(FILE *out, const struct history_session *s)
{
	char date[32], progress[256];

	history_local_date(s, date, sizeof(date));
	history_progress(s, progress, sizeof(progress));
	fprintf(out, "%s,", date);
	csv_field(out, s->info.name);
	fprintf(out, ",%d,", s->info.level);
	csv_field(out, s->info.routine);
	fprintf(out, ",%.1f,%s,%d,%d,", (double)s->session_frames / SESSION_RATE_HZ / 60.0,
		history_outcome_name(s->outcome), s->counts.sets_done, s->info.sets_total);
	csv_field(out, progress);
	fprintf(out, ",%d,%d,%d,%s,%s\r\n", s->counts.sets_skipped,
		history_sets_planned(s), s->counts.repeats,
		history_session_counts(s) ? "yes" : "no", rating_name(s->rating));
}
