/* bench_live - figures of live playback, measured in-process.
 *
 *   bench_live control ROUTINE CACHE_DIR [EVENTS]
 *       Control latency. One engine plays the routine; at EVENTS event
 *       times spread over the session (not aligned to blocks) it is copied
 *       twice, one copy gets a control stamped with that frame and the two
 *       render on side by side until their output differs. Reports, for
 *       pause and next, how long until the sequencer acts (it applies
 *       controls at block starts) and until the first output sample that
 *       changes (the confirmation's own onset, or the next word boundary
 *       of the line being cut).
 *   bench_live first-speech ROUTINE CACHE_DIR
 *       Time from before live_open() to the period that carries the first
 *       spoken line (and its first audible sample) leaving the null output
 *       in real-time pacing. Run it in a fresh process each time: eSpeak NG
 *       is process-wide and stays up once started.
 *   bench_live idle
 *       Baseline for CPU per minute: the null output in real-time pacing
 *       pulling silence, no engine, until SIGINT.
 *
 * Prints key=value lines for bench/run to parse. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio/engine.h"
#include "session/live.h"
#include "session/session.h"

#define MS_PER_FRAME (1000.0 / SESSION_RATE_HZ)

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static struct session_status status_of(const struct engine *e)
{
	struct session_status st;
	session_status(e, &st);
	return st;
}

static int cmp_frames(const void *a, const void *b)
{
	frames_t x = *(const frames_t *)a, y = *(const frames_t *)b;
	return (x > y) - (x < y);
}

/* "name: min .. median .. p95 .. max frames (ms)" of n values (sorted here). */
static void print_dist(const char *name, frames_t *v, int n)
{
	if (n == 0) {
		printf("%-44s no samples\n", name);
		return;
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_frames);
	frames_t q[4] = { v[0], v[n / 2], v[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1], v[n - 1] };
	printf("%-44s n=%4d  min %6lld  median %6lld  p95 %6lld  max %6lld frames"
	       "  (%.1f / %.1f / %.1f / %.1f ms)\n",
	       name, n, (long long)q[0], (long long)q[1], (long long)q[2], (long long)q[3],
	       (double)q[0] * MS_PER_FRAME, (double)q[1] * MS_PER_FRAME, (double)q[2] * MS_PER_FRAME,
	       (double)q[3] * MS_PER_FRAME);
}

/* --- control latency --- */

#define HORIZON_S 10 /* no control takes longer than this to be heard */

struct latency_stats {
	frames_t *act;          /* event -> sequencer acts */
	frames_t *heard;        /* event -> first changed output sample */
	frames_t *heard_quiet;  /* act -> first change, voice silent at the event */
	frames_t *heard_speech; /* act -> first change, a line playing at the event */
	frames_t *confirmed;    /* event -> confirmation's first sample at or above -40 dBFS */
	int n, n_quiet, n_speech, n_confirmed, not_acted, unchanged;
};

/* Renders copies of `at_block_start` with and without `action` at frame
 * `t` until their output differs; records the latencies. */
static void probe(const struct engine *at_block_start, enum control_action action, frames_t t,
		  struct latency_stats *st)
{
	struct engine with = *at_block_start, without = *at_block_start;
	float a[ENGINE_BLOCK], b[ENGINE_BLOCK];
	struct seq_log_entry log[SEQ_LOG_MAX];
	frames_t acted_at = -1, confirm_at = -1;
	bool acted = false, changed = false, speaking = status_of(at_block_start).seq.speaking;

