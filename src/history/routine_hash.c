/* routine_hash.c - a fingerprint of a routine file's content, so resume
 * can tell whether the file changed since a session stopped. The only
 * file that includes zlib.h.
 *
 * Why zlib's crc32 (Debian zlib1g-dev): a well-kept library already on
 * every Debian system; the fingerprint only has to notice an edit, not
 * resist an attacker, and crc32 plus the length does that for files of a
 * few kilobytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <zlib.h>

#include "history/history.h"

#define HASH_FILE_MAX (1 << 20) /* routine files are a few KB; the loader caps them */

int routine_file_hash(const char *path, char *out, size_t size)
{
	unsigned char buf[8192];
	uLong crc = crc32(0L, Z_NULL, 0);
	long long length = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int err = -errno;
			close(fd);
			return err;
		}
		crc = crc32(crc, buf, (uInt)n);
		length += n;
		if (length > HASH_FILE_MAX)
			break;
	}
	close(fd);
	snprintf(out, size, "%08lx-%lld", (unsigned long)crc, length);
	return 0;
}
