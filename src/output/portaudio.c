/* portaudio.c - the sound card, through a PortAudio callback stream. The
 * only file that includes portaudio.h.
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
#include "output/probe.h"
#include "output/quiet.h"
#include "output/supervisor.h"
#include "util/clock.h"
#include "util/job.h"

#include <dirent.h>
#include <errno.h>
#include <portaudio.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PA_DEFAULT_CHANNELS 2
#define PA_STALL_MIN_MS 500

/* Process-wide, because PortAudio's own state is: see the header comment. */
static atomic_bool pa_terminate_unsafe;

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


/* ---- the audio thread ------------------------------------------------- */

static int pa_callback(const void *input, void *output, unsigned long frames,
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

static void pa_finished(void *user)
{
	struct pa_stream_ctx *s = user;

	atomic_store_explicit(&s->finished, true, memory_order_release);
}

static struct pa_stream_ctx *sctx_new(output_pull_fn pull, void *pull_ctx, unsigned period)
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

static void sctx_free(struct pa_stream_ctx *s)
{
	if (!s)
		return;
	free(s->mono);
	free(s);
}

/* After this returns the stream's callback no longer calls pull. The wait
 * is for at most one callback already inside pull, which never blocks. */
static void sctx_retire(struct pa_stream_ctx *s, unsigned timeout_ms)
{
	struct timespec tick = { 0, 1000000 };

	atomic_store(&s->retired, true);
	for (unsigned waited = 0; atomic_load(&s->in_callback) && waited < timeout_ms; waited++)
		nanosleep(&tick, NULL);
}

/* ---- job threads: the only place PortAudio calls that may block run ---- */

static int pa_errno(PaError e)
{
	switch (e) {
	case paNoError:
		return 0;
	case paInsufficientMemory:
		return -ENOMEM;
	case paInvalidDevice:
	case paDeviceUnavailable:
	case paNoDevice:
		return -ENODEV;
	case paInvalidChannelCount:
	case paInvalidSampleRate:
	case paSampleFormatNotSupported:
	case paBadIODeviceCombination:
		return -EINVAL;
	case paTimedOut:
		return -ETIMEDOUT;
	default:
		return -EIO;
	}
}

/* Device whose name equals name, else the first containing it (ignoring
 * case); the default output for "". Lists candidates in msg on failure. */
static PaDeviceIndex find_device(const char *name, char *msg, size_t msg_size)
{
	int count = Pa_GetDeviceCount();
	PaDeviceIndex sub = paNoDevice;
	size_t used;

	if (count <= 0) {
		snprintf(msg, msg_size, "no audio output device (PortAudio lists none)");
		return paNoDevice;
	}
	if (name[0] == '\0') {
		PaDeviceIndex d = Pa_GetDefaultOutputDevice();

		if (d == paNoDevice)
			snprintf(msg, msg_size, "no default audio output device");
		return d;
	}
	for (PaDeviceIndex i = 0; i < count; i++) {
		const PaDeviceInfo *info = Pa_GetDeviceInfo(i);

		if (!info || info->maxOutputChannels <= 0)
			continue;
		if (strcmp(info->name, name) == 0)
			return i;
		if (sub == paNoDevice && strcasestr(info->name, name))
			sub = i;
	}
	if (sub != paNoDevice)
		return sub;
	used = (size_t)snprintf(msg, msg_size, "no output device matching '%s'; outputs:", name);
	for (PaDeviceIndex i = 0; i < count && used < msg_size; i++) {
		const PaDeviceInfo *info = Pa_GetDeviceInfo(i);

		if (info && info->maxOutputChannels > 0)
			used += (size_t)snprintf(msg + used, msg_size - used, " '%s'", info->name);
	}
	return paNoDevice;
}

static int probe_devices(const char *device, const char *alsa_config, bool verbose, unsigned timeout_ms,
			 char *msg, size_t msg_size);

static void job_open(struct pa_job *j)
{
	PaStreamParameters params;
	const PaDeviceInfo *info;
	const PaStreamInfo *si;
	PaDeviceIndex dev;
	PaError e;
	unsigned channels;

	if (j->terminate_first) {
		Pa_Terminate();
		j->initialized = false;
	}
	if (j->initialize && j->probe_ms) {
		/* Re-initialising after a loss: what aborts or hangs PortAudio
		 * may have appeared since the session started. */
		int r = probe_devices(j->device, j->alsa_config, j->verbose, j->probe_ms, j->msg, sizeof(j->msg));
		if (r < 0) {
			j->result = r;
			return;
		}
	}
	if (j->initialize) {
		e = Pa_Initialize();
		if (e != paNoError) {
			j->result = pa_errno(e);
			snprintf(j->msg, sizeof(j->msg), "PortAudio: %s", Pa_GetErrorText(e));
			return;
		}
		j->initialized = true;
	}
	j->jack_up = Pa_HostApiTypeIdToHostApiIndex(paJACK) >= 0;
	dev = find_device(j->device, j->msg, sizeof(j->msg));
	if (dev == paNoDevice) {
		j->result = -ENODEV;
		return;
	}
	info = Pa_GetDeviceInfo(dev);
	channels = j->channels ? j->channels : PA_DEFAULT_CHANNELS;
	if (j->channels == 0 && (int)channels > info->maxOutputChannels)
		channels = (unsigned)info->maxOutputChannels;
	if ((int)channels > info->maxOutputChannels) {
		j->result = -EINVAL;
		snprintf(j->msg, sizeof(j->msg), "'%s' has %d output channels, %u asked for",
			 info->name, info->maxOutputChannels, channels);
		return;
	}
	j->sctx->channels = channels;
	params = (PaStreamParameters){
		.device = dev,
		.channelCount = (int)channels,
		.sampleFormat = paFloat32,
		.suggestedLatency = (double)j->latency / SESSION_RATE_HZ,
		.hostApiSpecificStreamInfo = NULL,
	};
	/* paClipOff/paDitherOff: the engine already limits its mix, and the
	 * samples must reach the device bit-exact (the capture tests compare
	 * them sample for sample). */
	e = Pa_OpenStream(&j->stream, NULL, &params, SESSION_RATE_HZ, j->period,
			  paClipOff | paDitherOff, pa_callback, j->sctx);
	if (e != paNoError) {
		j->stream = NULL;
		j->result = pa_errno(e);
		snprintf(j->msg, sizeof(j->msg), "cannot open '%s': %s", info->name,
			 Pa_GetErrorText(e));
		return;
	}
	Pa_SetStreamFinishedCallback(j->stream, pa_finished);
	snprintf(j->dev_name, sizeof(j->dev_name), "%s", info->name);
	snprintf(j->host_name, sizeof(j->host_name), "%s",
		 Pa_GetHostApiInfo(info->hostApi) ? Pa_GetHostApiInfo(info->hostApi)->name : "?");
	j->channels_out = channels;
	si = Pa_GetStreamInfo(j->stream);
	j->latency_s = si ? si->outputLatency : 0.0;
	if (j->start) {
		e = Pa_StartStream(j->stream);
		if (e != paNoError) {
			j->result = pa_errno(e);
			snprintf(j->msg, sizeof(j->msg), "cannot start '%s': %s", info->name,
				 Pa_GetErrorText(e));
			Pa_CloseStream(j->stream);
			j->stream = NULL;
			return;
		}
	}
}

static void job_close(struct pa_job *j)
{
	if (!j->stream)
		return;
	/* Abort, not stop: a lost device has nothing left to drain into. */
	Pa_AbortStream(j->stream);
	j->result = pa_errno(Pa_CloseStream(j->stream));
	j->stream = NULL;
}

static void job_run(void *arg)
{
	struct pa_job *j = arg;
	PaError e;

	switch (j->kind) {
	case JOB_OPEN:
		job_open(j);
		break;
	case JOB_START:
		e = Pa_StartStream(j->stream);
		j->result = pa_errno(e);
		if (e != paNoError)
			snprintf(j->msg, sizeof(j->msg), "cannot start: %s", Pa_GetErrorText(e));
		break;
	case JOB_STOP:
		j->result = pa_errno(Pa_StopStream(j->stream));
		break;
	case JOB_CLOSE:
		job_close(j);
		break;
	case JOB_TERMINATE:
		Pa_Terminate();
		break;
	}
}

/* On the job's thread, after an abandoned job came back at last: nobody
 * waits for it and it owns what it holds: close a stream that came back
 * late, free what is safe, and the job itself. */
static void job_orphaned(void *arg)
{
	struct pa_job *j = arg;
	bool closed = true;

	if (j->stream) {
		if (j->sctx)
			atomic_store(&j->sctx->retired, true);
		Pa_AbortStream(j->stream);
		closed = Pa_CloseStream(j->stream) == paNoError;
	}
	if (closed)
		sctx_free(j->sctx);
	if (j->initialized && j->kind == JOB_OPEN && !atomic_load(&pa_terminate_unsafe))
		Pa_Terminate();
	free(j);
}

static struct pa_job *pa_job_new(enum pa_job_kind kind)
{
	struct pa_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->runner = job_new(job_run, job_orphaned, j);
	if (!j->runner) {
		free(j);
		return NULL;
	}
	j->kind = kind;
	return j;
}

/* Free a job that is done or never ran (not its stream or sctx). */
static void pa_job_release(struct pa_job *j)
{
	job_release(j->runner);
	free(j);
}

/* Start j on its thread. On failure j is still the caller's. */
static int pa_job_spawn(struct pa_job *j)
{
	return job_spawn(j->runner);
}

static bool pa_job_is_done(struct pa_job *j)
{
	return job_is_done(j->runner);
}

/* Give up on a running job: from now on it owns its stream and sctx (see
 * job_orphaned) and j is no longer the caller's. PortAudio may be wedged
 * by it, so no more Pa_Terminate in this process. false: it had just
 * finished; nothing is stuck, and j is still the caller's. */
static bool pa_job_abandon(struct pa_job *j)
{
	struct pa_stream_ctx *s = j->sctx;
	bool was_retired = s && atomic_load(&s->retired);

	/* Before letting go: once abandoned, j and s may be freed at any
	 * moment by the job's thread. Retired, a stream the job started
	 * stops pulling, so a new one may pull without two pullers. */
	if (s)
		atomic_store(&s->retired, true);
	if (!job_abandon(j->runner)) {
		if (s)
			atomic_store(&s->retired, was_retired);
		return false;
	}
	atomic_store(&pa_terminate_unsafe, true);
	return true;
}

/* Wait for j up to timeout_ms. true: done, j still the caller's to read
 * and free. false: timed out and abandoned, j no longer the caller's. */
static bool pa_job_wait(struct pa_job *j, unsigned timeout_ms)
{
	return job_wait(j->runner, timeout_ms) || !pa_job_abandon(j);
}

/* Run j synchronously but bounded. Returns 0 with j done (caller reads and
 * releases it) or -ETIMEDOUT/-errno with j gone. */
static int pa_job_run_bounded(struct pa_job *j, unsigned timeout_ms)
{
	int r = pa_job_spawn(j);

	if (r < 0) {
		pa_job_release(j);
		return r;
	}
	return pa_job_wait(j, timeout_ms) ? 0 : -ETIMEDOUT;
}

/* ---- the probe child (probe.h) ----------------------------------------- */

struct probe_arg {
	const char *device;
	const char *alsa_config;
	bool verbose;
};

/* In the child: ALSA first (a configuration it cannot read or that lists
 * nothing makes PortAudio abort), then what pa_open will do. */
static int probe_child(void *arg, char *msg, size_t msg_size)
{
	const struct probe_arg *a = arg;
	int r = output_alsa_check(a->alsa_config, msg, msg_size);

	if (r < 0)
		return r;
	output_quiet(a->verbose);
	PaError e = Pa_Initialize();
	if (e != paNoError) {
		snprintf(msg, msg_size, "PortAudio: %s", Pa_GetErrorText(e));
		return pa_errno(e);
	}
	if (find_device(a->device, msg, msg_size) == paNoDevice)
		return -ENODEV;
	return 0;
}

/* Name of a JACK server socket in /dev/shm ("jack_default_0_0"), the
 * usual reason Pa_Initialize does not answer; "" if there is none. */
static void jack_socket_name(char *out, size_t size)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;

	out[0] = '\0';
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "jack_", 5) == 0 && strncmp(e->d_name, "jack_sem", 8) != 0 &&
		    strncmp(e->d_name, "jack_db", 7) != 0) {
			snprintf(out, size, "/dev/shm/%.100s", e->d_name);
			break;
		}
	}
	closedir(d);
}

