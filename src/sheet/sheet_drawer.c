/* sheet_drawer.c - see sheet_drawer.h. */
#include "sheet/sheet_drawer.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct sheet_drawer {
	sheet_drawer_work_fn *work;
	void *ctx;                /* borrowed; the thread's */
	pthread_t thread;
	pthread_mutex_t lock;     /* guards everything below */
	pthread_cond_t to_thread; /* a job, allow, a result taken, stop */
	pthread_cond_t to_main;   /* a result, idle */
	bool allowed, stop, in_hand;
	int job_first, jobs;      /* ring of queued jobs */
	struct sheet_drawer_job job[SHEET_DRAWER_JOBS_MAX];
	int result_first, results; /* ring of results not taken */
	struct sheet_drawer_result result[SHEET_DRAWER_RESULTS_MAX];
	/* the thread's own, outside the lock */
	struct sheet_drawer_job doing;
	struct sheet_drawer_result done;
};

/* The lowest priority for this thread alone (Linux: a thread id is a
 * process id to setpriority): drawing waits for anything else that wants
 * the CPU, the speech thread and the main loop among them. */
static void lowest_priority(void)
{
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
}

static void *drawer_thread(void *arg)
{
	struct sheet_drawer *d = arg;

	lowest_priority();
	pthread_mutex_lock(&d->lock);
	for (;;) {
		while (!d->stop && (!d->allowed || d->jobs == 0))
			pthread_cond_wait(&d->to_thread, &d->lock);
		if (d->stop)
			break;
		d->doing = d->job[d->job_first];
		d->job_first = (d->job_first + 1) % SHEET_DRAWER_JOBS_MAX;
		d->jobs--;
		d->in_hand = true;
		pthread_mutex_unlock(&d->lock);

		memset(&d->done, 0, sizeof(d->done));
		d->done.kind = d->doing.kind;
		bool tell = d->work(d->ctx, &d->doing, &d->done);

		pthread_mutex_lock(&d->lock);
		/* a result not taken waits for room: the main loop takes them
		 * every round; at the end, sheet_drawer_wait() does */
		while (tell && !d->stop && d->results == SHEET_DRAWER_RESULTS_MAX)
			pthread_cond_wait(&d->to_thread, &d->lock);
		if (tell && d->results < SHEET_DRAWER_RESULTS_MAX) {
			d->result[(d->result_first + d->results) % SHEET_DRAWER_RESULTS_MAX] = d->done;
			d->results++;
		}
		d->in_hand = false;
		pthread_cond_broadcast(&d->to_main);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int sheet_drawer_open(struct sheet_drawer **ret, sheet_drawer_work_fn *work, void *ctx)
{
	struct sheet_drawer *d = calloc(1, sizeof(*d));
	sigset_t all, old;

	*ret = NULL;
	if (!d)
		return -ENOMEM;
	d->work = work;
	d->ctx = ctx;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->to_thread, NULL);
	pthread_cond_init(&d->to_main, NULL);
	/* signals are the main loop's (its signalfd): none for this thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int r = pthread_create(&d->thread, NULL, drawer_thread, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		pthread_cond_destroy(&d->to_main);
		pthread_cond_destroy(&d->to_thread);
		pthread_mutex_destroy(&d->lock);
		free(d);
		return -r;
	}
	*ret = d;
	return 0;
}

int sheet_drawer_post(struct sheet_drawer *d, const struct sheet_drawer_job *job)
{
	int r = 0;

	pthread_mutex_lock(&d->lock);
	if (d->jobs == SHEET_DRAWER_JOBS_MAX) {
		r = -ENOSPC;
	} else {
		d->job[(d->job_first + d->jobs) % SHEET_DRAWER_JOBS_MAX] = *job;
		d->jobs++;
		pthread_cond_broadcast(&d->to_thread);
	}
	pthread_mutex_unlock(&d->lock);
	return r;
}

void sheet_drawer_drop(struct sheet_drawer *d)
{
	int kept = 0;

	pthread_mutex_lock(&d->lock);
	for (int i = 0; i < d->jobs; i++) {
		const struct sheet_drawer_job *j = &d->job[(d->job_first + i) % SHEET_DRAWER_JOBS_MAX];
		if (j->kind == SHEET_DRAWER_REPORT)
			d->job[(d->job_first + kept++) % SHEET_DRAWER_JOBS_MAX] = *j;
	}
	d->jobs = kept;
	pthread_cond_broadcast(&d->to_main);
	pthread_mutex_unlock(&d->lock);
}

void sheet_drawer_allow(struct sheet_drawer *d, bool allowed)
{
	pthread_mutex_lock(&d->lock);
	if (d->allowed != allowed) {
		d->allowed = allowed;
		pthread_cond_broadcast(&d->to_thread);
	}
	pthread_mutex_unlock(&d->lock);
}

/* With the lock held. */
static bool take_locked(struct sheet_drawer *d, struct sheet_drawer_result *ret)
{
	if (d->results == 0)
		return false;
	*ret = d->result[d->result_first];
	d->result_first = (d->result_first + 1) % SHEET_DRAWER_RESULTS_MAX;
	d->results--;
	pthread_cond_broadcast(&d->to_thread);  /* room for a result */
	return true;
}

bool sheet_drawer_take(struct sheet_drawer *d, struct sheet_drawer_result *ret)
{
	pthread_mutex_lock(&d->lock);
	bool took = take_locked(d, ret);
	pthread_mutex_unlock(&d->lock);
	return took;
}

bool sheet_drawer_busy(struct sheet_drawer *d)
{
	pthread_mutex_lock(&d->lock);
	bool busy = d->jobs > 0 || d->in_hand || d->results > 0;
	pthread_mutex_unlock(&d->lock);
	return busy;
}

bool sheet_drawer_wait(struct sheet_drawer *d, struct sheet_drawer_result *ret)
{
	bool took;

	pthread_mutex_lock(&d->lock);
	if (!d->allowed) {
		d->allowed = true;
		pthread_cond_broadcast(&d->to_thread);
	}
	while (!(took = take_locked(d, ret)) && (d->jobs > 0 || d->in_hand))
		pthread_cond_wait(&d->to_main, &d->lock);
	pthread_mutex_unlock(&d->lock);
	return took;
}

void sheet_drawer_close(struct sheet_drawer *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->jobs = 0;
	d->stop = true;
	pthread_cond_broadcast(&d->to_thread);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->to_main);
	pthread_cond_destroy(&d->to_thread);
	pthread_mutex_destroy(&d->lock);
	free(d);
}
