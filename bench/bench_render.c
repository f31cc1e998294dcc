/* bench_render - the offline render path, in pieces repcue render cannot
 * show on its own.
 *
 *   bench_render loop ROUTINE CACHE_DIR
 *       Opens a session as `repcue render` does (speech cache in CACHE_DIR)
 *       and renders every block into a buffer, writing no file. Only the
 *       render loop runs under callgrind instrumentation (when built with
 *       valgrind/callgrind.h and run with --instr-atstart=no), so its
 *       instruction count leaves out eSpeak NG start-up and routine loading.
 *   bench_render silence FRAMES OUT.wav
 *       The baseline: FRAMES frames of silence through the same WAV writer,
 *       in the same ENGINE_BLOCK blocks as repcue render writes.
 *
 * Prints one line of key=value pairs for bench/run to parse. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "audio/engine.h"
#include "output/wav.h"
#include "session/session.h"

#ifdef HAVE_CALLGRIND_H
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

/* As in cmd_render.c: no session is longer. */
#define RENDER_MAX_S (6 * 3600)

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Sums the first sample of each block, so the mix cannot be optimized away. */
static int sum_level(void *ctx, frames_t at, const float *block, const struct seq_log_entry *log, int n)
{
	(void)at, (void)log, (void)n;
	*(double *)ctx += fabsf(block[0]);
	return 0;
}

static int run_loop(const char *routine, const char *cache_dir)
{
	struct session_options opts = { .cache_dir = cache_dir };
	struct session s;
	double level = 0; /* printed, so the mix cannot be optimized away */

	double t0 = now_s();
	if (session_open(&s, routine, &opts, stderr) < 0)
		return 1;
	double t1 = now_s();
	CALLGRIND_START_INSTRUMENTATION;
	/* the log only emptied, as render -q does */
	struct session_render_opts ro = { .limit = frames_from_s(RENDER_MAX_S), .on_block = sum_level, .ctx = &level };
	session_render(s.engine, &ro);
	CALLGRIND_STOP_INSTRUMENTATION;
	double t2 = now_s();

	struct session_status st;
	session_status(s.engine, &st);
	frames_t frames = st.now;
	double audio_s = (double)frames / SESSION_RATE_HZ;
	int err = s.lines.error;
	printf("frames=%lld audio_s=%.3f open_s=%.4f loop_s=%.4f x_realtime=%.0f synthesized=%d "
	       "from_disk=%d peak_store_mb=%.2f maxrss_kb=%ld level=%.3f\n",
	       (long long)frames, audio_s, t1 - t0, t2 - t1, audio_s / (t2 - t1), s.lines.synthesized,
	       s.lines.from_disk, (double)s.lines.peak_bytes / (1 << 20), maxrss_kb(), level);
	session_close(&s);
	if (err) {
		fprintf(stderr, "bench_render: speech synthesis failed: some lines are missing\n");
		return 1;
	}
	return 0;
}

static int run_silence(long long frames, const char *path)
{
	static const float zeros[ENGINE_BLOCK];
	struct wav_writer *w;
	char msg[512];

	double t0 = now_s();
	if (wav_writer_open(path, SESSION_RATE_HZ, 1, &w, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "bench_render: %s\n", msg);
		return 1;
	}
	for (long long done = 0; done < frames; done += ENGINE_BLOCK) {
		if (wav_writer_write(w, zeros, ENGINE_BLOCK, msg, sizeof(msg)) < 0) {
			fprintf(stderr, "bench_render: %s\n", msg);
			wav_writer_discard(w);
			return 1;
		}
	}
	if (wav_writer_close(w, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "bench_render: %s\n", msg);
		return 1;
	}
	printf("frames=%lld write_s=%.4f maxrss_kb=%ld\n", frames, now_s() - t0, maxrss_kb());
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "loop") == 0)
		return run_loop(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "silence") == 0)
		return run_silence(atoll(argv[2]), argv[3]);
	fprintf(stderr, "usage: bench_render loop ROUTINE CACHE_DIR\n"
			"       bench_render silence FRAMES OUT.wav\n");
	return 2;
}
