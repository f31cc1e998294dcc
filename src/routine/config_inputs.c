/* config_inputs.c - the inputs of the device config: each button or
 * pedal (its role, a GPIO line or an evdev key), no two on one line or key,
 * and the debounce and gesture timing per role. Separate from
 * config_load.c because it is the part that describes the wiring, kept in
 * step with hw/README.md's "Config file" and with what input/ opens. */
#include "routine/config_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/control.h"
#include "util/utf8.h"

static const char *const input_keys[] = { "role", "gpio", "evdev" };
enum { I_ROLE, I_GPIO, I_EVDEV };

static const char *const gpio_keys[] = { "name", "chip", "line" };
enum { G_NAME, G_CHIP, G_LINE };

static const char *const evdev_keys[] = { "device", "key" };
enum { E_DEVICE, E_KEY };

static const char *const timing_keys[] = { "lockout_ms", "double_tap_ms", "hold_ms" };
enum { TM_LOCKOUT, TM_DOUBLE_TAP, TM_HOLD };

/* "KEY_PAGEDOWN", "BTN_LEFT", "pagedown", "b": the shape evdev_key_code()
 * takes; whether the name exists is checked when the pedal is opened. */
static bool read_key_name(struct schema *s, int node, struct device_input *in)
{
	static const char hint[] =
		"write a key name as evtest shows it, e.g. KEY_PAGEDOWN, KEY_B or BTN_LEFT";
	const char *text;
	size_t len;
	bool ok;

	if (ydoc_kind(s->doc, node) != YNODE_SCALAR) {
		schema_error(s, node, hint, "'key' must be a key name, not %s%s",
			     ydoc_kind_name(ydoc_kind(s->doc, node)), s->where);
		return false;
	}
	text = ydoc_scalar(s->doc, node, &len);
	ok = len > 0 && len < sizeof(in->key) && strlen(text) == len;
	for (size_t i = 0; ok && i < len; i++) {
		char c = text[i];

		ok = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
		     c == '_';
	}
	if (ok && (strncasecmp(text, "KEY_", 4) == 0 || strncasecmp(text, "BTN_", 4) == 0))
		ok = len > 4;
	if (!ok) {
		char shown[64];

		if (len == 0)
			snprintf(shown, sizeof(shown), "empty");
		else
			snprintf(shown, sizeof(shown), "'%.*s%s'",
				 strlen(text) == len ? (int)utf8_prefix(text, len, 40) : 1,
				 strlen(text) == len ? text : "?", len > 40 ? "..." : "");
		schema_error(s, node, hint, "'key' is not a key name: %s%s", shown, s->where);
		return false;
	}
	memcpy(in->key, text, len + 1);
	return true;
}
static bool load_gpio(struct schema *s, int node, struct device_input *in)
{
	int v[N(gpio_keys)], errors = s->errors;

	in->kind = DEVICE_INPUT_GPIO;
	in->offset = -1;
	if (!schema_map(s, node, "'gpio'", gpio_keys, N(gpio_keys), v))
		return false;
	if (v[G_NAME] && v[G_LINE]) {
		schema_error(s, v[G_LINE], "keep 'name: GPIO17' or 'chip:' with 'line:', not both",
			     "'gpio' has both 'name' and 'line'%s", s->where);
		return false;
	}
	if (!v[G_NAME] && !v[G_LINE]) {
		schema_error(s, node,
			     "write 'gpio: {name: GPIO17}' or 'gpio: {chip: gpiochip0, line: 17}'",
			     "'gpio' needs a line 'name', or a 'chip' and a 'line'%s", s->where);
		return false;
	}
	if (v[G_LINE] && !v[G_CHIP]) {
		schema_error(s, v[G_LINE],
			     "add 'chip: gpiochip0' (`gpiodetect` lists chips), or use 'name: GPIO17'",
			     "'line' needs a 'chip'%s", s->where);
		return false;
	}
	if (v[G_CHIP])
		schema_text(s, v[G_CHIP], "chip", sizeof(in->chip), TEXT_NAME, in->chip);
	if (v[G_NAME])
		schema_text(s, v[G_NAME], "name", sizeof(in->line_name), TEXT_NAME,
			    in->line_name);
	if (v[G_LINE])
		schema_int(s, v[G_LINE], "line", 0, DEVICE_CONFIG_LINE_MAX, &in->offset);
	return s->errors == errors;
}

