/* portaudio_missing.c - stands in for portaudio.c in builds without
 * PortAudio, so callers need no #ifdef: the backend exists and says why it
 * cannot open, and the caller falls back to WAV or null. */
#include "output/output.h"

#include <errno.h>
#include <stdio.h>

static int missing_open(const struct output_config *cfg, output_pull_fn pull, void *pull_ctx,
			void **ret_ctx, char *msg, size_t msg_size)
{
	(void)cfg;
	(void)pull;
	(void)pull_ctx;
	(void)ret_ctx;
	snprintf(msg, msg_size, "built without PortAudio (install portaudio19-dev and rebuild)");
	return -ENOTSUP;
}

static int missing_start(void *ctx)
{
	(void)ctx;
	return -ENOTSUP;
}

static void missing_close(void *ctx)
{
	(void)ctx;
}

const struct output_ops output_portaudio_ops = {
	.name = "portaudio",
	.open = missing_open,
	.start = missing_start,
	.close = missing_close,
};

int output_portaudio_wait_for_device(const struct output_config *cfg, unsigned timeout_ms,
				     char *msg, size_t msg_size)
{
	(void)cfg;
	(void)timeout_ms;
	snprintf(msg, msg_size, "built without PortAudio");
	return -ENOTSUP;
}
