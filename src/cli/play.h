/* play.h - `repcue play`'s command-line side in pieces: its options,
 * parsed apart from running them, so main.c can play without rebuilding
 * an argv; what it settles from them before play starts; the render in
 * place of play. What runs in between is the player (src/player/). */
#ifndef REPCUE_CLI_PLAY_H
#define REPCUE_CLI_PLAY_H

#include <stdbool.h>

#include "core/device_config.h"
#include "routine/diag.h"
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

/* play_fallback.c: where the WAV goes, and the render in place of play
 * (the exit status of render_run). */
int default_fallback_wav(const struct repcue_env *env, char *buf, size_t size);
int render_instead(const struct repcue_env *env, const char *routine, const char *wav,
		   const struct control_event *presses, int n_presses, const struct session_options *settings);

/* play_run() is declared in cli/commands.h. */

#endif
