/* test_phrase.c - the phrasebooks (unit tier): every phrase in every
 * language, the same slots in every language, the voice language -> book
 * mapping, the plan built in German with no English fixed sentence left,
 * the order of slots free per language, and the one list of placeholders
 * as the routine loader and the voice loader use it. */
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "core/plan.h"
#include "phrase/phrase.h"
#include "routine/routine_load.h"

/* Bit set of the slots a text uses ("{seconds}" and the forms of a word it
 * counts, "{seconds|second|seconds}", both use seconds); unknown {names}
 * and malformed forms set bit 31. */
static unsigned slots_of(const char *text)
{
	unsigned set = 0;

	for (const char *t = strchr(text, '{'); t; t = strchr(t + 1, '{')) {
		const char *end = strchr(t, '}');
		struct phrase_forms forms;
		int slot = end ? phrase_placeholder_parse(t + 1, (size_t)(end - t - 1), &forms) : -1;
		set |= slot >= 0 ? 1u << slot : 1u << 31;
	}
	return set;
}

static int n_books(void)
{
	int n = 0;

	while (phrasebooks[n])
		n++;
	return n;
}

static void test_every_phrase_everywhere(void)
{
	const struct phrasebook *en = phrasebooks[0];

	CHECK(n_books() >= 2, "English and German at least: %d", n_books());
	CHECK(strcmp(en->language, "en") == 0, "English first (the default): %s", en->language);
	for (int b = 0; phrasebooks[b]; b++) {
		const struct phrasebook *book = phrasebooks[b];
		CHECK(book->language && book->language[0] && book->name && book->name[0],
		      "book %d names its language", b);
		for (int id = 0; id < PHRASE_COUNT; id++) {
			const char *text = book->text[id];
			CHECK(text && text[0], "%s: phrase %d has a text", book->language, id);
			if (!text)
				continue;
			CHECK(!(slots_of(text) & 1u << 31), "%s: phrase %d '%s': only known slots",
			      book->language, id, text);
			CHECK(slots_of(text) == slots_of(en->text[id]),
			      "%s: phrase %d '%s' has the slots of English '%s'", book->language, id, text,
			      en->text[id]);
			CHECK(strlen(text) < 300, "%s: phrase %d fits a plan line with its values",
			      book->language, id);
		}
		for (int c = 0; c < b; c++)
			CHECK(strcmp(phrasebooks[c]->language, book->language) != 0,
			      "one book per language: %s", book->language);
	}
}

static void test_find(void)
{
	const struct phrasebook *en = phrasebook_find("en"), *de = phrasebook_find("de");
	char list[200];

	CHECK(en && strcmp(en->language, "en") == 0, "en");
	CHECK(de && strcmp(de->language, "de") == 0, "de");
	CHECK(phrasebook_find("en-gb") == en && phrasebook_find("en-us") == en &&
	      phrasebook_find("EN-GB") == en, "every English variant is English");
	CHECK(phrasebook_find("de-CH") == de, "Swiss German is German");
	CHECK(!phrasebook_find("fr") && !phrasebook_find("") && !phrasebook_find("english") &&
	      !phrasebook_find("e") && !phrasebook_find("-en"), "no book for fr, '', english, e, -en");
	CHECK(strcmp(phrasebook_list(list, sizeof(list)), "en (English), de (Deutsch)") == 0, "'%s'", list);
	CHECK(strcmp(phrase_text(NULL, PHRASE_PAUSED), "Paused.") == 0, "NULL is English");
	CHECK(strcmp(phrase_text(de, PHRASE_PAUSED), "Pause.") == 0, "German");
	for (int i = 0; i < SLOT_COUNT; i++)
		CHECK(phrase_slot_find(phrase_slot_names[i], strlen(phrase_slot_names[i])) == i,
		      "slot %s", phrase_slot_names[i]);
	CHECK(phrase_slot_find("sid", 3) < 0 && phrase_slot_find("sides", 5) < 0, "no near slots");
}

