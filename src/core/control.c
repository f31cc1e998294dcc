#include "core/control.h"

#include <string.h>

static const char *const action_names[] = {
	[CONTROL_NONE] = "none",
	[CONTROL_NEXT] = "next",
	[CONTROL_REPEAT] = "repeat",
	[CONTROL_PAUSE] = "pause",
	[CONTROL_DONE] = "done",
	[CONTROL_SAY_AGAIN] = "say-again",
	[CONTROL_MORE_REST] = "more-rest",
	[CONTROL_START] = "start",
	[CONTROL_QUIT] = "quit",
	[CONTROL_RESUME] = "resume",
	[CONTROL_PEDAL_GONE] = "pedal-gone",
	[CONTROL_PEDAL_BACK] = "pedal-back",
};

enum control_action control_action_from_name(const char *name)
{
	for (size_t i = 1; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		if (strcmp(name, action_names[i]) == 0)
			return (enum control_action)i;
	return CONTROL_NONE;
}

const char *control_action_name(enum control_action action)
{
	if ((size_t)action >= sizeof(action_names) / sizeof(action_names[0]))
		return "none";
	return action_names[action];
}
