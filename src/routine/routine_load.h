/* routine_load.h - read routine files and voice profiles (YAML) into the
 * core model, checking everything and reporting every problem found.
 *
 * The format is described in routines/README.md. Loaders never print and
 * never exit: problems come back as diags with file:line:col and a hint.
 * They never keep a pointer to their arguments. */
#ifndef REPCUE_ROUTINE_ROUTINE_LOAD_H
#define REPCUE_ROUTINE_ROUTINE_LOAD_H

#include <stddef.h>
#include <stdio.h>

#include "core/routine.h"
#include "core/voice.h"
#include "routine/diag.h"

struct routine_load_options {
	/* When set, the routine's voice profile must load from
	 * <voices_dir>/<voice>.yaml; its problems are reported too (under
	 * the profile's own file name). NULL: the voice is only checked to
	 * be a well-formed profile name. */
	const char *voices_dir;
	/* Looked in before voices_dir when set: the card's voices folder
	 * (<boot>/repcue/voices), where a person copies a profile. */
	const char *card_voices_dir;
};

/* The file of voice profile `name`: <card_voices_dir>/<name>.yaml when
 * that file exists, else <voices_dir>/<name>.yaml. 0, or -ENAMETOOLONG
 * (out then ""). */
int voice_profile_path(const struct routine_load_options *opts, const char *name, char *out,
		       size_t size);

/* Reads and validates a routine file. diags is emptied first. Returns 0 if
 * the file is valid (out filled, diags empty), -EINVAL if it has problems
 * (all of them in diags, up to DIAG_MAX; out undefined), or another
 * negative errno if it could not be read (one whole-file diag, line 0,
 * e.g. "cannot open: No such file or directory"). */
int routine_load(const char *path, struct routine *out,
		 struct diag_list *diags);

/* routine_load() with options; opts may be NULL. */
int routine_load_with(const char *path, const struct routine_load_options *opts,
		      struct routine *out, struct diag_list *diags);

/* Validates a routine held in memory, buf[0..len); name is what diags call
 * the file. Returns 0 or -EINVAL (or -ENOMEM) as routine_load(). */
int routine_parse(const char *name, const char *buf, size_t len,
		  struct routine *out, struct diag_list *diags);

/* Reads and validates a voice profile; same contract as routine_load(). The
 * profile's name must match the file name (voices/coach.yaml: coach). */
int voice_profile_load(const char *path, struct voice_profile *out,
		       struct diag_list *diags);

/* voice_profile_load() from memory, without the file name check. */
int voice_profile_parse(const char *name, const char *buf, size_t len,
			struct voice_profile *out, struct diag_list *diags);

/* void diag_print(FILE *f, const struct diag *d) comes from diag.h. */

#endif
