/* sheet_layout.c - the printable sheet as boxes and lines of text (see
 * sheet_layout.h). Top to bottom on the first page: the routine's name,
 * its level and equipment, the total time, the safety line, the timeline
 * of the whole session, then one row per exercise; rows that do not fit
 * go on to the next page under the table's header again. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet/sheet_layout.h"
#include "sheet/sheet_pen.h"

#define ELLIPSIS SHEET_ELLIPSIS
#define TEXT_MAX SHEET_TEXT_MAX
#define DASH "\xe2\x80\x94" /* an empty cell */

/* Type sizes and line heights, points */
#define TITLE_PT 18.0
#define TITLE_LH 22.0
#define META_PT 10.0
#define META_LH 13.0
#define SAFETY_PT 9.5
#define SAFETY_LH 12.0
#define HEAD_PT 11.0
#define HEAD_LH 15.0
#define CELL_PT 8.5
#define CELL_LH 10.5
#define SMALL_PT 7.0
#define SMALL_LH 9.0
#define CELL_PAD 3.0
#define BAR_H 22.0
#define FOOT_LH 10.0

struct ctx {
	struct sheet_pen pen;            /* sheet, measure, page, err */
	const struct routine *r;
	const struct plan *plan;
	const struct phrasebook *book;
	double x0, x1, y0, y1; /* the printable area */
	double bottom;         /* where content ends: above the footer */
	double y;              /* the next free line on the page */
};

/* A line of a wrapped paragraph: text[start..start+len), then "…" if cut. */
struct span {
	size_t start, len;
	bool cut;
};

/* Breaks `text` into at most max_lines lines of at most `width` points:
 * at spaces, or inside a word longer than a line; a text that needs more
 * lines ends its last one with "…". Returns the number of lines. */
static int wrap(struct ctx *c, enum sheet_font f, double size, const char *text, double width,
		int max_lines, struct span *out)
{
	size_t len = strlen(text), pos = 0;
	int n = 0;

	while (n < max_lines) {
		while (pos < len && text[pos] == ' ')
			pos++;
		if (pos >= len)
			break;
		const char *s = text + pos;
		size_t rest = len - pos, end = 0;
		/* all that is left, if it fits (most cells); else greedily, word by word */
		if (sheet_pen_width(&c->pen, f, size, s, rest) <= width)
			end = rest;
		while (end < rest) {
			size_t w = end;
			while (w < rest && s[w] == ' ')
				w++;
			while (w < rest && s[w] != ' ')
				w++;
			if (sheet_pen_width(&c->pen, f, size, s, w) > width)
				break;
			end = w;
		}
		if (end == 0) /* a word longer than the line: as much of it as fits */
			end = sheet_pen_fit(&c->pen, f, size, s, rest, "", width);
		if (end == 0) /* not even one character: it is cut, not lost silently */
			end = sheet_next_char(s, 0) <= rest ? sheet_next_char(s, 0) : rest;
		size_t after = end;
		while (after < rest && s[after] == ' ')
			after++;
		bool more = after < rest;
		if (more && n == max_lines - 1) {
			size_t keep = sheet_pen_fit(&c->pen, f, size, s, rest, ELLIPSIS, width);
			while (keep > 0 && s[keep - 1] == ' ')
				keep--;
			out[n++] = (struct span){ pos, keep, true };
			break;
		}
		while (end > 0 && s[end - 1] == ' ')
			end--;
		out[n++] = (struct span){ pos, end, false };
		pos += after;
	}
	return n;
}

/* Writes `text` wrapped into [x, x + width) from y down, at most max_lines
 * lines; returns the height used. `role` and `index` go on every line. */
static double paragraph(struct ctx *c, double x, double y, double width, enum sheet_font f,
			double size, double lh, enum sheet_colour colour, const char *text, int max_lines,
			enum sheet_role role, int index)
{
	struct span spans[16];
	int n = wrap(c, f, size, text, width, max_lines < 16 ? max_lines : 16, spans);

	for (int i = 0; i < n; i++) {
		struct sheet_item *it = sheet_pen_line(&c->pen, x, y + i * lh, lh, f, size, colour, text + spans[i].start,
						 spans[i].len, spans[i].cut ? ELLIPSIS : NULL);
		if (it) {
			it->role = role;
			it->index = index;
		}
	}
	return n * lh;
}

