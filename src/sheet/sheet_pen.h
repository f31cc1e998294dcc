/* sheet_pen.h - what both layouts (the routine's sheet, the history's
 * report) draw with: items appended to a struct sheet on the current
 * page, text measured through the layout's seam (struct sheet_measure),
 * cut with "..." at a character boundary when it is too wide.  Pure: no
 * cairo, no I/O; -ENOMEM is kept in err and every later call does nothing. */
#ifndef REPCUE_SHEET_SHEET_PEN_H
#define REPCUE_SHEET_SHEET_PEN_H

#include <stddef.h>

#include "sheet/sheet_layout.h"

#define SHEET_ELLIPSIS "\xe2\x80\xa6"
#define SHEET_TEXT_MAX 1024 /* one line's text before wrapping or cutting */

struct sheet_pen {
	struct sheet *sh;                /* borrowed: where items go */
	const struct sheet_measure *m;   /* borrowed: how wide text is */
	int page;                        /* the page items go on */
	int err;                         /* -ENOMEM once anything failed */
};

/* The width of s[0..len) in font f at size points (never negative). */
double sheet_pen_width(struct sheet_pen *p, enum sheet_font f, double size, const char *s, size_t len);

/* A new item on the current page; NULL (and err set) when out of memory. */
struct sheet_item *sheet_pen_item(struct sheet_pen *p, enum sheet_item_kind kind, double x, double y,
				  double w, double h, enum sheet_colour colour);

/* A box with the role and index the tests find it by. */
struct sheet_item *sheet_pen_box(struct sheet_pen *p, double x, double y, double w, double h,
				 enum sheet_colour colour, enum sheet_role role, int index);

/* A line of text: s[0..len) followed by tail (may be NULL), owned by the
 * sheet; its width measured. */
struct sheet_item *sheet_pen_line(struct sheet_pen *p, double x, double y, double lh, enum sheet_font f,
				  double size, enum sheet_colour colour, const char *s, size_t len,
				  const char *tail);

/* The longest prefix of s[0..len) that, followed by tail, fits width,
 * ended at a character boundary (0 if none). */
size_t sheet_pen_fit(struct sheet_pen *p, enum sheet_font f, double size, const char *s, size_t len,
		     const char *tail, double width);

/* One line of text in at most max_w points: cut and ended with "..." when
 * wider; left out (NULL) when not even "..." fits. */
struct sheet_item *sheet_pen_text(struct sheet_pen *p, double x, double y, double max_w, double lh,
				  enum sheet_font f, double size, enum sheet_colour colour, const char *text);

/* Empties *sheet and gives it the paper's size and the margin every
 * printer prints (half an inch). */
void sheet_pen_paper(struct sheet *sheet, enum sheet_paper paper);

/* The end of a layout: 0, or the pen's error after emptying the sheet
 * (sheet_finish()), so a failed layout leaves nothing to free. */
int sheet_pen_close(struct sheet_pen *p);

/* The next and the previous character boundary of UTF-8 text. */
size_t sheet_next_char(const char *s, size_t i);
size_t sheet_prev_char(const char *s, size_t i);

#endif
