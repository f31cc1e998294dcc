/* report_layout.c - the physiotherapist's report as boxes and lines of
 * text (see report_layout.h). Per period, top to bottom: the header, the
 * sessions per week against the target, the calendar of 12 weeks, one row
 * per routine and week, the legend; rows that do not fit go on to the next
 * page under their table's header again. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history/history_logic.h"
#include "sheet/report_layout.h"
#include "sheet/sheet_pen.h"

#define DASH "\xe2\x80\x94"
#define TEXT_MAX 512

#define TITLE "repcue \xe2\x80\x93 exercise report"
#define TITLE_PT 18.0
#define TITLE_LH 22.0
#define META_PT 10.0
#define META_LH 13.0
#define HEAD_PT 11.0
#define HEAD_LH 15.0
#define CELL_PT 8.0
#define CELL_LH 10.0
#define SMALL_PT 7.0
#define SMALL_LH 9.0
#define CELL_PAD 3.0
#define ROW_H (CELL_LH + 2 * CELL_PAD)
#define HEAD_ROW_H (2 * CELL_LH + 2 * CELL_PAD)
#define DAY 14.0             /* a calendar cell, points */
#define FOOT_LH 10.0

struct ctx {
	struct sheet_pen pen;            /* sheet, measure, page, err */
	const struct report_options *o;
	const struct history_session *s;
	int n;
	double x0, x1, y0, y1; /* the printable area */
	double bottom;         /* where content ends: above the footer */
	double y;
	int64_t first_week, last_week; /* the period on the page */
	char made[32];                 /* when the report was made, local */
	void (*reheader)(struct ctx *c); /* the table's header on a new page */
};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t session_day(const struct history_session *s)
{
	return floor_div(s->started_wall + s->utc_offset_s, 86400);
}

static int64_t session_week(const struct history_session *s)
{
	return history_week(s->started_wall, s->utc_offset_s);
}

/* "2026-11-09" of a day (days since 1970-01-01) */
static const char *iso_date(char *buf, size_t size, int64_t day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	buf[0] = '\0';
	if (gmtime_r(&t, &tm))
		strftime(buf, size, "%Y-%m-%d", &tm);
	return buf;
}

/* "9 Nov" of a day, in English whatever the locale */
static const char *short_date(char *buf, size_t size, int64_t day)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	buf[0] = '\0';
	if (gmtime_r(&t, &tm))
		snprintf(buf, size, "%d %s", tm.tm_mday, months[tm.tm_mon % 12]);
	return buf;
}

/* `text` broken at spaces into lines of at most `width` (a word wider than
 * that is cut by add_text); returns the height used. */
static double paragraph(struct ctx *c, double x, double width, enum sheet_font f, double size, double lh,
			enum sheet_colour colour, const char *text, bool place)
{
	size_t len = strlen(text), pos = 0;
	double h = 0;
	char line[TEXT_MAX + 1];

	while (pos < len) {
		while (pos < len && text[pos] == ' ')
			pos++;
		if (pos >= len)
			break;
		size_t end = pos;
		for (;;) {
			size_t w = end;
			while (w < len && text[w] == ' ')
				w++;
			while (w < len && text[w] != ' ')
				w++;
			if (w == end || w - pos > TEXT_MAX || (end > pos && sheet_pen_width(&c->pen, f, size, text + pos, w - pos) > width))
				break;
			end = w;
		}
		if (end == pos) /* one word wider than the line */
			while (end < len && text[end] != ' ' && end - pos < TEXT_MAX)
				end++;
		if (place) {
			memcpy(line, text + pos, end - pos);
			line[end - pos] = '\0';
			sheet_pen_text(&c->pen, x, c->y + h, width, lh, f, size, colour, line);
		}
		h += lh;
		pos = end;
	}
	return h;
}

static void new_page(struct ctx *c)
{
	char a[16], b[16], buf[128];

	c->pen.page++;
	c->y = c->y0;
	snprintf(buf, sizeof(buf), "%s, %s to %s (continued)", TITLE,
		 iso_date(a, sizeof(a), history_week_monday(c->first_week)),
		 iso_date(b, sizeof(b), history_week_monday(c->last_week) + 6));
	sheet_pen_text(&c->pen, c->x0, c->y, c->x1 - c->x0, META_LH, SHEET_BOLD, META_PT, SHEET_MUTED, buf);
	c->y += META_LH + 8;
	if (c->reheader)
		c->reheader(c);
}

