/* test_problems_text.c - problems.txt on the card (session/problems_text.h
 * and lobby_write_problems()):
 *
 *   none       no skipped file: "No problems.", the offered routines listed
 *   mix        skipped routines, a misnamed file and the card's config, each
 *              in `repcue check`'s words (diag_format()), paths as the
 *              laptop sees the card folder; then the offered ones
 *   cap        64 long problems: a few KB at most, a bounded number of
 *              lines, "... and N more files" counting every file left out
 *   crlf       every line ends in CRLF, no bare LF or CR, control bytes
 *              in names escaped
 *   write      a real lobby on a temporary card folder: written at the
 *              first refresh, not rewritten (same inode and time) when
 *              nothing changed, "No problems." once fixed, the spoken line
 *              points to it; a file the coach may not replace is logged
 *              once, the lobby goes on and does not point to it; never
 *              through a link, never without a card folder
 *
 * usage: test_problems_text SOURCE_DIR   (for voices/) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "session/lobby.h"
#include "session/problems_text.h"

static struct lobby lb;   /* large: static, not on the stack */
static char text[PROBLEMS_TEXT_MAX];

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static struct routine_entry *add_entry(const char *file, const char *name, int status)
{
	struct routine_entry *e = &lb.list.items[lb.list.count++];
	snprintf(e->path, sizeof(e->path), "/card/repcue/routines/%s", file);
	snprintf(e->file, sizeof(e->file), "%s", file);
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->status = status;
	if (status == 0)
		lb.valid[lb.n_valid++] = lb.list.count - 1;
	return e;
}

static void add_problem(const char *file, int line, const char *message, const char *hint, int more)
{
	struct routine_entry *e = add_entry(file, "", -EINVAL);
	struct lobby_problem *pr = &lb.problems[lb.n_problems++];
	struct diag_list one;

	diag_list_init(&one);
	diag_add(&one, e->path, line, 8, hint, "%s", message);
	pr->entry = e;
	pr->first = one.items[0];
	pr->more = more;
}

static void reset(void)
{
	memset(&lb, 0, sizeof(lb));
	snprintf(lb.card_dir, sizeof(lb.card_dir), "/card/repcue");
}

/* No bare LF, no bare CR, and no byte below 0x20 but CR and LF. */
static void check_crlf(const char *t, size_t len, const char *what)
{
	size_t bad = len;

	for (size_t i = 0; i < len && bad == len; i++) {
		unsigned char c = (unsigned char)t[i];
		if ((c == '\n' && (i == 0 || t[i - 1] != '\r')) || (c == '\r' && t[i + 1] != '\n') ||
		    (c < 0x20 && c != '\r' && c != '\n'))
			bad = i;
	}
	CHECK(bad == len, "%s: bare LF, bare CR or a control byte at %zu: %s", what, bad, t);
	CHECK(len >= 2 && t[len - 2] == '\r' && t[len - 1] == '\n', "%s: last line ends in CRLF", what);
	CHECK(strlen(t) == len, "%s: length returned", what);
}

static void case_none(void)
{
	reset();
	add_entry("arms.yaml", "Arms", 0);
	add_entry("legs.yaml", "Legs", 0);
	size_t len = problems_text_compose(&lb, text, sizeof(text));
	CHECK(strncmp(text, "No problems.\r\n", 14) == 0, "none: starts with No problems.: %s", text);
	CHECK(strstr(text, "  routines/arms.yaml (Arms)\r\n") && strstr(text, "  routines/legs.yaml (Legs)\r\n"),
	      "none: offered ones listed, relative to the card folder: %s", text);
	CHECK(!strstr(text, "Skipped"), "none: nothing skipped: %s", text);
	check_crlf(text, len, "none");
}

