/* device_config.h - the in-memory model of the device config file
 * (/etc/repcue/config.yaml): which sound device, where the routines are,
 * which GPIO lines and pedal keys are inputs, their timing and mapping
 * overrides.  The format is documented in hw/README.md, "Config file".
 *
 * Pure data: no I/O, no allocation.  A struct device_config owns every
 * byte of its text inline (fixed-size arrays), like struct routine.  The
 * limits below are part of the format: the loader reports a file that
 * exceeds them, nothing is cut silently.  Names are plain strings here;
 * the wiring (src/session/controls.c) turns them into libgpiod / evdev requests
 * and mapping overrides, so the core knows nothing of either. */
#ifndef REPCUE_CORE_DEVICE_CONFIG_H
#define REPCUE_CORE_DEVICE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/control.h"

#define DEVICE_CONFIG_VERSION 1

/* Where the config lives unless --config or $REPCUE_CONFIG say otherwise. */
#define DEVICE_CONFIG_DEFAULT_PATH "/etc/repcue/config.yaml"

/* Limits (bytes include the terminating NUL). */
#define DEVICE_CONFIG_PATH_MAX 256
#define DEVICE_CONFIG_AUDIO_DEVICE_MAX 128
#define DEVICE_CONFIG_CHIP_MAX 64      /* "gpiochip0", "pinctrl-rp1" */
#define DEVICE_CONFIG_LINE_NAME_MAX 32 /* "GPIO17" */
#define DEVICE_CONFIG_LINE_MAX 1023    /* highest line offset accepted */
#define DEVICE_CONFIG_KEY_NAME_MAX 48  /* "KEY_PAGEDOWN" */
#define DEVICE_CONFIG_INPUTS_MAX 12    /* the input hub holds 16 backends */
#define DEVICE_CONFIG_MAPPING_MAX 48   /* 4 inputs x 3 gestures x (all + 3 states) */
#define DEVICE_CONFIG_MAPPING_KEY_MAX 48
#define DEVICE_CONFIG_MAPPING_VALUE_MAX 32
#define DEVICE_CONFIG_LATENCY_MAX 16384 /* frames: about 0.34 s at 48 kHz */
/* Timing ranges, in ms.  Chosen so that any value in range works with the
 * built-in defaults of the other two (lockout 30/50, double tap 400, hold
 * 700): only a file that sets both sides of a pair can get them wrong,
 * and the loader checks that pair. */
#define DEVICE_CONFIG_LOCKOUT_MS_MIN 1
#define DEVICE_CONFIG_LOCKOUT_MS_MAX 200
#define DEVICE_CONFIG_DOUBLE_TAP_MS_MIN 100   /* or 0 = no double tap */
#define DEVICE_CONFIG_DOUBLE_TAP_MS_MAX 2000
#define DEVICE_CONFIG_HOLD_MS_MIN 250         /* or 0 = no hold */
#define DEVICE_CONFIG_HOLD_MS_MAX 10000
/* Levels, in dB.  volume: the whole coach, 0 dB the loudest (the level
 * the mix is made at, clip-free); beeps: the beeps against the voice, 0 dB
 * as made (about 10 dB under the voice); above 0 dB the voice is turned
 * down to keep the sum clip-free (audio/engine.h). */
#define DEVICE_CONFIG_VOLUME_DB_MIN -60
#define DEVICE_CONFIG_VOLUME_DB_MAX 0
#define DEVICE_CONFIG_BEEPS_DB_MIN -40
#define DEVICE_CONFIG_BEEPS_DB_MAX 6
/* music: the bed against its usual level, and how far it goes down under
 * a line (the session's defaults: src/music/music.h) */
#define DEVICE_CONFIG_MUSIC_DB_MIN -30
#define DEVICE_CONFIG_MUSIC_DB_MAX 10
#define DEVICE_CONFIG_DUCK_DB_MIN 6
#define DEVICE_CONFIG_DUCK_DB_MAX 40
#define DEVICE_CONFIG_SEED_MAX 999999
/* music.order and report.paper, by the index of their names in
 * config_load.c's tables (music_orders, report_papers: the same order) */
enum device_music_order { DEVICE_MUSIC_BY_NAME, DEVICE_MUSIC_SHUFFLE };
enum device_paper { DEVICE_PAPER_A4, DEVICE_PAPER_LETTER };
/* report: the physiotherapist's report the coach writes to the card */
#define DEVICE_CONFIG_REPORT_WEEKS_MAX 52
#define DEVICE_CONFIG_REPORT_TARGET_MAX 21   /* sessions a week: three a day */
#define DEVICE_CONFIG_VOICE_MAX 64       /* a voice profile's name */
#define DEVICE_CONFIG_SKIPPED_MAX 16     /* settings left at their defaults */
#define DEVICE_CONFIG_SETTING_MAX 32     /* "volume", "inputs", "audio.latency" */

