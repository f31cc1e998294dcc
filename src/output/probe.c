/* probe.c - see probe.h. Plain POSIX: fork, pipes, poll, waitpid. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 */
#endif
#include "output/probe.h"
#include "util/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Time given to a killed child to die before it is left for later. */
#define PROBE_REAP_MS 1000

/* The one child that would not die; 0 none. Guarded: the control thread
 * and PortAudio job threads may probe. */
static pthread_mutex_t stuck_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t stuck_pid;

struct wire {
	int rc;
	char msg[PROBE_MSG_MAX];
};


/* Reaps pid within ms milliseconds; true if reaped (its status in *status). */
static bool reap(pid_t pid, int ms, int *status)
{
	struct timespec tick = { 0, 10 * 1000000L };

	for (int waited = 0;; waited += 10) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid || (r < 0 && errno == ECHILD))
			return true;
		if (waited >= ms)
			return false;
		nanosleep(&tick, NULL);
	}
}

/* Reads what is there without blocking past the deadline. */
static size_t read_all(int fd, void *buf, size_t size, long long deadline)
{
	size_t got = 0;

	while (got < size) {
		long long left = deadline - clock_now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (left <= 0)
			break;
		int n = poll(&p, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		ssize_t r = read(fd, (char *)buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break; /* EOF: the child is gone */
		got += (size_t)r;
	}
	return got;
}

/* The first lines of the child's stderr, without the final newline. */
static void read_err(int fd, char *out, size_t size)
{
	size_t got = 0;
	ssize_t r;

	while (got + 1 < size && (r = read(fd, out + got, size - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = '\0';
	while (got > 0 && out[got - 1] == '\n')
		out[--got] = '\0';
}

unsigned output_probe_bound(unsigned base_ms, unsigned timeouts)
{
	unsigned bound = base_ms;

	for (unsigned i = 0; i < timeouts && bound < PROBE_PATIENCE_MAX_MS; i++)
		bound *= 2;
	if (bound > PROBE_PATIENCE_MAX_MS && base_ms < PROBE_PATIENCE_MAX_MS)
		bound = PROBE_PATIENCE_MAX_MS;
	return bound;
}

int output_probe_outstanding(void)
{
	int status, n;

	pthread_mutex_lock(&stuck_lock);
	if (stuck_pid > 0 && reap(stuck_pid, 0, &status))
		stuck_pid = 0;
	n = stuck_pid > 0;
	pthread_mutex_unlock(&stuck_lock);
	return n;
}

int output_probe_run(int (*fn)(void *arg, char *msg, size_t msg_size), void *arg,
		     unsigned timeout_ms, struct probe_result *ret)
{
	int res[2], err[2], status = 0;
	struct wire w;

	memset(ret, 0, sizeof(*ret));
	if (output_probe_outstanding()) {
		ret->outcome = PROBE_BUSY;
		return 0;
	}
	if (pipe2(res, O_CLOEXEC) < 0) {
		ret->outcome = PROBE_FAILED;
		ret->rc = -errno;
		return 0;
	}
	if (pipe2(err, O_CLOEXEC | O_NONBLOCK) < 0) {
		ret->outcome = PROBE_FAILED;
		ret->rc = -errno;
		close(res[0]);
		close(res[1]);
		return 0;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		ret->outcome = PROBE_FAILED;
		ret->rc = -errno;
		close(res[0]);
		close(res[1]);
		close(err[0]);
		close(err[1]);
		return 0;
	}
	if (pid == 0) {
		/* The child: stderr into the pipe (what PortAudio and ALSA
		 * print before dying is the best clue), the answer into the
		 * other, then _exit: no atexit handlers, no stdio flush of the
		 * parent's buffers. */
		/* A probe hung on a dead JACK server must not outlive repcue
		 * when a signal ends it mid-probe (no one would kill it). */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		close(res[0]);
		close(err[0]);
		dup2(err[1], STDERR_FILENO);
		memset(&w, 0, sizeof(w));
		w.rc = fn(arg, w.msg, sizeof(w.msg));
		ssize_t n = write(res[1], &w, sizeof(w));
		_exit(n == (ssize_t)sizeof(w) ? 0 : 1);
	}
	close(res[1]);
	close(err[1]);
	size_t got = read_all(res[0], &w, sizeof(w), clock_now_ms() + timeout_ms);
	close(res[0]);
	if (got == sizeof(w)) {
		ret->outcome = PROBE_RETURNED;
		ret->rc = w.rc;
		w.msg[sizeof(w.msg) - 1] = '\0';
		snprintf(ret->msg, sizeof(ret->msg), "%s", w.msg);
		reap(pid, PROBE_REAP_MS, &status);
	} else if (reap(pid, 0, &status) || (got == 0 && reap(pid, 50, &status))) {
		/* The pipe closed early: the child died. */
		if (WIFSIGNALED(status)) {
			ret->outcome = PROBE_CRASHED;
			ret->sig = WTERMSIG(status);
		} else {
			ret->outcome = PROBE_CRASHED;
			ret->sig = 0;
		}
	} else {
		ret->outcome = PROBE_TIMED_OUT;
		kill(pid, SIGKILL);
		if (!reap(pid, PROBE_REAP_MS, &status)) {
			pthread_mutex_lock(&stuck_lock);
			stuck_pid = pid;
			pthread_mutex_unlock(&stuck_lock);
		}
	}
	read_err(err[0], ret->err, sizeof(ret->err));
	close(err[0]);
	return 0;
}
