/* portaudio.c - the sound card, through a PortAudio callback stream. The
 * output ops; the pieces they use are portaudio_callback.c (the audio
 * thread), portaudio_calls.c (blocking calls on job threads) and
 * portaudio_probe.c (the probe child), sharing portaudio_internal.h.
 *
 * Device loss is detected without trusting PortAudio to report it: the
 * callback advances a frame counter (the heartbeat) and output_health()
 * declares the device lost when the counter stalls, as well as when the
 * stream-finished callback runs or Pa_IsStreamActive() drops. Measured on
 * Debian 12 / PortAudio 19.6: when a JACK server dies under the ALSA jack
 * plugin, the stream stays "active" and simply stops calling back. What
 * follows (when it is lost, when to reopen, what to say and how often) is
 * decided by the pure supervisor (supervisor.h); this file only does it.
 *
 * Every PortAudio call that can block (Pa_Initialize, Pa_Terminate,
 * Pa_OpenStream, Pa_StartStream, Pa_StopStream, Pa_AbortStream,
 * Pa_CloseStream) runs on a short-lived job thread (util/job.h) that the
 * control thread waits for at most call_timeout_ms. A job that does not
 * come back is abandoned: it takes the stream with it and closes it itself
 * if it ever returns; until then the stream and its callback state are
 * leaked. ALSA
 * device loss is known to wedge these calls (PortAudio issues #535, #1037).
 *
 * Pa_Terminate is skipped once it is known to be unsafe: after a job was
 * abandoned (it would close the stuck stream under the stuck thread), and
 * after a loss while PortAudio's JACK host API is up (19.6 asserts and
 * aborts the process in Terminate when its JACK server has gone). Recovery
 * then reopens by name without re-enumerating devices.
 *
 * Before PortAudio is initialised in this process (at open, and again
 * before re-initialising after a device loss), a forked child (probe.h)
 * checks ALSA's configuration and runs Pa_Initialize and the device
 * search: PortAudio 19.6 aborts the process when ALSA lists no
 * devices, and blocks for ever in Pa_Initialize on a JACK server that does
 * not answer. A child that dies or hangs means "no sound device", with a
 * message naming the cause, so the caller's no-device fallback runs. */
#include "output/output.h"
#include "output/portaudio_internal.h"
#include "output/quiet.h"
#include "output/supervisor.h"
#include "util/clock.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PA_STALL_MIN_MS 500

struct pa_out {
	struct output_config cfg; /* cfg.device points at device[] */
	char device[128];
	output_pull_fn pull;      /* borrowed until close */
	void *pull_ctx;

	bool initialized;         /* we hold one Pa_Initialize */
	bool jack_up;
	PaStream *stream;         /* NULL while lost */
	struct pa_stream_ctx *sctx; /* owned together with stream */
	struct pa_job *job;       /* async job in flight (health), or NULL */
	long long job_started_ms;

	/* state, loss, backoff and messages: decided there, done here */
	struct supervisor sup;
	frames_t frames_retired;  /* frames pulled by streams already closed */
	unsigned underflows_retired;

	char dev_name[128];
	char host_name[48];
	unsigned channels;
	double latency_s;
};

/* ---- the control thread ----------------------------------------------- */

/* The configured bound, before a slow machine widened it: what a probe
 * is given (pa_probe_devices widens it itself). */
static unsigned base_timeout_of(const struct pa_out *o)
{
	return o->cfg.call_timeout_ms ? o->cfg.call_timeout_ms : OUTPUT_DEFAULT_CALL_TIMEOUT_MS;
}

/* The bound on a blocking call: widened once probes have timed out here. */
static unsigned timeout_of(const struct pa_out *o)
{
	return pa_probe_bound(base_timeout_of(o));
}

static struct pa_job *open_job_new(struct pa_out *o, bool start)
{
	struct pa_job *j = pa_job_new(JOB_OPEN);

	if (!j)
		return NULL;
	j->sctx = pa_sctx_new(o->pull, o->pull_ctx, o->cfg.period_frames);
	if (!j->sctx) {
		pa_job_release(j);
		return NULL;
	}
	snprintf(j->device, sizeof(j->device), "%s", o->device);
	j->channels = o->cfg.channels;
	j->period = o->cfg.period_frames;
	j->latency = o->cfg.latency_frames;
	j->start = start;
	j->initialized = o->initialized;
	return j;
}

