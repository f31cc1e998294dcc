/* mapping.c - see mapping.h. */
#include "input/mapping.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

struct input_mapping {
	struct input_binding table[INPUT_ROLE_COUNT][GESTURE_COUNT]
				  [INPUT_SESSION_COUNT];
};

/* The words are the device config's tables (core/device_config.h): the
 * loader and the mapping accept exactly the same ones. */
const char *input_session_state_name(enum input_session_state state)
{
	return device_state_name((enum device_state)state);
}

const char *input_command_name(enum input_command command)
{
	return (unsigned)command < DEVICE_COMMAND_COUNT ? device_command_names[command] : "?";
}

static void bind_all(struct input_mapping *m, enum input_role role,
		     enum gesture_kind g, struct input_binding b)
{
	for (int s = 0; s < INPUT_SESSION_COUNT; s++)
		m->table[role][g][s] = b;
}

#define CTL(a) ((struct input_binding){ .control = (a) })
#define CMD(c) ((struct input_binding){ .command = (c) })

static void set_defaults(struct input_mapping *m)
{
	memset(m, 0, sizeof(*m));
	bind_all(m, INPUT_ROLE_START, GESTURE_TAP, CTL(CONTROL_START));
	bind_all(m, INPUT_ROLE_START, GESTURE_HOLD,
		 CMD(INPUT_COMMAND_CHOOSE_ROUTINE));
	bind_all(m, INPUT_ROLE_NEXT, GESTURE_TAP, CTL(CONTROL_NEXT));
	/* Outside rest a long press on "next" is still a press: losing it
	 * would be worse than acting on it. */
	bind_all(m, INPUT_ROLE_NEXT, GESTURE_HOLD, CTL(CONTROL_NEXT));
	m->table[INPUT_ROLE_NEXT][GESTURE_HOLD][INPUT_SESSION_RESTING] =
		CTL(CONTROL_MORE_REST);
	bind_all(m, INPUT_ROLE_REPEAT, GESTURE_TAP, CTL(CONTROL_REPEAT));
	bind_all(m, INPUT_ROLE_REPEAT, GESTURE_DOUBLE_TAP,
		 CTL(CONTROL_SAY_AGAIN));
	bind_all(m, INPUT_ROLE_PEDAL, GESTURE_TAP, CTL(CONTROL_NEXT));
	bind_all(m, INPUT_ROLE_PEDAL, GESTURE_DOUBLE_TAP, CTL(CONTROL_REPEAT));
	bind_all(m, INPUT_ROLE_PEDAL, GESTURE_HOLD, CTL(CONTROL_PAUSE));
}

int input_mapping_new(struct input_mapping **ret)
{
	struct input_mapping *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	set_defaults(m);
	*ret = m;
	return 0;
}

void input_mapping_free(struct input_mapping *map)
{
	free(map);
}

struct input_binding input_mapping_lookup(const struct input_mapping *map,
					  enum input_role role,
					  enum gesture_kind gesture,
					  enum input_session_state state)
{
	if (!map || (unsigned)role >= INPUT_ROLE_COUNT ||
	    (unsigned)gesture >= GESTURE_COUNT ||
	    (unsigned)state >= INPUT_SESSION_COUNT)
		return (struct input_binding){ 0 };
	return map->table[role][gesture][state];
}

bool input_mapping_uses(const struct input_mapping *map, enum input_role role,
			enum gesture_kind gesture)
{
	for (int s = 0; s < INPUT_SESSION_COUNT; s++) {
		struct input_binding b = input_mapping_lookup(map, role,
							      gesture, s);
		if (b.control != CONTROL_NONE || b.command != INPUT_COMMAND_NONE)
			return true;
	}
	return false;
}

void input_mapping_gesture_config(const struct input_mapping *map,
				  enum input_role role,
				  struct gesture_config *cfg)
{
	*cfg = (struct gesture_config){
		.lockout_usec = role == INPUT_ROLE_PEDAL ?
			GESTURE_PEDAL_LOCKOUT_USEC : GESTURE_BUTTON_LOCKOUT_USEC,
		.double_tap_usec = GESTURE_DOUBLE_TAP_USEC,
		.hold_usec = GESTURE_HOLD_USEC,
	};
	if (!input_mapping_uses(map, role, GESTURE_DOUBLE_TAP))
		cfg->double_tap_usec = 0;
	if (!input_mapping_uses(map, role, GESTURE_HOLD))
		cfg->hold_usec = 0;
}

/* --- parsing overrides --- */

/* Edit distance, for "did you mean"; words here are short. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

struct word_list {
	const char *what;             /* "input", "gesture", ... */
	const char *const *words;
	size_t n;
};

static int find_word(const struct word_list *l, const char *word)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->words[i] && strcmp(l->words[i], word) == 0)
			return (int)i;
	return -1;
}

/* The user's words in a message: escaped, never raw terminal bytes. */
static const char *shown(char *buf, size_t size, const char *text)
{
	return utf8_escape(buf, size, text, strlen(text));
}

