/* sheet_cairo.h - the printable sheet drawn with cairo, its text set with
 * pango. The layout (sheet_layout.h) decides where everything goes; this
 * measures text for it and draws the result as PDF, SVG or PNG onto a file
 * descriptor.
 *
 * cairo, pango and what they pull in (glib, fontconfig, freetype,
 * harfbuzz, pixman, libX11...) are about 4 MB of every process that links
 * them, resident from start-up, and the coach draws nothing itself (it
 * runs `repcue sheet` and `repcue history --report` as children:
 * card_sheets.h). So sheet_cairo.c is built as a module of its own,
 * repcue-draw.so, the only file that includes their headers, and
 * sheet_module.c loads it with dlopen() the first time a command draws:
 * the coach's memory holds none of it (issue 22's memory target). */
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
 * in (DejaVu Sans through fontconfig). 0, or -errno with what went wrong
 * in msg (the drawing module missing: -ENOENT, naming it); on success
 * release with sheet_measurer_close(), which accepts a zeroed measure. */
int sheet_measurer_open(struct sheet_measure *ret_measure, char *msg, size_t msg_size);
void sheet_measurer_close(struct sheet_measure *measure);

/* Draws `sheet` (laid out with `measure`) as `format` onto fd (borrowed,
 * not closed); `title` goes into a PDF's metadata. 0, or -errno with what
 * went wrong in msg (the caller names the file). */
int sheet_cairo_write(const struct sheet *sheet, const struct sheet_measure *measure,
		      enum sheet_format format, const char *title, int fd, char *msg, size_t msg_size);

/* The module's one exported symbol (SHEET_CAIRO_MODULE_SYMBOL in
 * repcue-draw.so): sheet_cairo.c's measurer and writer, which
 * sheet_module.c's functions above call once it is loaded. `version` is
 * SHEET_CAIRO_MODULE_VERSION: a module of another build is refused. */
#define SHEET_CAIRO_MODULE_FILE "repcue-draw.so"
#define SHEET_CAIRO_MODULE_SYMBOL "repcue_sheet_cairo_module"
#define SHEET_CAIRO_MODULE_VERSION 1
struct sheet_cairo_module {
	int version;
	int (*measurer_open)(struct sheet_measure *ret_measure);
	void (*measurer_close)(struct sheet_measure *measure);
	int (*write)(const struct sheet *sheet, const struct sheet_measure *measure, enum sheet_format format,
		     const char *title, int fd, char *msg, size_t msg_size);
};

#endif
