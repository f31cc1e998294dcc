/* session.h - wiring shared by `render` and `play`: a routine file becomes
 * a loaded routine, a plan, a voice, the synthesized lines and an engine.
 * Reports problems to the user once, here at the boundary. */
#ifndef REPCUE_SESSION_H
#define REPCUE_SESSION_H

#include <stdbool.h>
#include <stdio.h>

#include "audio/engine.h"
#include "audio/tone.h"
#include "core/plan.h"
#include "core/device_config.h"
#include "core/routine.h"
#include "core/voice.h"
#include "history/history_logic.h"
#include "music/music.h"
#include "speech/line_store.h"
#include "speech/speech.h"

struct diag_list;
struct repcue_env;
struct routine_entry;

#define SESSION_PRESSES_MAX SEQ_CONTROLS_MAX

/* The lobby line of a session, composed by the caller once session_open()
 * has loaded the routine (the phrasebook of its voice, its name): the
 * caller's notes, the routine offered and what the start button does. */
struct session_lobby {
	/* Writes the lobby line into line and what is said before it (a
	 * notice; "" for none) into notice, each of `size` bytes, in the
	 * language of book (NULL: English), offering the routine `name`
	 * loaded from path. Called once per session_open(), on its thread. */
	void (*compose)(void *ctx, const struct phrasebook *book, const char *path, const char *name,
			char *line, char *notice, size_t size);
	void *ctx; /* borrowed */
};

struct session_options {
	/* The environment (util/env.h; borrowed): the data, cache and
	 * temporary directories and the cache's bound. NULL: none set (the
	 * packaged data, no lasting cache). */
	const struct repcue_env *env;
	bool live;             /* lines made ahead by a speech thread, not on demand */
	size_t budget_bytes;   /* memory for spoken lines; 0 = default */
	const char *cache_dir; /* NULL = env's; "" = none that lasts (a
	                        * temporary one, removed at close) */
	/* Wait for the start button before the first segment, saying
	 * meanwhile what lobby (borrowed) composes once the routine and its
	 * voice are loaded; or, without it, lobby_line as it is (no
	 * placeholder filled). Both NULL: start at once. */
	const struct session_lobby *lobby;
	const char *lobby_line;
	/* The history (borrowed; NULL = none): the lobby offers to carry on
	 * an unfinished session, and the end says how many this week. */
	struct history *history;
	bool adherence;          /* say the sessions this week at the end (none
	                          * before this one without a history) */
	bool no_resume;          /* hold start chose to start over */
	/* The settings of the device config (core/device_config.h): master
	 * volume and beeps in dB (0 and 0: as made), and the voice profile
	 * every routine is spoken with (NULL or "": the routine's own). */
	float volume_db, beeps_db;
	const char *voice;
	const char *language;   /* the voice's language and phrasebook; NULL or "": the voice's */
	/* Music under the coach (src/music/music.h): the folder of tracks,
	 * NULL or missing or empty = none; its settings, NULL = defaults. */
	const char *music_dir;
	const struct music_config *music;
	/* the card's 'music:' settings over those (borrowed; NULL = none) */
	const struct device_music *music_settings;
	bool music_only;         /* the music bed alone, coach muted (render --music-only) */
	/* live: seconds of music decoded before the sound starts and kept
	 * ahead of it (music_open's live_ahead); 0 = its default */
	int music_ahead_s;
};

/* The session options' share of a device config: its volume, beeps,
 * voice, language and music settings (borrowed from cfg). */
void session_options_from_config(struct session_options *so, const struct device_config *cfg);

/* <boot>/repcue/voices, the card's voice profiles, looked in before the
 * packaged ones ("" when the path does not fit). Returns buf. */
const char *session_card_voices_dir(const struct repcue_env *env, char *buf, size_t size);

struct session {
	char routine_path[512];
	struct routine *routine;   /* owned */
	struct voice_profile voice;
	const struct phrasebook *book; /* the voice's language: what the coach says */
	struct plan plan;          /* owned */
	struct speech *speech;     /* owned */
	struct line_cache disk;     /* owned when have_disk (a temporary one is removed at close) */
	bool have_disk;
	struct line_store lines;     /* owned */
	struct tone_bank tones;    /* owned */
	struct engine *engine;     /* owned */
	struct history_session_info history_info; /* what the history records of it */
	struct history_offer offer;               /* what the lobby offered */
	struct music_player *music; /* owned; NULL = no music */
};

/* Loads the routine at `routine_path` into *r and the voice profile it
 * names, or opts's settings name (the card's voices/ first, then
 * repcue_data_dir()'s), into *ret_voice with opts's language, with diags as
 * scratch (the caller's). On failure prints every problem to `err`, for a
 * broken routine followed by "<file>: <outcome>; fix the problems above"
 * ("not started"), and returns -errno. What session_open() and `repcue
 * sheet` start with. */
