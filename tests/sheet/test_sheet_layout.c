/* test_sheet_layout.c - the printable sheet's layout (unit tier, no
 * cairo): text measured with a fixed width per character. Every exercise
 * of every seed routine has a row and the sheet is one page; the
 * timeline's segments are as wide as their share of the session (within
 * 1 pt); long names, long cues and a routine of 32 steps never put a box
 * or a line of text outside the printable area, and flow onto more pages;
 * a word longer than its column is broken, a text longer than its cell
 * ends in "…". */
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "core/plan.h"
#include "phrase/phrase.h"
#include "routine/routine_load.h"
#include "sheet/sheet_layout.h"
#include "page_check.h"


/* em per character: a wide one stresses wrapping more than any real font */
struct fixed { double em_regular, em_bold; long calls; };

static double fixed_width(void *ctx, enum sheet_font font, double size, const char *text, size_t len)
{
	struct fixed *f = ctx;
	size_t chars = 0;

	f->calls++;
	for (size_t i = 0; i < len; i++)
		chars += (text[i] & 0xc0) != 0x80;
	return (double)chars * size * (font == SHEET_BOLD ? f->em_bold : f->em_regular);
}

static struct routine *load_file(const char *path)
{
	struct routine *r = calloc(1, sizeof(*r));
	struct diag_list *diags = calloc(1, sizeof(*diags));

	REQUIRE(r && diags);
	if (routine_load(path, r, diags) < 0) {
		for (int i = 0; i < diags->count; i++)
			diag_print(stderr, &diags->items[i]);
		REQUIRE(0, "%s loads", path);
	}
	free(diags);
	return r;
}

static struct routine *load_text(const char *yaml)
{
	struct routine *r = calloc(1, sizeof(*r));
	struct diag_list *diags = calloc(1, sizeof(*diags));

	REQUIRE(r && diags);
	if (routine_parse("long.yaml", yaml, strlen(yaml), r, diags) < 0) {
		for (int i = 0; i < diags->count; i++)
			diag_print(stderr, &diags->items[i]);
		REQUIRE(0, "the generated routine loads");
	}
	free(diags);
	return r;
}

/* Every step has its row and its name; the timeline's segments are in
 * proportion to their expected lengths, one after another. */
static void check_rows_and_timeline(const char *what, const struct sheet *sh, const struct routine *r,
				    const struct plan *plan)
{
	bool row[ROUTINE_STEPS_MAX] = { 0 }, name[ROUTINE_STEPS_MAX] = { 0 };
	const struct sheet_item *bar = NULL;
	frames_t *lengths = calloc((size_t)plan->n_segments, sizeof(*lengths));
	REQUIRE(lengths);
	frames_t total = plan_segment_expected_frames(plan, PLAN_SPEECH_MS_PER_CHAR, lengths);
	CHECK_EQ_INT(total, sh->total_frames);
	CHECK_EQ_INT(total, plan_expected_frames(plan, PLAN_SPEECH_MS_PER_CHAR));

	for (int i = 0; i < sh->n_items; i++) {
		const struct sheet_item *it = &sh->items[i];
		if (it->role == SHEET_ROLE_ROW && it->index >= 0 && it->index < r->n_steps)
			row[it->index] = true;
		if (it->role == SHEET_ROLE_NAME && it->index >= 0 && it->index < r->n_steps)
			name[it->index] = true;
		if (it->role == SHEET_ROLE_BAR)
			bar = it;
	}
	for (int s = 0; s < r->n_steps; s++)
		CHECK(row[s] && name[s], "%s: step %d '%s' has a row and its name", what, s + 1, r->steps[s].name);
	REQUIRE(bar, "%s: a timeline", what);
	CHECK(bar->page == 0, "%s: the timeline is on the first page", what);
	int seen = 0;
	double expect_x = bar->x;
	frames_t at = 0;
	for (int i = 0; i < sh->n_items; i++) {
		const struct sheet_item *it = &sh->items[i];
		if (it->role != SHEET_ROLE_SEGMENT)
			continue;
		REQUIRE(it->index == seen, "%s: segments in order: %d, want %d", what, it->index, seen);
		double want_w = (double)lengths[seen] / (double)total * bar->w;
		double want_x = bar->x + (double)at / (double)total * bar->w;
		CHECK(it->w > want_w - 1 && it->w < want_w + 1, "%s: segment %d is %.2f pt wide, its %.1f s "
		      "of %.1f s are %.2f pt", what, seen, it->w, lengths[seen] / 48000.0, total / 48000.0, want_w);
		CHECK(it->x > want_x - 1 && it->x < want_x + 1 && it->x > expect_x - 1 && it->x < expect_x + 1,
		      "%s: segment %d starts at %.2f, want %.2f", what, seen, it->x, want_x);
		CHECK(it->y == bar->y && it->h == bar->h, "%s: segment %d on the bar", what, seen);
		expect_x = it->x + it->w;
		at += lengths[seen];
		seen++;
	}
	CHECK_EQ_INT(seen, plan->n_segments);
	CHECK(expect_x > bar->x + bar->w - 1 && expect_x < bar->x + bar->w + 1,
	      "%s: the segments fill the bar: end at %.2f of %.2f", what, expect_x, bar->x + bar->w);
	free(lengths);
}

