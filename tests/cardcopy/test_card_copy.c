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

/* A case's own tree, made by tree_new() in the case and removed by
 * tree_free() at its end: root/outbox and root/card (both made), and the
 * copier's last log. */
struct tree {
	char root[64], out[128], card[128];
	char log_text[8192];
	char text[4096]; /* get()'s answer */
};

static struct tree *tree_new(void)
{
	struct tree *t = calloc(1, sizeof(*t));

	REQUIRE(t != NULL, "tree allocated");
	snprintf(t->root, sizeof(t->root), "/tmp/repcue-cardcopy-XXXXXX");
	REQUIRE(mkdtemp(t->root) != NULL, "temporary tree");
	snprintf(t->out, sizeof(t->out), "%s/outbox", t->root);
	snprintf(t->card, sizeof(t->card), "%s/card", t->root);
	CHECK(mkdir(t->out, 0755) == 0, "outbox");
	CHECK(mkdir(t->card, 0755) == 0, "card");
	return t;
}

static void tree_free(struct tree *t)
{
	CHECK(system(strcat(strcpy((char[256]){ 0 }, "rm -rf "), t->root)) == 0, "cleanup");
	free(t);
}

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
static const char *get(struct tree *t, const char *dir, const char *name)
{
	char path[512];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f) {
		n = fread(t->text, 1, sizeof(t->text) - 1, f);
		fclose(f);
	}
	t->text[n] = '\0';
	return t->text;
}

