/* test_report_layout.c - the physiotherapist's report's layout (unit tier,
 * no cairo, no clock: `now` and the zone are arguments, text measured with
 * a fixed width per character). On a fake clock, three weeks of 2, 0 and
 * 4 sessions (some that do not count, one just after local midnight that
 * UTC would put in the week before) and two older sessions (one in summer
 * time, placed by its own UTC offset, not now's): the counts per
 * week on the page, the calendar's marks by date, one page per period,
 * the header's words; sixty routines with long names flow onto more pages;
 * nothing on any page leaves the printable area. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/harness.h"
#include "history/history_logic.h"
#include "sheet/report_layout.h"
#include "page_check.h"

#define CET 3600L /* the person's zone in the test: UTC+1 */

struct fixed { double em; };

static double fixed_width(void *ctx, enum sheet_font font, double size, const char *text, size_t len)
{
	struct fixed *f = ctx;
	size_t chars = 0;

	for (size_t i = 0; i < len; i++)
		chars += (text[i] & 0xc0) != 0x80;
	return (double)chars * size * f->em * (font == SHEET_BOLD ? 1.1 : 1.0);
}

static struct fixed fixed = { 0.6 };
static const struct sheet_measure measure = { .width = fixed_width, .ctx = &fixed };

/* Days since 1970-01-01 of a date */
static int64_t day_of(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	return (int64_t)timegm(&tm) / 86400;
}

/* Unix seconds of a local time in CET */
static int64_t cet(int y, int m, int d, int hh, int mm)
{
	return day_of(y, m, d) * 86400 + hh * 3600 + mm * 60 - CET;
}

enum kind { COUNTS, STOPPED, SKIPPED_MOST };

static struct history_session session(int64_t wall, enum kind kind, const char *name, int level)
{
	struct history_session s = { .started_wall = wall, .last_wall = wall + 900, .utc_offset_s = CET,
				     .session_frames = 15 * 60 * 48000, .last_step = -1 };
	/* (its result read: gcc 14's -Wformat-truncation=1, an error in
	 * Release, stops the build when it is not; the names here are short) */
	if (snprintf(s.info.name, sizeof(s.info.name), "%s", name) >= (int)sizeof(s.info.name))
		fprintf(stderr, "test_report_layout: name cut short: %s\n", name);
	s.info.level = level;
	s.info.sets_total = s.info.sets_planned = 6;
	switch (kind) {
	case COUNTS:
		s.outcome = HISTORY_COMPLETED;
		s.counts.sets_done = 6;
		break;
	case STOPPED:
		s.outcome = HISTORY_STOPPED;
		s.counts.sets_done = 2;
		break;
	case SKIPPED_MOST:
		s.outcome = HISTORY_COMPLETED;
		s.counts.sets_done = 1;
		s.counts.sets_skipped = 5;
		break;
	}
	return s;
}

/* A session in summer time (UTC+2): its own offset places it, not now's. */
static struct history_session summer(int64_t wall, enum kind kind)
{
	struct history_session s = session(wall, kind, "Upper back", 1);
	s.utc_offset_s = 7200;
	return s;
}

/* The text of the item with role and index on page, or NULL. */
static const char *text_of(const struct sheet *sh, int page, enum sheet_role role, int64_t index)
{
	for (int i = 0; i < sh->n_items; i++)
		if (sh->items[i].page == page && sh->items[i].role == role && sh->items[i].index == index)
			return sh->items[i].text;
	return NULL;
}

static bool page_has(const struct sheet *sh, int page, const char *needle)
{
	for (int i = 0; i < sh->n_items; i++)
		if (sh->items[i].page == page && sh->items[i].text && strstr(sh->items[i].text, needle))
			return true;
	return false;
}

/* All the text of a page, one line after another, joined by spaces. */
static bool page_says(const struct sheet *sh, int page, const char *needle)
{
	size_t size = 1;
	for (int i = 0; i < sh->n_items; i++)
		if (sh->items[i].page == page && sh->items[i].text)
			size += strlen(sh->items[i].text) + 1;
	char *all = calloc(size, 1);
	REQUIRE(all);
	for (int i = 0; i < sh->n_items; i++)
		if (sh->items[i].page == page && sh->items[i].text) {
			strcat(all, sh->items[i].text);
			strcat(all, " ");
		}
	bool found = strstr(all, needle) != NULL;
	free(all);
	return found;
}

