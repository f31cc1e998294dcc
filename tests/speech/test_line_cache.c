/* test_line_cache - the on-disk cache of synthesized lines against damage,
 * growth and dead writers, through its real file I/O in a scratch
 * directory:
 *   - a line comes back exactly as stored;
 *   - a flipped sample byte, a flipped checksum or a cut file is a miss,
 *     the damaged entry is removed, and a new store makes it whole;
 *   - the size bound removes the least recently used entries first (a
 *     load counts as a use) and holds the total under the bound;
 *   - temporaries no live process holds (flock) are swept at open, held
 *     ones are kept; likewise temporary cache directories;
 *   - the bound given at open holds (util/env.h reads REPCUE_CACHE_MAX_MB;
 *     tests/util/test_env.c checks how).
 * Usage: test_line_cache WORKDIR (emptied first). */
#include "speech/line_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/harness.h"

static const struct voice_profile voice = {
	.language = "en", .variant = "m3", .rate_wpm = 160, .pitch = 50, .range = 50, .volume = 100,
};

static struct stored_line make_line(frames_t frames, int seed)
{
	struct stored_line l = { .frames = frames, .n_words = 3 };

	l.samples = malloc((size_t)frames * sizeof(int16_t));
	for (frames_t i = 0; i < frames; i++)
		l.samples[i] = (int16_t)((i * 31 + seed * 977) % 20000 - 10000);
	l.word_starts[0] = 0;
	l.word_starts[1] = frames / 3;
	l.word_starts[2] = frames / 2;
	return l;
}

static int same(const struct stored_line *a, const struct stored_line *b)
{
	return a->frames == b->frames && a->n_words == b->n_words &&
	       memcmp(a->word_starts, b->word_starts, sizeof(a->word_starts[0]) * (size_t)a->n_words) == 0 &&
	       memcmp(a->samples, b->samples, (size_t)a->frames * sizeof(int16_t)) == 0;
}

static void rm_rf(const char *dir)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot empty %s\n", dir);
}

/* The one *.cue file in dir (the newest by name order is fine: tests
 * that call this hold one entry). */
static int entry_path(const char *dir, char *buf, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".cue") == 0) {
			snprintf(buf, size, "%s/%s", dir, e->d_name);
			n++;
		}
	}
	if (d)
		closedir(d);
	return n;
}

static int count_suffix(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name), s = strlen(suffix);
		n += len > s && strcmp(e->d_name + len - s, suffix) == 0;
	}
	if (d)
		closedir(d);
	return n;
}

static void flip_byte(const char *path, long from_end)
{
	int fd = open(path, O_RDWR);
	struct stat st;
	unsigned char b;

	if (fd < 0 || fstat(fd, &st) < 0 || pread(fd, &b, 1, st.st_size - from_end) != 1) {
		fprintf(stderr, "cannot damage %s\n", path);
		exit(1);
	}
	b ^= 0x5a;
	if (pwrite(fd, &b, 1, st.st_size - from_end) != 1)
		exit(1);
	close(fd);
}

static void damage(const char *dir)
{
	char c_dir[600], path[900];
	struct line_cache c;
	struct stored_line line = make_line(24000, 1), back;

	snprintf(c_dir, sizeof(c_dir), "%s/damage", dir);
	CHECK(line_cache_open(&c, c_dir, 0, &voice, "test-1") == 0, "open");
	CHECK(line_cache_store(&c, "Squeeze.", &line) == 0, "store: %s", strerror(c.last_errno));
	CHECK(line_cache_load(&c, "Squeeze.", &back) == 0 && same(&line, &back), "round trip");
	free(back.samples);
	CHECK(line_cache_load(&c, "Other.", &back) == -ENOENT, "a miss");

	/* one sample in the middle: before issue 11 this played as noise */
	CHECK(entry_path(c_dir, path, sizeof(path)) == 1, "one entry");
	flip_byte(path, 24000);
	CHECK(line_cache_load(&c, "Squeeze.", &back) == -ENOENT, "a damaged sample is a miss");
	CHECK(back.samples == NULL, "and gives no samples");
	CHECK(c.damaged == 1, "counted (%d)", c.damaged);
	CHECK(access(path, F_OK) < 0, "and the entry is removed");
	CHECK(line_cache_store(&c, "Squeeze.", &line) == 0, "made again");
	CHECK(line_cache_load(&c, "Squeeze.", &back) == 0 && same(&line, &back), "and whole again");
	free(back.samples);

	/* the checksum itself */
	flip_byte(path, 2);
	CHECK(line_cache_load(&c, "Squeeze.", &back) == -ENOENT, "a damaged checksum is a miss");
	CHECK(line_cache_store(&c, "Squeeze.", &line) == 0, "made again");

	/* a cut file */
	CHECK(truncate(path, 1000) == 0, "truncate");
	CHECK(line_cache_load(&c, "Squeeze.", &back) == -ENOENT, "a cut file is a miss");
	CHECK(c.damaged == 3, "three damaged entries (%d)", c.damaged);
	CHECK(count_suffix(c_dir, ".tmp") == 0, "no temporaries after stores");
	line_cache_close(&c);
	free(line.samples);
}

