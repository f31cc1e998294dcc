/* control.h - control events: the one path every input (terminal keys,
 * GPIO buttons, foot pedals, --press scripts) uses to steer a session. */
#ifndef REPCUE_CORE_CONTROL_H
#define REPCUE_CORE_CONTROL_H

#include "core/time.h"

enum control_action {
	CONTROL_NONE,
	CONTROL_NEXT,       /* skip to the next set or step */
	CONTROL_REPEAT,     /* restart the current set */
	CONTROL_PAUSE,      /* toggle pause */
	CONTROL_DONE,       /* end an open-ended set */
	CONTROL_SAY_AGAIN,  /* repeat the last cue */
	CONTROL_MORE_REST,  /* 15 s more rest (during rest only) */
	CONTROL_START,      /* start, or pause/resume once started */
	CONTROL_QUIT,
	CONTROL_RESUME,     /* after a lost sound device came back: say "Resuming." */
	CONTROL_PEDAL_GONE, /* say "Pedal disconnected."; nothing else changes */
	CONTROL_PEDAL_BACK, /* say "Pedal connected." */
};

struct control_event {
	enum control_action action;
	frames_t at;        /* session sample index at which it takes effect */
};

/* "next", "repeat", ... -> action; CONTROL_NONE if unknown. */
enum control_action control_action_from_name(const char *name);
const char *control_action_name(enum control_action action);

#endif
