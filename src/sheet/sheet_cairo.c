/* sheet_cairo.c - the sheet's adapter: pango measures text for the layout
 * and sets it, cairo draws the boxes and writes PDF, SVG or PNG. Built
 * alone as the module repcue-draw.so (sheet_cairo.h says why); its only
 * exported symbol is the table at the end.
 *
 * Measuring and drawing share one pango context with metric hinting and
 * glyph position rounding off, so a line is as wide on the page (at any
 * scale: PNG draws at 2x) as the layout was told, and a line the layout
 * kept inside the printable area stays there. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include <png.h>

#include "sheet/sheet_cairo.h"

#define FONT_FAMILY "DejaVu Sans"
#define PNG_SCALE 2.0 /* 144 dpi */
#define PNG_PIXELS_PER_METRE 5669 /* 144 dpi, so a printer keeps the page's size */

struct measurer {
	PangoFontMap *map;                 /* owned */
	PangoContext *context;             /* owned */
	PangoLayout *layout;               /* owned: set to each text in turn */
	PangoFontDescription *fonts[2];    /* owned, by enum sheet_font */
	enum sheet_font font;              /* what layout is set in now */
	double size;                       /* 0: nothing yet */
};

static void set_font(struct measurer *m, PangoLayout *layout, enum sheet_font font, double size)
{
	pango_font_description_set_absolute_size(m->fonts[font], size * PANGO_SCALE);
	pango_layout_set_font_description(layout, m->fonts[font]);
}

static double measure_width(void *ctx, enum sheet_font font, double size_pt, const char *text, size_t len)
{
	struct measurer *m = ctx;
	PangoRectangle logical;

	if (m->size != size_pt || m->font != font) {
		set_font(m, m->layout, font, size_pt);
		m->font = font;
		m->size = size_pt;
	}
	pango_layout_set_text(m->layout, text, (int)len);
	pango_layout_get_extents(m->layout, NULL, &logical);
	return (double)logical.width / PANGO_SCALE;
}

static void draw_measurer_close(struct sheet_measure *measure);