/* The lines `text` takes in `width` (at most max_lines). */
static int lines_of(struct ctx *c, enum sheet_font f, double size, const char *text, double width,
		    int max_lines)
{
	struct span spans[16];
	return wrap(c, f, size, text, width, max_lines < 16 ? max_lines : 16, spans);
}

/* A phrase with its slots filled. */
static const char *say(struct ctx *c, char *buf, size_t size, enum phrase_id id,
		       const struct placeholder_values *v)
{
	struct placeholder_values values = v ? *v : (struct placeholder_values){ 0 };
	values.book = c->book;
	plan_expand(buf, size, phrase_text(c->book, id), &values);
	return buf;
}

/* --- the table ---------------------------------------------------------- */

enum column { COL_NUMBER, COL_NAME, COL_SETS, COL_TEMPO, COL_SIDES, COL_REST, COL_CUES, N_COLUMNS };

/* Shares of the printable width; they add up to 1. */
static const double column_share[N_COLUMNS] = { 0.035, 0.235, 0.14, 0.145, 0.11, 0.13, 0.205 };

/* A cell: up to two paragraphs, one under the other. */
struct cell {
	char text[2][TEXT_MAX];
	enum sheet_font font[2];
	int max_lines[2];
};

static void cell_set(struct cell *cell, int i, const char *text, enum sheet_font f, int max_lines)
{
	snprintf(cell->text[i], sizeof(cell->text[i]), "%s", text);
	cell->font[i] = f;
	cell->max_lines[i] = max_lines;
}

static void append(char *buf, size_t size, const char *sep, const char *text)
{
	size_t used = strlen(buf);
	if (used >= size - 1)
		return;
	snprintf(buf + used, size - used, "%s%s", used ? sep : "", text);
}

static void step_cells(struct ctx *c, int s, struct cell cells[N_COLUMNS])
{
	const struct step *st = &c->r->steps[s];
	const char *sep = phrase_text(c->book, PHRASE_LIST_SEP);
	char buf[TEXT_MAX], words[TEXT_MAX] = "";
	struct placeholder_values v = { .sets = st->sets, .reps = st->reps, .seconds = st->seconds };

	memset(cells, 0, N_COLUMNS * sizeof(*cells));
	snprintf(buf, sizeof(buf), "%d", s + 1);
	cell_set(&cells[COL_NUMBER], 0, buf, SHEET_BOLD, 1);
	cell_set(&cells[COL_NAME], 0, st->name, SHEET_BOLD, 3);

	/* by what a set counts, so a new step kind needs nothing here */
	switch (step_kind_measure(st->kind)) {
	case STEP_MEASURE_REPS: {
		say(c, buf, sizeof(buf), st->reps ? PHRASE_SHEET_REPS : PHRASE_SHEET_OPEN, &v);
		cell_set(&cells[COL_SETS], 0, buf, SHEET_REGULAR, 3);
		const struct tempo *t = &st->tempo;
		/* the usual notation, then the phases in the order they are played */
		snprintf(buf, sizeof(buf), "%d-%d-%d-%d", t->lower_s, t->bottom_s, t->lift_s, t->top_s);
		cell_set(&cells[COL_TEMPO], 0, buf, SHEET_BOLD, 1);
		const struct { enum phrase_id id; int s; } phases[] = {
			{ PHRASE_SHEET_LIFT, t->lift_s }, { PHRASE_SHEET_TOP, t->top_s },
			{ PHRASE_SHEET_LOWER, t->lower_s }, { PHRASE_SHEET_BOTTOM, t->bottom_s },
		};
		for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
			if (!phases[i].s)
				continue;
			struct placeholder_values pv = { .seconds = phases[i].s };
			char phase[128];
			append(words, sizeof(words), sep, say(c, phase, sizeof(phase), phases[i].id, &pv));
		}
		cell_set(&cells[COL_TEMPO], 1, words, SHEET_REGULAR, 3);
		break;
	}
	case STEP_MEASURE_SECONDS:
		cell_set(&cells[COL_SETS], 0, say(c, buf, sizeof(buf), PHRASE_SHEET_SECONDS, &v), SHEET_REGULAR, 3);
		cell_set(&cells[COL_TEMPO], 0, DASH, SHEET_REGULAR, 1);
		break;
	}

	enum phrase_id sides = PHRASE_COUNT;
	switch (st->sides) {
	case SIDES_NONE: break;
	case SIDES_LEFT_RIGHT: sides = PHRASE_SHEET_LEFT_RIGHT; break;
	case SIDES_RIGHT_LEFT: sides = PHRASE_SHEET_RIGHT_LEFT; break;
	case SIDES_ALTERNATE: sides = PHRASE_SHEET_ALTERNATE; break;
	}
	cell_set(&cells[COL_SIDES], 0, sides == PHRASE_COUNT ? DASH : phrase_text(c->book, sides), SHEET_REGULAR, 3);

	int n_rest = 0;
	if (st->sets > 1 && st->rest_between_sets_s > 0) {
		struct placeholder_values rv = { .seconds = st->rest_between_sets_s };
		cell_set(&cells[COL_REST], n_rest++, say(c, buf, sizeof(buf), PHRASE_SHEET_REST_SETS, &rv),
			 SHEET_REGULAR, 2);
	}
	if (s + 1 < c->r->n_steps && st->rest_after_s > 0) {
		struct placeholder_values rv = { .seconds = st->rest_after_s };
		cell_set(&cells[COL_REST], n_rest++, say(c, buf, sizeof(buf), PHRASE_SHEET_REST_AFTER, &rv),
			 SHEET_REGULAR, 2);
	}
	if (!n_rest)
		cell_set(&cells[COL_REST], 0, DASH, SHEET_REGULAR, 1);

	/* the form cues, shortened to what the cell holds; a step without
	 * cues shows its introduction instead */
	char cues[TEXT_MAX] = "";
	struct placeholder_values cv = { .set = 1, .sets = st->sets, .reps = st->reps, .seconds = st->seconds,
					 .name = st->name, .step = s + 1, .steps = c->r->n_steps,
					 .side = st->sides == SIDES_RIGHT_LEFT ? SIDE_RIGHT
						 : st->sides == SIDES_NONE ? SIDE_NONE : SIDE_LEFT };
	for (int i = 0; i < st->n_cues; i++) {
		char line[PLAN_TEXT_MAX];
		cv.rep = st->cues[i].n;
		cv.book = c->book;
		plan_expand(line, sizeof(line), st->cues[i].text, &cv);
		if (!strstr(cues, line))
			append(cues, sizeof(cues), " ", line);
	}
	for (int i = 0; !st->n_cues && i < st->n_intro; i++)
		append(cues, sizeof(cues), " ", st->intro[i]);
	cell_set(&cells[COL_CUES], 0, cues[0] ? cues : DASH, SHEET_REGULAR, 5);
}