/* Take the stream and facts from a finished open job; frees the job. */
static int open_job_harvest(struct pa_out *o, struct pa_job *j)
{
	int r = j->result;

	o->initialized = j->initialized;
	o->jack_up = j->jack_up;
	if (r == 0) {
		o->stream = j->stream;
		o->sctx = j->sctx;
		snprintf(o->dev_name, sizeof(o->dev_name), "%s", j->dev_name);
		snprintf(o->host_name, sizeof(o->host_name), "%s", j->host_name);
		o->channels = j->channels_out;
		o->latency_s = j->latency_s;
	} else {
		pa_sctx_free(j->sctx);
	}
	pa_job_release(j);
	return r;
}

/* Hand the current stream to a close job (async: health must not wait). */
static void drop_stream_async(struct pa_out *o)
{
	struct pa_job *j;

	if (!o->stream)
		return;
	pa_sctx_retire(o->sctx, timeout_of(o));
	o->frames_retired += atomic_load(&o->sctx->frames);
	o->underflows_retired += atomic_load(&o->sctx->underflows);
	j = pa_job_new(JOB_CLOSE);
	if (!j || (j->stream = o->stream, j->sctx = o->sctx, pa_job_spawn(j) < 0)) {
		/* Cannot even make a thread: leak rather than block. */
		if (j)
			pa_job_release(j);
		atomic_store(&pa_terminate_unsafe, true);
	} else {
		o->job = j;
		o->job_started_ms = clock_now_ms();
	}
	o->stream = NULL;
	o->sctx = NULL;
}

/* What the adapter does when the supervisor says the device is lost. */
static void drop_lost_stream(struct pa_out *o)
{
	/* PortAudio 19.6 aborts in Pa_Terminate once its JACK server is gone */
	if (o->jack_up)
		atomic_store(&pa_terminate_unsafe, true);
	drop_stream_async(o);
}

static void declare_lost(struct pa_out *o, const char *why)
{
	supervisor_lost(&o->sup, clock_now_ms(), o->dev_name, why);
	drop_lost_stream(o);
}

/* The finished job in o->job: apply its result. */
static void harvest(struct pa_out *o)
{
	struct pa_job *j = o->job;
	char why[OUTPUT_MSG_MAX];
	int r;

	o->job = NULL;
	if (j->kind == JOB_CLOSE) {
		if (j->result == 0)
			pa_sctx_free(j->sctx);
		/* else: PortAudio may still hold the callback state; leak it */
		pa_job_release(j);
		return;
	}
	snprintf(why, sizeof(why), "%s", j->msg);
	r = open_job_harvest(o, j);
	/* stopped while recovering: close what the reopen brought back */
	if (supervisor_reopened(&o->sup, clock_now_ms(), r, o->dev_name, why) == SUPERVISOR_CLOSE)
		drop_stream_async(o);
}

/* Device loss is not trusted to PortAudio: the heartbeat (frames) too. */
static void check_stream(struct pa_out *o)
{
	struct supervisor_stream st;

	st.frames = atomic_load_explicit(&o->sctx->frames, memory_order_acquire);
	st.finished = atomic_load_explicit(&o->sctx->finished, memory_order_acquire);
	st.active = st.finished || Pa_IsStreamActive(o->stream) == 1;
	if (supervisor_watch(&o->sup, clock_now_ms(), &st, o->dev_name))
		drop_lost_stream(o);
}

static void retry(struct pa_out *o)
{
	struct pa_job *j = open_job_new(o, true);

	if (!j)
		return;
	/* Re-enumerate (the only way PortAudio notices a replugged device)
	 * unless terminating is known to be unsafe in this process. */
	if (o->initialized && !atomic_load(&pa_terminate_unsafe)) {
		j->terminate_first = true;
		j->initialize = true;
	} else if (!o->initialized) {
		j->initialize = true;
	}
	/* Half the call timeout: the job that waits for it gets the rest
	 * for Pa_Initialize itself, so a hung probe never abandons it. */
	j->probe_ms = j->initialize ? base_timeout_of(o) / 2 : 0;
	j->verbose = o->cfg.verbose;
	j->alsa_config = o->cfg.alsa_config_path;
	if (pa_job_spawn(j) < 0) {
		pa_sctx_free(j->sctx);
		pa_job_release(j);
		return;
	}
	o->job = j;
	o->job_started_ms = clock_now_ms();
}

