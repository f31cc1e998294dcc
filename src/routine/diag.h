/* diag.h - problems found in a file, each with a position and a fix.
 *
 * Loaders collect diagnostics instead of printing them, so a caller can
 * show every problem of a file at once (`repcue check`) and tests can
 * assert on them. Pure data, owned inline: no allocation. */
#ifndef REPCUE_ROUTINE_DIAG_H
#define REPCUE_ROUTINE_DIAG_H

#include <stdio.h>

#define DIAG_MAX 64

struct diag {
	char file[256];
	int line;          /* 1-based; 0 = the whole file (cannot open, too large...) */
	int col;           /* 1-based, in code points; 0 when line is 0 */
	char message[200];
	char hint[200];    /* how to fix it; "" if none */
};

struct diag_list {
	struct diag items[DIAG_MAX];
	int count;
	int dropped;       /* problems found after the list was full */
};

/* Empties the list. */
void diag_list_init(struct diag_list *diags);

/* Appends one problem; counts it in ->dropped when the list is full.
 * Control characters, backslashes and broken UTF-8 in the text are
 * written escaped (\x1b); text longer than the fields is cut between
 * characters and ends in "...". */
void diag_add(struct diag_list *diags, const char *file, int line, int col,
	      const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Orders the problems of each file by position (whole-file problems
 * first), keeping files in the order they first appear. Stable. */
void diag_list_sort(struct diag_list *diags);

/* Formats "file:line:col: error: message\n  hint: ...\n" (no line:col
 * when line is 0, no hint line when hint is empty) into out, as snprintf:
 * returns the length the whole text needs. The one text of a problem,
 * whether `repcue check` prints it or the card's problems file holds it. */
int diag_format(char *out, size_t size, const struct diag *d);

/* Prints diag_format()'s text to f. */
void diag_print(FILE *f, const struct diag *d);

#endif
