/* output.h - where session audio leaves the process.
 *
 * Live playback is pull-based: the backend's audio thread asks the engine
 * for mono float32 frames at SESSION_RATE_HZ through an output_pull_fn and
 * copies them to every output channel. Backends are tables (struct
 * output_ops) with a void *ctx, in the manner of MPD 0.16 output plugins,
 * listed by name in one table (registry.c, as seatd's libseat lists its
 * backends): "portaudio" (the sound card; the default; listed as missing
 * in builds without PortAudio) and "null" (always there; no device).
 * Callers choose a backend only through that table (output_backend_find),
 * never by naming an ops struct. Offline rendering, and the WAV file play
 * falls back to, go through the WAV writer in output/wav.h instead: it is
 * driven by the renderer far faster than real time, not pulled by a clock.
 *
 * The control thread owns a struct output: it opens, starts, polls
 * output_health() a few times a second (that call also drives recovery after
 * device loss), and closes. None of these calls blocks for longer than
 * output_config.call_timeout_ms; a backend call that does not come back by
 * then is abandoned and its stream leaked, never waited for. */
#ifndef REPCUE_OUTPUT_OUTPUT_H
#define REPCUE_OUTPUT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/time.h"
#include "util/clock.h"

/* Fill out[0..frames) with the next mono session frames. Called from the
 * audio thread, never concurrently with itself; must not block, allocate
 * or lock. frames may be any size (normally output_config.period_frames). */
typedef void (*output_pull_fn)(void *ctx, float *out, size_t frames);

#define OUTPUT_DEFAULT_PERIOD_FRAMES 256
#define OUTPUT_DEFAULT_CALL_TIMEOUT_MS 2000
/* Room for any message the output module writes, NUL included. */
#define OUTPUT_MSG_MAX 256

enum output_pacing {
	OUTPUT_PACE_REALTIME, /* one period per period of wall-clock time */
	OUTPUT_PACE_INSTANT,  /* as fast as the pull function runs */
};


struct output_config {
	/* NULL or "" = the default output; otherwise an exact, else the first
	 * substring, match of the device name. Borrowed during open only. */
	const char *device;
	unsigned channels;        /* 0 = backend default: 2 PortAudio, 1 null */
	unsigned period_frames;   /* frames per callback; 0 = 256 */
	unsigned latency_frames;  /* suggested device latency; 0 = one period */
	unsigned call_timeout_ms; /* bound on any blocking backend call; 0 = 2000 */
	enum output_pacing pacing; /* null backend only */
	/* null backend only: stop pulling after this many frames (0 = never),
	 * so tests can run a routine to a known end without a clock. */
	frames_t null_frame_limit;
	/* null backend only: the clock of its real-time pacing (util/clock.h,
	 * a seam so tests walk its periods on a fake clock); NULL = the
	 * process's clock_source() at open. Borrowed until close. */
	const struct clock_source *null_clock;
	bool verbose;             /* let ALSA and JACK print their own messages */
	/* $ALSA_CONFIG_PATH (util/env.h), named in messages about ALSA's
	 * configuration (ALSA reads the variable itself); NULL or "" = unset.
	 * Borrowed until close. */
	const char *alsa_config_path;
};

enum output_state {
	OUTPUT_STOPPED, /* opened or stopped: nothing pulled */
	OUTPUT_PLAYING,
	OUTPUT_LOST,    /* device gone; output_health() is retrying */
};

struct output_health {
	enum output_state state;
	/* Frames the device has pulled since open, across reopenings. The
	 * heartbeat: it stops advancing when the device does. */
	frames_t frames_pulled;
	unsigned losses;       /* times the device was lost */
	unsigned recoveries;   /* times it came back (engine resumes each time) */
	unsigned underflows;   /* callbacks the backend flagged as late */
	/* The caller logs message when message_seq differs from the last one
	 * it logged. Messages are rate-limited (state changes always come
	 * through; repeats of a failing retry at most every 10 s); suppressed
	 * counts those withheld since the previous message. */
	unsigned message_seq;
	unsigned suppressed;
	char message[OUTPUT_MSG_MAX];
};

/* A backend. Optional methods (may be NULL) are marked; call them only
 * through the output_* wrappers below, which handle NULL. Every method
 * except open takes the ctx that open returned. */