static int copy(struct tree *t)
{
	FILE *log;
	int ret;

	t->log_text[0] = '\0';   /* fmemopen's "w" does not clear it */
	log = fmemopen(t->log_text, sizeof(t->log_text), "w");
	if (!log)
		abort();
	ret = card_copy(t->out, t->card, log);
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

/* The outbox's three files: two of the table and one that is not. */
static void put_outbox(struct tree *t)
{
	put(t->out, "problems.txt", "No problems.\r\n");
	put(t->out, "history.csv", "date,routine\r\n2026-12-06,Upper back\r\n");
	put(t->out, "secrets.txt", "not for the card");
}

/* A tree whose outbox has been copied: the card holds problems.txt and
 * history.csv as in the outbox. */
static struct tree *tree_copied(void)
{
	struct tree *t = tree_new();

	put_outbox(t);
	CHECK(copy(t) == 0 && entries(t->card) == 2, "the outbox copied: %s", t->log_text);
	return t;
}

/* the names the coach writes are the names copied */
static void test_names(void)
{
	CHECK(strcmp(card_files[0].name, PROBLEMS_FILE_NAME) == 0, "problems file name");
	CHECK(strcmp(card_files[1].name, HISTORY_CSV_NAME) == 0, "history CSV name");
}

/* no card folder (the card not mounted): nothing created */
static void test_no_card_folder(void)
{
	struct tree *t = tree_new();

	CHECK(rmdir(t->card) == 0, "no card folder");
	put(t->out, "problems.txt", "No problems.\r\n");
	CHECK(copy(t) == -ENOENT && access(t->card, F_OK) < 0, "no card folder: refused, none made: %s",
	      t->log_text);
	CHECK(strstr(t->log_text, "nothing copied") != NULL, "said: %s", t->log_text);
	tree_free(t);
}

/* no outbox yet: nothing to do */
static void test_no_outbox(void)
{
	struct tree *t = tree_new();

	CHECK(rmdir(t->out) == 0, "no outbox");
	CHECK(copy(t) == 0 && entries(t->card) == 0, "no outbox: nothing, %s", t->log_text);
	tree_free(t);
}

/* the files of the table are copied; others are not */
static void test_table_copied(void)
{
	struct tree *t = tree_new();
	char path[512];

	put_outbox(t);
	CHECK(copy(t) == 0, "copied: %s", t->log_text);
	CHECK(strcmp(get(t, t->card, "problems.txt"), "No problems.\r\n") == 0, "problems.txt copied");
	CHECK(strstr(get(t, t->card, "history.csv"), "Upper back") != NULL, "history.csv copied");
	CHECK(access(strcat(strcpy(path, t->card), "/secrets.txt"), F_OK) < 0, "a name not in the table is not copied");
	CHECK(entries(t->card) == 2, "only the two files, no temporary left: %d", entries(t->card));
	tree_free(t);
}

/* unchanged: not written again (the FAT is not touched) */
static void test_unchanged_not_written(void)
{
	struct tree *t = tree_copied();
	char path[512];
	struct stat st1, st2;

	snprintf(path, sizeof(path), "%s/problems.txt", t->card);
	CHECK(stat(path, &st1) == 0, "stat");
	CHECK(copy(t) == 0 && t->log_text[0] == '\0', "nothing to say when nothing changed: %s", t->log_text);
	CHECK(stat(path, &st2) == 0 && st1.st_ino == st2.st_ino, "same file, not replaced");
	tree_free(t);
}

/* a cut copy's temporary (unlocked: its writer is dead) goes at the next
 * run, although the file needs no copy; one still locked (a live writer)
 * stays */
static void test_temporaries(void)
{
	struct tree *t = tree_copied();
	char path[512];

	put(t->card, ".problems.txt.Ab3xYz", "half a copy");
	snprintf(path, sizeof(path), "%s/.history.csv.Qw9ErT", t->card);
	put(t->card, ".history.csv.Qw9ErT", "a live writer's");
	int live = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(live >= 0 && flock(live, LOCK_EX) == 0, "lock the live one");
	CHECK(copy(t) == 0 && t->log_text[0] == '\0', "nothing copied: %s", t->log_text);
	snprintf(path, sizeof(path), "%s/.problems.txt.Ab3xYz", t->card);
	CHECK(access(path, F_OK) < 0, "the dead copy's temporary swept");
	snprintf(path, sizeof(path), "%s/.history.csv.Qw9ErT", t->card);
	CHECK(access(path, F_OK) == 0, "the live writer's temporary kept");
	close(live);
	unlink(path);
	tree_free(t);
}

/* changed: replaced whole */
static void test_changed_replaced(void)
{
	struct tree *t = tree_copied();

	put(t->out, "problems.txt", "broken.yaml, line 3: ...\r\n");
	CHECK(copy(t) == 0 && strstr(get(t, t->card, "problems.txt"), "broken.yaml") != NULL,
	      "changed file copied");
	tree_free(t);
}

/* a link in the outbox (the coach's user could plant one) is not
 * followed: /etc/shadow never reaches the card */
static void test_outbox_link(void)
{
	struct tree *t = tree_copied();
	char path[512];

	snprintf(path, sizeof(path), "%s/history.csv", t->out);
	unlink(path);
	CHECK(symlink("/etc/passwd", path) == 0, "plant link");
	CHECK(copy(t) == 1 && strstr(get(t, t->card, "history.csv"), "Upper back") != NULL,
	      "link in the outbox refused, the card's copy kept: %s", t->log_text);
	unlink(path);
	tree_free(t);
}

/* a link on the card side is not written through (the outbox's
 * history.csv changed, so that it is to be copied) */
static void test_card_link(void)
{
	struct tree *t = tree_copied();
	char path[512], link[512];

	put(t->out, "history.csv", "date,routine\r\n");
	snprintf(path, sizeof(path), "%s/history.csv", t->card);
	snprintf(link, sizeof(link), "%s/elsewhere.csv", t->root);
	put(t->root, "elsewhere.csv", "keep me");
	unlink(path);
	CHECK(symlink(link, path) == 0, "card link");
	CHECK(copy(t) == 1 && strcmp(get(t, t->root, "elsewhere.csv"), "keep me") == 0,
	      "a link on the card is not written through: %s", t->log_text);
	unlink(path);
	tree_free(t);
}

/* the routines' sheets: sheets/NAME.pdf copied into the card's sheets/
 * folder; anything else there is not; a sheet whose routine is gone is
 * removed from the card */
static void test_sheets(void)
{
	struct tree *t = tree_copied();
	char path[512], sheets_out[256], sheets_card[256];

	CHECK(card_sheet_name_safe("upper-back-3.pdf") && card_sheet_name_safe("Schulter \xc3\xbc.pdf"),
	      "ordinary sheet names are safe");
	CHECK(!card_sheet_name_safe(".hidden.pdf") && !card_sheet_name_safe("a:b.pdf") &&
	      !card_sheet_name_safe("a\\b.pdf") && !card_sheet_name_safe("index.txt") &&
	      !card_sheet_name_safe("a\tb.pdf") && !card_sheet_name_safe(".pdf") &&
	      !card_sheet_name_safe("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pdf"),
	      "unsafe, hidden, non-PDF and overlong names are refused");
	snprintf(sheets_out, sizeof(sheets_out), "%s/sheets", t->out);
	snprintf(sheets_card, sizeof(sheets_card), "%s/sheets", t->card);
	CHECK(mkdir(sheets_out, 0755) == 0, "outbox sheets");
	put(sheets_out, "a-first.pdf", "%PDF-1.5 a");
	put(sheets_out, "b_second.pdf", "%PDF-1.5 b");
	put(sheets_out, "index.txt", "a-first\tkey\n");
	put(sheets_out, "a:b.pdf", "%PDF unsafe");
	CHECK(copy(t) == 0, "sheets copied: %s", t->log_text);
	CHECK(strcmp(get(t, sheets_card, "a-first.pdf"), "%PDF-1.5 a") == 0 &&
	      strcmp(get(t, sheets_card, "b_second.pdf"), "%PDF-1.5 b") == 0, "both sheets on the card");
	CHECK(entries(sheets_card) == 2, "only the two sheets (no index, no unsafe name, no temporary): %d",
	      entries(sheets_card));
	/* unchanged: nothing written */
	CHECK(copy(t) == 0 && t->log_text[0] == '\0', "unchanged sheets not copied again: %s", t->log_text);
	/* the person's own file in the card's sheets folder stays */
	put(sheets_card, "notes.txt", "mine");
	/* a routine gone: its sheet leaves the card; a changed one is replaced */
	snprintf(path, sizeof(path), "%s/b_second.pdf", sheets_out);
	unlink(path);
	put(sheets_out, "a-first.pdf", "%PDF-1.5 a, changed");
	CHECK(copy(t) == 0, "copied again: %s", t->log_text);
	snprintf(path, sizeof(path), "%s/b_second.pdf", sheets_card);
	CHECK(access(path, F_OK) < 0 && strstr(t->log_text, "removed") != NULL, "the gone routine's sheet removed: %s",
	      t->log_text);
	CHECK(strcmp(get(t, sheets_card, "a-first.pdf"), "%PDF-1.5 a, changed") == 0, "changed sheet replaced");
	CHECK(strcmp(get(t, sheets_card, "notes.txt"), "mine") == 0, "other files in the folder left alone");
	/* a link in the outbox's sheets is not followed */
	snprintf(path, sizeof(path), "%s/c.pdf", sheets_out);
	CHECK(symlink("/etc/passwd", path) == 0, "plant sheet link");
	CHECK(copy(t) == 0 && access(strcat(strcpy((char[512]){ 0 }, sheets_card), "/c.pdf"), F_OK) < 0,
	      "a linked sheet is not copied: %s", t->log_text);
	unlink(path);
	/* too big for a sheet: refused, the card's copy kept */
	{
		snprintf(path, sizeof(path), "%s/a-first.pdf", sheets_out);
		FILE *f = fopen(path, "w");
		CHECK(f && ftruncate(fileno(f), (off_t)CARD_SHEET_BYTES_MAX + 1) == 0, "big sheet");
		if (f)
			fclose(f);
		CHECK(copy(t) == 1 && strcmp(get(t, sheets_card, "a-first.pdf"), "%PDF-1.5 a, changed") == 0,
		      "an oversized sheet is refused: %s", t->log_text);
		unlink(path);
	}
	/* the outbox's sheets folder gone: every sheet leaves the card */
	CHECK(system(strcat(strcpy((char[512]){ 0 }, "rm -rf "), sheets_out)) == 0, "rm sheets");
	CHECK(copy(t) == 0 && entries(sheets_card) == 1, "no sheets in the outbox: none on the card: %s",
	      t->log_text);
	tree_free(t);
}

/* too big for what such a file can be: refused, the old copy kept (the
 * card's problems.txt, a changed one copied first) */
static void test_oversized(void)
{
	struct tree *t = tree_copied();
	char path[512];
	FILE *f;

	put(t->out, "problems.txt", "broken.yaml, line 3: ...\r\n");
	CHECK(copy(t) == 0, "the changed problems.txt copied: %s", t->log_text);
	snprintf(path, sizeof(path), "%s/problems.txt", t->out);
	f = fopen(path, "w");
	if (f) {
		for (int i = 0; i < 70 * 1024 / 16; i++)
			fputs("0123456789abcde\n", f);
		fclose(f);
	}
	CHECK(copy(t) == 1 && strstr(t->log_text, "larger than") &&
	      strstr(get(t, t->card, "problems.txt"), "broken.yaml") != NULL, "oversized refused: %s", t->log_text);
	tree_free(t);
}

/* a card folder that is a link: refused */
static void test_card_folder_link(void)
{
	struct tree *t = tree_copied();
	char linked[160];

	snprintf(linked, sizeof(linked), "%s/card-link", t->root);
	CHECK(symlink(t->card, linked) == 0, "link to card");
	FILE *log = fmemopen(t->log_text, sizeof(t->log_text), "w");
	CHECK(card_copy(t->out, linked, log) < 0, "a linked card folder is refused");
	fclose(log);
	unlink(linked);
	tree_free(t);
}

int main(void)
{
	RUN_CASE(test_names, ());
	RUN_CASE(test_no_card_folder, ());
	RUN_CASE(test_no_outbox, ());
	RUN_CASE(test_table_copied, ());
	RUN_CASE(test_unchanged_not_written, ());
	RUN_CASE(test_temporaries, ());
	RUN_CASE(test_changed_replaced, ());
	RUN_CASE(test_outbox_link, ());
	RUN_CASE(test_card_link, ());
	RUN_CASE(test_sheets, ());
	RUN_CASE(test_oversized, ());
	RUN_CASE(test_card_folder_link, ());
	return check_done("card_copy");
}