static int draw_measurer_open(struct sheet_measure *ret_measure)
{
	struct measurer *m = calloc(1, sizeof(*m));
	cairo_font_options_t *options = cairo_font_options_create();

	if (!m || cairo_font_options_status(options) != CAIRO_STATUS_SUCCESS)
		goto fail;
	m->map = pango_cairo_font_map_new();
	m->context = m->map ? pango_font_map_create_context(m->map) : NULL;
	if (!m->context)
		goto fail;
	/* metrics that scale linearly: the same widths in every format */
	cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(m->context, options);
	pango_cairo_context_set_resolution(m->context, 72); /* 1 unit = 1 point */
	pango_context_set_round_glyph_positions(m->context, FALSE);
	m->layout = pango_layout_new(m->context);
	for (int i = 0; i < 2; i++) {
		m->fonts[i] = pango_font_description_from_string(FONT_FAMILY);
		if (!m->fonts[i])
			goto fail;
		pango_font_description_set_weight(m->fonts[i], i == SHEET_BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	}
	cairo_font_options_destroy(options);
	*ret_measure = (struct sheet_measure){ .width = measure_width, .ctx = m };
	return 0;
fail:
	cairo_font_options_destroy(options);
	draw_measurer_close(&(struct sheet_measure){ .ctx = m });
	return -ENOMEM;
}

static void draw_measurer_close(struct sheet_measure *measure)
{
	struct measurer *m = measure ? measure->ctx : NULL;

	if (!m)
		return;
	for (int i = 0; i < 2; i++)
		if (m->fonts[i])
			pango_font_description_free(m->fonts[i]);
	if (m->layout)
		g_object_unref(m->layout);
	if (m->context)
		g_object_unref(m->context);
	if (m->map)
		g_object_unref(m->map);
	free(m);
	measure->ctx = NULL;
}

/* Colours by enum sheet_colour, RGB 0..1: print well in black and white too */
static const double colours[][3] = {
	[SHEET_INK] = { 0.08, 0.08, 0.10 },
	[SHEET_MUTED] = { 0.38, 0.38, 0.42 },
	[SHEET_RULE] = { 0.75, 0.75, 0.78 },
	[SHEET_HEAD] = { 0.86, 0.89, 0.93 },
	[SHEET_PAPER] = { 1.00, 1.00, 1.00 },
	[SHEET_ZEBRA] = { 0.96, 0.97, 0.98 },
	[SHEET_NOTICE] = { 1.00, 0.94, 0.85 },
	[SHEET_WORK_A] = { 0.16, 0.38, 0.62 },
	[SHEET_WORK_B] = { 0.27, 0.52, 0.76 },
	[SHEET_BREAK] = { 0.86, 0.93, 0.86 },
	[SHEET_TALK] = { 0.90, 0.90, 0.92 },
	[SHEET_ON_DARK] = { 1.00, 1.00, 1.00 },
	[SHEET_MARK] = { 0.16, 0.38, 0.62 },
	[SHEET_MARK_LIGHT] = { 0.74, 0.83, 0.93 },
	[SHEET_PRIO_CHATTER] = { 0.60, 0.60, 0.64 },
	[SHEET_PRIO_FORM] = { 0.16, 0.55, 0.34 },
	[SHEET_PRIO_TEMPO] = { 0.16, 0.38, 0.62 },
	[SHEET_PRIO_COUNTDOWN] = { 0.85, 0.50, 0.05 },
	[SHEET_PRIO_CONTROL] = { 0.70, 0.15, 0.55 },
	[SHEET_BEEP] = { 0.30, 0.30, 0.34 },
	[SHEET_PRESS] = { 0.80, 0.10, 0.10 },
	[SHEET_WAIT] = { 0.95, 0.80, 0.40 },
	[SHEET_DROP] = { 0.80, 0.10, 0.10 },
};

static void draw_page(cairo_t *cr, const struct sheet *sheet, struct measurer *m, int page)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, 0, 0, sheet->page_w, sheet->page_h);
	cairo_fill(cr);
	pango_cairo_update_context(cr, m->context);
	PangoLayout *layout = pango_layout_new(m->context);
	for (int i = 0; i < sheet->n_items; i++) {
		const struct sheet_item *it = &sheet->items[i];
		const double *rgb = colours[it->colour];

		if (it->page != page)
			continue;
		cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
		switch (it->kind) {
		case SHEET_BOX:
			cairo_rectangle(cr, it->x, it->y, it->w, it->h);
			cairo_fill(cr);
			break;
		case SHEET_TEXT: {
			PangoRectangle logical;
			set_font(m, layout, it->font, it->size);
			pango_layout_set_text(layout, it->text, -1);
			pango_layout_get_extents(layout, NULL, &logical);
			cairo_move_to(cr, it->x, it->y + (it->h - (double)logical.height / PANGO_SCALE) / 2);
			pango_cairo_show_layout(cr, layout);
			break;
		}
		}
	}
	g_object_unref(layout);
	m->size = 0; /* the measuring layout's font was changed under it */
}

struct sink {
	int fd;  /* borrowed */
	int err; /* errno of a failed write, 0 */
	/* SVG: held whole, to put its <title> and <desc> in before writing */
	bool hold;
	char *held;  /* owned */
	size_t n_held, cap_held;
};

static int write_all(struct sink *k, const unsigned char *data, size_t length)
{
	while (length > 0) {
		ssize_t n = write(k->fd, data, length);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			k->err = errno;
			return -errno;
		}
		data += n;
		length -= (size_t)n;
	}
	return 0;
}

static cairo_status_t write_fd(void *closure, const unsigned char *data, unsigned int length)
{
	struct sink *k = closure;

	if (!k->hold)
		return write_all(k, data, length) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
	if (k->n_held + length > k->cap_held) {
		size_t cap = k->cap_held ? k->cap_held : 65536;
		while (cap < k->n_held + length)
			cap *= 2;
		char *more = realloc(k->held, cap);
		if (!more)
			return CAIRO_STATUS_NO_MEMORY;
		k->held = more;
		k->cap_held = cap;
	}
	memcpy(k->held + k->n_held, data, length);
	k->n_held += length;
	return CAIRO_STATUS_SUCCESS;
}

struct pixels {
	void *data;  /* owned: mmap'd, or NULL when cairo allocated its own */
	size_t size;
};

/* A PNG page's RGB24 image surface, its 8 MB (A4 at 144 dpi) mapped in
 * one call with MAP_POPULATE: letting cairo malloc it and fault it in page
 * by page, as the first paint touches it, cost a third of a PNG sheet's
 * time on this VM (about 2000 faults). Falls back to cairo's own buffer. */
