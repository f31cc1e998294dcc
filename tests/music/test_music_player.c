/* Render tier: the music player (src/music/) on tracks made by make_music:
 * shuffled by a seed, the same order every time; live, the thread fills
 * the ring and music_read gives the very samples an offline read gives
 * (the bed of a live session is its render's), and asked to hold it all
 * ahead it does so before music_open returns; bad files are skipped.
 *
 *   test_music_player MUSIC_DIR */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/harness.h"
#include "music/music.h"

#define SECONDS 50

static const char *dir;

/* ahead (live): music_open's live_ahead; with it the ring must hold all
 * `frames` at once, with no wait for the thread. */
static float *read_all(const struct music_config *cfg, bool live, frames_t ahead, frames_t frames)
{
	struct music_player *p;
	float *buf = calloc((size_t)frames, sizeof(float));

	REQUIRE(buf && music_open(&p, dir, cfg, NULL, live, ahead) == 0, "open %s", dir);
	frames_t got = 0;
	if (live && ahead == 0) {
		/* wait (bounded) for the thread to have made what we read */
		struct timespec t0, t1, step = { 0, 5 * 1000 * 1000 };
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (;;) {
			struct music_stats st;
			music_get_stats(p, &st);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (st.frames_made >= MUSIC_RING_CHUNKS_LIVE * MUSIC_CHUNK || t1.tv_sec - t0.tv_sec > 60)
				break;
			nanosleep(&step, NULL);
		}
	}
	while (got < frames) {
		size_t want = (size_t)(frames - got < ENGINE_BLOCK ? frames - got : ENGINE_BLOCK);
		size_t n = music_read(p, buf + got, want);
		REQUIRE(n > 0 || ahead == 0, "the ring asked to hold %lld frames ran dry at %lld",
			(long long)ahead, (long long)got);
		if (n == 0 && live) {
			/* ran dry: the thread refills; wait for it (bounded) */
			struct timespec step = { 0, 2 * 1000 * 1000 };
			static int waits;
			REQUIRE(++waits < 100000, "the music thread stopped filling");
			nanosleep(&step, NULL);
			continue;
		}
		REQUIRE(n > 0, "offline music never runs dry");
		got += (frames_t)n;
	}
	struct music_problems mp;
	music_problems(p, &mp);
	/* (with all of it ahead nothing waited for the thread to reach every
	 * file: only those the bed has reached are named yet) */
	CHECK(mp.count == 4 || (ahead > 0 && mp.count >= 1), "four bad files named: %d", mp.count);
	music_close(p);
	return buf;
}

static frames_t first_difference(const float *a, const float *b, frames_t n)
{
	for (frames_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return i;
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_music_player MUSIC_DIR\n");
		return 2;
	}
	dir = argv[1];
	frames_t n = frames_from_s(SECONDS);
	struct music_config by_name, shuffled, other;
	music_config_default(&by_name);
	shuffled = by_name;
	shuffled.order = MUSIC_ORDER_SHUFFLE;
	shuffled.seed = 7;
	other = shuffled;
	other.seed = 8;

	float *a = read_all(&by_name, false, 0, n);
	float *b = read_all(&shuffled, false, 0, n);
	float *c = read_all(&shuffled, false, 0, n);
	float *d = read_all(&other, false, 0, n);
	float *live = read_all(&by_name, true, 0, n);
	/* a capture pulls faster than any decoder: it asks for all ahead */
	float *ahead = read_all(&shuffled, true, n, n);
	CHECK(first_difference(b, c, n) < 0, "a seed gives the same order every time");
	CHECK(first_difference(a, b, n) >= 0 || first_difference(b, d, n) >= 0, "shuffling changes the order");
	CHECK(first_difference(a, live, n) < 0, "live, the thread gives the samples an offline read gives (first "
	      "difference at %lld)", (long long)first_difference(a, live, n));
	CHECK(first_difference(b, ahead, n) < 0, "live with all of it ahead, the same samples again (first "
	      "difference at %lld)", (long long)first_difference(b, ahead, n));
	float peak = 0.0f;
	double e = 0.0;
	for (frames_t i = 0; i < n; i++) {
		peak = fabsf(a[i]) > peak ? fabsf(a[i]) : peak;
		e += (double)a[i] * a[i];
	}
	CHECK(peak <= MUSIC_PEAK_MAX + 1e-6f, "headroom: peak %.3f", peak);
	CHECK(e > 0.0, "music plays");
	printf("bed peak %.3f, rms %.1f dBFS over %d s\n", peak, 10 * log10(e / (double)n), SECONDS);
	free(a);
	free(b);
	free(c);
	free(d);
	free(live);
	free(ahead);
	return check_done("test_music_player");
}
