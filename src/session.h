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
#include "core/routine.h"
#include "core/voice.h"
#include "history/history_logic.h"
#include "speech/cue_store.h"
#include "speech/speech.h"

#define SESSION_PRESSES_MAX SEQ_CONTROLS_MAX

struct session_options {
	bool live;             /* lines made ahead by a speech thread, not on demand */
	size_t budget_bytes;   /* memory for spoken lines; 0 = default */
	const char *cache_dir; /* NULL = the default; "" = none that lasts (a
	                        * temporary one, removed at close) */
	/* Non-NULL: wait for the start button before the first segment,
	 * saying this line ({name} = the routine's name) meanwhile. */
	const char *lobby_line;
	/* The history (borrowed; NULL = none): the lobby offers to carry on
	 * an unfinished session, and the end says how many this week. */
	struct history *history;
	bool adherence;          /* say the sessions this week at the end (none
	                          * before this one without a history) */
	bool no_resume;          /* hold start chose to start over */
	const char *notice_line; /* said in the lobby before lobby_line, or NULL */
};

struct session {
	char routine_path[512];
	struct routine *routine;   /* owned */
	struct voice_profile voice;
	struct plan plan;          /* owned */
	struct speech *speech;     /* owned */
	struct cue_cache disk;
	bool have_disk;
	char temp_cache[512];      /* a cache directory made for this session, removed at close */
	struct cue_store cues;     /* owned */
	struct tone_bank tones;    /* owned */
	struct engine *engine;     /* owned */
	struct history_session_info history_info; /* what the history records of it */
	struct history_offer offer;               /* what the lobby offered */
};

/* Loads and plans `routine_path`; opens the voice. On failure prints what
 * went wrong (file:line:col and a fix) to `err` and returns -errno; the
 * session is then already closed. */
int session_open(struct session *s, const char *routine_path,
		 const struct session_options *opts, FILE *err);

/* Accepts a zeroed or failed session. */
void session_close(struct session *s);

/* Parses "next@95.5,pause@120" into events. Returns the count, or -EINVAL
 * with a message in err naming the bad item. */
int session_parse_presses(const char *spec, struct control_event *out, int max,
			  char *err, size_t err_size);

/* Takes the engine's log and prints it as transcript lines, or only
 * empties it when out is NULL: "00:01:35.500  4584000  say "Paused."" */
void session_print_log(struct session *s, FILE *out);

/* Prints one transcript line; out may be NULL (prints nothing). */
void session_print_entry(const struct session *s, const struct seq_log_entry *e, FILE *out);

/* "hh:mm:ss.mmm" of a session frame. */
void session_format_time(frames_t at, char *buf, size_t size);

/* The bundled default routine, under repcue_data_dir(). */
const char *session_default_routine(char *buf, size_t size);

#endif
