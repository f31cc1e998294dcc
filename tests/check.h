/* check.h - the smallest test harness that tells what failed and where.
 * A failed CHECK prints file:line and the message and the test goes on,
 * so one run shows every failure; check_done() gives the exit status. */
#ifndef REPCUE_TESTS_CHECK_H
#define REPCUE_TESTS_CHECK_H

#include <stdio.h>

static int check_failures;
static int check_passes;

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (cond) {                                                   \
			check_passes++;                                       \
		} else {                                                      \
			check_failures++;                                     \
			fprintf(stderr, "%s:%d: FAILED: %s: ", __FILE__,      \
				__LINE__, #cond);                             \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
		}                                                             \
	} while (0)

static inline int check_done(const char *name)
{
	printf("%s: %d checks passed, %d failed\n", name, check_passes, check_failures);
	return check_failures ? 1 : 0;
}

#endif