static struct routine *load(const char *yaml)
{
	struct routine *r = calloc(1, sizeof(*r));
	struct diag_list diags = { 0 };

	if (r && routine_parse("test.yaml", yaml, strlen(yaml), r, &diags) < 0) {
		for (int i = 0; i < diags.count; i++)
			diag_print(stderr, &diags.items[i]);
		free(r);
		return NULL;
	}
	return r;
}

/* A routine that reaches every sentence the plan builds: equipment, the
 * three phases, reps with sets and sides, an open set, holds and timed
 * work with sides, rests long enough for "ten seconds". */
static const char routine_yaml[] =
	"repcue: 1\n"
	"name: Test\n"
	"equipment: [ball, band, mat]\n"
	"safety: Careful.\n"
	"defaults: {rest_between_sets: 30, rest_between_steps: 20, countdown: 3}\n"
	"steps:\n"
	"  - {name: Circles, kind: timed, phase: warm-up, seconds: 25, sides: left-right}\n"
	"  - {name: Stretch, kind: hold, phase: warm-up, seconds: 20}\n"
	"  - {name: Rows, kind: reps, reps: 3, sets: 3, sides: alternate, intro: [\"The {side} arm.\"]}\n"
	"  - {name: Squats, kind: reps, reps: open}\n"
	"  - {name: Plank, kind: timed, seconds: 5, sets: 2}\n"
	"  - {name: Reach, kind: reps, reps: 2, sides: right-left}\n"
	"  - {name: Lie, kind: hold, phase: cool-down, seconds: 30, sets: 2, sides: left-right}\n";

static bool plan_says(const struct plan *p, const char *text)
{
	for (int i = 0; i < p->n_texts; i++)
		if (strcmp(p->texts[i], text) == 0)
			return true;
	return false;
}

/* Whether `text` is phrase `tmpl` with any slot values: literal parts in
 * order, a slot standing for anything. */
static bool matches(const char *text, const char *tmpl)
{
	if (*tmpl == '\0')
		return *text == '\0';
	if (*tmpl == '{') {
		const char *end = strchr(tmpl, '}');
		for (const char *t = text;; t++) {
			if (matches(t, end + 1))
				return true;
			if (*t == '\0')
				return false;
		}
	}
	return *text == *tmpl && matches(text + 1, tmpl + 1);
}

