/* control.h - control events: the one path every input (terminal keys,
 * GPIO buttons, foot pedals, --press scripts) uses to steer a session,
 * and the notifications the program itself sends the session (a device
 * lost or back).
 *
 * One table (control.c) names them all and says which are user actions:
 * the device config, the input mapping and --press accept only those, so
 * nobody can bind "pedal-gone" to a button and make the coach say "Pedal
 * disconnected." on a press. */
#ifndef REPCUE_CORE_CONTROL_H
#define REPCUE_CORE_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/time.h"

enum control_action {
	CONTROL_NONE,
	/* user actions: what a key, button, pedal or --press may do */
	CONTROL_NEXT,       /* skip to the next set or step */
	CONTROL_REPEAT,     /* restart the current set */
	CONTROL_PAUSE,      /* toggle pause */
	CONTROL_DONE,       /* end an open-ended set */
	CONTROL_SAY_AGAIN,  /* repeat the last cue */
	CONTROL_MORE_REST,  /* 15 s more rest (during rest only) */
	CONTROL_START,      /* start, or pause/resume once started */
	CONTROL_QUIT,
	/* internal notifications: sent by the program, never by a user */
	CONTROL_OUTPUT_BACK, /* the lost sound device came back: the line that
	                      * was cut is said again after "Resuming.", but a
	                      * session the user paused stays paused */
	CONTROL_PEDAL_GONE, /* say "Pedal disconnected."; nothing else changes */
	CONTROL_PEDAL_BACK, /* say "Pedal connected." */
	CONTROL_ACTION_COUNT,
};

struct control_event {
	enum control_action action;
	frames_t at;        /* session sample index at which it takes effect */
};

/* The name of any action ("next", "output-back", ...); "none" if out of
 * range. */
const char *control_action_name(enum control_action action);

/* Whether a user may ask for it (a key, a button, --press). */
bool control_action_is_user(enum control_action action);

/* Whether --press may script it: a user action other than quit (a render
 * has nothing to quit). */
bool control_action_is_scriptable(enum control_action action);

/* "next", "repeat", ... -> the user action; CONTROL_NONE for an unknown
 * word and for an internal notification's name. */
enum control_action control_user_action_from_name(const char *name);

/* Any action by name, notifications included; CONTROL_NONE if unknown. */
enum control_action control_action_from_name(const char *name);

/* Whether name is an internal notification's ("pedal-gone"): for a
 * clearer message than "unknown action" where a user wrote one. */
bool control_is_notification_name(const char *name);

/* The user action of a terminal key byte ('n', 'N', ' ', ...);
 * CONTROL_NONE for any other byte. */
enum control_action control_action_from_key(int key);

/* The terminal key of a user action (lower case), 0 if it has none. */
int control_action_key(enum control_action action);

/* Writes "n next, r repeat, space start/pause/resume, ..." (every key of
 * the table) into buf; returns buf. */
const char *control_key_help(char *buf, size_t size);

/* Parses a --press list "next@95.5,pause@120" (scriptable actions at
 * session seconds) into at most max events.  Returns the count, or
 * -EINVAL with a message in err (err_size bytes) naming the bad item and
 * the valid actions. */
int control_parse_presses(const char *spec, struct control_event *out, int max,
			  char *err, size_t err_size);

/* Writes "next, repeat, ..., quit" (the user actions, scriptable only if
 * asked) into buf; returns buf. */
const char *control_user_action_list(char *buf, size_t size, bool scriptable_only);

#endif
