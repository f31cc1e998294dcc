/* plan.c - builds the plan of a session from a routine: segments of
 * speech, work and rest with their actions (lines, beeps) at sample
 * offsets.  Placeholder filling is in placeholder.c, the text store in
 * plan_text.c, the expected length in plan_length.c. */
#include "core/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Gap after the last word of an announcement before the session moves on:
 * long enough to breathe, short enough not to feel like waiting. */
#define SPEECH_GAP_MS 400
/* Silence after the end tone of a set, so the tone is not cut by what follows. */
#define WORK_TAIL_MS 600
/* Time-left reminders in long holds, every this many seconds. */
#define REMINDER_EVERY_S 10
/* Spoken countdown at the end of a hold or timed work. */
#define HOLD_COUNTDOWN_S 3

/* The fixed texts are the phrasebook's first phrases, in the same order. */
_Static_assert((int)TEXT_FIXED_COUNT == (int)PHRASE_FIXED_COUNT, "one fixed text per confirmation phrase");
_Static_assert((int)TEXT_PAUSED == (int)PHRASE_PAUSED && (int)TEXT_RESUMING == (int)PHRASE_RESUMING &&
	       (int)TEXT_NEXT == (int)PHRASE_NEXT && (int)TEXT_SKIP_REST == (int)PHRASE_SKIP_REST &&
	       (int)TEXT_DONE == (int)PHRASE_DONE && (int)TEXT_MORE_REST == (int)PHRASE_MORE_REST &&
	       (int)TEXT_FINISHING == (int)PHRASE_FINISHING && (int)TEXT_PEDAL_GONE == (int)PHRASE_PEDAL_GONE &&
	       (int)TEXT_PEDAL_BACK == (int)PHRASE_PEDAL_BACK, "fixed texts in phrasebook order");

/* Growable arrays used only while building; the plan owns the result. */
struct builder {
	struct plan *plan;
	const struct phrasebook *book;  /* borrowed; never NULL */
	int cap_segments;
	int cap_actions;
	int err;
};

static void *grow(void *ptr, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return ptr;
	int new_cap = *cap ? *cap * 2 : 64;
	while (new_cap < need)
		new_cap *= 2;
	void *p = realloc(ptr, (size_t)new_cap * elem);
	if (p)
		*cap = new_cap;
	return p;
}

/* Returns the id of `text`, adding it if new; -1 once out of memory. */
static int intern(struct builder *b, const char *text)
{
	int id = plan_intern(b->plan, text);

	if (id < 0) {
		b->err = id;
		return -1;
	}
	return id;
}

static struct plan_segment *add_segment(struct builder *b, enum segment_kind kind,
					enum unit_kind unit, bool unit_start)
{
	struct plan *p = b->plan;
	void *segs = grow(p->segments, &b->cap_segments, p->n_segments + 1,
			  sizeof(*p->segments));
	if (!segs) {
		b->err = -ENOMEM;
		return NULL;
	}
	p->segments = segs;
	struct plan_segment *s = &p->segments[p->n_segments++];
	*s = (struct plan_segment){
		.kind = kind, .unit = unit, .unit_start = unit_start, .step = -1,
		.first_action = p->n_actions, .repeat_text = -1,
	};
	return s;
}

/* Actions are appended to the last segment, in any order of `at`; the
 * segment is sorted when it is closed. */
static void add_action(struct builder *b, frames_t at, enum action_kind kind,
		       int arg, enum speech_priority prio)
{
	struct plan *p = b->plan;
	if (b->err || arg < 0)
		return;
	void *acts = grow(p->actions, &b->cap_actions, p->n_actions + 1, sizeof(*p->actions));
	if (!acts) {
		b->err = -ENOMEM;
		return;
	}
	p->actions = acts;
	p->actions[p->n_actions++] = (struct plan_action){
		.at = at, .kind = kind, .arg = arg, .prio = prio,
	};
	p->segments[p->n_segments - 1].n_actions++;
}

static void say(struct builder *b, frames_t at, enum speech_priority prio, const char *text)
{
	if (text[0] == '\0')
		return;
	add_action(b, at, ACTION_SAY, intern(b, text), prio);
}

