/* controls.c - the configured inputs behind one hub; see controls.h.
 * The only file that knows both struct device_config and the input
 * module's backends. Presses by a script (--simulate) are
 * controls_simulate.c; the inputs that did not open, and opening them
 * again, controls_trouble.c. */
#include "input/controls.h"
#include "input/controls_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/evdev.h"
#include "input/gpio.h"
#include "input/mapping.h"
#include "input/terminal.h"

_Static_assert((int)DEVICE_ROLE_COUNT == (int)INPUT_ROLE_COUNT &&
	       (int)DEVICE_ROLE_START == (int)INPUT_ROLE_START &&
	       (int)DEVICE_ROLE_NEXT == (int)INPUT_ROLE_NEXT &&
	       (int)DEVICE_ROLE_REPEAT == (int)INPUT_ROLE_REPEAT &&
	       (int)DEVICE_ROLE_PEDAL == (int)INPUT_ROLE_PEDAL,
	       "device roles are input roles");

static const char *const button_labels[INPUT_ROLE_COUNT] = {
	"start button", "next button", "repeat button", "pedal",
};

static bool label_taken(const struct controls *c, const char *label)
{
	for (int i = 0; i < c->n_slots; i++)
		if (strcmp(c->slots[i].label, label) == 0)
			return true;
	for (int i = 0; i < c->n_failed; i++)
		if (strcmp(c->failures[i].label, label) == 0)
			return true;
	return false;
}

/* base, or "base 2", "base 3" ... if taken: labels tell inputs apart. */
static void unique_label(const struct controls *c, const char *base, char *out)
{
	snprintf(out, LABEL_MAX, "%s", base);
	for (int n = 2; label_taken(c, out) && n < 100; n++)
		snprintf(out, LABEL_MAX, "%s %d", base, n);
}

/* snprintf(dst, size, "%s", src) for fields of one struct (c->cfg into
 * c->failures), which gcc cannot tell apart. */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memmove(dst, src, n);
	dst[n] = '\0';
}

/* What kept an input from opening, as the lobby says it. */
static enum controls_trouble trouble_of(enum slot_kind kind, int err)
{
	if (kind == SLOT_GPIO)
		return err == -ENOENT || err == -ENODEV ? CONTROLS_NO_SUCH_PIN : CONTROLS_PIN_REFUSED;
	if (err == -ENOTTY || err == -EINVAL || err == -ENOTDIR || err == -EISDIR)
		return CONTROLS_NOT_INPUT_DEVICE;   /* a regular file, /dev/null, a folder */
	return CONTROLS_DEVICE_REFUSED;
}

/* Records that c->cfg.inputs[input] did not open, why (trouble), and
 * whether opening it again may help; logs the message (log may be NULL). */
