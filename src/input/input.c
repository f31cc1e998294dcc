/* input.c - the input hub and the script backend; see input.h. */
#include "input/input.h"
#include "util/clock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUEUE_CAP 128

/* A queued thing to report.  Gestures are mapped when popped, with the
 * session state of that moment. */
struct pending {
	struct input_action act;
};

struct backend {
	const struct input_ops *ops;
	void *ctx;                   /* owned: ops->close */
	char *label;                 /* owned */
};

struct input_hub {
	const struct input_mapping *map;        /* borrowed */
	struct gesture_decoder *dec;            /* owned; input =
	                                         * backend * ROLE_COUNT + role */
	struct gesture_config timing[INPUT_ROLE_COUNT];
	struct backend backends[INPUT_HUB_MAX_BACKENDS];
	int n_backends;
	struct pending queue[QUEUE_CAP];
	size_t head, len;
	bool overflow;
};

input_usec_t input_clock_usec(void)
{
	return (input_usec_t)clock_now_us();
}

static void push(struct input_hub *hub, const struct input_action *act)
{
	if (hub->len == QUEUE_CAP) {
		hub->overflow = true;
		return;
	}
	hub->queue[(hub->head + hub->len) % QUEUE_CAP].act = *act;
	hub->len++;
}

static void apply_timing(struct input_hub *hub, enum input_role role)
{
	struct gesture_config cfg = hub->timing[role];

	if (!input_mapping_uses(hub->map, role, GESTURE_DOUBLE_TAP))
		cfg.double_tap_usec = 0;
	if (!input_mapping_uses(hub->map, role, GESTURE_HOLD))
		cfg.hold_usec = 0;
	for (int b = 0; b < INPUT_HUB_MAX_BACKENDS; b++)
		gesture_set_config(hub->dec, (unsigned)(b * INPUT_ROLE_COUNT + role),
				   &cfg);
}

int input_hub_new(const struct input_mapping *map, struct input_hub **ret)
{
	struct gesture_config cfg;
	struct input_hub *hub;
	int r;

	if (!map || !ret)
		return -EINVAL;
	hub = calloc(1, sizeof(*hub));
	if (!hub)
		return -ENOMEM;
	hub->map = map;
	input_mapping_gesture_config(map, INPUT_ROLE_START, &cfg);
	r = gesture_decoder_new(INPUT_HUB_MAX_BACKENDS * INPUT_ROLE_COUNT, &cfg,
				&hub->dec);
	if (r < 0) {
		free(hub);
		return r;
	}
	for (int role = 0; role < INPUT_ROLE_COUNT; role++) {
		input_mapping_gesture_config(map, role, &cfg);
		/* keep the defaults' window and hold even where this
		 * mapping switches them off; apply_timing decides */
		cfg.double_tap_usec = GESTURE_DOUBLE_TAP_USEC;
		cfg.hold_usec = GESTURE_HOLD_USEC;
		hub->timing[role] = cfg;
		apply_timing(hub, role);
	}
	*ret = hub;
	return 0;
}

void input_hub_free(struct input_hub *hub)
{
	if (!hub)
		return;
	for (int i = 0; i < hub->n_backends; i++) {
		struct backend *b = &hub->backends[i];

		if (b->ops)
			b->ops->close(b->ctx);
		free(b->label);
	}
	gesture_decoder_free(hub->dec);
	free(hub);
}

int input_hub_set_timing(struct input_hub *hub, enum input_role role,
			 const struct gesture_config *cfg)
{
	int r;

	if (!hub || (unsigned)role >= INPUT_ROLE_COUNT)
		return -EINVAL;
	r = gesture_config_check(cfg);
	if (r < 0)
		return r;
	hub->timing[role] = *cfg;
	apply_timing(hub, role);
	return 0;
}

