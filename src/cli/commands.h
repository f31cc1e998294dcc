/* commands.h - the `repcue` sub-commands. Each returns the process exit
 * status: 0 success, 1 failure (bad input, no device...), 2 usage error.
 * argv[0] is the sub-command name. */
#ifndef REPCUE_COMMANDS_H
#define REPCUE_COMMANDS_H

int cmd_check(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_play(int argc, char **argv);
int cmd_hw_test(int argc, char **argv);
int cmd_history(int argc, char **argv);

/* Directory holding the packaged routines/ and voices/: $REPCUE_DATA_DIR,
 * else the one named by repcue-data-dir.txt next to a build-tree binary,
 * else REPCUE_PKGDATADIR (/usr/share/repcue). Never a source tree baked
 * into an installed binary. */
const char *repcue_data_dir(void);

#endif