static void bound(const char *dir)
{
	char c_dir[600], path[900];
	struct line_cache c;
	struct stored_line line = make_line(20000, 2), back;  /* about 40 KB a file */
	char text[32];

	snprintf(c_dir, sizeof(c_dir), "%s/bound", dir);
	CHECK(line_cache_open(&c, c_dir, 0, &voice, "test-1") == 0, "open");
	c.max_bytes = 200000;
	/* entries 0..3, with mtimes a second apart, far in the past */
	for (int i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "line %d", i);
		CHECK(line_cache_store(&c, text, &line) == 0, "store %d", i);
		DIR *d = opendir(c_dir);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			struct stat st;
			snprintf(path, sizeof(path), "%s/%s", c_dir, e->d_name);
			if (strstr(e->d_name, ".cue") && stat(path, &st) == 0 && st.st_mtime > 2000000) {
				struct timespec t[2] = { { 1000000 + i, 0 }, { 1000000 + i, 0 } };
				utimensat(AT_FDCWD, path, t, 0);
			}
		}
		if (d)
			closedir(d);
	}
	/* a use makes line 0 the most recent */
	CHECK(line_cache_load(&c, "line 0", &back) == 0, "load line 0");
	free(back.samples);
	/* two more go over 200 KB: the least recently used go first */
	for (int i = 4; i < 6; i++) {
		snprintf(text, sizeof(text), "line %d", i);
		CHECK(line_cache_store(&c, text, &line) == 0, "store %d", i);
	}
	CHECK(c.bytes <= c.max_bytes, "under the bound: %llu of %llu bytes", (unsigned long long)c.bytes,
	      (unsigned long long)c.max_bytes);
	CHECK(c.evicted >= 1, "something evicted (%d)", c.evicted);
	CHECK(line_cache_load(&c, "line 1", &back) == -ENOENT, "the least recently used went first");
	CHECK(line_cache_load(&c, "line 0", &back) == 0, "the recently used one stays");
	free(back.samples);
	CHECK(line_cache_load(&c, "line 5", &back) == 0, "the newest stays");
	free(back.samples);
	line_cache_close(&c);

	/* at open: the bound given, else the default */
	CHECK(line_cache_open(&c, c_dir, 1 << 20, &voice, "test-1") == 0 && c.max_bytes == 1 << 20,
	      "reopen with 1 MB");
	line_cache_close(&c);
	CHECK(line_cache_open(&c, c_dir, 0, &voice, "test-1") == 0 &&
	      c.max_bytes == (uint64_t)LINE_CACHE_DEFAULT_MAX_MB << 20, "reopen with the default");
	c.max_bytes = 100000;
	line_cache_close(&c);
	free(line.samples);
}

static int hold(const char *path, bool dir)
{
	int fd = dir ? (mkdir(path, 0700), open(path, O_RDONLY | O_DIRECTORY))
		     : open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		fprintf(stderr, "cannot hold %s\n", path);
		exit(1);
	}
	return fd;
}

static void sweep(const char *dir)
{
	char c_dir[600], dead[2000], live[900], old[900], tmp_dir[600], stale[900], held[900];
	struct line_cache c;

	snprintf(c_dir, sizeof(c_dir), "%s/sweep", dir);
	mkdir(c_dir, 0755);
	snprintf(dead, sizeof(dead), "%s/0123456789abcdef.cue.Xy12Zq.tmp", c_dir);
	snprintf(old, sizeof(old), "%s/0123456789abcdef.cue.4242.tmp", c_dir);   /* before issue 11 */
	snprintf(live, sizeof(live), "%s/fedcba9876543210.cue.AbCdEf.tmp", c_dir);
	close(open(dead, O_WRONLY | O_CREAT, 0644));
	close(open(old, O_WRONLY | O_CREAT, 0644));
	int fd = hold(live, false);
	CHECK(line_cache_open(&c, c_dir, 0, &voice, "test-1") == 0, "open");
	CHECK(access(dead, F_OK) < 0, "a dead writer's temporary is swept");
	CHECK(access(old, F_OK) < 0, "an old-style temporary is swept");
	CHECK(access(live, F_OK) == 0, "a live writer's temporary is kept");
	line_cache_close(&c);
	close(fd);

	/* temporary cache directories under TMPDIR */
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/tmp", dir);
	mkdir(tmp_dir, 0755);
	snprintf(stale, sizeof(stale), "%s/repcue-cache-Stale1", tmp_dir);
	mkdir(stale, 0700);
	snprintf(dead, sizeof(dead), "%s/x.cue", stale);
	close(open(dead, O_WRONLY | O_CREAT, 0644));
	snprintf(held, sizeof(held), "%s/repcue-cache-Held01", tmp_dir);
	fd = hold(held, true);
	CHECK(line_cache_open_temp(&c, tmp_dir, &voice, "test-1") == 0, "open a temporary cache");
	CHECK(access(stale, F_OK) < 0, "a dead process's temporary cache is swept");
	CHECK(access(held, F_OK) == 0, "a live one is kept");
	CHECK(strncmp(c.dir, tmp_dir, strlen(tmp_dir)) == 0, "under TMPDIR: %s", c.dir);
	struct stored_line line = make_line(4800, 3);
	CHECK(line_cache_store(&c, "temp", &line) == 0, "store in it");
	char made[512];
	snprintf(made, sizeof(made), "%s", c.dir);
	line_cache_close(&c);
	CHECK(access(made, F_OK) < 0, "removed at close");
	close(fd);
	free(line.samples);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_line_cache WORKDIR\n");
		return 2;
	}
	rm_rf(argv[1]);
	mkdir(argv[1], 0755);
	RUN_CASE(damage, (argv[1]));
	RUN_CASE(bound, (argv[1]));
	RUN_CASE(sweep, (argv[1]));
	rm_rf(argv[1]);
	return check_done("test_line_cache");
}