static int count_role(const struct sheet *sh, int page, enum sheet_role role)
{
	int n = 0;
	for (int i = 0; i < sh->n_items; i++)
		n += sh->items[i].page == page && sh->items[i].role == role;
	return n;
}

/* Three weeks of 2, 0 and 4 sessions, now on Wednesday 2026-12-09. */
static void test_weeks_and_calendar(void)
{
	struct history_session s[] = {
		summer(cet(2026, 10, 19, 0, 30) - 3600, COUNTS),                    /* Monday in CEST */
		session(cet(2026, 11, 10, 18, 0), COUNTS, "Upper back", 1),         /* the period before */
		session(cet(2026, 11, 23, 0, 30), COUNTS, "Upper back", 1),         /* Sunday 23:30 in UTC */
		session(cet(2026, 11, 26, 18, 0), COUNTS, "Upper back", 1),
		session(cet(2026, 12, 7, 8, 0), COUNTS, "Upper back", 1),
		session(cet(2026, 12, 7, 19, 0), STOPPED, "Upper back", 2),
		session(cet(2026, 12, 8, 8, 0), COUNTS, "Shoulders", 1),
		session(cet(2026, 12, 9, 7, 0), SKIPPED_MOST, "Upper back", 1),
	};
	int n = (int)(sizeof(s) / sizeof(s[0]));
	struct report_options o = { .paper = SHEET_A4, .weeks = 3, .target = 3,
				    .now_s = cet(2026, 12, 9, 10, 0), .utc_offset_s = CET };
	struct sheet sh;

	/* how they felt (issue 19 item 7): counted per row */
	s[2].rating = s[3].rating = RATING_HARD;
	s[4].rating = RATING_EASY;
	s[7].rating = RATING_HURT;
	CHECK_EQ_INT(history_session_counts(&s[5]), 0);
	CHECK_EQ_INT(history_session_counts(&s[7]), 0);
	REQUIRE(report_layout(&sh, s, n, &o, &measure) == 0);
	page_check_inside("three weeks", &sh, &measure);
	/* periods of 3 weeks back from this one: Nov 23 - Dec 13, Nov 2 - Nov 22,
	 * Oct 12 - Nov 1 */
	CHECK_EQ_INT(sh.n_pages, 3);
	int newest = sh.n_pages - 1, before = newest - 1;

	const struct { int m, d; const char *sessions, *counted; } weeks[] = {
		{ 11, 23, "2", "2" }, { 11, 30, "0", "0" }, { 12, 7, "4", "2" },
	};
	for (size_t i = 0; i < 3; i++) {
		int64_t monday = day_of(2026, weeks[i].m, weeks[i].d);
		const char *t = text_of(&sh, newest, SHEET_ROLE_WEEK_SESSIONS, monday);
		CHECK(t && strcmp(t, weeks[i].sessions) == 0, "week of 2026-%02d-%02d: %s sessions, not %s", weeks[i].m,
		      weeks[i].d, weeks[i].sessions, t ? t : "(none)");
		t = text_of(&sh, newest, SHEET_ROLE_WEEK_COUNTED, monday);
		CHECK(t && strcmp(t, weeks[i].counted) == 0, "week of 2026-%02d-%02d: %s that count, not %s",
		      weeks[i].m, weeks[i].d, weeks[i].counted, t ? t : "(none)");
	}
	CHECK_EQ_INT(count_role(&sh, newest, SHEET_ROLE_WEEK_SESSIONS), 3);
	/* the page before: Nov 2, 9, 16 with 0, 1, 0 */
	const char *t = text_of(&sh, before, SHEET_ROLE_WEEK_SESSIONS, day_of(2026, 11, 9));
	CHECK(t && strcmp(t, "1") == 0, "the period before: 1 session in the week of 11-09, not %s", t ? t : "(none)");
	t = text_of(&sh, before, SHEET_ROLE_WEEK_SESSIONS, day_of(2026, 11, 16));
	CHECK(t && strcmp(t, "0") == 0, "the period before: none in the week of 11-16 (the UTC Sunday)");

	/* the calendar: 12 weeks to Sunday Dec 13, a cell per day */
	CHECK_EQ_INT(count_role(&sh, newest, SHEET_ROLE_DAY), 84);
	bool first = false, last = false;
	for (int i = 0; i < sh.n_items; i++)
		if (sh.items[i].page == newest && sh.items[i].role == SHEET_ROLE_DAY) {
			first |= sh.items[i].index == day_of(2026, 9, 21);
			last |= sh.items[i].index == day_of(2026, 12, 13);
			CHECK(sh.items[i].index >= day_of(2026, 9, 21) && sh.items[i].index <= day_of(2026, 12, 13));
		}
	CHECK(first && last, "the calendar runs from Monday 09-21 to Sunday 12-13");
	const struct { int m, d; enum sheet_colour colour; } marks[] = {
		{ 10, 19, SHEET_MARK }, /* in CEST, not Sunday 10-18 */
		{ 11, 10, SHEET_MARK }, { 11, 23, SHEET_MARK }, { 11, 26, SHEET_MARK },
		{ 12, 7, SHEET_MARK },  /* one counts, one not: it counts */
		{ 12, 8, SHEET_MARK }, { 12, 9, SHEET_MARK_LIGHT },
	};
	int n_marks = (int)(sizeof(marks) / sizeof(marks[0]));
	CHECK_EQ_INT(count_role(&sh, newest, SHEET_ROLE_DAY_MARK), n_marks);
	for (int k = 0; k < n_marks; k++) {
		const struct sheet_item *mark = NULL;
		for (int i = 0; i < sh.n_items; i++)
			if (sh.items[i].page == newest && sh.items[i].role == SHEET_ROLE_DAY_MARK &&
			    sh.items[i].index == day_of(2026, marks[k].m, marks[k].d))
				mark = &sh.items[i];
		CHECK(mark && mark->colour == marks[k].colour, "2026-%02d-%02d marked %s", marks[k].m, marks[k].d,
		      marks[k].colour == SHEET_MARK ? "dark" : "light");
	}
	/* the UTC date of the session after midnight is not marked */
	CHECK(text_of(&sh, newest, SHEET_ROLE_DAY_MARK, day_of(2026, 11, 22)) == NULL &&
	      count_role(&sh, newest, SHEET_ROLE_DAY_MARK) == n_marks);

	/* the header and the table */
	CHECK(page_has(&sh, newest, "repcue \xe2\x80\x93 exercise report"));
	CHECK(page_has(&sh, newest, "Monday 2026-11-23 to Sunday 2026-12-13 (3 weeks)"));
	CHECK(page_has(&sh, before, "Monday 2026-11-02 to Sunday 2026-11-22 (3 weeks)"));
	CHECK(page_has(&sh, 0, "Monday 2026-10-12 to Sunday 2026-11-01 (3 weeks)"));
	t = text_of(&sh, 0, SHEET_ROLE_WEEK_SESSIONS, day_of(2026, 10, 19));
	CHECK(t && strcmp(t, "1") == 0, "the summer session in the week of 10-19, its own local time");
	CHECK(page_has(&sh, newest, "Generated 2026-12-09 10:00"));
	CHECK(page_has(&sh, newest, "Target: 3 sessions a week"));
	CHECK(page_has(&sh, newest, "Pain / effort"));
	/* the pain / effort column: the ratings of each row, in the table's order */
	CHECK(page_has(&sh, newest, "1 easy, 1 hurt"), "Upper back, week of 12-07: one easy, one hurt");
	CHECK(page_has(&sh, newest, "2 hard"), "Upper back, week of 11-23: two hard");
	CHECK(!page_has(&sh, newest, "1 easy, 1 hard"), "the level 2 session, not rated, is a row of its own");
	CHECK(page_says(&sh, newest, "counts the answers"), "the notes say what the column counts");
	CHECK(!page_says(&sh, newest, "not recorded"), "and no longer that nothing is recorded");
	CHECK(page_says(&sh, newest, "a whole session, not of each exercise: the rows are per routine and week"));
	CHECK(page_has(&sh, newest, "Shoulders"));
	CHECK(page_has(&sh, newest, "7 of 12"), "Upper back 1 in the week of 12-07: 6 + 1 sets of 6 + 6");
	CHECK(page_has(&sh, newest, "2 of 6"), "Upper back 2, stopped: 2 sets of 6");
	/* rows: Nov 23 upper back 1; Nov 30 none; Dec 7 Shoulders 1, Upper back 1, Upper back 2 */
	CHECK_EQ_INT(count_role(&sh, newest, SHEET_ROLE_ROUTINE_ROW), 5);
	sheet_finish(&sh);
}

