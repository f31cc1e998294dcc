/* check.h - minimal test helpers: count failures, keep going, exit 1 at
 * the end if any failed.  77 = skipped (ctest SKIP_RETURN_CODE). */
#ifndef REPCUE_TESTS_INPUT_CHECK_H
#define REPCUE_TESTS_INPUT_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int check_failures;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
			check_failures++;                                  \
		}                                                          \
	} while (0)

#define CHECK_EQ(a, b)                                                     \
	do {                                                               \
		long long va_ = (long long)(a), vb_ = (long long)(b);      \
		if (va_ != vb_) {                                          \
			fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s "\
				"(%lld != %lld)\n", __FILE__, __LINE__,    \
				#a, #b, va_, vb_);                         \
			check_failures++;                                  \
		}                                                          \
	} while (0)

static inline int check_result(const char *name)
{
	if (check_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name,
			check_failures);
		return 1;
	}
	printf("%s: ok\n", name);
	return 0;
}

#define SKIP(...)                                                          \
	do {                                                               \
		printf("SKIP: " __VA_ARGS__);                              \
		printf("\n");                                              \
		exit(77);                                                  \
	} while (0)

#endif
