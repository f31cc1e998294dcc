#include "speech/cue_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bump when what a cached line holds changes (3: pause starts are cut points). */
#define MAGIC "repcue-cue-3\n"

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

static int mkdir_parents(const char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

void cue_cache_default_dir(char *buf, size_t size)
{
	const char *v;

	if ((v = getenv("REPCUE_CACHE_DIR")) && v[0])
		snprintf(buf, size, "%s", v);
	else if ((v = getenv("CACHE_DIRECTORY")) && v[0])
		snprintf(buf, size, "%s", v);
	else if ((v = getenv("XDG_CACHE_HOME")) && v[0])
		snprintf(buf, size, "%s/repcue", v);
	else if ((v = getenv("HOME")) && v[0])
		snprintf(buf, size, "%s/.cache/repcue", v);
	else
		snprintf(buf, size, "/var/cache/repcue");
}

int cue_cache_open(struct cue_cache *cache, const char *dir,
		   const struct voice_profile *v, const char *engine_version)
{
	memset(cache, 0, sizeof(*cache));
	if (strlen(dir) >= sizeof(cache->dir) - 32)
		return -ENAMETOOLONG;
	snprintf(cache->dir, sizeof(cache->dir), "%s", dir);
	snprintf(cache->voice_key, sizeof(cache->voice_key), "%s|%s|%s|%d|%d|%d|%d|%d",
		 engine_version, v->language, v->variant, v->rate_wpm, v->pitch, v->range,
		 v->volume, v->word_gap_ms);
	int ret = mkdir_parents(dir);
	if (ret == 0 && access(dir, W_OK) < 0)
		ret = -errno;
	return ret;
}

static void path_for(const struct cue_cache *cache, const char *text, char *buf, size_t size)
{
	uint64_t h = fnv1a(fnv1a(0xcbf29ce484222325ULL, cache->voice_key), "\n");
	snprintf(buf, size, "%s/%016" PRIx64 ".cue", cache->dir, fnv1a(h, text));
}

/* File layout: MAGIC, voice key line, text line, then binary: frames
 * (int64), n_words (int32), word starts (int64 each), samples (int16). */
int cue_cache_load(struct cue_cache *cache, const char *text, struct cue_line *out)
{
	char path[600], line[1024];
	int64_t frames;
	int32_t n_words;
	int ret = -ENOENT;

	memset(out, 0, sizeof(*out));
	path_for(cache, text, path, sizeof(path));
	FILE *f = fopen(path, "rb");
	if (!f)
		return -ENOENT;
	if (!fgets(line, sizeof(line), f) || strcmp(line, MAGIC) != 0)
		goto out;
	if (!fgets(line, sizeof(line), f) || strncmp(line, cache->voice_key, strlen(cache->voice_key)) != 0 ||
	    line[strlen(cache->voice_key)] != '\n')
		goto out;
	if (!fgets(line, sizeof(line), f) || strncmp(line, text, strlen(text)) != 0 || line[strlen(text)] != '\n')
		goto out;
	if (fread(&frames, sizeof(frames), 1, f) != 1 || fread(&n_words, sizeof(n_words), 1, f) != 1 ||
	    frames <= 0 || frames > frames_from_s(120) || n_words < 0 || n_words > CUE_WORDS_MAX)
		goto out;
	out->n_words = n_words;
	for (int i = 0; i < n_words; i++) {
		int64_t w;
		if (fread(&w, sizeof(w), 1, f) != 1 || w < 0 || w > frames)
			goto out;
		out->word_starts[i] = w;
	}
	out->samples = malloc((size_t)frames * sizeof(int16_t));
	if (!out->samples) {
		ret = -ENOMEM;
		goto out;
	}
	if (fread(out->samples, sizeof(int16_t), (size_t)frames, f) != (size_t)frames) {
		free(out->samples);
		out->samples = NULL;
		goto out;
	}
	out->frames = frames;
	ret = 0;
out:
	fclose(f);
	if (ret < 0)
		out->n_words = 0;
	return ret;
}

int cue_cache_store(struct cue_cache *cache, const char *text, const struct cue_line *line)
{
	char path[600], tmp[640];
	int64_t frames = line->frames;
	int32_t n_words = line->n_words;
	int ret = 0;

	path_for(cache, text, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		ret = -errno;
		goto fail;
	}
	fprintf(f, "%s%s\n%s\n", MAGIC, cache->voice_key, text);
	fwrite(&frames, sizeof(frames), 1, f);
	fwrite(&n_words, sizeof(n_words), 1, f);
	for (int i = 0; i < n_words; i++) {
		int64_t w = line->word_starts[i];
		fwrite(&w, sizeof(w), 1, f);
	}
	fwrite(line->samples, sizeof(int16_t), (size_t)frames, f);
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret < 0)
		unlink(tmp);
	if (ret == 0)
		return 0;
fail:
	cache->write_errors++;
	cache->last_errno = -ret;
	return ret;
}