/* What an input is for; the same order and words as enum input_role
 * (src/input/edge.h), which the wiring converts to. */
enum device_role {
	DEVICE_ROLE_START,
	DEVICE_ROLE_NEXT,
	DEVICE_ROLE_REPEAT,
	DEVICE_ROLE_PEDAL,
	DEVICE_ROLE_COUNT,
};

static const char *const device_role_names[DEVICE_ROLE_COUNT] = {
	"start", "next", "repeat", "pedal",
};

/* "start" ... "pedal"; "?" out of range. */
static inline const char *device_role_name(enum device_role role)
{
	return (unsigned)role < DEVICE_ROLE_COUNT ? device_role_names[role] : "?";
}

/* The other words of a mapping override "role.gesture[.state]: binding",
 * one table each.  The loader (routine/config_load.c) and the input
 * mapping (input/mapping.c) both read them, and hw/README.md lists them
 * (tests/controls/test_vocab.c checks it); the input module's enums
 * (input_role, gesture_kind, input_session_state, input_command) have
 * the same order, asserted where they are defined. */
enum device_gesture {
	DEVICE_GESTURE_TAP,
	DEVICE_GESTURE_DOUBLE_TAP,
	DEVICE_GESTURE_HOLD,
	DEVICE_GESTURE_COUNT,
};

static const char *const device_gesture_names[DEVICE_GESTURE_COUNT] = {
	"tap", "double-tap", "hold",
};

enum device_state {
	DEVICE_STATE_ACTIVE,   /* idle (no session yet) or exercising */
	DEVICE_STATE_RESTING,
	DEVICE_STATE_PAUSED,
	DEVICE_STATE_COUNT,
};

/* Every word a key may use for a state; the first word of a state is its
 * name ("idle" and "running" are both the active state). */
static const char *const device_state_words[] = {
	"active", "idle", "running", "resting", "paused",
};
static const enum device_state device_state_of_word[] = {
	DEVICE_STATE_ACTIVE, DEVICE_STATE_ACTIVE, DEVICE_STATE_ACTIVE,
	DEVICE_STATE_RESTING, DEVICE_STATE_PAUSED,
};
#define DEVICE_STATE_WORDS (sizeof(device_state_words) / sizeof(device_state_words[0]))
_Static_assert(DEVICE_STATE_WORDS == sizeof(device_state_of_word) / sizeof(device_state_of_word[0]),
	       "one state for each state word");

/* "active", "resting", "paused"; "?" out of range. */
static inline const char *device_state_name(enum device_state state)
{
	for (size_t i = 0; i < DEVICE_STATE_WORDS; i++)
		if (device_state_of_word[i] == state)
			return device_state_words[i];
	return "?";
}

/* The state a word names, or -1. */
static inline int device_state_from_word(const char *word)
{
	for (size_t i = 0; i < DEVICE_STATE_WORDS; i++)
		if (strcmp(word, device_state_words[i]) == 0)
			return (int)device_state_of_word[i];
	return -1;
}

/* What a binding may name besides a user action of the control table:
 * a command to the program rather than to a running session, or "none"
 * (the gesture does nothing). */
enum device_command {
	DEVICE_COMMAND_NONE,
	DEVICE_COMMAND_CHOOSE_ROUTINE,  /* enter/step the routine chooser */
	DEVICE_COMMAND_CONFIRM,         /* accept the chooser's choice */
	DEVICE_COMMAND_COUNT,
};

static const char *const device_command_names[DEVICE_COMMAND_COUNT] = {
	"none", "choose-routine", "confirm",
};

/* The words a binding may use, in the order the help and the errors list
 * them: the user actions of the control table (never a notification such
 * as "pedal-gone"), the commands, then "none".  Returns how many it put
 * in words (at most max). */
static inline size_t device_binding_words(const char **words, size_t max)
{
	size_t n = 0;

	for (int a = CONTROL_NONE + 1; a < CONTROL_ACTION_COUNT && n < max; a++)
		if (control_action_is_user((enum control_action)a))
			words[n++] = control_action_name((enum control_action)a);
	for (int c = DEVICE_COMMAND_NONE + 1; c < DEVICE_COMMAND_COUNT && n < max; c++)
		words[n++] = device_command_names[c];
	if (n < max)
		words[n++] = device_command_names[DEVICE_COMMAND_NONE];
	return n;
}
/* Room for every binding word. */
#define DEVICE_BINDING_WORDS_MAX (CONTROL_ACTION_COUNT + DEVICE_COMMAND_COUNT)

enum device_input_kind {
	DEVICE_INPUT_GPIO,   /* a switch on a GPIO line (libgpiod) */
	DEVICE_INPUT_EVDEV,  /* one key of a keyboard-like device (USB pedal) */
};

