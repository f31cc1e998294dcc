#include "core/control.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/press_script.h"
#include "util/utf8.h"

/* The rows of CONTROL_ACTIONS (control.h), indexed by the enum. */
static const struct {
	const char *name;
	bool user;        /* a key, button, pedal or the device config may ask for it */
	bool scriptable;  /* --press may script it */
	bool starts;      /* in the lobby it starts the session */
	char key;         /* its terminal key (upper case works too); 0 = none */
	const char *key_help;  /* what the key does, for the help texts */
} actions[CONTROL_ACTION_COUNT] = {
	[CONTROL_NONE] = { "none", false, false, false, 0, NULL },
#define CONTROL_ROW(id, name, user, scriptable, starts, key, key_help) \
	[CONTROL_##id] = { name, user, scriptable, starts, key, key_help },
	CONTROL_ACTIONS(CONTROL_ROW)
#undef CONTROL_ROW
};

const char *control_action_name(enum control_action action)
{
	if ((unsigned)action >= CONTROL_ACTION_COUNT || !actions[action].name)
		return "none";
	return actions[action].name;
}

bool control_action_is_user(enum control_action action)
{
	return (unsigned)action < CONTROL_ACTION_COUNT && actions[action].user;
}

bool control_action_starts(enum control_action action)
{
	return (unsigned)action < CONTROL_ACTION_COUNT && actions[action].starts;
}

bool control_action_is_scriptable(enum control_action action)
{
	return (unsigned)action < CONTROL_ACTION_COUNT && actions[action].scriptable;
}

enum control_action control_action_from_name(const char *name)
{
	for (int i = CONTROL_NONE + 1; i < CONTROL_ACTION_COUNT; i++)
		if (strcmp(name, actions[i].name) == 0)
			return (enum control_action)i;
	return CONTROL_NONE;
}

enum control_action control_user_action_from_name(const char *name)
{
	enum control_action a = control_action_from_name(name);

	return control_action_is_user(a) ? a : CONTROL_NONE;
}

bool control_is_notification_name(const char *name)
{
	enum control_action a = control_action_from_name(name);

	return a != CONTROL_NONE && !actions[a].user;
}

enum control_action control_action_from_key(int key)
{
	if (key >= 'A' && key <= 'Z')
		key += 'a' - 'A';
	for (int i = CONTROL_NONE + 1; i < CONTROL_ACTION_COUNT; i++)
		if (actions[i].user && actions[i].key && actions[i].key == key)
			return (enum control_action)i;
	return CONTROL_NONE;
}

int control_action_key(enum control_action action)
{
	return control_action_is_user(action) ? actions[action].key : 0;
}

const char *control_key_help(char *buf, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (int i = 0; i < CONTROL_ACTION_COUNT && used < size; i++) {
		char key = actions[i].key;
		int n;

		if (!actions[i].user || !key)
			continue;
		n = snprintf(buf + used, size - used, "%s%s%.*s %s", used ? ", " : "",
			     key == ' ' ? "space" : "", key == ' ' ? 0 : 1, &key,
			     actions[i].key_help);
		used += n < 0 ? 0 : (size_t)n;
	}
	return buf;
}

const char *control_user_action_list(char *buf, size_t size, bool scriptable_only)
{
	size_t used = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (int i = 0; i < CONTROL_ACTION_COUNT && used < size; i++) {
		if (!actions[i].user || (scriptable_only && !actions[i].scriptable))
			continue;
		int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", actions[i].name);
		used += n < 0 ? 0 : (size_t)n;
	}
	return buf;
}

int control_parse_presses(const char *spec, struct control_event *out, int max,
			  char *err, size_t err_size)
{
	struct press_script ps;
	struct press_token t;
	int n = 0, r;

	if (press_script_init(&ps, spec) < 0) {
		snprintf(err, err_size, "--press list is too long (at most %d characters)", PRESS_SCRIPT_CHARS_MAX);
		return -EINVAL;
	}
	while ((r = press_script_next(&ps, &t)) != 0) {
		char shown[80], when[40];
		if (r < 0) {
			snprintf(err, err_size, "--press item '%s' needs ACTION@SECONDS, e.g. next@95.5",
				 utf8_escape(shown, sizeof(shown), t.name, strlen(t.name)));
			return -EINVAL;
		}
		enum control_action action = control_user_action_from_name(t.name);
		double seconds = t.seconds;
		if (!control_action_is_scriptable(action)) {
			char list[160];
			snprintf(err, err_size, "--press: %s '%s'; use one of: %s",
				 action != CONTROL_NONE ? "cannot script" :
				 control_is_notification_name(t.name) ?
				 "not an action but a notification repcue sends itself:" :
				 "unknown action",
				 utf8_escape(shown, sizeof(shown), t.name, strlen(t.name)),
				 control_user_action_list(list, sizeof(list), true));
			return -EINVAL;
		}
		/* ACTION@SECONDS only: a held time is for buttons (--simulate) */
		if (t.has_held || !isfinite(seconds) || seconds < 0 || seconds > 86400) {
			snprintf(err, err_size, "--press %s@%s: the time must be session seconds between 0 and 86400",
				 t.name, utf8_escape(when, sizeof(when), t.when, strlen(t.when)));
			return -EINVAL;
		}
		if (n == max) {
			snprintf(err, err_size, "--press: at most %d presses", max);
			return -EINVAL;
		}
		/* seconds >= 0: adding a half rounds to the nearest frame,
		 * as llround would, without libm */
		out[n++] = (struct control_event){
			.action = action, .at = (frames_t)(seconds * SESSION_RATE_HZ + 0.5),
		};
	}
	return n;
}
