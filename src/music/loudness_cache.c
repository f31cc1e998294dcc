#include "music/loudness_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file_chunks.h"
#include "util/out_file.h"

#define MAGIC "repcue-music-loudness 1"

/* FNV-1a, 64 bits, over the bytes and then the length. */
struct fnv {
	uint64_t h;
	uint64_t size;
};

static int add_chunk(void *ctx, const unsigned char *chunk, size_t n)
{
	struct fnv *f = ctx;

	for (size_t i = 0; i < n; i++) {
		f->h ^= chunk[i];
		f->h *= 1099511628211ull;
	}
	f->size += (uint64_t)n;
	return 0;
}

int music_file_hash(const char *path, uint64_t *hash)
{
	struct fnv f = { 1469598103934665603ull, 0 };
	int r = file_read_chunks(path, FILE_CHUNK_MAX, add_chunk, &f);

	if (r < 0)
		return r;
	for (int i = 0; i < 8; i++) {
		f.h ^= (f.size >> (8 * i)) & 0xff;
		f.h *= 1099511628211ull;
	}
	*hash = f.h;
	return 0;
}

static void entry_path(char *buf, size_t size, const char *dir, uint64_t hash)
{
	snprintf(buf, size, "%s/%016" PRIx64 ".loudness", dir, hash);
}

bool music_loudness_load(const char *dir, uint64_t hash, double *lufs, double *peak)
{
	char path[1024], line[128];
	bool ok = false;

	entry_path(path, sizeof(path), dir, hash);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(line, sizeof(line), f) && strncmp(line, MAGIC "\n", sizeof(MAGIC)) == 0 &&
	    fgets(line, sizeof(line), f)) {
		double l, p;
		/* "-inf" is a silent track */
		if (sscanf(line, "%lf %lf", &l, &p) == 2 && !isnan(l) && isfinite(p) && p >= 0.0) {
			*lufs = l;
			*peak = p;
			ok = true;
		}
	}
	fclose(f);
	return ok;
}

int music_loudness_store(const char *dir, uint64_t hash, double lufs, double peak)
{
	char path[1024], msg[256], text[128];
	struct out_file f;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	entry_path(path, sizeof(path), dir, hash);
	int r = out_file_open(&f, path, msg, sizeof(msg));
	if (r < 0)
		return r;
	int n = snprintf(text, sizeof(text), MAGIC "\n%.17g %.17g\n", lufs, peak);
	for (int off = 0; off < n;) {
		ssize_t w = write(f.fd, text + off, (size_t)(n - off));
		if (w < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			out_file_abandon(&f);
			return r;
		}
		off += (int)w;
	}
	return out_file_commit(&f, msg, sizeof(msg));
}