static double column_x(struct ctx *c, int col)
{
	double x = c->x0;
	for (int i = 0; i < col; i++)
		x += column_share[i] * (c->x1 - c->x0);
	return x;
}

static double column_inner(struct ctx *c, int col)
{
	return column_share[col] * (c->x1 - c->x0) - 2 * CELL_PAD;
}

static double cell_height(struct ctx *c, int col, const struct cell *cell)
{
	int lines = 0;
	for (int i = 0; i < 2; i++)
		if (cell->text[i][0])
			lines += lines_of(c, cell->font[i], CELL_PT, cell->text[i], column_inner(c, col),
					  cell->max_lines[i]);
	return lines * CELL_LH;
}

static void table_header(struct ctx *c)
{
	static const enum phrase_id heads[N_COLUMNS] = {
		PHRASE_COUNT, PHRASE_SHEET_COL_EXERCISE, PHRASE_SHEET_COL_SETS, PHRASE_SHEET_COL_TEMPO,
		PHRASE_SHEET_COL_SIDES, PHRASE_SHEET_COL_REST, PHRASE_SHEET_COL_CUES,
	};
	double h = 0;

	for (int col = 0; col < N_COLUMNS; col++)
		if (heads[col] != PHRASE_COUNT) {
			double lh = lines_of(c, SHEET_BOLD, CELL_PT, phrase_text(c->book, heads[col]),
					     column_inner(c, col), 2) * CELL_LH;
			h = lh > h ? lh : h;
		}
	h += 2 * CELL_PAD;
	sheet_pen_item(&c->pen, SHEET_BOX, c->x0, c->y, c->x1 - c->x0, h, SHEET_HEAD);
	for (int col = 0; col < N_COLUMNS; col++)
		if (heads[col] != PHRASE_COUNT)
			paragraph(c, column_x(c, col) + CELL_PAD, c->y + CELL_PAD, column_inner(c, col),
				  SHEET_BOLD, CELL_PT, CELL_LH, SHEET_INK, phrase_text(c->book, heads[col]), 2,
				  SHEET_ROLE_NONE, -1);
	c->y += h;
}

