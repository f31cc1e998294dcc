/* plan.h - a routine compiled into a flat list of segments and timed actions.
 *
 * The plan is pure data computed once before a session starts: which lines
 * will be spoken (interned, so each distinct line is synthesized once),
 * which beeps sound, and at which frame offset inside which segment. The
 * sequencer walks it against the sample clock. Nothing here does I/O or
 * reads a clock.
 */
#ifndef REPCUE_CORE_PLAN_H
#define REPCUE_CORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/routine.h"
#include "core/time.h"
#include "phrase/phrase.h"

#define PLAN_TEXT_MAX 400  /* a spoken line after placeholder expansion */
/* How long a line is expected to take before it is made: about 70 ms of
 * speech per character (eSpeak NG at the coach's rate says 64 ms).  The
 * speech budget plans with it (in bytes of 16-bit samples at
 * SESSION_RATE_HZ), `repcue check` warns with it, and the session's
 * expected length (plan_expected_frames) counts the announcements with it. */
#define PLAN_SPEECH_MS_PER_CHAR 70
#define PLAN_SPEECH_BYTES_PER_CHAR (SESSION_RATE_HZ * PLAN_SPEECH_MS_PER_CHAR / 1000 * 2)

/* Who gives way when two lines want the voice at once: a higher priority
 * cuts a lower one at its next word boundary; never mid-word. A control
 * confirmation ("Paused.") answers the person directly, so it ranks first. */
enum speech_priority {
	PRIO_CHATTER,   /* "next up", time left, encouragement */
	PRIO_FORM,      /* form cues, announcements, intros */
	PRIO_TEMPO,     /* rep counts, "hold" */
	PRIO_COUNTDOWN, /* "three, two, one" */
	PRIO_CONTROL,   /* confirmations of a button press */
};

enum tone {
	TONE_LIFT,    /* start of the pull / lift phase */
	TONE_TOP,     /* hold at the top */
	TONE_LOWER,   /* release / lowering */
	TONE_BOTTOM,  /* rest at the bottom */
	TONE_COUNT,   /* countdown tick */
	TONE_GO,      /* work starts */
	TONE_END,     /* work ends */
	TONE_KINDS
};

enum action_kind {
	ACTION_SAY,
	ACTION_BEEP,
};

struct plan_action {
	frames_t at;                /* offset from the start of its segment */
	enum action_kind kind;
	int arg;                    /* text id (ACTION_SAY) or enum tone */
	enum speech_priority prio;  /* ACTION_SAY */
	bool if_counted;            /* ACTION_SAY: said only if the session counts
	                             * (plan_session_counts), decided when it is due */
};

enum segment_kind {
	SEG_SPEECH,    /* announcements; lasts until its speech is done + a gap */
	SEG_COUNTDOWN, /* "three, two, one" */
	SEG_WORK,      /* reps, a hold or timed work */
	SEG_REST,
};

/* Navigation units: `next` jumps to the start of the following unit,
 * `repeat` restarts the current bout (or the last one, from a rest). */
enum unit_kind {
	UNIT_INTRO,    /* session or step introduction */
	UNIT_BOUT,     /* one set (one side of it, with sides) */
	UNIT_REST,
	UNIT_END,
};

struct plan_segment {
	enum segment_kind kind;
	enum unit_kind unit;
	bool unit_start;       /* first segment of its unit */
	int step;              /* index into routine steps, -1 for session level */
	int set;               /* 1-based, 0 outside sets */
	enum side side;
	frames_t length;       /* nominal length; SEG_SPEECH: minimum */
	bool open_ended;       /* SEG_WORK of an open set: `done` ends it */
	int first_action;      /* index into plan.actions */
	int n_actions;
	int repeat_text;       /* text id of "Repeating set N." etc., -1 if none */
};

/* Fixed text ids for control confirmations, interned first: the first
 * phrases of the phrasebook, in its order (plan.c asserts it). */
enum plan_fixed_text {
	TEXT_PAUSED,
	TEXT_RESUMING,
	TEXT_NEXT,
	TEXT_SKIP_REST,
	TEXT_DONE,
	TEXT_MORE_REST,
	TEXT_FINISHING,
	TEXT_PEDAL_GONE,
	TEXT_PEDAL_BACK,
	TEXT_FIXED_COUNT
};

struct plan {
	struct plan_segment *segments;  /* owned */
	int n_segments;
	struct plan_action *actions;    /* owned */
	int n_actions;
	char (*texts)[PLAN_TEXT_MAX];   /* owned; text id = index */
	int n_texts;
	int cap_texts;                  /* entries allocated in texts and text_hashes */
	unsigned *text_hashes;          /* owned; hash of each text, for the index */
	int *text_index;                /* owned; open addressing over text ids:
	                                 * slot = id + 1, 0 = empty */
	int index_slots;                /* power of two, > 2 * n_texts */
	long intern_probes;             /* index slots plan_intern looked at: a work
	                                 * count the tests bound (interning stays
	                                 * O(1) per line however many lines) */
	frames_t nominal_frames;        /* sum of segment lengths (speech excluded);
	                                 * plan_expected_frames adds the speech */
};

