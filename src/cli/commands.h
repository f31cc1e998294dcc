/* commands.h - the `repcue` sub-commands. Each returns the process exit
 * status: 0 success, 1 failure (bad input, no device...), 2 usage error.
 * argv[0] is the sub-command name. */
#ifndef REPCUE_COMMANDS_H
#define REPCUE_COMMANDS_H

#include <stdbool.h>

#include "core/control.h"
#include "session/data_dir.h" /* repcue_data_dir(), for usage texts and check */

int cmd_check(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_play(int argc, char **argv);
int cmd_hw_test(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_sheet(int argc, char **argv);

/* What `repcue render` does once its options are parsed; also play's
 * fallback when there is no sound device. Same exit status as cmd_render.
 * Everything is borrowed. */
struct render_request {
	const char *routine_path;             /* a file (session_find_routine done) */
	const char *out_path;                 /* the WAV; "-" = stdout */
	const struct control_event *presses;  /* scripted presses, or NULL */
	int n_presses;
	bool quiet;                           /* no transcript */
	bool with_history;                    /* end with the adherence line `play` would
	                                       * say, from the history (read only); else
	                                       * none: a render is not a session */
};
int render_run(const struct render_request *rq);

/* `repcue play` with options already parsed (cli/play.h): main.c plays
 * this way with no arguments and for `repcue [--options] ROUTINE`. */
struct play_options;
int play_run(const struct play_options *o);

#endif
