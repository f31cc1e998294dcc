/* control.h - control events: the one path every input (terminal keys,
 * GPIO buttons, foot pedals, --press scripts) uses to steer a session,
 * and the notifications the program itself sends the session (a device
 * lost or back).
 *
 * One table (CONTROL_ACTIONS below) names them all and says which are user
 * actions: the device config, the input mapping and --press accept only
 * those, so nobody can bind "pedal-gone" to a button and make the coach
 * say "Pedal disconnected." on a press. */
#ifndef REPCUE_CORE_CONTROL_H
#define REPCUE_CORE_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/time.h"

/* The one vocabulary of control actions, one row each: the enum below
 * and the table in control.c are made from it, and everything else is
 * derived from those: the device config's and the input mapping's valid
 * words and their error lists, --press and its help, the terminal keys
 * and their help, the transcript's and hw-test's names
 * (tests/controls/test_vocab.c walks the table and checks each place, and
 * the lists in hw/README.md and repcue(1)).
 *
 * Adding a user action is a row here plus, if it does something new, a
 * case in the sequencer's apply() (src/core/sequencer.c), which -Wswitch
 * names; see "Add an action" in README.md.
 *
 *   X(ID, name, user, scriptable, starts, key, key help)
 *   user:       a key, button, pedal or the device config may ask for it
 *   scriptable: --press may script it
 *   starts:     in the lobby (waiting for start) it starts the session;
 *               the sequencer and the history both go by it
 *   key:        its terminal key (upper case works too); 0 = none
 *   key help:   what the key does, for the help texts
 * An X-macro rather than an enum beside a designated table: the two
 * cannot drift, and a row cannot leave a column out. */
#define CONTROL_ACTIONS(X)                                                                 \
	/* user actions: what a key, button, pedal or --press may do */                   \
	X(NEXT, "next", true, true, true, 'n', "next")            /* the next set or step */ \
	X(REPEAT, "repeat", true, true, false, 'r', "repeat")     /* restart the set */      \
	/* pause toggles; in the lobby it starts, as the start button does */             \
	X(PAUSE, "pause", true, true, true, ' ', "start/pause/resume")                       \
	X(DONE, "done", true, true, true, 'd', "done")            /* end an open set */      \
	X(SAY_AGAIN, "say-again", true, true, false, 'a', "say again") /* the last cue */    \
	X(MORE_REST, "more-rest", true, true, false, 'm', "more rest") /* 15 s, in a rest */ \
	/* start, or pause/resume once started */                                         \
	X(START, "start", true, true, true, 's', "start (the start button)")                 \
	X(QUIT, "quit", true, false, false, 'q', "quit")          /* a render has none */    \
	/* internal notifications: sent by the program, never by a user */                \
	/* the lost sound device came back: the line that was cut is said again          \
	 * after "Resuming.", but a session the user paused stays paused */               \
	X(OUTPUT_BACK, "output-back", false, false, false, 0, NULL)                          \
	X(PEDAL_GONE, "pedal-gone", false, false, false, 0, NULL) /* "Pedal disconnected." */ \
	X(PEDAL_BACK, "pedal-back", false, false, false, 0, NULL) /* "Pedal connected." */

enum control_action {
	CONTROL_NONE,
#define CONTROL_ENUM(id, ...) CONTROL_##id,
	CONTROL_ACTIONS(CONTROL_ENUM)
#undef CONTROL_ENUM
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

/* Whether, in the lobby, it starts the session (next, pause, done,
 * start). */
bool control_action_starts(enum control_action action);

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