/* "unknown gesture "dbl" in "pedal.dbl" (did you mean ...?); valid
 * gestures: tap, double-tap, hold" */
static int bad_word(char *err, size_t errlen, const struct word_list *l,
		    const char *word, const char *key, const char *value)
{
	const char *best = NULL;
	size_t best_d = 3;  /* only suggest close matches */
	char k[100], v[100], w[100];
	size_t used;
	int n;

	if (!err || errlen == 0)
		return -EINVAL;
	for (size_t i = 0; i < l->n; i++) {
		size_t d;

		if (!l->words[i])
			continue;
		d = distance(word, l->words[i]);
		if (d < best_d) {
			best_d = d;
			best = l->words[i];
		}
	}
	n = snprintf(err, errlen, "input mapping \"%s\" = \"%s\": unknown %s \"%s\"",
		     shown(k, sizeof(k), key), shown(v, sizeof(v), value), l->what,
		     shown(w, sizeof(w), word));
	used = n < 0 ? 0 : (size_t)n;
	if (best && used < errlen) {
		n = snprintf(err + used, errlen - used, " (did you mean \"%s\"?)",
			     best);
		used += n < 0 ? 0 : (size_t)n;
	}
	if (used < errlen) {
		n = snprintf(err + used, errlen - used, "; valid %ss:", l->what);
		used += n < 0 ? 0 : (size_t)n;
	}
	for (size_t i = 0; i < l->n && used < errlen; i++) {
		if (!l->words[i])
			continue;
		n = snprintf(err + used, errlen - used, "%s %s",
			     i ? "," : "", l->words[i]);
		used += n < 0 ? 0 : (size_t)n;
	}
	return -EINVAL;
}

static int parse_action(const char *value, struct input_binding *b)
{
	enum control_action a;

	for (int i = DEVICE_COMMAND_NONE; i < DEVICE_COMMAND_COUNT; i++) {
		if (strcmp(value, device_command_names[i]) == 0) {
			*b = CMD((enum input_command)i);
			return 0;
		}
	}
	a = control_user_action_from_name(value);
	if (a == CONTROL_NONE)
		return -EINVAL;
	*b = CTL(a);
	return 0;
}

int input_mapping_set(struct input_mapping *map, const char *key,
		      const char *value, char *err, size_t errlen)
{
	static const struct word_list roles = { "input", device_role_names,
						DEVICE_ROLE_COUNT };
	static const struct word_list gestures = { "gesture", device_gesture_names,
						   DEVICE_GESTURE_COUNT };
	/* errors list each state by its name; "idle" and "running" are
	 * accepted as other words for "active" */
	const char *state_list[DEVICE_STATE_COUNT];
	const struct word_list states = { "state", state_list, DEVICE_STATE_COUNT };
	const char *action_list[DEVICE_BINDING_WORDS_MAX];
	const struct word_list actions = {
		"action", action_list,
		device_binding_words(action_list, DEVICE_BINDING_WORDS_MAX)
	};
	char buf[96];
	char *parts[4] = { 0 };
	int n_parts = 0;
	int role, gesture, state = -1;
	struct input_binding b;

	for (int i = 0; i < DEVICE_STATE_COUNT; i++)
		state_list[i] = device_state_name((enum device_state)i);
	if (err && errlen)
		err[0] = '\0';
	if (!map || !key || !value)
		return -EINVAL;
	if (strlen(key) >= sizeof(buf)) {
		if (err && errlen)
			snprintf(err, errlen, "input mapping key too long: \"%s\"",
				 shown((char[48]){ 0 }, 48, key));
		return -EINVAL;
	}
	strcpy(buf, key);
	for (char *p = buf, *tok; n_parts < 4 && (tok = strsep(&p, "."));)
		parts[n_parts++] = tok;
	if (n_parts < 2 || n_parts > 3) {
		if (err && errlen)
			snprintf(err, errlen,
				 "input mapping \"%s\": expected input.gesture or "
				 "input.gesture.state, e.g. \"pedal.hold\" or "
				 "\"next.hold.resting\"", shown((char[100]){ 0 }, 100, key));
		return -EINVAL;
	}
	role = find_word(&roles, parts[0]);
	if (role < 0)
		return bad_word(err, errlen, &roles, parts[0], key, value);
	gesture = find_word(&gestures, parts[1]);
	if (gesture < 0)
		return bad_word(err, errlen, &gestures, parts[1], key, value);
	if (n_parts == 3) {
		state = device_state_from_word(parts[2]);
		if (state < 0)
			return bad_word(err, errlen, &states, parts[2], key,
					value);
	}
	if (parse_action(value, &b) < 0)
		return bad_word(err, errlen, &actions, value, key, value);

	if (state >= 0)
		map->table[role][gesture][state] = b;
	else
		bind_all(map, role, gesture, b);
	return 0;
}