static bool load_evdev(struct schema *s, int node, struct device_input *in)
{
	int v[N(evdev_keys)], errors = s->errors;

	in->kind = DEVICE_INPUT_EVDEV;
	in->offset = -1;
	if (!schema_map(s, node, "'evdev'", evdev_keys, N(evdev_keys), v))
		return false;
	if (!v[E_DEVICE])
		schema_error(s, node,
			     "add 'device: /dev/input/by-id/...-event-kbd' or the name evtest shows",
			     "'evdev' needs a 'device'%s", s->where);
	else
		schema_text(s, v[E_DEVICE], "device", sizeof(in->device), TEXT_NAME, in->device);
	if (!v[E_KEY])
		schema_error(s, node, "add 'key: KEY_PAGEDOWN' (evtest shows what the pedal sends)",
			     "'evdev' needs a 'key'%s", s->where);
	else
		read_key_name(s, v[E_KEY], in);
	return s->errors == errors;
}

/* "KEY_B", "key_b" and "b" are the same key. */
static const char *key_base(const char *key)
{
	return strncasecmp(key, "KEY_", 4) == 0 ? key + 4 : key;
}

/* The first earlier input that names the same line or key, or -1. */
static int find_duplicate(const struct device_config *cfg, const struct device_input *in)
{
	for (int i = 0; i < cfg->n_inputs; i++) {
		const struct device_input *o = &cfg->inputs[i];

		if (o->kind != in->kind)
			continue;
		if (in->kind == DEVICE_INPUT_GPIO && strcmp(o->chip, in->chip) == 0 &&
		    strcmp(o->line_name, in->line_name) == 0 && o->offset == in->offset)
			return i;
		if (in->kind == DEVICE_INPUT_EVDEV && strcmp(o->device, in->device) == 0 &&
		    strcasecmp(key_base(o->key), key_base(in->key)) == 0)
			return i;
	}
	return -1;
}

static void load_input(struct schema *s, int node, size_t index, struct device_config *cfg)
{
	struct device_input in = { .offset = -1 };
	int v[N(input_keys)], role = 0, dup;
	bool ok = true;

	config_where(s, " in input %zu", index + 1);
	if (!schema_map(s, node, "an input", input_keys, N(input_keys), v))
		return;
	in.line = ydoc_line(s->doc, node);
	if (!v[I_ROLE]) {
		schema_error(s, node, "add 'role: start', 'next', 'repeat' or 'pedal'",
			     "missing 'role'%s", s->where);
		ok = false;
	} else if (!schema_enum(s, v[I_ROLE], "role", device_role_names, DEVICE_ROLE_COUNT,
				&role)) {
		ok = false;
	}
	in.role = (enum device_role)role;
	if (v[I_GPIO] && v[I_EVDEV]) {
		schema_error(s, v[I_EVDEV], "one input per list item: split it into two",
			     "an input is 'gpio' or 'evdev', not both%s", s->where);
		return;
	}
	if (!v[I_GPIO] && !v[I_EVDEV]) {
		schema_error(s, node,
			     "add 'gpio: {name: GPIO17}' or 'evdev: {device: ..., key: KEY_PAGEDOWN}'",
			     "input has no 'gpio' or 'evdev'%s", s->where);
		return;
	}
	if (v[I_GPIO])
		ok &= load_gpio(s, v[I_GPIO], &in);
	else
		ok &= load_evdev(s, v[I_EVDEV], &in);
	if (!ok)
		return;
	dup = find_duplicate(cfg, &in);
	if (dup >= 0) {
		char hint[120];

		snprintf(hint, sizeof(hint), "remove one of them; the first is at line %d",
			 cfg->inputs[dup].line);
		schema_error(s, v[I_GPIO] ? v[I_GPIO] : v[I_EVDEV], hint,
			     in.kind == DEVICE_INPUT_GPIO ?
			     "the same GPIO line is configured twice%s" :
			     "the same pedal key is configured twice%s", s->where);
		return;
	}
	cfg->inputs[cfg->n_inputs++] = in;
}