static void fail(struct controls *c, FILE *log, const char *label, int input, enum controls_trouble trouble,
		 bool retry, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void fail(struct controls *c, FILE *log, const char *label, int input, enum controls_trouble trouble,
		 bool retry, const char *fmt, ...)
{
	struct failure *f = &c->failures[c->n_failed < DEVICE_CONFIG_INPUTS_MAX ?
					  c->n_failed++ : DEVICE_CONFIG_INPUTS_MAX - 1];
	const struct device_input *in = &c->cfg.inputs[input];
	va_list ap;

	f->input = input;
	f->retry = retry;
	f->problem.trouble = trouble;
	/* an evdev device is "the pedal", whatever its keys do */
	f->problem.role = in->kind == DEVICE_INPUT_EVDEV ? INPUT_ROLE_PEDAL : (enum input_role)in->role;
	if (trouble == CONTROLS_UNKNOWN_KEY)
		copy_text(f->problem.input, sizeof(f->problem.input), in->key);
	else if (in->kind == DEVICE_INPUT_EVDEV)
		copy_text(f->problem.input, sizeof(f->problem.input), in->device);
	else if (in->line_name[0])
		copy_text(f->problem.input, sizeof(f->problem.input), in->line_name);
	else {
		size_t n;

		copy_text(f->problem.input, sizeof(f->problem.input), in->chip);
		n = strlen(f->problem.input);
		snprintf(f->problem.input + n, sizeof(f->problem.input) - n, " line %d", in->offset);
	}
	snprintf(f->label, sizeof(f->label), "%s", label);
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	if (log) {
		fprintf(log, "%s: %s\n", f->label, f->message);
		fflush(log);
	}
}

/* Adds a backend and records its slot; the hub owns ctx either way. */
static int add_slot(struct controls *c, const struct input_ops *ops, void *ctx,
		    const char *label, enum slot_kind kind, const char *what)
{
	int i = input_hub_add(c->hub, ops, ctx, label);
	struct slot *s;

	if (i < 0)
		return i;
	s = &c->slots[i];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->state = SLOT_UP;
	s->input = -1;
	snprintf(s->label, sizeof(s->label), "%s", label);
	snprintf(s->what, sizeof(s->what), "%s", what ? what : "");
	if (i >= c->n_slots)
		c->n_slots = i + 1;
	return i;
}

/* Opens c->cfg.inputs[input], a GPIO line. 0 (a failure is recorded
 * and logged), or -ENOMEM. */
static int open_gpio(struct controls *c, int input, FILE *log)
{
	const struct device_input *in = &c->cfg.inputs[input];
	struct gpio_line_spec spec = {
		.chip = in->chip[0] ? in->chip : NULL,
		.offset = in->offset,
		.name = in->line_name[0] ? in->line_name : NULL,
		.role = (enum input_role)in->role,
	};
	char label[LABEL_MAX], what[WHAT_MAX], err[MSG_MAX];
	struct gpio_input *gi;
	int r, i;

	unique_label(c, button_labels[in->role], label);
	if (spec.name && spec.chip)
		snprintf(what, sizeof(what), "%s on %s", spec.name, spec.chip);
	else if (spec.name)
		snprintf(what, sizeof(what), "%s", spec.name);
	else
		snprintf(what, sizeof(what), "%s line %d", spec.chip, spec.offset);
	r = gpio_input_open(&spec, &gi, err, sizeof(err));
	if (r < 0) {
		fail(c, log, label, input, trouble_of(SLOT_GPIO, r), r != -ENOTSUP, "%s", err);
		return r == -ENOMEM ? r : 0;
	}
	i = add_slot(c, &gpio_input_ops, gi, label, SLOT_GPIO, what);
	if (i < 0) {
		fail(c, log, label, input, CONTROLS_PIN_REFUSED, false, "gpio %s: cannot add it: %s", what,
		     strerror(-i));
		return i == -ENOMEM ? i : 0;
	}
	c->slots[i].one_role = true;
	c->slots[i].role = spec.role;
	c->slots[i].input = input;
	return 0;
}

/* One evdev device with every key configured for it (inputs of c->cfg
 * with the same device string, from index first on). 0 (failures are
 * recorded and logged), or -ENOMEM. */
static int open_evdev(struct controls *c, int first, FILE *log)
{
	const struct device_config *cfg = &c->cfg;
	const char *device = cfg->inputs[first].device;
	struct evdev_key_binding keys[DEVICE_CONFIG_INPUTS_MAX];
	struct evdev_input_config ecfg = { .device = device, .allow_absent = true };
	char label[LABEL_MAX], what[WHAT_MAX], err[MSG_MAX];
	bool has_gpio_pedal = false, one_role = true;
	struct evdev_input *ei;
	size_t n = 0, used;
	int r, i, evdev_devices = 0;

	for (int k = 0; k < cfg->n_inputs; k++) {
		const struct device_input *in = &cfg->inputs[k];

		has_gpio_pedal |= in->kind == DEVICE_INPUT_GPIO && in->role == DEVICE_ROLE_PEDAL;
		if (k < first && in->kind == DEVICE_INPUT_EVDEV) {
			bool seen = false;

			for (int j = 0; j < k; j++)
				seen |= cfg->inputs[j].kind == DEVICE_INPUT_EVDEV &&
					strcmp(cfg->inputs[j].device, in->device) == 0;
			evdev_devices += !seen;
		}
	}
	unique_label(c, evdev_devices == 0 && !has_gpio_pedal ? "pedal" : "USB pedal", label);
	used = (size_t)snprintf(what, sizeof(what), "%s:", device);
	for (int k = first; k < cfg->n_inputs; k++) {
		const struct device_input *in = &cfg->inputs[k];
		int code;

		if (in->kind != DEVICE_INPUT_EVDEV || strcmp(in->device, device) != 0)
			continue;
		code = evdev_key_code(in->key);
		if (code == -ENOTSUP) {
			fail(c, log, label, k, CONTROLS_DEVICE_REFUSED, false, "evdev %s: not built in (libevdev was not found when "
			     "repcue was configured; install libevdev-dev and re-run cmake)",
			     device);
			return 0;
		}
		if (code < 0) {
			fail(c, log, label, k, CONTROLS_UNKNOWN_KEY, false, "evdev %s: unknown key name '%s' (config line %d): "
			     "run `evtest %s` and press the pedal to see its key names",
			     device, in->key, in->line, device);
			continue;
		}
		keys[n++] = (struct evdev_key_binding){
			.code = (unsigned)code, .role = (enum input_role)in->role,
		};
		one_role &= keys[0].role == (enum input_role)in->role;
		if (used < sizeof(what))
			used += (size_t)snprintf(what + used, sizeof(what) - used, "%s %s -> %s",
						 n > 1 ? "," : "", in->key,
						 device_role_name(in->role));
	}
	if (n == 0)
		return 0;  /* every key was reported */
	ecfg.keys = keys;
	ecfg.n_keys = n;
	r = evdev_input_open(&ecfg, input_clock_usec(), &ei, err, sizeof(err));
	if (r < 0) {
		if (trouble_of(SLOT_EVDEV, r) == CONTROLS_NOT_INPUT_DEVICE)
			fail(c, log, label, first, CONTROLS_NOT_INPUT_DEVICE, true,
			     "evdev %s: not an input device (%s; config line %d): give the pedal's "
			     "path under /dev/input/by-id (`evtest` lists the input devices)",
			     device, strerror(-r), cfg->inputs[first].line);
		else
			fail(c, log, label, first, trouble_of(SLOT_EVDEV, r), true, "%s", err);
		return r == -ENOMEM ? r : 0;
	}
	if (!evdev_input_connected(ei) && log) {
		fprintf(log, "%s: %s is not plugged in; waiting for it (looked for once a second)\n",
			label, device);
		fflush(log);
	}
	r = evdev_input_connected(ei);
	i = add_slot(c, &evdev_input_ops, ei, label, SLOT_EVDEV, what);
	if (i < 0) {
		fail(c, log, label, first, CONTROLS_DEVICE_REFUSED, false, "evdev %s: cannot add it: %s", device,
		     strerror(-i));
		return i == -ENOMEM ? i : 0;
	}
	c->slots[i].state = r ? SLOT_UP : SLOT_WAITING;
	c->slots[i].input = first;
	c->slots[i].one_role = one_role;
	c->slots[i].role = keys[0].role;
	return 0;
}

/* Opens c->cfg.inputs[k]: a GPIO line, or the evdev device it names
 * with all its keys (once, at the first input naming it). 0 or -ENOMEM. */
int controls_open_input(struct controls *c, int k, FILE *log)
{
	const struct device_input *in = &c->cfg.inputs[k];

	if (in->kind == DEVICE_INPUT_GPIO)
		return open_gpio(c, k, log);
	for (int j = 0; j < k; j++)
		if (c->cfg.inputs[j].kind == DEVICE_INPUT_EVDEV &&
		    strcmp(c->cfg.inputs[j].device, in->device) == 0)
			return 0;
	return open_evdev(c, k, log);
}

static void apply_timing(struct controls *c, const struct device_config *cfg, FILE *log)
{
	for (int role = 0; role < INPUT_ROLE_COUNT; role++) {
		const struct device_timing *t = &cfg->timing[role];
		struct gesture_config g;
		int r;

		if (t->lockout_ms < 0 && t->double_tap_ms < 0 && t->hold_ms < 0)
			continue;
		/* the role's default lockout; the default window and hold
		 * (the hub still switches off what the mapping leaves unused) */
		input_mapping_gesture_config(c->map, (enum input_role)role, &g);
		g.double_tap_usec = GESTURE_DOUBLE_TAP_USEC;
		g.hold_usec = GESTURE_HOLD_USEC;
		if (t->lockout_ms >= 0)
			g.lockout_usec = (input_usec_t)t->lockout_ms * 1000;
		if (t->double_tap_ms >= 0)
			g.double_tap_usec = (input_usec_t)t->double_tap_ms * 1000;
		if (t->hold_ms >= 0)
			g.hold_usec = (input_usec_t)t->hold_ms * 1000;
		r = input_hub_set_timing(c->hub, (enum input_role)role, &g);
		if (r < 0 && log) {
			fprintf(log, "%s: timing for '%s' not used (%s): the window and hold must "
				"be longer than the lockout; defaults apply\n",
				cfg->file[0] ? cfg->file : "config", input_role_name(role),
				strerror(-r));
			fflush(log);
		}
	}
}

static void apply_mapping(struct controls *c, const struct device_config *cfg, FILE *log)
{
	for (int i = 0; i < cfg->n_mapping; i++) {
		char err[MSG_MAX];

		if (input_mapping_set(c->map, cfg->mapping[i].key, cfg->mapping[i].value, err,
				      sizeof(err)) < 0 && log) {
			fprintf(log, "%s:%d: %s; the default applies\n",
				cfg->file[0] ? cfg->file : "config", cfg->mapping[i].line, err);
			fflush(log);
		}
	}
}

static int open_terminal(struct controls *c, FILE *log)
{
	struct terminal_input *t;
	int r;

	if (!isatty(STDIN_FILENO))
		return 0;  /* a service, a pipe: no keys, nothing to say */
	r = terminal_input_open(STDIN_FILENO, &t);
	if (r < 0) {
		if (log) {
			fprintf(log, "keyboard: cannot read single keys from the terminal: %s\n",
				strerror(-r));
			fflush(log);
		}
		return r == -ENOMEM ? r : 0;
	}
	r = add_slot(c, &terminal_input_ops, t, "keyboard", SLOT_TERMINAL,
		     control_key_help((char[200]){ 0 }, 200));
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	c->terminal = true;
	return 0;
}

/* A controls with cfg's mapping and timing and nothing opened yet: only
 * allocations, so a caller that fails here has changed nothing. 0 and
 * *ret, -EINVAL, -ENOMEM. */
static int controls_new(const struct device_config *cfg, struct controls **ret, FILE *log)
{
	struct controls *c;
	int r;

	if (!cfg || !ret || cfg->n_inputs < 0 || cfg->n_inputs > DEVICE_CONFIG_INPUTS_MAX)
		return -EINVAL;
	for (int k = 0; k < cfg->n_inputs; k++)
		if ((unsigned)cfg->inputs[k].role >= DEVICE_ROLE_COUNT)
			return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->cfg = *cfg;
	r = input_mapping_new(&c->map);
	if (r < 0)
		goto fail;
	apply_mapping(c, cfg, log);
	r = input_hub_new(c->map, &c->hub);
	if (r < 0)
		goto fail;
	apply_timing(c, cfg, log);
	*ret = c;
	return 0;

fail:
	controls_close(c);
	return r;
}

/* Opens every input of c->cfg. 0 or -ENOMEM. */
static int open_inputs(struct controls *c, FILE *log)
{
	for (int k = 0; k < c->cfg.n_inputs; k++) {
		int r = controls_open_input(c, k, log);

		if (r < 0)
			return r;
	}
	return 0;
}

int controls_open(const struct device_config *cfg, bool terminal_keys,
		  struct controls **ret, FILE *log)
{
	struct controls *c;
	int r = controls_new(cfg, &c, log);

	if (r < 0)
		return r;
	r = open_inputs(c, log);
	if (r == 0 && terminal_keys)
		r = open_terminal(c, log);
	if (r < 0) {
		controls_close(c);
		return r;
	}
	*ret = c;
	return 0;
}

int controls_reconfigure(struct controls *c, const struct device_config *cfg, FILE *log)
{
	struct controls *next;
	int r;

	if (!c)
		return -EINVAL;
	r = controls_new(cfg, &next, log);
	if (r < 0)
		return r;   /* nothing changed: the inputs in use stay */
	/* the terminal and the added backends (a script) move over as they
	 * are: they are not configured, and a script's presses still to come
	 * must still come */
	for (int i = 0; i < c->n_slots; i++) {
		const struct slot *s = &c->slots[i];
		const struct input_ops *ops;
		void *ctx;

		if ((s->kind != SLOT_TERMINAL && s->kind != SLOT_OTHER) ||
		    input_hub_detach(c->hub, i, &ops, &ctx) < 0)
			continue;
		if (add_slot(next, ops, ctx, s->label, s->kind, s->what) >= 0)
			next->terminal |= s->kind == SLOT_TERMINAL;
	}
	/* the configured inputs are released before the new ones are asked
	 * for: a line or pedal named by both is held by one at a time */
	input_hub_free(c->hub);
	input_mapping_free(c->map);
	*c = *next;
	free(next);
	return open_inputs(c, log);
}

void controls_close(struct controls *c)
{
	if (!c)
		return;
	input_hub_free(c->hub);   /* closes the terminal: restores its mode */
	input_mapping_free(c->map);
	free(c);
}

int controls_add(struct controls *c, const struct input_ops *ops, void *ctx,
		 const char *label)
{
	char name[LABEL_MAX];

	if (!c) {
		if (ops && ops->close)
			ops->close(ctx);
		return -EINVAL;
	}
	unique_label(c, label ? label : (ops && ops->name ? ops->name : "input"), name);
	return add_slot(c, ops, ctx, name, SLOT_OTHER, ops && ops->name ? ops->name : "");
}

int controls_active(const struct controls *c)
{
	int n = 0;

	for (int i = 0; c && i < c->n_slots; i++)
		n += c->slots[i].state != SLOT_DROPPED;
	return n;
}

/* Whether a tap of role starts a session in the lobby (the mapping may
 * have changed what it does). */
static bool role_starts(const struct controls *c, enum input_role role)
{
	struct input_binding b = input_mapping_lookup(c->map, role, GESTURE_TAP, INPUT_SESSION_ACTIVE);

	return control_action_starts(b.control) || b.command == INPUT_COMMAND_CONFIRM;
}

unsigned controls_starters(const struct controls *c)
{
	unsigned starters = 0;

	for (int i = 0; c && i < c->n_slots; i++) {
		const struct slot *s = &c->slots[i];

		if (s->state != SLOT_UP)
			continue;
		if (s->kind == SLOT_TERMINAL)
			starters |= CONTROLS_STARTER_KEYBOARD;
		else if (s->kind == SLOT_GPIO && role_starts(c, s->role))
			starters |= 1u << s->role;
		else if (s->kind == SLOT_EVDEV) {
			/* a pedal whose keys have several roles starts if one of them does */
			for (int k = s->input; k < c->cfg.n_inputs; k++) {
				const struct device_input *in = &c->cfg.inputs[k];

				if (in->kind == DEVICE_INPUT_EVDEV &&
				    strcmp(in->device, c->cfg.inputs[s->input].device) == 0 &&
				    role_starts(c, (enum input_role)in->role))
					starters |= 1u << INPUT_ROLE_PEDAL;
			}
		}
	}
	return starters;
}

bool controls_has_terminal(const struct controls *c)
{
	return c && c->terminal;
}

int controls_pollfds(const struct controls *c, struct pollfd *fds, int max)
{
	return c ? input_hub_pollfds(c->hub, fds, max) : -EINVAL;
}

int controls_timeout_ms(const struct controls *c)
{
	return c ? input_hub_timeout_ms(c->hub, input_clock_usec()) : -1;
}

int controls_dispatch(struct controls *c, const struct pollfd *fds, int n)
{
	return c ? input_hub_dispatch(c->hub, fds, n, input_clock_usec()) : -EINVAL;
}

static struct slot *find_slot(const struct controls *c, const char *label)
{
	for (int i = 0; label && i < c->n_slots; i++)
		if (strcmp(c->slots[i].label, label) == 0)
			return (struct slot *)&c->slots[i];
	return NULL;
}

bool controls_next(struct controls *c, enum input_session_state state,
		   struct input_action *out)
{
	struct slot *s;

	if (!c || !input_hub_next_action(c->hub, state, out))
		return false;
	/* keep the state describe() shows */
	s = find_slot(c, out->source);
	if (s && out->status == INPUT_STATUS_CONNECTED)
		s->state = SLOT_UP;
	else if (s && out->status == INPUT_STATUS_DISCONNECTED)
		s->state = SLOT_GONE;
	else if (s && out->status == INPUT_STATUS_FAILED)
		s->state = SLOT_DROPPED;
	return true;
}

const char *controls_input_name(const struct controls *c, const struct input_action *act,
				char *buf, size_t size)
{
	const struct slot *s = c && act ? find_slot(c, act->source) : NULL;

	if (!s)
		snprintf(buf, size, "%s", act && act->source ? act->source : "input");
	else if (act->from_gesture && s->kind == SLOT_EVDEV && !s->one_role)
		snprintf(buf, size, "%s (%s)", s->label, input_role_name(act->role));
	else if (act->from_gesture && s->kind == SLOT_OTHER)
		snprintf(buf, size, "%s %s", s->label, button_labels[act->role]);
	else
		snprintf(buf, size, "%s", s->label);
	return buf;
}

void controls_describe(const struct controls *c, FILE *f)
{
	static const char *const states[] = {
		[SLOT_UP] = "", [SLOT_WAITING] = " (not plugged in: waiting for it)",
		[SLOT_GONE] = " (unplugged: waiting for it)", [SLOT_DROPPED] = " (stopped)",
	};

	if (!c || !f)
		return;
	for (int i = 0; i < c->n_slots; i++) {
		const struct slot *s = &c->slots[i];

		if (s->kind == SLOT_GPIO)
			fprintf(f, "  %s: %s (%s)%s\n", s->label, s->what, gpio_backend_name(),
				states[s->state]);
		else
			fprintf(f, "  %s: %s%s\n", s->label, s->what, states[s->state]);
	}
	/* the reason up to its first sentence: the fix was logged at open */
	for (int i = 0; i < c->n_failed; i++) {
		const char *m = c->failures[i].message, *stop = strstr(m, ". ");
		int len = stop ? (int)(stop - m) : (int)strlen(m);

		fprintf(f, "  %s: not available: %.*s\n", c->failures[i].label, len, m);
	}
}
