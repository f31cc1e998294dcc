/* test_card_sheets.c - the names and the change detection of the sheets
 * the coach puts on the card (sheet/card_sheets.h), pure (unit): a
 * routine's file name made safe for FAT and Windows and bounded; the
 * index of what each sheet was drawn from read, changed and written back,
 * and a sheet drawn again exactly when its key changed. */
#include <string.h>

#include "../lib/harness.h"
#include "cardcopy/card_copy.h"
#include "sheet/card_sheets.h"

static const char *name_of(const char *path)
{
	static char out[CARD_SHEET_NAME_MAX + 16];
	return card_sheet_name(path, out, sizeof(out));
}

static void names(void)
{
	CHECK_STR(name_of("/boot/repcue/routines/upper-back-3.yaml"), "upper-back-3");
	CHECK_STR(name_of("shoulders.yaml.txt"), "shoulders");
	CHECK_STR(name_of("/x/Knee.YML"), "Knee");
	CHECK_STR(name_of("/x/plain.txt"), "plain");
	CHECK_STR(name_of("/x/no-ending"), "no-ending");
	/* what FAT and Windows refuse, each one character */
	CHECK_STR(name_of("/x/a\\b:c*d?e\"f<g>h|i.yaml"), "a_b_c_d_e_f_g_h_i");
	CHECK_STR(name_of("/x/tab\there\x01.yaml"), "tab_here_");
	/* no hidden file, no trailing dot or space */
	CHECK_STR(name_of("/x/..hidden.yaml"), "hidden");
	CHECK_STR(name_of("/x/trailing. .yaml"), "trailing");
	CHECK_STR(name_of("/x/.yaml"), "yaml");
	CHECK_STR(name_of("/x/ .  .yaml"), "routine");
	/* names Windows keeps for devices */
	CHECK_STR(name_of("/x/con.yaml"), "_con");
	CHECK_STR(name_of("/x/NUL.yaml"), "_NUL");
	CHECK_STR(name_of("/x/com1.yaml"), "_com1");
	CHECK_STR(name_of("/x/lpt9.backup.yaml"), "_lpt9.backup");
	CHECK_STR(name_of("/x/console.yaml"), "console");
	/* German and other UTF-8 kept whole */
	CHECK_STR(name_of("/x/Rücken-Übungen.yaml"), "Rücken-Übungen");
	/* bounded, cut at a character, and still a name the copier takes */
	char longname[400] = "/x/";
	for (int i = 0; i < 100; i++)
		strcat(longname, "\xc3\xbc");   /* ü, 2 bytes */
	strcat(longname, ".yaml");
	const char *n = name_of(longname);
	CHECK(strlen(n) <= CARD_SHEET_NAME_MAX, "bounded: %zu bytes", strlen(n));
	CHECK(strlen(n) % 2 == 0 && (unsigned char)n[strlen(n) - 1] == 0xbc, "cut at a character boundary");
	char file[CARD_SHEET_NAME_MAX + 16];
	snprintf(file, sizeof(file), "%s.pdf", n);
	CHECK(card_sheet_name_safe(file), "the copier takes the longest name: %s", file);
	snprintf(file, sizeof(file), "%s.pdf", name_of("/x/a\\b:c*d?e\"f<g>h|i.yaml"));
	CHECK(card_sheet_name_safe(file), "the copier takes a cleaned name: %s", file);
	/* a small buffer: bounded by it */
	char small[6];
	CHECK_STR(card_sheet_name("/x/abcdefghij.yaml", small, sizeof(small)), "abcd");
}

static void change_detection(void)
{
	static struct card_sheet_index idx, again;
	static char text[65536];

	card_sheet_index_parse(&idx, "", 0);
	CHECK(idx.n == 0, "empty index");
	CHECK(!card_sheet_index_current(&idx, "a", "k1"), "never drawn: drawn");
	card_sheet_index_set(&idx, "a", "0a63853b-335 en-gb 0.1.0");
	card_sheet_index_set(&idx, "b", "48544475-335 de 0.1.0");
	CHECK(card_sheet_index_current(&idx, "a", "0a63853b-335 en-gb 0.1.0"), "unchanged: not drawn again");
	CHECK(!card_sheet_index_current(&idx, "a", "0a63853c-335 en-gb 0.1.0"), "content changed: drawn");
	CHECK(!card_sheet_index_current(&idx, "b", "48544475-335 en-gb 0.1.0"), "language changed: drawn");
	CHECK(!card_sheet_index_current(&idx, "b", "48544475-335 de 0.2.0"), "repcue changed: drawn");
	/* written and read back: the same answers (the next start of the coach) */
	size_t len = card_sheet_index_format(&idx, text, sizeof(text));
	CHECK_STR(text, "a\t0a63853b-335 en-gb 0.1.0\nb\t48544475-335 de 0.1.0\n");
	card_sheet_index_parse(&again, text, len);
	CHECK(again.n == 2 && card_sheet_index_current(&again, "a", "0a63853b-335 en-gb 0.1.0") &&
	      card_sheet_index_current(&again, "b", "48544475-335 de 0.1.0"), "read back");
	/* redrawn: the new key kept, one entry */
	card_sheet_index_set(&again, "a", "ffff-1 en-gb 0.1.0");
	CHECK(again.n == 2 && card_sheet_index_current(&again, "a", "ffff-1 en-gb 0.1.0"), "new key kept");
	/* forgotten (the routine is gone) */
	card_sheet_index_set(&again, "a", NULL);
	CHECK(again.n == 1 && !card_sheet_index_current(&again, "a", "ffff-1 en-gb 0.1.0"), "forgotten");
	/* junk lines (a damaged index) are skipped: at worst a sheet is drawn again */
	const char *junk = "no tab here\n\tkeyonly\nc\tk3\n\xff\xfe\n";
	card_sheet_index_parse(&idx, junk, strlen(junk));
	CHECK(idx.n == 1 && card_sheet_index_current(&idx, "c", "k3"), "junk skipped: %d", idx.n);
	/* full: a new one is not kept, so it is drawn again, never skipped */
	card_sheet_index_parse(&idx, "", 0);
	char name[32];
	for (int i = 0; i < ROUTINE_LIST_MAX * 2 + 5; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		card_sheet_index_set(&idx, name, "k");
	}
	CHECK(idx.n == ROUTINE_LIST_MAX * 2, "bounded: %d", idx.n);
	CHECK(!card_sheet_index_current(&idx, "r200", "k"), "one not kept is drawn");
}

int main(void)
{
	RUN_CASE(names, ());
	RUN_CASE(change_detection, ());
	return check_done("card_sheets");
}
