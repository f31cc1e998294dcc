/* job.h - a blocking call with a deadline: run it on its own thread, wait
 * for it at most so long, and if it does not come back, abandon it (it
 * finishes whenever it does, and then disposes of what it holds).
 *
 * What for: some library calls can block for ever and cannot be
 * interrupted (PortAudio's Pa_OpenStream or Pa_CloseStream on a wedged
 * ALSA device or a JACK server that stopped answering: PortAudio issues
 * #535, #1037). The caller must never wait on them unbounded, and must
 * never free what a stuck call still uses. So a job's argument is borrowed
 * by the job while the caller holds it; once abandoned, the job owns its
 * argument and hands it to its orphaned function when the call returns.
 *
 * Threads: the caller (one thread) makes, spawns, waits for, abandons and
 * releases a job; the job's own detached thread runs it. The job object is
 * reference counted between the two and freed by whichever lets go last. */
#ifndef REPCUE_UTIL_JOB_H
#define REPCUE_UTIL_JOB_H

#include <stdbool.h>

struct job;

/* run(arg): the blocking call, on the job's thread. orphaned(arg): on the
 * job's thread after run returned, only if the job was abandoned; arg is
 * then its to free (NULL orphaned: nothing to dispose of). */
typedef void (*job_fn)(void *arg);

/* A job that will run(arg). The caller owns the job (job_release, or give
 * it up with job_wait/job_abandon) and arg. NULL on out of memory. */
struct job *job_new(job_fn run, job_fn orphaned, void *arg);

/* Start the job on a detached thread. 0, or -errno and the job never runs
 * (still the caller's to release). */
int job_spawn(struct job *j);

/* Whether run has returned. Never blocks (beyond a short lock). */
bool job_is_done(struct job *j);

/* Wait at most timeout_ms for run to return: true if it did. Either way
 * the job and arg are still the caller's (abandon it, or wait again). */
bool job_wait(struct job *j, unsigned timeout_ms);

/* Give up on a spawned job. true: abandoned: the job is no longer the
 * caller's, and arg belongs to orphaned from now on (the caller may touch
 * arg just before this call, never after). false: run had already
 * returned; nothing is stuck and the job and arg are still the caller's. */
bool job_abandon(struct job *j);

/* Drop the caller's hold on a job that is done or was never spawned. NULL
 * is a no-op. Does not touch arg. */
void job_release(struct job *j);

/* job_spawn, job_wait, and job_abandon if it overran. 0: done (the caller reads arg, then releases
 * the job); -ETIMEDOUT: abandoned; another -errno: could not start a
 * thread (the job is released, arg is still the caller's, run never ran). */
int job_run_bounded(struct job *j, unsigned timeout_ms);

#endif
