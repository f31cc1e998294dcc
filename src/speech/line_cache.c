#include "speech/line_cache.h"
#include "util/cleanup.h"
#include "util/out_file.h"
#include "util/path.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Bump when what a cached line holds changes (3: pause starts are cut
 * points; 4: a CRC-32 at the end). The on-disk names, "repcue-cue-N"
 * and "*.cue", predate the rename of the speech store from "cue" to
 * "line"; they stay, so that caches made by earlier versions stay valid. */
#define MAGIC_LINE "repcue-cue-4"
#define MAGIC MAGIC_LINE "\n"
/* The largest file a valid entry makes: text lines, header, words, samples, CRC. */
#define ENTRY_MAX (2048 + 12 + 8 * LINE_WORDS_MAX + 2 * (uint64_t)frames_from_s(120) + 4)

/* FNV-1a: small, fast and good enough to name files; collisions are
 * caught by comparing the stored text. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

/* "<hash>.cue.XXXXXX.tmp", and "<hash>.cue.<pid>.tmp" of older versions */
static bool is_cache_tmp(const char *name, void *ctx)
{
	(void)ctx;
	return strstr(name, ".cue.") && ends_with(name, ".tmp");
}

struct entry {
	char name[32];
	struct timespec mtime;
	uint64_t size;
};

static int older_first(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Counts the entries; when over max_bytes (or `force`), removes the least
 * recently used down to 90% of it. Best effort. */
static void evict(struct line_cache *cache, bool force)
{
	int copy = fcntl(cache->dir_fd, F_DUPFD_CLOEXEC, 0);
	DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
	struct entry *entries = NULL;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	struct dirent *e;

	if (!d) {
		if (copy >= 0)
			close(copy);
		return;
	}
	rewinddir(d); /* the copy shares the offset of earlier reads */
	while ((e = readdir(d))) {
		struct stat st;
		if (!ends_with(e->d_name, ".cue") || strlen(e->d_name) >= sizeof(entries->name) ||
		    fstatat(cache->dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct entry *m = realloc(entries, ncap * sizeof(*m));
			if (!m)
				break;
			entries = m;
			cap = ncap;
		}
		memcpy(entries[n].name, e->d_name, strlen(e->d_name) + 1);
		entries[n].mtime = st.st_mtim;
		entries[n].size = (uint64_t)st.st_size;
		total += entries[n].size;
		n++;
	}
	closedir(d);
	cache->bytes = total;
	if (total > cache->max_bytes || force) {
		uint64_t goal = cache->max_bytes / 10 * 9;
		qsort(entries, n, sizeof(*entries), older_first);
		for (size_t i = 0; i < n && cache->bytes > goal; i++) {
			if (unlinkat(cache->dir_fd, entries[i].name, 0) == 0) {
				cache->bytes -= entries[i].size;
				cache->evicted++;
			}
		}
	}
	free(entries);
}

static void set_voice_key(struct line_cache *cache, const struct voice_profile *v, const char *engine_version)
{
	snprintf(cache->voice_key, sizeof(cache->voice_key), "%s|%s|%s|%d|%d|%d|%d|%d",
		 engine_version, v->language, v->variant, v->rate_wpm, v->pitch, v->range,
		 v->volume, v->word_gap_ms);
}

static void init(struct line_cache *cache)
{
	memset(cache, 0, sizeof(*cache));
	cache->dir_fd = -1;
	cache->cleanup_slot = -1;
	cache->max_bytes = (uint64_t)LINE_CACHE_DEFAULT_MAX_MB << 20;
}

int line_cache_open(struct line_cache *cache, const char *dir, uint64_t max_bytes,
		   const struct voice_profile *v, const char *engine_version)
{
	init(cache);
	if (max_bytes)
		cache->max_bytes = max_bytes;
	/* room for an entry's name after it */
	if (strlen(dir) >= sizeof(cache->dir) - 32)
		return -ENAMETOOLONG;
	snprintf(cache->dir, sizeof(cache->dir), "%s", dir);
	set_voice_key(cache, v, engine_version);
	int ret = mkdir_p(dir, 0755);
	if (ret == 0 && access(dir, W_OK) < 0)
		ret = -errno;
	if (ret == 0) {
		cache->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cache->dir_fd < 0)
			ret = -errno;
	}
	if (ret < 0)
		return ret;
	tmp_sweep(cache->dir_fd, is_cache_tmp, NULL, false);
	evict(cache, false);
	return 0;
}

static bool is_temp_cache(const char *name, void *ctx)
{
	(void)ctx;
	return strncmp(name, "repcue-cache-", 13) == 0 && strlen(name) == 19;
}

int line_cache_open_temp(struct line_cache *cache, const char *tmp, const struct voice_profile *v,
			const char *engine_version)
{
	char dir[sizeof(cache->dir)];
	int r;

	init(cache);
	if (!tmp || !tmp[0])
		tmp = "/tmp";
	int parent = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent >= 0) {
		tmp_sweep(parent, is_temp_cache, NULL, true);
		close(parent);
	}
	if (path_format(dir, sizeof(dir) - 32, "%s/repcue-cache-XXXXXX", tmp) < 0)
		return -ENAMETOOLONG;
	cache->dir_fd = cleanup_mktemp(dir, 0, CLEANUP_TMP_DIR, &cache->cleanup_slot);
	if (cache->dir_fd < 0) {
		r = cache->dir_fd;
		init(cache);
		return r;
	}
	snprintf(cache->dir, sizeof(cache->dir), "%s", dir);
	set_voice_key(cache, v, engine_version);
	cache->temporary = true;
	return 0;
}