/* Room for h more points on this page, or a new page. */
static void need(struct ctx *c, double h)
{
	if (c->y + h > c->bottom)
		new_page(c);
}

static void heading(struct ctx *c, const char *text, double room_after)
{
	c->reheader = NULL;
	need(c, HEAD_LH + room_after);
	sheet_pen_text(&c->pen, c->x0, c->y, c->x1 - c->x0, HEAD_LH, SHEET_BOLD, HEAD_PT, SHEET_INK, text);
	c->y += HEAD_LH + 2;
}

/* --- table helpers --- */

struct column {
	double share;
	const char *head[2];
};

static double col_x(struct ctx *c, const struct column *cols, int col)
{
	double x = c->x0;
	for (int i = 0; i < col; i++)
		x += cols[i].share * (c->x1 - c->x0);
	return x;
}

static double col_inner(struct ctx *c, const struct column *cols, int col)
{
	return cols[col].share * (c->x1 - c->x0) - 2 * CELL_PAD;
}

static void table_head(struct ctx *c, const struct column *cols, int n)
{
	sheet_pen_box(&c->pen, c->x0, c->y, c->x1 - c->x0, HEAD_ROW_H, SHEET_HEAD, SHEET_ROLE_NONE, -1);
	for (int col = 0; col < n; col++)
		for (int l = 0; l < 2; l++)
			if (cols[col].head[l])
				sheet_pen_text(&c->pen, col_x(c, cols, col) + CELL_PAD, c->y + CELL_PAD + l * CELL_LH,
					 col_inner(c, cols, col), CELL_LH, SHEET_BOLD, CELL_PT, SHEET_INK,
					 cols[col].head[l]);
	c->y += HEAD_ROW_H;
}

static struct sheet_item *cell(struct ctx *c, const struct column *cols, int col, enum sheet_font f,
			       enum sheet_colour colour, const char *text)
{
	return sheet_pen_text(&c->pen, col_x(c, cols, col) + CELL_PAD, c->y + CELL_PAD, col_inner(c, cols, col), CELL_LH, f,
			CELL_PT, colour, text);
}

/* --- the header --- */

static void header(struct ctx *c)
{
	char a[16], b[16], buf[TEXT_MAX];
	double w = c->x1 - c->x0;
	int weeks = (int)(c->last_week - c->first_week + 1);

	sheet_pen_text(&c->pen, c->x0, c->y, w, TITLE_LH, SHEET_BOLD, TITLE_PT, SHEET_INK, TITLE);
	c->y += TITLE_LH + 2;
	snprintf(buf, sizeof(buf), "Period: Monday %s to Sunday %s (%d week%s)",
		 iso_date(a, sizeof(a), history_week_monday(c->first_week)),
		 iso_date(b, sizeof(b), history_week_monday(c->last_week) + 6), weeks, weeks == 1 ? "" : "s");
	sheet_pen_text(&c->pen, c->x0, c->y, w, META_LH, SHEET_BOLD, META_PT, SHEET_INK, buf);
	c->y += META_LH;
	snprintf(buf, sizeof(buf), "Generated %s  \xc2\xb7  Target: %d session%s a week", c->made, c->o->target,
		 c->o->target == 1 ? "" : "s");
	sheet_pen_text(&c->pen, c->x0, c->y, w, META_LH, SHEET_REGULAR, META_PT, SHEET_INK, buf);
	c->y += META_LH + 12;
}

/* --- the sessions per week --- */

enum { WK_WEEK, WK_SESSIONS, WK_COUNTED, WK_MET, WK_BAR, WK_N };
static const struct column week_cols[WK_N] = {
	{ 0.16, { "Week of", "(Monday)" } }, { 0.12, { "Sessions", NULL } },
	{ 0.12, { "Sessions", "that count" } }, { 0.12, { "Target", "met" } },
	{ 0.48, { "Sessions that count (dark), that do not (light);", "the line is the target" } },
};

static void week_head(struct ctx *c)
{
	table_head(c, week_cols, WK_N);
}

struct week_sum {
	int sessions, counted;
};

