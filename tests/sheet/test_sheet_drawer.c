/* test_sheet_drawer.c - the handoff between play's main loop and the
 * thread that draws the card's files (sheet/sheet_drawer.h), with a work
 * function of the test's instead of cairo (unit; the REPCUE_TSAN build
 * runs it under ThreadSanitizer): jobs run in order and only while
 * allowed, a job in hand is finished when the drawer is held, a new list
 * drops the old one but not the report, results beyond the queue's room
 * wait for the main loop, close finishes the job in hand. Nothing sleeps:
 * the test's work function waits on the test's own gate. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "../lib/harness.h"
#include "sheet/sheet_drawer.h"

/* The work: records the jobs in order; a job whose name starts with
 * "hold" waits until the test opens the gate. */
struct work {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool gate_open;
	bool holding;         /* a "hold" job is waiting at the gate */
	int started;
	char order[256];      /* first letters of the names run */
};

static bool work(void *ctx, const struct sheet_drawer_job *job, struct sheet_drawer_result *out)
{
	struct work *w = ctx;

	pthread_mutex_lock(&w->lock);
	w->started++;
	size_t n = strlen(w->order);
	if (n + 1 < sizeof(w->order))
		w->order[n] = job->kind == SHEET_DRAWER_REPORT ? 'R' : job->name[0];
	if (strncmp(job->name, "hold", 4) == 0) {
		w->holding = true;
		pthread_cond_broadcast(&w->cond);
		while (!w->gate_open)
			pthread_cond_wait(&w->cond, &w->lock);
		w->holding = false;
	}
	pthread_mutex_unlock(&w->lock);
	/* the result is the job's, written on this thread, read on the main */
	out->status = job->kind == SHEET_DRAWER_SWEEP ? 0 : 1;
	snprintf(out->what, sizeof(out->what), "%s", job->path);
	snprintf(out->notes, sizeof(out->notes), "%s", job->name);
	return job->kind != SHEET_DRAWER_BEGIN;
}

static void work_init(struct work *w)
{
	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
}

static void work_finish(struct work *w)
{
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
}

