/* edge.c - role names, shared by the mapping and adapter messages: the
 * device config's table (core/device_config.h), in the same order. */
#include "input/edge.h"

#include "core/device_config.h"

_Static_assert(INPUT_ROLE_START == (int)DEVICE_ROLE_START && INPUT_ROLE_NEXT == (int)DEVICE_ROLE_NEXT &&
	       INPUT_ROLE_REPEAT == (int)DEVICE_ROLE_REPEAT && INPUT_ROLE_PEDAL == (int)DEVICE_ROLE_PEDAL &&
	       INPUT_ROLE_COUNT == (int)DEVICE_ROLE_COUNT, "input roles are the device config's");

const char *input_role_name(enum input_role role)
{
	return device_role_name((enum device_role)role);
}