struct output_ops {
	const char *name;

	/* Open the device, not yet pulling. On success stores backend state in
	 * *ret_ctx (owned by the caller, released with close) and returns 0;
	 * else returns -errno (-ENODEV: no output device at all) with a
	 * one-line reason in msg. pull and pull_ctx are borrowed until close. */
	int (*open)(const struct output_config *cfg, output_pull_fn pull, void *pull_ctx,
		    void **ret_ctx, char *msg, size_t msg_size);

	/* Start pulling. 0 or -errno. */
	int (*start)(void *ctx);

	/* Optional: stop pulling; start may follow. 0 or -errno. When it
	 * returns 0 the pull function will not be called again until start. */
	int (*stop)(void *ctx);

	/* Stop if needed and free ctx. Bounded: a device that does not let go
	 * in call_timeout_ms is leaked. */
	void (*close)(void *ctx);

	/* Optional: check the device and, after a loss, drive recovery (retry
	 * at most once a second). Fills *ret; returns 0 when healthy or
	 * stopped, -EIO while lost. Never blocks on the device. */
	int (*health)(void *ctx, struct output_health *ret);

	/* Optional: one line such as "USB Audio: hw:1,0 (ALSA), 48000 Hz,
	 * 2 ch, 256-frame period, output latency 10.7 ms". Returns the
	 * snprintf-style length or -errno. */
	int (*describe)(void *ctx, char *buf, size_t size);

	/* Optional, called before open, with no ctx: check whether the device
	 * cfg names is there, again at most once a second, for up to
	 * timeout_ms (0 = check once). 0 when it is, -ENODEV when it is not
	 * by then, or another -errno, with a one-line reason in msg. Sleeps
	 * between checks; never spins. A backend without it has nothing to
	 * wait for. */
	int (*wait_for_device)(const struct output_config *cfg, unsigned timeout_ms, char *msg,
			       size_t msg_size);
};

/* A backend by name: one entry of the table in registry.c. */
struct output_backend {
	const char *name;             /* what --output takes; equals ops->name */
	const char *description;      /* one line for the usage text */
	const struct output_ops *ops; /* NULL: not in this build, see missing */
	const char *missing;          /* when ops is NULL: why, and the fix */
};

/* The backend called name, NULL if there is none (the table lists those
 * missing from this build too: a caller tells "unknown" from "missing"). */
const struct output_backend *output_backend_find(const char *name);
/* The i-th backend of the table, NULL past its end; 0 is the default. */
const struct output_backend *output_backend_at(size_t i);
/* The names of all backends, "portaudio, null", for messages. Returns the
 * snprintf-style length. */
int output_backend_names(char *buf, size_t size);

/* Used by the table and by tests that drive a backend directly. */
extern const struct output_ops output_null_ops;
#ifdef REPCUE_HAVE_PORTAUDIO
extern const struct output_ops output_portaudio_ops;
int output_portaudio_wait_for_device(const struct output_config *cfg, unsigned timeout_ms,
				     char *msg, size_t msg_size);
#endif

/* An open backend: ops plus its ctx. Owned by the caller of output_open. */
struct output;

/* Open ops (NULL = the default backend of the table) with cfg (NULL = all
 * defaults). On success *ret is the caller's, released with output_close.
 * Returns 0 or -errno with a reason in msg (-ENOTSUP: the backend is not
 * in this build). */
int output_open(const struct output_ops *ops, const struct output_config *cfg,
		output_pull_fn pull, void *pull_ctx, struct output **ret,
		char *msg, size_t msg_size);
int output_start(struct output *out);
/* -EOPNOTSUPP if the backend cannot stop. */
int output_stop(struct output *out);
/* Backends without health report OUTPUT_PLAYING/STOPPED from start/stop. */
int output_health(struct output *out, struct output_health *ret);
int output_describe(struct output *out, char *buf, size_t size);
const char *output_name(const struct output *out);
/* Close and free; NULL is a no-op. */
void output_close(struct output *out);

/* ops->wait_for_device (ops NULL = the default backend); 0 at once for a
 * backend without it, -ENOTSUP with the reason for one missing from this
 * build. */
int output_wait_for_device(const struct output_ops *ops, const struct output_config *cfg,
			   unsigned timeout_ms, char *msg, size_t msg_size);

#endif
