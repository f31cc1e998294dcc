/* child.c - see child.h. */
#include "util/child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"

extern char **environ;

/* Reads the child's words from fd until it closes its end or the
 * deadline: true at end of file, false at the deadline. */
static bool read_words(int fd, int64_t deadline_ns, char *msg, size_t msg_size, size_t *len)
{
	for (;;) {
		int64_t left_ms = (deadline_ns - clock_now_ns()) / 1000000;
		if (left_ms <= 0)
			return false;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, left_ms > 60000 ? 60000 : (int)left_ms);
		if (r < 0 && errno != EINTR)
			return true;
		if (r <= 0)
			continue;
		char buf[4096];
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return true;
		/* the first words are kept: the rest is read and let go */
		size_t room = msg_size > *len + 1 ? msg_size - 1 - *len : 0;
		size_t keep = (size_t)n < room ? (size_t)n : room;
		memcpy(msg + *len, buf, keep);
		*len += keep;
	}
}

int child_run(char *const argv[], char *const envp[], unsigned timeout_ms, char *msg, size_t msg_size)
{
	int pipefd[2], status = 0;
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	sigset_t none, all;
	pid_t pid;
	size_t len = 0;

	if (msg_size)
		msg[0] = '\0';
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		int e = errno;
		snprintf(msg, msg_size, "cannot make a pipe: %s", strerror(e));
		return -e;
	}
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDERR_FILENO);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int r = posix_spawn(&pid, argv[0], &actions, &attr, argv, envp ? envp : environ);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attr);
	close(pipefd[1]);
	if (r != 0) {
		close(pipefd[0]);
		snprintf(msg, msg_size, "cannot run %s: %s", argv[0], strerror(r));
		return -r;
	}
	bool ended = read_words(pipefd[0], clock_now_ns() + (int64_t)timeout_ms * 1000000, msg, msg_size, &len);
	close(pipefd[0]);
	if (!ended)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (msg_size) {
		msg[len] = '\0';
		while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
			msg[--len] = '\0';
	}
	if (!ended) {
		snprintf(msg, msg_size, "%s took more than %u s: stopped", argv[0], timeout_ms / 1000);
		return -ETIMEDOUT;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