void line_cache_close(struct line_cache *cache)
{
	if (cache->dir_fd < 0 && !cache->temporary)
		return;
	if (cache->temporary) {
		int copy = fcntl(cache->dir_fd, F_DUPFD_CLOEXEC, 0);
		DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
		struct dirent *e;
		if (d) {
			rewinddir(d);
			while ((e = readdir(d)))
				if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
					unlinkat(cache->dir_fd, e->d_name, 0);
			closedir(d);
		} else if (copy >= 0) {
			close(copy);
		}
		rmdir(cache->dir);
		cleanup_forget(cache->cleanup_slot);
	}
	if (cache->dir_fd >= 0)
		close(cache->dir_fd);
	cache->dir_fd = -1;
	cache->temporary = false;
	cache->cleanup_slot = -1;
}

static void name_for(const struct line_cache *cache, const char *text, char *buf, size_t size)
{
	uint64_t h = fnv1a(fnv1a(0xcbf29ce484222325ULL, cache->voice_key), "\n");
	snprintf(buf, size, "%016" PRIx64 ".cue", fnv1a(h, text));
}

/* A reader over a loaded file. */
struct cursor {
	const unsigned char *p, *end;
};

static bool take(struct cursor *c, void *out, size_t n)
{
	if ((size_t)(c->end - c->p) < n)
		return false;
	memcpy(out, c->p, n);
	c->p += n;
	return true;
}

/* The line `want` followed by '\n'. */
static bool take_line(struct cursor *c, const char *want)
{
	size_t n = strlen(want);

	if ((size_t)(c->end - c->p) < n + 1 || memcmp(c->p, want, n) != 0 || c->p[n] != '\n')
		return false;
	c->p += n + 1;
	return true;
}

static int read_all(int fd, unsigned char *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t r = read(fd, buf + done, size - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		done += (size_t)r;
	}
	return 0;
}

/* File layout: MAGIC, voice key line, text line, then binary: frames
 * (int64), n_words (int32), word starts (int64 each), samples (int16),
 * then the CRC-32 (uint32) of every byte before it. Host byte order: a
 * cache is not moved between machines (and a foreign one fails its CRC
 * or its bounds, and is made again). */
