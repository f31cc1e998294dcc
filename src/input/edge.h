/* edge.h - what every input backend reports: press/release edges with the
 * kernel's timestamp, plus device status and direct key actions.
 *
 * Time here is CLOCK_MONOTONIC in microseconds (input_usec_t), the clock
 * the kernel stamps GPIO edges with (uAPI v1 since Linux 5.7, and v2) and
 * evdev events once EVIOCSCLOCKID selects it.  It is not the session's
 * frame clock: the main loop converts when it turns an action into a
 * struct control_event. */
#ifndef REPCUE_INPUT_EDGE_H
#define REPCUE_INPUT_EDGE_H

#include <stdint.h>

#include "core/control.h"

/* CLOCK_MONOTONIC, microseconds. */
typedef int64_t input_usec_t;

/* "No deadline": later than any real time. */
#define INPUT_NO_DEADLINE INT64_MAX

/* What a physical input is for.  The mapping turns (role, gesture, state)
 * into an action; a backend only says which role an edge belongs to. */
enum input_role {
	INPUT_ROLE_START,
	INPUT_ROLE_NEXT,
	INPUT_ROLE_REPEAT,
	INPUT_ROLE_PEDAL,     /* a single foot switch doing next/repeat/pause */
	INPUT_ROLE_COUNT,
};

/* "start", "next", "repeat", "pedal" (device_role_names, the one table);
 * "?" out of range. */
const char *input_role_name(enum input_role role);

enum input_edge_kind {
	INPUT_EDGE_PRESS,
	INPUT_EDGE_RELEASE,
	INPUT_EDGE_CONNECTED,    /* a hot-plug device came (back) */
	INPUT_EDGE_DISCONNECTED, /* a hot-plug device vanished; reported once */
	INPUT_EDGE_ACTION,       /* a key that means one action, no gestures
	                          * (terminal keys): see .action */
};

struct input_edge {
	enum input_edge_kind kind;
	enum input_role role;        /* PRESS/RELEASE only */
	enum control_action action;  /* ACTION only */
	input_usec_t at_usec;        /* kernel timestamp of the edge, not the
	                              * time it was read */
};

#endif