	seq_push_control(&with.seq, (struct control_event){ .action = action, .at = t });
	while (status_of(&with).now < t + frames_from_s(HORIZON_S) && !engine_finished(&without)) {
		frames_t start = status_of(&with).now;
		engine_render_block(&with, a);
		if (!changed)
			engine_render_block(&without, b);
		int n = seq_take_log(&with.seq, log, SEQ_LOG_MAX);
		for (int i = 0; i < n; i++) {
			if (log[i].kind == LOG_CONTROL && acted_at < 0) {
				acted_at = log[i].at;
				acted = log[i].arg2 != 0;
			} else if (log[i].kind == LOG_SAY && acted_at >= 0 && confirm_at < 0) {
				confirm_at = log[i].at; /* the confirmation (or "Repeating set N.") */
			}
		}
		seq_take_log(&without.seq, log, SEQ_LOG_MAX);
		if (acted_at >= 0 && !acted) {
			st->not_acted++; /* e.g. next in the last unit */
			return;
		}
		for (int i = 0; i < ENGINE_BLOCK && !changed; i++) {
			if (a[i] != b[i]) {
				frames_t at = start + i;
				changed = true;
				st->act[st->n] = acted_at - t;
				st->heard[st->n] = at - t;
				st->n++;
				if (speaking)
					st->heard_speech[st->n_speech++] = at - acted_at;
				else
					st->heard_quiet[st->n_quiet++] = at - acted_at;
			}
		}
		for (int i = 0; i < ENGINE_BLOCK && changed && confirm_at >= 0; i++) {
			if (start + i >= confirm_at && fabsf(a[i]) >= 0.01f) {
				st->confirmed[st->n_confirmed++] = start + i - t;
				return;
			}
		}
	}
	if (!changed)
		st->unchanged++;
}

static int run_control(const char *routine, const char *cache_dir, int n_events)
{
	/* A budget no routine reaches: the copies borrow line samples from the
	 * store, so it must never let a line go while they play. */
	struct session_options opts = { .cache_dir = cache_dir, .budget_bytes = (size_t)1 << 30 };
	static const enum control_action actions[] = { CONTROL_PAUSE, CONTROL_NEXT, CONTROL_REPEAT };
	enum { N_ACTIONS = sizeof(actions) / sizeof(actions[0]) };
	struct latency_stats st[N_ACTIONS];
	struct seq_log_entry log[SEQ_LOG_MAX];
	float block[ENGINE_BLOCK];
	struct session s;
	int ret = 1;

	if (session_open(&s, routine, &opts, stderr) < 0)
		return 1;
	/* The session's length, to spread the events over it. */
	while (!engine_finished(s.engine)) {
		engine_render_block(s.engine, block);
		seq_take_log(&s.engine->seq, log, SEQ_LOG_MAX);
	}
	frames_t total = status_of(s.engine).now;

	frames_t *events = calloc((size_t)n_events, sizeof(*events));
	memset(st, 0, sizeof(st));
	for (int k = 0; k < N_ACTIONS; k++) {
		st[k].act = calloc((size_t)n_events, sizeof(frames_t));
		st[k].heard = calloc((size_t)n_events, sizeof(frames_t));
		st[k].heard_quiet = calloc((size_t)n_events, sizeof(frames_t));
		st[k].heard_speech = calloc((size_t)n_events, sizeof(frames_t));
		st[k].confirmed = calloc((size_t)n_events, sizeof(frames_t));
		if (!st[k].act || !st[k].heard || !st[k].heard_quiet || !st[k].heard_speech || !st[k].confirmed)
			goto out;
	}
	if (!events)
		goto out;
	/* One event in each of n_events equal slices of the session, at a
	 * pseudo-random frame (fixed seed: the same events every run). */
	unsigned long long x = 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < n_events; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		frames_t slice = total / n_events;
		events[i] = (frames_t)i * slice + (frames_t)(x % (unsigned long long)slice);
	}

	struct engine e;
	engine_init(&e, &s.plan, line_store_source(&s.lines), &s.tones);
	int next = 0;
	while (!engine_finished(&e) && next < n_events) {
		while (next < n_events && events[next] < status_of(&e).now + ENGINE_BLOCK) {
			for (int k = 0; k < N_ACTIONS; k++)
				probe(&e, actions[k], events[next], &st[k]);
			next++;
		}
		engine_render_block(&e, block);
		seq_take_log(&e.seq, log, SEQ_LOG_MAX);
	}

	printf("session %lld frames (%.1f min), %d events, block %d frames = %.2f ms at %d Hz\n",
	       (long long)total, (double)total / SESSION_RATE_HZ / 60, n_events, ENGINE_BLOCK,
	       ENGINE_BLOCK * MS_PER_FRAME, SESSION_RATE_HZ);
	for (int k = 0; k < N_ACTIONS; k++) {
		char name[64];
		const char *a = control_action_name(actions[k]);
		printf("%s: %d acted, %d with nothing to do, %d no audible change in %d s\n", a, st[k].n,
		       st[k].not_acted, st[k].unchanged, HORIZON_S);
		snprintf(name, sizeof(name), "  %s: event -> sequencer acts", a);
		print_dist(name, st[k].act, st[k].n);
		snprintf(name, sizeof(name), "  %s: event -> first changed sample", a);
		print_dist(name, st[k].heard, st[k].n);
		snprintf(name, sizeof(name), "  %s: acts -> changed (voice silent)", a);
		print_dist(name, st[k].heard_quiet, st[k].n_quiet);
		snprintf(name, sizeof(name), "  %s: acts -> changed (line playing)", a);
		print_dist(name, st[k].heard_speech, st[k].n_speech);
		snprintf(name, sizeof(name), "  %s: event -> confirmation audible (>= -40 dBFS)", a);
		print_dist(name, st[k].confirmed, st[k].n_confirmed);
	}
	ret = 0;
