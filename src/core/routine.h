/* routine.h - the in-memory model of one routine file.
 *
 * Pure data: no I/O, no allocation inside. A struct routine owns every byte
 * of its text inline (fixed-size arrays), so one free() of the struct (or
 * none, if it lives on the stack or in static storage) releases everything.
 * The limits below are part of the file format: `repcue check` reports a
 * file that exceeds them, so nothing here is ever truncated silently.
 */
#ifndef REPCUE_CORE_ROUTINE_H
#define REPCUE_CORE_ROUTINE_H

#include <stdbool.h>

#define ROUTINE_FORMAT_VERSION 1

/* Limits (bytes include the terminating NUL). */
#define ROUTINE_TEXT_MAX 241       /* one spoken line: 240 bytes of UTF-8 */
#define ROUTINE_NAME_MAX 81        /* names of routines and steps */
#define ROUTINE_PATH_MAX 256
#define ROUTINE_STEPS_MAX 32
#define ROUTINE_EQUIPMENT_MAX 8
#define ROUTINE_INTRO_MAX 8        /* intro cues per step */
#define ROUTINE_CUES_MAX 16        /* rep / hold cues per step */
#define ROUTINE_SETS_MAX 10
#define ROUTINE_REPS_MAX 50        /* also the cap of an open-ended set */
#define ROUTINE_SECONDS_MAX 600    /* any hold, timed work or rest */
#define ROUTINE_COUNTDOWN_MAX 10
#define ROUTINE_TEMPO_DIGIT_MAX 9  /* seconds per tempo phase */
/* The longest session a routine may plan, when nobody presses anything
 * (plan_expected_frames, the "about N minutes" of `repcue check`): 4 hours.
 * Far more than any rehab or training session; the step limits alone allow
 * hundreds of hours, which nobody means and which would make a render
 * pass what a WAV file can hold (4 GiB, 12.4 hours at 48 kHz). */
#define ROUTINE_SESSION_MAX_S (4 * 3600)

/* What a set of a step counts: the fact about its kind that the loader
 * (which fields and cues it takes), the plan (how a set is built) and the
 * status line go by. */
enum step_measure {
	STEP_MEASURE_REPS,     /* reps at a tempo: reps, tempo, at_rep, every */
	STEP_MEASURE_SECONDS,  /* seconds: seconds, at_second */
};

/* The one table of step kinds, one row each: X(ID, word in the file,
 * measure).  The enum and step_kind_word()/step_kind_measure() are made
 * from it; the loader reads the words.  The facts of a kind are columns
 * of its row (a row cannot leave one out, as a designated descriptor
 * could); what a kind does differently is a `switch` on the kind or its
 * measure with no `default:` (never an if/else, which would let a new one
 * fall into the "else"), so -Wswitch (-Wall; an error with -Werror) names
 * every place that must say what a new one does.  Adding a kind is a row
 * here and, in plan.c, what the coach says for it (holds()); see "Add a
 * step kind" in README.md.  tests/core/compiler-finds.sh checks that. */
#define STEP_KINDS(X)                                                                 \
	/* sets x reps with a tempo, or open-ended sets ended by "done" */            \
	X(REPS, "reps", STEP_MEASURE_REPS)                                               \
	X(HOLD, "hold", STEP_MEASURE_SECONDS)   /* hold a position (stretch, release) */ \
	X(TIMED, "timed", STEP_MEASURE_SECONDS) /* work for N seconds */

enum step_kind {
#define STEP_KIND_ENUM(id, ...) STEP_##id,
	STEP_KINDS(STEP_KIND_ENUM)
#undef STEP_KIND_ENUM
};

static const struct {
	const char *word;
	enum step_measure measure;
} step_kinds[] = {
#define STEP_KIND_ROW(id, word, measure) [STEP_##id] = { word, measure },
	STEP_KINDS(STEP_KIND_ROW)
#undef STEP_KIND_ROW
};
#define STEP_KIND_COUNT (sizeof(step_kinds) / sizeof(step_kinds[0]))

static inline enum step_measure step_kind_measure(enum step_kind kind)
{
	return step_kinds[kind].measure;
}

enum step_phase {
	PHASE_WARM_UP,
	PHASE_WORK,
	PHASE_COOL_DOWN,
};

enum step_sides {
	SIDES_NONE,
	SIDES_LEFT_RIGHT, /* left first in every set */
	SIDES_RIGHT_LEFT, /* right first in every set */
	SIDES_ALTERNATE,  /* left first in odd sets, right first in even sets */
};

enum side {
	SIDE_NONE,
	SIDE_LEFT,
	SIDE_RIGHT,
};

/* Tempo in the usual four-digit notation "2-1-2-0", seconds per phase:
 * lowering (eccentric), pause at the bottom, lifting (concentric), pause at
 * the top. A rep is *played* starting with the lift ("pull"), because every
 * band exercise starts with the band slack: lift, top pause ("hold"),
 * lower ("release"), bottom pause. */
struct tempo {
	int lower_s;
	int bottom_s;
	int lift_s;
	int top_s;
};

enum cue_trigger {
	CUE_AT_REP,      /* at the start of rep n (after its count) */
	CUE_EVERY_REPS,  /* at the start of every n-th rep */
	CUE_AT_SECOND,   /* n seconds into a hold or timed work */
};

struct cue {
	enum cue_trigger trigger;
	int n;
	char text[ROUTINE_TEXT_MAX]; /* may contain {rep} {set} {sets} {side} {name} ... */
	int line;                    /* source line, 0 if unknown */
};

struct step {
	char name[ROUTINE_NAME_MAX];
	enum step_kind kind;
	enum step_phase phase;
	enum step_sides sides;
	int sets;               /* >= 1 */
	int reps;               /* STEP_REPS: reps per set; 0 = open-ended set */
	struct tempo tempo;     /* STEP_REPS */
	int seconds;            /* STEP_HOLD / STEP_TIMED: per set and side */
	int rest_between_sets_s;
	int rest_after_s;       /* rest before the next step */
	char intro[ROUTINE_INTRO_MAX][ROUTINE_TEXT_MAX]; /* spoken before set 1 */
	int n_intro;
	struct cue cues[ROUTINE_CUES_MAX];
	int n_cues;
	char switch_text[ROUTINE_TEXT_MAX]; /* side switch line; "" = built-in */
	char next_up[ROUTINE_TEXT_MAX];     /* rest line announcing this step; "" = built-in */
	int line;                           /* source line of the step */
};

struct routine_defaults {
	int rest_between_sets_s;
	int rest_between_steps_s;
	int countdown_s;        /* 3 gives "three, two, one, go" */
	struct tempo tempo;
};

struct routine {
	int version;
	char name[ROUTINE_NAME_MAX];
	int level;              /* 1 = beginner ... */
	char equipment[ROUTINE_EQUIPMENT_MAX][ROUTINE_NAME_MAX];
	int n_equipment;
	char voice[ROUTINE_NAME_MAX];     /* voice profile name, file voices/<voice>.yaml */
	char safety[ROUTINE_TEXT_MAX];    /* spoken first */
	struct routine_defaults defaults;
	struct step steps[ROUTINE_STEPS_MAX];
	int n_steps;
};

#endif
