/* test_null - the null backend: instant pacing with a frame limit pulls
 * exactly that many frames; real-time pacing pulls about one second of
 * frames per second of wall clock (generous bounds: shared machines). */
#include "output/output.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../lib/harness.h"

static void pull(void *ctx, float *out, size_t frames)
{
	frames_t *n = ctx;

	memset(out, 0, frames * sizeof(float));
	*n += (frames_t)frames;
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&t, NULL);
}

int main(void)
{
	struct output_config cfg = { .pacing = OUTPUT_PACE_INSTANT, .null_frame_limit = 100000 };
	struct output_health h;
	struct output *out;
	frames_t pulled = 0;
	char msg[OUTPUT_MSG_MAX];

	REQUIRE(output_open(&output_null_ops, &cfg, pull, &pulled, &out, msg, sizeof(msg)) == 0);
	REQUIRE(output_start(out) == 0);
	for (int i = 0; i < 500; i++) {
		output_health(out, &h);
		if (h.state == OUTPUT_STOPPED)
			break;
		sleep_ms(10);
	}
	REQUIRE(h.state == OUTPUT_STOPPED && h.frames_pulled == 100000);
	output_close(out);
	REQUIRE(pulled == 100000); /* the thread is joined: plain read is safe */

	cfg = (struct output_config){ .pacing = OUTPUT_PACE_REALTIME };
	pulled = 0;
	REQUIRE(output_open(&output_null_ops, &cfg, pull, &pulled, &out, msg, sizeof(msg)) == 0);
	REQUIRE(output_describe(out, msg, sizeof(msg)) > 0);
	printf("%s\n", msg);
	REQUIRE(output_start(out) == 0);
	sleep_ms(1000);
	REQUIRE(output_stop(out) == 0);
	output_health(out, &h);
	printf("real-time: %lld frames in ~1 s\n", (long long)h.frames_pulled);
	REQUIRE(h.frames_pulled > 40000 && h.frames_pulled < 60000);
	output_close(out);
	output_close(NULL);
	printf("null: ok\n");
	return 0;
}
