/* test_card_copy.c - card_copy() in a temporary tree: an outbox and a
 * "card" folder, with the traps a root copier must not fall into. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "cardcopy/card_copy.h"
#include "history/history.h"
#include "session/problems_text.h"

static char root[64], out[128], card[128], log_text[8192];

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL, "create %s", path);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The file's text, "" if it cannot be read. */
static const char *get(const char *dir, const char *name)
{
	static char text[4096];
	char path[512];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

static int copy(void)
{
	FILE *log;
	int ret;

	log_text[0] = '\0';   /* fmemopen's "w" does not clear it */
	log = fmemopen(log_text, sizeof(log_text), "w");
	if (!log)
		abort();
	ret = card_copy(out, card, log);
	fclose(log);
	return ret;
}

static int entries(const char *dir)
{
	char cmd[256];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

int main(void)
{
	char path[512], link[512];
	struct stat st1, st2;

	/* the names the coach writes are the names copied */
	CHECK(strcmp(card_files[0].name, PROBLEMS_FILE_NAME) == 0, "problems file name");
	CHECK(strcmp(card_files[1].name, HISTORY_CSV_NAME) == 0, "history CSV name");

	snprintf(root, sizeof(root), "/tmp/repcue-cardcopy-XXXXXX");
	if (!mkdtemp(root))
		return 1;
	snprintf(out, sizeof(out), "%s/outbox", root);
	snprintf(card, sizeof(card), "%s/card", root);

	/* no card folder (the card not mounted): nothing created */
	CHECK(mkdir(out, 0755) == 0, "outbox");
	put(out, "problems.txt", "No problems.\r\n");
	CHECK(copy() == -ENOENT && access(card, F_OK) < 0, "no card folder: refused, none made: %s", log_text);
	CHECK(strstr(log_text, "nothing copied") != NULL, "said: %s", log_text);

	/* no outbox yet: nothing to do */
	CHECK(mkdir(card, 0755) == 0, "card");
	snprintf(path, sizeof(path), "%s/problems.txt", out);
	unlink(path);
	rmdir(out);
	CHECK(copy() == 0 && entries(card) == 0, "no outbox: nothing, %s", log_text);

	/* the files of the table are copied; others are not */
	CHECK(mkdir(out, 0755) == 0, "outbox again");
	put(out, "problems.txt", "No problems.\r\n");
	put(out, "history.csv", "date,routine\r\n2026-12-06,Upper back\r\n");
	put(out, "secrets.txt", "not for the card");
	CHECK(copy() == 0, "copied: %s", log_text);
	CHECK(strcmp(get(card, "problems.txt"), "No problems.\r\n") == 0, "problems.txt copied");
	CHECK(strstr(get(card, "history.csv"), "Upper back") != NULL, "history.csv copied");
	CHECK(access(strcat(strcpy(path, card), "/secrets.txt"), F_OK) < 0, "a name not in the table is not copied");
	CHECK(entries(card) == 2, "only the two files, no temporary left: %d", entries(card));

	/* unchanged: not written again (the FAT is not touched) */
	snprintf(path, sizeof(path), "%s/problems.txt", card);
	CHECK(stat(path, &st1) == 0, "stat");
	CHECK(copy() == 0 && log_text[0] == '\0', "nothing to say when nothing changed: %s", log_text);
	CHECK(stat(path, &st2) == 0 && st1.st_ino == st2.st_ino, "same file, not replaced");

	/* a cut copy's temporary (unlocked: its writer is dead) goes at the
	 * next run, although the file needs no copy; one still locked (a
	 * live writer) stays */
	put(card, ".problems.txt.Ab3xYz", "half a copy");
	snprintf(path, sizeof(path), "%s/.history.csv.Qw9ErT", card);
	put(card, ".history.csv.Qw9ErT", "a live writer's");
	int live = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(live >= 0 && flock(live, LOCK_EX) == 0, "lock the live one");
	CHECK(copy() == 0 && log_text[0] == '\0', "nothing copied: %s", log_text);
	snprintf(path, sizeof(path), "%s/.problems.txt.Ab3xYz", card);
	CHECK(access(path, F_OK) < 0, "the dead copy's temporary swept");
	snprintf(path, sizeof(path), "%s/.history.csv.Qw9ErT", card);
	CHECK(access(path, F_OK) == 0, "the live writer's temporary kept");
	close(live);
	unlink(path);

	/* changed: replaced whole */
	put(out, "problems.txt", "broken.yaml, line 3: ...\r\n");
	CHECK(copy() == 0 && strstr(get(card, "problems.txt"), "broken.yaml") != NULL, "changed file copied");

	/* a link in the outbox (the coach's user could plant one) is not
	 * followed: /etc/shadow never reaches the card */
	snprintf(path, sizeof(path), "%s/history.csv", out);
	unlink(path);
	CHECK(symlink("/etc/passwd", path) == 0, "plant link");
	CHECK(copy() == 1 && strstr(get(card, "history.csv"), "Upper back") != NULL,
	      "link in the outbox refused, the card's copy kept: %s", log_text);
	unlink(path);
	put(out, "history.csv", "date,routine\r\n");

	/* a link on the card side is not written through */
	snprintf(path, sizeof(path), "%s/history.csv", card);
	snprintf(link, sizeof(link), "%s/elsewhere.csv", root);
	put(root, "elsewhere.csv", "keep me");
	unlink(path);
	CHECK(symlink(link, path) == 0, "card link");
	CHECK(copy() == 1 && strcmp(get(root, "elsewhere.csv"), "keep me") == 0,
	      "a link on the card is not written through: %s", log_text);
	unlink(path);

	/* the routines' sheets: sheets/NAME.pdf copied into the card's
	 * sheets/ folder; anything else there is not; a sheet whose routine
	 * is gone is removed from the card */
	{
		char sheets_out[256], sheets_card[256];

		CHECK(card_sheet_name_safe("upper-back-3.pdf") && card_sheet_name_safe("Schulter \xc3\xbc.pdf"),
		      "ordinary sheet names are safe");
		CHECK(!card_sheet_name_safe(".hidden.pdf") && !card_sheet_name_safe("a:b.pdf") &&
		      !card_sheet_name_safe("a\\b.pdf") && !card_sheet_name_safe("index.txt") &&
		      !card_sheet_name_safe("a\tb.pdf") && !card_sheet_name_safe(".pdf") &&
		      !card_sheet_name_safe("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pdf"),
		      "unsafe, hidden, non-PDF and overlong names are refused");
		snprintf(sheets_out, sizeof(sheets_out), "%s/sheets", out);
		snprintf(sheets_card, sizeof(sheets_card), "%s/sheets", card);
		CHECK(mkdir(sheets_out, 0755) == 0, "outbox sheets");
		put(sheets_out, "a-first.pdf", "%PDF-1.5 a");
		put(sheets_out, "b_second.pdf", "%PDF-1.5 b");
		put(sheets_out, "index.txt", "a-first\tkey\n");
		put(sheets_out, "a:b.pdf", "%PDF unsafe");
		CHECK(copy() == 0, "sheets copied: %s", log_text);
		CHECK(strcmp(get(sheets_card, "a-first.pdf"), "%PDF-1.5 a") == 0 &&
		      strcmp(get(sheets_card, "b_second.pdf"), "%PDF-1.5 b") == 0, "both sheets on the card");
		CHECK(entries(sheets_card) == 2, "only the two sheets (no index, no unsafe name, no temporary): %d",
		      entries(sheets_card));
		/* unchanged: nothing written */
		CHECK(copy() == 0 && log_text[0] == '\0', "unchanged sheets not copied again: %s", log_text);
		/* the person's own file in the card's sheets folder stays */
		put(sheets_card, "notes.txt", "mine");
		/* a routine gone: its sheet leaves the card; a changed one is replaced */
		snprintf(path, sizeof(path), "%s/b_second.pdf", sheets_out);
		unlink(path);
		put(sheets_out, "a-first.pdf", "%PDF-1.5 a, changed");
		CHECK(copy() == 0, "copied again: %s", log_text);
		snprintf(path, sizeof(path), "%s/b_second.pdf", sheets_card);
		CHECK(access(path, F_OK) < 0 && strstr(log_text, "removed") != NULL, "the gone routine's sheet removed: %s",
		      log_text);
		CHECK(strcmp(get(sheets_card, "a-first.pdf"), "%PDF-1.5 a, changed") == 0, "changed sheet replaced");
		CHECK(strcmp(get(sheets_card, "notes.txt"), "mine") == 0, "other files in the folder left alone");
		/* a link in the outbox's sheets is not followed */
		snprintf(path, sizeof(path), "%s/c.pdf", sheets_out);
		CHECK(symlink("/etc/passwd", path) == 0, "plant sheet link");
		CHECK(copy() == 0 && access(strcat(strcpy((char[512]){ 0 }, sheets_card), "/c.pdf"), F_OK) < 0,
		      "a linked sheet is not copied: %s", log_text);
		unlink(path);
		/* too big for a sheet: refused, the card's copy kept */
		{
			snprintf(path, sizeof(path), "%s/a-first.pdf", sheets_out);
			FILE *f = fopen(path, "w");
			CHECK(f && ftruncate(fileno(f), (off_t)CARD_SHEET_BYTES_MAX + 1) == 0, "big sheet");
			if (f)
				fclose(f);
			CHECK(copy() == 1 && strcmp(get(sheets_card, "a-first.pdf"), "%PDF-1.5 a, changed") == 0,
			      "an oversized sheet is refused: %s", log_text);
			unlink(path);
		}
		/* the outbox's sheets folder gone: every sheet leaves the card */
		CHECK(system(strcat(strcpy((char[512]){ 0 }, "rm -rf "), sheets_out)) == 0, "rm sheets");
		CHECK(copy() == 0 && entries(sheets_card) == 1, "no sheets in the outbox: none on the card: %s",
		      log_text);
	}

	/* too big for what such a file can be: refused, the old copy kept */
	{
		FILE *f;

		snprintf(path, sizeof(path), "%s/problems.txt", out);
		f = fopen(path, "w");
		if (f) {
			for (int i = 0; i < 70 * 1024 / 16; i++)
				fputs("0123456789abcde\n", f);
			fclose(f);
		}
		CHECK(copy() == 1 && strstr(log_text, "larger than") &&
		      strstr(get(card, "problems.txt"), "broken.yaml") != NULL, "oversized refused: %s", log_text);
	}

	/* a card folder that is a link: refused */
	{
		char linked[160];

		snprintf(linked, sizeof(linked), "%s/card-link", root);
		CHECK(symlink(card, linked) == 0, "link to card");
		FILE *log = fmemopen(log_text, sizeof(log_text), "w");
		CHECK(card_copy(out, linked, log) < 0, "a linked card folder is refused");
		fclose(log);
		unlink(linked);
	}

	CHECK(system(strcat(strcpy((char[256]){ 0 }, "rm -rf "), root)) == 0, "cleanup");
	return check_done("card_copy");
}
