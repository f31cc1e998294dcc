/* edge.c - role names, shared by the mapping and adapter messages. */
#include "input/edge.h"

const char *const input_role_names[INPUT_ROLE_COUNT] = {
	[INPUT_ROLE_START] = "start",
	[INPUT_ROLE_NEXT] = "next",
	[INPUT_ROLE_REPEAT] = "repeat",
	[INPUT_ROLE_PEDAL] = "pedal",
};

const char *input_role_name(enum input_role role)
{
	return (unsigned)role < INPUT_ROLE_COUNT ? input_role_names[role] : "?";
}
