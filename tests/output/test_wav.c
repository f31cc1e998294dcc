/* test_wav - the WAV writer: round trip through libsndfile, and a full
 * disk (a 64 KiB tmpfs mounted for the test; needs root, else exit 77)
 * must give -ENOSPC naming the file and leave nothing that looks complete.
 *
 * A file the 32-bit RIFF sizes cannot count (past 4 GiB) is refused with
 * -EFBIG naming the file instead of wrapping them (issue 17 item 11).
 *
 *   test_wav roundtrip DIR
 *   test_wav enospc DIR      (DIR becomes the mount point)
 *   test_wav limit DIR */
#include "output/pcm16.h"
#include "output/wav.h"

#include <dirent.h>
#include <errno.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/harness.h"

static float sample(size_t i, unsigned c)
{
	/* full scale both ways, clipping, and ordinary values */
	static const float edges[] = { 0.0f, 1.0f, -1.0f, 1.5f, -1.5f, 0.5f, -0.25f, 1e-6f };

	if (i < sizeof(edges) / sizeof(edges[0]))
		return c ? -edges[i] : edges[i];
	return (float)(((i * 7919 + c * 104729) % 65536) - 32768) / 32768.0f;
}

/* Files in dir: a temporary is named by mkstemp, so it is found by listing. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

static int roundtrip(const char *parent)
{
	char path[4096], tmp[4200], msg[256], dir[4000];
	enum { FRAMES = 50000, CH = 2 };
	static float buf[FRAMES * CH];
	static short back[FRAMES * CH];
	struct wav_writer *w;
	SF_INFO info = { 0 };
	SNDFILE *sf;
	struct stat st;

	/* a directory of its own, so that a leftover temporary shows */
	snprintf(dir, sizeof(dir), "%s/wav-roundtrip", parent);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/roundtrip.wav", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(path);
	for (size_t i = 0; i < FRAMES; i++)
		for (unsigned c = 0; c < CH; c++)
			buf[i * CH + c] = sample(i, c);
	CHECK_OR(wav_writer_open(path, 48000, CH, &w, msg, sizeof(msg)) == 0, return 1, "%s", msg);
	CHECK_OR(stat(path, &st) < 0, return 1, "final name exists before close");
	/* odd chunk sizes cross the writer's conversion buffer */
	for (size_t done = 0; done < FRAMES;) {
		size_t n = FRAMES - done < 3001 ? FRAMES - done : 3001;

		CHECK_OR(wav_writer_write(w, buf + done * CH, n, msg, sizeof(msg)) == 0, return 1, "%s", msg);
		done += n;
	}
	CHECK_OR(wav_writer_close(w, msg, sizeof(msg)) == 0, return 1, "%s", msg);
	CHECK_OR(stat(tmp, &st) < 0 && entries(dir) == 1, return 1, "temporary file left behind");

	sf = sf_open(path, SFM_READ, &info);
	CHECK_OR(sf, return 1, "%s", sf_strerror(NULL));
	CHECK_OR(info.samplerate == 48000 && info.channels == CH && info.frames == FRAMES, return 1,
	      "%d Hz %d ch %lld frames", info.samplerate, info.channels, (long long)info.frames);
	CHECK_OR(info.format == (SF_FORMAT_WAV | SF_FORMAT_PCM_16), return 1, "format %x", info.format);
	CHECK_OR(sf_readf_short(sf, back, FRAMES) == FRAMES, return 1, "short read");
	sf_close(sf);
	for (size_t i = 0; i < FRAMES * CH; i++)
		CHECK_OR(back[i] == pcm16_from_float(buf[i]), return 1, "sample %zu: %d != %d", i, back[i],
		      pcm16_from_float(buf[i]));
	CHECK_OR(pcm16_from_float(1.5f) == 32767 && pcm16_from_float(-1.5f) == -32767, return 1, "clip");
	unlink(path);
	printf("roundtrip: %d frames x %d ch identical after read-back\n", FRAMES, CH);
	return 0;
}