static void expand(struct builder *b, char *line, size_t size, const char *tmpl,
		   const struct placeholder_values *v);

/* Says phrase `id` of the session's language, its slots filled from v
 * (NULL: none). */
static void say_phrase(struct builder *b, frames_t at, enum speech_priority prio,
		       enum phrase_id id, const struct placeholder_values *v)
{
	struct placeholder_values w = { 0 };
	char line[PLAN_TEXT_MAX];

	if (v)
		w = *v;
	w.book = b->book;
	expand(b, line, sizeof(line), phrase_text(b->book, id), &w);
	say(b, at, prio, line);
}

static void beep(struct builder *b, frames_t at, enum tone tone)
{
	add_action(b, at, ACTION_BEEP, (int)tone, PRIO_CHATTER);
}

/* Order: by time, beeps before speech, then speech by priority (highest
 * first); ties keep the order they were added in (the sort is stable), so a
 * count is queued before the form cue of the same rep. */
static int action_cmp(const void *pa, const void *pb)
{
	const struct plan_action *a = pa, *b = pb;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind == ACTION_BEEP ? -1 : 1;
	if (a->prio != b->prio)
		return a->prio > b->prio ? -1 : 1;
	return 0;
}

static void close_segment(struct builder *b)
{
	struct plan *p = b->plan;
	if (b->err || p->n_segments == 0)
		return;
	struct plan_segment *s = &p->segments[p->n_segments - 1];
	/* Insertion sort, because it is stable (qsort is not) and segments
	 * hold at most a few hundred nearly sorted actions. */
	struct plan_action *acts = &p->actions[s->first_action];
	for (int i = 1; i < s->n_actions; i++) {
		struct plan_action key = acts[i];
		int j = i - 1;
		while (j >= 0 && action_cmp(&acts[j], &key) > 0) {
			acts[j + 1] = acts[j];
			j--;
		}
		acts[j + 1] = key;
	}
	p->nominal_frames += s->length;
}

/* A line of the plan: the loader made sure it fits (plan_expand_longest);
 * should one not, the plan fails rather than cut what the user wrote. */
static void expand(struct builder *b, char *line, size_t size, const char *tmpl,
		   const struct placeholder_values *v)
{
	if (plan_expand(line, size, tmpl, v) >= size && !b->err)
		b->err = -EMSGSIZE;
}

const char *tone_name(enum tone tone)
{
	static const char *const names[TONE_KINDS] = {
		[TONE_LIFT] = "pull", [TONE_TOP] = "hold", [TONE_LOWER] = "release",
		[TONE_BOTTOM] = "reset", [TONE_COUNT] = "tick", [TONE_GO] = "go",
		[TONE_END] = "end",
	};
	return (unsigned)tone < TONE_KINDS ? names[tone] : "?";
}

frames_t tone_length(enum tone tone)
{
	static const int ms[TONE_KINDS] = {
		[TONE_LIFT] = 120, [TONE_TOP] = 90, [TONE_LOWER] = 120,
		[TONE_BOTTOM] = 50, [TONE_COUNT] = 70, [TONE_GO] = 250,
		[TONE_END] = 400,
	};
	return (unsigned)tone < TONE_KINDS ? frames_from_ms(ms[tone]) : 0;
}

const char *side_name(enum side side)
{
	switch (side) {
	case SIDE_LEFT: return "left";
	case SIDE_RIGHT: return "right";
	default: return "";
	}
}

static enum side bout_side(const struct step *st, int set, int k)
{
	bool left_first;

	switch (st->sides) {
	case SIDES_LEFT_RIGHT: left_first = true; break;
	case SIDES_RIGHT_LEFT: left_first = false; break;
	case SIDES_ALTERNATE: left_first = set % 2 == 1; break;
	default: return SIDE_NONE;
	}
	return (k == 0) == left_first ? SIDE_LEFT : SIDE_RIGHT;
}

static frames_t rep_frames(const struct tempo *t)
{
	return frames_from_s(t->lift_s + t->top_s + t->lower_s + t->bottom_s);
}

/* Phrase sizes the equipment list is built for: a separator and the
 * line around the list are short words, far below this. */