static void test_plan_in_german(void)
{
	const struct phrasebook *de = phrasebook_find("de"), *en = phrasebook_find("en");
	struct routine *r = load(routine_yaml);
	struct plan plan, english;

	CHECK(r != NULL, "the test routine loads");
	if (!r)
		return;
	CHECK(plan_build_in(&plan, r, de) == 0, "German plan");
	CHECK(plan_build(&english, r) == 0, "English plan");
	plan_finish(&english);
	CHECK(plan_build_in(&english, r, NULL) == 0, "English plan, no book");
	plan_finish(&english);
	CHECK(plan_build_in(&english, r, en) == 0, "English plan by book");
	for (int i = 0; i < TEXT_FIXED_COUNT; i++)
		CHECK(strcmp(plan.texts[i], de->text[i]) == 0, "fixed text %d: '%s'", i, plan.texts[i]);
	static const char *const german[] = {
		"Test.", "Du brauchst: ball, band und mat.", "Aufwärmen.", "Jetzt der Hauptteil.",
		"Abwärmen.", "Übung 1 von 7: Circles.", "25 Sekunden Arbeit, pro Seite.",
		"20 Sekunden halten.", "3 Sätze mit 3 Wiederholungen, pro Seite.",
		"1 offener Satz: so viele saubere Wiederholungen wie du schaffst, dann drück auf weiter.",
		"2 Runden mit 5 Sekunden.", "1 Satz mit 2 Wiederholungen, pro Seite.",
		"2 Runden mit 30 Sekunden, pro Seite.", "The links arm.",
		"Satz 1 von 3. Zuerst die linke Seite.", "Satz 2 von 3. Zuerst die rechte Seite.",
		"Wechsel auf die rechte Seite.", "Wechsel auf die linke Seite.",
		"Zuerst die rechte Seite.", "Zuerst die linke Seite.", "Mach dich bereit.",
		"Satz 2 noch einmal, rechte Seite.", "Satz 2 noch einmal.", "Noch einmal, linke Seite.",
		"Noch einmal.", "Los.", "Halten.", "Und lösen.", "Stopp.", "Noch 10 Sekunden.",
		"Pause, 30 Sekunden.", "Noch zehn Sekunden.", "Gleich: Satz 2 von 3.",
		"Als Nächstes: Stretch.", "Das war das ganze Training. Gut gemacht, bis zum nächsten Mal.",
	};
	for (size_t i = 0; i < sizeof(german) / sizeof(german[0]); i++)
		CHECK(plan_says(&plan, german[i]), "the German plan says '%s'", german[i]);
	/* No English sentence of the coach's own is left in the German plan
	 * (phrases the same in both, like "{name}.", cannot tell). The
	 * English plan of the same routine says each one it uses. */
	int english_used = 0;
	for (int id = 0; id < PHRASE_COUNT; id++) {
		if (strcmp(en->text[id], de->text[id]) == 0 || id == PHRASE_EACH_SIDE ||
		    id == PHRASE_LIST_SEP || id == PHRASE_LIST_LAST_SEP || id == PHRASE_SIDE_LEFT ||
		    id == PHRASE_SIDE_RIGHT)
			continue;  /* parts of lines, checked through the lines */
		for (int t = 0; t < plan.n_texts; t++)
			CHECK(!matches(plan.texts[t], en->text[id]), "German plan line '%s' is English '%s'",
			      plan.texts[t], en->text[id]);
		for (int t = 0; t < english.n_texts; t++)
			if (matches(english.texts[t], en->text[id])) {
				english_used++;
				break;
			}
	}
	CHECK(english_used >= 35, "the routine reaches most English phrases: %d", english_used);
	CHECK(plan.n_segments == english.n_segments && plan.n_actions == english.n_actions,
	      "the same plan in both languages: %d/%d segments, %d/%d actions", plan.n_segments,
	      english.n_segments, plan.n_actions, english.n_actions);
	for (int i = 0; i < plan.n_actions && i < english.n_actions; i++)
		if (plan.actions[i].at != english.actions[i].at || plan.actions[i].kind != english.actions[i].kind) {
			CHECK(false, "action %d differs in timing", i);
			break;
		}
	plan_finish(&english);

	/* Slots in another order: a language that says the total first. */
	struct phrasebook backwards = *en;
	backwards.text[PHRASE_SET_OF] = "Of {sets}, set {set}.";
	backwards.text[PHRASE_EXERCISE] = "{name}, {step}/{steps}.";
	CHECK(plan_build_in(&english, r, &backwards) == 0, "a book with its own order");
	CHECK(plan_says(&english, "Of 2, set 1.") && plan_says(&english, "Circles, 1/7."),
	      "slots in the book's order");
	plan_finish(&english);
	plan_finish(&plan);
	free(r);
}

/* {side} is said in the voice's language: the loader's length check uses
 * the same words. */
static void test_longest(void)
{
	struct step st = { .reps = 3, .sets = 1, .sides = SIDES_LEFT_RIGHT };
	const struct phrasebook *de = phrasebook_find("de");

	snprintf(st.name, sizeof(st.name), "x");
	CHECK(plan_expand_longest("{side}", &st) == 5, "English 'right'");
	CHECK(plan_expand_longest_in("{side}", &st, de) == 6, "German 'rechts'");
	CHECK(plan_expand_longest_in("{side}", &st, NULL) == 5, "NULL is English");
}

