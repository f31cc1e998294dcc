/* output.c - NULL-safe wrappers around a backend's ops table, so callers
 * never test which optional methods a backend has, nor whether the
 * default backend is in this build. */
#include "output/output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct output {
	const struct output_ops *ops; /* static table, not owned */
	void *ctx;                    /* owned: released by ops->close */
	bool playing;                 /* for backends without health */
};

/* ops, or the default backend's for NULL; NULL with the reason in msg
 * when that is missing from this build. */
static const struct output_ops *ops_or_default(const struct output_ops *ops, char *msg,
					      size_t msg_size)
{
	const struct output_backend *b = output_backend_at(0);

	if (ops)
		return ops;
	if (!b->ops)
		snprintf(msg, msg_size, "%s", b->missing);
	return b->ops;
}

int output_open(const struct output_ops *ops, const struct output_config *cfg,
		output_pull_fn pull, void *pull_ctx, struct output **ret,
		char *msg, size_t msg_size)
{
	static const struct output_config defaults;
	struct output *out;
	int r;

	if (msg && msg_size)
		msg[0] = '\0';
	ops = ops_or_default(ops, msg, msg_size);
	if (!ops)
		return -ENOTSUP;
	if (!ops || !ops->open || !ops->start || !ops->close || !pull || !ret)
		return -EINVAL;
	out = calloc(1, sizeof(*out));
	if (!out) {
		snprintf(msg, msg_size, "%s output: out of memory", ops->name);
		return -ENOMEM;
	}
	r = ops->open(cfg ? cfg : &defaults, pull, pull_ctx, &out->ctx, msg, msg_size);
	if (r < 0) {
		free(out);
		return r;
	}
	out->ops = ops;
	*ret = out;
	return 0;
}

int output_start(struct output *out)
{
	int r;

	if (!out)
		return -EINVAL;
	r = out->ops->start(out->ctx);
	if (r == 0)
		out->playing = true;
	return r;
}

int output_stop(struct output *out)
{
	int r;

	if (!out)
		return -EINVAL;
	if (!out->ops->stop)
		return -EOPNOTSUPP;
	r = out->ops->stop(out->ctx);
	if (r == 0)
		out->playing = false;
	return r;
}

int output_health(struct output *out, struct output_health *ret)
{
	if (!out || !ret)
		return -EINVAL;
	if (out->ops->health)
		return out->ops->health(out->ctx, ret);
	memset(ret, 0, sizeof(*ret));
	ret->state = out->playing ? OUTPUT_PLAYING : OUTPUT_STOPPED;
	return 0;
}

int output_describe(struct output *out, char *buf, size_t size)
{
	if (!out || (!buf && size))
		return -EINVAL;
	if (out->ops->describe)
		return out->ops->describe(out->ctx, buf, size);
	return snprintf(buf, size, "%s output", out->ops->name);
}

const char *output_name(const struct output *out)
{
	return out ? out->ops->name : NULL;
}

void output_close(struct output *out)
{
	if (!out)
		return;
	out->ops->close(out->ctx);
	free(out);
}

int output_wait_for_device(const struct output_ops *ops, const struct output_config *cfg,
			   unsigned timeout_ms, char *msg, size_t msg_size)
{
	static const struct output_config defaults;

	if (msg && msg_size)
		msg[0] = '\0';
	ops = ops_or_default(ops, msg, msg_size);
	if (!ops)
		return -ENOTSUP;
	if (!ops->wait_for_device)
		return 0;
	return ops->wait_for_device(cfg ? cfg : &defaults, timeout_ms, msg, msg_size);
}