void config_load_inputs(struct schema *s, int node, struct device_config *cfg)
{
	size_t n;

	s->where[0] = '\0';
	if (ydoc_kind(s->doc, node) != YNODE_SEQUENCE) {
		schema_error(s, node, "write each input on its own line as '- role: next'",
			     "'inputs' must be a list, not %s",
			     ydoc_kind_name(ydoc_kind(s->doc, node)));
		return;
	}
	n = ydoc_count(s->doc, node);
	if (n > DEVICE_CONFIG_INPUTS_MAX) {
		char hint[120];

		snprintf(hint, sizeof(hint), "keep at most %d", DEVICE_CONFIG_INPUTS_MAX);
		schema_error(s, ydoc_item(s->doc, node, DEVICE_CONFIG_INPUTS_MAX), hint,
			     "too many inputs (%zu); the limit is %d", n,
			     DEVICE_CONFIG_INPUTS_MAX);
		n = DEVICE_CONFIG_INPUTS_MAX;
	}
	for (size_t i = 0; i < n; i++) {
		struct mark m = config_mark(s, cfg);

		load_input(s, ydoc_item(s->doc, node, i), i, cfg);
		config_settle(s, m, cfg, "inputs", ydoc_item(s->doc, node, i));
	}
}

/* A whole number in [min, max], or 0 where zero switches it off. */
static bool read_ms(struct schema *s, int node, const char *key, bool zero_ok, int min,
		    int max, int *out)
{
	int value;

	if (!schema_int(s, node, key, zero_ok ? 0 : min, max, &value))
		return false;
	if (value != 0 && value < min) {
		char hint[120];

		snprintf(hint, sizeof(hint), "write 0 to switch it off, or %d to %d", min, max);
		schema_error(s, node, hint, "'%s' is %d%s; it must be 0 or %d to %d", key,
			     value, s->where, min, max);
		return false;
	}
	*out = value;
	return true;
}

static void load_timing_role(struct schema *s, int node, enum device_role role,
			     struct device_timing *t)
{
	int v[N(timing_keys)];

	config_where(s, " in 'timing' for '%s'", device_role_name(role));
	if (!schema_map(s, node, "a timing", timing_keys, N(timing_keys), v))
		return;
	if (v[TM_LOCKOUT])
		read_ms(s, v[TM_LOCKOUT], "lockout_ms", false, DEVICE_CONFIG_LOCKOUT_MS_MIN,
			DEVICE_CONFIG_LOCKOUT_MS_MAX, &t->lockout_ms);
	if (v[TM_DOUBLE_TAP])
		read_ms(s, v[TM_DOUBLE_TAP], "double_tap_ms", true,
			DEVICE_CONFIG_DOUBLE_TAP_MS_MIN, DEVICE_CONFIG_DOUBLE_TAP_MS_MAX,
			&t->double_tap_ms);
	if (v[TM_HOLD])
		read_ms(s, v[TM_HOLD], "hold_ms", true, DEVICE_CONFIG_HOLD_MS_MIN,
			DEVICE_CONFIG_HOLD_MS_MAX, &t->hold_ms);
	/* The decoder needs the window and the hold longer than the lockout
	 * (a press must be certain before it can be the second one). */
	for (int k = TM_DOUBLE_TAP; k <= TM_HOLD; k++) {
		int value = k == TM_DOUBLE_TAP ? t->double_tap_ms : t->hold_ms;
		char hint[120];

		if (t->lockout_ms <= 0 || value <= 0 || value > t->lockout_ms)
			continue;
		snprintf(hint, sizeof(hint), "make '%s' longer than %d, or 'lockout_ms' shorter",
			 timing_keys[k], t->lockout_ms);
		schema_error(s, v[k], hint, "'%s' (%d) is not longer than 'lockout_ms' (%d)%s",
			     timing_keys[k], value, t->lockout_ms, s->where);
	}
}

void config_load_timing(struct schema *s, int node, struct device_config *cfg)
{
	int v[DEVICE_ROLE_COUNT];

	config_where(s, " in 'timing'");
	if (!schema_map(s, node, "'timing'", device_role_names, DEVICE_ROLE_COUNT, v))
		return;
	for (int r = 0; r < DEVICE_ROLE_COUNT; r++) {
		struct mark m = config_mark(s, cfg);
		char setting[DEVICE_CONFIG_SETTING_MAX];

		if (!v[r])
			continue;
		load_timing_role(s, v[r], (enum device_role)r, &cfg->timing[r]);
		snprintf(setting, sizeof(setting), "timing.%s", device_role_name((enum device_role)r));
		/* a pair that does not fit together: the role's defaults, whole */
		if (config_settle(s, m, cfg, setting, v[r]))
			cfg->timing[r] = (struct device_timing){ -1, -1, -1 };
	}
}
