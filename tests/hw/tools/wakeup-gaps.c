/* wakeup-gaps - how late a thread in this VM wakes up: the figure behind
 * the rig's choice of audio latency (tests/hw/README.md, "Latency").
 *
 *   wakeup-gaps SECONDS
 *
 * Sleeps 1 ms at a time on CLOCK_MONOTONIC for SECONDS and prints one line:
 * how many wake-ups came more than 10.7 ms late (two 256-frame periods at
 * 48 kHz, about what a one-period stream buffers), more than 85 ms late
 * (4096 frames) and more than 341 ms late (16384 frames), the worst, and
 * the 99th percentile. A thread that wakes that late is what an audio
 * callback would be. Exit 0, 2 on usage. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long secs = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
	size_t n = 0, cap = 1024, over[3] = { 0 };
	double *late, end, worst = 0;
	static const double limits[3] = { 10.7, 85.3, 341.3 };

	if (secs < 1 || secs > 600) {
		fprintf(stderr, "usage: wakeup-gaps SECONDS (1..600)\n");
		return 2;
	}
	late = malloc(cap * sizeof(*late));
	if (!late)
		return 2;
	end = now_ms() + (double)secs * 1e3;
	for (double t = now_ms(); t < end;) {
		struct timespec d = { 0, 1000000L };
		double after, l;

		nanosleep(&d, NULL);
		after = now_ms();
		l = after - t - 1.0;
		t = after;
		if (n == cap) {
			double *m = realloc(late, 2 * cap * sizeof(*late));

			if (!m)
				break;
			late = m;
			cap *= 2;
		}
		late[n++] = l;
		worst = l > worst ? l : worst;
		for (int i = 0; i < 3; i++)
			over[i] += l > limits[i];
	}
	qsort(late, n, sizeof(*late), cmp);
	printf("%zu wake-ups in %ld s: late >10.7 ms %zu, >85 ms %zu, >341 ms %zu; "
	       "worst %.1f ms, 99th percentile %.1f ms\n", n, secs, over[0], over[1],
	       over[2], worst, n ? late[n * 99 / 100] : 0.0);
	free(late);
	return 0;
}
