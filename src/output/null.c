/* null.c - the output that needs no device: a thread pulls the session
 * either in real time (sleeping to absolute period deadlines on the one
 * clock, util/clock.h, so pacing does not drift with the time spent
 * pulling, and a test runs it on a fake clock) or as fast as the pull
 * function runs. Tests and headless runs use it; like MPD's null output it
 * is what everything falls back to. */
#include "output/output.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct null_out {
	output_pull_fn pull;   /* borrowed until close */
	void *pull_ctx;        /* borrowed until close */
	enum output_pacing pacing;
	unsigned period;       /* frames per pull */
	unsigned channels;
	frames_t limit;        /* 0 = unlimited */
	struct clock_source clock; /* real-time pacing (util/clock.h); its ctx borrowed */
	float *buf;            /* owned: period frames, the pull target */

	pthread_t thread;
	bool thread_running;   /* control thread only */
	atomic_bool stop;      /* control -> pulling thread */
	atomic_bool ended;     /* pulling thread reached limit */
	atomic_llong frames_pulled;
};

static void *null_thread(void *arg)
{
	struct null_out *n = arg;
	/* exact: the deadline of period k is start + k * period / rate, so
	 * pacing never drifts, whatever the rounding of one period */
	int64_t start = n->clock.now_ns(n->clock.ctx), periods = 0;

	while (!atomic_load_explicit(&n->stop, memory_order_acquire)) {
		frames_t done = atomic_load_explicit(&n->frames_pulled, memory_order_relaxed);
		size_t frames = n->period;

		if (n->limit > 0) {
			if (done >= n->limit) {
				atomic_store_explicit(&n->ended, true, memory_order_release);
				break;
			}
			if (n->limit - done < (frames_t)frames)
				frames = (size_t)(n->limit - done);
		}
		n->pull(n->pull_ctx, n->buf, frames);
		atomic_store_explicit(&n->frames_pulled, done + (frames_t)frames, memory_order_release);
		if (n->pacing == OUTPUT_PACE_REALTIME) {
			periods++;
			int64_t frames_due = periods * (int64_t)n->period; /* whole seconds, then the rest: */
			int64_t due_ns = frames_due / SESSION_RATE_HZ * 1000000000LL +
					 frames_due % SESSION_RATE_HZ * 1000000000LL / SESSION_RATE_HZ;
			n->clock.sleep_until_ns(n->clock.ctx, start + due_ns); /* no overflow in years */
		}
	}
	return NULL;
}

static int null_open(const struct output_config *cfg, output_pull_fn pull, void *pull_ctx,
		     void **ret_ctx, char *msg, size_t msg_size)
{
	struct null_out *n = calloc(1, sizeof(*n));

	if (!n)
		goto err_nomem;
	n->pull = pull;
	n->pull_ctx = pull_ctx;
	n->pacing = cfg->pacing;
	n->period = cfg->period_frames ? cfg->period_frames : OUTPUT_DEFAULT_PERIOD_FRAMES;
	n->channels = cfg->channels ? cfg->channels : 1;
	n->limit = cfg->null_frame_limit > 0 ? cfg->null_frame_limit : 0;
	n->clock = cfg->null_clock ? *cfg->null_clock : *clock_source();
	n->buf = calloc(n->period, sizeof(float));
	if (!n->buf)
		goto err_free_n;
	atomic_init(&n->stop, false);
	atomic_init(&n->ended, false);
	atomic_init(&n->frames_pulled, 0);
	*ret_ctx = n;
	return 0;

err_free_n:
	free(n);
err_nomem:
	snprintf(msg, msg_size, "null output: out of memory");
	return -ENOMEM;
}

static int null_stop(void *ctx)
{
	struct null_out *n = ctx;

	if (!n->thread_running)
		return 0;
	atomic_store_explicit(&n->stop, true, memory_order_release);
	/* Bounded: the thread sleeps at most one period between checks. */
	pthread_join(n->thread, NULL);
	n->thread_running = false;
	return 0;
}

static int null_start(void *ctx)
{
	struct null_out *n = ctx;
	int r;

	if (n->thread_running)
		return 0;
	atomic_store(&n->stop, false);
	atomic_store(&n->ended, false);
	r = pthread_create(&n->thread, NULL, null_thread, n);
	if (r != 0)
		return -r;
	n->thread_running = true;
	return 0;
}

static void null_close(void *ctx)
{
	struct null_out *n = ctx;

	null_stop(n);
	free(n->buf);
	free(n);
}

static int null_health(void *ctx, struct output_health *ret)
{
	struct null_out *n = ctx;

	memset(ret, 0, sizeof(*ret));
	ret->frames_pulled = atomic_load_explicit(&n->frames_pulled, memory_order_acquire);
	if (n->thread_running && !atomic_load_explicit(&n->ended, memory_order_acquire))
		ret->state = OUTPUT_PLAYING;
	else
		ret->state = OUTPUT_STOPPED;
	return 0;
}

static int null_describe(void *ctx, char *buf, size_t size)
{
	struct null_out *n = ctx;

	return snprintf(buf, size, "null output (%s pacing), %d Hz, %u ch, %u-frame period",
			n->pacing == OUTPUT_PACE_INSTANT ? "instant" : "real-time",
			SESSION_RATE_HZ, n->channels, n->period);
}

const struct output_ops output_null_ops = {
	.name = "null",
	.open = null_open,
	.start = null_start,
	.stop = null_stop,
	.close = null_close,
	.health = null_health,
	.describe = null_describe,
};
