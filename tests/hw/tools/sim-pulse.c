/* sim-pulse - drive a gpio-sim line with exact timing.
 *
 *   sim-pulse PULLFILE TOKEN...
 *   TOKEN: down | up   write pull-down / pull-up to the gpio-sim `pull`
 *                      attribute (the rig's buttons are active-low with the
 *                      pull-up on: down = pressed)
 *          MS          wait that many milliseconds (nanosleep)
 *
 * Why a program and not `echo; sleep` in the shell: under QEMU TCG each
 * fork+exec of `sleep` costs 100 ms and more, so a 100 ms double tap turns
 * into two taps 300 ms apart and a 150 ms tap into a hold. One process with
 * nanosleep keeps the edges within a few ms of what was asked.
 * Prints each edge as "SECONDS pull-down|pull-up" on CLOCK_MONOTONIC (the
 * clock the kernel stamps GPIO edges with). Exit 0, 1 on a write error,
 * 2 on usage. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int write_pull(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n != (ssize_t)strlen(value)) {
		int e = n < 0 ? -errno : -EIO;

		close(fd);
		return e;
	}
	return close(fd) < 0 ? -errno : 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: sim-pulse PULLFILE down|up|MS...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		const char *v = strcmp(argv[i], "down") == 0 ? "pull-down" :
				strcmp(argv[i], "up") == 0 ? "pull-up" : NULL;
		struct timespec t;
		char *end;

		if (!v) {
			long ms = strtol(argv[i], &end, 10);

			if (*end || ms < 0 || ms > 60000) {
				fprintf(stderr, "sim-pulse: '%s' is not down, up or 0..60000 ms\n",
					argv[i]);
				return 2;
			}
			t = (struct timespec){ ms / 1000, (ms % 1000) * 1000000L };
			while (nanosleep(&t, &t) < 0 && errno == EINTR)
				;
			continue;
		}
		int r = write_pull(argv[1], v);

		if (r < 0) {
			fprintf(stderr, "sim-pulse: %s: %s\n", argv[1], strerror(-r));
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		printf("%ld.%03ld %s\n", (long)t.tv_sec, t.tv_nsec / 1000000, v);
	}
	return 0;
}