int session_load_routine(const struct session_options *opts, const char *routine_path, const char *outcome,
			 struct routine *r, struct voice_profile *ret_voice, struct diag_list *diags, FILE *err);

/* Loads and plans `routine_path`; opens the voice. On failure prints what
 * went wrong (file:line:col and a fix) to `err` and returns -errno; the
 * session is then already closed. */
int session_open(struct session *s, const char *routine_path,
		 const struct session_options *opts, FILE *err);

/* Files of the music folder skipped so far (cannot be played), for the
 * card's problems.txt; none without music. */
void session_music_problems(const struct session *s, struct music_problems *out);

/* Accepts a zeroed or failed session. */
void session_close(struct session *s);

/* Takes the engine's log and prints it as transcript lines, or only
 * empties it when out is NULL: "00:01:35.500  4584000  say "Paused."" */
void session_print_log(struct session *s, FILE *out);

/* Prints one transcript line; out may be NULL (prints nothing). */
void session_print_entry(const struct session *s, const struct seq_log_entry *e, FILE *out);

/* "hh:mm:ss.mmm" of a session frame. */
void session_format_time(frames_t at, char *buf, size_t size);

/* Loads the device config: path (--config or $REPCUE_CONFIG) if not NULL;
 * else <env->boot_dir>/repcue/config.yaml (env may be NULL: none) if present and usable, each bad setting
 * in it left at its default (config_load_tolerant(): cfg->skipped names
 * them, *card_problems keeps their problems, each printed to err); else
 * /etc/repcue/config.yaml or the built-in defaults. A bad config on the
 * boot partition is skipped: its problems go to err and *skipped (may be
 * NULL) says which and where, for routine_entry_skip_line_in() ("Config
 * file config.yaml has a problem on line 3. Skipping it."; status 0 when
 * nothing was skipped) and *card_problems (may be NULL; emptied when the
 * card's file has no problem) keeps its problems, for the card's
 * problems.txt.
 * Returns 0, or -errno with the problems printed to err. */
int session_load_config(const struct repcue_env *env, const char *path, struct device_config *cfg,
			struct diag_list *diags, struct routine_entry *skipped, struct diag_list *card_problems,
			FILE *err);

/* A routine given by name (upper-back-3) along the search path of
 * routine/routine_dir.h (the card, /etc/repcue/routines, the package);
 * a path, or a name found nowhere, comes back as it is. Returns buf. */
const char *session_find_routine(const struct repcue_env *env, const char *name, char *buf, size_t size);

/* The name of the packaged default routine, and its path under
 * repcue_data_dir(): played when no other routine can be. */
#define SESSION_DEFAULT_ROUTINE "upper-back-1"
/* The bundled default routine, under repcue_data_dir(env) ("" if too long). */
const char *session_default_routine(const struct repcue_env *env, char *buf, size_t size);

/* A snapshot of an engine's session, for code outside core/ and audio/:
 * the only place that reads the sequencer's fields is session_status()
 * (and live.c, which publishes the same to the control thread). */
struct session_status {
	frames_t now;           /* session frame: the frame of the next block */
	int pending_presses;    /* presses queued and not yet taken */
	struct seq_status seq;  /* segment, offsets, paused, lobby, finished */
};

/* Fills *out from e (borrowed, read at once). */
void session_status(const struct engine *e, struct session_status *out);

/* Called by session_render() after every block: `at` its first frame,
 * `block` its ENGINE_BLOCK samples, `log` what the block did (n entries;
 * the log is already emptied). Returns 0 to go on, a negative errno to
 * stop with that error, or 1 to stop here. */
typedef int (*session_block_fn)(void *ctx, frames_t at, const float *block,
				const struct seq_log_entry *log, int n);

struct session_render_opts {
	const struct control_event *presses; /* pushed before the first block (borrowed) */
	int n_presses;
	frames_t limit;        /* no block starts at or after this frame; 0 = no bound */
	bool stop_when_stuck;  /* stop when paused with no press left to resume it */
	session_block_fn on_block; /* NULL = the log is only emptied */
	void *ctx;
};

/* The one render loop: renders e (borrowed) block by block until its
 * session ends. Returns 0 at the end, -ETIME at opts->limit, -EDEADLK
 * paused with no press left (stop_when_stuck), or what on_block returned
 * to stop (1 or -errno). The engine stays at the frame it stopped at. */
int session_render(struct engine *e, const struct session_render_opts *opts);

#endif
