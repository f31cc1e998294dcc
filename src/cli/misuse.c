/* misuse.c - the usage-error messages of every command (misuse.h). */
#include "cli/misuse.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

#define WORD_MAX 64  /* longer words are never a near miss of a command */

int cli_misuse(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "repcue%s%s: ", command ? " " : "", command ? command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'repcue%s%s --help'.\n", command ? " " : "", command ? command : "");
	return 2;
}

int cli_bad_option(const char *command, int opt, char **argv)
{
	char name[200];
	/* getopt leaves optind past the offending word; for a short option
	 * inside a group (-qx) optopt is the letter */
	const char *word = argv[optind - 1];

	if (optopt && !(word[0] == '-' && word[1] == '-'))
		snprintf(name, sizeof(name), "-%c", optopt);
	else
		utf8_escape(name, sizeof(name), word, strlen(word));
	/* --opt=value: name only the option */
	char *eq = strchr(name, '=');
	if (eq && name[0] == '-' && name[1] == '-')
		*eq = '\0';
	if (opt == ':')
		return cli_misuse(command, "option '%s' needs a value", name);
	return cli_misuse(command, "unknown option '%s'", name);
}

/* Edits from A to B: insertions, deletions, substitutions and swaps of
 * two neighbouring letters ("plya" is one edit from "play"); the optimal
 * string alignment distance. */
static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int d[WORD_MAX + 1][WORD_MAX + 1];

	if (la > WORD_MAX || lb > WORD_MAX)
		return WORD_MAX + 1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

const char *cli_closest(const char *word, const char *const *known, int n_known)
{
	const char *best = NULL;
	int best_d = 3;  /* at most two edits */

	for (int i = 0; i < n_known; i++) {
		int d = edit_distance(word, known[i]);
		if (d < best_d && 2 * d < (int)strlen(known[i])) {
			best = known[i];
			best_d = d;
		}
	}
	return best;
}
