#include "routine/diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "util/utf8.h"

void diag_list_init(struct diag_list *diags)
{
	diags->count = 0;
	diags->dropped = 0;
}

/* Every diagnostic echoes bytes from the user's file (names, keys, text)
 * or the command line: they reach a terminal only escaped (utf8_escape),
 * so a routine cannot clear or recolour it, and are cut only between
 * characters. */
static void set_text(char *field, size_t size, const char *text)
{
	utf8_escape(field, size, text, strlen(text));
}

void diag_add(struct diag_list *diags, const char *file, int line, int col,
	      const char *hint, const char *fmt, ...)
{
	struct diag *d;
	char raw[1024];
	va_list ap;

	if (diags->count >= DIAG_MAX) {
		diags->dropped++;
		return;
	}
	d = &diags->items[diags->count++];
	set_text(d->file, sizeof(d->file), file ? file : "");
	d->line = line < 0 ? 0 : line;
	d->col = d->line == 0 ? 0 : (col < 1 ? 1 : col);
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	set_text(d->message, sizeof(d->message), raw);
	set_text(d->hint, sizeof(d->hint), hint ? hint : "");
}

int diag_format(char *out, size_t size, const struct diag *d)
{
	int n;

	if (d->line > 0)
		n = snprintf(out, size, "%s:%d:%d: error: %s\n", d->file, d->line, d->col, d->message);
	else
		n = snprintf(out, size, "%s: error: %s\n", d->file, d->message);
	if (d->hint[0]) {
		size_t used = (size_t)n < size ? (size_t)n : size;
		n += snprintf(out + used, size - used, "  hint: %s\n", d->hint);
	}
	return n;
}

void diag_print(FILE *f, const struct diag *d)
{
	char text[sizeof(d->file) + sizeof(d->message) + sizeof(d->hint) + 64];

	diag_format(text, sizeof(text), d);
	fputs(text, f);
}

/* Index of the first diag naming the same file: groups files without
 * reordering them. */
static int file_group(const struct diag_list *diags, int i)
{
	for (int k = 0; k < i; k++)
		if (strcmp(diags->items[k].file, diags->items[i].file) == 0)
			return k;
	return i;
}

static bool diag_before(const struct diag *a, int ga, const struct diag *b, int gb)
{
	if (ga != gb)
		return ga < gb;
	if (a->line != b->line)
		return a->line < b->line;
	return a->col < b->col;
}

void diag_list_sort(struct diag_list *diags)
{
	int group[DIAG_MAX];

	for (int i = 0; i < diags->count; i++)
		group[i] = file_group(diags, i);
	/* Insertion sort: at most 64 items, and stable. */
	for (int i = 1; i < diags->count; i++) {
		struct diag d = diags->items[i];
		int g = group[i], k = i;

		while (k > 0 && diag_before(&d, g, &diags->items[k - 1], group[k - 1])) {
			diags->items[k] = diags->items[k - 1];
			group[k] = group[k - 1];
			k--;
		}
		diags->items[k] = d;
		group[k] = g;
	}
}
