/* lobby_state.h - what the lobby knows (struct lobby): the routine list
 * of the last refresh, its bad files and their problems, the notes
 * waiting to be said, the card's settings. Apart from lobby.h so that
 * problems_text.c, which reads it to write problems.txt, does not depend
 * on the lobby's functions, which call it (no circle). */
#ifndef REPCUE_SESSION_LOBBY_STATE_H
#define REPCUE_SESSION_LOBBY_STATE_H

#include <stdbool.h>

#include "core/device_config.h"
#include "core/routine.h"
#include "phrase/phrase.h"
#include "routine/diag.h"
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
	/* Skipped whole when read again at a lobby: the settings before it
	 * changed are kept (not the Pi's), as a restart would not keep them. */
	bool config_kept;
	/* Settings understood that do not work on this Pi: inputs that
	 * cannot be opened, a sound device that does not open. Filled by
	 * the player after it applied the settings (player_settings.c), for
	 * problems.txt; emptied when all work. */
	struct diag_list setting_failures;
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

#endif