static void case_mix(void)
{
	char want[1200], crlf[1300];
	size_t o = 0;

	reset();
	add_entry("arms.yaml", "Arms", 0);
	add_problem("bad.yaml", 4, "'level' must be a whole number, not 'high'", "write a whole number from 1 to 5", 2);
	lb.card_config = LOBBY_CONFIG_SKIPPED;
	diag_add(&lb.card_config_problems, "/card/repcue/config.yaml", 5, 3, "remove it", "unknown key 'nonsense'");
	diag_add(&lb.scan_problems, "/card/repcue/routines/legs.yaml.txt", 0, 0, NULL,
		 "saved as legs.yaml.txt: rename it to legs.yaml");
	size_t len = problems_text_compose(&lb, text, sizeof(text));

	/* the very text `repcue check` prints, with CRLF */
	struct diag d = lb.problems[0].first;
	snprintf(d.file, sizeof(d.file), "routines/bad.yaml");
	diag_format(want, sizeof(want), &d);
	for (const char *p = want; *p; p++) {
		if (*p == '\n')
			crlf[o++] = '\r';
		crlf[o++] = *p;
	}
	crlf[o] = '\0';
	CHECK(strstr(text, crlf) != NULL, "mix: the routine's problem as check prints it:\n%s\nin:\n%s", crlf, text);
	CHECK(strstr(text, "routines/bad.yaml:4:8: error: 'level' must be a whole number, not 'high'\r\n"
		      "  hint: write a whole number from 1 to 5\r\n"), "mix: file:line:col, problem, fix: %s", text);
	CHECK(strstr(text, "(and 2 more problems in this file"), "mix: the others counted: %s", text);
	CHECK(strstr(text, "config.yaml:5:3: error: unknown key 'nonsense'\r\n  hint: remove it\r\n"),
	      "mix: the settings problem: %s", text);
	CHECK(strstr(text, "routines/legs.yaml.txt: error: saved as legs.yaml.txt"), "mix: the misnamed file: %s", text);
	CHECK(strncmp(text, "3 files have a problem", 22) == 0, "mix: the count first: %s", text);
	CHECK(!strstr(text, "No problems."), "mix: not 'No problems.': %s", text);
	CHECK(strstr(text, "Offered by the start button:\r\n  routines/arms.yaml (Arms)\r\n"), "mix: offered: %s", text);
	CHECK(strstr(text, "config.yaml") < strstr(text, "bad.yaml") && strstr(text, "bad.yaml") < strstr(text, "Offered"),
	      "mix: settings, then skipped routines, then offered: %s", text);
	check_crlf(text, len, "mix");
	char again[PROBLEMS_TEXT_MAX];
	problems_text_compose(&lb, again, sizeof(again));
	CHECK(strcmp(text, again) == 0, "mix: the same text for the same files (nothing that changes by itself)");
}

/* A card config that is used with a bad setting: the setting in check's
 * words, the others said to apply, the values in use. */
static void case_settings(void)
{
	reset();
	add_entry("arms.yaml", "Arms", 0);
	lb.card_config = LOBBY_CONFIG_USED;
	lb.settings.volume_db = -6.0f;
	snprintf(lb.settings.voice, sizeof(lb.settings.voice), "karte");
	diag_add(&lb.card_config_problems, "/card/repcue/config.yaml", 3, 8, "write a level in dB from -40 dB to 6 dB",
		 "'beeps' is not a level in dB: 'loud'");
	size_t len = problems_text_compose(&lb, text, sizeof(text));

	CHECK(strncmp(text, "1 setting in config.yaml is not understood and left at the default; every other setting "
		      "is used.\r\n", 93) == 0, "settings: the count first: %s", text);
	CHECK(strstr(text, "\r\nconfig.yaml:3:8: error: 'beeps' is not a level in dB: 'loud'\r\n"
		      "  hint: write a level in dB from -40 dB to 6 dB\r\n"), "settings: file:line:col, fix: %s", text);
	CHECK(strstr(text, "Settings used: config.yaml (volume -6.0 dB, beeps 0.0 dB, voice karte)\r\n"),
	      "settings: the values in use: %s", text);
	CHECK(!strstr(text, "No problems.") && !strstr(text, "file has"), "settings: no file skipped: %s", text);
	check_crlf(text, len, "settings");
	/* fixed: "No problems.", the values still listed */
	diag_list_init(&lb.card_config_problems);
	problems_text_compose(&lb, text, sizeof(text));
	CHECK(strncmp(text, "No problems.\r\n", 14) == 0 && strstr(text, "volume -6.0 dB"), "settings: fixed: %s",
	      text);
}

