/* test_line_store_threads.c - the live line store (speech/line_store.h) as a
 * live session runs it, with two real threads: a speech thread calling
 * line_store_prefetch() (making lines through the real eSpeak NG, dropping
 * and reclaiming old ones) and an audio thread that walks the plan twice
 * as the engine does: get() each line it is to say (-EAGAIN: a block of
 * silence and again), reads every sample of it block by block, and tells
 * the store after every block where it is (at()). The budget holds only a
 * few lines, so lines are dropped and made again all along, and freed only
 * through the store's epoch reclamation while the audio thread reads.
 *
 * What it checks: every line arrives (bounded wait), every line read has
 * samples, lines were dropped (reclamation ran). What it is for: run under
 * ThreadSanitizer (REPCUE_TSAN=ON: any data race fails it) and
 * AddressSanitizer (a line freed while read fails it).
 *
 * Uses only line_store.h's functions (init, prefetch, source get/at,
 * finish) and its counters, which the main thread reads all along while
 * both threads run, as play's summary and the benches do: they must be
 * race-free (atomic) and never go down.
 * Exit 0 pass, 1 fail, 77 skipped (no eSpeak NG voice data). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "core/plan.h"
#include "speech/line_store.h"
#include "speech/speech.h"

#include "../core/test_routines.h"
#include "../lib/harness.h"

#define BLOCK 256                   /* frames per audio block, as the engine */
#define PASSES 2                    /* walks through the plan */
#define BUDGET (256u << 10)         /* a few seconds of speech */
#define WAIT_LIMIT_S 120.0          /* the longest a line may take to arrive */

struct run {
	const struct plan *plan;
	struct line_store *store;
	atomic_bool stop;           /* audio -> speech: the walk is over */
	/* audio thread only, read after join */
	int lines_played;
	int64_t sum;                /* every sample read, so none is skipped */
	int missing;                /* lines that did not come in time */
	int empty;                  /* lines with no samples */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_us(long us)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = us * 1000 };

	nanosleep(&ts, NULL);
}

static void *speech_thread(void *arg)
{
	struct run *r = arg;

	while (!atomic_load(&r->stop))
		if (line_store_prefetch(r->store) == 0)
			sleep_us(500); /* nothing to do: as live.c's speech thread */
	return NULL;
}

/* One line, as the engine plays it: get() once per block until it is
 * there, then its samples block by block, at() after every block. */
static void play_line(struct run *r, struct line_source *src, int segment, int text)
{
	struct line_audio au;
	double give_up = now_s() + WAIT_LIMIT_S;
	int rc;

	while ((rc = src->get(src->ctx, text, &au)) == -EAGAIN) {
		src->at(src->ctx, segment, -1); /* a block of silence */
		if (now_s() > give_up) {
			r->missing++;
			return;
		}
		sleep_us(100);
	}
	if (rc != 0 || au.frames <= 0 || !au.samples) {
		r->empty++;
		return;
	}
	for (frames_t f = 0; f < au.frames; f += BLOCK) {
		frames_t end = f + BLOCK < au.frames ? f + BLOCK : au.frames;
		for (frames_t i = f; i < end; i++)
			r->sum += au.samples[i];
		src->at(src->ctx, segment, text);
	}
	src->at(src->ctx, segment, -1);
	r->lines_played++;
}

static void *audio_thread(void *arg)
{
	struct run *r = arg;
	struct line_source src = line_store_source(r->store);
	const struct plan *p = r->plan;

	for (int pass = 0; pass < PASSES; pass++) {
		for (int seg = 0; seg < p->n_segments; seg++) {
			const struct plan_segment *sg = &p->segments[seg];
			src.at(src.ctx, seg, -1);
			for (int a = sg->first_action; a < sg->first_action + sg->n_actions; a++)
				if (p->actions[a].kind == ACTION_SAY)
					play_line(r, &src, seg, p->actions[a].arg);
			/* now and then a press: its confirmation, said at once */
			if (seg % 7 == 3)
				play_line(r, &src, seg, TEXT_NEXT);
		}
	}
	atomic_store(&r->stop, true);
	return NULL;
}

int main(void)
{
	static struct routine routine;
	static struct plan plan;
	static struct line_store store;
	static struct run run;
	struct voice_profile voice = voice_profile_default();
	struct speech *sp = NULL;
	char err[256];
	pthread_t speech_tid, audio_tid;
	int says = 0;

	if (speech_open(&sp, &voice, err, sizeof(err)) < 0)
		SKIP("eSpeak NG does not start here: %s (Debian package espeak-ng-data)", err);
	test_routine_small(&routine);
	REQUIRE(plan_build(&plan, &routine) == 0, "plan of the small routine");
	for (int a = 0; a < plan.n_actions; a++)
		says += plan.actions[a].kind == ACTION_SAY;
	REQUIRE(line_store_init(&store, &plan, sp, NULL, false, BUDGET) == 0);
	run.plan = &plan;
	run.store = &store;
	atomic_init(&run.stop, false);

	REQUIRE(pthread_create(&speech_tid, NULL, speech_thread, &run) == 0);
	REQUIRE(pthread_create(&audio_tid, NULL, audio_thread, &run) == 0);
	int last_made = 0, last_dropped = 0, readings = 0, went_down = 0;
	size_t last_peak = 0;
	while (!atomic_load(&run.stop)) {
		int made = store.synthesized + store.from_disk, dropped = store.dropped;
		size_t peak = store.peak_bytes;
		went_down += made < last_made || dropped < last_dropped || peak < last_peak;
		last_made = made, last_dropped = dropped, last_peak = peak;
		readings++;
		sleep_us(1000);
	}
	pthread_join(audio_tid, NULL);
	pthread_join(speech_tid, NULL);

	printf("%d lines said (%d texts, %d says a pass), %d dropped, sample sum %lld\n",
	       run.lines_played, plan.n_texts, says, store.dropped, (long long)run.sum);
	CHECK_EQ_INT(run.missing, 0);
	CHECK(readings > 0 && went_down == 0, "counters read %d times while running, went down %d times",
	      readings, went_down);
	CHECK_EQ_INT(run.empty, 0);
	CHECK(run.lines_played >= PASSES * says, "%d lines played, %d expected at least",
	      run.lines_played, PASSES * says);
	CHECK(store.dropped > 0, "no line was dropped: the budget (%u bytes) did not bind", BUDGET);

	line_store_finish(&store);
	plan_finish(&plan);
	speech_close(sp);
	speech_shutdown();
	return check_done("test_line_store_threads");
}
