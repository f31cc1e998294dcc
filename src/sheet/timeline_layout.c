/* timeline_layout.c - see timeline_layout.h. */
#include "sheet/timeline_layout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet/sheet_pen.h"

#define MARGIN 24.0
#define LABEL_W 78.0      /* the lanes' names, left of the time axis */
#define TITLE_SIZE 14.0
#define TEXT_SIZE 8.0
#define SMALL_SIZE 7.0
#define LINE_H 11.0
#define AXIS_H 16.0
#define SEG_H 30.0
#define SAY_ROWS 3
#define SAY_ROW_H 14.0
#define MARK_LANE_H 16.0
#define LANE_GAP 6.0

struct tl {
	struct sheet_pen pen;
	const struct plan *plan;
	const struct routine *routine;
	const struct seq_log_entry *log;
	int n;
	frames_t end;
	double x0, k;          /* x = x0 + frames * k */
	double right;          /* the last x anything may reach */
};

static double x_of(const struct tl *t, frames_t at)
{
	return t->x0 + (double)at * t->k;
}

/* Where a mark w wide of the event at `at` goes: at its time, or as far
 * right as the page allows (an event at the very end). */
static double mark_x(const struct tl *t, frames_t at, double w)
{
	double x = x_of(t, at);
	return x + w > t->right ? t->right - w : x;
}

/* A line of text from x no further than max_x (cut with "...", or left
 * out when not even that fits). */
static void text_until(struct tl *t, double x, double y, double max_x, enum sheet_font f, double size,
		       enum sheet_colour colour, const char *text)
{
	if (max_x > t->right)
		max_x = t->right;
	if (max_x - x > 4)
		sheet_pen_text(&t->pen, x, y, max_x - x, LINE_H, f, size, colour, text);
}

static void lane_name(struct tl *t, double y, double h, const char *name)
{
	sheet_pen_text(&t->pen, MARGIN, y + (h - LINE_H) / 2, LABEL_W - 6, LINE_H, SHEET_BOLD, TEXT_SIZE,
		       SHEET_MUTED, name);
	sheet_pen_box(&t->pen, MARGIN, y + h + LANE_GAP / 2, t->right - MARGIN, 0.5, SHEET_RULE, SHEET_ROLE_NONE, -1);
}

/* The time axis: a tick and m:ss every step, the step the first of a
 * few round ones at least 56 points apart. */