static int enospc(const char *dir)
{
	char path[4096], tmp[4200], msg[256];
	static float buf[48000];
	struct wav_writer *w;
	struct stat st;
	int r = 0;

	mkdir(dir, 0755);
	if (mount("repcue-test", dir, "tmpfs", 0, "size=64k") < 0) {
		printf("SKIP: cannot mount a tmpfs on %s (%s): needs root\n", dir, strerror(errno));
		return 77;
	}
	snprintf(path, sizeof(path), "%s/full.wav", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	for (size_t i = 0; i < 48000; i++)
		buf[i] = 0.25f;
	if (wav_writer_open(path, 48000, 1, &w, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "FAIL open: %s\n", msg);
		r = 1;
		goto out;
	}
	/* 96 KB of samples cannot fit in 64 KiB */
	for (int i = 0; i < 4 && r == 0; i++)
		r = wav_writer_write(w, buf, 12000, msg, sizeof(msg));
	if (r == 0)
		r = wav_writer_close(w, msg, sizeof(msg));
	else
		wav_writer_discard(w);
	printf("full disk: r=%d (%s): %s\n", r, strerror(-r), msg);
	if (r != -ENOSPC || !strstr(msg, "full.wav")) {
		fprintf(stderr, "FAIL: want -ENOSPC with the path in the message\n");
		r = 1;
		goto out;
	}
	if (stat(path, &st) == 0 || stat(tmp, &st) == 0 || entries(dir) != 0) {
		fprintf(stderr, "FAIL: a file was left behind\n");
		r = 1;
		goto out;
	}
	/* the same when the failure only surfaces at close (header rewrite) */
	r = 0;
out:
	umount2(dir, MNT_DETACH);
	return r;
}

/* The 4 GiB limit, without writing gigabytes: the size arithmetic at its
 * edges, then a writer asked for more frames than a WAV can count refuses
 * before it reads a sample (so no samples are passed) and leaves nothing. */
static int limit(const char *parent)
{
	char dir[4000], path[4096], msg[256] = "";
	const uint64_t hour_mono = 48000ull * 2 * 3600; /* bytes of an hour at 48 kHz */
	static float buf[2 * 4800];   /* 4800 stereo frames */
	struct wav_writer *w;
	struct stat st;

	CHECK(wav_size_fits(44), "an empty WAV");
	CHECK(wav_size_fits(44 + 12 * hour_mono), "12 hours of 48 kHz mono");
	CHECK(!wav_size_fits(44 + 13 * hour_mono), "13 hours of 48 kHz mono pass 4 GiB");
	CHECK(wav_size_fits((uint64_t)UINT32_MAX + 8), "the last byte the RIFF size counts");
	CHECK(!wav_size_fits((uint64_t)UINT32_MAX + 9), "one byte more wraps the RIFF size");
	CHECK(!wav_size_fits(UINT64_MAX), "no wrap in the arithmetic itself");

	snprintf(dir, sizeof(dir), "%s/wav-limit", parent);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/long.wav", dir);
	REQUIRE(wav_writer_open(path, 48000, 2, &w, msg, sizeof(msg)) == 0, "open: %s", msg);
	CHECK_EQ_INT(wav_writer_write(w, buf, 4800, msg, sizeof(msg)), 0);
	/* 2^30 stereo frames are 4 GiB of samples: refused before any is read */
	int r = wav_writer_write(w, NULL, (size_t)1 << 30, msg, sizeof(msg));
	printf("a write past 4 GiB: r=%d: %s\n", r, msg);
	CHECK_EQ_INT(r, -EFBIG);
	CHECK(strstr(msg, "long.wav") && strstr(msg, "4 GiB"), "the message names the file and the limit: %s", msg);
	r = wav_writer_close(w, msg, sizeof(msg));
	CHECK_EQ_INT(r, -EFBIG);
	CHECK(stat(path, &st) != 0 && entries(dir) == 0, "nothing is left behind");
	return check_done("output_wav_limit");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "roundtrip") == 0)
		return roundtrip(argv[2]);
	if (argc == 3 && strcmp(argv[1], "enospc") == 0)
		return enospc(argv[2]);
	if (argc == 3 && strcmp(argv[1], "limit") == 0)
		return limit(argv[2]);
	fprintf(stderr, "usage: test_wav roundtrip|enospc|limit DIR\n");
	return 2;
}
