/* sheet_cairo.h - the printable sheet drawn with cairo, its text set with
 * pango: the only files that include their headers. The layout
 * (sheet_layout.h) decides where everything goes; this measures text for
 * it and draws the result as PDF, SVG or PNG onto a file descriptor. */
#ifndef REPCUE_SHEET_SHEET_CAIRO_H
#define REPCUE_SHEET_SHEET_CAIRO_H

#include <stddef.h>

#include "sheet/sheet_layout.h"

enum sheet_format {
	SHEET_PDF,  /* one page per page */
	SHEET_SVG,  /* the pages one under the other */
	SHEET_PNG,  /* the same at 144 dpi */
};

/* The format a file name asks for by its extension (.pdf, .svg, .png, any
 * case), or -1. */
int sheet_format_of(const char *path);

/* A text measurer for sheet_layout() with the fonts the sheet is drawn
 * in (DejaVu Sans through fontconfig). 0 or -ENOMEM; on success release
 * with sheet_measurer_close(), which accepts a zeroed measure. */
int sheet_measurer_open(struct sheet_measure *ret_measure);
void sheet_measurer_close(struct sheet_measure *measure);

/* Draws `sheet` (laid out with `measure`) as `format` onto fd (borrowed,
 * not closed); `title` goes into a PDF's metadata. 0, or -errno with what
 * went wrong in msg (the caller names the file). */
int sheet_cairo_write(const struct sheet *sheet, const struct sheet_measure *measure,
		      enum sheet_format format, const char *title, int fd, char *msg, size_t msg_size);

#endif
