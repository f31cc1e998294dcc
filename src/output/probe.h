/* probe.h - run a risky library call in a child process, bounded in time.
 *
 * PortAudio 19.6 asserts and aborts the whole process when ALSA lists no
 * devices, and Pa_Initialize blocks for ever on a JACK server that does
 * not answer (issue 11 items 5 and 6). Neither can be caught in-process:
 * an abort kills every thread, and a blocked call can only be abandoned
 * with its thread. A forked child can be both: it dies or is killed, and
 * the parent reads why. The caller then initialises in-process only when
 * the child found it safe.
 *
 * At most one child is ever outstanding: a child that does not die at once
 * when killed (uninterruptible sleep in a driver) is remembered, reaped by
 * later calls, and no new child is started while it lives. */
#ifndef REPCUE_OUTPUT_PROBE_H
#define REPCUE_OUTPUT_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#define PROBE_MSG_MAX 512

enum probe_outcome {
	PROBE_RETURNED,  /* fn returned; rc and msg are its own */
	PROBE_CRASHED,   /* the child died of signal `sig` (e.g. SIGABRT) */
	PROBE_TIMED_OUT, /* no answer in time; the child was killed */
	PROBE_BUSY,      /* an earlier child is still stuck: none started */
	PROBE_FAILED,    /* could not fork or make a pipe: rc = -errno */
};

struct probe_result {
	enum probe_outcome outcome;
	int rc;                    /* PROBE_RETURNED: fn's return value */
	int sig;                   /* PROBE_CRASHED */
	char msg[PROBE_MSG_MAX];   /* PROBE_RETURNED: what fn wrote */
	char err[PROBE_MSG_MAX];   /* the child's stderr, first lines, for a
	                            * crash: e.g. PortAudio's failed assertion */
};

/* Runs fn(arg, msg, msg_size) in a forked child, its stderr captured, and
 * waits at most timeout_ms. fn must only do what a child of a threaded
 * process may: it runs after fork(), then the child _exits. Returns 0 with
 * *ret filled (see outcome), or -errno when *ret could not be filled. */
int output_probe_run(int (*fn)(void *arg, char *msg, size_t msg_size), void *arg,
		     unsigned timeout_ms, struct probe_result *ret);

/* The most a probe's bound grows to (output_probe_bound). Below the
 * unit's WatchdogSec=60 even with an open's in-process call after it. */
#define PROBE_PATIENCE_MAX_MS 16000

/* The bound for a probe that may be only slow, not hung, after `timeouts`
 * probes timed out: base_ms doubled for each, at most
 * PROBE_PATIENCE_MAX_MS (a base above that stays as it is). A machine
 * that needs more than base_ms to list its sound devices every time (a Pi
 * Zero busy at boot; the hw rig's emulated CPU needed more than 2 s) is
 * otherwise killed just before its answer at every try, and a wait for a
 * device never ends. A probe that really hangs still ends at the cap. */
unsigned output_probe_bound(unsigned base_ms, unsigned timeouts);

/* How many probe children are alive now (0 or 1), for tests. */
int output_probe_outstanding(void);

#endif
