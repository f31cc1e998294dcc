/* portaudio_callback.c - the audio thread's side of the PortAudio backend:
 * the stream callback that pulls session audio and copies it to every
 * channel, and the state it shares with the control thread (the heartbeat,
 * underflows, the retire handshake). Separate because it is the only code
 * that runs on PortAudio's real-time thread: nothing here allocates after
 * pa_sctx_new, locks, logs or blocks. */
#include "output/portaudio_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int pa_stream_callback(const void *input, void *output, unsigned long frames,
		       const PaStreamCallbackTimeInfo *time_info,
		       PaStreamCallbackFlags flags, void *user)
{
	struct pa_stream_ctx *s = user;
	float *out = output;
	unsigned long left = frames;

	(void)input;
	(void)time_info;
	atomic_store(&s->in_callback, true);
	if (atomic_load(&s->retired)) {
		memset(out, 0, frames * s->channels * sizeof(float));
		atomic_store(&s->in_callback, false);
		return paContinue;
	}
	while (left > 0) {
		size_t n = left < s->period ? left : s->period;

		s->pull(s->pull_ctx, s->mono, n);
		for (size_t i = 0; i < n; i++)
			for (unsigned c = 0; c < s->channels; c++)
				*out++ = s->mono[i];
		left -= n;
	}
	if (flags & paOutputUnderflow)
		atomic_fetch_add_explicit(&s->underflows, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->frames, (long long)frames, memory_order_release);
	atomic_store(&s->in_callback, false);
	return paContinue;
}

void pa_stream_finished(void *user)
{
	struct pa_stream_ctx *s = user;

	atomic_store_explicit(&s->finished, true, memory_order_release);
}

struct pa_stream_ctx *pa_sctx_new(output_pull_fn pull, void *pull_ctx, unsigned period)
{
	struct pa_stream_ctx *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->mono = calloc(period, sizeof(float));
	if (!s->mono) {
		free(s);
		return NULL;
	}
	s->pull = pull;
	s->pull_ctx = pull_ctx;
	s->period = period;
	atomic_init(&s->retired, false);
	atomic_init(&s->in_callback, false);
	atomic_init(&s->finished, false);
	atomic_init(&s->frames, 0);
	atomic_init(&s->underflows, 0);
	return s;
}

void pa_sctx_free(struct pa_stream_ctx *s)
{
	if (!s)
		return;
	free(s->mono);
	free(s);
}

/* After this returns the stream's callback no longer calls pull. The wait
 * is for at most one callback already inside pull, which never blocks. */
void pa_sctx_retire(struct pa_stream_ctx *s, unsigned timeout_ms)
{
	struct timespec tick = { 0, 1000000 };

	atomic_store(&s->retired, true);
	for (unsigned waited = 0; atomic_load(&s->in_callback) && waited < timeout_ms; waited++)
		nanosleep(&tick, NULL);
}
