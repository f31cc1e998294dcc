/* misuse.h - what every command says when it is used wrong, as GNU tools
 * do: one line "repcue COMMAND: what was wrong" and one line "Try 'repcue
 * COMMAND --help'." on stderr, never the whole usage text; exit status 2.
 * COMMAND is NULL for bare `repcue`. */
#ifndef REPCUE_CLI_MISUSE_H
#define REPCUE_CLI_MISUSE_H

/* Prints the two lines and returns 2, the usage error status. */
int cli_misuse(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After getopt_long returned '?' or ':' (the option string starts with ':'
 * and opterr is 0, so getopt prints nothing itself): names the option that
 * was unknown or lacks its argument. Returns 2. */
int cli_bad_option(const char *command, int opt, char **argv);

/* The known word closest to WORD (at most two edits, and fewer than half
 * its letters), or NULL: for "did you mean". */
const char *cli_closest(const char *word, const char *const *known, int n_known);

#endif
