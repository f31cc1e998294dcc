/* evdev.c - the evdev state machine (connected / gone / back) and key
 * binding; no libevdev here, the device I/O is a struct evdev_source_ops
 * (evdev_libevdev.c, or a test's pipe). */
#include "input/evdev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct evdev_input {
	const struct evdev_source_ops *ops;
	void *sctx;                        /* owned: ops->destroy */
	char *device;                      /* owned copy */
	struct evdev_key_binding *keys;    /* owned copy, n_keys */
	size_t n_keys;
	bool grab;
	bool connected;
	bool more_queued;     /* stopped with events left: read again now */
	input_usec_t next_scan;            /* while disconnected */
};

int evdev_input_open_source(const struct evdev_input_config *cfg,
			    const struct evdev_source_ops *ops, void *sctx,
			    input_usec_t now_usec, struct evdev_input **ret,
			    char *err, size_t errlen)
{
	struct evdev_input *in;
	int r;

	if (err && errlen)
		err[0] = '\0';
	if (!cfg || !cfg->device || !cfg->keys || cfg->n_keys == 0 || !ops) {
		if (err && errlen)
			snprintf(err, errlen, "evdev: a device and at least one "
				 "key binding are needed");
		r = -EINVAL;
		goto destroy;
	}
	in = calloc(1, sizeof(*in));
	if (!in) {
		r = -ENOMEM;
		goto destroy;
	}
	in->ops = ops;
	in->sctx = sctx;
	in->grab = !cfg->no_grab;
	in->device = strdup(cfg->device);
	in->keys = calloc(cfg->n_keys, sizeof(*in->keys));
	if (!in->device || !in->keys) {
		r = -ENOMEM;
		goto free_in;
	}
	memcpy(in->keys, cfg->keys, cfg->n_keys * sizeof(*in->keys));
	in->n_keys = cfg->n_keys;

	r = ops->open(sctx, in->device, in->grab, err, errlen);
	if (r == 0) {
		in->connected = true;
	} else if (r == -ENOENT && cfg->allow_absent) {
		in->next_scan = now_usec + EVDEV_RESCAN_USEC;
		if (err && errlen)
			err[0] = '\0';
	} else {
		goto free_in;
	}
	*ret = in;
	return 0;

free_in:
	free(in->keys);
	free(in->device);
	free(in);
destroy:
	if (ops)
		ops->destroy(sctx);
	return r;
}

int evdev_input_open(const struct evdev_input_config *cfg, input_usec_t now_usec,
		     struct evdev_input **ret, char *err, size_t errlen)
{
	const struct evdev_source_ops *ops;
	void *sctx;
	int r = evdev_libevdev_source(&ops, &sctx);

	if (r < 0) {
		if (err && errlen)
			snprintf(err, errlen, r == -ENOTSUP ?
				 "evdev %s: not built in (libevdev was not found "
				 "when repcue was configured; install libevdev-dev "
				 "and re-run cmake)" : "evdev %s: out of memory",
				 cfg && cfg->device ? cfg->device : "?");
		return r;
	}
	return evdev_input_open_source(cfg, ops, sctx, now_usec, ret, err,
				       errlen);
}

int evdev_input_fd(const struct evdev_input *in)
{
	return in && in->connected ? in->ops->fd(in->sctx) : -1;
}

bool evdev_input_connected(const struct evdev_input *in)
{
	return in && in->connected;
}

input_usec_t evdev_input_deadline(const struct evdev_input *in)
{
	if (!in)
		return INPUT_NO_DEADLINE;
	if (!in->connected)
		return in->next_scan;
	return in->more_queued ? 0 : INPUT_NO_DEADLINE;
}

static const struct evdev_key_binding *find_key(const struct evdev_input *in,
						unsigned code)
{
	for (size_t i = 0; i < in->n_keys; i++)
		if (in->keys[i].code == code)
			return &in->keys[i];
	return NULL;
}

int evdev_input_read(struct evdev_input *in, input_usec_t now_usec,
		     struct input_edge *out, int max)
{
	int n = 0;

	if (!in || max <= 0)
		return -EINVAL;
	in->more_queued = false;
	if (!in->connected) {
		char ignored[8];

		if (now_usec < in->next_scan)
			return 0;
		if (in->ops->open(in->sctx, in->device, in->grab, ignored,
				  sizeof(ignored)) < 0) {
			/* Still away (or not ours yet, e.g. the udev rule
			 * has not set permissions): look again later. */
			in->next_scan = now_usec + EVDEV_RESCAN_USEC;
			return 0;
		}
		in->connected = true;
		out[n++] = (struct input_edge){
			.kind = INPUT_EDGE_CONNECTED, .at_usec = now_usec,
		};
	}
	while (n < max) {
		struct evdev_key_event ev;
		const struct evdev_key_binding *b;
		int r = in->ops->next(in->sctx, &ev);

		if (r == 0)
			return n;
		if (r == -ENODEV) {
			in->ops->close(in->sctx);
			in->connected = false;
			in->next_scan = now_usec + EVDEV_RESCAN_USEC;
			out[n++] = (struct input_edge){
				.kind = INPUT_EDGE_DISCONNECTED,
				.at_usec = now_usec,
			};
			return n;
		}
		if (r < 0)
			return r;
		/* autorepeat says nothing about the switch */
		if (ev.value == 2)
			continue;
		b = find_key(in, ev.code);
		if (!b)
			continue;
		out[n++] = (struct input_edge){
			.kind = ev.value ? INPUT_EDGE_PRESS : INPUT_EDGE_RELEASE,
			.role = b->role,
			.at_usec = ev.at_usec,
		};
	}
	/* The source may hold events in user space where poll() cannot
	 * see them; ask to be called again at once. */
	in->more_queued = true;
	return n;
}

void evdev_input_close(struct evdev_input *in)
{
	if (!in)
		return;
	in->ops->destroy(in->sctx);
	free(in->keys);
	free(in->device);
	free(in);
}

static int ops_fd(void *ctx)
{
	return evdev_input_fd(ctx);
}

static int ops_read(void *ctx, input_usec_t now_usec, struct input_edge *out,
		    int max)
{
	return evdev_input_read(ctx, now_usec, out, max);
}

static input_usec_t ops_deadline(void *ctx)
{
	return evdev_input_deadline(ctx);
}

static void ops_close(void *ctx)
{
	evdev_input_close(ctx);
}

const struct input_ops evdev_input_ops = {
	.name = "evdev",
	.fd = ops_fd,
	.read = ops_read,
	.deadline = ops_deadline,
	.close = ops_close,
};
