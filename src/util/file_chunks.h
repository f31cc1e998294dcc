/* file_chunks.h - read a whole file in chunks, handing each to a function:
 * the one read loop (open, read again on EINTR, close) of the file
 * fingerprints, routine_file_hash (history) and music_file_hash (music). */
#ifndef REPCUE_UTIL_FILE_CHUNKS_H
#define REPCUE_UTIL_FILE_CHUNKS_H

#include <stddef.h>

/* The largest chunk file_read_chunks hands over. */
#define FILE_CHUNK_MAX 65536

/* Called with each chunk in order (n > 0 bytes, borrowed for the call):
 * 0 to go on, > 0 to stop reading (enough), < 0 an error to return. */
typedef int file_chunk_fn(void *ctx, const unsigned char *chunk, size_t n);

/* Reads path from the start in chunks of at most chunk_size bytes (at
 * most FILE_CHUNK_MAX) until its end or until fn stops. Returns 0, the
 * negative return of fn, or -errno (open, read). */
int file_read_chunks(const char *path, size_t chunk_size, file_chunk_fn *fn, void *ctx);

#endif