#define LIST_PHRASE_MAX 64

static void build_session_intro(struct builder *b, const struct routine *r)
{
	char line[PLAN_TEXT_MAX];
	struct placeholder_values v = { .name = r->name };

	if (!add_segment(b, SEG_SPEECH, UNIT_INTRO, true))
		return;
	say_phrase(b, 0, PRIO_FORM, PHRASE_ROUTINE_NAME, &v);
	if (r->n_equipment > 0) {
		/* One line if it fits; else "You will need:" and an item a line,
		 * so no name is ever cut (eight names of 80 bytes do not fit). */
		char all[ROUTINE_EQUIPMENT_MAX * (ROUTINE_NAME_MAX + LIST_PHRASE_MAX)];
		char whole[sizeof(all) + LIST_PHRASE_MAX];
		size_t o = 0;
		for (int i = 0; i < r->n_equipment && o < sizeof(all); i++) {
			enum phrase_id sep = i + 1 == r->n_equipment ? PHRASE_LIST_LAST_SEP : PHRASE_LIST_SEP;
			o += (size_t)snprintf(all + o, sizeof(all) - o, "%s%s",
					      i == 0 ? "" : phrase_text(b->book, sep), r->equipment[i]);
		}
		v.name = all;
		if (o < sizeof(all) &&
		    plan_expand(whole, sizeof(whole), phrase_text(b->book, PHRASE_NEED_ALL), &v) < sizeof(line)) {
			say(b, 0, PRIO_FORM, whole);
		} else {
			say_phrase(b, 0, PRIO_FORM, PHRASE_NEED_HEAD, NULL);
			for (int i = 0; i < r->n_equipment; i++) {
				v.name = r->equipment[i];
				say_phrase(b, 0, PRIO_FORM,
					   i + 1 == r->n_equipment ? PHRASE_NEED_LAST : PHRASE_NEED_ITEM, &v);
			}
		}
	}
	say(b, 0, PRIO_FORM, r->safety);
	b->plan->segments[b->plan->n_segments - 1].length = frames_from_ms(SPEECH_GAP_MS);
	close_segment(b);
}

/* Whether a step of seconds holds a position ("Hold." ... "And release.")
 * rather than works ("Go." ... "Stop."): the one place a kind's own
 * words are chosen, so a new kind is named here by -Wswitch. */
static bool holds(enum step_kind kind)
{
	switch (kind) {
	case STEP_HOLD:
		return true;
	case STEP_REPS:
	case STEP_TIMED:
		return false;
	}
	return false;  /* not reached: every kind is a case */
}

static void build_step_intro(struct builder *b, const struct routine *r, int i)
{
	const struct step *st = &r->steps[i];
	char line[PLAN_TEXT_MAX];
	struct placeholder_values v = {
		.rep = 1, .reps = st->reps, .set = 1, .sets = st->sets,
		.seconds = st->seconds, .side = bout_side(st, 1, 0), .name = st->name,
		.step = i + 1, .steps = r->n_steps, .book = b->book,
		.each = st->sides != SIDES_NONE ? phrase_text(b->book, PHRASE_EACH_SIDE) : "",
	};
	struct plan_segment *s = add_segment(b, SEG_SPEECH, UNIT_INTRO, true);

	if (!s)
		return;
	s->step = i;
	s->length = frames_from_ms(SPEECH_GAP_MS);
	if (i == 0 || r->steps[i - 1].phase != st->phase) {
		static const enum phrase_id phase_lines[] = {
			[PHASE_WARM_UP] = PHRASE_WARM_UP,
			[PHASE_WORK] = PHRASE_MAIN_SET,
			[PHASE_COOL_DOWN] = PHRASE_COOL_DOWN,
		};
		say_phrase(b, 0, PRIO_FORM, phase_lines[st->phase], NULL);
	}
	say_phrase(b, 0, PRIO_FORM, PHRASE_EXERCISE, &v);

	enum phrase_id amount = PHRASE_ROUNDS;
	switch (step_kind_measure(st->kind)) {
	case STEP_MEASURE_REPS:
		amount = st->reps == 0 ? PHRASE_OPEN_SETS : PHRASE_REPS_SETS;
		break;
	case STEP_MEASURE_SECONDS:
		if (st->sets == 1)
			amount = holds(st->kind) ? PHRASE_HOLD_FOR : PHRASE_WORK_FOR;
		else
			amount = PHRASE_ROUNDS;
		break;
	}
	say_phrase(b, 0, PRIO_FORM, amount, &v);
	for (int k = 0; k < st->n_intro; k++) {
		expand(b, line, sizeof(line), st->intro[k], &v);
		say(b, 0, PRIO_FORM, line);
	}
	close_segment(b);
}

