/* player.h - `repcue play` at work: one session or lobby after another
 * on the sound device, steered by the inputs.
 *
 * The player owns what runs between start-up and teardown: opening
 * sessions and lobbies (the lobby line composed once the session has
 * loaded its routine, so the routine is read once and named directly),
 * waiting for a sound device, handing the inputs' actions to the session,
 * switching the lobby's routine, the history of the running session and
 * the status line and systemd's STATUS=. cli/cmd_play.c is the process
 * around it: options, set-up, signals, stderr, teardown.
 *
 * Files: player.c (create, the loop's step, the end of a session, stop,
 * destroy), player_open.c (opening sessions and lobbies, the lobby line,
 * the sound device waited for, inputs opened again), player_settings.c
 * (the card's inputs and sound device applied between sessions), player_history.c
 * (the history of the running session), player_status.c (the status
 * line, STATUS=, the summary). */
#ifndef REPCUE_PLAYER_H
#define REPCUE_PLAYER_H

#include <stdbool.h>
#include <stdio.h>

#include "core/device_config.h"
#include "session/live.h"
#include "session/lobby.h"
#include "util/env.h"

/* What the process settled before the player starts. Everything a
 * pointer names is borrowed and must outlive the player. */
struct player_settings {
	const struct repcue_env *env;
	struct live_options lo;          /* the sound, the session's settings, --press */
	const struct device_config *cfg; /* the inputs; cfg->file is named in the lobby */
	bool config_on_card;             /* cfg->file is on the SD card */
	struct lobby *lobby;             /* the routine chooser (--wait-for-start); NULL: none */
	const char *card_out;            /* --card-out: history.csv there; NULL: onto the card */
	bool keys;                       /* the terminal's keys, when stdin is one */
	bool transcript;                 /* every line and beep to stdout */
	bool wait_for_device;            /* a sound device that fails is waited for */
	/* what the command line fixed (--device, --latency, --wait-for-device):
	 * the card's audio settings, read again at every lobby, leave it */
	struct player_pinned {
		bool device, latency, wait_for_device;
	} pinned;
	bool one_session;                /* scripted (--press, --simulate): no lobby after the end */
	FILE *log;                       /* our messages */
	int log_fd;                      /* the descriptor behind log: a terminal shows the status line */
	int signal_fd;                   /* readable once SIGINT, SIGTERM or SIGHUP came */
};

struct player;

/* Opens the inputs (cfg's and the terminal's keys) and the history (a
 * history that cannot be opened is said in the first lobby, and coaching
 * goes on without it). 0 and *ret (release with player_destroy()), or
 * -errno with the problem printed to s->log. */
int player_create(struct player **ret, const struct player_settings *s);

/* Waits until the backend lists a sound device (at once for one with
 * none to wait for: null), keeping the watchdog fed. 0, or 1 when a
 * signal came. */
int player_wait_for_device(struct player *p);

/* Opens the first session on *routine, or with a lobby the lobby on the
 * routine it picks (*routine then says which). A sound device that fails
 * is waited for when wait_for_device. 0; -EINTR when a signal came while
 * waiting; -ENODEV when there is no sound device at all (not waiting:
 * the caller may render instead); else -errno (printed). */
int player_open_first(struct player *p, const char **routine);

/* Buttons pressed by a script (--simulate; input/controls.h), its clock
 * starting now. 0 or -errno. */
int player_simulate(struct player *p, const char *script);

/* One round of the loop: waits for an input, a signal or the status
 * tick; hands the inputs' actions to the session; switches the lobby's
 * routine; feeds the watchdog; shows the status; ends a session (back to
 * the lobby, with one). 1 to go on; 0 to stop (quit, a signal, the end
 * of a session with no lobby after it); -1 when the next lobby cannot be
 * opened. */
int player_step(struct player *p);

/* After the last step: the status line wiped; a session stopped before
 * its end is summed up and recorded as stopped. */
void player_stop(struct player *p);

/* Closes the inputs (restoring the terminal), fades out and closes the
 * session, writes what the history still queues. Accepts NULL. */
void player_destroy(struct player *p);

#endif