/* Sixty routines with long names in one week, on both papers, with a
 * period of eight weeks: the rows flow onto more pages inside the area. */
static void test_many_routines(void)
{
	enum { N = 60 };
	struct history_session *s = calloc(N, sizeof(*s));
	REQUIRE(s);
	for (int i = 0; i < N; i++) {
		char name[200];
		snprintf(name, sizeof(name), "Routine %02d with a very long name that cannot fit in its column of the "
			 "table at all \xc3\xbc\xc3\xbc\xc3\xbc", i);
		s[i] = session(cet(2026, 12, 1, 7, i), i % 3 ? COUNTS : STOPPED, name, i % 5);
	}
	for (int paper = SHEET_A4; paper <= SHEET_LETTER; paper++) {
		struct report_options o = { .paper = (enum sheet_paper)paper, .weeks = 8, .target = 5,
					    .now_s = cet(2026, 12, 9, 10, 0), .utc_offset_s = CET };
		struct sheet sh;
		REQUIRE(report_layout(&sh, s, N, &o, &measure) == 0);
		const char *what = paper == SHEET_A4 ? "60 routines, A4" : "60 routines, Letter";
		page_check_inside(what, &sh, &measure);
		CHECK(sh.n_pages >= 2, "%s: more than one page (%d)", what, sh.n_pages);
		int rows = 0, last_page = 0;
		for (int i = 0; i < sh.n_items; i++)
			if (sh.items[i].role == SHEET_ROLE_ROUTINE_ROW) {
				rows++;
				CHECK(sh.items[i].page >= last_page, "%s: rows in page order", what);
				last_page = sh.items[i].page;
			}
		CHECK_EQ_INT(rows, N + 7); /* 60 in one week, "no sessions" in the 7 others */
		const char *t = text_of(&sh, 0, SHEET_ROLE_WEEK_SESSIONS, day_of(2026, 11, 30));
		CHECK(t && strcmp(t, "60") == 0, "%s: 60 sessions that week", what);
		t = text_of(&sh, 0, SHEET_ROLE_WEEK_COUNTED, day_of(2026, 11, 30));
		CHECK(t && strcmp(t, "40") == 0, "%s: 40 that count", what);
		char footer[32];
		snprintf(footer, sizeof(footer), "Page %d of %d", sh.n_pages, sh.n_pages);
		CHECK(page_has(&sh, sh.n_pages - 1, footer), "%s: pages numbered", what);
		CHECK(page_has(&sh, 1, "(continued)"), "%s: a continued page says so", what);
		sheet_finish(&sh);
	}
	free(s);
}