static void build_countdown(struct builder *b, const struct routine *r, int step, int set, enum side side)
{
	int n = r->defaults.countdown_s;
	char num[16];

	if (n <= 0)
		return;
	struct plan_segment *s = add_segment(b, SEG_COUNTDOWN, UNIT_BOUT, false);
	if (!s)
		return;
	s->step = step;
	s->set = set;
	s->side = side;
	s->length = frames_from_s(n);
	for (int k = 0; k < n; k++) {
		snprintf(num, sizeof(num), "%d", n - k);
		beep(b, frames_from_s(k), TONE_COUNT);
		say(b, frames_from_s(k), PRIO_COUNTDOWN, num);
	}
	close_segment(b);
}

static void build_reps(struct builder *b, const struct step *st, struct placeholder_values *v)
{
	const struct tempo *t = &st->tempo;
	frames_t rep_len = rep_frames(t);
	int n = st->reps > 0 ? st->reps : ROUTINE_REPS_MAX;
	char line[PLAN_TEXT_MAX];

	for (int rep = 1; rep <= n; rep++) {
		frames_t base = (rep - 1) * rep_len;
		frames_t at = base;

		v->rep = rep;
		beep(b, at, rep == 1 ? TONE_GO : TONE_LIFT);
		/* "three, two, one, go", then each rep counted as it starts:
		 * a "one" right after the countdown's "one" would confuse. */
		if (rep == 1) {
			say_phrase(b, at, PRIO_TEMPO, PHRASE_GO, NULL);
		} else {
			snprintf(line, sizeof(line), "%d", rep);
			say(b, at, PRIO_TEMPO, line);
		}
		at += frames_from_s(t->lift_s);
		if (t->top_s > 0)
			beep(b, at, TONE_TOP);
		at += frames_from_s(t->top_s);
		if (t->lower_s > 0)
			beep(b, at, TONE_LOWER);
		at += frames_from_s(t->lower_s);
		if (t->bottom_s > 0 && rep < n)
			beep(b, at, TONE_BOTTOM);
		for (int c = 0; c < st->n_cues; c++) {
			const struct cue *cue = &st->cues[c];
			bool due = (cue->trigger == CUE_AT_REP && cue->n == rep) ||
				   (cue->trigger == CUE_EVERY_REPS && cue->n > 0 && rep % cue->n == 0);
			if (!due)
				continue;
			expand(b, line, sizeof(line), cue->text, v);
			say(b, base, PRIO_FORM, line);
		}
	}
	beep(b, n * rep_len, TONE_END);
	b->plan->segments[b->plan->n_segments - 1].length = n * rep_len + frames_from_ms(WORK_TAIL_MS);
}

/* True if a hold cue is spoken shortly before (or just after) second t. */
static bool cue_near(const struct step *st, int t)
{
	for (int c = 0; c < st->n_cues; c++)
		if (st->cues[c].trigger == CUE_AT_SECOND && st->cues[c].n >= t - 4 && st->cues[c].n <= t + 1)
			return true;
	return false;
}