static void new_page(struct ctx *c)
{
	c->pen.page++;
	c->y = c->y0;
}

static void table(struct ctx *c)
{
	struct cell *cells = malloc(N_COLUMNS * sizeof(*cells));

	if (!cells) {
		c->pen.err = -ENOMEM;
		return;
	}
	table_header(c);
	for (int s = 0; s < c->r->n_steps && !c->pen.err; s++) {
		step_cells(c, s, cells);
		double h = 0;
		for (int col = 0; col < N_COLUMNS; col++) {
			double ch = cell_height(c, col, &cells[col]);
			h = ch > h ? ch : h;
		}
		h += 2 * CELL_PAD;
		if (c->y + h > c->bottom) {
			new_page(c);
			table_header(c);
		}
		struct sheet_item *row = sheet_pen_item(&c->pen, SHEET_BOX, c->x0, c->y, c->x1 - c->x0, h, s % 2 ? SHEET_ZEBRA : SHEET_PAPER);
		if (row) {
			row->role = SHEET_ROLE_ROW;
			row->index = s;
		}
		for (int col = 0; col < N_COLUMNS; col++) {
			double y = c->y + CELL_PAD;
			for (int i = 0; i < 2; i++)
				if (cells[col].text[i][0])
					y += paragraph(c, column_x(c, col) + CELL_PAD, y, column_inner(c, col),
						       cells[col].font[i], CELL_PT, CELL_LH,
						       i && col == COL_TEMPO ? SHEET_MUTED : SHEET_INK,
						       cells[col].text[i], cells[col].max_lines[i],
						       col == COL_NAME ? SHEET_ROLE_NAME : SHEET_ROLE_NONE, s);
		}
		c->y += h;
		sheet_pen_item(&c->pen, SHEET_BOX, c->x0, c->y - 0.5, c->x1 - c->x0, 0.5, SHEET_RULE);
	}
	free(cells);
}

/* --- the header and the timeline --------------------------------------- */

static void header(struct ctx *c)
{
	const struct routine *r = c->r;
	double w = c->x1 - c->x0;
	char buf[TEXT_MAX], list[TEXT_MAX] = "", meta[TEXT_MAX * 2];

	c->y += paragraph(c, c->x0, c->y, w, SHEET_BOLD, TITLE_PT, TITLE_LH, SHEET_INK, r->name, 2,
			  SHEET_ROLE_NONE, -1);
	c->y += 2;
	for (int i = 0; i < r->n_equipment; i++)
		append(list, sizeof(list), phrase_text(c->book, PHRASE_LIST_SEP), r->equipment[i]);
	struct placeholder_values v = { .number = r->level, .name = list };
	say(c, meta, sizeof(meta), PHRASE_SHEET_LEVEL, &v);
	append(meta, sizeof(meta), "  \xc2\xb7  ",
	       say(c, buf, sizeof(buf), r->n_equipment ? PHRASE_SHEET_EQUIPMENT : PHRASE_SHEET_NO_EQUIPMENT, &v));
	c->y += paragraph(c, c->x0, c->y, w, SHEET_REGULAR, META_PT, META_LH, SHEET_INK, meta, 3,
			  SHEET_ROLE_NONE, -1);
	v.number = c->pen.sh->total_minutes;
	c->y += paragraph(c, c->x0, c->y, w, SHEET_BOLD, META_PT, META_LH, SHEET_INK,
			  say(c, buf, sizeof(buf), PHRASE_SHEET_TOTAL, &v), 2, SHEET_ROLE_TOTAL, -1);
	c->y += 6;
	if (r->safety[0]) {
		v.name = r->safety;
		say(c, buf, sizeof(buf), PHRASE_SHEET_SAFETY, &v);
		double h = lines_of(c, SHEET_REGULAR, SAFETY_PT, buf, w - 12, 4) * SAFETY_LH + 8;
		sheet_pen_item(&c->pen, SHEET_BOX, c->x0, c->y, w, h, SHEET_NOTICE);
		paragraph(c, c->x0 + 6, c->y + 4, w - 12, SHEET_REGULAR, SAFETY_PT, SAFETY_LH, SHEET_INK, buf, 4,
			  SHEET_ROLE_NONE, -1);
		c->y += h;
	}
	c->y += 12;
}

