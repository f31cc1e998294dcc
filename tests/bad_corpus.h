/* bad_corpus.h - tests over a folder of broken files, each saying in
 * comments which problems a loader must report:
 *     # expect: 7:5 unknown key 'tempoo'
 *     # hint: did you mean 'tempo'?
 * Every expected problem must be reported at exactly that line:col with
 * the message and hint as substrings, and nothing else may be reported.
 * Include after check.h; shared by the routine and config loader tests. */
#ifndef REPCUE_TESTS_BAD_CORPUS_H
#define REPCUE_TESTS_BAD_CORPUS_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "routine/diag.h"

#define EXPECT_MAX 32

struct expect {
	int line, col;
	char message[160];
	char hint[160];
	bool seen;
};

/* Reads the "# expect:" and "# hint:" lines of path; -1 if unreadable. */
static inline int read_expects(const char *path, struct expect *ex)
{
	FILE *f = fopen(path, "rb");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct expect *e = &ex[n < EXPECT_MAX ? n : EXPECT_MAX - 1];
		int used = 0;

		if (n < EXPECT_MAX && sscanf(line, "# expect: %d:%d %n", &e->line, &e->col, &used) == 2 && used) {
			snprintf(e->message, sizeof(e->message), "%.159s", line + used);
			e->message[strcspn(e->message, "\n")] = '\0';
			e->hint[0] = '\0';
			e->seen = false;
			n++;
		} else if (strncmp(line, "# hint: ", 8) == 0 && n > 0) {
			snprintf(ex[n - 1].hint, sizeof(ex[n - 1].hint), "%.159s", line + 8);
			ex[n - 1].hint[strcspn(ex[n - 1].hint, "\n")] = '\0';
		}
	}
	fclose(f);
	return n;
}

/* Checks diags against the n expectations of file `base`. */
static inline void check_expects(const char *base, const struct diag_list *diags, struct expect *ex, int n)
{
	for (int i = 0; i < diags->count; i++) {
		const struct diag *d = &diags->items[i];
		bool matched = false;

		for (int k = 0; k < n && !matched; k++) {
			if (ex[k].seen || ex[k].line != d->line || ex[k].col != d->col ||
			    !strstr(d->message, ex[k].message) || !strstr(d->hint, ex[k].hint))
				continue;
			ex[k].seen = matched = true;
		}
		CHECK(matched, "%s: unexpected %d:%d: %s (hint: %s)", base, d->line, d->col,
		      d->message, d->hint);
		CHECK(d->line >= 1 && d->col >= 1, "%s: has a position", base);
		CHECK(d->hint[0] != '\0', "%s: %d:%d has a hint", base, d->line, d->col);
	}
	for (int k = 0; k < n; k++)
		CHECK(ex[k].seen, "%s: missing %d:%d %s (hint: %s)", base, ex[k].line,
		      ex[k].col, ex[k].message, ex[k].hint);
}

/* Calls test(path, name) for every .yaml file in dir/bad; returns how many. */
static inline int for_each_bad_file(const char *dir, void (*test)(const char *path, const char *name))
{
	char path[1024];
	struct dirent *de;
	int files = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/bad", dir);
	d = opendir(path);
	CHECK(d != NULL, "open %s", path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/bad/%s", dir, de->d_name);
		test(path, de->d_name);
		files++;
	}
	closedir(d);
	return files;
}

#endif