out:
	for (int k = 0; k < N_ACTIONS; k++) {
		free(st[k].act);
		free(st[k].heard);
		free(st[k].heard_quiet);
		free(st[k].heard_speech);
		free(st[k].confirmed);
	}
	free(events);
	session_close(&s);
	return ret;
}

/* --- first speech --- */

#define STAMPS_MAX 8192 /* periods: 43 s at 256 frames */

/* What the null output was asked for, and when. Static because an
 * output_ops table has no place for a pointer of ours: the wrapped open
 * hands the null backend our pull function and this record instead. */
static struct pull_record {
	output_pull_fn pull;       /* live.c's, borrowed */
	void *pull_ctx;
	frames_t pulled;           /* audio thread only */
	double at_s[STAMPS_MAX];   /* wall time each period was asked for */
	frames_t period_start[STAMPS_MAX];
	atomic_int n_stamps;
	atomic_llong first_audible; /* frame, -1 before */
	double first_audible_s;    /* valid once first_audible >= 0 */
} rec;

static void rec_pull(void *ctx, float *out, size_t frames)
{
	struct pull_record *r = ctx;
	double t = now_s();
	int n = atomic_load_explicit(&r->n_stamps, memory_order_relaxed);

	r->pull(r->pull_ctx, out, frames);
	if (n < STAMPS_MAX) {
		r->at_s[n] = t;
		r->period_start[n] = r->pulled;
		atomic_store_explicit(&r->n_stamps, n + 1, memory_order_release);
	}
	if (atomic_load_explicit(&r->first_audible, memory_order_relaxed) < 0) {
		for (size_t i = 0; i < frames; i++) {
			if (fabsf(out[i]) > 1e-4f) {
				r->first_audible_s = t;
				atomic_store_explicit(&r->first_audible, r->pulled + (frames_t)i,
						      memory_order_release);
				break;
			}
		}
	}
	r->pulled += (frames_t)frames;
}

static int rec_open(const struct output_config *cfg, output_pull_fn pull, void *pull_ctx,
		    void **ret_ctx, char *msg, size_t msg_size)
{
	rec.pull = pull;
	rec.pull_ctx = pull_ctx;
	return output_null_ops.open(cfg, rec_pull, &rec, ret_ctx, msg, msg_size);
}

/* Wall time at which the period holding `frame` was asked for, or -1. */
static double time_of_frame(frames_t frame)
{
	int n = atomic_load_explicit(&rec.n_stamps, memory_order_acquire);
	for (int i = 0; i < n; i++)
		if (rec.period_start[i] <= frame && (i + 1 == n || rec.period_start[i + 1] > frame))
			return rec.at_s[i];
	return -1;
}