/* No sessions: one page of zeros; a period of a year flows; bad options. */
static void test_edges(void)
{
	struct report_options o = { .paper = SHEET_A4, .weeks = 4, .target = 3,
				    .now_s = cet(2026, 12, 9, 10, 0), .utc_offset_s = CET };
	struct sheet sh;

	REQUIRE(report_layout(&sh, NULL, 0, &o, &measure) == 0);
	page_check_inside("no sessions", &sh, &measure);
	CHECK_EQ_INT(sh.n_pages, 1);
	CHECK_EQ_INT(count_role(&sh, 0, SHEET_ROLE_WEEK_SESSIONS), 4);
	CHECK_EQ_INT(count_role(&sh, 0, SHEET_ROLE_DAY_MARK), 0);
	sheet_finish(&sh);

	o.weeks = 52;
	o.target = 0;
	REQUIRE(report_layout(&sh, NULL, 0, &o, &measure) == 0);
	page_check_inside("a period of 52 weeks", &sh, &measure);
	CHECK(sh.n_pages >= 2, "52 weeks of rows take more than a page (%d)", sh.n_pages);
	int weeks = 0;
	for (int p = 0; p < sh.n_pages; p++)
		weeks += count_role(&sh, p, SHEET_ROLE_WEEK_SESSIONS);
	CHECK_EQ_INT(weeks, 52);
	sheet_finish(&sh);
	sheet_finish(&sh);

	o.weeks = 0;
	CHECK_EQ_INT(report_layout(&sh, NULL, 0, &o, &measure), -EINVAL);
	o.weeks = 1;
	o.target = -1;
	CHECK_EQ_INT(report_layout(&sh, NULL, 0, &o, &measure), -EINVAL);
}

int main(void)
{
	RUN_CASE(test_weeks_and_calendar, ());
	RUN_CASE(test_many_routines, ());
	RUN_CASE(test_edges, ());
	return check_done("sheet.report_layout");
}
