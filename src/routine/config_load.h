/* config_load.h - read the device config file (YAML) into struct
 * device_config, checking everything and reporting every problem found.
 *
 * The format is described in hw/README.md, "Config file".  Like the
 * routine loader it never prints and never exits: problems come back as
 * diags with file:line:col and a hint.  It does not open any device and
 * needs neither libgpiod nor libevdev: key names are checked for their
 * shape here and resolved to codes by the wiring (src/session/controls.c). */
#ifndef REPCUE_ROUTINE_CONFIG_LOAD_H
#define REPCUE_ROUTINE_CONFIG_LOAD_H

#include <stddef.h>

#include "core/device_config.h"
#include "routine/diag.h"

/* Reads and validates a config file.  diags is emptied first.  Returns 0
 * if the file is valid (out filled, out->file = path, diags empty),
 * -EINVAL if it has problems (all of them in diags; out undefined), or
 * another negative errno if it could not be read (one whole-file diag,
 * e.g. -ENOENT "cannot open: No such file or directory"). */
int config_load(const char *path, struct device_config *out,
		struct diag_list *diags);

/* Validates a config held in memory, buf[0..len); name is what diags
 * call the file (and goes to out->file).  0, -EINVAL or -ENOMEM. */
int config_parse(const char *name, const char *buf, size_t len,
		 struct device_config *out, struct diag_list *diags);

/* config_load() for the settings a person edits on the card: a file
 * whose top level can be read is used even when some settings in it have
 * problems.  Each bad setting is left at its default (a bad input is left
 * out, a bad mapping line ignored), every other one applies; its problems
 * are in diags and out->skipped names each setting and its line.  Returns
 * 0 (diags may hold the problems of skipped settings), -EINVAL when
 * nothing of it can be used (not YAML, empty, another format version, no
 * mapping at the top), or another negative errno as config_load(). */
int config_load_tolerant(const char *path, struct device_config *out,
			 struct diag_list *diags);

/* config_parse() in the same way. */
int config_parse_tolerant(const char *name, const char *buf, size_t len,
			  struct device_config *out, struct diag_list *diags);

/* Which file to read: cli_path (--config) if set, else env_path
 * ($REPCUE_CONFIG) if set and not empty, else NULL for the default. */
const char *config_path_choose(const char *cli_path, const char *env_path);

/* config_load() of path, or with path NULL of DEVICE_CONFIG_DEFAULT_PATH,
 * where a missing file is no error: out gets the built-in defaults
 * (out->file "") and 0 is returned.  A missing file named explicitly is
 * -ENOENT with its diag. */
int config_load_or_default(const char *path, struct device_config *out,
			   struct diag_list *diags);

#endif