static void weeks_table(struct ctx *c, const struct week_sum *sums)
{
	int weeks = (int)(c->last_week - c->first_week + 1), scale = c->o->target;
	char buf[64];

	for (int i = 0; i < weeks; i++)
		scale = sums[i].sessions > scale ? sums[i].sessions : scale;
	scale = scale < 1 ? 1 : scale;
	heading(c, "Sessions per week", HEAD_ROW_H + ROW_H);
	week_head(c);
	c->reheader = week_head;
	double bx = col_x(c, week_cols, WK_BAR) + CELL_PAD, bw = col_inner(c, week_cols, WK_BAR);
	for (int i = 0; i < weeks && !c->pen.err; i++) {
		int64_t monday = history_week_monday(c->first_week + i);
		need(c, ROW_H);
		sheet_pen_box(&c->pen, c->x0, c->y, c->x1 - c->x0, ROW_H, i % 2 ? SHEET_ZEBRA : SHEET_PAPER, SHEET_ROLE_NONE, -1);
		cell(c, week_cols, WK_WEEK, SHEET_REGULAR, SHEET_INK, iso_date(buf, sizeof(buf), monday));
		snprintf(buf, sizeof(buf), "%d", sums[i].sessions);
		struct sheet_item *it = cell(c, week_cols, WK_SESSIONS, SHEET_REGULAR, SHEET_INK, buf);
		if (it) {
			it->role = SHEET_ROLE_WEEK_SESSIONS;
			it->index = (int)monday;
		}
		snprintf(buf, sizeof(buf), "%d", sums[i].counted);
		it = cell(c, week_cols, WK_COUNTED, SHEET_BOLD, SHEET_INK, buf);
		if (it) {
			it->role = SHEET_ROLE_WEEK_COUNTED;
			it->index = (int)monday;
		}
		cell(c, week_cols, WK_MET, SHEET_REGULAR, SHEET_INK, sums[i].counted >= c->o->target ? "yes" : "no");
		double unit = bw / scale, y = c->y + CELL_PAD + 1, h = CELL_LH - 2;
		if (sums[i].counted)
			sheet_pen_box(&c->pen, bx, y, unit * sums[i].counted, h, SHEET_MARK, SHEET_ROLE_NONE, -1);
		if (sums[i].sessions > sums[i].counted)
			sheet_pen_box(&c->pen, bx + unit * sums[i].counted, y, unit * (sums[i].sessions - sums[i].counted), h,
				SHEET_MARK_LIGHT, SHEET_ROLE_NONE, -1);
		if (c->o->target > 0) {
			double tx = bx + unit * c->o->target - 0.75;
			sheet_pen_box(&c->pen, tx < bx ? bx : tx, c->y + 1, 1.5, ROW_H - 2, SHEET_INK, SHEET_ROLE_NONE, -1);
		}
		c->y += ROW_H;
	}
	c->reheader = NULL;
	c->y += 12;
}

/* --- the calendar --- */

