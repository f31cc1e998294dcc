/* test_lobby.c - the lobby's list of bad routine files (session/lobby.h):
 * with five bad files, three are named aloud, then "2 more routine files
 * have problems"; the log says so too; lobby_problems() gives every one
 * of them with its first problem, at this refresh and at the next one
 * (when none is named aloud again). Real files in a temporary directory.
 *
 * usage: test_lobby SOURCE_DIR   (for voices/) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "session/lobby.h"

static struct lobby lb;   /* large: static, not on the stack */

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

int main(int argc, char **argv)
{
	char tmp[256], path[400], said[PLAN_TEXT_MAX], logtext[16384];
	const struct lobby_problem *pr;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
		return 2;
	}
	snprintf(tmp, sizeof(tmp), "%s/repcue-lobby-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp)) {
		perror(tmp);
		return 1;
	}
	for (int i = 1; i <= 5; i++) {
		snprintf(path, sizeof(path), "%s/bad%d.yaml", tmp, i);
		FILE *f = fopen(path, "w");
		if (!f) {
			perror(path);
			return 1;
		}
		fputs("repcue: 1\nname: [\n", f);
		fclose(f);
	}
	snprintf(lb.voices_dir, sizeof(lb.voices_dir), "%s/voices", argv[1]);
	routine_search_init(&lb.search, tmp, NULL, NULL, NULL);

	FILE *log = tmpfile();
	lobby_refresh(&lb, log);
	lobby_compose(&lb, NULL, NULL, PHRASE_LOBBY_READY, 0, 0, NULL, said, sizeof(said));
	CHECK(count(said, "Routine file bad") == 3, "three named aloud: %s", said);
	CHECK(strstr(said, "2 more routine files have problems.") != NULL, "the rest counted aloud: %s", said);
	rewind(log);
	logtext[fread(logtext, 1, sizeof(logtext) - 1, log)] = '\0';
	CHECK(count(logtext, ": skipped;") == 5, "every file in the log: %s", logtext);
	CHECK(strstr(logtext, "and 2 more files have problems") != NULL, "the log counts the unnamed: %s", logtext);

	for (int pass = 0; pass < 2; pass++) {
		int n = lobby_problems(&lb, &pr);
		CHECK(n == 5, "pass %d: every bad file listed: %d", pass, n);
		for (int i = 0; i < n; i++) {
			char want[32];
			snprintf(want, sizeof(want), "/bad%d.yaml", i + 1);
			CHECK(strstr(pr[i].entry->path, want) && strncmp(pr[i].message, "line ", 5) == 0,
			      "pass %d: %s: %s", pass, pr[i].entry->path, pr[i].message);
		}
		lobby_refresh(&lb, log);   /* again: nothing new said, all still listed */
		lobby_compose(&lb, NULL, NULL, PHRASE_LOBBY_READY, 0, 0, NULL, said, sizeof(said));
		CHECK(pass == 1 || strstr(said, "Routine file") == NULL, "not named aloud again: %s", said);
	}
	fclose(log);
	for (int i = 1; i <= 5; i++) {
		snprintf(path, sizeof(path), "%s/bad%d.yaml", tmp, i);
		unlink(path);
	}
	rmdir(tmp);
	return check_done("session.lobby");
}
