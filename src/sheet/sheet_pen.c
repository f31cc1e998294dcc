/* sheet_pen.c - see sheet_pen.h. */
#include "sheet/sheet_pen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

double sheet_pen_width(struct sheet_pen *p, enum sheet_font f, double size, const char *s, size_t len)
{
	double w = p->m->width(p->m->ctx, f, size, s, len);
	return w > 0 ? w : 0;
}

struct sheet_item *sheet_pen_item(struct sheet_pen *p, enum sheet_item_kind kind, double x, double y,
				  double w, double h, enum sheet_colour colour)
{
	struct sheet *sh = p->sh;

	if (p->err)
		return NULL;
	if (sh->n_items == sh->cap_items) {
		int cap = sh->cap_items ? sh->cap_items * 2 : 256;
		void *items = realloc(sh->items, (size_t)cap * sizeof(*sh->items));
		if (!items) {
			p->err = -ENOMEM;
			return NULL;
		}
		sh->items = items;
		sh->cap_items = cap;
	}
	struct sheet_item *it = &sh->items[sh->n_items++];
	*it = (struct sheet_item){ .kind = kind, .index = -1, .page = p->page, .x = x, .y = y, .w = w,
				   .h = h, .colour = colour };
	return it;
}

struct sheet_item *sheet_pen_box(struct sheet_pen *p, double x, double y, double w, double h,
				 enum sheet_colour colour, enum sheet_role role, int index)
{
	struct sheet_item *it = sheet_pen_item(p, SHEET_BOX, x, y, w, h, colour);
	if (it) {
		it->role = role;
		it->index = index;
	}
	return it;
}

struct sheet_item *sheet_pen_line(struct sheet_pen *p, double x, double y, double lh, enum sheet_font f,
				  double size, enum sheet_colour colour, const char *s, size_t len,
				  const char *tail)
{
	size_t tail_len = tail ? strlen(tail) : 0;
	char *text;

	if (p->err)
		return NULL;
	text = malloc(len + tail_len + 1);
	if (!text) {
		p->err = -ENOMEM;
		return NULL;
	}
	memcpy(text, s, len);
	memcpy(text + len, tail ? tail : "", tail_len + 1);
	struct sheet_item *it = sheet_pen_item(p, SHEET_TEXT, x, y,
					       sheet_pen_width(p, f, size, text, len + tail_len), lh, colour);
	if (!it) {
		free(text);
		return NULL;
	}
	it->font = f;
	it->size = size;
	it->text = text;
	return it;
}

size_t sheet_next_char(const char *s, size_t i)
{
	i++;
	while ((s[i] & 0xc0) == 0x80)
		i++;
	return i;
}

size_t sheet_prev_char(const char *s, size_t i)
{
	while (i > 0 && (s[--i] & 0xc0) == 0x80)
		;
	return i;
}

size_t sheet_pen_fit(struct sheet_pen *p, enum sheet_font f, double size, const char *s, size_t len,
		     const char *tail, double width)
{
	char buf[SHEET_TEXT_MAX + 8];
	size_t tail_len = strlen(tail);

	if (len > SHEET_TEXT_MAX) {
		len = SHEET_TEXT_MAX;
		while (len > 0 && (s[len] & 0xc0) == 0x80)
			len--;
	}
	/* binary search over character boundaries: lo fits, the answer is in [lo, hi] */
	size_t lo = 0, hi = len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		while (mid < hi && (s[mid] & 0xc0) == 0x80)
			mid++;
		memcpy(buf, s, mid);
		memcpy(buf + mid, tail, tail_len);
		if (sheet_pen_width(p, f, size, buf, mid + tail_len) <= width)
			lo = mid;
		else
			hi = sheet_prev_char(s, mid);
	}
	return lo;
}

struct sheet_item *sheet_pen_text(struct sheet_pen *p, double x, double y, double max_w, double lh,
				  enum sheet_font f, double size, enum sheet_colour colour, const char *text)
{
	size_t len = strlen(text);

	if (len > SHEET_TEXT_MAX) {
		len = SHEET_TEXT_MAX;
		while (len > 0 && (text[len] & 0xc0) == 0x80)
			len--;
	}
	if (sheet_pen_width(p, f, size, text, len) <= max_w)
		return sheet_pen_line(p, x, y, lh, f, size, colour, text, len, NULL);
	size_t keep = sheet_pen_fit(p, f, size, text, len, SHEET_ELLIPSIS, max_w);
	while (keep > 0 && text[keep - 1] == ' ')
		keep--;
	if (keep == 0 && sheet_pen_width(p, f, size, SHEET_ELLIPSIS, sizeof(SHEET_ELLIPSIS) - 1) > max_w)
		return NULL;   /* not even "..." fits */
	return sheet_pen_line(p, x, y, lh, f, size, colour, text, keep, SHEET_ELLIPSIS);
}

void sheet_pen_paper(struct sheet *sheet, enum sheet_paper paper)
{
	memset(sheet, 0, sizeof(*sheet));
	switch (paper) {
	case SHEET_A4:
		sheet->page_w = 210 * 72.0 / 25.4;
		sheet->page_h = 297 * 72.0 / 25.4;
		break;
	case SHEET_LETTER:
		sheet->page_w = 8.5 * 72;
		sheet->page_h = 11 * 72;
		break;
	}
	sheet->margin = 36.0;
}

int sheet_pen_close(struct sheet_pen *p)
{
	if (!p->err)
		return 0;
	sheet_finish(p->sh);
	return p->err;
}

/* The pen made the items (sheet_pen_item): it is the one that frees them. */
void sheet_finish(struct sheet *sheet)
{
	for (int i = 0; i < sheet->n_items; i++)
		free(sheet->items[i].text);
	free(sheet->items);
	free(sheet->description);
	memset(sheet, 0, sizeof(*sheet));
}
