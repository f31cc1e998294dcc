#include "session/live.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/spsc.h"

#define CONTROL_QUEUE 64          /* power of two */
#define LOG_QUEUE 4096            /* transcript entries in flight */
#define SPEECH_IDLE_MS 20         /* speech thread nap when nothing is due */
#define PRIME_TIMEOUT_S 30        /* first lines: cold synthesis may take a while */

struct live {
	struct session session;
	struct output *out;

	/* control thread -> audio thread */
	struct spsc controls;
	enum control_action control_slots[CONTROL_QUEUE];
	/* audio thread -> control thread */
	struct spsc log;
	struct seq_log_entry log_slots[LOG_QUEUE];
	atomic_int log_overflow;

	/* published by the audio thread after each block */
	atomic_llong now;
	atomic_int segment;
	atomic_llong seg_offset;
	atomic_llong seg_left;
	atomic_bool paused;
	atomic_bool lobby;
	atomic_bool speaking;
	atomic_bool finished;
	atomic_llong music_missing;

	/* control thread -> audio thread: fade the whole output out (quit,
	 * stop); audio thread -> control thread: how much was pulled since */
	atomic_bool fade_out;
	atomic_llong faded_frames; /* frames pulled since the fade was asked */
	frames_t drain_frames;    /* what the device may still hold: a fade
	                           * has been heard once this much more is pulled */

	pthread_t speech_thread;
	bool speech_running;
	atomic_bool stop_speech;
	atomic_bool primed;       /* the first lines are ready */

	frames_t end_at;
	void (*on_entry)(void *ctx, const struct seq_log_entry *e);
	void *entry_ctx;
	unsigned last_message_seq;
	unsigned last_recoveries;
};

/* --- audio thread: no allocation, no locks, no I/O --- */

/* Between two blocks: the last block's log and state out, controls in. */
static void between_blocks(void *ctx)
{
	struct live *l = ctx;
	struct engine *e = l->session.engine;
	enum control_action action;
	struct seq_log_entry entries[SEQ_LOG_MAX];
	struct session_status status;

	int n = seq_take_log(&e->seq, entries, SEQ_LOG_MAX);
	for (int i = 0; i < n; i++)
		if (!spsc_push(&l->log, &entries[i]))
			atomic_fetch_add_explicit(&l->log_overflow, 1, memory_order_relaxed);
	session_status(e, &status);
	atomic_store_explicit(&l->now, status.now, memory_order_relaxed);
	atomic_store_explicit(&l->segment, status.seq.segment, memory_order_relaxed);
	atomic_store_explicit(&l->seg_offset, status.seq.seg_offset, memory_order_relaxed);
	atomic_store_explicit(&l->seg_left, status.seq.seg_left, memory_order_relaxed);
	atomic_store_explicit(&l->paused, status.seq.paused, memory_order_relaxed);
	atomic_store_explicit(&l->lobby, status.seq.lobby, memory_order_relaxed);
	atomic_store_explicit(&l->speaking, status.seq.speaking, memory_order_relaxed);
	atomic_store_explicit(&l->music_missing, e->music_missing, memory_order_relaxed);
	atomic_store_explicit(&l->finished, status.seq.finished, memory_order_release);
	while (spsc_pop(&l->controls, &action))
		engine_push_control(e, action);
	if (atomic_load_explicit(&l->fade_out, memory_order_acquire))
		engine_fade_out(e);
}

static void pull(void *ctx, float *out, size_t frames)
{
	struct live *l = ctx;

	engine_pull(l->session.engine, out, frames);
	/* Pulled since the fade was asked for: the engine fades from the next
	 * block on, so this counts at most one block early. */
	if (!atomic_load_explicit(&l->fade_out, memory_order_acquire))
		return;
	atomic_fetch_add_explicit(&l->faded_frames, (long long)frames, memory_order_release);
}

/* --- speech thread --- */

static void nap_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The only thread that synthesizes: eSpeak NG is not thread-safe. It
 * also owns the line store's bookkeeping (what is wanted, what to drop). */