static cairo_surface_t *image_surface_create(int w, int h, struct pixels *px)
{
	int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);

	if (stride > 0 && h > 0) {
		size_t size = (size_t)stride * (size_t)h;
		void *data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (data != MAP_FAILED) {
			*px = (struct pixels){ data, size };
			return cairo_image_surface_create_for_data(data, CAIRO_FORMAT_RGB24, w, h, stride);
		}
	}
	return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
}

/* libpng's handlers: an error jumps back to write_png, which returns it
 * (CAIRO_STATUS_PNG_ERROR, or the sink's errno); a warning is not ours to print */
static void png_failed(png_structp png, png_const_charp what)
{
	(void)what;
	png_longjmp(png, 1);
}

static void png_warned(png_structp png, png_const_charp what)
{
	(void)png;
	(void)what;
}

static void png_sink_write(png_structp png, png_bytep data, size_t length)
{
	if (write_fd(png_get_io_ptr(png), data, (unsigned int)length) != CAIRO_STATUS_SUCCESS)
		png_error(png, "cannot write");
}

static void png_sink_flush(png_structp png)
{
	(void)png;
}

/* The image surface as an 8-bit RGB PNG, written by libpng itself rather
 * than cairo_surface_write_to_png_stream: cairo's writer has no say over
 * compression and spends most of a PNG sheet's time (about 90 of 150 ms
 * here) in zlib's default level and libpng's adaptive filters. A sheet is
 * flat colour and text: zlib's fastest level without a filter costs a
 * fraction of that and makes a file no larger than cairo's (180 KB for
 * upper-back-1; the Sub filter gave 217 KB, Z_RLE 367 KB, for the same
 * time). One row buffer, owned here. */
static cairo_status_t write_png(cairo_surface_t *surface, struct sink *sink)
{
	cairo_surface_flush(surface);
	int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
	int stride = cairo_image_surface_get_stride(surface);
	const unsigned char *pixels = cairo_image_surface_get_data(surface);
	unsigned char *volatile row = malloc((size_t)w * 3);
	cairo_status_t status = CAIRO_STATUS_SUCCESS;
	png_structp png = NULL;
	png_infop info = NULL;

	if (!pixels || !row) {
		free(row);
		return CAIRO_STATUS_NO_MEMORY;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_failed, png_warned);
	if (png)
		info = png_create_info_struct(png);
	if (!png || !info) {
		png_destroy_write_struct(&png, NULL);
		free(row);
		return CAIRO_STATUS_NO_MEMORY;
	}
	if (setjmp(png_jmpbuf(png))) {
		status = sink->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_PNG_ERROR;
	} else {
		png_set_write_fn(png, sink, png_sink_write, png_sink_flush);
		png_set_compression_level(png, 1);
		png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
		png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
			     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
		png_set_pHYs(png, info, PNG_PIXELS_PER_METRE, PNG_PIXELS_PER_METRE, PNG_RESOLUTION_METER);
		png_write_info(png, info);
		for (int y = 0; y < h; y++) {
			/* CAIRO_FORMAT_RGB24: one native-endian 32-bit word per pixel, 0x00RRGGBB */
			const uint32_t *in = (const uint32_t *)(const void *)(pixels + (size_t)y * (size_t)stride);
			for (int x = 0; x < w; x++) {
				row[3 * x] = (unsigned char)(in[x] >> 16);
				row[3 * x + 1] = (unsigned char)(in[x] >> 8);
				row[3 * x + 2] = (unsigned char)in[x];
			}
			png_write_row(png, row);
		}
		png_write_end(png, NULL);
	}
	png_destroy_write_struct(&png, &info);
	free(row);
	return status;
}