static void calendar(struct ctx *c, int64_t today)
{
	static const char *const days[7] = { "Mo", "Tu", "We", "Th", "Fr", "Sa", "Su" };
	int64_t first_week = c->last_week - REPORT_CALENDAR_WEEKS + 1;
	int64_t first_day = history_week_monday(first_week);
	signed char mark[REPORT_CALENDAR_WEEKS * 7]; /* 0 none, 1 a session, 2 one that counts */
	char buf[64];
	const double label_w = 44;

	memset(mark, 0, sizeof(mark));
	for (int i = 0; i < c->n; i++) {
		int64_t d = session_day(&c->s[i]) - first_day;
		if (d >= 0 && d < REPORT_CALENDAR_WEEKS * 7) {
			int m = history_session_counts(&c->s[i]) ? 2 : 1;
			mark[d] = (signed char)(m > mark[d] ? m : mark[d]);
		}
	}
	snprintf(buf, sizeof(buf), "The last %d weeks", REPORT_CALENDAR_WEEKS);
	heading(c, buf, SMALL_LH + REPORT_CALENDAR_WEEKS * DAY);
	double gx = c->x0 + label_w;
	for (int d = 0; d < 7; d++)
		sheet_pen_text(&c->pen, gx + d * DAY + 1, c->y, DAY - 1, SMALL_LH, SHEET_BOLD, SMALL_PT, SHEET_MUTED, days[d]);
	double top = c->y + SMALL_LH;
	for (int w = 0; w < REPORT_CALENDAR_WEEKS; w++) {
		double y = top + w * DAY;
		int64_t monday = first_day + 7 * w;
		sheet_pen_text(&c->pen, c->x0, y + (DAY - SMALL_LH) / 2, label_w - 4, SMALL_LH, SHEET_REGULAR, SMALL_PT,
			 SHEET_MUTED, short_date(buf, sizeof(buf), monday));
		for (int d = 0; d < 7; d++) {
			int64_t day = monday + d;
			double x = gx + d * DAY;
			sheet_pen_box(&c->pen, x + 0.5, y + 0.5, DAY - 1, DAY - 1,
				first_week + w >= c->first_week ? SHEET_TALK : SHEET_ZEBRA, SHEET_ROLE_DAY, (int)day);
			int m = mark[w * 7 + d];
			if (m)
				sheet_pen_box(&c->pen, x + 0.5, y + 0.5, DAY - 1, DAY - 1, m == 2 ? SHEET_MARK : SHEET_MARK_LIGHT,
					SHEET_ROLE_DAY_MARK, (int)day);
			if (day > today)
				continue;
			time_t t = (time_t)(day * 86400);
			struct tm tm;
			if (!gmtime_r(&t, &tm))
				continue;
			snprintf(buf, sizeof(buf), "%d", tm.tm_mday);
			double tw = sheet_pen_width(&c->pen, SHEET_REGULAR, SMALL_PT - 1, buf, strlen(buf));
			sheet_pen_text(&c->pen, x + (DAY - tw) / 2, y + (DAY - SMALL_LH) / 2, DAY - 1, SMALL_LH, SHEET_REGULAR,
				 SMALL_PT - 1, m == 2 ? SHEET_ON_DARK : SHEET_MUTED, buf);
		}
	}
	/* the key, right of the grid */
	double kx = gx + 7 * DAY + 18, kw = c->x1 - kx - 12;
	if (kw > 40) {
		static const struct { enum sheet_colour colour; const char *text; } key[] = {
			{ SHEET_MARK, "a session that counts" },
			{ SHEET_MARK_LIGHT, "sessions, none of which counts" },
			{ SHEET_TALK, "a day of this period" },
			{ SHEET_ZEBRA, "a day before it" },
		};
		for (size_t i = 0; i < sizeof(key) / sizeof(key[0]); i++) {
			double y = top + i * (DAY + 2);
			sheet_pen_box(&c->pen, kx, y + 0.5, DAY - 1, DAY - 1, key[i].colour, SHEET_ROLE_NONE, -1);
			sheet_pen_text(&c->pen, kx + DAY + 4, y + (DAY - SMALL_LH) / 2, kw - 4, SMALL_LH, SHEET_REGULAR, SMALL_PT + 1,
				 SHEET_INK, key[i].text);
		}
	}
	c->y = top + REPORT_CALENDAR_WEEKS * DAY + 14;
}

/* --- per routine and week --- */

enum { RT_WEEK, RT_NAME, RT_LEVEL, RT_SESSIONS, RT_SETS, RT_SKIPPED, RT_COUNTED, RT_PAIN, RT_N };
static const struct column routine_cols[RT_N] = {
	{ 0.12, { "Week of", "(Monday)" } }, { 0.25, { "Routine", NULL } }, { 0.06, { "Level", NULL } },
	{ 0.09, { "Sessions", NULL } }, { 0.12, { "Sets done", "of planned" } }, { 0.08, { "Sets", "skipped" } },
	{ 0.11, { "Sessions", "that count" } }, { 0.17, { "Pain / effort", "(as rated)" } },
};

struct group {
	int64_t week;
	const char *name; /* borrowed from a session */
	int level;
	int sessions, counted, done, planned, skipped;
	int rated[RATING_COUNT]; /* sessions per rating (core/rating.h) */
};

/* "2 easy, 1 hurt": the ratings of a row in the RATINGS table's order;
 * "" when none was rated. */
static void ratings_text(const struct group *g, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int r = RATING_NONE + 1; r < RATING_COUNT && o < size; r++)
		if (g->rated[r])
			o += (size_t)snprintf(buf + o, size - o, "%s%d %s", o ? ", " : "", g->rated[r],
					      rating_name((enum rating)r));
}

static int group_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->week != y->week)
		return x->week < y->week ? -1 : 1;
	int r = strcmp(x->name, y->name);
	return r ? r : (x->level > y->level) - (x->level < y->level);
}