static void build_hold(struct builder *b, const struct step *st, struct placeholder_values *v)
{
	int d = st->seconds;
	char line[PLAN_TEXT_MAX];

	beep(b, 0, TONE_GO);
	say_phrase(b, 0, PRIO_TEMPO, holds(st->kind) ? PHRASE_HOLD : PHRASE_GO, NULL);
	for (int c = 0; c < st->n_cues; c++) {
		const struct cue *cue = &st->cues[c];
		if (cue->trigger != CUE_AT_SECOND || cue->n >= d)
			continue;
		expand(b, line, sizeof(line), cue->text, v);
		say(b, frames_from_s(cue->n), PRIO_FORM, line);
	}
	for (int t = REMINDER_EVERY_S; d - t >= REMINDER_EVERY_S; t += REMINDER_EVERY_S) {
		if (cue_near(st, t))
			continue; /* the routine's own line says enough here */
		struct placeholder_values left = { .seconds = d - t };
		say_phrase(b, frames_from_s(t), PRIO_CHATTER, PHRASE_SECONDS_LEFT, &left);
	}
	for (int k = HOLD_COUNTDOWN_S; k >= 1; k--) {
		if (d - k < 1)
			continue;
		snprintf(line, sizeof(line), "%d", k);
		beep(b, frames_from_s(d - k), TONE_COUNT);
		say(b, frames_from_s(d - k), PRIO_COUNTDOWN, line);
	}
	beep(b, frames_from_s(d), TONE_END);
	say_phrase(b, frames_from_s(d), PRIO_TEMPO, holds(st->kind) ? PHRASE_RELEASE : PHRASE_STOP, NULL);
	b->plan->segments[b->plan->n_segments - 1].length = frames_from_s(d) + frames_from_ms(WORK_TAIL_MS);
}

static void build_bout(struct builder *b, const struct routine *r, int i, int set, int k)
{
	const struct step *st = &r->steps[i];
	enum side side = bout_side(st, set, k);
	struct placeholder_values v = {
		.rep = 1, .reps = st->reps, .set = set, .sets = st->sets,
		.seconds = st->seconds, .side = side, .name = st->name, .book = b->book,
	};
	bool right = side == SIDE_RIGHT;
	char line[PLAN_TEXT_MAX];
	enum phrase_id id;
	struct plan_segment *s = add_segment(b, SEG_SPEECH, UNIT_BOUT, true);

	if (!s)
		return;
	s->step = i;
	s->set = set;
	s->side = side;
	s->length = frames_from_ms(SPEECH_GAP_MS);
	if (st->sets > 1 && side != SIDE_NONE)
		id = phrase_side(PHRASE_REPEAT_SET_LEFT, right);
	else if (st->sets > 1)
		id = PHRASE_REPEAT_SET;
	else if (side != SIDE_NONE)
		id = phrase_side(PHRASE_AGAIN_LEFT, right);
	else
		id = PHRASE_ONCE_MORE;
	expand(b, line, sizeof(line), phrase_text(b->book, id), &v);
	s->repeat_text = intern(b, line);

	if (k == 1 && st->switch_text[0]) {
		expand(b, line, sizeof(line), st->switch_text, &v);
		say(b, 0, PRIO_FORM, line);
	} else {
		if (k == 1)
			id = phrase_side(PHRASE_SWITCH_LEFT, right);
		else if (st->sets > 1 && side != SIDE_NONE)
			id = phrase_side(PHRASE_SET_LEFT_FIRST, right);
		else if (st->sets > 1)
			id = PHRASE_SET_OF;
		else if (side != SIDE_NONE)
			id = phrase_side(PHRASE_LEFT_FIRST, right);
		else
			id = PHRASE_GET_READY;
		say_phrase(b, 0, PRIO_FORM, id, &v);
	}
	close_segment(b);

	build_countdown(b, r, i, set, side);

	s = add_segment(b, SEG_WORK, UNIT_BOUT, false);
	if (!s)
		return;
	s->step = i;
	s->set = set;
	s->side = side;
	switch (step_kind_measure(st->kind)) {
	case STEP_MEASURE_REPS:
		s->open_ended = st->reps == 0;
		build_reps(b, st, &v);
		break;
	case STEP_MEASURE_SECONDS:
		build_hold(b, st, &v);
		break;
	}
	close_segment(b);
}

static void build_rest(struct builder *b, int step, int seconds, const char *next_line)
{
	struct placeholder_values v = { .seconds = seconds };

	if (seconds <= 0)
		return;
	struct plan_segment *s = add_segment(b, SEG_REST, UNIT_REST, true);
	if (!s)
		return;
	s->step = step;
	s->length = frames_from_s(seconds);
	say_phrase(b, 0, PRIO_FORM, PHRASE_REST, &v);
	say(b, 0, PRIO_CHATTER, next_line);
	if (seconds >= 2 * REMINDER_EVERY_S)
		say_phrase(b, frames_from_s(seconds - REMINDER_EVERY_S), PRIO_CHATTER, PHRASE_TEN_SECONDS, NULL);
	close_segment(b);
}