static void axis(struct tl *t, double y)
{
	static const int steps_s[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200 };
	int step = steps_s[sizeof(steps_s) / sizeof(steps_s[0]) - 1];
	char label[32];

	for (size_t i = 0; i < sizeof(steps_s) / sizeof(steps_s[0]); i++)
		if ((double)frames_from_s(steps_s[i]) * t->k >= 56) {
			step = steps_s[i];
			break;
		}
	sheet_pen_box(&t->pen, t->x0, y + AXIS_H - 0.5, x_of(t, t->end) - t->x0, 0.5, SHEET_RULE, SHEET_ROLE_NONE, -1);
	for (int64_t s = 0; frames_from_s(s) <= t->end; s += step) {
		double x = x_of(t, frames_from_s(s));
		sheet_pen_box(&t->pen, x, y + AXIS_H - 5, 0.5, 5, SHEET_MUTED, SHEET_ROLE_NONE, -1);
		if (s >= 3600)
			snprintf(label, sizeof(label), "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
		else
			snprintf(label, sizeof(label), "%d:%02d", (int)(s / 60), (int)(s % 60));
		text_until(t, x + 2, y, x + (double)frames_from_s(step) * t->k - 2, SHEET_REGULAR, SMALL_SIZE,
			   SHEET_MUTED, label);
	}
}

/* The frame where the segment started at log[i] ended: the next segment
 * or the end. */
static frames_t segment_end(const struct tl *t, int i)
{
	for (int k = i + 1; k < t->n; k++)
		if (t->log[k].kind == LOG_SEGMENT || t->log[k].kind == LOG_END)
			return t->log[k].at;
	return t->end;
}

static void segment_label(const struct tl *t, const struct plan_segment *seg, char *buf, size_t size)
{
	static const char *const kinds[] = {
		[SEG_SPEECH] = "speech", [SEG_COUNTDOWN] = "countdown", [SEG_WORK] = "work", [SEG_REST] = "rest",
	};
	size_t o;

	if (seg->kind == SEG_WORK && seg->step >= 0)
		o = (size_t)snprintf(buf, size, "%s", t->routine->steps[seg->step].name);
	else
		o = (size_t)snprintf(buf, size, "%s", kinds[seg->kind]);
	if (seg->set > 0 && o < size)
		o += (size_t)snprintf(buf + o, size - o, " \xc2\xb7 set %d", seg->set);
	if (seg->side != SIDE_NONE && o < size)
		snprintf(buf + o, size - o, " \xc2\xb7 %s", side_name(seg->side));
}

static void segments(struct tl *t, double y)
{
	char label[ROUTINE_NAME_MAX + 64];

	for (int i = 0; i < t->n; i++) {
		const struct seq_log_entry *e = &t->log[i];
		if (e->kind != LOG_SEGMENT || e->arg < 0 || e->arg >= t->plan->n_segments)
			continue;
		const struct plan_segment *seg = &t->plan->segments[e->arg];
		double x = x_of(t, e->at), w = (double)(segment_end(t, i) - e->at) * t->k;
		enum sheet_colour c = seg->kind == SEG_WORK ? (seg->step % 2 ? SHEET_WORK_B : SHEET_WORK_A) :
				      seg->kind == SEG_REST ? SHEET_BREAK : SHEET_TALK;
		sheet_pen_box(&t->pen, x, y, w, SEG_H, c, SHEET_ROLE_TL_SEGMENT, i);
		/* where one segment meets the next of the same colour */
		sheet_pen_box(&t->pen, x, y, w < 0.5 ? w : 0.5, SEG_H, SHEET_PAPER, SHEET_ROLE_NONE, -1);
		segment_label(t, seg, label, sizeof(label));
		text_until(t, x + 3, y + (SEG_H - LINE_H) / 2, x + w - 2, SHEET_REGULAR, TEXT_SIZE,
			   seg->kind == SEG_WORK ? SHEET_ON_DARK : SHEET_INK, label);
	}
}

/* Every line said, a mark coloured by its priority in one of SAY_ROWS
 * rows taken in turn, its text up to the next mark of that row; lines
 * cut short or stopped, a thin mark in the row of the line. */
static void speech(struct tl *t, double y)
{
	int row = 0;

	for (int i = 0; i < t->n; i++) {
		const struct seq_log_entry *e = &t->log[i];
		if (e->kind == LOG_CUT || e->kind == LOG_STOP) {
			sheet_pen_box(&t->pen, mark_x(t, e->at, 1), y, 1, SAY_ROWS * SAY_ROW_H, SHEET_MUTED, SHEET_ROLE_TL_CUT, i);
			continue;
		}
		if (e->kind != LOG_SAY)
			continue;
		int prio = e->arg2 >= PRIO_CHATTER && e->arg2 <= PRIO_CONTROL ? e->arg2 : PRIO_FORM;
		double x = mark_x(t, e->at, 2), ry = y + row * SAY_ROW_H, next_x = t->right;
		/* the next line said in this row: SAY_ROWS lines on */
		for (int k = i + 1, seen = 0; k < t->n; k++)
			if (t->log[k].kind == LOG_SAY && ++seen == SAY_ROWS) {
				next_x = x_of(t, t->log[k].at);
				break;
			}
		sheet_pen_box(&t->pen, x, ry + 1, 2, SAY_ROW_H - 2, (enum sheet_colour)(SHEET_PRIO_CHATTER + prio),
			      SHEET_ROLE_TL_SAY, i);
		if (e->arg >= 0 && e->arg < t->plan->n_texts)
			text_until(t, x + 4, ry + (SAY_ROW_H - LINE_H) / 2, next_x - 3, SHEET_REGULAR, TEXT_SIZE, SHEET_INK,
				   t->plan->texts[e->arg]);
		row = (row + 1) % SAY_ROWS;
	}
}

/* Waits for a line being made, from the wait to the line said (or
 * dropped); drops. */
static void waits(struct tl *t, double y)
{
	for (int i = 0; i < t->n; i++) {
		const struct seq_log_entry *e = &t->log[i];
		if (e->kind == LOG_DROP) {
			sheet_pen_box(&t->pen, mark_x(t, e->at, 2), y, 2, MARK_LANE_H, SHEET_DROP, SHEET_ROLE_TL_DROP, i);
			continue;
		}
		if (e->kind != LOG_WAIT)
			continue;
		frames_t until = t->end;
		for (int k = i + 1; k < t->n; k++)
			if ((t->log[k].kind == LOG_SAY || t->log[k].kind == LOG_DROP) && t->log[k].arg == e->arg) {
				until = t->log[k].at;
				break;
			}
		double w = (double)(until - e->at) * t->k;
		w = w > 1 ? w : 1;
		sheet_pen_box(&t->pen, mark_x(t, e->at, w), y + 2, w, MARK_LANE_H - 4, SHEET_WAIT,
			      SHEET_ROLE_TL_WAIT, i);
	}
}

static void beeps(struct tl *t, double y)
{
	for (int i = 0; i < t->n; i++)
		if (t->log[i].kind == LOG_BEEP)
			sheet_pen_box(&t->pen, mark_x(t, t->log[i].at, 1.5), y + 3, 1.5, MARK_LANE_H - 6, SHEET_BEEP,
				      SHEET_ROLE_TL_BEEP, i);
}

/* Presses, with their action up to the next press. */
static void presses(struct tl *t, double y)
{
	char label[64];

	for (int i = 0; i < t->n; i++) {
		const struct seq_log_entry *e = &t->log[i];
		if (e->kind != LOG_CONTROL)
			continue;
		double x = mark_x(t, e->at, 2), next_x = t->right;
		for (int k = i + 1; k < t->n; k++)
			if (t->log[k].kind == LOG_CONTROL) {
				next_x = x_of(t, t->log[k].at);
				break;
			}
		sheet_pen_box(&t->pen, x, y + 1, 2, MARK_LANE_H - 2, SHEET_PRESS, SHEET_ROLE_TL_PRESS, i);
		snprintf(label, sizeof(label), "%s%s", control_action_name((enum control_action)e->arg),
			 e->arg2 ? "" : " (nothing to do)");
		text_until(t, x + 4, y + (MARK_LANE_H - LINE_H) / 2, next_x - 3, SHEET_REGULAR, TEXT_SIZE, SHEET_INK,
			   label);
	}
}

/* What the colours mean, along the bottom. */
static void legend(struct tl *t, double y)
{
	static const struct { enum sheet_colour c; const char *name; } keys[] = {
		{ SHEET_PRIO_CONTROL, "line: control" }, { SHEET_PRIO_COUNTDOWN, "line: countdown" },
		{ SHEET_PRIO_TEMPO, "line: tempo" }, { SHEET_PRIO_FORM, "line: form" },
		{ SHEET_PRIO_CHATTER, "line: chatter" }, { SHEET_MUTED, "cut/stopped" }, { SHEET_BEEP, "beep" },
		{ SHEET_PRESS, "press" }, { SHEET_WAIT, "wait for a line" }, { SHEET_DROP, "line dropped" },
	};
	double x = MARGIN;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		double w = sheet_pen_width(&t->pen, SHEET_REGULAR, SMALL_SIZE, keys[i].name, strlen(keys[i].name));
		if (x + 12 + w > t->right)
			break;   /* a page narrower than the legend: the rest left out */
		sheet_pen_box(&t->pen, x, y + 2, 8, 8, keys[i].c, SHEET_ROLE_NONE, -1);
		sheet_pen_line(&t->pen, x + 11, y, LINE_H, SHEET_REGULAR, SMALL_SIZE, SHEET_MUTED, keys[i].name,
			       strlen(keys[i].name), NULL);
		x += 11 + w + 14;
	}
}

