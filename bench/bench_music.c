/* bench_music - the music thread's cost (issue 22): decoding and
 * resampling CPU per second of music, loudness measurement CPU, and the
 * ring's memory, for the tracks of a folder. Printed, never asserted.
 *
 *   bench_music DIR [SECONDS]   (default 120 s of music) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "music/music.h"

static double cpu_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_music DIR [SECONDS]\n");
		return 2;
	}
	int seconds = argc > 2 ? atoi(argv[2]) : 120;
	struct music_config cfg;
	struct music_player *p;
	struct music_stats st;
	float block[MUSIC_CHUNK];

	music_config_default(&cfg);
	/* offline: the same decoding code the thread runs, in this thread,
	 * so its CPU is counted alone; no cache: every track is measured */
	double c0 = cpu_s();
	int r = music_open(&p, argv[1], &cfg, NULL, false, 0);
	if (r < 0) {
		fprintf(stderr, "bench_music: no music in %s (%d)\n", argv[1], r);
		return 1;
	}
	double c1 = cpu_s();
	long long frames = (long long)seconds * SESSION_RATE_HZ, got = 0;
	while (got < frames) {
		size_t n = music_read(p, block, MUSIC_CHUNK);
		if (n == 0)
			break;
		got += (long long)n;
	}
	double c2 = cpu_s();
	music_get_stats(p, &st);
	printf("music: %d tracks, %d playable; measured %d (%.3f s CPU at open)\n", st.tracks, st.playable,
	       st.measured, c1 - c0);
	printf("music: %.1f s of bed decoded and resampled in %.3f s CPU: %.2f ms CPU per second of music "
	       "(%.1f%% of one core)\n", (double)got / SESSION_RATE_HZ, c2 - c1,
	       1000.0 * (c2 - c1) / ((double)got / SESSION_RATE_HZ),
	       100.0 * (c2 - c1) / ((double)got / SESSION_RATE_HZ));
	printf("music: ring %zu KiB offline; live %zu KiB (%d chunks of %d frames, %.1f s at %d Hz); "
	       "decode buffer %zu KiB at most\n", st.ring_bytes / 1024,
	       (size_t)MUSIC_RING_CHUNKS_LIVE * MUSIC_CHUNK * sizeof(float) / 1024, MUSIC_RING_CHUNKS_LIVE,
	       MUSIC_CHUNK, (double)MUSIC_RING_CHUNKS_LIVE * MUSIC_CHUNK / SESSION_RATE_HZ, SESSION_RATE_HZ,
	       (size_t)MUSIC_DECODE_FRAMES * MUSIC_CHANNELS_MAX * sizeof(float) / 1024);
	music_close(p);
	return 0;
}
