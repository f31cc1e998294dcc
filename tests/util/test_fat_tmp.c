/* test_fat_tmp.c - the names of temporaries on FAT (util/out_file.c): an
 * 8.3 name in capitals, "RCXXXXXX.TMP", which vfat keeps in one directory
 * entry, so that a power cut during the rename cannot leave a long-name
 * fragment. That vfat really writes them so, and what a cut leaves, is
 * hw.powercut's (a real vfat in a VM); here: the names cleanup_mktemp
 * makes for them and the sweep's test of a name. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "util/cleanup.h"
#include "util/out_file.h"

static void case_names_made(const char *dir)
{
	int lower = 0;

	for (int i = 0; i < 200; i++) {
		char templ[256];
		int slot;
		snprintf(templ, sizeof(templ), "%s/RCXXXXXX.TMP", dir);
		int fd = cleanup_mktemp(templ, 4, CLEANUP_TMP_CAPITALS, &slot);
		CHECK_OR(fd >= 0, break, "made %s", templ);
		const char *name = templ + strlen(dir) + 1;
		CHECK(out_file_is_fat_tmp(name), "%s is a FAT temporary's name", name);
		for (const char *c = name; *c; c++)
			lower += *c >= 'a' && *c <= 'z';
		close(fd);
		unlink(templ);
		cleanup_forget(slot);
	}
	CHECK_EQ_INT(lower, 0);
}

static void case_names_told(void)
{
	static const struct {
		const char *name;
		bool fat_tmp;
	} cases[] = {
		{ "RCK4PU2X.TMP", true },
		{ "rck4pu2x.tmp", true },   /* vfat mounted shortname=lower */
		{ "RC000000.TMP", true },
		{ "RCK4PU2.TMP", false },   /* five characters */
		{ "RCK4PU2XY.TMP", false }, /* seven */
		{ "RCK4-U2X.TMP", false },
		{ "RCK4PU2X.TXT", false },
		{ "XCK4PU2X.TMP", false },
		{ "RCK4PU2X.TMP.pdf", false },
		{ ".history.csv.K4pu2x", false },
		{ "history.csv", false },
		{ "", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(out_file_is_fat_tmp(cases[i].name) == cases[i].fat_tmp, "\"%s\"", cases[i].name);
}

int main(void)
{
	char dir[] = "/tmp/repcue-fat-tmp-XXXXXX";

	REQUIRE(mkdtemp(dir) != NULL, "a directory to work in");
	RUN_CASE(case_names_made, (dir));
	RUN_CASE(case_names_told, ());
	rmdir(dir);
	return check_done("test_fat_tmp");
}