static void build_step(struct builder *b, const struct routine *r, int i)
{
	const struct step *st = &r->steps[i];
	int sides = st->sides == SIDES_NONE ? 1 : 2;
	char line[PLAN_TEXT_MAX];

	build_step_intro(b, r, i);
	for (int set = 1; set <= st->sets; set++) {
		for (int k = 0; k < sides; k++)
			build_bout(b, r, i, set, k);
		if (set < st->sets) {
			struct placeholder_values v = { .set = set + 1, .sets = st->sets };
			expand(b, line, sizeof(line), phrase_text(b->book, PHRASE_NEXT_SET), &v);
			build_rest(b, i, st->rest_between_sets_s, line);
		}
	}
	if (i + 1 < r->n_steps) {
		const struct step *next = &r->steps[i + 1];
		struct placeholder_values v = {
			.rep = 1, .reps = next->reps, .set = 1, .sets = next->sets,
			.seconds = next->seconds, .side = bout_side(next, 1, 0), .name = next->name,
			.book = b->book,
		};
		expand(b, line, sizeof(line), next->next_up[0] ? next->next_up :
		       phrase_text(b->book, PHRASE_NEXT_UP), &v);
		build_rest(b, i, st->rest_after_s, line);
	}
}

int plan_build(struct plan *plan, const struct routine *r)
{
	return plan_build_in(plan, r, NULL);
}

int plan_build_in(struct plan *plan, const struct routine *r, const struct phrasebook *book)
{
	struct builder b = { .plan = plan, .book = book ? book : phrasebooks[0] };

	*plan = (struct plan){ 0 };
	for (int i = 0; i < TEXT_FIXED_COUNT; i++)
		intern(&b, phrase_text(b.book, (enum phrase_id)i));
	build_session_intro(&b, r);
	for (int i = 0; i < r->n_steps && !b.err; i++)
		build_step(&b, r, i);
	if (add_segment(&b, SEG_SPEECH, UNIT_END, true)) {
		b.plan->segments[b.plan->n_segments - 1].length = frames_from_s(1);
		say_phrase(&b, 0, PRIO_FORM, PHRASE_WELL_DONE, NULL);
		close_segment(&b);
	}
	if (b.err) {
		plan_finish(plan);
		return b.err;
	}
	return 0;
}

int plan_add_closing(struct plan *plan, const char *text)
{
	/* The closing segment is the last one and its actions are the last
	 * ones, so the new action goes at the end of both. */
	if (plan->n_segments == 0 || plan->segments[plan->n_segments - 1].unit != UNIT_END)
		return -EINVAL;
	int id = plan_intern(plan, text);
	if (id < 0)
		return id;
	struct plan_action *actions = realloc(plan->actions, (size_t)(plan->n_actions + 1) * sizeof(*actions));
	if (!actions)
		return -ENOMEM;
	plan->actions = actions;
	plan->actions[plan->n_actions++] = (struct plan_action){
		.at = 0, .kind = ACTION_SAY, .arg = id, .prio = PRIO_FORM, .if_counted = true,
	};
	plan->segments[plan->n_segments - 1].n_actions++;
	return id;
}

int plan_sets_from(const struct plan *plan, int segment)
{
	int n = 0, step = -1, set = 0;

	for (int i = segment < 0 ? 0 : segment; i < plan->n_segments; i++) {
		const struct plan_segment *s = &plan->segments[i];
		if (s->unit != UNIT_BOUT || !s->unit_start || (s->step == step && s->set == set))
			continue;
		step = s->step;
		set = s->set;
		n++;
	}
	return n;
}

void plan_finish(struct plan *plan)
{
	if (!plan)
		return;
	free(plan->segments);
	free(plan->actions);
	free(plan->texts);
	free(plan->text_hashes);
	free(plan->text_index);
	*plan = (struct plan){ 0 };
}
