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

/* Answers after *arg ms, every time: a machine slower than the bound. */
static int slow(void *arg, char *msg, size_t size)
{
	unsigned ms = *(const unsigned *)arg;
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) != 0)
		;
	snprintf(msg, size, "answered after %u ms", ms);
	return 0;
}

/* A wait for a device on a machine that needs longer than the bound to
 * list its devices, every time: the hw rig's coach waited for ever ("No
 * sound device: waiting for one"), each probe killed just before its
 * answer. With output_probe_bound, a try that timed out is followed by a
 * longer one, and the wait ends. */
static void test_slow_machine(void)
{
	unsigned need = 700, base = 300, timeouts = 0;
	struct probe_result r = { 0 };

	CHECK(output_probe_bound(2000, 0) == 2000, "no timeout: the base");
	CHECK(output_probe_bound(2000, 1) == 4000 && output_probe_bound(2000, 3) == 16000,
	      "doubled for each timeout: %u %u", output_probe_bound(2000, 1), output_probe_bound(2000, 3));
	CHECK(output_probe_bound(2000, 4) == PROBE_PATIENCE_MAX_MS &&
	      output_probe_bound(2000, 1000) == PROBE_PATIENCE_MAX_MS, "at most the cap");
	CHECK(output_probe_bound(3000, 3) == PROBE_PATIENCE_MAX_MS, "the cap, not 24000");
	CHECK(output_probe_bound(60000, 2) == 60000, "a configured bound above the cap stays");

	CHECK(output_probe_run(slow, &need, base, &r) == 0 && r.outcome == PROBE_TIMED_OUT,
	      "the fixed bound kills the slow answer: outcome %d", r.outcome);
	for (int tries = 0; tries < 5; tries++) {
		CHECK(output_probe_run(slow, &need, output_probe_bound(base, timeouts), &r) == 0, "run");
		if (r.outcome != PROBE_TIMED_OUT)
			break;
		timeouts++;
	}
	CHECK(r.outcome == PROBE_RETURNED && strcmp(r.msg, "answered after 700 ms") == 0,
	      "a longer bound after each timeout gets the answer: outcome %d after %u timeouts",
	      r.outcome, timeouts);
	CHECK(output_probe_outstanding() == 0, "no child left");
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
	test_slow_machine();
	return check_done("test_probe");
}
