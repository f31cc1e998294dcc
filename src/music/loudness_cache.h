/* loudness_cache.h - each track's loudness, measured once: one small file
 * per track in the cache folder, named by a 64-bit hash of the track's
 * bytes (as the speech cache names lines by a hash of what makes them), so
 * a renamed file is still known and an edited one is measured again. */
#ifndef REPCUE_MUSIC_LOUDNESS_CACHE_H
#define REPCUE_MUSIC_LOUDNESS_CACHE_H

#include <stdbool.h>
#include <stdint.h>

/* FNV-1a 64 of the file's bytes and its size. 0 or -errno. */
int music_file_hash(const char *path, uint64_t *hash);

/* true and the figures if dir holds them for hash. */
bool music_loudness_load(const char *dir, uint64_t hash, double *lufs, double *peak);

/* Writes them (util/out_file: whole or not at all). 0 or -errno; the
 * caller goes on without (it measures again next time). */
int music_loudness_store(const char *dir, uint64_t hash, double lufs, double peak);

#endif
