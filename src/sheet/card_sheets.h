/* card_sheets.h - what the coach draws for the card between sessions
 * (issue 21 items 3 and 4): a printable sheet of every routine the lobby
 * offers, sheets/NAME.pdf, and after each session the physiotherapist's
 * report, report.pdf, both in the card outbox (`play --card-out`, copied
 * onto <card>/repcue/ by repcue-card-copy) or in the card folder itself.
 *
 * Never in the way of the coach: the files are drawn one at a time by a
 * thread of their own at the lowest priority (sheet_drawer.h; a sheet is
 * 50-130 ms on an x86 VM, several times that on a Pi Zero 2 W), never on
 * play's main loop, which reads the buttons; and never in the coach's
 * memory: the thread runs `repcue sheet` and `repcue history --report` as
 * children (util/child.h) and waits for them, so cairo, pango and
 * fontconfig are loaded, fill their caches and go away in the child (the
 * thread still loads each routine itself, for the language in its index
 * key and for what loading says). card_sheets_step() lets it
 * start a file only while the lobby waits and is silent, so the lobby
 * line is said first; when a session starts, the file in hand is
 * finished and the next waits for the lobby. A routine whose
 * content, language and repcue version are what its sheet was drawn from
 * (kept in sheets/index.txt) is not drawn again, so a card of 64 routines
 * costs the drawer 64 file hashes and loads per lobby once its sheets
 * exist. */
#ifndef REPCUE_SHEET_CARD_SHEETS_H
#define REPCUE_SHEET_CARD_SHEETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "history/history.h"
#include "routine/routine_dir.h"
#include "session/lobby.h"

#define CARD_SHEETS_DIR "sheets"
#define CARD_SHEETS_INDEX "index.txt"
#define CARD_REPORT_NAME "report.pdf"
#define CARD_SHEET_NAME_MAX 64  /* bytes of NAME in NAME.pdf, without ".pdf" */
#define CARD_SHEET_KEY_MAX 96

/* The name of a routine's sheet, from its file's path: the base name
 * without .yaml (.yml, .txt, .yaml.txt), every character FAT or Windows
 * refuses (\ / : * ? " < > |, control characters) as '_', no leading or
 * trailing dot or space, at most CARD_SHEET_NAME_MAX bytes cut at a UTF-8
 * character, a name Windows reserves (CON, NUL, COM1...) prefixed with
 * '_', "routine" when nothing is left. Pure. Returns out. */
char *card_sheet_name(const char *routine_path, char *out, size_t size);

/* What a sheet was drawn from: NAME and the key (content hash, language,
 * version) of each sheet in the folder. Pure, text in and out. */
struct card_sheet_index {
	int n;
	struct card_sheet_index_entry {
		char name[CARD_SHEET_NAME_MAX + 16];
		char key[CARD_SHEET_KEY_MAX];
	} entries[ROUTINE_LIST_MAX * 2];
};

/* Parses "NAME<TAB>KEY\n" lines (anything else skipped) into *idx. */
void card_sheet_index_parse(struct card_sheet_index *idx, const char *text, size_t len);
/* The index as text into out (truncated to size); its length. */
size_t card_sheet_index_format(const struct card_sheet_index *idx, char *out, size_t size);
/* Whether NAME's sheet was drawn from `key` (then it is not drawn again). */
bool card_sheet_index_current(const struct card_sheet_index *idx, const char *name, const char *key);
/* Records that NAME's sheet is drawn from key (NULL: forgets NAME). */
void card_sheet_index_set(struct card_sheet_index *idx, const char *name, const char *key);

struct card_sheets;
struct live_status;

/* The drawer for the card folder of lb (borrowed, outlives it: its
 * out_dir, else its card_dir, is where the files go; its env finds the
 * voices; its list is what the lobby offers), drawing by running program
 * (repcue's own executable: its `sheet` and `history --report`). 0 and
 * *ret (release with card_sheets_close()), or -ENOMEM / -ENAMETOOLONG. */
int card_sheets_open(struct card_sheets **ret, const struct lobby *lb, const char *program);

/* Writes the report still due (history may be NULL), waiting for it and
 * for the sheet in hand (the sheets not started wait for the next start),
 * stops the drawer, then releases cs. Accepts NULL. */
void card_sheets_close(struct card_sheets *cs, struct history *history, FILE *log);

/* A session has ended: the report is written at the next quiet step (or
 * by card_sheets_close()). Accepts NULL. */
void card_sheets_session_ended(struct card_sheets *cs);

/* One step, to call from the main loop at every round; never waits for
 * a drawing. Lets the drawer start files only while `st` is the lobby,
 * waiting and silent (its line said) and no question waits for a press
 * (`asking`). The routines the lobby offers are taken anew after each
 * lobby_refresh() and handed to the drawer, their sheets drawn one after
 * the other; then sheets of routines gone are removed; the report
 * (history may be NULL: none; borrowed until card_sheets_close()) is
 * handed over when a session ended. Nothing when the card folder is
 * missing. What the drawer says goes to log here, a failure once until
 * a write works. Accepts NULL. Returns true while there is more to do. */
bool card_sheets_step(struct card_sheets *cs, struct history *history, const struct live_status *st, bool asking,
		      FILE *log);

#endif