int line_cache_load(struct line_cache *cache, const char *text, struct stored_line *out)
{
	char name[64];
	unsigned char *buf = NULL;
	struct cursor c;
	struct stat st;
	int64_t frames;
	int32_t n_words;
	uint32_t crc;
	int ret = -ENOENT;
	bool damaged = false;

	memset(out, 0, sizeof(*out));
	if (cache->dir_fd < 0)
		return -ENOENT;
	name_for(cache, text, name, sizeof(name));
	int fd = openat(cache->dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(MAGIC) + 4 ||
	    (uint64_t)st.st_size > ENTRY_MAX) {
		damaged = S_ISREG(st.st_mode);
		goto out;
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	if (read_all(fd, buf, (size_t)st.st_size) < 0)
		goto out;
	c = (struct cursor){ buf, buf + st.st_size - 4 };
	memcpy(&crc, c.end, 4);
	if (crc32(crc32(0L, Z_NULL, 0), buf, (uInt)(st.st_size - 4)) != crc) {
		damaged = true;
		goto out;
	}
	/* a different version or voice: not ours to judge, a miss */
	if (!take_line(&c, MAGIC_LINE) || !take_line(&c, cache->voice_key) || !take_line(&c, text))
		goto out;
	damaged = true; /* from here on a valid CRC over invalid contents */
	if (!take(&c, &frames, sizeof(frames)) || !take(&c, &n_words, sizeof(n_words)) ||
	    frames <= 0 || frames > frames_from_s(120) || n_words < 0 || n_words > LINE_WORDS_MAX)
		goto out;
	out->n_words = n_words;
	for (int i = 0; i < n_words; i++) {
		int64_t w;
		if (!take(&c, &w, sizeof(w)) || w < 0 || w > frames)
			goto out;
		out->word_starts[i] = w;
	}
	if ((size_t)(c.end - c.p) != (size_t)frames * sizeof(int16_t))
		goto out;
	out->samples = malloc((size_t)frames * sizeof(int16_t));
	if (!out->samples) {
		ret = -ENOMEM;
		damaged = false;
		goto out;
	}
	memcpy(out->samples, c.p, (size_t)frames * sizeof(int16_t));
	out->frames = frames;
	ret = 0;
	damaged = false;
	/* used now: the last to be evicted */
	futimens(fd, NULL);
out:
	free(buf);
	close(fd);
	if (damaged) {
		unlinkat(cache->dir_fd, name, 0);
		cache->damaged++;
	}
	if (ret < 0)
		out->n_words = 0;
	return ret;
}

struct writer {
	int fd;
	uLong crc;
	int error;
};

static void put(struct writer *w, const void *data, size_t n)
{
	const unsigned char *p = data;

	w->crc = crc32(w->crc, p, (uInt)n);
	while (n > 0 && !w->error) {
		ssize_t r = write(w->fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			w->error = r < 0 ? errno : EIO;
			break;
		}
		p += r;
		n -= (size_t)r;
	}
}

int line_cache_store(struct line_cache *cache, const char *text, const struct stored_line *line)
{
	char name[64], tmp[96];
	int64_t frames = line->frames;
	int32_t n_words = line->n_words;
	int ret = 0, slot = -1;
	struct writer w = { .fd = -1 };

	if (cache->dir_fd < 0)
		return -EBADF;
	if (strlen(cache->voice_key) + strlen(text) + sizeof(MAGIC) > 2048 || frames <= 0 ||
	    frames > frames_from_s(120))
		return -EINVAL;
	name_for(cache, text, name, sizeof(name));
	char full[700];
	snprintf(full, sizeof(full), "%s/%s.XXXXXX.tmp", cache->dir, name);
	w.fd = cleanup_mktemp(full, 4, 0, &slot);
	if (w.fd < 0) {
		ret = w.fd;
		goto fail;
	}
	snprintf(tmp, sizeof(tmp), "%s", full + strlen(cache->dir) + 1);
	fchmod(w.fd, 0644);
	w.crc = crc32(0L, Z_NULL, 0);
	put(&w, MAGIC, strlen(MAGIC));
	put(&w, cache->voice_key, strlen(cache->voice_key));
	put(&w, "\n", 1);
	put(&w, text, strlen(text));
	put(&w, "\n", 1);
	put(&w, &frames, sizeof(frames));
	put(&w, &n_words, sizeof(n_words));
	for (int i = 0; i < n_words; i++) {
		int64_t ws = line->word_starts[i];
		put(&w, &ws, sizeof(ws));
	}
	put(&w, line->samples, (size_t)frames * sizeof(int16_t));
	uint32_t crc = (uint32_t)w.crc;
	put(&w, &crc, sizeof(crc));
	ret = -w.error;
	/* on the disk before it has the name: a power cut never leaves a
	 * named entry with unwritten blocks */
	if (ret == 0 && fsync(w.fd) < 0)
		ret = -errno;
	if (close(w.fd) < 0 && ret == 0)
		ret = -errno;
	if (ret == 0 && renameat(cache->dir_fd, tmp, cache->dir_fd, name) < 0)
		ret = -errno;
	if (ret < 0)
		unlinkat(cache->dir_fd, tmp, 0);
	cleanup_forget(slot);
	if (ret < 0)
		goto fail;
	fsync(cache->dir_fd); /* the rename itself */
	cache->bytes += strlen(MAGIC) + strlen(cache->voice_key) + strlen(text) + 2 + 12 +
			8 * (uint64_t)n_words + 2 * (uint64_t)frames + 4;
	if (cache->bytes > cache->max_bytes)
		evict(cache, false);
	return 0;
fail:
	cache->write_errors++;
	cache->last_errno = -ret;
	return ret;
}