static void case_cap(void)
{
	char long_message[190];

	reset();
	memset(long_message, 'x', sizeof(long_message) - 1);
	long_message[sizeof(long_message) - 1] = '\0';
	for (int i = 0; i < ROUTINE_LIST_MAX - 1; i++) {
		char file[32];
		snprintf(file, sizeof(file), "bad%02d.yaml", i);
		add_problem(file, i + 1, long_message, "a long hint, to fill the file as fast as it can be filled", 0);
	}
	add_entry("arms.yaml", "Arms", 0);
	size_t len = problems_text_compose(&lb, text, sizeof(text));
	int listed = count(text, "\r\nSkipped:\r\n") + count(text, " (Arms)");
	int more = -1;
	const char *tail = strstr(text, "... and ");
	CHECK(tail && sscanf(tail, "... and %d more files, not listed here.", &more) == 1, "cap: the tail line: %s", text);
	CHECK(listed + more == ROUTINE_LIST_MAX, "cap: %d listed + %d counted = every file", listed, more);
	CHECK(listed > 0, "cap: the first files are listed");
	CHECK(len < PROBLEMS_TEXT_MAX, "cap: %zu bytes, under %d", len, PROBLEMS_TEXT_MAX);
	CHECK(count(text, "\r\n") <= PROBLEMS_TEXT_LINES_MAX, "cap: %d lines", count(text, "\r\n"));
	CHECK(strcmp(text + len - 2, "\r\n") == 0 && tail && strchr(tail, '\n') == text + len - 1,
	      "cap: the count is the last line");
	check_crlf(text, len, "cap");
}

static void case_crlf(void)
{
	reset();
	add_entry("odd\nname\x1b[2J.yaml", "Caf\xc3\xa9\r", 0);
	size_t len = problems_text_compose(&lb, text, sizeof(text));
	check_crlf(text, len, "crlf");
	CHECK(strstr(text, "Caf\xc3\xa9"), "crlf: UTF-8 kept: %s", text);
}

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	REQUIRE(f != NULL, "%s: %s", path, strerror(errno));
	fputs(s, f);
	fclose(f);
}

static size_t read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0;
	if (f) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return n;
}

