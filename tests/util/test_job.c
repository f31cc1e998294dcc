/* test_job.c - the bounded-job runner (util/job.h): a job that finishes,
 * one that overruns its deadline and is abandoned, and that abandoned job
 * finishing later and disposing of its argument exactly once. Run under
 * ASan and valgrind (util.job_valgrind) for leaks and use after free.
 * Nothing here passes or fails on how fast the machine is: overrunning
 * jobs are held on a semaphore the test releases itself. */
#include "util/job.h"

#include <errno.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "../lib/harness.h"

struct work {
	sem_t go;           /* the blocking call waits for this */
	bool blocks;
	int result;         /* written by run */
};

static sem_t orphaned_sem;     /* posted by orphaned(), the job's last act */
static atomic_int orphaned_count;

static void run(void *arg)
{
	struct work *w = arg;

	if (w->blocks)
		while (sem_wait(&w->go) < 0 && errno == EINTR)
			;
	w->result = 42;
}

/* The abandoned job owns w: check that run finished, then free it. */
static void orphaned(void *arg)
{
	struct work *w = arg;

	CHECK(w->result == 42, "orphaned before run returned");
	sem_destroy(&w->go);
	free(w);
	atomic_fetch_add(&orphaned_count, 1);
	sem_post(&orphaned_sem);
}

static struct work *work_new(bool blocks)
{
	struct work *w = calloc(1, sizeof(*w));

	if (!w)
		abort();
	sem_init(&w->go, 0, 0);
	w->blocks = blocks;
	return w;
}

static void test_finishes(void)
{
	struct work *w = work_new(false);
	struct job *j = job_new(run, orphaned, w);

	CHECK(j != NULL, "job_new");
	CHECK(job_run_bounded(j, 60000) == 0, "a quick job is done within its deadline");
	CHECK(w->result == 42, "its result is the caller's to read: %d", w->result);
	CHECK(job_is_done(j), "done");
	job_release(j);
	CHECK(atomic_load(&orphaned_count) == 0, "a job that finished is never orphaned");
	sem_destroy(&w->go);
	free(w);
}

static void test_overrun_then_finishes(void)
{
	struct work *w = work_new(true);
	struct job *j = job_new(run, orphaned, w);
	sem_t *go = &w->go;

	CHECK(j != NULL, "job_new");
	/* It cannot finish before go is posted, so this overruns whatever
	 * the machine's speed. */
	CHECK(job_run_bounded(j, 20) == -ETIMEDOUT, "a stuck job overruns its deadline");
	CHECK(atomic_load(&orphaned_count) == 0, "not orphaned while still stuck");
	/* j and w are the job's now; the test keeps only the semaphore. */
	sem_post(go);
	while (sem_wait(&orphaned_sem) < 0 && errno == EINTR)
		;
	CHECK(atomic_load(&orphaned_count) == 1, "the abandoned job disposed of its argument once");
}

static void test_wait_then_abandon(void)
{
	struct work *w = work_new(true);
	struct job *j = job_new(run, orphaned, w);
	sem_t *go = &w->go;

	CHECK(job_spawn(j) == 0, "spawn");
	CHECK(!job_is_done(j), "a stuck job is not done");
	CHECK(!job_wait(j, 10), "a wait on a stuck job times out");
	CHECK(!job_is_done(j), "and leaves it running, still the caller's");
	CHECK(job_abandon(j), "a running job can be abandoned");
	sem_post(go);
	while (sem_wait(&orphaned_sem) < 0 && errno == EINTR)
		;
	CHECK(atomic_load(&orphaned_count) == 2, "orphaned after abandon");
}

/* Abandoning a job that already returned gives nothing up: the caller
 * still holds it and its argument (no leak, no orphan call). */
static void test_abandon_after_done(void)
{
	struct work *w = work_new(false);
	struct job *j = job_new(run, orphaned, w);
	struct timespec tick = { 0, 1000000 };

	CHECK(job_spawn(j) == 0, "spawn");
	while (!job_is_done(j))
		nanosleep(&tick, NULL);
	CHECK(!job_abandon(j), "a finished job is not abandoned");
	CHECK(job_wait(j, 0), "and a wait on it says done");
	CHECK(w->result == 42, "result");
	job_release(j);
	CHECK(atomic_load(&orphaned_count) == 2, "no orphan call");
	sem_destroy(&w->go);
	free(w);
}

/* A job with nothing to dispose of, abandoned: no orphaned function. */
static void test_no_orphaned_fn(void)
{
	static struct work w;
	struct job *j;

	sem_init(&w.go, 0, 0);
	w.blocks = true;
	j = job_new(run, NULL, &w);
	CHECK(job_run_bounded(j, 10) == -ETIMEDOUT, "overrun");
	sem_post(&w.go);
	/* w is static: nothing to free, and the test may end now. */
}

static void test_edges(void)
{
	struct job *j = job_new(run, NULL, NULL);

	CHECK(job_new(NULL, NULL, NULL) == NULL, "a job needs something to run");
	job_release(j); /* never spawned */
	job_release(NULL);
	CHECK(job_spawn(NULL) == -EINVAL, "spawn NULL");
}

int main(void)
{
	sem_init(&orphaned_sem, 0, 0);
	atomic_init(&orphaned_count, 0);
	RUN_CASE(test_finishes, ());
	RUN_CASE(test_overrun_then_finishes, ());
	RUN_CASE(test_wait_then_abandon, ());
	RUN_CASE(test_abandon_after_done, ());
	RUN_CASE(test_no_orphaned_fn, ());
	RUN_CASE(test_edges, ());
	return check_done("util.job");
}
