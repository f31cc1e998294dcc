/* cue_cache.h - synthesized lines kept on disk, so the second start of a
 * routine speaks at once and lines dropped from memory come back cheaply.
 *
 * One file per line, named by a 64-bit hash of (engine version, voice
 * profile, text); the file repeats the text, so a hash collision is a miss,
 * not a wrong line. Files are written to a temporary name and renamed, so
 * a full disk or a crash leaves no half line behind. Cache failures are
 * never fatal: the line is synthesized again. */
#ifndef REPCUE_SPEECH_CUE_CACHE_H
#define REPCUE_SPEECH_CUE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/time.h"
#include "core/voice.h"

#define CUE_WORDS_MAX 128

/* A line as kept in memory and on disk: 16-bit mono at SESSION_RATE_HZ. */
struct cue_line {
	int16_t *samples;          /* owned; free() */
	frames_t frames;
	frames_t word_starts[CUE_WORDS_MAX];
	int n_words;
};

struct cue_cache {
	char dir[512];
	char voice_key[512];       /* engine version + every voice field */
	int write_errors;          /* writes that failed (full disk...) */
	int last_errno;
};

/* Uses `dir` (created if missing, with parents). Returns 0 or -errno
 * (the caller then runs without a disk cache). */
int cue_cache_open(struct cue_cache *cache, const char *dir,
		   const struct voice_profile *voice, const char *engine_version);

/* The default directory: $REPCUE_CACHE_DIR, $CACHE_DIRECTORY (systemd's
 * CacheDirectory=), $XDG_CACHE_HOME/repcue, or ~/.cache/repcue. */
void cue_cache_default_dir(char *buf, size_t size);

/* Loads `text` into *out. Returns 0, -ENOENT on a miss (or a damaged
 * file), or another -errno. */
int cue_cache_load(struct cue_cache *cache, const char *text, struct cue_line *out);

/* Stores a line. Returns 0 or -errno (also counted in write_errors). */
int cue_cache_store(struct cue_cache *cache, const char *text, const struct cue_line *line);

#endif
