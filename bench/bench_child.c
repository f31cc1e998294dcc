/* bench_child - runs one command and reports what it cost: wall time, CPU
 * time and peak RSS of that child alone (wait4, so nothing else the
 * benchmark started is counted), and optionally the wall time until a
 * line of its stdout first contains a pattern.
 *
 * usage: bench_child [-t SECONDS] [-m PATTERN] [-k] -- COMMAND [ARG...]
 *   -t SECONDS  send SIGINT after this long (as Ctrl-C would)
 *   -m PATTERN  time the first stdout line containing PATTERN
 *   -k          send SIGINT as soon as PATTERN is seen
 * The child's stdout is read and thrown away; its stderr is passed through.
 * Prints one line of key=value pairs on stdout, for bench/run to parse:
 *   wall_s=.. user_s=.. sys_s=.. cpu_s=.. maxrss_kb=.. match_s=.. status=..
 * (match_s=-1 if the pattern never came). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_child [-t SECONDS] [-m PATTERN] [-k] -- COMMAND [ARG...]\n");
}

/* Looks for pattern in the lines read so far; keeps a partial last line
 * (and at most one line of up to sizeof(line) bytes) between reads. */
struct line_matcher {
	const char *pattern;
	char line[4096];
	size_t used;
};

static bool matcher_feed(struct line_matcher *m, const char *buf, size_t n)
{
	bool hit = false;

	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || m->used == sizeof(m->line) - 1) {
			m->line[m->used] = '\0';
			hit |= strstr(m->line, m->pattern) != NULL;
			m->used = 0;
			if (buf[i] == '\n')
				continue;
		}
		m->line[m->used++] = buf[i];
	}
	return hit;
}

int main(int argc, char **argv)
{
	double limit_s = -1;
	bool kill_on_match = false;
	struct line_matcher m = { 0 };
	int opt;

	while ((opt = getopt(argc, argv, "t:m:k")) != -1) {
		switch (opt) {
		case 't': limit_s = atof(optarg); break;
		case 'm': m.pattern = optarg; break;
		case 'k': kill_on_match = true; break;
		default: usage(); return 2;
		}
	}
	if (optind >= argc) {
		usage();
		return 2;
	}

	int out[2];
	if (pipe(out) < 0) {
		perror("bench_child: pipe");
		return 1;
	}
	double t0 = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench_child: fork");
		return 1;
	}
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "bench_child: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	close(out[1]);

	/* Read the child's stdout until it closes it, timing the pattern and
	 * sending SIGINT at the deadline. */
	double match_s = -1;
	bool interrupted = false, open_pipe = true;
	while (open_pipe) {
		int timeout_ms = -1;
		if (limit_s >= 0 && !interrupted) {
			double left = t0 + limit_s - now_s();
			timeout_ms = left > 0 ? (int)(left * 1000) + 1 : 0;
		}
		struct pollfd p = { .fd = out[0], .events = POLLIN };
		int r = poll(&p, 1, timeout_ms);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0) {
			char buf[4096];
			ssize_t n = read(out[0], buf, sizeof(buf));
			if (n <= 0) {
				open_pipe = false;
			} else if (m.pattern && match_s < 0 && matcher_feed(&m, buf, (size_t)n)) {
				match_s = now_s() - t0;
				if (kill_on_match && !interrupted) {
					kill(pid, SIGINT);
					interrupted = true;
				}
			}
		}
		if (limit_s >= 0 && !interrupted && now_s() - t0 >= limit_s) {
			kill(pid, SIGINT);
			interrupted = true;
		}
	}
	close(out[0]);

	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("bench_child: wait4");
			return 1;
		}
	}
	double wall = now_s() - t0;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("wall_s=%.4f user_s=%.4f sys_s=%.4f cpu_s=%.4f maxrss_kb=%ld match_s=%.4f status=%d\n",
	       wall, tv_s(ru.ru_utime), tv_s(ru.ru_stime), tv_s(ru.ru_utime) + tv_s(ru.ru_stime),
	       ru.ru_maxrss, match_s, code);
	return 0;
}