static int pa_health(void *ctx, struct output_health *ret)
{
	struct pa_out *o = ctx;
	long long now = clock_now_ms();

	if (o->job) {
		if (pa_job_is_done(o->job)) {
			harvest(o);
		} else if (now - o->job_started_ms > timeout_of(o)) {
			bool was_open = o->job->kind == JOB_OPEN;

			if (!pa_job_abandon(o->job)) {
				harvest(o); /* it came back just now */
			} else {
				o->job = NULL;
				if (was_open)
					supervisor_reopen_hung(&o->sup, now, "PortAudio", timeout_of(o));
			}
		}
	}
	if (o->sup.state == OUTPUT_PLAYING && o->stream && !o->job)
		check_stream(o);
	if (supervisor_should_reopen(&o->sup, now, o->job != NULL))
		retry(o);

	memset(ret, 0, sizeof(*ret));
	supervisor_report(&o->sup, ret);
	ret->frames_pulled = o->frames_retired + (o->sctx ? atomic_load(&o->sctx->frames) : 0);
	ret->underflows = o->underflows_retired + (o->sctx ? atomic_load(&o->sctx->underflows) : 0);
	return ret->state == OUTPUT_LOST ? -EIO : 0;
}

static int pa_open(const struct output_config *cfg, output_pull_fn pull, void *pull_ctx,
		   void **ret_ctx, char *msg, size_t msg_size)
{
	struct pa_out *o = calloc(1, sizeof(*o));
	struct pa_job *j;
	int r;

	if (!o) {
		snprintf(msg, msg_size, "PortAudio output: out of memory");
		return -ENOMEM;
	}
	o->cfg = *cfg;
	snprintf(o->device, sizeof(o->device), "%s", cfg->device ? cfg->device : "");
	o->cfg.device = o->device;
	if (!o->cfg.period_frames)
		o->cfg.period_frames = OUTPUT_DEFAULT_PERIOD_FRAMES;
	if (!o->cfg.latency_frames)
		o->cfg.latency_frames = o->cfg.period_frames;
	o->pull = pull;
	o->pull_ctx = pull_ctx;
	/* A stall is several periods plus the device buffer without a single
	 * callback; at 256 frames that is far below PA_STALL_MIN_MS, which
	 * keeps a loaded machine from looking like a lost device. */
	long long stall_ms = 10LL * (o->cfg.period_frames + o->cfg.latency_frames) * 1000 / SESSION_RATE_HZ;
	supervisor_init(&o->sup, stall_ms < PA_STALL_MIN_MS ? PA_STALL_MIN_MS : stall_ms);

	output_quiet(cfg->verbose);
	r = pa_probe_devices(o->device, cfg->alsa_config_path, cfg->verbose, base_timeout_of(o), msg, msg_size);
	if (r < 0) {
		free(o);
		return r;
	}
	j = open_job_new(o, false);
	if (!j) {
		free(o);
		snprintf(msg, msg_size, "PortAudio output: out of memory");
		return -ENOMEM;
	}
	j->initialize = true;
	r = pa_job_run_bounded(j, timeout_of(o));
	if (r < 0) {
		snprintf(msg, msg_size, "PortAudio did not open the device within %u ms",
			 timeout_of(o));
		free(o);
		return r;
	}
	snprintf(msg, msg_size, "%s", j->msg);
	r = open_job_harvest(o, j);
	if (r < 0)
		goto err_terminate;
	*ret_ctx = o;
	return 0;

err_terminate:
	if (o->initialized) {
		struct pa_job *t = pa_job_new(JOB_TERMINATE);

		if (t && pa_job_run_bounded(t, timeout_of(o)) == 0)
			pa_job_release(t);
	}
	free(o);
	return r;
}

static int pa_start(void *ctx)
{
	struct pa_out *o = ctx;
	struct pa_job *j;
	int r;

	if (o->sup.state == OUTPUT_PLAYING)
		return 0;
	if (o->sup.state == OUTPUT_LOST || !o->stream) {
		/* no stream (lost, or stopped while lost): health reopens */
		supervisor_start_without_stream(&o->sup, clock_now_ms());
		return -EIO;
	}
	j = pa_job_new(JOB_START);
	if (!j)
		return -ENOMEM;
	j->stream = o->stream;
	j->sctx = o->sctx;
	r = pa_job_run_bounded(j, timeout_of(o));
	if (r == 0) {
		r = j->result;
		pa_job_release(j);
	} else {
		/* the abandoned job owns the stream now */
		o->stream = NULL;
		o->sctx = NULL;
	}
	if (r < 0) {
		supervisor_started(&o->sup, clock_now_ms(), 0); /* so the loss counts */
		declare_lost(o, "stream did not start");
		return r;
	}
	supervisor_started(&o->sup, clock_now_ms(), atomic_load(&o->sctx->frames));
	return 0;
}

