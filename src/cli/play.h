/* play.h - `repcue play` in pieces: its options, parsed apart from
 * running them, so main.c can play without rebuilding an argv. */
#ifndef REPCUE_CLI_PLAY_H
#define REPCUE_CLI_PLAY_H

#include <stdbool.h>

#include "session/live.h"

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

/* play_run() is declared in cli/commands.h. */

#endif