static void *speech_main(void *arg)
{
	struct live *l = arg;

	/* named for top -H and for tests: this thread exists from the start
	 * of priming (the first lines, before the sound) to the session's end */
	pthread_setname_np(pthread_self(), "repcue-speech");
	/* The first line first, and what the disk cache has: the sound starts
	 * then, and everything else is made while it plays. */
	if (line_store_prime(&l->session.lines) == 0)
		atomic_store(&l->primed, true);
	while (!atomic_load(&l->stop_speech)) {
		int made = line_store_prefetch(&l->session.lines);
		if (made == 0)
			nap_ms(SPEECH_IDLE_MS);
	}
	return NULL;
}

/* --- control thread --- */

int live_open(struct live **ret, const char *routine_path, const struct live_options *opts, FILE *err)
{
	enum live_fault fault;

	return live_open_fault(ret, routine_path, opts, err, &fault);
}

int live_open_fault(struct live **ret, const char *routine_path, const struct live_options *opts,
		    FILE *err, enum live_fault *ret_fault)
{
	struct live *l = calloc(1, sizeof(*l));
	char msg[OUTPUT_MSG_MAX];
	int r;

	*ret_fault = LIVE_FAULT_SYSTEM;
	if (!l) {
		fprintf(err, "repcue: out of memory\n");
		return -ENOMEM;
	}
	spsc_init(&l->controls, l->control_slots, sizeof(l->control_slots[0]), CONTROL_QUEUE);
	spsc_init(&l->log, l->log_slots, sizeof(l->log_slots[0]), LOG_QUEUE);
	l->end_at = -1;
	/* the device's latency and two periods of scheduling */
	unsigned period = opts->output.period_frames ? opts->output.period_frames : ENGINE_BLOCK;
	unsigned latency = opts->output.latency_frames ? opts->output.latency_frames : period;
	l->drain_frames = (frames_t)latency + 2 * (frames_t)period;
	l->on_entry = opts->on_entry;
	l->entry_ctx = opts->entry_ctx;
	struct session_options so = opts->session;
	so.live = true;
	r = session_open(&l->session, routine_path, &so, err);
	if (r < 0) {
		free(l);
		*ret_fault = r == -ENOMEM ? LIVE_FAULT_SYSTEM : LIVE_FAULT_ROUTINE;
		return r;
	}
	for (int i = 0; i < opts->n_presses; i++)
		seq_push_control(&l->session.engine->seq, opts->presses[i]);
	l->session.engine->between_blocks = between_blocks;
	l->session.engine->between_ctx = l;

	r = output_open(opts->backend, &opts->output,
			pull, l, &l->out, msg, sizeof(msg));
	if (r < 0) {
		fprintf(err, "repcue: %s\n", msg);
		session_close(&l->session);
		free(l);
		*ret_fault = LIVE_FAULT_OUTPUT;
		return r;
	}

	/* The first line is made before the sound starts (and, with a warm
	 * cache, every line near the start: then the session is the render,
	 * sample for sample). */
	atomic_store(&l->stop_speech, false);
	atomic_store(&l->primed, false);
	if (pthread_create(&l->speech_thread, NULL, speech_main, l) != 0) {
		fprintf(err, "repcue: cannot start the speech thread\n");
		live_close(l);
		return -EAGAIN;
	}
	l->speech_running = true;
	for (int waited_ms = 0; !atomic_load(&l->primed); waited_ms += 2) {
		int error = atomic_load(&l->session.lines.error);
		if (error) {
			fprintf(err, "repcue: speech synthesis failed: %s\n", strerror(-error));
			live_close(l);
			*ret_fault = LIVE_FAULT_ROUTINE; /* its voice */
			return -EIO;
		}
		if (waited_ms > PRIME_TIMEOUT_S * 1000)
			break; /* start anyway; the speech thread catches up */
		nap_ms(2);
	}
	*ret = l;
	*ret_fault = LIVE_FAULT_NONE;
	return 0;
}