static void test_routine_placeholders(void)
{
	struct routine r;
	struct diag_list diags = { 0 };
	const char *yaml =
		"repcue: 1\nname: T\nsteps:\n  - {name: A, kind: reps, reps: 2, intro: [\"Exercise {step}.\"]}\n";

	CHECK(routine_parse("t.yaml", yaml, strlen(yaml), &r, &diags) < 0 && diags.count == 1 &&
	      strstr(diags.items[0].message, "unknown placeholder '{step}'") &&
	      strstr(diags.items[0].hint, "{rep} {reps} {set} {sets} {side} {name} {seconds}") &&
	      !strstr(diags.items[0].hint, "{step}"),
	      "phrase-only slots are not routine placeholders: %s / %s",
	      diags.count ? diags.items[0].message : "", diags.count ? diags.items[0].hint : "");
}

static void test_voice_language(void)
{
	struct voice_profile vp;
	struct diag_list diags = { 0 };
	const char *fr = "repcue: 1\nname: fr\nlanguage: fr\n";
	const char *de = "repcue: 1\nname: de\nlanguage: de\nvariant: m3\n";
	const char *gb = "repcue: 1\nname: gb\nlanguage: en-gb\n";

	CHECK(voice_profile_parse("voices/fr.yaml", fr, strlen(fr), &vp, &diags) < 0 && diags.count == 1 &&
	      diags.items[0].line == 3 && diags.items[0].col == 11 &&
	      strstr(diags.items[0].message, "no phrasebook for language 'fr'") &&
	      strstr(diags.items[0].hint, "en (English), de (Deutsch)") &&
	      strstr(diags.items[0].hint, "Languages"),
	      "an unknown language names the line and the languages: %d:%d %s / %s",
	      diags.count ? diags.items[0].line : 0, diags.count ? diags.items[0].col : 0,
	      diags.count ? diags.items[0].message : "", diags.count ? diags.items[0].hint : "");
	CHECK(voice_profile_parse("voices/de.yaml", de, strlen(de), &vp, &diags) == 0 &&
	      strcmp(vp.language, "de") == 0, "German voice");
	CHECK(voice_profile_parse("voices/gb.yaml", gb, strlen(gb), &vp, &diags) == 0, "en-gb voice");
}

/* Every phrase that says a number with a word it counts, in every
 * language, with 1 and with 2 (issue 17 item 12: "Rest, 1 seconds."). */