/* The SVG's own description: the routine and its exercises in order. */
static void describe(struct tl *t, struct sheet *sheet)
{
	size_t size = strlen(t->routine->name) + 64;
	for (int i = 0; i < t->routine->n_steps; i++)
		size += strlen(t->routine->steps[i].name) + 2;
	char *d = malloc(size);
	if (!d) {
		t->pen.err = -ENOMEM;
		return;
	}
	size_t o = (size_t)snprintf(d, size, "%s: the session as rendered. Exercises: ", t->routine->name);
	for (int i = 0; i < t->routine->n_steps; i++)
		o += (size_t)snprintf(d + o, size - o, "%s%s", i ? ", " : "", t->routine->steps[i].name);
	sheet->description = d;
}

int timeline_layout(struct sheet *sheet, const struct plan *plan, const struct routine *routine,
		    const struct seq_log_entry *log, int n, frames_t end, double max_w,
		    const struct sheet_measure *measure, struct timeline_scale *ret_scale)
{
	struct tl t = { .pen = { .sh = sheet, .m = measure }, .plan = plan, .routine = routine, .log = log, .n = n,
			.end = end };
	char title[ROUTINE_NAME_MAX + 64];

	memset(sheet, 0, sizeof(*sheet));
	if (n < 0 || end < 0)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (log[i].at > t.end)
			t.end = log[i].at;   /* never a mark past the page */
	t.x0 = MARGIN + LABEL_W;
	double span = max_w - t.x0 - MARGIN;
	if (span < 100)
		span = 100;
	double wanted = (double)t.end / SESSION_RATE_HZ * TIMELINE_PT_PER_S;
	t.k = (wanted > span ? span : wanted) / (double)(t.end > 0 ? t.end : 1);
	if (t.k <= 0)
		t.k = TIMELINE_PT_PER_S / SESSION_RATE_HZ;
	sheet->page_w = x_of(&t, t.end) + MARGIN;
	if (sheet->page_w < 640)
		sheet->page_w = 640;   /* room for the title and the legend */
	sheet->margin = MARGIN;
	sheet->n_pages = 1;
	sheet->total_frames = t.end;
	sheet->total_minutes = (int)((t.end + frames_from_s(30)) / frames_from_s(60));
	t.right = sheet->page_w - MARGIN;

	double y = MARGIN;
	int secs = (int)(t.end / SESSION_RATE_HZ);
	snprintf(title, sizeof(title), "%s \xe2\x80\x93 the session as rendered, %d:%02d", routine->name, secs / 60,
		 secs % 60);
	sheet_pen_text(&t.pen, MARGIN, y, t.right - MARGIN, 18, SHEET_BOLD, TITLE_SIZE, SHEET_INK, title);
	y += 24;
	axis(&t, y);
	y += AXIS_H + LANE_GAP;
	lane_name(&t, y, SEG_H, "segments");
	segments(&t, y);
	y += SEG_H + LANE_GAP;
	lane_name(&t, y, SAY_ROWS * SAY_ROW_H, "speech");
	speech(&t, y);
	y += SAY_ROWS * SAY_ROW_H + LANE_GAP;
	lane_name(&t, y, MARK_LANE_H, "beeps");
	beeps(&t, y);
	y += MARK_LANE_H + LANE_GAP;
	lane_name(&t, y, MARK_LANE_H, "presses");
	presses(&t, y);
	y += MARK_LANE_H + LANE_GAP;
	lane_name(&t, y, MARK_LANE_H, "waits");
	waits(&t, y);
	y += MARK_LANE_H + LANE_GAP;
	/* the end, across the lanes */
	for (int i = 0; i < n; i++)
		if (log[i].kind == LOG_END)
			sheet_pen_box(&t.pen, mark_x(&t, log[i].at, 1), MARGIN + 24, 1, y - MARGIN - 24, SHEET_INK,
				      SHEET_ROLE_TL_END, i);
	y += 4;
	legend(&t, y);
	y += LINE_H;
	sheet->page_h = y + MARGIN;
	describe(&t, sheet);
	if (ret_scale)
		*ret_scale = (struct timeline_scale){ .x0 = t.x0, .pt_per_frame = t.k };
	if (t.pen.err) {
		sheet_finish(sheet);
		return t.pen.err;
	}
	return 0;
}