static void routine_head(struct ctx *c)
{
	table_head(c, routine_cols, RT_N);
}

static void routines_table(struct ctx *c)
{
	struct group *g = calloc((size_t)c->n + 1, sizeof(*g));
	int n = 0, row = 0;
	char buf[64];

	if (!g) {
		c->pen.err = -ENOMEM;
		return;
	}
	for (int i = 0; i < c->n; i++) {
		const struct history_session *s = &c->s[i];
		int64_t week = session_week(s);
		if (week < c->first_week || week > c->last_week)
			continue;
		int k = 0;
		while (k < n && !(g[k].week == week && g[k].level == s->info.level && !strcmp(g[k].name, s->info.name)))
			k++;
		if (k == n)
			g[n++] = (struct group){ .week = week, .name = s->info.name, .level = s->info.level };
		g[k].sessions++;
		g[k].counted += history_session_counts(s);
		g[k].done += s->counts.sets_done;
		g[k].planned += history_sets_planned(s);
		g[k].skipped += s->counts.sets_skipped;
		g[k].rated[(unsigned)s->rating < RATING_COUNT ? s->rating : RATING_NONE]++;
	}
	qsort(g, (size_t)n, sizeof(*g), group_cmp);

	heading(c, "Routines, week by week", HEAD_ROW_H + ROW_H);
	routine_head(c);
	c->reheader = routine_head;
	int k = 0;
	for (int64_t week = c->first_week; week <= c->last_week && !c->pen.err; week++) {
		int64_t monday = history_week_monday(week);
		bool any = false;
		do {
			bool has = k < n && g[k].week == week;
			need(c, ROW_H);
			sheet_pen_box(&c->pen, c->x0, c->y, c->x1 - c->x0, ROW_H, row++ % 2 ? SHEET_ZEBRA : SHEET_PAPER,
				SHEET_ROLE_ROUTINE_ROW, (int)monday);
			cell(c, routine_cols, RT_WEEK, SHEET_REGULAR, any ? SHEET_MUTED : SHEET_INK,
			     iso_date(buf, sizeof(buf), monday));
			if (!has) {
				cell(c, routine_cols, RT_NAME, SHEET_REGULAR, SHEET_MUTED, "no sessions");
			} else {
				cell(c, routine_cols, RT_NAME, SHEET_BOLD, SHEET_INK, g[k].name);
				snprintf(buf, sizeof(buf), "%d", g[k].level);
				cell(c, routine_cols, RT_LEVEL, SHEET_REGULAR, SHEET_INK, g[k].level > 0 ? buf : DASH);
				snprintf(buf, sizeof(buf), "%d", g[k].sessions);
				cell(c, routine_cols, RT_SESSIONS, SHEET_REGULAR, SHEET_INK, buf);
				snprintf(buf, sizeof(buf), "%d of %d", g[k].done, g[k].planned);
				cell(c, routine_cols, RT_SETS, SHEET_REGULAR, SHEET_INK, buf);
				snprintf(buf, sizeof(buf), "%d", g[k].skipped);
				cell(c, routine_cols, RT_SKIPPED, SHEET_REGULAR, SHEET_INK, buf);
				snprintf(buf, sizeof(buf), "%d", g[k].counted);
				cell(c, routine_cols, RT_COUNTED, SHEET_BOLD, SHEET_INK, buf);
				ratings_text(&g[k], buf, sizeof(buf));
				if (buf[0])
					cell(c, routine_cols, RT_PAIN, SHEET_REGULAR, SHEET_INK, buf);
				k++;
			}
			/* under the ratings, or in their place: a line to write on */
			sheet_pen_box(&c->pen, col_x(c, routine_cols, RT_PAIN) + CELL_PAD, c->y + ROW_H - CELL_PAD - 0.5,
				col_inner(c, routine_cols, RT_PAIN), 0.5, SHEET_RULE, SHEET_ROLE_NONE, -1);
			c->y += ROW_H;
			any = true;
		} while (k < n && g[k].week == week);
	}
	c->reheader = NULL;
	free(g);
	c->y += 10;
}