int live_start(struct live *l, FILE *err)
{
	char msg[OUTPUT_MSG_MAX];

	int r = output_start(l->out);
	if (r < 0) {
		struct output_health h;
		output_health(l->out, &h);
		snprintf(msg, sizeof(msg), "%s", h.message[0] ? h.message : strerror(-r));
		fprintf(err, "repcue: cannot start the sound: %s\n", msg);
		return r;
	}
	if (output_describe(l->out, msg, sizeof(msg)) > 0)
		fprintf(err, "repcue: playing through %s\n", msg);
	return 0;
}

int live_push(struct live *l, enum control_action action)
{
	return spsc_push(&l->controls, &action) ? 0 : -ENOSPC;
}

const struct session *live_session(const struct live *l)
{
	return &l->session;
}

void live_poll(struct live *l, FILE *transcript, FILE *log, struct live_status *st)
{
	struct seq_log_entry e;
	int printed = 0;

	while (spsc_pop(&l->log, &e)) {
		if (e.kind == LOG_END)
			l->end_at = e.at;
		session_print_entry(&l->session, &e, transcript);
		if (l->on_entry)
			l->on_entry(l->entry_ctx, &e);
		printed++;
	}
	if (printed && transcript)
		fflush(transcript);
	int lost = atomic_exchange(&l->log_overflow, 0);
	if (lost && log)
		fprintf(log, "repcue: %d transcript lines lost (output too slow to read)\n", lost);

	memset(st, 0, sizeof(*st));
	st->now = atomic_load_explicit(&l->now, memory_order_relaxed);
	st->segment = atomic_load_explicit(&l->segment, memory_order_relaxed);
	st->seg_offset = atomic_load_explicit(&l->seg_offset, memory_order_relaxed);
	st->seg_left = atomic_load_explicit(&l->seg_left, memory_order_relaxed);
	st->paused = atomic_load_explicit(&l->paused, memory_order_relaxed);
	st->lobby = atomic_load_explicit(&l->lobby, memory_order_relaxed);
	st->speaking = atomic_load_explicit(&l->speaking, memory_order_relaxed);
	st->finished = atomic_load_explicit(&l->finished, memory_order_acquire);
	st->end_at = l->end_at;
	st->music_missing = atomic_load_explicit(&l->music_missing, memory_order_relaxed);
	output_health(l->out, &st->health);
	if (st->health.message_seq != l->last_message_seq && st->health.message[0] && log) {
		if (st->health.suppressed)
			fprintf(log, "repcue: %s (%u similar messages not shown)\n", st->health.message,
				st->health.suppressed);
		else
			fprintf(log, "repcue: %s\n", st->health.message);
	}
	l->last_message_seq = st->health.message_seq;
	if (st->health.recoveries != l->last_recoveries) {
		l->last_recoveries = st->health.recoveries;
		live_push(l, CONTROL_OUTPUT_BACK);
	}
}

int live_fade_out(struct live *l)
{
	if (!l)
		return 0;
	atomic_store_explicit(&l->fade_out, true, memory_order_release);
	/* Wait until the fade and what the device held before it have been
	 * pulled through, so stopping the stream (which drops what it holds)
	 * cuts only silence. Bounded: a lost or stalled output pulls nothing. */
	frames_t need = ENGINE_BLOCK + SEQ_FADE_FRAMES + l->drain_frames;
	long max_ms = (long)(need * 1000 / SESSION_RATE_HZ) + FADE_OUT_SLACK_MS;
	for (long waited = 0; waited < max_ms; waited += 2) {
		if (atomic_load_explicit(&l->faded_frames, memory_order_acquire) >= need)
			return 0;
		nap_ms(2);
	}
	return atomic_load_explicit(&l->faded_frames, memory_order_acquire) >= need ? 0 : -ETIMEDOUT;
}

void live_close(struct live *l)
{
	if (!l)
		return;
	output_close(l->out); /* first: the audio thread is done with the engine */
	if (l->speech_running) {
		atomic_store(&l->stop_speech, true);
		pthread_join(l->speech_thread, NULL);
	}
	session_close(&l->session);
	free(l);
}
