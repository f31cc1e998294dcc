/* line_cache.h - synthesized lines kept on disk, so the second start of a
 * routine speaks at once and lines dropped from memory come back cheaply.
 *
 * One file per line, named by a 64-bit hash of (engine version, voice
 * profile, text); the file repeats the text, so a hash collision is a miss,
 * not a wrong line. Every file ends with a CRC-32 (zlib's: a well-kept
 * library already on every Debian system; a checksum against damage, not
 * an attacker) of all its bytes, checked on load: a damaged entry is a
 * miss and is removed, so the line is made again and rewritten.
 *
 * Files are written to a locked temporary (cleanup_mktemp), fsync'd, renamed, and
 * the directory fsync'd, so a full disk, a crash or a power cut leaves no
 * half line; temporaries of dead processes are swept at open, and a signal
 * removes the one being written (util/cleanup.h).
 *
 * The cache is bounded: at open and whenever a store takes it over
 * max_bytes, the least recently used entries (a load refreshes an entry's
 * mtime) are removed until it holds 90% of max_bytes. Cache failures are
 * never fatal: the line is synthesized again. */
#ifndef REPCUE_SPEECH_LINE_CACHE_H
#define REPCUE_SPEECH_LINE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/time.h"
#include "core/voice.h"

#define LINE_WORDS_MAX 128

/* A line as kept in memory and on disk: 16-bit mono at SESSION_RATE_HZ. */
struct stored_line {
	int16_t *samples;          /* owned; free() */
	frames_t frames;
	frames_t word_starts[LINE_WORDS_MAX];
	int n_words;
};

/* 256 MB: about 45 minutes of speech, a small share of an SD card. */
#define LINE_CACHE_DEFAULT_MAX_MB 256 /* = ENV_CACHE_DEFAULT_MAX_MB */

struct line_cache {
	char dir[512];
	char voice_key[512];       /* engine version + every voice field */
	int dir_fd;                /* owned: dir, for fsync and sweeps; -1 closed */
	bool temporary;            /* dir was made by line_cache_open_temp: removed at close */
	int cleanup_slot;          /* util/cleanup.h slot of a temporary dir, or -1 */
	uint64_t max_bytes;        /* bound on the *.cue files */
	uint64_t bytes;            /* their size now (as this process knows it) */
	int write_errors;          /* writes that failed (full disk...) */
	int last_errno;
	int damaged;               /* entries that failed their checksum (removed) */
	int evicted;               /* entries removed to stay under max_bytes */
};

/* Uses `dir` (created if missing, with parents), bounded to max_bytes
 * (0: LINE_CACHE_DEFAULT_MAX_MB; util/env.h reads $REPCUE_CACHE_MAX_MB). Sweeps temporaries of dead writers.
 * Returns 0 or -errno (the caller then runs without a disk cache). Release
 * with line_cache_close. */
int line_cache_open(struct line_cache *cache, const char *dir, uint64_t max_bytes,
		   const struct voice_profile *voice, const char *engine_version);

/* A cache for this process only: a new directory "repcue-cache-XXXXXX"
 * under tmp_dir (NULL or "": /tmp; util/env.h reads $TMPDIR), locked,
 * removed by line_cache_close or by a fatal signal; such directories of
 * dead processes are swept first. -ENAMETOOLONG if tmp_dir is too long. */
int line_cache_open_temp(struct line_cache *cache, const char *tmp_dir, const struct voice_profile *voice,
			const char *engine_version);

/* Closes; removes a temporary cache's directory. Accepts a zeroed cache. */
void line_cache_close(struct line_cache *cache);

/* Loads `text` into *out. Returns 0, -ENOENT on a miss (or a damaged
 * file, which is removed and counted in damaged), or another -errno. */
int line_cache_load(struct line_cache *cache, const char *text, struct stored_line *out);

/* Stores a line. Returns 0 or -errno (also counted in write_errors). */
int line_cache_store(struct line_cache *cache, const char *text, const struct stored_line *line);

#endif