static int pa_stop(void *ctx)
{
	struct pa_out *o = ctx;
	struct pa_job *j;
	int r;

	if (o->sup.state != OUTPUT_PLAYING || !o->stream) {
		/* nothing plays (stopped, or lost: recovery stops with it) */
		supervisor_stopped(&o->sup);
		return 0;
	}
	j = pa_job_new(JOB_STOP);
	if (!j)
		return -ENOMEM;
	j->stream = o->stream;
	j->sctx = o->sctx;
	pa_sctx_retire(o->sctx, timeout_of(o));
	r = pa_job_run_bounded(j, timeout_of(o));
	if (r == 0) {
		r = j->result;
		pa_job_release(j);
	} else {
		o->frames_retired += atomic_load(&o->sctx->frames);
		o->stream = NULL;
		o->sctx = NULL;
	}
	supervisor_stopped(&o->sup);
	if (o->sctx) {
		/* callbacks are over: let a later start pull again */
		atomic_store(&o->sctx->retired, false);
	}
	return r;
}

static void pa_close(void *ctx)
{
	struct pa_out *o = ctx;
	unsigned timeout = timeout_of(o);

	supervisor_stopped(&o->sup);
	/* Twice: harvesting a late recovery hands its stream to a close job. */
	for (int i = 0; i < 2 && o->job; i++) {
		if (pa_job_wait(o->job, timeout))
			harvest(o);
		else
			o->job = NULL; /* abandoned: it owns what it holds */
	}
	if (o->stream) {
		struct pa_job *j = pa_job_new(JOB_CLOSE);

		pa_sctx_retire(o->sctx, timeout);
		if (j) {
			j->stream = o->stream;
			j->sctx = o->sctx;
			if (pa_job_run_bounded(j, timeout) == 0) {
				if (j->result == 0)
					pa_sctx_free(j->sctx);
				pa_job_release(j);
			}
		}
	}
	if (o->initialized && !atomic_load(&pa_terminate_unsafe)) {
		struct pa_job *t = pa_job_new(JOB_TERMINATE);

		if (t && pa_job_run_bounded(t, timeout) == 0)
			pa_job_release(t);
	}
	free(o);
}

static int pa_describe(void *ctx, char *buf, size_t size)
{
	struct pa_out *o = ctx;

	return snprintf(buf, size, "'%s' (%s), %d Hz, %u ch, %u-frame period, "
			"output latency %.1f ms%s",
			o->dev_name, o->host_name, SESSION_RATE_HZ, o->channels,
			o->cfg.period_frames, o->latency_s * 1000.0,
			o->sup.state == OUTPUT_LOST ? " [lost]" : "");
}

const struct output_ops output_portaudio_ops = {
	.name = "portaudio",
	.open = pa_open,
	.start = pa_start,
	.stop = pa_stop,
	.close = pa_close,
	.health = pa_health,
	.describe = pa_describe,
	.wait_for_device = output_portaudio_wait_for_device,
};

int output_portaudio_wait_for_device(const struct output_config *cfg, unsigned timeout_ms,
				     char *msg, size_t msg_size)
{
	unsigned call_timeout = cfg && cfg->call_timeout_ms ? cfg->call_timeout_ms
							    : OUTPUT_DEFAULT_CALL_TIMEOUT_MS;
	int64_t next_ns = clock_now_ns();
	long long deadline = clock_now_ms() + timeout_ms;
	int r;

	output_quiet(cfg ? cfg->verbose : false);
	for (;;) {
		/* In a child: a probe that hangs is killed, never leaked. */
		r = pa_probe_devices(cfg && cfg->device ? cfg->device : "", cfg ? cfg->alsa_config_path : NULL,
				  cfg ? cfg->verbose : false,
				  call_timeout, msg, msg_size);
		if (r != -ENODEV || clock_now_ms() >= deadline)
			return r;
		/* Re-enumerating costs a Pa_Initialize: once a second at most. */
		next_ns += 1000000000LL;
		clock_sleep_until_ns(next_ns);
	}
}