/* First line of s, at most size - 1 bytes. */
static void first_line(char *out, size_t size, const char *s)
{
	size_t n = strcspn(s, "\n");

	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Whether PortAudio may be initialised in this process: 0, or -ENODEV
 * with the reason and the fix in msg (the caller falls back as it does
 * without a sound card), or another -errno. */
static int probe_devices(const char *device, const char *alsa_config, bool verbose, unsigned timeout_ms,
			 char *msg, size_t msg_size)
{
	struct probe_arg arg = { .device = device ? device : "", .alsa_config = alsa_config, .verbose = verbose };
	struct probe_result pr;
	char line[200], jack[128];

	msg[0] = '\0';
	int r = output_probe_run(probe_child, &arg, timeout_ms, &pr);
	if (r < 0)
		return r;
	switch (pr.outcome) {
	case PROBE_RETURNED:
		snprintf(msg, msg_size, "%s", pr.msg);
		return pr.rc;
	case PROBE_CRASHED:
		first_line(line, sizeof(line), pr.err);
		snprintf(msg, msg_size,
			 "PortAudio crashed (%s) while listing the sound devices%s%s%s; the usual cause "
			 "is the ALSA configuration: check ~/.asoundrc, /etc/asound.conf and "
			 "ALSA_CONFIG_PATH", pr.sig ? strsignal(pr.sig) : "exited", line[0] ? " (" : "",
			 line, line[0] ? ")" : "");
		return -ENODEV;
	case PROBE_TIMED_OUT:
		jack_socket_name(jack, sizeof(jack));
		if (jack[0])
			snprintf(msg, msg_size,
				 "PortAudio did not answer within %u ms while listing the sound devices: "
				 "the JACK server behind %s does not answer (stopped, hung, or left behind "
				 "by a crash); restart jackd, or stop it and remove its files in /dev/shm",
				 timeout_ms, jack);
		else
			snprintf(msg, msg_size,
				 "PortAudio did not answer within %u ms while listing the sound devices; "
				 "a sound server or driver that hangs is the usual cause", timeout_ms);
		return -ENODEV;
	case PROBE_BUSY:
		snprintf(msg, msg_size, "an earlier check of the sound devices is still stuck; "
			 "not starting another");
		return -ENODEV;
	case PROBE_FAILED:
		snprintf(msg, msg_size, "cannot check the sound devices: %s", strerror(-pr.rc));
		return pr.rc;
	}
	return -EIO;
}

/* ---- the control thread ----------------------------------------------- */

static unsigned timeout_of(const struct pa_out *o)
{
	return o->cfg.call_timeout_ms ? o->cfg.call_timeout_ms : OUTPUT_DEFAULT_CALL_TIMEOUT_MS;
}

static struct pa_job *open_job_new(struct pa_out *o, bool start)
{
	struct pa_job *j = pa_job_new(JOB_OPEN);

	if (!j)
		return NULL;
	j->sctx = sctx_new(o->pull, o->pull_ctx, o->cfg.period_frames);
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
		sctx_free(j->sctx);
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
	sctx_retire(o->sctx, timeout_of(o));
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
			sctx_free(j->sctx);
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
	j->probe_ms = j->initialize ? timeout_of(o) / 2 : 0;
	j->verbose = o->cfg.verbose;
	j->alsa_config = o->cfg.alsa_config_path;
	if (pa_job_spawn(j) < 0) {
		sctx_free(j->sctx);
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
	r = probe_devices(o->device, cfg->alsa_config_path, cfg->verbose, timeout_of(o), msg, msg_size);
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
	sctx_retire(o->sctx, timeout_of(o));
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

		sctx_retire(o->sctx, timeout);
		if (j) {
			j->stream = o->stream;
			j->sctx = o->sctx;
			if (pa_job_run_bounded(j, timeout) == 0) {
				if (j->result == 0)
					sctx_free(j->sctx);
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
		r = probe_devices(cfg && cfg->device ? cfg->device : "", cfg ? cfg->alsa_config_path : NULL,
				  cfg ? cfg->verbose : false,
				  call_timeout, msg, msg_size);
		if (r != -ENODEV || clock_now_ms() >= deadline)
			return r;
		/* Re-enumerating costs a Pa_Initialize: once a second at most. */
		next_ns += 1000000000LL;
		clock_sleep_until_ns(next_ns);
	}
}
