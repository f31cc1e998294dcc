/* commands.h - the `repcue` sub-commands. Each returns the process exit
 * status: 0 success, 1 failure (bad input, no device...), 2 usage error.
 * argv[0] is the sub-command name. */
#ifndef REPCUE_COMMANDS_H
#define REPCUE_COMMANDS_H

#include "session/data_dir.h" /* repcue_data_dir(), for usage texts and check */

int cmd_check(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_play(int argc, char **argv);
int cmd_hw_test(int argc, char **argv);
int cmd_history(int argc, char **argv);

#endif