static const struct phrasebook *book_of(const char *language)
{
	const struct phrasebook *b = phrasebook_find(language);
	REQUIRE(b, "a phrasebook for %s", language);
	return b;
}

static void test_seed_routines(void)
{
	static const struct { const char *file, *language; } seeds[] = {
		{ "routines/upper-back-1.yaml", "en" }, { "routines/upper-back-2.yaml", "en" },
		{ "routines/upper-back-3.yaml", "en" }, { "routines/de/upper-back-1.yaml", "de" },
	};
	struct fixed f = { 0.55, 0.62, 0 };
	struct sheet_measure m = { fixed_width, &f };

	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char path[1024], what[1100];
		snprintf(path, sizeof(path), "%s/%s", REPCUE_SOURCE_DIR, seeds[i].file);
		struct routine *r = load_file(path);
		const struct phrasebook *book = book_of(seeds[i].language);
		struct plan plan;
		REQUIRE(plan_build_in(&plan, r, book) == 0);
		for (int paper = SHEET_A4; paper <= SHEET_LETTER; paper++) {
			struct sheet sh;
			snprintf(what, sizeof(what), "%s on %s", seeds[i].file, paper == SHEET_A4 ? "A4" : "Letter");
			REQUIRE(sheet_layout(&sh, r, &plan, book, (enum sheet_paper)paper, &m) == 0);
			CHECK(sh.n_pages == 1, "%s: one page, not %d", what, sh.n_pages);
			page_check_inside(what, &sh, &m);
			check_rows_and_timeline(what, &sh, r, &plan);
			/* the total time, in the book's words */
			bool total = false;
			for (int k = 0; k < sh.n_items; k++)
				if (sh.items[k].role == SHEET_ROLE_TOTAL && sh.items[k].text) {
					char num[16];
					snprintf(num, sizeof(num), "%d", sh.total_minutes);
					total = strstr(sh.items[k].text, num) != NULL;
				}
			CHECK(total, "%s: the total time is printed", what);
			/* every word of the sheet's own from the routine's phrasebook:
			 * none of the English ones on a German sheet */
			for (int k = 0; book != phrasebook_find("en") && k < sh.n_items; k++) {
				const char *t = sh.items[k].text;
				for (int id = PHRASE_SHEET_LEVEL; t && id <= PHRASE_SHEET_PAGE; id++) {
					const char *en = phrase_text(NULL, id);
					if (strcmp(en, phrase_text(book, id)) == 0 || strchr(en, '{'))
						continue;
					CHECK(!strstr(t, en), "%s: '%s' holds the English '%s'", what, t, en);
				}
			}
			CHECK(sh.page_w > (paper == SHEET_A4 ? 595 : 611) && sh.page_w < (paper == SHEET_A4 ? 596 : 613),
			      "%s: page width %.1f", what, sh.page_w);
			sheet_finish(&sh);
		}
		plan_finish(&plan);
		free(r);
	}
	printf("seed routines: %ld measurements\n", f.calls);
}

/* A routine at the limits: 32 steps, every name 80 characters (some one
 * long word, some with umlauts), 16 cues each, a long safety line and
 * eight pieces of long-named equipment. */
