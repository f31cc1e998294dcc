/* fuzz_common.h - what every fuzz target checks besides "no crash, no leak,
 * no undefined behaviour" (ASan + UBSan do those): the loader's contract
 * (0 with no diagnostics, or -EINVAL with at least one) and that every
 * diagnostic is printable UTF-8, as a terminal or a journal shows it: no
 * escape sequences, no other control bytes, no text cut mid-character. A
 * broken property prints what broke and aborts, and libFuzzer saves the
 * input as a crash file. */
#ifndef REPCUE_FUZZ_COMMON_H
#define REPCUE_FUZZ_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routine/diag.h"
#include "util/utf8.h"

#define FUZZ_NAME "fuzz.yaml"

#define FUZZ_REQUIRE(cond, ...)                                         \
	do {                                                            \
		if (!(cond)) {                                          \
			fprintf(stderr, "fuzz property broken: ");      \
			fprintf(stderr, __VA_ARGS__);                   \
			fputc('\n', stderr);                            \
			abort();                                        \
		}                                                       \
	} while (0)

/* One field of a diagnostic: well-formed UTF-8, no control characters. */
static inline void fuzz_printable(const char *what, const char *s)
{
	size_t bad = utf8_first_bad(s, strlen(s));

	FUZZ_REQUIRE(bad == 0, "diagnostic %s is not printable UTF-8 at byte %zu: \"%s\"", what,
		     bad - 1, s);
}

/* The loader contract and the printable property, on what diag_print
 * writes as well as on the fields. */
static inline void fuzz_check_diags(int ret, const struct diag_list *diags)
{
	FUZZ_REQUIRE(ret == 0 || ret == -EINVAL || ret == -ENOMEM, "returned %d", ret);
	FUZZ_REQUIRE((ret == 0) == (diags->count == 0 && diags->dropped == 0),
		     "returned %d with %d diagnostics (%d dropped)", ret, diags->count, diags->dropped);
	FUZZ_REQUIRE(diags->count >= 0 && diags->count <= DIAG_MAX, "count %d", diags->count);
	for (int i = 0; i < diags->count; i++) {
		const struct diag *d = &diags->items[i];
		char *text = NULL;
		size_t len = 0;
		FILE *f;

		FUZZ_REQUIRE(d->line >= 0 && d->col >= 0, "position %d:%d", d->line, d->col);
		FUZZ_REQUIRE(d->message[0] != '\0', "empty message");
		fuzz_printable("file", d->file);
		fuzz_printable("message", d->message);
		fuzz_printable("hint", d->hint);
		f = open_memstream(&text, &len);
		FUZZ_REQUIRE(f != NULL, "open_memstream");
		diag_print(f, d);
		fclose(f);
		/* line by line: the newlines diag_print puts between them are its own */
		for (char *line = text, *end; line && *line; line = end ? end + 1 : NULL) {
			end = strchr(line, '\n');
			if (end)
				*end = '\0';
			fuzz_printable("as printed", line);
		}
		free(text);
	}
}

#endif