/* Compiles a valid routine (as routine_load returns it) into *plan, every
 * fixed sentence from `book` (NULL: English; phrasebook_find() picks one
 * for the voice's language). Returns 0, -ENOMEM, or -EMSGSIZE should a
 * line not fit PLAN_TEXT_MAX. On success the caller owns the plan and
 * releases it with plan_finish(). */
int plan_build_in(struct plan *plan, const struct routine *routine,
		  const struct phrasebook *book);
/* plan_build_in() in English. */
int plan_build(struct plan *plan, const struct routine *routine);

/* Returns the id of `text`, adding it if new (e.g. what the session says
 * while it waits for the start button), or -ENOMEM. Expected O(1): a hash
 * index, so a routine with half a million distinct lines plans in well
 * under a second. */
int plan_intern(struct plan *plan, const char *text);

/* Adds a line said last, after the session's closing words, and only if
 * the session counts (how many sessions this week: a session skipped
 * through is not congratulated). Returns its text id, or -ENOMEM. */
int plan_add_closing(struct plan *plan, const char *text);

/* Sets (one side or both) whose first bout starts at or after `segment`:
 * what a session started there plans to do. */
int plan_sets_from(const struct plan *plan, int segment);

/* The one rule of what counts as a session for adherence ("your third
 * session this week", the history's weekly summary and report): it reached
 * its end and at least half of the sets it planned were done, not skipped
 * with `next`. Documented in repcue(1), "HISTORY". */
static inline bool plan_session_counts(bool reached_end, int sets_done, int sets_planned)
{
	return reached_end && 2 * sets_done >= sets_planned;
}

/* The one timing model: how long the session takes when nobody presses
 * anything, in frames, with speech at speech_ms_per_char (give
 * PLAN_SPEECH_MS_PER_CHAR; the tests give their fake speech's rate).
 * Timed segments last their length (their lines are said over them); an
 * announcement (SEG_SPEECH) lasts until the line still heard from the
 * segment before and its own lines, said one after another, are done,
 * plus its gap: what the sequencer does.  `repcue check` prints it as
 * "about N minutes". */
frames_t plan_expected_frames(const struct plan *plan, int speech_ms_per_char);

/* plan_expected_frames(), and how long each segment lasts in it:
 * ret_lengths[i] for segment i (n_segments entries, the caller's), so the
 * parts add up to the whole (the printed sheet's timeline). */
frames_t plan_segment_expected_frames(const struct plan *plan, int speech_ms_per_char,
				      frames_t *ret_lengths);

/* The first segment by whose end the session of plan_expected_frames()
 * has lasted more than limit frames, or -1 if the whole session fits: where
 * a routine passes ROUTINE_SESSION_MAX_S (its .step names the step, -1 for
 * the session's own introduction or closing words). */
int plan_first_segment_past(const struct plan *plan, int speech_ms_per_char, frames_t limit);

/* The expected length in seconds of `routine`'s session in English, from
 * its plan (plan_expected_frames at PLAN_SPEECH_MS_PER_CHAR, the figure
 * `repcue check` prints); -1 if it cannot be planned. */
long plan_routine_expected_s(const struct routine *routine);

/* Releases what plan_build allocated; accepts a zeroed or finished plan. */
void plan_finish(struct plan *plan);

/* Expands the placeholders of phrase_slot_names ({rep} {reps} {set} {sets}
 * {side} {name} {seconds}, and in phrases {step} {steps} {each}) in `tmpl`
 * into out (out_size bytes, always terminated). Returns the length of the
 * whole expansion, like snprintf: >= out_size means it was cut, between
 * characters. Unknown placeholders are kept verbatim (the loader rejects
 * them). {side} is said in the language of `book` (NULL: English). */
struct placeholder_values {
	int rep, reps, set, sets, seconds;
	enum side side;
	const char *name;
	int step, steps;                /* 1-based step number, of how many */
	int number, total;              /* {number} {total}: counts */
	const char *each;               /* {each}; NULL = "" */
	const char *input;              /* {input}; NULL = "" */
	const struct phrasebook *book;  /* borrowed; NULL = English */
};
size_t plan_expand(char *out, size_t out_size, const char *tmpl,
		   const struct placeholder_values *values);

/* The length of the longest line `tmpl` can expand to in step `st` (any
 * rep, set and side, {side} said in the language of `book`, NULL:
 * English): what the loader checks against PLAN_TEXT_MAX - 1, so no line
 * is ever cut. */
size_t plan_expand_longest_in(const char *tmpl, const struct step *st,
			      const struct phrasebook *book);
/* plan_expand_longest_in() in English. */
size_t plan_expand_longest(const char *tmpl, const struct step *st);

const char *tone_name(enum tone tone);
/* Length of each beep: part of the timing design, so the core owns it;
 * the audio module synthesizes tones of exactly these lengths. */
frames_t tone_length(enum tone tone);
const char *side_name(enum side side);

#endif
