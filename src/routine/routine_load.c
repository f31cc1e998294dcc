/* routine_load.c - the routine file schema: walks the YAML tree of a
 * routine file into struct routine, reporting every problem it finds.
 * The format is documented in routines/README.md; keep the two in step. */
#include "routine/routine_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "routine/schema.h"
#include "util/utf8.h"

/* Used where a file says nothing, documented in routines/README.md. */
#define DEFAULT_REST_BETWEEN_SETS_S 30
#define DEFAULT_REST_BETWEEN_STEPS_S 45
#define DEFAULT_COUNTDOWN_S 3
#define DEFAULT_VOICE "coach"
#define LEVEL_MAX 5

static const struct tempo default_tempo = {
	.lower_s = 2, .bottom_s = 1, .lift_s = 2, .top_s = 0,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const top_keys[] = {
	"repcue", "name", "level", "equipment", "voice", "safety", "defaults", "steps",
};
enum { T_REPCUE, T_NAME, T_LEVEL, T_EQUIPMENT, T_VOICE, T_SAFETY, T_DEFAULTS, T_STEPS };

static const char *const defaults_keys[] = {
	"rest_between_sets", "rest_between_steps", "countdown", "tempo",
};
enum { D_REST_SETS, D_REST_STEPS, D_COUNTDOWN, D_TEMPO };

static const char *const step_keys[] = {
	"name", "kind", "phase", "sets", "reps", "tempo", "seconds", "sides",
	"switch", "rest_between_sets", "rest_after", "intro", "next_up", "cues",
};
enum {
	S_NAME, S_KIND, S_PHASE, S_SETS, S_REPS, S_TEMPO, S_SECONDS, S_SIDES,
	S_SWITCH, S_REST_SETS, S_REST_AFTER, S_INTRO, S_NEXT_UP, S_CUES,
};

static const char *const cue_keys[] = { "at_rep", "every", "at_second", "say" };
enum { C_AT_REP, C_EVERY, C_AT_SECOND, C_SAY };

/* Indexed by the core enums, so the file words map straight onto them. */
/* The words of the step kinds (core/routine.h's table), in enum order. */
static const char *const kind_names[] = {
#define KIND_WORD(id, word, measure) word,
	STEP_KINDS(KIND_WORD)
#undef KIND_WORD
};

/* "hold or timed": the kinds whose sets count by measure (all of them if
 * measure is -1), each written as fmt ("%s", "'kind: %s'"), for messages
 * that stay true when a kind is added to the table.  Returns buf. */
static const char *kind_list(char *buf, size_t size, int measure, const char *fmt)
{
	size_t used = 0, n = 0, seen = 0;

	for (size_t i = 0; i < STEP_KIND_COUNT; i++)
		n += measure < 0 || (int)step_kinds[i].measure == measure;
	buf[0] = '\0';
	for (size_t i = 0; i < STEP_KIND_COUNT && used < size; i++) {
		int w;

		if (measure >= 0 && (int)step_kinds[i].measure != measure)
			continue;
		seen++;
		w = snprintf(buf + used, size - used, "%s", seen == 1 ? "" : seen == n ? " or " : ", ");
		used += w < 0 ? 0 : (size_t)w;
		if (used < size) {
			w = snprintf(buf + used, size - used, fmt, step_kinds[i].word);
			used += w < 0 ? 0 : (size_t)w;
		}
	}
	return buf;
}
#define KINDS_OF(measure) kind_list((char[80]){ 0 }, 80, (measure), "%s")
static const char *const phase_names[] = { "warm-up", "work", "cool-down" };
static const char *const sides_names[] = { "none", "left-right", "right-left", "alternate" };
_Static_assert(PHASE_WARM_UP == 0 && PHASE_WORK == 1 && PHASE_COOL_DOWN == 2, "phase_names order");
_Static_assert(SIDES_NONE == 0 && SIDES_LEFT_RIGHT == 1 && SIDES_RIGHT_LEFT == 2 &&
	       SIDES_ALTERNATE == 3, "sides_names order");

/* What the cue checks need to know about their step; a field is only
 * trusted when its _ok flag says it was read without problems. */
struct step_facts {
	bool kind_ok;
	bool reps_ok;
	bool seconds_ok;
};

/* Checks that node is a list, reporting otherwise. */
static bool want_list(struct schema *s, int node, const char *key,
		      const char *example)
{
	char hint[160];

	if (ydoc_kind(s->doc, node) == YNODE_SEQUENCE)
		return true;
	snprintf(hint, sizeof(hint), "write each item on its own line as '- %s'", example);
	schema_error(s, node, hint, "'%s' must be a list, not %s%s", key,
		     ydoc_kind_name(ydoc_kind(s->doc, node)), s->where);
	return false;
}

/* Reports items past max once, at the first one that does not fit. */
static size_t list_limit(struct schema *s, int list, const char *what,
			 size_t max)
{
	size_t n = ydoc_count(s->doc, list);
	char hint[120];

	if (n <= max)
		return n;
	snprintf(hint, sizeof(hint), "keep at most %zu; split the rest into another %s",
		 max, strcmp(what, "steps") ? "step" : "routine file");
	schema_error(s, ydoc_item(s->doc, list, max), hint,
		     "too many %s%s (%zu); the limit is %zu", what, s->where, n, max);
	return max;
}

/* "L-B-U-T": seconds of lowering, pause at the bottom, lifting, pause at
 * the top, each 0..9, not all zero. */
static bool read_tempo(struct schema *s, int node, struct tempo *out)
{
	static const char hint[] =
		"write four digits like 2-1-2-0: seconds lowering, pause at the bottom, lifting, pause at the top";
	int value[4] = { 0 };
	const char *text;
	size_t len, i = 0;

	if (ydoc_kind(s->doc, node) != YNODE_SCALAR) {
		schema_error(s, node, hint, "'tempo' must be text like 2-1-2-0, not %s%s",
			     ydoc_kind_name(ydoc_kind(s->doc, node)), s->where);
		return false;
	}
	text = ydoc_scalar(s->doc, node, &len);
	for (int part = 0; part < 4; part++) {
		size_t start = i;

		while (i < len && text[i] >= '0' && text[i] <= '9' && i - start < 3)
			value[part] = value[part] * 10 + (text[i++] - '0');
		if (i == start || (i < len && text[i] >= '0' && text[i] <= '9') ||
		    (part < 3 && (i >= len || text[i] != '-')) ||
		    (part == 3 && i != len)) {
			/* Word turns "2-1-2-0" into "2–1–2–0" (en dash) */
			bool long_dash = memmem(text, len, "\xe2\x80\x93", 3) || memmem(text, len, "\xe2\x80\x94", 3);
			schema_error(s, node, long_dash ? "it has a long dash (as Word types it): type the plain "
				     "minus key instead, like 2-1-2-0" : hint,
				     "'tempo' must be four numbers joined by '-'%s", s->where);
			return false;
		}
		if (value[part] > ROUTINE_TEMPO_DIGIT_MAX) {
			int line, col;

			ydoc_value_pos(s->doc, node, start, &line, &col);
			schema_error_at(s, line, col,
					hint, "tempo phase %d is %d seconds%s; each phase is 0 to %d",
					part + 1, value[part], s->where, ROUTINE_TEMPO_DIGIT_MAX);
			return false;
		}
		i++; /* the '-' */
	}
	if (value[0] + value[1] + value[2] + value[3] == 0) {
		schema_error(s, node, hint, "'tempo' 0-0-0-0 gives a rep no time%s", s->where);
		return false;
	}
	out->lower_s = value[0];
	out->bottom_s = value[1];
	out->lift_s = value[2];
	out->top_s = value[3];
	return true;
}

static void load_cue(struct schema *s, int node, const struct step *st,
		     const struct step_facts *facts, struct cue *cue)
{
	static const enum cue_trigger triggers[] = { CUE_AT_REP, CUE_EVERY_REPS, CUE_AT_SECOND };
	int v[N(cue_keys)], which = -1;
	char hint[160];

	if (!schema_map(s, node, "a cue", cue_keys, N(cue_keys), v))
		return;
	cue->line = ydoc_line(s->doc, node);
	for (int t = C_AT_REP; t <= C_AT_SECOND; t++) {
		if (!v[t])
			continue;
		if (which >= 0) {
			schema_error(s, v[t], "a cue has one trigger: split it into two cues",
				     "cue has both '%s' and '%s'%s", cue_keys[which],
				     cue_keys[t], s->where);
			which = -2;
			break;
		}
		which = t;
	}
	if (which == -1)
		schema_error(s, node, "add one of 'at_rep: N', 'every: N' or 'at_second: N'",
			     "cue has no trigger%s", s->where);
	if (!v[C_SAY])
		schema_error(s, node, "add 'say: ...' with the words to speak",
			     "cue has no 'say'%s", s->where);
	else
		schema_text(s, v[C_SAY], "say", sizeof(cue->text), TEXT_SPOKEN, cue->text);
	if (which < 0)
		return;

	cue->trigger = triggers[which];
	if (!schema_int(s, v[which], cue_keys[which], 1,
			which == C_AT_SECOND ? ROUTINE_SECONDS_MAX : ROUTINE_REPS_MAX,
			&cue->n) || !facts->kind_ok)
		return;
	if (which == C_AT_SECOND) {
		switch (step_kind_measure(st->kind)) {
		case STEP_MEASURE_REPS:
			snprintf(hint, sizeof(hint), "use 'at_rep' or 'every' in a %s step",
				 KINDS_OF(STEP_MEASURE_REPS));
			schema_error(s, v[which], hint, "'at_second' needs kind: %s%s",
				     KINDS_OF(STEP_MEASURE_SECONDS), s->where);
			break;
		case STEP_MEASURE_SECONDS:
			if (facts->seconds_ok && cue->n >= st->seconds) {
				snprintf(hint, sizeof(hint), "use a second from 1 to %d", st->seconds - 1);
				schema_error(s, v[which], hint,
					     "'at_second' is %d but the step lasts %d seconds%s",
					     cue->n, st->seconds, s->where);
			}
			break;
		}
		return;
	}
	switch (step_kind_measure(st->kind)) {
	case STEP_MEASURE_SECONDS:
		snprintf(hint, sizeof(hint), "use 'at_second' in a %s step",
			 KINDS_OF(STEP_MEASURE_SECONDS));
		schema_error(s, v[which], hint, "'%s' needs kind: %s%s", cue_keys[which],
			     KINDS_OF(STEP_MEASURE_REPS), s->where);
		break;
	case STEP_MEASURE_REPS:
		if (facts->reps_ok && st->reps > 0 && cue->n > st->reps) {
			snprintf(hint, sizeof(hint), "use a number from 1 to %d", st->reps);
			schema_error(s, v[which], hint,
				     which == C_EVERY ?
				     "'every' is %d but a set has only %d reps%s: it would never be spoken" :
				     "'at_rep' is %d but a set has only %d reps%s",
				     cue->n, st->reps, s->where);
		}
		break;
	}
}

/* Reads step fields that do not depend on the kind. */
static void load_step_common(struct schema *s, const int *v, struct step *st)
{
	bool sides_ok = true;
	int value;

	if (v[S_PHASE] && schema_enum(s, v[S_PHASE], "phase", phase_names,
				      N(phase_names), &value))
		st->phase = (enum step_phase)value;
	if (v[S_SIDES]) {
		sides_ok = schema_enum(s, v[S_SIDES], "sides", sides_names,
				       N(sides_names), &value);
		if (sides_ok)
			st->sides = (enum step_sides)value;
	}
	if (v[S_SETS])
		schema_int(s, v[S_SETS], "sets", 1, ROUTINE_SETS_MAX, &st->sets);
	if (v[S_REST_SETS])
		schema_int(s, v[S_REST_SETS], "rest_between_sets", 0,
			   ROUTINE_SECONDS_MAX, &st->rest_between_sets_s);
	if (v[S_REST_AFTER])
		schema_int(s, v[S_REST_AFTER], "rest_after", 0,
			   ROUTINE_SECONDS_MAX, &st->rest_after_s);
	if (v[S_NEXT_UP])
		schema_text(s, v[S_NEXT_UP], "next_up", sizeof(st->next_up),
			    TEXT_SPOKEN, st->next_up);
	/* A switch line on a one-sided step would never be heard: that is a
	 * mistake in the file, unless 'sides' itself was already reported. */
	if (v[S_SWITCH] && schema_text(s, v[S_SWITCH], "switch", sizeof(st->switch_text),
				       TEXT_SPOKEN, st->switch_text) &&
	    sides_ok && st->sides == SIDES_NONE)
		schema_error(s, v[S_SWITCH], "add 'sides: left-right', or remove 'switch'",
			     "'switch' is spoken between sides, but the step has none%s",
			     s->where);
	if (v[S_INTRO] && want_list(s, v[S_INTRO], "intro", "Stand tall.")) {
		size_t n = list_limit(s, v[S_INTRO], "intro lines", ROUTINE_INTRO_MAX);

		for (size_t i = 0; i < n; i++)
			if (schema_text(s, ydoc_item(s->doc, v[S_INTRO], i), "intro",
					ROUTINE_TEXT_MAX, TEXT_SPOKEN, st->intro[st->n_intro]))
				st->n_intro++;
	}
}

/* Reads the fields whose meaning depends on the kind: reps and tempo for
 * reps, seconds for hold and timed. With an unknown kind (already
 * reported) the values are still checked on their own. */
static void load_step_kind(struct schema *s, int node, const int *v,
			   struct step *st, struct step_facts *facts)
{
	char hint[120];
	bool reps_kind = false, time_kind = false;

	if (facts->kind_ok) {
		switch (step_kind_measure(st->kind)) {
		case STEP_MEASURE_REPS:
			reps_kind = true;
			break;
		case STEP_MEASURE_SECONDS:
			time_kind = true;
			break;
		}
	}

	if (v[S_REPS] && time_kind) {
		snprintf(hint, sizeof(hint), "use 'seconds' in a %s step",
			 KINDS_OF(STEP_MEASURE_SECONDS));
		schema_error(s, v[S_REPS], hint, "'reps' needs kind: %s%s",
			     KINDS_OF(STEP_MEASURE_REPS), s->where);
	} else if (v[S_REPS]) {
		if (ydoc_kind(s->doc, v[S_REPS]) == YNODE_SCALAR &&
		    strcmp(ydoc_scalar(s->doc, v[S_REPS], NULL), "open") == 0) {
			st->reps = 0; /* open-ended: the set ends when the user says done */
			facts->reps_ok = true;
		} else {
			facts->reps_ok = schema_int(s, v[S_REPS], "reps", 1,
						    ROUTINE_REPS_MAX, &st->reps);
		}
	} else if (reps_kind) {
		schema_error(s, node,
			     "add 'reps: 10', or 'reps: open' for a set that ends when you say \"done\"",
			     "missing 'reps'%s", s->where);
	}

	if (v[S_TEMPO] && time_kind)
		schema_error(s, v[S_TEMPO], "tempo sets the pace of reps; remove it here",
			     "'tempo' needs kind: %s%s", KINDS_OF(STEP_MEASURE_REPS), s->where);
	else if (v[S_TEMPO])
		read_tempo(s, v[S_TEMPO], &st->tempo);

	if (v[S_SECONDS] && reps_kind) {
		snprintf(hint, sizeof(hint), "use 'reps' (and 'tempo') in a %s step",
			 KINDS_OF(STEP_MEASURE_REPS));
		schema_error(s, v[S_SECONDS], hint, "'seconds' needs kind: %s%s",
			     KINDS_OF(STEP_MEASURE_SECONDS), s->where);
	} else if (v[S_SECONDS]) {
		facts->seconds_ok = schema_int(s, v[S_SECONDS], "seconds", 1,
					       ROUTINE_SECONDS_MAX, &st->seconds);
	} else if (time_kind) {
		schema_error(s, node, "add 'seconds: 30': how long one set lasts, per side",
			     "missing 'seconds'%s", s->where);
	}
}

/* One spoken line with its placeholders filled in must fit a plan line
 * (PLAN_TEXT_MAX - 1 bytes) for every rep, set and side: checked here, so
 * `check` refuses what play and render could only cut. */
static void check_expansion(struct schema *s, int node, const char *key, const char *text,
			    const struct step *st, const struct phrasebook *book)
{
	size_t n;
	char hint[160];

	if (!node || !text[0] || !strchr(text, '{'))
		return;
	n = plan_expand_longest_in(text, st, book);
	if (n < PLAN_TEXT_MAX)
		return;
	snprintf(hint, sizeof(hint), "shorten it%s, or split it into two lines",
		 strstr(text, "{name}") ? " or the step's name, which {name} repeats" : "");
	schema_error(s, node, hint,
		     "'%s'%s is up to %zu bytes long with its placeholders filled in; "
		     "the limit is %d bytes", key, s->where, n, PLAN_TEXT_MAX - 1);
}

/* book: the phrasebook of the routine's voice (NULL: English), which
 * says {side}. */
static void check_expansions(struct schema *s, const int *v, const struct step *st,
			     const struct phrasebook *book)
{
	int k = 0;

	if (st->name[0])
		snprintf(s->where, sizeof(s->where), " in step '%s'", st->name);
	check_expansion(s, v[S_NEXT_UP], "next_up", st->next_up, st, book);
	check_expansion(s, v[S_SWITCH], "switch", st->switch_text, st, book);
	for (size_t i = 0; v[S_INTRO] && i < ydoc_count(s->doc, v[S_INTRO]) && k < st->n_intro; i++)
		check_expansion(s, ydoc_item(s->doc, v[S_INTRO], i), "intro", st->intro[k++], st, book);
	k = 0;
	if (st->name[0])
		snprintf(s->where, sizeof(s->where), " in a cue of step '%s'", st->name);
	for (size_t i = 0; v[S_CUES] && i < ydoc_count(s->doc, v[S_CUES]) && k < st->n_cues; i++)
		check_expansion(s, schema_lookup(s, ydoc_item(s->doc, v[S_CUES], i), "say"), "say",
				st->cues[k++].text, st, book);
}

static void load_step(struct schema *s, int node, size_t index,
		      const struct routine_defaults *def, const struct phrasebook *book,
		      struct step *st)
{
	int v[N(step_keys)];
	struct step_facts facts = { 0 };
	const char *name;
	size_t len;
	int value;

	memset(st, 0, sizeof(*st));
	st->phase = PHASE_WORK;
	st->sides = SIDES_NONE;
	st->sets = 1;
	st->tempo = def->tempo;
	st->rest_between_sets_s = def->rest_between_sets_s;
	st->rest_after_s = def->rest_between_steps_s;
	st->line = ydoc_line(s->doc, node);

	/* The name first, so every message about the step, even an unknown
	 * key before the name, can say which step. A name that is itself
	 * wrong is reported below, by number. */
	snprintf(s->where, sizeof(s->where), " in step %zu", index + 1);
	name = ydoc_scalar(s->doc, schema_lookup(s, node, "name"), &len);
	if (len > 0 && len < sizeof(st->name) && utf8_first_bad(name, len) == 0 &&
	    !strpbrk(name, "{}"))
		snprintf(s->where, sizeof(s->where), " in step '%s'", name);
	if (!schema_map(s, node, "a step", step_keys, N(step_keys), v))
		return;
	snprintf(s->where, sizeof(s->where), " in step %zu", index + 1);
	if (!v[S_NAME])
		schema_error(s, node, "add 'name: ...': it is spoken when the step starts",
			     "missing 'name'%s", s->where);
	else if (schema_text(s, v[S_NAME], "name", sizeof(st->name), TEXT_NAME, st->name))
		snprintf(s->where, sizeof(s->where), " in step '%s'", st->name);

	if (!v[S_KIND]) {
		char hint[160];

		snprintf(hint, sizeof(hint), "add %s", kind_list((char[120]){ 0 }, 120, -1, "'kind: %s'"));
		schema_error(s, node, hint, "missing 'kind'%s", s->where);
	} else if (schema_enum(s, v[S_KIND], "kind", kind_names, N(kind_names), &value)) {
		st->kind = (enum step_kind)value;
		facts.kind_ok = true;
	}
	load_step_common(s, v, st);
	load_step_kind(s, node, v, st, &facts);

	if (v[S_CUES] && want_list(s, v[S_CUES], "cues", "{at_rep: 5, say: Halfway.}")) {
		size_t n = list_limit(s, v[S_CUES], "cues", ROUTINE_CUES_MAX);

		if (st->name[0])
			snprintf(s->where, sizeof(s->where), " in a cue of step '%s'", st->name);
		else
			snprintf(s->where, sizeof(s->where), " in a cue of step %zu", index + 1);
		for (size_t i = 0; i < n; i++)
			load_cue(s, ydoc_item(s->doc, v[S_CUES], i), st, &facts,
				 &st->cues[st->n_cues++]);
	}
	check_expansions(s, v, st, book);
}

static void load_defaults(struct schema *s, int node, struct routine_defaults *def)
{
	int v[N(defaults_keys)];

	snprintf(s->where, sizeof(s->where), " in 'defaults'");
	if (!schema_map(s, node, "'defaults'", defaults_keys, N(defaults_keys), v))
		return;
	if (v[D_REST_SETS])
		schema_int(s, v[D_REST_SETS], "rest_between_sets", 0,
			   ROUTINE_SECONDS_MAX, &def->rest_between_sets_s);
	if (v[D_REST_STEPS])
		schema_int(s, v[D_REST_STEPS], "rest_between_steps", 0,
			   ROUTINE_SECONDS_MAX, &def->rest_between_steps_s);
	if (v[D_COUNTDOWN])
		schema_int(s, v[D_COUNTDOWN], "countdown", 0, ROUTINE_COUNTDOWN_MAX,
			   &def->countdown_s);
	if (v[D_TEMPO])
		read_tempo(s, v[D_TEMPO], &def->tempo);
}

/* With options->voices_dir, the named profile must exist and be valid;
 * its own problems are passed on under its file name, and one more at
 * the 'voice' key says why that file was read at all. Returns the
 * phrasebook of its language, or NULL (English) when it was not read. */
static const struct phrasebook *check_voice(struct schema *s, int node, const char *voice,
					    const struct routine_load_options *opts)
{
	const struct phrasebook *book = NULL;
	struct voice_profile profile;
	struct diag_list *found;
	char path[ROUTINE_PATH_MAX], hint[200];
	int ret;

	if (!opts || !opts->voices_dir)
		return NULL;
	if (voice_profile_path(opts, voice, path, sizeof(path)) < 0) {
		schema_error(s, node, "use a shorter data directory path",
			     "path of voice profile '%s' is too long", voice);
		return NULL;
	}
	found = malloc(sizeof(*found));
	if (!found) {
		schema_error(s, node, "", "out of memory checking voice profile '%s'", voice);
		return NULL;
	}
	ret = voice_profile_load(path, &profile, found);
	if (ret == -ENOENT) {
		if (opts->card_voices_dir && opts->card_voices_dir[0])
			snprintf(hint, sizeof(hint), "copy %.40s.yaml to %.100s, or use 'voice: %s'", voice,
				 opts->card_voices_dir, DEFAULT_VOICE);
		else
			snprintf(hint, sizeof(hint), "create %.150s, or use 'voice: %s'", path, DEFAULT_VOICE);
		schema_error(s, node, hint, "voice profile '%s' not found", voice);
	} else if (ret < 0) {
		for (int i = 0; i < found->count; i++)
			diag_add(s->diags, found->items[i].file, found->items[i].line,
				 found->items[i].col, found->items[i].hint, "%s",
				 found->items[i].message);
		s->diags->dropped += found->dropped;
		snprintf(hint, sizeof(hint), "fix the problems reported for %.150s", path);
		schema_error(s, node, hint, "voice profile '%s' cannot be used", voice);
	} else {
		book = phrasebook_find(profile.language);
	}
	free(found);
	return book;
}

/* Hours and minutes of a length in seconds, "about 5 hours 30 minutes". */
static const char *hours_text(char *buf, size_t size, long seconds)
{
	long minutes = (seconds + 30) / 60, h = minutes / 60, m = minutes % 60;
	int n = 0;

	buf[0] = '\0';
	if (h > 0)
		n = snprintf(buf, size, "%ld %s", h, h == 1 ? "hour" : "hours");
	if ((m > 0 || h == 0) && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "%s%ld %s", h > 0 ? " " : "", m, m == 1 ? "minute" : "minutes");
	return buf;
}

/* A valid routine whose session, as `repcue check` times it, would last
 * longer than ROUTINE_SESSION_MAX_S is refused at the step where it
 * passes the limit (or at the routine, when it passes it in its closing
 * words). The plan is built here once more, as check, play and render
 * will build it: the timing model is the plan's, and a limit checked on
 * another estimate would disagree with the minutes check prints. */
static void check_session_length(struct schema *s, int root, int steps, const struct routine *r,
				 const struct phrasebook *book)
{
	const frames_t limit = frames_from_s(ROUTINE_SESSION_MAX_S);
	char total_text[40], limit_text[40], hint[120];
	struct plan plan;
	int past;

	if (plan_build_in(&plan, r, book) < 0)
		return; /* not a question of length; play and check say why */
	past = plan_first_segment_past(&plan, PLAN_SPEECH_MS_PER_CHAR, limit);
	if (past >= 0) {
		int step = plan.segments[past].step;
		long total_s = (long)(plan_expected_frames(&plan, PLAN_SPEECH_MS_PER_CHAR) / SESSION_RATE_HZ);

		hours_text(limit_text, sizeof(limit_text), ROUTINE_SESSION_MAX_S);
		hours_text(total_text, sizeof(total_text), total_s);
		snprintf(hint, sizeof(hint), "a session can be at most %s; split it into two routines",
			 limit_text);
		if (step >= 0 && step < r->n_steps)
			schema_error(s, ydoc_item(s->doc, steps, (size_t)step), hint,
				     "the session passes %s in step %d '%s' (about %s in all)",
				     limit_text, step + 1, r->steps[step].name, total_text);
		else
			schema_error(s, root, hint, "the session lasts about %s, more than %s",
				     total_text, limit_text);
	}
	plan_finish(&plan);
}

static void load_routine(struct schema *s, const struct routine_load_options *opts,
			 struct routine *r)
{
	int root = ydoc_root(s->doc), v[N(top_keys)];

	r->version = ROUTINE_FORMAT_VERSION;
	r->level = 1;
	snprintf(r->voice, sizeof(r->voice), "%s", DEFAULT_VOICE);
	r->defaults.rest_between_sets_s = DEFAULT_REST_BETWEEN_SETS_S;
	r->defaults.rest_between_steps_s = DEFAULT_REST_BETWEEN_STEPS_S;
	r->defaults.countdown_s = DEFAULT_COUNTDOWN_S;
	r->defaults.tempo = default_tempo;

	if (!schema_document(s, ROUTINE_FORMAT_VERSION,
			     "start with 'repcue: 1', a name and a list of steps (see routines/README.md)",
			     "a routine file", top_keys, N(top_keys), v))
		return;
	if (!v[T_NAME])
		schema_error(s, root, "add 'name: ...', e.g. 'name: Upper back, level 1'",
			     "missing 'name'");
	else
		schema_text(s, v[T_NAME], "name", sizeof(r->name), TEXT_NAME, r->name);
	if (v[T_LEVEL])
		schema_int(s, v[T_LEVEL], "level", 1, LEVEL_MAX, &r->level);
	if (v[T_EQUIPMENT] && want_list(s, v[T_EQUIPMENT], "equipment", "resistance band")) {
		size_t n = list_limit(s, v[T_EQUIPMENT], "equipment items", ROUTINE_EQUIPMENT_MAX);

		for (size_t i = 0; i < n; i++)
			if (schema_text(s, ydoc_item(s->doc, v[T_EQUIPMENT], i), "equipment",
					ROUTINE_NAME_MAX, TEXT_NAME, r->equipment[r->n_equipment]))
				r->n_equipment++;
	}
	const struct phrasebook *book = NULL;
	if (v[T_VOICE] && schema_word(s, v[T_VOICE], "voice", sizeof(r->voice), r->voice))
		book = check_voice(s, v[T_VOICE], r->voice, opts);
	else if (!v[T_VOICE])
		book = check_voice(s, root, r->voice, opts);
	if (v[T_SAFETY])
		schema_text(s, v[T_SAFETY], "safety", sizeof(r->safety), TEXT_SPOKEN, r->safety);
	if (v[T_DEFAULTS])
		load_defaults(s, v[T_DEFAULTS], &r->defaults);

	s->where[0] = '\0';
	if (!v[T_STEPS]) {
		schema_error(s, root, "add 'steps:' with a list of steps (see routines/README.md)",
			     "missing 'steps'");
	} else if (want_list(s, v[T_STEPS], "steps", "name: ...")) {
		size_t n = list_limit(s, v[T_STEPS], "steps", ROUTINE_STEPS_MAX);

		if (n == 0)
			schema_error(s, v[T_STEPS], "add at least one step",
				     "'steps' is empty");
		for (size_t i = 0; i < n; i++)
			load_step(s, ydoc_item(s->doc, v[T_STEPS], i), i, &r->defaults, book,
				  &r->steps[r->n_steps++]);
		s->where[0] = '\0';
		if (s->errors == 0)
			check_session_length(s, root, v[T_STEPS], r, book);
	}
}

struct routine_job {
	const struct routine_load_options *opts;
	struct routine *out;
};

static void load_routine_job(struct schema *s, void *ctx)
{
	struct routine_job *job = ctx;

	load_routine(s, job->opts, job->out);
}

/* From buf[0..len), or from the file at name when buf is NULL. */
static int load_from(const char *name, const char *buf, size_t len,
		     const struct routine_load_options *opts, struct routine *out,
		     struct diag_list *diags)
{
	struct routine_job job = { .opts = opts, .out = out };

	memset(out, 0, sizeof(*out));
	return schema_parse_source(name, buf, len, diags, load_routine_job, &job);
}

int routine_parse(const char *name, const char *buf, size_t len,
		  struct routine *out, struct diag_list *diags)
{
	return load_from(name, buf ? buf : "", len, NULL, out, diags);
}

int routine_load_with(const char *path, const struct routine_load_options *opts,
		      struct routine *out, struct diag_list *diags)
{
	return load_from(path, NULL, 0, opts, out, diags);
}

int routine_load(const char *path, struct routine *out, struct diag_list *diags)
{
	return routine_load_with(path, NULL, out, diags);
}
