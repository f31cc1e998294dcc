/* lobby.h - the routines the start button chooses from: the routine
 * path listed and checked at every entry to the lobby, the bad files
 * named aloud once, the pick of the routine to wait with. */
#ifndef REPCUE_SESSION_LOBBY_H
#define REPCUE_SESSION_LOBBY_H

#include <stdbool.h>
#include <stdio.h>

#include "core/plan.h"
#include "core/routine.h"
#include "phrase/phrase.h"
#include "routine/routine_dir.h"

#define SKIP_LINES_MAX 3          /* files named aloud per lobby entry; the rest counted */

/* The routines the start button chooses from, read again at every entry
 * to the lobby: the card may have been in a laptop since the last one. */
struct lobby {
	struct routine_search search;
	char voices_dir[ROUTINE_DIR_PATH_MAX];
	char fallback[ROUTINE_DIR_PATH_MAX + 64];   /* the packaged default routine */
	struct routine_list list, prev;
	int valid[ROUTINE_LIST_MAX];                /* indices of valid entries */
	int n_valid;
	struct routine scratch;
	struct diag_list diags;
	/* Said before the next lobby line, as phrases: the lobby speaks with
	 * the voice of the routine it then offers, in that voice's language,
	 * which is known only once that routine is picked. */
	struct lobby_note {
		enum phrase_id id;          /* PHRASE_SKIP_ROUTINE_AT etc.: about `skipped` */
		struct routine_entry skipped;
		int number;
	} notes[SKIP_LINES_MAX + 3];
	int n_notes;
	/* Every bad file of the last refresh with its first problem, the
	 * named and the unnamed alike (lobby_problems()). */
	struct lobby_problem {
		const struct routine_entry *entry;   /* in list */
		char message[sizeof(((struct diag *)0)->message) + 32];   /* "line 3: ..." */
	} problems[ROUTINE_LIST_MAX];
	int n_problems;
};

/* The bytes the notes may take before the lobby line: they are said
 * while the person waits, so a handful of short lines at most: three
 * files named and the count of the rest; the lobby line (under 100
 * bytes in every phrasebook) keeps the last quarter. */
#define LOBBY_NOTES_TEXT_MAX (PLAN_TEXT_MAX * 3 / 4)

/* Adds a phrase (about `skipped`, may be NULL; `number` fills {number})
 * to what is said before the next lobby line; dropped when full. */
void lobby_say(struct lobby *lb, enum phrase_id id, const struct routine_entry *skipped, int number);

/* The notes in the language of `book`, emptied, then the lobby phrase
 * into out: "<first> <notes> <lobby line>", {name} kept for session_open.
 * first (may be NULL) is said before the notes, in their room, already in
 * that language: why the start button does not work. lb may be NULL (no
 * notes). */
void lobby_compose(struct lobby *lb, const struct phrasebook *book, const char *first,
		   enum phrase_id lobby, int number, int total, char *out, size_t size);

/* The phrasebook of the voice `routine` names (NULL, English, when it
 * cannot be read: session_open then says why). */
const struct phrasebook *lobby_routine_book(struct lobby *lb, const char *routine);

/* Lists and checks every routine file; a bad file not reported before is
 * named aloud at the next lobby line and all its problems go to log. */
void lobby_refresh(struct lobby *lb, FILE *log);

/* Every routine file the last lobby_refresh() found bad, with its first
 * problem, including those not named aloud (the lobby names at most
 * SKIP_LINES_MAX) and those named at an earlier refresh: for a caller
 * that writes them all where the user reads them. Sets *out to the
 * array (owned by lb, valid until the next refresh); returns the count. */
int lobby_problems(const struct lobby *lb, const struct lobby_problem **out);

/* Whether a and b name the same file (same path, or same device and inode). */
bool lobby_same_file(const char *a, const char *b);

/* Index in lb->valid of the routine at path, -1 if it is not a valid
 * routine of the list. */
int lobby_find(const struct lobby *lb, const char *path);

/* Whether path is in the list but was found bad. */
bool lobby_bad(const struct lobby *lb, const char *path);

/* The routine to wait with after a refresh (a path owned by lb or want). */
const char *lobby_pick(struct lobby *lb, const char *want);

#endif
