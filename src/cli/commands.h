/* commands.h - the `repcue` sub-commands. Each returns the process exit
 * status: 0 success, 1 failure (bad input, no device...), 2 usage error.
 * argv[0] is the sub-command name. */
#ifndef REPCUE_COMMANDS_H
#define REPCUE_COMMANDS_H

#include <stdbool.h>

#include "core/control.h"
#include "session/data_dir.h" /* repcue_data_dir(), for usage texts and check */
#include "util/env.h"             /* struct repcue_env: read once by main() */

int cmd_check(int argc, char **argv, const struct repcue_env *env);
int cmd_render(int argc, char **argv, const struct repcue_env *env);
int cmd_play(int argc, char **argv, const struct repcue_env *env);
int cmd_hw_test(int argc, char **argv, const struct repcue_env *env);
int cmd_history(int argc, char **argv, const struct repcue_env *env);
int cmd_sheet(int argc, char **argv, const struct repcue_env *env);

/* What `repcue render` does once its options are parsed; also play's
 * fallback when there is no sound device. Same exit status as cmd_render.
 * Everything is borrowed. */
struct session_options;
struct render_request {
	const struct repcue_env *env;         /* the environment (main.c) */
	const char *routine_path;             /* a file (session_find_routine done) */
	const char *out_path;                 /* the WAV; "-" = stdout */
	const struct control_event *presses;  /* scripted presses, or NULL */
	int n_presses;
	bool quiet;                           /* no transcript */
	bool with_history;                    /* end with the adherence line `play` would
	                                       * say, from the history (read only); else
	                                       * none: a render is not a session */
	const struct session_options *settings; /* volume, beeps and voice of the
	                                       * device config, as play uses them;
	                                       * NULL = as made */
	const char *music_dir;                /* music under the coach; NULL = none */
	bool music_only;                      /* the music bed alone (checks, debugging) */
	const char *timeline_path;            /* --timeline: the session drawn as it ran
	                                       * (.svg or .png); NULL = none */
};
int render_run(const struct render_request *rq);

/* `repcue play` with options already parsed (cli/play.h): main.c plays
 * this way with no arguments and for `repcue [--options] ROUTINE`. */
struct play_options;
int play_run(const struct play_options *o);

#endif
