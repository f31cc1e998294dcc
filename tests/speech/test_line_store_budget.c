/* test_line_store_budget - issue 11 item 4: the speech budget may slow a
 * live session, never stop it.
 *
 * long-lines.yaml has one segment whose eight 240-byte lines need about
 * 11 MB at once, more than the default budget (8 MB); with a 1 MB budget
 * each line alone is larger than the budget. Three ways to play it:
 *
 * - lockstep: the live line store (lines made ahead, the audio side only
 *   reads) with a speech "thread" that runs prefetch to completion before
 *   every block, as a fast speech thread would. Deterministic: the session
 *   must reach its end at exactly the frame the offline render does, and
 *   say every line the render says.
 * - live: live.h with the null output in instant pacing, the real speech
 *   and audio threads; the session must end (a stall never does: the
 *   audio thread pulls silence forever). The wall-clock limit is only a
 *   guard against hanging the test run.
 *
 * All share one disk cache, filled by the render: eSpeak NG's output for a
 * line depends a little on what it said before, so lines made in another
 * order would differ by a few frames.
 *
 * Usage: test_line_store_budget ROUTINE.yaml */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/harness.h"
#include "session/live.h"
#include "output/output.h"
#include "session/session.h"

#define LIVE_GUARD_S 300

static char cache_dir[] = "/tmp/repcue-budget-test.XXXXXX";

struct run {
	frames_t end_at;
	int says;
	int over_budget;
	size_t peak_bytes;
};

/* session_render's callback: counts the lines and notes the end; in
 * lockstep (prefetch set), runs the speech work to completion before the
 * next block, as the speech thread would if it were never late. */
struct counting {
	struct run *r;
	struct session *prefetch; /* NULL: lines made on demand */
	frames_t limit;
};

static int count_log(void *ctx, frames_t at, const float *block, const struct seq_log_entry *log, int n)
{
	struct counting *c = ctx;
	struct run *r = c->r;

	(void)block;
	for (int i = 0; i < n; i++) {
		if (log[i].kind == LOG_SAY)
			r->says++;
		else if (log[i].kind == LOG_END)
			r->end_at = log[i].at;
	}
	if (c->prefetch && !engine_finished(c->prefetch->engine) && at + ENGINE_BLOCK < c->limit)
		while (line_store_prefetch(&c->prefetch->lines) > 0)
			;
	return 0;
}

/* Offline, lines made on demand: the reference. */
static int render(const char *path, struct run *r)
{
	struct session s;
	struct session_options so = { .cache_dir = cache_dir };
	struct counting c = { .r = r };

	memset(r, 0, sizeof(*r));
	r->end_at = -1;
	if (session_open(&s, path, &so, stderr) < 0)
		return -1;
	session_render(s.engine, &(struct session_render_opts){
		.limit = frames_from_s(3600), .on_block = count_log, .ctx = &c });
	session_close(&s);
	return 0;
}

/* Live line store, prefetch run to completion before every block. */
static int lockstep(const char *path, size_t budget, frames_t limit, struct run *r)
{
	struct session s;
	struct session_options so = { .cache_dir = cache_dir, .live = true, .budget_bytes = budget };
	struct counting c = { .r = r, .prefetch = &s, .limit = limit };

	memset(r, 0, sizeof(*r));
	r->end_at = -1;
	if (session_open(&s, path, &so, stderr) < 0)
		return -1;
	if (limit > 0)
		while (line_store_prefetch(&s.lines) > 0)
			;
	session_render(s.engine, &(struct session_render_opts){ .limit = limit, .on_block = count_log, .ctx = &c });
	r->over_budget = s.lines.over_budget;
	r->peak_bytes = s.lines.peak_bytes;
	session_close(&s);
	return 0;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* live.h through the null output in instant pacing. Returns 1 if the
 * session ended, 0 if the guard ran out, -1 if it could not start. */
static int live(const char *path, size_t budget)
{
	struct live_options lo = {
		.backend = &output_null_ops,
		.output = { .pacing = OUTPUT_PACE_INSTANT },
		.session = { .cache_dir = cache_dir, .budget_bytes = budget },
	};
	struct live *l;
	struct live_status st;
	int ended = 0;

	if (live_open(&l, path, &lo, stderr) < 0)
		return -1;
	if (live_start(l, stderr) < 0) {
		live_close(l);
		return -1;
	}
	for (double t0 = now_s(); now_s() - t0 < LIVE_GUARD_S;) {
		live_poll(l, NULL, stderr, &st);
		if (st.finished) {
			ended = 1;
			break;
		}
		nap_ms(20);
	}
	if (!ended)
		fprintf(stderr, "live session stuck in segment %d at frame %lld\n", st.segment,
			(long long)st.now);
	live_close(l);
	return ended;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

int main(int argc, char **argv)
{
	struct run ref, r;

	if (argc != 2) {
		fprintf(stderr, "usage: test_line_store_budget ROUTINE.yaml\n");
		return 2;
	}
	if (!mkdtemp(cache_dir)) {
		perror("mkdtemp");
		return 1;
	}
	CHECK(render(argv[1], &ref) == 0 && ref.end_at > 0, "offline render ends");
	printf("render: end at %lld frames, %d lines said\n", (long long)ref.end_at, ref.says);

	const size_t budgets[] = { LINE_STORE_DEFAULT_BUDGET, 1u << 20 };
	for (size_t b = 0; b < sizeof(budgets) / sizeof(budgets[0]); b++) {
		CHECK(lockstep(argv[1], budgets[b], 2 * ref.end_at, &r) == 0, "lockstep opens");
		printf("lockstep, budget %zu MB: end at %lld frames, %d lines said, peak %.1f MB, "
		       "%d lines over budget\n", budgets[b] >> 20, (long long)r.end_at, r.says,
		       r.peak_bytes / 1048576.0, r.over_budget);
		CHECK(r.end_at == ref.end_at, "budget %zu MB: the session ends as rendered (%lld, not %lld)",
		      budgets[b] >> 20, (long long)r.end_at, (long long)ref.end_at);
		CHECK(r.says == ref.says, "budget %zu MB: every line said (%d of %d)", budgets[b] >> 20,
		      r.says, ref.says);
	}
	int ended = live(argv[1], 1u << 20);
	CHECK(ended == 1, "live through the null output with a 1 MB budget reaches the end (%d)", ended);
	nftw(cache_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	return check_done("test_line_store_budget");
}