/* A label centred on [x, x + w), or at least inside the printable area;
 * left out when it is wider than `room`. */
static void label(struct ctx *c, double x, double w, double y, double room, double size,
		  enum sheet_colour colour, const char *text)
{
	double tw = sheet_pen_width(&c->pen, SHEET_REGULAR, size, text, strlen(text));
	if (tw > room)
		return;
	double lx = x + (w - tw) / 2;
	if (lx < c->x0)
		lx = c->x0;
	if (lx + tw > c->x1)
		lx = c->x1 - tw;
	sheet_pen_line(&c->pen, lx, y, size * 1.3, SHEET_REGULAR, size, colour, text, strlen(text), NULL);
}

static enum sheet_colour segment_colour(const struct plan_segment *sg)
{
	switch (sg->kind) {
	case SEG_WORK: return sg->step % 2 ? SHEET_WORK_B : SHEET_WORK_A;
	case SEG_REST: return SHEET_BREAK;
	case SEG_SPEECH:
	case SEG_COUNTDOWN: return SHEET_TALK;
	}
	return SHEET_TALK;
}

static void timeline(struct ctx *c, const frames_t *lengths)
{
	const struct plan *p = c->plan;
	double x0 = c->x0, w = c->x1 - c->x0;
	double total = c->pen.sh->total_frames > 0 ? (double)c->pen.sh->total_frames : 1;
	char buf[64];

	c->y += paragraph(c, c->x0, c->y, w, SHEET_BOLD, HEAD_PT, HEAD_LH, SHEET_INK,
			  phrase_text(c->book, PHRASE_SHEET_TIMELINE), 1, SHEET_ROLE_NONE, -1);
	/* the exercises' numbers above their spans */
	double labels_y = c->y;
	c->y += SMALL_LH + 1;
	double bar_y = c->y;
	struct sheet_item *bar = sheet_pen_item(&c->pen, SHEET_BOX, x0, bar_y, w, BAR_H, SHEET_TALK);
	if (bar)
		bar->role = SHEET_ROLE_BAR;
	double at = 0;
	int step = -1;
	double step_x = 0;
	for (int i = 0; i < p->n_segments; i++) {
		const struct plan_segment *sg = &p->segments[i];
		double sx = x0 + at / total * w, sw = (double)lengths[i] / total * w;
		struct sheet_item *seg = sheet_pen_item(&c->pen, SHEET_BOX, sx, bar_y, sw, BAR_H, segment_colour(sg));
		if (seg) {
			seg->role = SHEET_ROLE_SEGMENT;
			seg->index = i;
		}
		/* the set's number on its work, a rest's seconds on it */
		if (sg->kind == SEG_WORK && sg->set > 0) {
			snprintf(buf, sizeof(buf), "%d", sg->set);
			label(c, sx, sw, bar_y + (BAR_H - SMALL_PT * 1.3) / 2, sw - 1, SMALL_PT - 0.5, SHEET_ON_DARK, buf);
		} else if (sg->kind == SEG_REST) {
			snprintf(buf, sizeof(buf), "%lld", (long long)(lengths[i] / frames_from_s(1)));
			label(c, sx, sw, bar_y + (BAR_H - SMALL_PT * 1.3) / 2, sw - 1, SMALL_PT - 1, SHEET_MUTED, buf);
		}
		/* an exercise's span: from its first segment to its last */
		if (sg->step != step) {
			if (step >= 0) {
				snprintf(buf, sizeof(buf), "%d", step + 1);
				label(c, step_x, sx - step_x, labels_y, sx - step_x, SMALL_PT, SHEET_INK, buf);
			}
			step = sg->step;
			step_x = sx;
		}
		at += (double)lengths[i];
	}
	if (step >= 0) {
		double end = x0 + at / total * w;
		snprintf(buf, sizeof(buf), "%d", step + 1);
		label(c, step_x, end - step_x, labels_y, end - step_x, SMALL_PT, SHEET_INK, buf);
	}
	c->y += BAR_H + 2;

	/* the scale: a tick every 1, 2, 5, 10, 15, 30 or 60 minutes, at most 12 */
	static const int steps_min[] = { 1, 2, 5, 10, 15, 30, 60 };
	double minutes = total / frames_from_s(60);
	int every = 60;
	for (size_t i = 0; i < sizeof(steps_min) / sizeof(steps_min[0]); i++)
		if (minutes / steps_min[i] <= 12) {
			every = steps_min[i];
			break;
		}
	for (int m = 0; m <= (int)minutes; m += every) {
		double tx = x0 + (double)(m * frames_from_s(60)) / total * w;
		sheet_pen_item(&c->pen, SHEET_BOX, tx + 0.5 > c->x1 ? c->x1 - 0.5 : tx, c->y - 2, 0.5, 3, SHEET_MUTED);
		struct placeholder_values v = { .number = m };
		say(c, buf, sizeof(buf), PHRASE_SHEET_MINUTES, &v);
		double tw = sheet_pen_width(&c->pen, SHEET_REGULAR, SMALL_PT, buf, strlen(buf));
		label(c, tx - tw / 2, tw, c->y + 1, w, SMALL_PT, SHEET_MUTED, buf);
	}
	c->y += SMALL_LH + 4;

	/* the legend */
	const struct { enum phrase_id id; enum sheet_colour colour; } legend[] = {
		{ PHRASE_SHEET_WORK, SHEET_WORK_A }, { PHRASE_SHEET_BREAK, SHEET_BREAK },
		{ PHRASE_SHEET_TALK, SHEET_TALK },
	};
	double lx = x0;
	for (size_t i = 0; i < sizeof(legend) / sizeof(legend[0]); i++) {
		const char *t = phrase_text(c->book, legend[i].id);
		double tw = sheet_pen_width(&c->pen, SHEET_REGULAR, SMALL_PT + 1, t, strlen(t));
		if (lx + 10 + tw > c->x1)
			break;
		sheet_pen_item(&c->pen, SHEET_BOX, lx, c->y + 2, 7, 7, legend[i].colour);
		sheet_pen_line(&c->pen, lx + 10, c->y, SMALL_LH + 2, SHEET_REGULAR, SMALL_PT + 1, SHEET_INK, t, strlen(t), NULL);
		lx += 10 + tw + 14;
	}
	c->y += SMALL_LH + 2 + 14;
}

