/* output-jack-test - the PortAudio backend against a real-time clock: a
 * JACK server with its dummy driver (no sound card needed) behind the ALSA
 * jack plugin, selected by the ALSA_CONFIG_PATH the test sets.
 *
 *   output-jack-test paced   play 3 s; wall-clock time must be about 3 s
 *   output-jack-test loss    kill the server mid-stream: health must report
 *                            the loss, use little CPU while lost, never hang,
 *                            and recover when a new server starts
 *
 * The test starts and kills its own jackd (named by JACK_DEFAULT_SERVER, so
 * parallel tests do not share one). Exit 77 when jackd is not installed. */
#include "output/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/harness.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&t, NULL);
}

/* jackd -d dummy at the session rate, 256-frame periods. Dies with us. */
static pid_t jackd_start(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "jackd", "--no-realtime", "-d", "dummy", "-r", "48000",
				 "-p", "256", NULL };
		int devnull = open("/dev/null", O_WRONLY);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execvp("jackd", argv);
		_exit(127);
	}
	return pid;
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog);
		if (access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* SIGKILL is a crash (the loss test); SIGTERM a clean end, escalated. */
static void jackd_stop(pid_t pid, int sig)
{
	if (pid <= 0)
		return;
	kill(pid, sig);
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		sleep_ms(20);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void pull_silence(void *ctx, float *out, size_t frames)
{
	(void)ctx;
	memset(out, 0, frames * sizeof(float));
}

/* Ready when PortAudio can see the ALSA jack device, i.e. a server answers. */
static int jackd_wait(pid_t pid)
{
	struct output_config cfg = { 0 };
	char msg[OUTPUT_MSG_MAX];
	int status, r;

	r = output_portaudio_wait_for_device(&cfg, 10000, msg, sizeof(msg));
	if (waitpid(pid, &status, WNOHANG) == pid) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			return 77;
		fprintf(stderr, "jackd exited (status %d)\n", status);
		return 1;
	}
	if (r < 0) {
		fprintf(stderr, "no device with jackd running: %s\n", msg);
		return 1;
	}
	return 0;
}

/* Starts a JACK server and waits for it: 0 and *ret, 77 (skip, said why)
 * when jackd is not there, or another non-zero status on failure. */
static int jackd_up(pid_t *ret)
{
	int r;

	if (!on_path("jackd")) {
		printf("SKIP: jackd not installed (apt-get install jackd2)\n");
		return 77;
	}
	*ret = jackd_start();
	r = jackd_wait(*ret);
	if (r) {
		if (r == 77)
			printf("SKIP: jackd not installed (apt-get install jackd2)\n");
		jackd_stop(*ret, SIGTERM);
	}
	return r;
}

static int paced(void)
{
	struct output_config cfg = { 0 };
	struct output_health h;
	struct output *out = NULL;
	char msg[OUTPUT_MSG_MAX];
	pid_t jack;
	double t0, elapsed, stall = 0;
	int r;

	r = jackd_up(&jack);
	if (r)
		return r;
	r = output_open(&output_portaudio_ops, &cfg, pull_silence, NULL, &out, msg, sizeof(msg));
	CHECK_OR(r == 0, goto fail, "open: %s", msg);
	output_describe(out, msg, sizeof(msg));
	printf("device: %s\n", msg);
	t0 = now_s();
	CHECK_OR(output_start(out) == 0, goto fail, "start");
	do {
		double before = now_s(), late;

		sleep_ms(10);
		/* What the machine withheld from this thread (it withholds the
		 * same from jackd and the stream): woken more than 5 ms late. */
		late = now_s() - before - 0.010;
		if (late > 0.005)
			stall += late;
		CHECK_OR(output_health(out, &h) == 0, goto fail, "health: %s", h.message);
		CHECK_OR(now_s() - t0 < 60, goto fail, "no progress: %lld frames", (long long)h.frames_pulled);
	} while (h.frames_pulled < frames_from_s(3));
	elapsed = now_s() - t0;
	printf("3 s of audio pulled in %.3f s wall clock, %u underflows; this thread was held up %.3f s "
	       "(noisy shared VM)\n", elapsed, h.underflows, stall);
	/* Never faster than real time, whatever the load: that is what pacing
	 * means. Not much slower either on a machine that lets us run: 3 s of
	 * slack for a late start, plus every stall measured above. */
	CHECK_OR(elapsed > 2.7 && elapsed < 6.0 + stall, goto fail, "3 s took %.3f s (stalls %.3f s)", elapsed, stall);
	output_close(out);
	jackd_stop(jack, SIGTERM);
	return 0;
fail:
	output_close(out);
	jackd_stop(jack, SIGTERM);
	return 1;
}

static int loss(void)
{
	struct output_config cfg = { .call_timeout_ms = 1000 };
	struct output_health h;
	struct output *out = NULL;
	char msg[OUTPUT_MSG_MAX];
	pid_t jack;
	double t, cpu, wall, lost_after;
	frames_t before;
	unsigned seq;
	int r;

	r = jackd_up(&jack);
	if (r)
		return r;
	r = output_open(&output_portaudio_ops, &cfg, pull_silence, NULL, &out, msg, sizeof(msg));
	CHECK_OR(r == 0, goto fail, "open: %s", msg);
	CHECK_OR(output_start(out) == 0, goto fail, "start");
	/* Wait for the condition, not for a time: 200 ms of audio pulled
	 * (bounded, so a stream that never runs fails instead of hanging). */
	t = now_s();
	do {
		sleep_ms(20);
		CHECK_OR(output_health(out, &h) == 0 && h.state == OUTPUT_PLAYING, goto fail, "not playing: %s", h.message);
		CHECK_OR(now_s() - t < 20, goto fail, "only %lld frames after 20 s", (long long)h.frames_pulled);
	} while (h.frames_pulled <= frames_from_ms(200));

	/* The server dies: PortAudio keeps the stream "active"; only the
	 * heartbeat can tell. */
	jackd_stop(jack, SIGKILL);
	jack = -1;
	t = now_s();
	do {
		sleep_ms(50);
		r = output_health(out, &h);
		CHECK_OR(now_s() - t < 5, goto fail, "loss not reported after 5 s");
	} while (r == 0);
	lost_after = now_s() - t;
	CHECK_OR(r == -EIO && h.state == OUTPUT_LOST && h.losses == 1, goto fail, "r=%d state=%d", r, h.state);
	printf("loss reported after %.3f s: %s\n", lost_after, h.message);
	seq = h.message_seq;

	/* Lost for 3 s, polled at 20 Hz as a control thread would: retries
	 * happen, CPU stays low, and no call blocks. */
	cpu = cpu_s();
	t = now_s();
	while (now_s() - t < 3.0) {
		double c0 = now_s();

		r = output_health(out, &h);
		CHECK_OR(now_s() - c0 < 0.5, goto fail, "health blocked for %.3f s", now_s() - c0);
		CHECK_OR(r == -EIO, goto fail, "recovered without a server");
		sleep_ms(50);
	}
	cpu = cpu_s() - cpu;
	wall = now_s() - t;
	printf("while lost: %.3f s CPU in %.3f s (messages %u -> %u, %u suppressed): %s\n", cpu, wall,
	       seq, h.message_seq, h.suppressed, h.message);
	CHECK_OR(cpu < 0.5 * wall, goto fail, "CPU %.3f s in %.3f s while lost", cpu, wall);

	/* A server comes back: the backend reopens by itself. */
	jack = jackd_start();
	t = now_s();
	do {
		sleep_ms(50);
		r = output_health(out, &h);
		CHECK_OR(now_s() - t < 15, goto fail, "no recovery after 15 s: %s", h.message);
	} while (r != 0 || h.state != OUTPUT_PLAYING);
	printf("recovered after %.3f s: %s\n", now_s() - t, h.message);
	CHECK_OR(h.recoveries == 1, goto fail, "recoveries %u", h.recoveries);
	before = h.frames_pulled;
	t = now_s();
	do {
		sleep_ms(20);
		CHECK_OR(output_health(out, &h) == 0, goto fail, "lost again: %s", h.message);
		CHECK_OR(now_s() - t < 20, goto fail, "no audio after recovery: %lld frames in 20 s",
		      (long long)(h.frames_pulled - before));
	} while (h.frames_pulled <= before + frames_from_ms(200));

	t = now_s();
	output_close(out);
	printf("close took %.3f s\n", now_s() - t);
	jackd_stop(jack, SIGTERM);
	return 0;
fail:
	output_close(out);
	jackd_stop(jack, SIGTERM);
	return 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "paced") == 0)
		return paced();
	if (argc == 2 && strcmp(argv[1], "loss") == 0)
		return loss();
	fprintf(stderr, "usage: output-jack-test paced|loss\n");
	return 2;
}
