/* harness.h - the one harness of the C tests: a failed check prints
 * file:line, the condition and an optional printf-style message, and the
 * test goes on, so one run shows every failure; check_done() prints the
 * count and gives the exit status (0, or 1 when anything failed); SKIP()
 * says what is missing and exits 77 (ctest SKIP_RETURN_CODE).
 *
 *   CHECK(cond)                      CHECK(cond, "fmt", ...)
 *   CHECK_EQ_INT(a, b)               integers compared as long long, both shown
 *   CHECK_STR(a, b)                  strings equal (NULL only equals NULL)
 *   CHECK_OR(cond, action, ...)      a failed check then runs action
 *                                    (`goto fail`, `return 1`, `break`)
 *   REQUIRE(cond, ...)               a failed check ends the test (exit 1):
 *                                    for what later checks cannot go without
 *   SKIP("fmt", ...)                 exit 77 with the reason on stdout
 *   FIXTURE_CALLOC(size)             a case's zeroed fixture (REQUIRE'd)
 *   RUN_CASE(fn, (args))             runs the case fn(args) under its name:
 *                                    "case NAME" before, "case NAME: ok, N
 *                                    checks" or "case NAME: FAILED, F of N
 *                                    checks" after (NAME: fn without "test_"
 *                                    or "case_"),
 *                                    so a failure's file:line sits under the
 *                                    case it belongs to
 *
 * The message, when given, must start with a string literal. Everything is
 * static: each test is one translation unit plus the code it tests. */
#ifndef REPCUE_TESTS_HARNESS_H
#define REPCUE_TESTS_HARNESS_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* atomic: a check may run on any thread of a test (test_spsc's consumer) */
static atomic_int check_failures;
static atomic_int check_passes;

/* Counts one check; on failure prints "file:line: FAILED: expr[: message]".
 * fmt is ": " followed by the caller's format (so that no message is an
 * empty format, which -Wformat-zero-length refuses). Returns ok. */
__attribute__((format(printf, 5, 6), unused))
static int check_report(int ok, const char *file, int line, const char *expr,
			const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		check_passes++;
		return 1;
	}
	check_failures++;
	fprintf(stderr, "%s:%d: FAILED: %s", file, line, expr);
	if (fmt[2]) {
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fputc('\n', stderr);
	fflush(stderr);
	return 0;
}

#define CHECK_OR(cond, action, ...)                                                \
	do {                                                                       \
		if (!check_report(!!(cond), __FILE__, __LINE__, #cond,             \
				  ": " __VA_ARGS__)) {                              \
			action;                                                    \
		}                                                                  \
	} while (0)

#define CHECK(cond, ...) CHECK_OR(cond, (void)0, __VA_ARGS__)

#define REQUIRE(cond, ...) CHECK_OR(cond, exit(1), __VA_ARGS__)

#define CHECK_EQ_INT(a, b)                                                         \
	do {                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                \
		check_report(a_ == b_, __FILE__, __LINE__, #a " == " #b,           \
			     ": %lld != %lld", a_, b_);                            \
	} while (0)

#define CHECK_STR(a, b)                                                            \
	do {                                                                       \
		const char *a_ = (a), *b_ = (b);                                   \
		check_report(a_ && b_ ? strcmp(a_, b_) == 0 : a_ == b_, __FILE__,  \
			     __LINE__, #a " equals " #b, ": \"%s\" != \"%s\"",     \
			     a_ ? a_ : "(null)", b_ ? b_ : "(null)");              \
	} while (0)

/* A zeroed object of `size` bytes for one case's fixture (the case frees
 * it); the test ends there, naming the caller's line, when there is no
 * memory for it. */
#define FIXTURE_CALLOC(size) harness_fixture_calloc((size), __FILE__, __LINE__)

__attribute__((unused)) static void *harness_fixture_calloc(size_t size, const char *file, int line)
{
	void *p = calloc(1, size);

	if (!check_report(p != NULL, file, line, "fixture allocated", ": %zu bytes", size))
		exit(1);
	return p;
}

#define SKIP(...)                                                                  \
	do {                                                                       \
		printf("SKIP: " __VA_ARGS__);                                      \
		printf("\n");                                                      \
		exit(77);                                                          \
	} while (0)

/* RUN_CASE's two halves. The counts are the whole program's: a case's
 * share is the difference, so checks made on another thread during the
 * case count in it. */
static int case_passes_before, case_failures_before;

__attribute__((unused))
static const char *case_name(const char *fn)
{
	return strncmp(fn, "test_", 5) == 0 || strncmp(fn, "case_", 5) == 0 ? fn + 5 : fn;
}

__attribute__((unused))
static void case_begin(const char *fn)
{
	printf("case %s\n", case_name(fn));
	fflush(stdout);
	case_passes_before = check_passes;
	case_failures_before = check_failures;
}

__attribute__((unused))
static void case_end(const char *fn)
{
	int failed = check_failures - case_failures_before;
	int all = check_passes - case_passes_before + failed;

	if (failed)
		printf("case %s: FAILED, %d of %d checks\n", case_name(fn), failed, all);
	else
		printf("case %s: ok, %d checks\n", case_name(fn), all);
	fflush(stdout);
}

/* args in parentheses, (p) or (): the call is fn args. */
#define RUN_CASE(fn, args)                                                         \
	do {                                                                       \
		case_begin(#fn);                                                   \
		fn args;                                                           \
		case_end(#fn);                                                     \
	} while (0)

/* The test's last word: how many checks passed and failed; 1 on failure. */
__attribute__((unused))
static int check_done(const char *name)
{
	printf("%s: %d checks passed, %d failed\n", name, check_passes, check_failures);
	return check_failures ? 1 : 0;
}

#endif