static void footers(struct ctx *c)
{
	char buf[128];
	double w = c->x1 - c->x0;

	for (int page = 0; page < c->pen.sh->n_pages; page++) {
		c->pen.page = page;
		struct placeholder_values v = { .number = page + 1, .total = c->pen.sh->n_pages };
		say(c, buf, sizeof(buf), PHRASE_SHEET_PAGE, &v);
		double tw = sheet_pen_width(&c->pen, SHEET_REGULAR, SMALL_PT, buf, strlen(buf));
		double y = c->y1 - FOOT_LH;
		sheet_pen_line(&c->pen, c->x1 - tw, y, FOOT_LH, SHEET_REGULAR, SMALL_PT, SHEET_MUTED, buf, strlen(buf), NULL);
		paragraph(c, c->x0, y, w - tw - 12, SHEET_REGULAR, SMALL_PT, FOOT_LH, SHEET_MUTED, c->r->name, 1,
			  SHEET_ROLE_NONE, -1);
	}
}

int sheet_layout(struct sheet *sheet, const struct routine *routine, const struct plan *plan,
		 const struct phrasebook *book, enum sheet_paper paper,
		 const struct sheet_measure *measure)
{
	sheet_pen_paper(sheet, paper);
	frames_t *lengths = calloc((size_t)plan->n_segments + 1, sizeof(*lengths));
	if (!lengths)
		return -ENOMEM;
	sheet->total_frames = plan_segment_expected_frames(plan, PLAN_SPEECH_MS_PER_CHAR, lengths);
	/* rounded as `repcue check` prints "about N minutes" */
	int minutes = (int)((sheet->total_frames + frames_from_s(30)) / frames_from_s(60));
	sheet->total_minutes = minutes < 1 ? 1 : minutes;

	struct ctx c = {
		.pen = { .sh = sheet, .m = measure }, .r = routine, .plan = plan, .book = book,
		.x0 = sheet->margin, .x1 = sheet->page_w - sheet->margin, .y0 = sheet->margin,
		.y1 = sheet->page_h - sheet->margin,
	};
	c.bottom = c.y1 - FOOT_LH - 6;
	c.y = c.y0;
	header(&c);
	timeline(&c, lengths);
	free(lengths);
	table(&c);
	sheet->n_pages = c.pen.page + 1;
	footers(&c);
	return sheet_pen_close(&c.pen);
}