/* text with & < > " escaped for XML, into a new string (NULL: no memory) */
static char *xml_escaped(const char *text)
{
	size_t n = strlen(text);
	char *out = malloc(n * 6 + 1), *o = out;

	if (!out)
		return NULL;
	for (; *text; text++) {
		const char *rep = *text == '&' ? "&amp;" : *text == '<' ? "&lt;" : *text == '>' ? "&gt;" :
				  *text == '"' ? "&quot;" : NULL;
		if (rep) {
			memcpy(o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			*o++ = *text;
		}
	}
	*o = '\0';
	return out;
}

/* The held SVG written with <title> and <desc> first in its root element:
 * the words a search or a screen reader finds (its text is outlines). */
static int write_svg_described(struct sink *k, const char *title, const char *description)
{
	const char *root = k->n_held ? memmem(k->held, k->n_held, "<svg", 4) : NULL;
	const char *open_end = root ? memchr(root, '>', k->n_held - (size_t)(root - k->held)) : NULL;
	char *t = xml_escaped(title ? title : ""), *d = xml_escaped(description ? description : "");
	int r = -ENOMEM;

	if (t && d) {
		size_t head = open_end ? (size_t)(open_end - k->held) + 1 : k->n_held;
		r = write_all(k, (const unsigned char *)k->held, head);
		if (r == 0 && open_end) {
			r = write_all(k, (const unsigned char *)"\n<title>", 8);
			r = r ? r : write_all(k, (const unsigned char *)t, strlen(t));
			r = r ? r : write_all(k, (const unsigned char *)"</title>", 8);
			if (r == 0 && description) {
				r = write_all(k, (const unsigned char *)"\n<desc>", 7);
				r = r ? r : write_all(k, (const unsigned char *)d, strlen(d));
				r = r ? r : write_all(k, (const unsigned char *)"</desc>", 7);
			}
		}
		if (r == 0)
			r = write_all(k, (const unsigned char *)k->held + head, k->n_held - head);
	}
	free(t);
	free(d);
	return r;
}

static int draw_write(const struct sheet *sheet, const struct sheet_measure *measure, enum sheet_format format,
		       const char *title, int fd, char *msg, size_t msg_size)
{
	struct measurer *m = measure->ctx;
	struct sink sink = { .fd = fd, .hold = format == SHEET_SVG };
	double stacked_h = sheet->page_h * sheet->n_pages;
	cairo_surface_t *surface = NULL;
	struct pixels pixels = { 0 };
	cairo_status_t status;

	switch (format) {
	case SHEET_PDF:
		surface = cairo_pdf_surface_create_for_stream(write_fd, &sink, sheet->page_w, sheet->page_h);
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "repcue");
		break;
	case SHEET_SVG:
		surface = cairo_svg_surface_create_for_stream(write_fd, &sink, sheet->page_w, stacked_h);
		break;
	case SHEET_PNG:
		surface = image_surface_create((int)(sheet->page_w * PNG_SCALE + 0.5),
					       (int)(stacked_h * PNG_SCALE + 0.5), &pixels);
		break;
	}
	cairo_t *cr = cairo_create(surface);
	if (format == SHEET_PNG)
		cairo_scale(cr, PNG_SCALE, PNG_SCALE);
	for (int page = 0; page < sheet->n_pages; page++) {
		cairo_save(cr);
		if (format != SHEET_PDF)
			cairo_translate(cr, 0, page * sheet->page_h);
		draw_page(cr, sheet, m, page);
		cairo_restore(cr);
		if (format == SHEET_PDF)
			cairo_show_page(cr);
		else if (page > 0) {
			cairo_set_source_rgb(cr, colours[SHEET_RULE][0], colours[SHEET_RULE][1], colours[SHEET_RULE][2]);
			cairo_rectangle(cr, 0, page * sheet->page_h, sheet->page_w, 0.5);
			cairo_fill(cr);
		}
	}
	pango_context_set_matrix(m->context, NULL);
	status = cairo_status(cr);
	cairo_destroy(cr);
	if (status == CAIRO_STATUS_SUCCESS && format == SHEET_PNG)
		status = write_png(surface, &sink);
	cairo_surface_finish(surface);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (pixels.data)
		munmap(pixels.data, pixels.size);
	if (status == CAIRO_STATUS_SUCCESS && sink.hold) {
		int r = write_svg_described(&sink, title, sheet->description);
		if (r == -ENOMEM)
			status = CAIRO_STATUS_NO_MEMORY;
		else if (r < 0)
			status = CAIRO_STATUS_WRITE_ERROR;
	}
	free(sink.held);
	if (status == CAIRO_STATUS_SUCCESS)
		return 0;
	if (sink.err) {
		snprintf(msg, msg_size, "%s", strerror(sink.err));
		return -sink.err;
	}
	snprintf(msg, msg_size, "cannot draw the sheet: %s", cairo_status_to_string(status));
	return status == CAIRO_STATUS_NO_MEMORY ? -ENOMEM : -EIO;
}

__attribute__((visibility("default"))) const struct sheet_cairo_module repcue_sheet_cairo_module = {
	.version = SHEET_CAIRO_MODULE_VERSION,
	.measurer_open = draw_measurer_open,
	.measurer_close = draw_measurer_close,
	.write = draw_write,
};
