/* controls_internal.h - struct controls, shared by controls.c (opening
 * the configured inputs) and controls_trouble.c (those that did not open).
 * Not for use outside src/input. */
#ifndef REPCUE_INPUT_CONTROLS_INTERNAL_H
#define REPCUE_INPUT_CONTROLS_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "core/device_config.h"
#include "input/controls.h"
#include "input/input.h"
#include "input/mapping.h"

#define MSG_MAX 400
#define LABEL_MAX 48
#define WHAT_MAX 320

enum slot_kind { SLOT_GPIO, SLOT_EVDEV, SLOT_TERMINAL, SLOT_OTHER };
enum slot_state { SLOT_UP, SLOT_WAITING, SLOT_GONE, SLOT_DROPPED };

/* What we know of hub backend i (the hub owns the backend itself). */
struct slot {
	enum slot_kind kind;
	enum slot_state state;
	char label[LABEL_MAX];     /* the hub's label, e.g. "next button" */
	char what[WHAT_MAX];       /* "GPIO27", "/dev/...: KEY_B -> pedal" */
	bool one_role;             /* evdev: all keys have role */
	enum input_role role;
	int input;                 /* GPIO, evdev: its (first) index in controls.cfg.inputs */
};

/* A configured input that did not open: what the log said, and the same
 * as data for the lobby (controls_problems). */
struct failure {
	char label[LABEL_MAX];
	char message[MSG_MAX];
	struct controls_problem problem;
	int input;    /* index in controls.cfg.inputs */
	bool retry;   /* opening it again may help (not so a key name, or a
	               * feature not built in) */
};

struct controls {
	struct device_config cfg;    /* a copy: the inputs controls_retry() opens again */
	struct input_mapping *map;   /* owned; borrowed by hub */
	struct input_hub *hub;       /* owned */
	struct slot slots[INPUT_HUB_MAX_BACKENDS];
	int n_slots;
	struct failure failures[DEVICE_CONFIG_INPUTS_MAX];
	int n_failed;
	bool terminal;
};

/* Opens input k of c->cfg behind the hub, or records why it did not open
 * (logged to log unless NULL). 0, or -ENOMEM. */
int controls_open_input(struct controls *c, int k, FILE *log);

#endif
