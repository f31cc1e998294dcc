/* mapping.h - (input role, gesture, session state) -> action.
 *
 * Defaults (hw/README.md has the table):
 *   start  tap = start (start/pause/resume)   hold = choose-routine
 *   next   tap = next   hold = more-rest while resting, next otherwise
 *   repeat tap = repeat double-tap = say-again
 *   pedal  tap = next   double-tap = repeat   hold = pause
 * Overrides are "role.gesture" or "role.gesture.state" = "action" strings,
 * e.g. "pedal.hold" = "start", "next.hold.resting" = "none". */
#ifndef REPCUE_INPUT_MAPPING_H
#define REPCUE_INPUT_MAPPING_H

#include <stdbool.h>
#include <stddef.h>

#include "core/control.h"
#include "core/device_config.h"
#include "input/edge.h"
#include "input/gesture.h"

/* The session states the mapping distinguishes: those of the device
 * config's table (core/device_config.h), whose words they are. */
enum input_session_state {
	INPUT_SESSION_ACTIVE = DEVICE_STATE_ACTIVE,   /* idle (no session yet) or exercising */
	INPUT_SESSION_RESTING = DEVICE_STATE_RESTING,
	INPUT_SESSION_PAUSED = DEVICE_STATE_PAUSED,
	INPUT_SESSION_COUNT = DEVICE_STATE_COUNT,
};

/* Actions that steer the program rather than a running session, so they
 * are not control actions: the device config's commands. */
enum input_command {
	INPUT_COMMAND_NONE = DEVICE_COMMAND_NONE,
	INPUT_COMMAND_CHOOSE_ROUTINE = DEVICE_COMMAND_CHOOSE_ROUTINE,  /* enter/step the routine chooser */
	INPUT_COMMAND_CONFIRM = DEVICE_COMMAND_CONFIRM,  /* accept the chooser's choice; not
	                                                  * bound by default */
};

/* What one gesture does: at most one of the two is set. */
struct input_binding {
	enum control_action control;
	enum input_command command;
};

struct input_mapping;

const char *input_session_state_name(enum input_session_state state);
const char *input_command_name(enum input_command command);

/* A mapping holding the defaults.  0 and *ret (free with
 * input_mapping_free) or -ENOMEM. */
int input_mapping_new(struct input_mapping **ret);

/* Accepts NULL. */
void input_mapping_free(struct input_mapping *map);

/* The binding for a gesture; {CONTROL_NONE, INPUT_COMMAND_NONE} if none
 * or an argument is out of range. */
struct input_binding input_mapping_lookup(const struct input_mapping *map,
					  enum input_role role,
					  enum gesture_kind gesture,
					  enum input_session_state state);

/* Whether any state gives this gesture a meaning: the decoder only waits
 * for a double tap or a hold where one means something. */
bool input_mapping_uses(const struct input_mapping *map, enum input_role role,
			enum gesture_kind gesture);

/* Applies key = value, e.g. "pedal.double-tap" = "say-again".  key is
 * "role.gesture" (all states) or "role.gesture.state"; value is a
 * control action name (control_action_name()), "choose-routine",
 * "confirm" or "none".  On error returns -EINVAL, leaves the mapping
 * unchanged and writes a message naming the bad word and the valid ones
 * into err (errlen bytes, may be 0). */
int input_mapping_set(struct input_mapping *map, const char *key,
		      const char *value, char *err, size_t errlen);

/* Fills cfg for one role: the default timing for that role with the
 * double-tap window / hold switched off where the mapping gives them no
 * meaning. */
void input_mapping_gesture_config(const struct input_mapping *map,
				  enum input_role role,
				  struct gesture_config *cfg);

#endif