static void case_write(const char *source)
{
	char tmp[256], routines[600], good[700], bad[700], out[700], said[PLAN_TEXT_MAX], logtext[4096];
	static char have[PROBLEMS_TEXT_MAX + 1], routine[4096], broken[4096];
	struct stat st1, st2;

	snprintf(tmp, sizeof(tmp), "%s/tests/system/tiny.yaml", source);
	REQUIRE(read_file(tmp, routine, sizeof(routine)) > 0, "%s: cannot be read", tmp);
	/* line 4 of tiny.yaml is "level: 1" */
	char *level = strstr(routine, "\nlevel: 1\n");
	REQUIRE(level != NULL, "tiny.yaml: no level: 1");
	snprintf(broken, sizeof(broken), "%.*s\nlevel: high\n%s", (int)(level - routine), routine, level + 10);

	snprintf(tmp, sizeof(tmp), "%s/repcue-problems-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	REQUIRE(mkdtemp(tmp) != NULL, "mkdtemp: %s", strerror(errno));
	reset();
	snprintf(lb.card_dir, sizeof(lb.card_dir), "%s/repcue", tmp);
	snprintf(routines, sizeof(routines), "%s/routines", lb.card_dir);
	REQUIRE(mkdir(lb.card_dir, 0755) == 0 && mkdir(routines, 0755) == 0, "mkdir: %s", strerror(errno));
	snprintf(good, sizeof(good), "%s/good.yaml", routines);
	snprintf(bad, sizeof(bad), "%s/bad.yaml", routines);
	snprintf(out, sizeof(out), "%s/problems.txt", lb.card_dir);
	write_file(good, routine);
	write_file(bad, broken);
	snprintf(lb.voices_dir, sizeof(lb.voices_dir), "%s/voices", source);
	routine_search_init(&lb.search, NULL, tmp, NULL, NULL);
	FILE *log = tmpfile();
	REQUIRE(log != NULL, "tmpfile");

	lobby_refresh(&lb, log);
	REQUIRE(lb.n_valid == 1, "write: the good routine is valid (%d)", lb.n_valid);
	lobby_compose(&lb, NULL, NULL, PHRASE_LOBBY_READY, 0, 0, NULL, said, sizeof(said));
	CHECK(strstr(said, "bad.yaml has a problem on line 4. Skipping it. Details are in problems.txt on the card."),
	      "write: the spoken line points to the file: %s", said);
	read_file(out, have, sizeof(have));
	CHECK(strstr(have, "routines/bad.yaml:4:8: error: ") && strstr(have, "  hint: ") && strstr(have, "  routines/good.yaml (Tiny)"),
	      "write: the file names the bad routine and the good one: %s", have);
	REQUIRE(stat(out, &st1) == 0, "stat: %s", strerror(errno));

	lobby_refresh(&lb, log);   /* nothing changed */
	REQUIRE(stat(out, &st2) == 0, "stat: %s", strerror(errno));
	CHECK(st1.st_ino == st2.st_ino && st1.st_mtim.tv_sec == st2.st_mtim.tv_sec &&
	      st1.st_mtim.tv_nsec == st2.st_mtim.tv_nsec, "write: not rewritten when nothing changed");
	lobby_compose(&lb, NULL, NULL, PHRASE_LOBBY_READY, 0, 0, NULL, said, sizeof(said));
	CHECK(!strstr(said, "problems.txt"), "write: no pointer when nothing new was named: %s", said);

	write_file(bad, routine);   /* fixed on the laptop */
	lobby_refresh(&lb, log);
	read_file(out, have, sizeof(have));
	CHECK(strncmp(have, "No problems.\r\n", 14) == 0, "write: fixed: %s", have);

	/* a file the coach may not replace (a read-only card, as out_file
	 * refuses it even to root): logged once, the lobby goes on */
	write_file(bad, broken);
	REQUIRE(chmod(out, 0444) == 0, "chmod: %s", strerror(errno));
	long before = ftell(log);
	lobby_refresh(&lb, log);
	lobby_compose(&lb, NULL, NULL, PHRASE_LOBBY_READY, 0, 0, NULL, said, sizeof(said));
	CHECK(strstr(said, "bad.yaml has a problem") && !strstr(said, "problems.txt"),
	      "write: failed: still named aloud, no pointer to a file that does not say it: %s", said);
	lobby_refresh(&lb, log);
	CHECK(lb.n_valid == 1, "write: the lobby goes on: the good routine still offered");
	fseek(log, before, SEEK_SET);
	logtext[fread(logtext, 1, sizeof(logtext) - 1, log)] = '\0';
	CHECK(count(logtext, "cannot write the card's problem list") == 1, "write: logged once: %s", logtext);
	read_file(out, have, sizeof(have));
	CHECK(strncmp(have, "No problems.\r\n", 14) == 0, "write: the old file is whole: %s", have);

	/* never outside the card folder: not through a link planted as
	 * problems.txt, and nothing when there is no card folder */
	char outside[300];
	snprintf(outside, sizeof(outside), "%s/outside.txt", tmp);
	write_file(outside, "mine\n");
	chmod(out, 0644);
	unlink(out);
	REQUIRE(symlink(outside, out) == 0, "symlink: %s", strerror(errno));
	CHECK(lobby_write_problems(&lb, log) < 0, "write: refused through a link");
	read_file(outside, have, sizeof(have));
	CHECK(strcmp(have, "mine\n") == 0, "write: the link's target untouched: %s", have);
	unlink(out);
	char card[sizeof(lb.card_dir)];
	snprintf(card, sizeof(card), "%s", lb.card_dir);
	snprintf(lb.card_dir, sizeof(lb.card_dir), "%s/no-such-folder", tmp);
	CHECK(lobby_write_problems(&lb, log) == -ENOENT, "write: no card folder, nothing written");
	CHECK(access(lb.card_dir, F_OK) < 0, "write: the card folder is not created");
	snprintf(lb.card_dir, sizeof(lb.card_dir), "%s", card);
	unlink(outside);

	fclose(log);
	unlink(good);
	unlink(bad);
	rmdir(routines);
	rmdir(lb.card_dir);
	rmdir(tmp);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
		return 2;
	}
	RUN_CASE(case_none, ());
	RUN_CASE(case_mix, ());
	RUN_CASE(case_settings, ());
	RUN_CASE(case_cap, ());
	RUN_CASE(case_crlf, ());
	RUN_CASE(case_write, (argv[1]));
	return check_done("session.problems_text");
}
