/* portaudio_calls.c - every PortAudio call that can block (Pa_Initialize,
 * Pa_Terminate, Pa_OpenStream, Pa_StartStream, Pa_StopStream,
 * Pa_AbortStream, Pa_CloseStream) as a job on a short-lived thread
 * (util/job.h) that the control thread waits for at most a timeout, and
 * what an abandoned job does if it ever comes back. Separate from the ops
 * (portaudio.c) because this is the part that owns threads and the
 * ownership hand-over of a stream that did not come back. */
#include "output/portaudio_internal.h"
#include "util/job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

atomic_bool pa_terminate_unsafe;

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
		int r = pa_probe_devices(j->device, j->alsa_config, j->verbose, j->probe_ms, j->msg, sizeof(j->msg));
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
	dev = pa_find_device(j->device, j->msg, sizeof(j->msg));
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
			  paClipOff | paDitherOff, pa_stream_callback, j->sctx);
	if (e != paNoError) {
		j->stream = NULL;
		j->result = pa_errno(e);
		snprintf(j->msg, sizeof(j->msg), "cannot open '%s': %s", info->name,
			 Pa_GetErrorText(e));
		return;
	}
	Pa_SetStreamFinishedCallback(j->stream, pa_stream_finished);
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
		pa_sctx_free(j->sctx);
	if (j->initialized && j->kind == JOB_OPEN && !atomic_load(&pa_terminate_unsafe))
		Pa_Terminate();
	free(j);
}

struct pa_job *pa_job_new(enum pa_job_kind kind)
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
void pa_job_release(struct pa_job *j)
{
	job_release(j->runner);
	free(j);
}

/* Start j on its thread. On failure j is still the caller's. */
int pa_job_spawn(struct pa_job *j)
{
	return job_spawn(j->runner);
}

bool pa_job_is_done(struct pa_job *j)
{
	return job_is_done(j->runner);
}

/* Give up on a running job: from now on it owns its stream and sctx (see
 * job_orphaned) and j is no longer the caller's. PortAudio may be wedged
 * by it, so no more Pa_Terminate in this process. false: it had just
 * finished; nothing is stuck, and j is still the caller's. */
bool pa_job_abandon(struct pa_job *j)
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
bool pa_job_wait(struct pa_job *j, unsigned timeout_ms)
{
	return job_wait(j->runner, timeout_ms) || !pa_job_abandon(j);
}

/* Run j synchronously but bounded. Returns 0 with j done (caller reads and
 * releases it) or -ETIMEDOUT/-errno with j gone. */
int pa_job_run_bounded(struct pa_job *j, unsigned timeout_ms)
{
	int r = pa_job_spawn(j);

	if (r < 0) {
		pa_job_release(j);
		return r;
	}
	return pa_job_wait(j, timeout_ms) ? 0 : -ETIMEDOUT;
}
