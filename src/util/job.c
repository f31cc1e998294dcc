/* job.c - a blocking call with a deadline (job.h). pthreads: a condition
 * variable on CLOCK_MONOTONIC, so a wall-clock step never stretches or
 * cuts a deadline. */
#include "util/job.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct job {
	pthread_mutex_t lock;
	pthread_cond_t cond;   /* signalled when done is set */
	int refs;              /* under lock: the caller's and the thread's */
	bool done;             /* under lock: run returned */
	bool abandoned;        /* under lock: arg now belongs to orphaned */
	job_fn run, orphaned;
	void *arg;             /* borrowed; see job.h for who owns it when */
};

struct job *job_new(job_fn run, job_fn orphaned, void *arg)
{
	struct job *j;
	pthread_condattr_t attr;

	if (!run)
		return NULL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	pthread_mutex_init(&j->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&j->cond, &attr);
	pthread_condattr_destroy(&attr);
	j->refs = 1;
	j->run = run;
	j->orphaned = orphaned;
	j->arg = arg;
	return j;
}

/* Drop one reference; the lock is held on entry and released here. */
static void unref_locked(struct job *j)
{
	bool last = --j->refs == 0;

	pthread_mutex_unlock(&j->lock);
	if (last) {
		pthread_cond_destroy(&j->cond);
		pthread_mutex_destroy(&j->lock);
		free(j);
	}
}

static void *job_thread(void *ptr)
{
	struct job *j = ptr;
	job_fn orphaned = j->orphaned;
	void *arg = j->arg;
	bool abandoned;

	j->run(arg);
	pthread_mutex_lock(&j->lock);
	j->done = true;
	abandoned = j->abandoned;
	pthread_cond_signal(&j->cond);
	/* Let go of the job first: orphaned is the last thing this thread
	 * does, so whoever waits for it knows the job is freed by then. */
	unref_locked(j);
	if (abandoned && orphaned)
		orphaned(arg);
	return NULL;
}

int job_spawn(struct job *j)
{
	pthread_attr_t attr;
	pthread_t t;
	int r;

	if (!j)
		return -EINVAL;
	j->refs = 2;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = pthread_create(&t, &attr, job_thread, j);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		j->refs = 1;
		return -r;
	}
	return 0;
}

bool job_is_done(struct job *j)
{
	bool done;

	pthread_mutex_lock(&j->lock);
	done = j->done;
	pthread_mutex_unlock(&j->lock);
	return done;
}

bool job_abandon(struct job *j)
{
	pthread_mutex_lock(&j->lock);
	if (j->done) {
		pthread_mutex_unlock(&j->lock);
		return false;
	}
	j->abandoned = true;
	unref_locked(j);
	return true;
}

bool job_wait(struct job *j, unsigned timeout_ms)
{
	struct timespec deadline;
	bool done;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&j->lock);
	while (!j->done)
		if (pthread_cond_timedwait(&j->cond, &j->lock, &deadline) == ETIMEDOUT)
			break;
	done = j->done;
	pthread_mutex_unlock(&j->lock);
	return done;
}

void job_release(struct job *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->lock);
	unref_locked(j);
}

int job_run_bounded(struct job *j, unsigned timeout_ms)
{
	int r = job_spawn(j);

	if (r < 0) {
		job_release(j);
		return r;
	}
	/* It may finish between the wait and the abandon: then it is done. */
	if (job_wait(j, timeout_ms) || !job_abandon(j))
		return 0;
	return -ETIMEDOUT;
}