static void legend(struct ctx *c)
{
	static const char *const lines[] = {
		"A session counts when it reached the end of the routine with at least half of the sets it "
		"planned done (not skipped): the rule of the coach's own weekly count.",
		"repcue's history keeps the sets of a whole session, not of each exercise: the rows are per "
		"routine and week, and \"sets done of planned\" adds up the sessions.",
		"Pain / effort: after each complete session the coach asks how it felt (a tap: easy, two taps: "
		"hard, a hold: it hurt); the column counts the answers of the row's sessions. Sessions not "
		"answered are not counted; the line is for notes by hand.",
		"Days and weeks are each session's own local time; weeks begin on Monday.",
	};
	double w = c->x1 - c->x0;

	heading(c, "Notes", 3 * SMALL_LH);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		double h = paragraph(c, c->x0, w, SHEET_REGULAR, SMALL_PT + 1, SMALL_LH + 1, SHEET_INK, lines[i], false);
		need(c, h);
		paragraph(c, c->x0, w, SHEET_REGULAR, SMALL_PT + 1, SMALL_LH + 1, SHEET_INK, lines[i], true);
		c->y += h + 2;
	}
}

static void footers(struct ctx *c)
{
	char buf[128];
	double w = c->x1 - c->x0;

	for (int page = 0; page < c->pen.sh->n_pages; page++) {
		c->pen.page = page;
		snprintf(buf, sizeof(buf), "Page %d of %d", page + 1, c->pen.sh->n_pages);
		double tw = sheet_pen_width(&c->pen, SHEET_REGULAR, SMALL_PT, buf, strlen(buf));
		double y = c->y1 - FOOT_LH;
		sheet_pen_text(&c->pen, c->x1 - tw, y, tw, FOOT_LH, SHEET_REGULAR, SMALL_PT, SHEET_MUTED, buf);
		char left[128];
		snprintf(left, sizeof(left), "%s  \xc2\xb7  generated %s", TITLE, c->made);
		sheet_pen_text(&c->pen, c->x0, y, w - tw - 12, FOOT_LH, SHEET_REGULAR, SMALL_PT, SHEET_MUTED, left);
	}
}

int report_layout(struct sheet *sheet, const struct history_session *sessions, int n,
		  const struct report_options *o, const struct sheet_measure *measure)
{
	sheet_pen_paper(sheet, o->paper);
	if (o->weeks < 1 || o->target < 0 || n < 0)
		return -EINVAL;

	struct ctx c = {
		.pen = { .sh = sheet, .m = measure, .page = -1 }, .o = o, .s = sessions, .n = n,
		.x0 = sheet->margin, .x1 = sheet->page_w - sheet->margin, .y0 = sheet->margin,
		.y1 = sheet->page_h - sheet->margin,
	};
	c.bottom = c.y1 - FOOT_LH - 6;
	time_t local = (time_t)(o->now_s + o->utc_offset_s);
	struct tm tm;
	if (gmtime_r(&local, &tm))
		strftime(c.made, sizeof(c.made), "%Y-%m-%d %H:%M", &tm);
	int64_t today = floor_div(o->now_s + o->utc_offset_s, 86400);

	/* the periods: back from this week to the first session's */
	int64_t this_week = history_week(o->now_s, o->utc_offset_s), oldest = this_week;
	for (int i = 0; i < n; i++) {
		int64_t w = session_week(&sessions[i]);
		oldest = w < oldest ? w : oldest;
	}
	int64_t periods = (this_week - oldest) / o->weeks + 1;
	if (periods > REPORT_PERIODS_MAX)
		periods = REPORT_PERIODS_MAX;
	struct week_sum *sums = calloc((size_t)o->weeks, sizeof(*sums));
	if (!sums)
		return -ENOMEM;
	for (int64_t p = periods - 1; p >= 0 && !c.pen.err; p--) {
		c.last_week = this_week - p * o->weeks;
		c.first_week = c.last_week - o->weeks + 1;
		memset(sums, 0, (size_t)o->weeks * sizeof(*sums));
		for (int i = 0; i < n; i++) {
			int64_t w = session_week(&sessions[i]) - c.first_week;
			if (w >= 0 && w < o->weeks) {
				sums[w].sessions++;
				sums[w].counted += history_session_counts(&sessions[i]);
			}
		}
		c.reheader = NULL;
		c.pen.page++;
		c.y = c.y0;
		header(&c);
		weeks_table(&c, sums);
		calendar(&c, today);
		routines_table(&c);
		legend(&c);
	}
	free(sums);
	sheet->n_pages = c.pen.page + 1;
	footers(&c);
	return sheet_pen_close(&c.pen);
}
