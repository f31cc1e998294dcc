/* routine_dir.h - where routine files and the device config are found:
 * the SD card's boot partition first (what a laptop can write), then
 * /etc/repcue, then the routines in the package.
 *
 *   <boot>/repcue/routines/NAME.yaml   routines copied from a laptop
 *   <boot>/repcue/config.yaml       device config, overrides /etc/repcue/config.yaml
 *   /etc/repcue/routines/NAME.yaml     routines of the administrator
 *   <data>/routines/NAME.yaml          the packaged seed routines (last resort)
 *
 * A file name found earlier on the path hides the same name later. What
 * laptops leave on a FAT partition (._* AppleDouble files, .DS_Store,
 * ~$ lock files, *.tmp) is never taken for a routine.
 *
 * Like the loaders this never prints: problems come back as diags or in
 * the entries. */
#ifndef REPCUE_ROUTINE_ROUTINE_DIR_H
#define REPCUE_ROUTINE_ROUTINE_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/routine.h"
#include "phrase/phrase.h"
#include "routine/diag.h"

#define ROUTINE_DIRS_MAX 4
#define ROUTINE_DIR_PATH_MAX 512
#define ROUTINE_LIST_MAX 64       /* routine files offered by the chooser */
#define ROUTINE_FILE_NAME_MAX 256

/* The directories searched, in order, and the packaged one kept apart for
 * the last resort. Plain data, no allocation. */
struct routine_search {
	char dirs[ROUTINE_DIRS_MAX][ROUTINE_DIR_PATH_MAX];
	int n_dirs;
	char packaged[ROUTINE_DIR_PATH_MAX];   /* <data>/routines */
};

/* config_dir: routines.dir of the device config ("" or NULL: not set);
 * it then replaces the search path (the packaged routines stay the last
 * resort for names). Otherwise <boot_dir>/repcue/routines, sysconf_dir
 * (/etc/repcue/routines) and packaged_dir. 0, or -ENAMETOOLONG when a
 * directory's path does not fit ROUTINE_DIR_PATH_MAX: that one is left
 * out (never searched under a cut name) and the rest is set up. */
int routine_search_init(struct routine_search *s, const char *config_dir, const char *boot_dir,
			 const char *sysconf_dir, const char *packaged_dir);

/* Finds a routine given by name or path. A name with a '/' or ending in
 * .yaml/.yml that exists is a path and is taken as it is; otherwise
 * <dir>/<name>.yaml (or .yml, or <name> itself when it has the
 * extension) along the path, then in the packaged directory. Returns 0
 * and the path in out, -ENOENT when nowhere (out = name as given, so the
 * caller's "cannot open" names it), -ENAMETOOLONG. */
int routine_search_find(const struct routine_search *s, const char *name, char *out, size_t size);

/* True for names a laptop leaves behind or that are not routine files:
 * ._* (macOS AppleDouble), .DS_Store and any other dot file, ~$* (Office
 * lock files), *.tmp, and anything not ending in .yaml or .yml (either
 * case, as Windows may save it). Pure. */
bool routine_file_wanted(const char *file_name);

/* For a file routine_file_wanted() refuses: true when its name says it is
 * a routine a laptop saved wrongly, with the problem and its fix in out
 * ("saved as shoulders.yaml.txt (Windows hides the .txt): rename it to
 * shoulders.yaml"); false for junk and other files. The one rule for the
 * lobby's listing (a problem in the log) and `repcue check`, so both say
 * the same. Pure. */
bool routine_file_misnamed(const char *file_name, char *out, size_t size);

struct routine_entry {
	char path[ROUTINE_DIR_PATH_MAX + ROUTINE_FILE_NAME_MAX];
	char file[ROUTINE_FILE_NAME_MAX];   /* the file name, as said aloud */
	char name[ROUTINE_NAME_MAX];        /* the routine's name when valid */
	/* routine_list_check(): 0 valid, -EINVAL problems (first at
	 * line:col; line 0 = whole file), other -errno: cannot be read. */
	int status;
	int line, col;
	/* what the file was when checked, to tell a new problem from one
	 * already reported */
	struct timespec mtime;
	long long size;
};

struct routine_list {
	struct routine_entry items[ROUTINE_LIST_MAX];
	int count;
	int dropped;        /* routine files beyond ROUTINE_LIST_MAX */
};

/* Lists routine files along the path, sorted by file name within each
 * directory; a name seen earlier hides the same name later. A directory
 * that does not exist is skipped quietly; one that cannot be read is
 * reported in problems (line 0) and skipped. Entries are unchecked
 * (status 0). Returns the count. */
int routine_list_scan(const struct routine_search *s, struct routine_list *out,
		      struct diag_list *problems);

/* Loads entry e (status, first problem, routine name filled), using
 * scratch and diags as work space (diags keeps every problem for the
 * caller to print). voices_dir as in routine_load_options. A file that
 * vanished since the scan is -ENOENT like any unreadable one. */
int routine_entry_check(struct routine_entry *e, const char *voices_dir, struct routine *scratch,
			struct diag_list *diags);

/* routine_entry_check() with the voices looked up as opts says (the
 * card's voices first). */
struct routine_load_options;
int routine_entry_check_with(struct routine_entry *e, const struct routine_load_options *opts,
			     struct routine *scratch, struct diag_list *diags);

/* True when e was already reported: prev holds the same path, bad, with
 * the same size and time. */
bool routine_entry_reported(const struct routine_list *prev, const struct routine_entry *e);

/* e->file as a voice may say it: escaped as diagnostics are, without
 * braces (they would be placeholders). Returns out. */
const char *routine_entry_spoken_name(const struct routine_entry *e, char *out, size_t size);

/* The spoken line for a skipped file: "Routine file shoulders.yaml has a
 * problem on line 12. Skipping it." (or "cannot be read"), for a routine
 * or (config) the card's config file, in the language of `book` (NULL:
 * English). Braces in the name are dropped: the line goes through
 * placeholder expansion. */
void routine_entry_skip_line_in(const struct routine_entry *e, bool config,
				const struct phrasebook *book, char *out, size_t size);
/* routine_entry_skip_line_in() in English; what: "Config file" for the
 * config file, else a routine. */
void routine_entry_skip_line(const struct routine_entry *e, const char *what, char *out, size_t size);

#endif
