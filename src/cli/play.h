/* play.h - `repcue play` in pieces: its options, parsed apart from
 * running them, so main.c can play without rebuilding an argv. */
#ifndef REPCUE_CLI_PLAY_H
#define REPCUE_CLI_PLAY_H

#include <stdbool.h>

#include "core/device_config.h"
#include "history/history.h"
#include "history/history_logic.h"
#include "input/input.h"
#include "session/live.h"
#include "session/lobby.h"

/* The parsed command line of `repcue play`. Strings are borrowed from argv. */
struct play_options {
	struct live_options lo;   /* device, latency, budget, backend, verbose;
	                           * presses are filled in by play_run */
	const char *fallback_wav, *press_spec, *config_arg, *simulate;
	bool wait_for_device, wait_for_start, keys, transcript;
	const char *routine;      /* as given; NULL = the config's, else the default */
};

/* The options of a bare `repcue play`: keys on, the transcript when stdout
 * is not a terminal. */
void play_options_init(struct play_options *o);

/* Parses play's options from argv[1] on (argv[0] is the command name).
 * Returns -1 to go on and play, else the exit status: 0 after --help,
 * 2 after a usage error (printed). */
int play_options_parse(struct play_options *o, int argc, char **argv);

struct player {
	struct live_options lo;
	const char *lobby_line;   /* NULL: start at once */
	struct live *live;
	char routine[512];
	FILE *log;
	struct lobby *lobby;      /* NULL: no lobby (not --wait-for-start) */
	/* the history: records from the transcript, the resume offer */
	struct history *history;          /* owned; NULL = none */
	struct history_tracker tracker;   /* of the open session */
	bool no_resume;                   /* the next session starts over */
	enum phrase_id notice;            /* said in the next lobby, then cleared;
	                                   * PHRASE_COUNT: none */
};

/* What play_setup() settles before play starts (large: keep it static). */
struct play_setup {
	struct device_config cfg;      /* the device config, or the built-in defaults */
	struct diag_list diags;        /* its problems */
	struct lobby lobby;            /* the routine path, for the lobby too */
	char routine[1024];            /* the routine found on it */
	bool wait_for_device;          /* --wait-for-device or the config's */
};

/* play_setup.c: loads the device config (o->config_arg, $REPCUE_CONFIG,
 * the card, /etc), fills what the options left unset in lo from it, and
 * finds the routine. Returns -1 to go on, else the exit status with the
 * problem printed to stderr. */
int play_setup(struct play_setup *ps, const struct play_options *o, struct live_options *lo);

/* play_history.c: the history hookup. */
void history_push_all(struct player *p, const struct history_event *ev, int n);
void history_entry(void *ctx, const struct seq_log_entry *e);  /* live_options.on_entry */
void history_start(struct player *p);
void history_check(struct player *p);
void history_stopped(struct player *p, frames_t at);

/* play_fallback.c: where the WAV goes, and the render in place of play
 * (the exit status of render_run). */
int default_fallback_wav(char *buf, size_t size);
int render_instead(const char *routine, const char *wav, const struct control_event *presses, int n_presses);

/* play_status.c: the status line, STATUS=, the input state. */
void format_status(const struct session *s, const struct live_status *st, char *buf, size_t size);
void service_status(const struct session *s, const struct live_status *st, char *buf, size_t size);
enum input_session_state input_state(const struct session *s, const struct live_status *st);

/* play_run() is declared in cli/commands.h. */

#endif
