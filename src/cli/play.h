/* play.h - `repcue play` in pieces: its options, parsed apart from
 * running them, so main.c can play without rebuilding an argv. */
#ifndef REPCUE_CLI_PLAY_H
#define REPCUE_CLI_PLAY_H

#include <stdbool.h>

#include "core/device_config.h"
#include "core/rating.h"
#include "core/watchdog.h"
#include "history/history.h"
#include "history/history_logic.h"
#include "input/input.h"
#include "session/live.h"
#include "session/lobby.h"
#include "util/env.h"

/* The parsed command line of `repcue play`. Strings are borrowed from argv. */
struct play_options {
	const struct repcue_env *env; /* borrowed: the environment (main.c) */
	struct live_options lo;   /* device, latency, budget, backend, verbose;
	                           * presses are filled in by play_run */
	const char *fallback_wav, *press_spec, *config_arg, *simulate;
	bool wait_for_device, wait_for_start, keys, transcript;
	const char *routine;      /* as given; NULL = the config's, else the default */
	const char *card_out;     /* --card-out: problems.txt and history.csv go
	                           * there, not onto the card; NULL = the card */
};

/* The options of a bare `repcue play`: keys on, the transcript when stdout
 * is not a terminal. */
void play_options_init(struct play_options *o);

/* Parses play's options from argv[1] on (argv[0] is the command name).
 * Returns -1 to go on and play, else the exit status: 0 after --help,
 * 2 after a usage error (printed). */
int play_options_parse(struct play_options *o, int argc, char **argv);

struct controls;

/* What the lobby says while it waits for start: phrase `id` (PHRASE_COUNT:
 * no lobby, start at once) with {number} of {total}. */
struct lobby_say {
	enum phrase_id id;
	int number, total;
};

/* Everything `repcue play` holds while it runs; one, in play_run(). */
struct player {
	const struct play_options *opts; /* borrowed: keys, transcript, simulate... */
	struct live_options lo;
	struct live *live;        /* the open session or lobby; NULL = none */
	enum live_fault fault;    /* what kept the last open from opening */
	char routine[512];        /* the routine of `live` */
	FILE *log;                /* our messages: a copy of stderr (quiet_stderr) */
	int saved_stderr;         /* the fd behind log (STDERR_FILENO: not quieted) */
	FILE *quiet;              /* owned; /dev/null for repeated device retries,
	                           * opened on the first; NULL = not yet */
	struct lobby *lobby;      /* NULL: no lobby (not --wait-for-start) */
	struct controls *controls; /* owned */
	int signal_fd;            /* readable once SIGINT, SIGTERM or SIGHUP came */
	bool wait_for_device;     /* a device that fails is waited for */
	struct watchdog wd;
	/* the main loop (play_loop.c) */
	struct live_status st;    /* of `live`, after the last live_poll */
	bool tty_status;          /* a status line on the terminal */
	char last_status[256], last_service_status[256];
	frames_t finished_at;     /* session frame the end was first seen; -1 */
	/* the history: records from the transcript, the resume offer */
	struct history *history;          /* owned; NULL = none */
	struct history_tracker tracker;   /* of the open session */
	bool no_resume;                   /* the next session starts over */
	enum phrase_id notice;            /* said in the next lobby, then cleared;
	                                   * PHRASE_COUNT: none */
	/* inputs that did not open: named in every lobby, opened again */
	const char *config_file;          /* borrowed: the device config's path, "" = none */
	bool config_on_card;              /* it is on the SD card */
	int64_t inputs_retried_ms;        /* clock_now_ms() of the last controls_retry() */
	struct rating_question rating;    /* how it felt, after a session (play_rating.c) */
};

/* cmd_play.c: opens `routine` (in the lobby when p->lobby, saying `say`;
 * a routine that fails there gives way to the packaged default) and
 * starts its sound. A sound device that fails (none, or it will not open)
 * is waited for when p->wait_for_device, as at start-up. 0; -EINTR when a
 * signal came while waiting; else -errno with p->fault saying whose fault
 * it was (LIVE_FAULT_OUTPUT, -ENODEV: no device at all). */
int play_open(struct player *p, const char *routine, struct lobby_say say);

/* cmd_play.c: from one lobby (or finished session) to the next: fades
 * out and closes p->live, opens the lobby on `routine` saying `say`, and
 * resets the end of session. 0, or as play_open (p->live is then NULL). */
int reopen_lobby(struct player *p, const char *routine, struct lobby_say say);

/* The music files the open lobby skipped so far, into the card's
 * problems.txt (lobby_note_music); never during a session. */
void note_music(struct player *p);

/* cmd_play.c: opens again the configured inputs that did not open (the
 * lobby names them); at every lobby entry and every INPUT_RETRY_MS. */
#define INPUT_RETRY_MS 5000
void retry_inputs(struct player *p);


/* cmd_play.c: the summary of a session, to p->log. */
void print_summary(const struct player *p);

/* play_loop.c: runs p->live until quit, a signal, or (a scripted run,
 * or no lobby) the end of the session. Returns the exit status. */
int play_loop(struct player *p);

/* What play_setup() settles before play starts (large: keep it static). */
struct play_setup {
	struct device_config cfg;      /* the device config, or the built-in defaults */
	struct diag_list diags;        /* its problems */
	struct lobby lobby;            /* the routine path, for the lobby too */
	char routine[1024];            /* the routine found on it */
	bool wait_for_device;          /* --wait-for-device or the config's */
	bool config_on_card;           /* cfg.file is on the SD card's boot partition */
	char music_dir[sizeof(((struct lobby *)0)->card_dir) + 8]; /* <card>/repcue/music, when --music is not given */
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

/* play_rating.c: "how did that feel?" after a session (core/rating.h).
 * wanted: whether to ask now that a session has ended (hands-free, with a
 * history, the session complete). ask: opens the question's lobby and
 * starts its silence; as reopen_lobby. take: whether the question took
 * an input action (every press while it is open). over: once per round;
 * true once answered (recorded, said back in the next lobby) or skipped:
 * then on as after a session. */
bool play_rating_wanted(const struct player *p);
int play_rating_ask(struct player *p);
bool play_rating_take(struct player *p, const struct input_action *a);
bool play_rating_over(struct player *p);

/* play_fallback.c: where the WAV goes, and the render in place of play
 * (the exit status of render_run). */
int default_fallback_wav(const struct repcue_env *env, char *buf, size_t size);
int render_instead(const struct repcue_env *env, const char *routine, const char *wav,
		   const struct control_event *presses, int n_presses, const struct session_options *settings);

/* play_status.c: the status line, STATUS=, the input state. */
void format_status(const struct session *s, const struct live_status *st, char *buf, size_t size);
void service_status(const struct session *s, const struct live_status *st, char *buf, size_t size);
enum input_session_state input_state(const struct session *s, const struct live_status *st);

/* play_run() is declared in cli/commands.h. */

#endif
