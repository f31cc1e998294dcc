/* bench_plan - issue 11 item 7: how long plan_build takes for the worst
 * routine the loader accepts (tests/routine/worst_routine.h: 3 steps at
 * every limit, all a 4-hour session holds, every line distinct, about
 * 48 000 lines) and for the seed
 * routines. Target: under a second for any routine `repcue check` accepts.
 * tests/routine/test_plan_scale bounds the same work by counting probes;
 * this prints the wall and CPU time, which a shared machine makes noisy.
 *
 *   bench_plan [ROUTINE.yaml...]
 *
 * Prints one line of key=value pairs per routine. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/plan.h"
#include "routine/routine_load.h"
#include "../tests/routine/worst_routine.h"

static double clock_s(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int measure(const char *name, const struct routine *r)
{
	struct plan plan;
	double wall = clock_s(CLOCK_MONOTONIC), cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	int ret = plan_build(&plan, r);
	wall = clock_s(CLOCK_MONOTONIC) - wall;
	cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu;
	if (ret < 0) {
		fprintf(stderr, "bench_plan: %s: plan_build: %d\n", name, ret);
		return 1;
	}
	printf("routine=%s texts=%d actions=%d probes=%ld plan_wall_s=%.3f plan_cpu_s=%.3f\n", name,
	       plan.n_texts, plan.n_actions, plan.intern_probes, wall, cpu);
	plan_finish(&plan);
	return 0;
}

int main(int argc, char **argv)
{
	struct routine *r = calloc(1, sizeof(*r));
	struct diag_list diags;
	struct worst_text t = { 0 };
	int status = 0;

	if (!r)
		return 1;
	worst_routine(&t);
	if (routine_parse("worst", t.buf, t.len, r, &diags) != 0) {
		fprintf(stderr, "bench_plan: the generated worst routine does not load\n");
		status = 1;
	} else {
		status |= measure("worst", r);
	}
	free(t.buf);
	for (int i = 1; i < argc; i++) {
		if (routine_load(argv[i], r, &diags) != 0) {
			fprintf(stderr, "bench_plan: %s does not load\n", argv[i]);
			status = 1;
			continue;
		}
		status |= measure(argv[i], r);
	}
	free(r);
	return status;
}
