#include "core/control.h"

#include <stdio.h>
#include <string.h>

/* The one vocabulary of control actions. */
static const struct {
	const char *name;
	bool user;        /* a key, button, pedal or the device config may ask for it */
	bool scriptable;  /* --press may script it */
} actions[CONTROL_ACTION_COUNT] = {
	[CONTROL_NONE] = { "none", false, false },
	[CONTROL_NEXT] = { "next", true, true },
	[CONTROL_REPEAT] = { "repeat", true, true },
	[CONTROL_PAUSE] = { "pause", true, true },
	[CONTROL_DONE] = { "done", true, true },
	[CONTROL_SAY_AGAIN] = { "say-again", true, true },
	[CONTROL_MORE_REST] = { "more-rest", true, true },
	[CONTROL_START] = { "start", true, true },
	[CONTROL_QUIT] = { "quit", true, false },
	[CONTROL_OUTPUT_BACK] = { "output-back", false, false },
	[CONTROL_PEDAL_GONE] = { "pedal-gone", false, false },
	[CONTROL_PEDAL_BACK] = { "pedal-back", false, false },
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

bool control_action_is_scriptable(enum control_action action)
{
	return (unsigned)action < CONTROL_ACTION_COUNT && actions[action].scriptable;
}

enum control_action control_user_action_from_name(const char *name)
{
	for (int i = 0; i < CONTROL_ACTION_COUNT; i++)
		if (actions[i].user && strcmp(name, actions[i].name) == 0)
			return (enum control_action)i;
	return CONTROL_NONE;
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