int input_hub_add(struct input_hub *hub, const struct input_ops *ops,
		  void *ctx, const char *label)
{
	struct backend *b;

	if (!ops || !ops->read || !ops->fd || !ops->close)
		return -EINVAL;
	if (!hub) {
		ops->close(ctx);
		return -EINVAL;
	}
	if (hub->n_backends == INPUT_HUB_MAX_BACKENDS) {
		ops->close(ctx);
		return -ENOSPC;
	}
	b = &hub->backends[hub->n_backends];
	b->label = strdup(label ? label : ops->name);
	if (!b->label) {
		ops->close(ctx);
		return -ENOMEM;
	}
	b->ops = ops;
	b->ctx = ctx;
	return hub->n_backends++;
}

int input_hub_detach(struct input_hub *hub, int index, const struct input_ops **ops, void **ctx)
{
	if (!hub || index < 0 || index >= hub->n_backends || !hub->backends[index].ops)
		return -EINVAL;
	*ops = hub->backends[index].ops;
	*ctx = hub->backends[index].ctx;
	hub->backends[index].ops = NULL;   /* as a backend the hub dropped */
	hub->backends[index].ctx = NULL;
	return 0;
}

int input_hub_pollfds(const struct input_hub *hub, struct pollfd *fds, int max)
{
	if (!hub || max < hub->n_backends)
		return -ENOSPC;
	for (int i = 0; i < hub->n_backends; i++) {
		const struct backend *b = &hub->backends[i];

		fds[i] = (struct pollfd){
			.fd = b->ops ? b->ops->fd(b->ctx) : -1,
			.events = POLLIN,
		};
	}
	return hub->n_backends;
}

static input_usec_t backend_deadline(const struct backend *b)
{
	if (!b->ops || !b->ops->deadline)
		return INPUT_NO_DEADLINE;
	return b->ops->deadline(b->ctx);
}

input_usec_t input_hub_deadline(const struct input_hub *hub)
{
	input_usec_t d;

	if (!hub)
		return INPUT_NO_DEADLINE;
	d = gesture_next_deadline(hub->dec);
	for (int i = 0; i < hub->n_backends; i++) {
		input_usec_t bd = backend_deadline(&hub->backends[i]);

		if (bd < d)
			d = bd;
	}
	return d;
}

int input_hub_timeout_ms(const struct input_hub *hub, input_usec_t now_usec)
{
	input_usec_t d = input_hub_deadline(hub);
	input_usec_t ms;

	if (d == INPUT_NO_DEADLINE)
		return -1;
	if (d <= now_usec)
		return 0;
	ms = (d - now_usec + 999) / 1000;
	return ms > 1000000 ? 1000000 : (int)ms;
}

static void drain_decoder(struct input_hub *hub)
{
	struct gesture_event ev;

	while (gesture_next_event(hub->dec, &ev)) {
		struct input_action act = {
			.source = hub->backends[ev.input / INPUT_ROLE_COUNT].label,
			.from_gesture = true,
			.role = (enum input_role)(ev.input % INPUT_ROLE_COUNT),
			.gesture = ev.kind,
			.at_usec = ev.at_usec,
			.delay_usec = ev.delay_usec,
		};
		push(hub, &act);
	}
}

static void reset_backend(struct input_hub *hub, int i)
{
	for (int role = 0; role < INPUT_ROLE_COUNT; role++)
		gesture_reset(hub->dec, (unsigned)(i * INPUT_ROLE_COUNT + role));
}

static void handle_edge(struct input_hub *hub, int i,
			const struct input_edge *e)
{
	struct input_action act = {
		.source = hub->backends[i].label,
		.at_usec = e->at_usec,
	};

	switch (e->kind) {
	case INPUT_EDGE_PRESS:
	case INPUT_EDGE_RELEASE:
		if ((unsigned)e->role >= INPUT_ROLE_COUNT)
			return;
		if (gesture_feed(hub->dec,
				 (unsigned)(i * INPUT_ROLE_COUNT + e->role),
				 e->kind == INPUT_EDGE_PRESS, e->at_usec) < 0)
			hub->overflow = true;
		drain_decoder(hub);
		return;
	case INPUT_EDGE_CONNECTED:
	case INPUT_EDGE_DISCONNECTED:
		/* A press half made when the device went away must not
		 * turn into a hold later. */
		reset_backend(hub, i);
		act.status = e->kind == INPUT_EDGE_CONNECTED ?
			INPUT_STATUS_CONNECTED : INPUT_STATUS_DISCONNECTED;
		push(hub, &act);
		return;
	case INPUT_EDGE_ACTION:
		if (e->action == CONTROL_NONE)
			return;
		act.control = e->action;
		push(hub, &act);
		return;
	}
}

