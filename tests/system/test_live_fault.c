/* test_live_fault.c - live_open_fault() tells whose fault a failure is, so
 * play's lobby falls back to the default routine only for the routine's:
 *   a routine file that does not load          -> LIVE_FAULT_ROUTINE
 *   a good routine, the null output            -> 0, LIVE_FAULT_NONE
 *   a good routine, a PortAudio device that refuses the channel count
 *     (-EINVAL, the errno a bad routine also gives) -> LIVE_FAULT_OUTPUT
 * The last goes through real PortAudio -> ALSA (the file plugin over a null
 * slave, ALSA_CONFIG_PATH set by ctest): run it through private-shm.
 * Usage: test_live_fault ROUTINE */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/live.h"
#include "util/env.h"

static int failures;
static struct repcue_env env; /* REPCUE_DATA_DIR, ALSA_CONFIG_PATH from ctest */

static void expect(bool ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	failures += !ok;
}

static int open_with(const char *routine, const struct output_ops *backend, unsigned channels,
		     enum live_fault *fault)
{
	char cache[] = "/tmp/repcue-live-fault-XXXXXX";
	struct live_options lo = {
		.backend = backend,
		.output = { .pacing = OUTPUT_PACE_INSTANT, .channels = channels, .alsa_config_path = env.alsa_config },
		.session = { .env = &env, .cache_dir = mkdtemp(cache) },
	};
	struct live *l = NULL;

	*fault = LIVE_FAULT_SYSTEM + 1; /* not a value: must be written */
	int r = live_open_fault(&l, routine, &lo, stdout, fault);
	live_close(l);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", cache);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", cache);
	return r;
}

int main(int argc, char **argv)
{
	enum live_fault fault;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: test_live_fault ROUTINE\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0); /* in order with what PortAudio prints */
	char msg[200];
	if (repcue_env_read(&env, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "%s\n", msg);
		return 1;
	}
	r = open_with("/nonexistent/routine.yaml", &output_null_ops, 0, &fault);
	expect(r < 0 && fault == LIVE_FAULT_ROUTINE, "a routine that does not load is the routine's fault");
	r = open_with(argv[1], &output_null_ops, 0, &fault);
	expect(r == 0 && fault == LIVE_FAULT_NONE, "a good routine on the null output opens, no fault");
#ifdef REPCUE_HAVE_PORTAUDIO
	if (!env.alsa_config[0]) {
		printf("SKIP: ALSA_CONFIG_PATH is not set (run through ctest)\n");
		return failures ? 1 : 77;
	}
	/* far more channels than any ALSA plugin offers: PortAudio lists the
	 * device, and the open is refused with -EINVAL */
	r = open_with(argv[1], &output_portaudio_ops, 4096, &fault);
	printf("portaudio with 4096 channels: %d (%s)\n", r, strerror(-r));
	expect(r < 0 && r != -ENODEV && fault == LIVE_FAULT_OUTPUT,
	       "a device that will not open is the output's fault, not the routine's");
#else
	printf("SKIP: built without PortAudio: the output case is not tested\n");
	return failures ? 1 : 77;
#endif
	return failures ? 1 : 0;
}
