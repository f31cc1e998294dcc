/* repcue render - a whole session to a WAV file, far faster than real time,
 * with a transcript of every line and beep at its sample. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "history/history.h"
#include "output/wav.h"
#include "session.h"

/* No session is longer; a bound so no input can make render run forever. */
#define RENDER_MAX_S (6 * 3600)

static void usage(FILE *f)
{
	fprintf(f, "usage: repcue render [ROUTINE.yaml] -o SESSION.wav [--press ACTION@SECONDS,...] [--quiet]\n"
		   "  Renders the whole session offline and prints a transcript:\n"
		   "  session time, sample index, and what was said or which beep.\n"
		   "  --press next@95.5,pause@120,pause@130  injects presses exactly as a button would\n"
		   "  (actions: next repeat pause done say-again more-rest start)\n"
		   "  --quiet  no transcript\n");
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_render(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "press", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *out_path = NULL, *press_spec = NULL;
	bool quiet = false;
	char routine_buf[1024], msg[512];
	struct control_event presses[SESSION_PRESSES_MAX];
	int n_presses = 0, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:p:qh", options, NULL)) != -1) {
		switch (opt) {
		case 'o': out_path = optarg; break;
		case 'p': press_spec = optarg; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!out_path || argc - optind > 1) {
		usage(stderr);
		return 2;
	}
	if (press_spec) {
		n_presses = session_parse_presses(press_spec, presses, SESSION_PRESSES_MAX, msg, sizeof(msg));
		if (n_presses < 0) {
			fprintf(stderr, "repcue render: %s\n", msg);
			return 2;
		}
	}
	const char *routine_path = optind < argc ? argv[optind] : session_default_routine(routine_buf, sizeof(routine_buf));

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct session s;
	/* What `repcue play` says, to the sample: the same count of sessions
	 * this week at the end, read from the history (never written here). */
	char history_dir[HISTORY_PATH_MAX], history_msg[HISTORY_MSG_MAX];
	struct history *history = NULL;
	history_state_dir(history_dir, sizeof(history_dir));
	int hr = history_open(&history, history_dir, HISTORY_READ_ONLY, NULL, history_msg, sizeof(history_msg));
	struct session_options so = { .history = history, .adherence = hr == 0 || hr == -ENOENT };
	int opened = session_open(&s, routine_path, &so, stderr);
	history_close(history);
	if (opened < 0)
		return 1;
	for (int i = 0; i < n_presses; i++)
		seq_push_control(&s.engine->seq, presses[i]);

	struct wav_writer *wav;
	if (wav_writer_open(out_path, SESSION_RATE_HZ, 1, &wav, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "repcue render: %s\n", msg);
		session_close(&s);
		return 1;
	}
	float block[ENGINE_BLOCK];
	while (!engine_finished(s.engine) && s.engine->seq.now < frames_from_s(RENDER_MAX_S)) {
		engine_render_block(s.engine, block);
		session_print_log(&s, quiet ? NULL : stdout);
		if (wav_writer_write(wav, block, ENGINE_BLOCK, msg, sizeof(msg)) < 0) {
			fprintf(stderr, "repcue render: %s\n", msg);
			wav_writer_discard(wav);
			session_close(&s);
			return 1;
		}
	}
	frames_t frames = s.engine->seq.now;
	int speech_error = atomic_load(&s.cues.error);
	if (speech_error) {
		fprintf(stderr, "repcue render: speech synthesis failed (%s): some lines are missing\n",
			strerror(-speech_error));
		wav_writer_discard(wav);
		session_close(&s);
		return 1;
	}
	if (wav_writer_close(wav, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "repcue render: %s\n", msg);
		session_close(&s);
		return 1;
	}
	double total_s = seconds_since(&t0);
	double audio_s = (double)frames / SESSION_RATE_HZ;
	fprintf(stderr, "repcue: wrote %s: %d:%02d of session audio (%lld frames at %d Hz) in %.2f s, "
		"%.0fx real time; lines: %d synthesized, %d from the cache, peak %.1f MB in memory\n",
		out_path, (int)audio_s / 60, (int)audio_s % 60, (long long)frames, SESSION_RATE_HZ,
		total_s, audio_s / total_s, s.cues.synthesized, s.cues.from_disk,
		(double)s.cues.peak_bytes / (1 << 20));
	session_close(&s);
	return 0;
}
