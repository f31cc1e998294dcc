/* lobby.h - the routines the start button chooses from: the routine
 * path listed and checked at every entry to the lobby, the bad files
 * named aloud once, the pick of the routine to wait with. */
#ifndef REPCUE_SESSION_LOBBY_H
#define REPCUE_SESSION_LOBBY_H

#include <stdbool.h>
#include <stdio.h>

#include "core/device_config.h"
#include "core/plan.h"
#include "core/routine.h"
#include "phrase/phrase.h"
#include "music/music.h"
#include "routine/routine_dir.h"

#define SKIP_LINES_MAX 3          /* files named aloud per lobby entry; the rest counted */

/* The routines the start button chooses from, read again at every entry
 * to the lobby: the card may have been in a laptop since the last one. */
struct repcue_env;

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
	} notes[SKIP_LINES_MAX + 4];   /* + config, count, no routine, where the details are */
	int n_notes;
	/* Every bad file of the last refresh with its first problem, the
	 * named and the unnamed alike (lobby_problems()). */
	struct lobby_problem {
		const struct routine_entry *entry;   /* in list */
		char message[sizeof(((struct diag *)0)->message) + 32];   /* "line 3: ..." */
		struct diag first;   /* as `repcue check` prints it; line 0 and no text when unknown */
		int more;            /* the file's other problems, not kept */
	} problems[ROUTINE_LIST_MAX];
	int n_problems;
	/* What the listing itself found: a directory that cannot be read, a
	 * routine saved under the wrong name (routine_list_scan()). */
	struct diag_list scan_problems;
	/* The card folder (<boot>/repcue) where problems.txt is written; ""
	 * writes nothing. Set by the caller, like search. */
	char card_dir[ROUTINE_DIR_PATH_MAX + 16];
	/* The environment (borrowed): where the card's config.yaml is read
	 * again from (session_load_config). Set by the caller. */
	const struct repcue_env *env;
	/* Where problems.txt is written when not into card_dir: the service's
	 * card outbox (`play --card-out`, a folder of its state directory that
	 * repcue-card.service copies onto the card as root); made if missing,
	 * unlike card_dir. "" = card_dir itself. Set by the caller. */
	char out_dir[ROUTINE_DIR_PATH_MAX + 16];
	/* The card's config.yaml as last read (lobby_settings_use()): absent,
	 * used (card_config_problems then lists the settings it left at
	 * their defaults, if any), or skipped whole (its problems): for
	 * problems.txt. */
	enum lobby_card_config { LOBBY_CONFIG_ABSENT, LOBBY_CONFIG_USED, LOBBY_CONFIG_SKIPPED } card_config;
	struct diag_list card_config_problems;
	/* Music files the coach skipped (lobby_note_music), for problems.txt:
	 * the file's name in the music folder, the problem, the fix. */
	struct diag_list music_problems;
	/* The settings in use (volume, beeps, voice; the rest as play
	 * started with it). With watch_config (no --config or $REPCUE_CONFIG
	 * named another file), the card's config.yaml is read again at a
	 * lobby entry once its size or content changed. */
	struct device_config settings;
	bool watch_config;
	struct lobby_file_sig {
		bool exists;
		long long size;
		unsigned long long hash;   /* FNV-1a of the content */
	} config_sig;
	/* problems.txt could not be written (read-only card): said once in
	 * the log, again only after a write has worked. */
	bool problems_write_failed;
	/* lobby_refresh() calls so far: what was read again, for those that
	 * follow the list (sheet/card_sheets.h) */
	unsigned refreshes;
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
 * into out: "<first> <notes> <lobby line>", {name} kept for session_open;
 * when another routine on the list has the same name as the one at path
 * `routine` (may be NULL), "{name}, from the file NAME.yaml", so two
 * copies a person made on the laptop can be told apart.
 * first (may be NULL) is said before the notes, in their room, already in
 * that language: why the start button does not work. lb may be NULL (no
 * notes). */
void lobby_compose(struct lobby *lb, const struct phrasebook *book, const char *first,
		   enum phrase_id lobby, int number, int total, const char *routine,
		   char *out, size_t size);

/* The phrasebook of the voice `routine` names (NULL, English, when it
 * cannot be read: session_open then says why). */
const struct phrasebook *lobby_routine_book(struct lobby *lb, const char *routine);

/* Takes cfg (what session_load_config() gave, skipped: its
 * routine_entry about a card config skipped whole, status 0 when not;
 * lb->card_config_problems already filled by it) as the settings in use:
 * the state of the card's config.yaml for problems.txt, each setting it
 * left at its default named aloud at the next lobby line, a voice that
 * cannot be found added to the problems and not used. Remembers the
 * card file as it is now, so lobby_refresh() reads it again only once it
 * changes. */
void lobby_settings_use(struct lobby *lb, const struct device_config *cfg, const struct routine_entry *skipped,
			FILE *log);

/* Lists and checks every routine file; a bad file not reported before is
 * named aloud at the next lobby line and all its problems go to log.
 * With watch_config, the card's config.yaml is read again first when it
 * changed (lobby_settings_use()). Then problems.txt in card_dir is brought up to date
 * (lobby_write_problems()). */
void lobby_refresh(struct lobby *lb, FILE *log);

/* Writes problems_text_compose()'s text to <card_dir>/problems.txt (or
 * <out_dir>/problems.txt when out_dir is set)
 * (util/out_file: temporary, fsync, rename, fsync of the folder) unless
 * the file already holds it, so the FAT card is not written at every
 * lobby. Never creates the card folder, never writes through a link.
 * When a file was named aloud (a note is waiting) and the file holds the
 * text, the lobby line says where the details are. A failure is logged
 * once (until a write works again) and the coach goes on. 0 (written or
 * already up to date), -ENOENT when there is no card folder, else
 * -errno. */
/* The music files the open session or lobby skipped so far
 * (session_music_problems()): when they differ from those kept, kept and
 * problems.txt brought up to date.  Call between sessions only: the card
 * is not written during one. */
void lobby_note_music(struct lobby *lb, const struct music_problems *mp, FILE *log);

int lobby_write_problems(struct lobby *lb, FILE *log);

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
