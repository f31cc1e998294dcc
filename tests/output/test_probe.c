/* Unit tests of probe.c (issue 11 items 5, 6): a function run in a forked
 * child answers, crashes or hangs, and the parent always gets an outcome
 * in bounded time, with no child left behind. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "output/probe.h"

static int answers(void *arg, char *msg, size_t size)
{
	snprintf(msg, size, "found '%s'", (const char *)arg);
	return -19;
}

static int aborts(void *arg, char *msg, size_t size)
{
	(void)arg, (void)msg, (void)size;
	fprintf(stderr, "Expression 'devIdx < numDeviceNames' failed\n");
	abort();
}

static int hangs(void *arg, char *msg, size_t size)
{
	(void)arg, (void)msg, (void)size;
	sleep(3600);
	return 0;
}

int main(void)
{
	struct probe_result r;

	CHECK(output_probe_run(answers, "dev", 2000, &r) == 0, "run");
	CHECK(r.outcome == PROBE_RETURNED && r.rc == -19 && strcmp(r.msg, "found 'dev'") == 0,
	      "the child's answer comes back: outcome %d rc %d msg '%s'", r.outcome, r.rc, r.msg);

	CHECK(output_probe_run(aborts, NULL, 2000, &r) == 0, "run");
	CHECK(r.outcome == PROBE_CRASHED && r.sig == SIGABRT, "an abort is a crash: outcome %d sig %d",
	      r.outcome, r.sig);
	CHECK(strstr(r.err, "devIdx < numDeviceNames") != NULL, "its stderr is kept: '%s'", r.err);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(output_probe_run(hangs, NULL, 300, &r) == 0, "run");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(r.outcome == PROBE_TIMED_OUT, "a child that hangs times out: outcome %d", r.outcome);
	/* Generous: only that it returned at all, not how fast. */
	CHECK(t1.tv_sec - t0.tv_sec < 60, "and the call returns");
	CHECK(output_probe_outstanding() == 0, "the killed child was reaped");

	CHECK(output_probe_run(answers, "again", 2000, &r) == 0 && r.outcome == PROBE_RETURNED,
	      "a later probe runs");
	return check_done("test_probe");
}
