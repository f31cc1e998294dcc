/* player_internal.h - the player's state and what its files call of
 * each other (player.c calls the other three; player_open.c calls
 * player_history.c; player_history.c and player_status.c call none). */
#ifndef REPCUE_PLAYER_INTERNAL_H
#define REPCUE_PLAYER_INTERNAL_H

#include <stdint.h>

#include "core/watchdog.h"
#include "history/history.h"
#include "history/history_logic.h"
#include "core/rating.h"
#include "sheet/card_sheets.h"
#include "input/input.h"
#include "player/player.h"
#include "input/controls.h"

/* What a lobby says while it waits for start: phrase `id` (PHRASE_COUNT:
 * no lobby, start at once) with {number} of {total}. */
struct lobby_say {
	enum phrase_id id;
	int number, total;
};

/* Everything the player holds; one, made by player_create(). */
struct player {
	struct player_settings set;  /* copied; what it points to is borrowed */
	FILE *log;                   /* set.log */
	struct lobby *lobby;         /* set.lobby: the routine chooser; NULL: none */
	struct live *live;           /* owned; the open session or lobby; NULL = none */
	enum live_fault fault;       /* what kept the last open from opening */
	char routine[512];           /* the routine of `live` */
	FILE *quiet;                 /* owned; /dev/null for repeated device retries,
	                              * opened on the first; NULL = not yet */
	struct controls *controls;   /* owned */
	struct watchdog wd;
	/* the open under way: its lobby line, composed by the session */
	struct session_lobby compose;    /* compose_lobby() with this player */
	struct lobby_say say;
	/* the loop (player.c, player_status.c) */
	struct live_status st;       /* of `live`, after the last live_poll */
	bool tty_status;             /* a status line on the terminal */
	char last_status[256], last_service_status[256];
	frames_t finished_at;        /* session frame the end was first seen; -1 */
	/* the history: records from the transcript, the resume offer */
	struct history *history;         /* owned; NULL = none */
	struct history_tracker tracker;  /* of the open session */
	bool no_resume;                  /* the next session starts over */
	enum phrase_id notice;           /* said in the next lobby, then cleared;
	                                  * PHRASE_COUNT: none */
	int64_t inputs_retried_ms;       /* clock_now_ms() of the last controls_retry() */
	struct rating_question rating;   /* how it felt, after a session (player_rating.c) */
	struct card_sheets *card_sheets; /* owned; the routines' sheets and the report
	                                  * for the card (with a lobby); NULL = none */
	/* the card's settings that open something (player_settings.c) */
	struct device_config applied;    /* the inputs and the sound settings in use,
	                                  * as the settings gave them */
	char device[DEVICE_CONFIG_AUDIO_DEVICE_MAX];   /* set.lo.output.device, when set */
	bool device_trial;               /* the next open tries a device the card changed */
	char device_before[DEVICE_CONFIG_AUDIO_DEVICE_MAX]; /* during a trial: the one to go back to */
	struct lobby_note notes_before[SKIP_LINES_MAX + 4]; /* the lobby's notes before the trial */
	int trial_notes;
	char device_failed[DEVICE_CONFIG_AUDIO_DEVICE_MAX]; /* the card's device that did not
	                                                     * open; "" = none */
	bool inputs_rejected;            /* the card's inputs in `rejected` did not all
	                                  * open: those of `applied` are used */
	struct device_config rejected;   /* its inputs, timing, mapping only */
	struct diag_list rejected_problems; /* why, for problems.txt */
};
_Static_assert(sizeof(((struct player *)0)->notes_before) == sizeof(((struct lobby *)0)->notes),
	       "room for the lobby's notes");

/* player_rating.c: "how did that feel?" after a session (core/rating.h).
 * wanted: whether to ask now that a session has ended (hands-free, with a
 * history, the session complete). ask: opens the question's lobby and
 * starts its silence; as player_reopen_lobby. take: whether the question
 * took an input action (every press while it is open). over: once per
 * round; true once answered (recorded, said back in the next lobby) or
 * skipped: then on as after a session. */
bool player_rating_wanted(const struct player *p);
int player_rating_ask(struct player *p);
bool player_rating_take(struct player *p, const struct input_action *a);
bool player_rating_over(struct player *p);

/* player_settings.c: the card's inputs and sound device, between
 * sessions. apply: after the lobby read the settings again, before the
 * lobby opens: the inputs opened again when they changed, a changed
 * sound device tried at the next open, what does not work listed in
 * problems.txt. device_failed: the open failed at the device: during a
 * trial, back to the device before, the failed setting said; true to open
 * again. */
void player_settings_apply(struct player *p);
bool player_settings_device_failed(struct player *p);

/* player_open.c */
extern const struct lobby_say player_no_lobby, player_ready_line;
/* Opens `routine` (in the lobby when p->lobby, saying `say`; a routine
 * that fails there gives way to the packaged default) and starts its
 * sound; a sound device that fails is waited for when wait_for_device.
 * 0; -EINTR when a signal came while waiting; else -errno with p->fault
 * saying whose fault it was (LIVE_FAULT_OUTPUT, -ENODEV: no device). */
int player_open(struct player *p, const char *routine, struct lobby_say say);
/* From one lobby (or finished session) to the next: fades out and closes
 * p->live, opens the lobby on `routine` saying `say`. As player_open(). */
int player_reopen_lobby(struct player *p, const char *routine, struct lobby_say say);
/* Opens again the configured inputs that did not open (the lobby names
 * them); at every lobby entry and every PLAYER_INPUT_RETRY_MS. */
#define PLAYER_INPUT_RETRY_MS 5000
void player_retry_inputs(struct player *p);
/* The music files the open lobby skipped so far, into the card's
 * problems.txt (lobby_note_music); never during a session. */
void player_note_music(struct player *p);
/* One step of waiting: the heartbeat (no sound is expected yet) and the
 * signals. True when a signal came. */
bool player_wait_step(struct player *p, int timeout_ms);

/* player_history.c: the history of the running session, through the
 * history's queue (never to disk on this thread). */
void player_history_open(struct player *p);
/* The offer of the session just opened logged, its tracker started. */
void player_history_track(struct player *p, bool in_lobby);
/* live_options.on_entry: each transcript entry, recorded. */
void player_history_entry(void *ctx, const struct seq_log_entry *e);
/* A write problem of the history thread: logged once, said in the next lobby. */
void player_history_check(struct player *p);
/* The open session stopped before its end, at `at`. */
void player_history_stopped(struct player *p, frames_t at);

/* player_status.c: what the player shows of the open session. */
/* The status line on the terminal (when one shows it) and STATUS=, when
 * they changed. */
void player_status_show(struct player *p);
/* A message goes on a line of its own: the status line, if one is
 * shown, is wiped first and drawn again at the next tick. */
void player_status_clear(struct player *p);
/* The summary of the session, to the log. */
void player_status_summary(const struct player *p);
/* The state the inputs' gestures depend on (paused, resting). */
enum input_session_state player_input_state(const struct player *p);

#endif