static int run_first_speech(const char *routine, const char *cache_dir)
{
	struct output_ops ops = output_null_ops;
	struct live_options lo = { .backend = &ops };
	struct live_status st;
	struct live *live;
	char *text = NULL;
	size_t size = 0;
	FILE *transcript = open_memstream(&text, &size);
	long long say_frame = -1;

	if (!transcript)
		return 1;
	ops.open = rec_open;
	lo.output.pacing = OUTPUT_PACE_REALTIME;
	lo.session.cache_dir = cache_dir;
	atomic_init(&rec.first_audible, -1);
	atomic_init(&rec.n_stamps, 0);

	double t0 = now_s();
	if (live_open(&live, routine, &lo, stderr) < 0) {
		fclose(transcript);
		free(text);
		return 1;
	}
	double t_open = now_s();
	if (live_start(live, stderr) < 0) {
		live_close(live);
		fclose(transcript);
		free(text);
		return 1;
	}
	while (now_s() - t0 < 30) {
		live_poll(live, transcript, stderr, &st);
		fflush(transcript);
		const char *say = text ? strstr(text, "  say \"") : NULL;
		if (say && say_frame < 0) {
			/* "hh:mm:ss.mmm  FRAME  say ..." : the frame precedes "say" */
			const char *p = say;
			while (p > text && p[-1] != '\n')
				p--;
			sscanf(p, "%*s %lld", &say_frame);
		}
		if (say_frame >= 0 && atomic_load(&rec.first_audible) >= 0)
			break;
		nap_ms(2);
	}
	frames_t audible = atomic_load(&rec.first_audible);
	double say_s = say_frame >= 0 ? time_of_frame(say_frame) : -1;
	double first_pull_s = time_of_frame(0);
	const struct line_store *store = &live_session(live)->lines;
	printf("open_s=%.4f first_period_s=%.4f say_frame=%lld say_s=%.4f audible_frame=%lld "
	       "audible_s=%.4f synthesized=%d from_disk=%d\n",
	       t_open - t0, first_pull_s >= 0 ? first_pull_s - t0 : -1, say_frame,
	       say_s >= 0 ? say_s - t0 : -1, (long long)audible,
	       audible >= 0 ? rec.first_audible_s - t0 : -1, store->synthesized, store->from_disk);
	live_close(live);
	fclose(transcript);
	free(text);
	return say_frame >= 0 ? 0 : 1;
}

/* --- idle baseline --- */

static void pull_silence(void *ctx, float *out, size_t frames)
{
	(void)ctx;
	memset(out, 0, frames * sizeof(*out));
}

static int run_idle(void)
{
	struct output_config cfg = { .pacing = OUTPUT_PACE_REALTIME };
	struct output *out;
	char msg[OUTPUT_MSG_MAX];
	sigset_t set;
	int sig;

	/* Blocked before the pacing thread starts, so only sigwait sees it. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (output_open(&output_null_ops, &cfg, pull_silence, NULL, &out, msg, sizeof(msg)) < 0 ||
	    output_start(out) < 0) {
		fprintf(stderr, "bench_live: %s\n", msg);
		return 1;
	}
	sigwait(&set, &sig);
	output_close(out);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "control") == 0)
		return run_control(argv[2], argv[3], argc == 5 ? atoi(argv[4]) : 400);
	if (argc == 4 && strcmp(argv[1], "first-speech") == 0)
		return run_first_speech(argv[2], argv[3]);
	if (argc == 2 && strcmp(argv[1], "idle") == 0)
		return run_idle();
	fprintf(stderr, "usage: bench_live control ROUTINE CACHE_DIR [EVENTS]\n"
			"       bench_live first-speech ROUTINE CACHE_DIR\n"
			"       bench_live idle\n");
	return 2;
}