static void drop_backend(struct input_hub *hub, int i, int error)
{
	struct backend *b = &hub->backends[i];
	struct input_action act = {
		.status = INPUT_STATUS_FAILED,
		.error = error,
		.source = b->label,
	};

	reset_backend(hub, i);
	b->ops->close(b->ctx);
	/* Keep the slot (and label) so indexes and fds[] stay aligned. */
	b->ops = NULL;
	b->ctx = NULL;
	push(hub, &act);
}

int input_hub_dispatch(struct input_hub *hub, const struct pollfd *fds, int n,
		       input_usec_t now_usec)
{
	struct input_edge edges[32];
	int r;

	if (!hub)
		return -EINVAL;
	for (int i = 0; i < hub->n_backends; i++) {
		struct backend *b = &hub->backends[i];
		bool ready = i < n && fds && fds[i].fd >= 0 &&
			     (fds[i].revents & (POLLIN | POLLERR | POLLHUP));

		if (!b->ops)
			continue;
		if (!ready && backend_deadline(b) > now_usec)
			continue;
		r = b->ops->read(b->ctx, now_usec, edges, 32);
		if (r < 0) {
			drop_backend(hub, i, r);
			continue;
		}
		for (int k = 0; k < r; k++)
			handle_edge(hub, i, &edges[k]);
	}
	if (gesture_tick(hub->dec, now_usec) < 0)
		hub->overflow = true;
	drain_decoder(hub);
	if (hub->overflow) {
		hub->overflow = false;
		return -ENOBUFS;
	}
	return 0;
}

bool input_hub_next_action(struct input_hub *hub,
			   enum input_session_state state,
			   struct input_action *out)
{
	while (hub && hub->len) {
		struct input_action act = hub->queue[hub->head].act;

		hub->head = (hub->head + 1) % QUEUE_CAP;
		hub->len--;
		if (act.from_gesture) {
			struct input_binding b = input_mapping_lookup(
				hub->map, act.role, act.gesture, state);

			if (b.control == CONTROL_NONE &&
			    b.command == INPUT_COMMAND_NONE)
				continue;
			act.control = b.control;
			act.command = b.command;
		}
		*out = act;
		return true;
	}
	return false;
}

/* --- script backend --- */

struct input_script {
	struct input_edge *edges;   /* owned, n */
	size_t n, next;
};

int input_script_new(const struct input_edge *edges, size_t n,
		     struct input_script **ret)
{
	struct input_script *s;

	if (!ret || (n && !edges))
		return -EINVAL;
	for (size_t i = 1; i < n; i++)
		if (edges[i].at_usec < edges[i - 1].at_usec)
			return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (n) {
		s->edges = calloc(n, sizeof(*edges));
		if (!s->edges) {
			free(s);
			return -ENOMEM;
		}
		memcpy(s->edges, edges, n * sizeof(*edges));
	}
	s->n = n;
	*ret = s;
	return 0;
}

void input_script_free(struct input_script *script)
{
	if (!script)
		return;
	free(script->edges);
	free(script);
}

static int script_fd(void *ctx)
{
	(void)ctx;
	return -1;
}

static int script_read(void *ctx, input_usec_t now_usec,
		       struct input_edge *out, int max)
{
	struct input_script *s = ctx;
	int n = 0;

	while (n < max && s->next < s->n && s->edges[s->next].at_usec <= now_usec)
		out[n++] = s->edges[s->next++];
	return n;
}

static input_usec_t script_deadline(void *ctx)
{
	struct input_script *s = ctx;

	return s->next < s->n ? s->edges[s->next].at_usec : INPUT_NO_DEADLINE;
}

static void script_close(void *ctx)
{
	input_script_free(ctx);
}

const struct input_ops input_script_ops = {
	.name = "script",
	.fd = script_fd,
	.read = script_read,
	.deadline = script_deadline,
	.close = script_close,
};
