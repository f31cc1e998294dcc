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
#include <string.h>

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
