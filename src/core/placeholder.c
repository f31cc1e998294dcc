/* placeholder.c - filling a line's placeholders ({rep}, {name},
 * {seconds|second|seconds}) from struct placeholder_values, and the
 * longest a template can become (what the loader checks against
 * PLAN_TEXT_MAX).  Used by the plan builder and by everything that says a
 * phrase outside a plan (the lobby, the session's offers, the CLI). */
#include "core/plan.h"

#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

/* The value of placeholder key[0..len) or NULL if it is none; buf holds
 * numbers and the chosen form of a counted word ("{seconds|second|seconds}",
 * phrase_placeholder_parse), which only a number's slot may have. */
static const char *placeholder(const char *key, size_t len, const struct placeholder_values *v,
			       char *buf, size_t size)
{
	struct phrase_forms forms;
	int n;

	switch (phrase_placeholder_parse(key, len, &forms)) {
	case SLOT_REP: n = v->rep; break;
	case SLOT_REPS: n = v->reps; break;
	case SLOT_SET: n = v->set; break;
	case SLOT_SETS: n = v->sets; break;
	case SLOT_SECONDS: n = v->seconds; break;
	case SLOT_STEP: n = v->step; break;
	case SLOT_STEPS: n = v->steps; break;
	case SLOT_NUMBER: n = v->number; break;
	case SLOT_TOTAL: n = v->total; break;
	case SLOT_SIDE:
		if (forms.one)
			return NULL;
		if (v->side == SIDE_NONE)
			return "";
		return phrase_text(v->book, phrase_side(PHRASE_SIDE_LEFT, v->side == SIDE_RIGHT));
	case SLOT_NAME: return forms.one ? NULL : v->name ? v->name : "";
	case SLOT_EACH: return forms.one ? NULL : v->each ? v->each : "";
	case SLOT_INPUT: return forms.one ? NULL : v->input ? v->input : "";
	default: return NULL;
	}
	if (forms.one) {
		size_t form_len;
		const char *form = phrase_form(&forms, n, &form_len);

		if (form_len >= size)
			return NULL;
		memcpy(buf, form, form_len);
		buf[form_len] = '\0';
		return buf;
	}
	snprintf(buf, size, "%d", n);
	return buf;
}

size_t plan_expand(char *out, size_t out_size, const char *tmpl,
		   const struct placeholder_values *v)
{
	size_t total = 0, kept = 0;
	bool full = out_size == 0;

	for (const char *t = tmpl; *t;) {
		char buf[64];
		const char *piece = NULL, *end = *t == '{' ? strchr(t, '}') : NULL;
		size_t n;

		if (end)
			piece = placeholder(t + 1, (size_t)(end - t - 1), v, buf, sizeof(buf));
		if (piece) {
			n = strlen(piece);
			t = end + 1;
		} else {
			piece = t++;
			n = 1;
		}
		/* Whole pieces only: once one does not fit, nothing more is
		 * written, so the text never ends inside a value. */
		if (!full && kept + n < out_size) {
			memcpy(out + kept, piece, n);
			kept += n;
		} else {
			full = true;
		}
		total += n;
	}
	if (out_size == 0)
		return total;
	if (total > kept)  /* cut short: never inside a UTF-8 character */
		kept = utf8_complete(out, kept);
	out[kept] = '\0';
	return total;
}

size_t plan_expand_longest(const char *tmpl, const struct step *st)
{
	return plan_expand_longest_in(tmpl, st, NULL);
}

size_t plan_expand_longest_in(const char *tmpl, const struct step *st,
			      const struct phrasebook *book)
{
	static const enum side sides[] = { SIDE_NONE, SIDE_LEFT, SIDE_RIGHT };
	size_t longest = 0;

	/* every value is longest at its largest; the side names differ */
	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		struct placeholder_values v = {
			.rep = st->reps > 0 ? st->reps : ROUTINE_REPS_MAX, .reps = st->reps,
			.set = st->sets, .sets = st->sets, .seconds = st->seconds,
			.side = sides[i], .name = st->name, .book = book,
		};
		size_t n = plan_expand(NULL, 0, tmpl, &v);

		if (n > longest)
			longest = n;
	}
	return longest;
}
