/* signal_pipe.c - the signal self-pipe (util/signal_pipe.h). The handler
 * uses only write(2), errno and what cleanup_and_raise() uses. */
#include "util/signal_pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "util/cleanup.h"

static const int pipe_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define N_SIGNALS (sizeof(pipe_signals) / sizeof(pipe_signals[0]))

static int pipe_fds[2] = { -1, -1 };
static struct sigaction saved[N_SIGNALS];
static void (*volatile before_fatal_fn)(void);
static volatile sig_atomic_t fatal;

static void on_signal(int sig)
{
	int saved_errno = errno;

	if (fatal) {
		if (before_fatal_fn)
			before_fatal_fn();
		cleanup_and_raise(sig);
	}
	unsigned char b = (unsigned char)sig;
	if (write(pipe_fds[1], &b, 1) < 0) {
		/* the pipe is full: a signal is already pending */
	}
	errno = saved_errno;
}

int signal_pipe_open(void (*before_fatal)(void))
{
	struct sigaction sa = { .sa_handler = on_signal };

	if (pipe_fds[0] >= 0)
		return -EBUSY;
	if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		int r = -errno;
		pipe_fds[0] = pipe_fds[1] = -1;
		return r;
	}
	before_fatal_fn = before_fatal;
	fatal = 0;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_SIGNALS; i++)
		sigaddset(&sa.sa_mask, pipe_signals[i]);
	for (size_t i = 0; i < N_SIGNALS; i++) {
		if (sigaction(pipe_signals[i], &sa, &saved[i]) < 0) {
			int r = -errno;
			while (i-- > 0)
				sigaction(pipe_signals[i], &saved[i], NULL);
			close(pipe_fds[0]);
			close(pipe_fds[1]);
			pipe_fds[0] = pipe_fds[1] = -1;
			return r;
		}
	}
	return pipe_fds[0];
}

void signal_pipe_fatal(bool on)
{
	fatal = on;
}

bool signal_pipe_wait(int timeout_ms)
{
	struct pollfd p = { .fd = pipe_fds[0], .events = POLLIN };

	return pipe_fds[0] >= 0 && poll(&p, 1, timeout_ms) > 0 && (p.revents & POLLIN);
}

void signal_pipe_close(void)
{
	if (pipe_fds[0] < 0)
		return;
	for (size_t i = 0; i < N_SIGNALS; i++)
		sigaction(pipe_signals[i], &saved[i], NULL);
	fatal = 0;
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	pipe_fds[0] = pipe_fds[1] = -1;
}