static void wait_holding(struct work *w)
{
	pthread_mutex_lock(&w->lock);
	while (!w->holding)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

static void open_gate(struct work *w)
{
	pthread_mutex_lock(&w->lock);
	w->gate_open = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void *open_gate_thread(void *w)
{
	open_gate(w);
	return NULL;
}

static int started(struct work *w)
{
	pthread_mutex_lock(&w->lock);
	int n = w->started;
	pthread_mutex_unlock(&w->lock);
	return n;
}

static void post(struct sheet_drawer *d, enum sheet_drawer_job_kind kind, const char *name)
{
	struct sheet_drawer_job job = { .kind = kind };
	snprintf(job.name, sizeof(job.name), "%s", name);
	snprintf(job.path, sizeof(job.path), "/card/%s.yaml", name);
	CHECK_EQ_INT(sheet_drawer_post(d, &job), 0);
}

/* Every result until the drawer has nothing left; their notes joined. */
static int drain(struct sheet_drawer *d, char *names, size_t size)
{
	struct sheet_drawer_result res;
	int n = 0;

	names[0] = '\0';
	while (sheet_drawer_wait(d, &res)) {
		size_t len = strlen(names);
		snprintf(names + len, size - len, "%s%s", len ? " " : "", res.notes);
		n++;
	}
	return n;
}

/* Jobs run in order, only once allowed; BEGIN tells nothing. */
static void in_order_when_allowed(void)
{
	struct work w;
	struct sheet_drawer *d;
	struct sheet_drawer_result res;
	char names[512];

	work_init(&w);
	REQUIRE(sheet_drawer_open(&d, work, &w) == 0);
	post(d, SHEET_DRAWER_BEGIN, "begin");
	post(d, SHEET_DRAWER_SHEET, "a");
	post(d, SHEET_DRAWER_SHEET, "b");
	post(d, SHEET_DRAWER_SWEEP, "sweep");
	/* not allowed yet: nothing started, nothing to take */
	CHECK(sheet_drawer_busy(d));
	CHECK(!sheet_drawer_take(d, &res));
	CHECK_EQ_INT(started(&w), 0);
	CHECK_EQ_INT(drain(d, names, sizeof(names)), 3);
	CHECK_STR(names, "a b sweep");
	CHECK_STR(w.order, "babs");  /* begin, a, b, sweep */
	CHECK(!sheet_drawer_busy(d));
	sheet_drawer_close(d);
	work_finish(&w);
}

/* Held while a job is in hand: that job is finished, the next waits. */
static void held_finishes_the_one_in_hand(void)
{
	struct work w;
	struct sheet_drawer *d;
	struct sheet_drawer_result res;
	char names[512];

	work_init(&w);
	REQUIRE(sheet_drawer_open(&d, work, &w) == 0);
	post(d, SHEET_DRAWER_SHEET, "hold1");
	post(d, SHEET_DRAWER_SHEET, "x");
	sheet_drawer_allow(d, true);
	wait_holding(&w);
	sheet_drawer_allow(d, false);   /* a session starts */
	open_gate(&w);
	/* the main loop's rounds: the result of the one in hand comes */
	while (!sheet_drawer_take(d, &res))
		sched_yield();
	CHECK_STR(res.notes, "hold1");
	CHECK_STR(res.what, "/card/hold1.yaml");
	/* the thread looked at `allowed` before it could start x, under
	 * the lock, after it was cleared: x has not started */
	CHECK_EQ_INT(started(&w), 1);
	CHECK(sheet_drawer_busy(d));
	sheet_drawer_allow(d, true);    /* the lobby again */
	CHECK_EQ_INT(drain(d, names, sizeof(names)), 1);
	CHECK_STR(names, "x");
	sheet_drawer_close(d);
	work_finish(&w);
}

/* A new list drops the jobs not started, but not a report. */
static void drop_keeps_the_report(void)
{
	struct work w;
	struct sheet_drawer *d;
	char names[512];

	work_init(&w);
	REQUIRE(sheet_drawer_open(&d, work, &w) == 0);
	post(d, SHEET_DRAWER_SHEET, "old1");
	post(d, SHEET_DRAWER_REPORT, "report");
	post(d, SHEET_DRAWER_SHEET, "old2");
	sheet_drawer_drop(d);
	post(d, SHEET_DRAWER_SHEET, "new");
	CHECK_EQ_INT(drain(d, names, sizeof(names)), 2);
	CHECK_STR(names, "report new");
	sheet_drawer_close(d);
	work_finish(&w);
}

/* More results than the queue holds: the thread waits for the main
 * loop to take them; none is lost, the order kept. A full job queue
 * says so. */
static void results_wait_for_room(void)
{
	struct work w;
	struct sheet_drawer *d;
	struct sheet_drawer_job job = { .kind = SHEET_DRAWER_SHEET };
	struct sheet_drawer_result res;
	int n = 0, posted = 0;

	work_init(&w);
	REQUIRE(sheet_drawer_open(&d, work, &w) == 0);
	for (int i = 0; i < SHEET_DRAWER_JOBS_MAX + 1; i++) {
		snprintf(job.name, sizeof(job.name), "%d", i);
		int r = sheet_drawer_post(d, &job);
		CHECK_EQ_INT(r, i < SHEET_DRAWER_JOBS_MAX ? 0 : -ENOSPC);
		posted += r == 0;
	}
	CHECK(posted > SHEET_DRAWER_RESULTS_MAX);
	sheet_drawer_allow(d, true);
	while (n < posted) {
		if (!sheet_drawer_take(d, &res)) {
			sched_yield();
			continue;
		}
		char want[16];
		snprintf(want, sizeof(want), "%d", n++);
		CHECK_STR(res.notes, want);
	}
	CHECK(!sheet_drawer_wait(d, &res));
	sheet_drawer_close(d);
	work_finish(&w);
}

/* Close while a job is in hand and more are queued (held, as when the
 * coach stops during a session): the one in hand is finished, the rest
 * forgotten, the thread joined. */
static void close_finishes_the_one_in_hand(void)
{
	struct work w;
	struct sheet_drawer *d;
	pthread_t opener;

	work_init(&w);
	REQUIRE(sheet_drawer_open(&d, work, &w) == 0);
	post(d, SHEET_DRAWER_SHEET, "hold2");
	post(d, SHEET_DRAWER_SHEET, "never");
	sheet_drawer_allow(d, true);
	wait_holding(&w);
	sheet_drawer_allow(d, false);   /* "never" cannot start before close */
	/* the gate opens from another thread while close waits in join */
	REQUIRE(pthread_create(&opener, NULL, open_gate_thread, &w) == 0);
	sheet_drawer_close(d);
	pthread_join(opener, NULL);
	CHECK_EQ_INT(started(&w), 1);
	CHECK_STR(w.order, "h");
	sheet_drawer_close(NULL);
	work_finish(&w);
}

/* Many rounds of a main loop that posts lists, drops them, holds and
 * allows the drawer and takes results (for ThreadSanitizer). */
static void many_rounds(void)
{
	struct work w;
	struct sheet_drawer *d;
	struct sheet_drawer_result res;
	char names[4096];

	work_init(&w);
	REQUIRE(sheet_drawer_open(&d, work, &w) == 0);
	for (int round = 0; round < 200; round++) {
		if (round % 10 == 0)
			sheet_drawer_drop(d);
		post(d, round % 7 == 0 ? SHEET_DRAWER_REPORT : SHEET_DRAWER_SHEET, "r");
		sheet_drawer_allow(d, round % 3 != 0);
		while (sheet_drawer_take(d, &res))
			CHECK_STR(res.notes, "r");
	}
	drain(d, names, sizeof(names));
	CHECK(!sheet_drawer_busy(d));
	sheet_drawer_close(d);
	work_finish(&w);
}

int main(void)
{
	RUN_CASE(in_order_when_allowed, ());
	RUN_CASE(held_finishes_the_one_in_hand, ());
	RUN_CASE(drop_keeps_the_report, ());
	RUN_CASE(results_wait_for_room, ());
	RUN_CASE(close_finishes_the_one_in_hand, ());
	RUN_CASE(many_rounds, ());
	return check_done("sheet_drawer");
}
