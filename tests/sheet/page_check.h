/* page_check.h - what both layout tests (the routine's sheet, the
 * history's report) check of every page: each item on a page that exists
 * and inside the printable area, each line of text as wide as the measure
 * says and made of whole UTF-8 characters.  Include after harness.h. */
#ifndef REPCUE_TESTS_SHEET_PAGE_CHECK_H
#define REPCUE_TESTS_SHEET_PAGE_CHECK_H

#include <stdbool.h>
#include <string.h>

#include "sheet/sheet_layout.h"

#define PAGE_EPS 1e-6
#define PAGE_ELLIPSIS "\xe2\x80\xa6"

/* Returns the number of lines that end in "…". */
static inline int page_check_inside(const char *what, const struct sheet *sh, const struct sheet_measure *m)
{
	double x0 = sh->margin, y0 = sh->margin, x1 = sh->page_w - sh->margin, y1 = sh->page_h - sh->margin;
	int cut = 0, outside = 0;

	for (int i = 0; i < sh->n_items; i++) {
		const struct sheet_item *it = &sh->items[i];
		bool in = it->page >= 0 && it->page < sh->n_pages && it->x >= x0 - PAGE_EPS &&
			  it->y >= y0 - PAGE_EPS && it->x + it->w <= x1 + PAGE_EPS &&
			  it->y + it->h <= y1 + PAGE_EPS && it->w >= 0 && it->h >= 0;
		if (!in && outside++ < 5)
			CHECK(in, "%s: item %d (%s '%s') at page %d, %.2f,%.2f size %.2f x %.2f is outside "
			      "[%.2f, %.2f] x [%.2f, %.2f]", what, i, it->kind == SHEET_TEXT ? "text" : "box",
			      it->text ? it->text : "", it->page, it->x, it->y, it->w, it->h, x0, x1, y0, y1);
		if (it->kind != SHEET_TEXT)
			continue;
		CHECK(it->text && it->text[0], "%s: item %d: a line of text has text", what, i);
		if (!it->text || !it->text[0])
			continue;
		size_t len = strlen(it->text);
		double w = m->width(m->ctx, it->font, it->size, it->text, len);
		CHECK(w <= it->w + PAGE_EPS && w >= it->w - PAGE_EPS, "%s: '%s' measured %.2f, laid out %.2f",
		      what, it->text, w, it->w);
		CHECK((it->text[0] & 0xc0) != 0x80 && (unsigned char)it->text[len - 1] < 0xc0,
		      "%s: '%s' is whole characters", what, it->text);
		if (len >= 3 && strcmp(it->text + len - 3, PAGE_ELLIPSIS) == 0)
			cut++;
	}
	CHECK(outside == 0, "%s: %d items outside the printable area", what, outside);
	return cut;
}

#endif