static void test_one_and_many(void)
{
	static const struct {
		const char *language;
		enum phrase_id id;
		const char *one, *two;  /* every number 1; every number 2 */
	} cases[] = {
		{ "en", PHRASE_HOLD_FOR, "Hold for 1 second.", "Hold for 2 seconds." },
		{ "en", PHRASE_WORK_FOR, "Work for 1 second.", "Work for 2 seconds." },
		{ "en", PHRASE_ROUNDS, "1 round of 1 second.", "2 rounds of 2 seconds." },
		{ "en", PHRASE_SECONDS_LEFT, "1 second left.", "2 seconds left." },
		{ "en", PHRASE_REST, "Rest, 1 second.", "Rest, 2 seconds." },
		{ "en", PHRASE_REPS_SETS, "1 set of 1.", "2 sets of 2." },
		{ "en", PHRASE_OPEN_SETS, "1 open set: as many good reps as you can, then press next.",
		  "2 open sets: as many good reps as you can, then press next." },
		{ "en", PHRASE_MORE_BAD, "1 more routine file has problems.",
		  "2 more routine files have problems." },
		{ "de", PHRASE_HOLD_FOR, "1 Sekunde halten.", "2 Sekunden halten." },
		{ "de", PHRASE_WORK_FOR, "1 Sekunde Arbeit.", "2 Sekunden Arbeit." },
		{ "de", PHRASE_ROUNDS, "1 Runde mit 1 Sekunde.", "2 Runden mit 2 Sekunden." },
		{ "de", PHRASE_SECONDS_LEFT, "Noch 1 Sekunde.", "Noch 2 Sekunden." },
		{ "de", PHRASE_REST, "Pause, 1 Sekunde.", "Pause, 2 Sekunden." },
		{ "de", PHRASE_REPS_SETS, "1 Satz mit 1 Wiederholung.", "2 Sätze mit 2 Wiederholungen." },
		{ "de", PHRASE_OPEN_SETS, "1 offener Satz: so viele saubere Wiederholungen wie du schaffst, dann "
		  "drück auf weiter.", "2 offene Sätze: so viele saubere Wiederholungen wie du schaffst, dann "
		  "drück auf weiter." },
		{ "de", PHRASE_MORE_BAD, "1 weitere Routinedatei hat Fehler.",
		  "2 weitere Routinedateien haben Fehler." },
	};
	/* the plural nouns the phrasebooks count, which must never follow a 1 */
	static const char *const plurals[] = {
		" seconds", " rounds", " sets", " reps", " minutes", " files",
		" Sekunden", " Runden", " Sätze", " Wiederholungen", " Minuten", " Routinedateien",
	};
	char line[PLAN_TEXT_MAX], bad[40];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct phrasebook *book = phrasebook_find(cases[i].language);
		for (int n = 1; n <= 2; n++) {
			const struct placeholder_values v = {
				.rep = n, .reps = n, .set = n, .sets = n, .seconds = n, .number = n,
				.book = book,
			};
			const char *want = n == 1 ? cases[i].one : cases[i].two;
			plan_expand(line, sizeof(line), phrase_text(book, cases[i].id), &v);
			CHECK(strcmp(line, want) == 0, "%s phrase %d with %d: '%s', want '%s'",
			      cases[i].language, cases[i].id, n, line, want);
		}
	}
	/* and no phrase of any book says "1 seconds" (a phrase added later
	 * without the forms) */
	for (int b = 0; phrasebooks[b]; b++)
		for (int id = 0; id < PHRASE_COUNT; id++) {
			const struct placeholder_values v = {
				.rep = 1, .reps = 1, .set = 1, .sets = 1, .seconds = 1, .step = 1,
				.steps = 1, .number = 1, .total = 1, .name = "x", .book = phrasebooks[b],
			};
			plan_expand(line, sizeof(line), phrase_text(phrasebooks[b], (enum phrase_id)id), &v);
			for (size_t p = 0; p < sizeof(plurals) / sizeof(plurals[0]); p++) {
				snprintf(bad, sizeof(bad), "1%s", plurals[p]);
				CHECK(!strstr(line, bad), "%s phrase %d says '%s': '%s'", phrasebooks[b]->language,
				      id, bad, line);
			}
		}
	/* the forms are a phrasebook's: a routine line keeps plain slots */
	struct phrase_forms forms;
	CHECK(phrase_placeholder_parse("seconds|second|seconds", 22, &forms) == SLOT_SECONDS &&
	      forms.one_len == 6 && strncmp(forms.one, "second", 6) == 0 && forms.many_len == 7,
	      "forms parsed");
	CHECK(phrase_placeholder_parse("seconds|second", 14, &forms) < 0, "two forms are needed");
	CHECK(phrase_placeholder_parse("seconds||s", 10, &forms) < 0, "no empty form");
	CHECK(phrase_placeholder_parse("seconds|a|b|c", 13, &forms) < 0, "no third form");
	CHECK(phrase_slot_find("seconds|second|seconds", 22) < 0, "a routine file cannot write forms");
}

int main(void)
{
	RUN_CASE(test_every_phrase_everywhere, ());
	RUN_CASE(test_find, ());
	RUN_CASE(test_plan_in_german, ());
	RUN_CASE(test_longest, ());
	RUN_CASE(test_routine_placeholders, ());
	RUN_CASE(test_voice_language, ());
	RUN_CASE(test_one_and_many, ());
	return check_done("test_phrase");
}
