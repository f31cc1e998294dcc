/* output-play-signal - play the counter-coded signal through the PortAudio
 * backend (the real ALSA path) and write the reference next to it, for
 * compare-capture. Also the paced check: --min-seconds/--max-seconds bound
 * the wall-clock time from start until all signal frames were pulled.
 *
 *   output-play-signal --frames N [--device NAME] [--channels C]
 *       [--reference raw.f32] [--wav ref.wav] [--min-seconds S --max-seconds S]
 *
 * Exit 0 ok, 1 failure, 77 no output device (with the reason). */
#include "output/output.h"
#include "output/wav.h"
#include "signal.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct player {
	frames_t next;     /* audio thread only */
	frames_t frames;   /* signal length; silence after */
};

static void pull(void *ctx, float *out, size_t frames)
{
	struct player *p = ctx;

	for (size_t i = 0; i < frames; i++, p->next++)
		out[i] = p->next < p->frames ? signal_at(p->next) : 0.0f;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int write_references(const char *raw, const char *wav, frames_t frames)
{
	char msg[OUTPUT_MSG_MAX];
	struct wav_writer *w = NULL;
	FILE *f = raw ? fopen(raw, "wb") : NULL;

	if (raw && !f) {
		perror(raw);
		return -1;
	}
	if (wav && wav_writer_open(wav, SESSION_RATE_HZ, 1, &w, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "%s\n", msg);
		return -1;
	}
	for (frames_t i = 0; i < frames; i++) {
		float x = signal_at(i);

		if (f)
			fwrite(&x, sizeof(x), 1, f);
		if (w && wav_writer_write(w, &x, 1, msg, sizeof(msg)) < 0) {
			fprintf(stderr, "%s\n", msg);
			return -1;
		}
	}
	if (f && fclose(f) != 0)
		return -1;
	if (w && wav_writer_close(w, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "%s\n", msg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct output_config cfg = { 0 };
	struct player p = { 0 };
	struct output_health h;
	struct output *out;
	const char *raw = NULL, *wav = NULL;
	double min_s = 0, max_s = 0, t0, t_signal = 0;
	char msg[OUTPUT_MSG_MAX], desc[OUTPUT_MSG_MAX];
	frames_t pad;
	int r;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--frames") == 0)
			p.frames = atoll(argv[i + 1]);
		else if (strcmp(argv[i], "--device") == 0)
			cfg.device = argv[i + 1];
		else if (strcmp(argv[i], "--channels") == 0)
			cfg.channels = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--reference") == 0)
			raw = argv[i + 1];
		else if (strcmp(argv[i], "--wav") == 0)
			wav = argv[i + 1];
		else if (strcmp(argv[i], "--min-seconds") == 0)
			min_s = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--max-seconds") == 0)
			max_s = atof(argv[i + 1]);
	}
	if (p.frames <= 0) {
		fprintf(stderr, "usage: output-play-signal --frames N ...\n");
		return 1;
	}
	if (write_references(raw, wav, p.frames) < 0)
		return 1;

	r = output_open(&output_portaudio_ops, &cfg, pull, &p, &out, msg, sizeof(msg));
	if (r == -ENODEV) {
		printf("SKIP: no output device: %s\n", msg);
		return 77;
	}
	if (r < 0) {
		fprintf(stderr, "open: %s (%s)\n", msg, strerror(-r));
		return 1;
	}
	output_describe(out, desc, sizeof(desc));
	printf("device: %s\n", desc);
	t0 = now_s();
	r = output_start(out);
	if (r < 0) {
		fprintf(stderr, "start: %s\n", strerror(-r));
		output_close(out);
		return 1;
	}
	/* Pull some silence after the signal so the signal's last periods
	 * have left PortAudio's buffers before the stream stops. */
	pad = 16 * OUTPUT_DEFAULT_PERIOD_FRAMES;
	for (;;) {
		struct timespec tick = { 0, 2000000 };

		r = output_health(out, &h);
		if (r < 0) {
			fprintf(stderr, "health: %s\n", h.message);
			output_close(out);
			return 1;
		}
		if (t_signal == 0 && h.frames_pulled >= p.frames)
			t_signal = now_s() - t0;
		if (h.frames_pulled >= p.frames + pad)
			break;
		if (now_s() - t0 > 60) {
			fprintf(stderr, "timed out at %lld frames\n", (long long)h.frames_pulled);
			output_close(out);
			return 1;
		}
		nanosleep(&tick, NULL);
	}
	r = output_stop(out);
	output_health(out, &h);
	output_close(out);
	printf("played %lld signal frames in %.3f s (%lld pulled, %u underflows)\n",
	       (long long)p.frames, t_signal, (long long)h.frames_pulled, h.underflows);
	if (r < 0) {
		fprintf(stderr, "stop: %s\n", strerror(-r));
		return 1;
	}
	if ((min_s > 0 && t_signal < min_s) || (max_s > 0 && t_signal > max_s)) {
		fprintf(stderr, "FAIL: %.3f s outside [%.2f, %.2f]\n", t_signal, min_s, max_s);
		return 1;
	}
	return 0;
}
