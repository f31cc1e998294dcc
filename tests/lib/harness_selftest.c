/* harness_selftest.c - the harness itself: what a failing check prints
 * and the exit status it gives (run by tests/lib/CMakeLists.txt, which
 * checks the output). "pass": every kind of check passing, exit 0;
 * "fail": each kind failing once, and a case with one
 * failure of its two checks, exit 1; "skip": exit 77. */
#include <string.h>

#include "harness.h"

/* a case with two checks: both pass when n is 2, one fails otherwise */
static void test_two_checks(int n)
{
	CHECK(n > 0);
	CHECK(n == 2, "the case's check");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "pass";
	const char *null_str = NULL;
	int n = 2;

	if (strcmp(mode, "skip") == 0)
		SKIP("no %s here", "gadget");
	if (strcmp(mode, "pass") == 0) {
		CHECK(n == 2);
		CHECK(n == 2, "n is %d", n);
		CHECK_EQ_INT(n, 2);
		CHECK_STR("a", "a");
		CHECK_STR(null_str, NULL);
		CHECK_OR(n == 2, return 2, "never");
		REQUIRE(n == 2);
		RUN_CASE(test_two_checks, (n));
		return check_done("harness_selftest pass");
	}
	CHECK(n == 3);
	CHECK(n == 4, "n is %d", n);
	CHECK_EQ_INT(n, 5);
	CHECK_STR("a", "b");
	CHECK_STR(null_str, "c");
	CHECK_OR(n == 6, n = 7, "then n = 7");
	CHECK_EQ_INT(n, 7);
	RUN_CASE(test_two_checks, (n));
	check_done("harness_selftest fail");
	REQUIRE(n == 8, "the end");
	return 0; /* not reached: REQUIRE exits 1 */
}