static char *long_routine_yaml(void)
{
	size_t size = 1 << 20, used = 0;
	char *y = malloc(size);
	REQUIRE(y);
#define PUT(...) (used += (size_t)snprintf(y + used, size - used, __VA_ARGS__))
	PUT("repcue: 1\nname: \"");
	for (int i = 0; i < 16; i++)
		PUT("Lang%s", i % 2 ? "e" : "");
	PUT("\"\nlevel: 3\nequipment: [");
	for (int e = 0; e < 8; e++)
		PUT("%s\"Widerstandsband %d mit Griffen und Türanker-Schlaufe, extra lang\"",
		    e ? ", " : "", e + 1);
	PUT("]\nsafety: \"");
	for (int i = 0; i < 4; i++)
		PUT("Stop at once if anything hurts, tingles or feels numb. ");
	PUT("Ask.\"\ndefaults: {rest_between_sets: 20, rest_between_steps: 30}\nsteps:\n");
	for (int s = 0; s < ROUTINE_STEPS_MAX; s++) {
		char name[81];
		switch (s % 3) {
		case 0: /* one unbreakable word */
			memset(name, 'W', 80);
			name[80] = '\0';
			break;
		case 1: /* umlauts: two bytes each, never split */
			snprintf(name, sizeof(name), "%02d Schulterblätter zusammenführen über Kopf mit Überzug ÄÖÜäöü", s);
			break;
		default:
			snprintf(name, sizeof(name), "%02d %s", s,
				 "Very long exercise name that keeps going and going and going for ever");
		}
		PUT("  - name: \"%s\"\n    kind: %s\n    sets: %d\n", name,
		    s % 4 == 3 ? "hold" : s % 4 == 2 ? "timed" : "reps", 1 + s % 3);
		if (s % 4 < 2)
			PUT("    reps: %s\n    tempo: %s\n", s % 8 == 1 ? "open" : "16", s ? "1-0-1-0" : "9-9-9-9");
		else
			PUT("    seconds: 30\n");
		PUT("    sides: %s\n    cues:\n", s % 2 ? "alternate" : "right-left");
		for (int k = 0; k < ROUTINE_CUES_MAX; k++)
			PUT("      - {%s: %d, say: \"Cue %d: keep the shoulders down and the back long, "
			    "breathe out as you pull and in as you come back, slowly.\"}\n",
			    s % 4 < 2 ? "at_rep" : "at_second", k + 1, k);
	}
#undef PUT
	REQUIRE(used < size);
	return y;
}

static void test_long_routine(void)
{
	char *yaml = long_routine_yaml();
	struct routine *r = load_text(yaml);
	free(yaml);
	REQUIRE(r->n_steps == ROUTINE_STEPS_MAX);
	/* a real font's widths lie between these two */
	struct fixed measures[] = { { 0.55, 0.62, 0 }, { 1.0, 1.1, 0 } };
	for (size_t k = 0; k < sizeof(measures) / sizeof(measures[0]); k++)
		for (int lang = 0; lang < 2; lang++) {
			const struct phrasebook *book = book_of(lang ? "de" : "en");
			struct sheet_measure m = { fixed_width, &measures[k] };
			struct plan plan;
			REQUIRE(plan_build_in(&plan, r, book) == 0);
			for (int paper = SHEET_A4; paper <= SHEET_LETTER; paper++) {
				char what[100];
				struct sheet sh;
				snprintf(what, sizeof(what), "32 long steps, %s, %.2f em, %s", book->language,
					 measures[k].em_regular, paper == SHEET_A4 ? "A4" : "Letter");
				REQUIRE(sheet_layout(&sh, r, &plan, book, (enum sheet_paper)paper, &m) == 0);
				CHECK(sh.n_pages >= 2, "%s: flows onto more pages: %d", what, sh.n_pages);
				int cut = page_check_inside(what, &sh, &m);
				CHECK(cut > 0, "%s: long texts end in an ellipsis", what);
				check_rows_and_timeline(what, &sh, r, &plan);
				/* every page numbered, rows in order down the pages */
				int last_page = 0;
				for (int i = 0; i < sh.n_items; i++)
					if (sh.items[i].role == SHEET_ROLE_ROW) {
						CHECK(sh.items[i].page >= last_page, "%s: rows in page order", what);
						last_page = sh.items[i].page;
					}
				CHECK(last_page == sh.n_pages - 1, "%s: the last row is on the last page", what);
				/* a line never splits a UTF-8 character */
				for (int i = 0; i < sh.n_items; i++) {
					const char *t = sh.items[i].text;
					if (!t)
						continue;
					CHECK((t[0] & 0xc0) != 0x80, "%s: '%s' starts with a whole character", what, t);
					size_t n = strlen(t);
					CHECK(n == 0 || (unsigned char)t[n - 1] < 0xc0, "%s: '%s' ends with a whole character",
					      what, t);
				}
				sheet_finish(&sh);
			}
			plan_finish(&plan);
		}
	free(r);
}

/* sheet_finish accepts a finished or zeroed sheet. */
static void test_finish_twice(void)
{
	struct sheet sh = { 0 };
	sheet_finish(&sh);
	sheet_finish(&sh);
	CHECK(sh.items == NULL && sh.n_items == 0);
}

int main(void)
{
	RUN_CASE(test_seed_routines, ());
	RUN_CASE(test_long_routine, ());
	RUN_CASE(test_finish_twice, ());
	return check_done("sheet.layout");
}
