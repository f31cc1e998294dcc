/* file_chunks.c - a whole file in chunks; see file_chunks.h. */
#include "util/file_chunks.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int file_read_chunks(const char *path, size_t chunk_size, file_chunk_fn *fn, void *ctx)
{
	unsigned char buf[FILE_CHUNK_MAX];
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	if (chunk_size == 0 || chunk_size > sizeof(buf))
		chunk_size = sizeof(buf);
	while (r == 0) {
		ssize_t n = read(fd, buf, chunk_size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : 0;
			break;
		}
		r = fn(ctx, buf, (size_t)n);
	}
	close(fd);
	return r < 0 ? r : 0;
}
