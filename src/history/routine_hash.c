/* routine_hash.c - a fingerprint of a routine file's content, so resume
 * can tell whether the file changed since a session stopped. The only
 * file that includes zlib.h.
 *
 * Why zlib's crc32 (Debian zlib1g-dev): a well-kept library already on
 * every Debian system; the fingerprint only has to notice an edit, not
 * resist an attacker, and crc32 plus the length does that for files of a
 * few kilobytes. */
#include <stdio.h>
#include <zlib.h>

#include "history/history.h"
#include "util/file_chunks.h"

#define HASH_FILE_MAX (1 << 20) /* routine files are a few KB; the loader caps them */
#define HASH_CHUNK 8192

struct crc_length {
	uLong crc;
	long long length;
};

static int add_chunk(void *ctx, const unsigned char *chunk, size_t n)
{
	struct crc_length *h = ctx;

	h->crc = crc32(h->crc, chunk, (uInt)n);
	h->length += (long long)n;
	return h->length > HASH_FILE_MAX; /* enough to notice an edit */
}

int routine_file_hash(const char *path, char *out, size_t size)
{
	struct crc_length h = { crc32(0L, Z_NULL, 0), 0 };
	int r = file_read_chunks(path, HASH_CHUNK, add_chunk, &h);

	if (r < 0)
		return r;
	snprintf(out, size, "%08lx-%lld", (unsigned long)h.crc, h.length);
	return 0;
}
