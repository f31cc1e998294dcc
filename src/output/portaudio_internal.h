/* portaudio_internal.h - what the pieces of the PortAudio backend share:
 * the callback state of one stream (portaudio_callback.c), the bounded call
 * sequences on job threads (portaudio_calls.c), the probe child
 * (portaudio_probe.c); portaudio.c holds the output ops that use them.
 * Only these four files include it, and with it portaudio.h. */
#ifndef REPCUE_OUTPUT_PORTAUDIO_INTERNAL_H
#define REPCUE_OUTPUT_PORTAUDIO_INTERNAL_H

#include "output/output.h"

#include <portaudio.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define PA_DEFAULT_CHANNELS 2

/* Process-wide, because PortAudio's own state is: set once a job was
 * abandoned or a loss happened with JACK up; see portaudio.c's header
 * comment. Defined in portaudio_calls.c. */
extern atomic_bool pa_terminate_unsafe;

/* Callback state of one PortAudio stream. Owned by whoever owns the stream
 * (the output, or an abandoned job); freed only after Pa_CloseStream on its
 * stream returned, so a stuck stream never calls back into freed memory. */
struct pa_stream_ctx {
	output_pull_fn pull;  /* borrowed from the output's caller */
	void *pull_ctx;
	unsigned channels;
	unsigned period;
	float *mono;          /* owned: period frames */
	/* retired/in_callback form a Dekker pair (seq_cst both sides): once
	 * retire() returns, this stream never calls pull again, so a new
	 * stream may start pulling without two threads in pull at once. */
	atomic_bool retired;
	atomic_bool in_callback;
	atomic_bool finished;  /* stream-finished callback ran */
	atomic_llong frames;   /* heartbeat: frames pulled by this stream */
	atomic_uint underflows;
};

enum pa_job_kind {
	JOB_OPEN,      /* [terminate] [initialize] find device, open [, start] */
	JOB_START,
	JOB_STOP,
	JOB_CLOSE,     /* abort + close */
	JOB_TERMINATE,
};

/* One bounded PortAudio call sequence, run by util/job.h: the control
 * thread's until it is abandoned, then its own thread's (job_orphaned). */
struct pa_job {
	struct job *runner;    /* owned: the thread and deadline */
	enum pa_job_kind kind;
	/* inputs */
	bool terminate_first, initialize, start;
	unsigned probe_ms;     /* before initialize: probe in a child first
	                        * with this timeout; 0 = no probe */
	bool verbose;
	const char *alsa_config; /* borrowed: output_config.alsa_config_path */
	char device[128];      /* "" = default output */
	unsigned channels;     /* 0 = default */
	unsigned period;
	unsigned latency;
	/* in/out: the stream and its callback state */
	PaStream *stream;
	struct pa_stream_ctx *sctx;
	/* outputs */
	int result;            /* 0 or -errno */
	bool initialized;      /* PortAudio is initialized after the job */
	bool jack_up;          /* PortAudio's JACK host API is present */
	char msg[OUTPUT_MSG_MAX];
	char dev_name[128];
	char host_name[48];
	unsigned channels_out;
	double latency_s;
};

/* ---- portaudio_callback.c: the audio thread ---- */

/* The stream callback and stream-finished callback; user is a
 * struct pa_stream_ctx. */
int pa_stream_callback(const void *input, void *output, unsigned long frames,
		       const PaStreamCallbackTimeInfo *time_info,
		       PaStreamCallbackFlags flags, void *user);
void pa_stream_finished(void *user);
/* Callback state pulling from pull(pull_ctx) in blocks of period frames.
 * The caller owns it: free with pa_sctx_free (accepts NULL), and only
 * after Pa_CloseStream on its stream returned. NULL without memory. */
struct pa_stream_ctx *pa_sctx_new(output_pull_fn pull, void *pull_ctx, unsigned period);
void pa_sctx_free(struct pa_stream_ctx *s);
/* After this returns the stream's callback no longer calls pull. */
void pa_sctx_retire(struct pa_stream_ctx *s, unsigned timeout_ms);

/* ---- portaudio_calls.c: bounded PortAudio calls on job threads ---- */

/* A PortAudio error as a negative errno. */
int pa_errno(PaError e);
/* Device whose name equals name, else the first containing it; "" the
 * default output. paNoDevice with the reason in msg. */
PaDeviceIndex pa_find_device(const char *name, char *msg, size_t msg_size);
/* A job of this kind, not started; the caller owns it (pa_job_release).
 * NULL without memory. */
struct pa_job *pa_job_new(enum pa_job_kind kind);
/* Free a job that is done or never ran (not its stream or sctx). */
void pa_job_release(struct pa_job *j);
/* Start j on its thread. On failure j is still the caller's. */
int pa_job_spawn(struct pa_job *j);
bool pa_job_is_done(struct pa_job *j);
/* Give up on a running job; true if it was abandoned (then no longer the
 * caller's), false if it finished meanwhile. */
bool pa_job_abandon(struct pa_job *j);
/* Wait for j up to timeout_ms. true: done, j still the caller's to read
 * and release; false: abandoned, j no longer the caller's. */
bool pa_job_wait(struct pa_job *j, unsigned timeout_ms);
/* Run j synchronously but bounded. Returns 0 with j done (caller reads and
 * releases it), else -errno with j no longer the caller's. */
int pa_job_run_bounded(struct pa_job *j, unsigned timeout_ms);

/* ---- portaudio_probe.c: the probe child ---- */

/* Whether PortAudio may be initialised in this process: 0, or -ENODEV
 * with the reason and the fix in msg (the caller falls back as it does
 * without a sound card), or another -errno. */
int pa_probe_devices(const char *device, const char *alsa_config, bool verbose, unsigned timeout_ms,
		     char *msg, size_t msg_size);

/* base_ms widened for each probe that timed out in this process
 * (output_probe_bound): a probe waits that long, and so does every other
 * bounded PortAudio call, since on a machine too slow to list its devices
 * in base_ms Pa_Initialize in-process is as slow. */
unsigned pa_probe_bound(unsigned base_ms);

#endif