/* One configured input. */
struct device_input {
	enum device_role role;
	enum device_input_kind kind;
	/* GPIO: a line name ("GPIO17"), searched on every chip unless chip
	 * is set; or chip + offset. */
	char chip[DEVICE_CONFIG_CHIP_MAX];            /* "" = any chip */
	char line_name[DEVICE_CONFIG_LINE_NAME_MAX];  /* "" = use offset */
	int offset;                                   /* -1 with line_name */
	/* evdev: a path or device name, and a key name as written
	 * ("KEY_PAGEDOWN", "pagedown"); the wiring resolves the code. */
	char device[DEVICE_CONFIG_PATH_MAX];
	char key[DEVICE_CONFIG_KEY_NAME_MAX];
	int line;                                     /* source line, 0 = none */
};

/* Gesture timing for one role; -1 = the built-in default. */
struct device_timing {
	int lockout_ms;
	int double_tap_ms;  /* 0 = no double tap */
	int hold_ms;        /* 0 = no hold */
};

/* One mapping override, as input_mapping_set() takes it:
 * "pedal.hold" = "pause", "next.hold.resting" = "none". */
struct device_mapping {
	char key[DEVICE_CONFIG_MAPPING_KEY_MAX];
	char value[DEVICE_CONFIG_MAPPING_VALUE_MAX];
	int line;                                     /* source line, 0 = none */
};

struct device_config {
	/* The file this was read from; "" = built-in defaults (no file). */
	char file[DEVICE_CONFIG_PATH_MAX];
	struct {
		char device[DEVICE_CONFIG_AUDIO_DEVICE_MAX]; /* "" = default; else
		                                              * a name substring */
		int latency_frames;                          /* 0 = backend default */
		int device_line;                             /* where 'device' is written;
		                                              * 0 = nowhere */
		bool wait_for_device;                        /* wait for it at start */
	} audio;
	struct {
		char dir[DEVICE_CONFIG_PATH_MAX];            /* "" = the search path of
		                                              * routine/routine_dir.h */
		char default_routine[DEVICE_CONFIG_PATH_MAX]; /* "" = built-in */
	} routines;
	struct device_input inputs[DEVICE_CONFIG_INPUTS_MAX];
	int n_inputs;
	struct device_timing timing[DEVICE_ROLE_COUNT];
	struct device_mapping mapping[DEVICE_CONFIG_MAPPING_MAX];
	int n_mapping;
	/* How the coach sounds: master volume and the beeps against the
	 * voice, in dB (0 = as made); the voice profile every routine is
	 * spoken with ("" = the one the routine names). */
	float volume_db;
	float beeps_db;
	char voice[DEVICE_CONFIG_VOICE_MAX];
	int voice_line, voice_col;    /* where 'voice' is written; 0 = nowhere */
	/* The language the voice speaks and the coach's own sentences are
	 * in ("de", "en-gb": one with a phrasebook); "" = the voice's own. */
	char language[DEVICE_CONFIG_VOICE_MAX];
	/* Music under the coach (issue 22), from the 'music:' section; each
	 * field is used only when its `_set` says the file gave it, else the
	 * session's default stands (src/music/music.h). */
	struct device_music {
		bool on, on_set;            /* 'on: false' turns the music off */
		float volume_db;            /* the bed against its usual level */
		bool volume_set;
		float duck_db;              /* how far it goes down under a line */
		bool duck_set;
		int order;                  /* enum device_music_order */
		bool order_set;
		int seed;                   /* the shuffle: the same seed, the same order */
		bool seed_set;
	} music;
	/* The report on the card (report.pdf, issue 21), from 'report:';
	 * used only where `_set`, else repcue history --report's defaults. */
	struct device_report {
		int target;                 /* sessions a week the person aims for */
		bool target_set;
		int weeks;                  /* weeks on a page */
		bool weeks_set;
		int paper;                  /* enum device_paper */
		bool paper_set;
	} report;
	/* Settings config_load_tolerant() left at their defaults because
	 * they had a problem: the setting ("volume", "inputs") and its line.
	 * Past the cap they are only counted. */
	struct device_setting_skip {
		char setting[DEVICE_CONFIG_SETTING_MAX];
		int line;
	} skipped[DEVICE_CONFIG_SKIPPED_MAX];
	int n_skipped;
	int n_skipped_dropped;
};

/* The built-in defaults: default sound device, no inputs (GPIO lines are
 * only requested when a config file names them), default timing, the
 * default mapping. */
static inline void device_config_init(struct device_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (int r = 0; r < DEVICE_ROLE_COUNT; r++)
		cfg->timing[r] = (struct device_timing){ -1, -1, -1 };
}

#endif
