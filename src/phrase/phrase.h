/* phrase.h - every fixed sentence the coach says, one phrasebook per
 * language, chosen by the voice profile's language.
 *
 * A phrasebook is a compiled table (phrases_en.c, phrases_de.c) indexed by
 * enum phrase_id. A phrase's arguments are named slots written like the
 * routine placeholders ("Set {set} of {sets}."), so each language puts them
 * in its own order ("Satz {set} von {sets}."); plan_expand() fills them in.
 * A word counted by a slot is written in both its forms next to it:
 * "Rest, {seconds} {seconds|second|seconds}." ("Rest, 1 second.").
 * Numbers stay digits: eSpeak NG says them in the voice's language.
 * Pure data and lookups: no I/O, no locale, no allocation.
 */
#ifndef REPCUE_PHRASE_PHRASE_H
#define REPCUE_PHRASE_PHRASE_H

#include <stdbool.h>
#include <stddef.h>

/* The one list of placeholders ("slots"). The first SLOT_ROUTINE_COUNT may
 * be written in routine files (schema.c checks them, plan.c fills them);
 * the rest only appear in phrasebooks. */
enum phrase_slot {
	SLOT_REP,
	SLOT_REPS,
	SLOT_SET,
	SLOT_SETS,
	SLOT_SIDE,
	SLOT_NAME,
	SLOT_SECONDS,
	SLOT_ROUTINE_COUNT,
	SLOT_STEP = SLOT_ROUTINE_COUNT, /* "Exercise {step} of {steps}" */
	SLOT_STEPS,
	SLOT_EACH,                      /* PHRASE_EACH_SIDE or nothing */
	SLOT_NUMBER,                    /* a count: "session {number} this week" */
	SLOT_TOTAL,                     /* "routine {number} of {total}" */
	SLOT_INPUT,                     /* a button or the pedal, as a sentence's subject */
	SLOT_COUNT
};

/* "rep", "reps", ... indexed by enum phrase_slot. */
extern const char *const phrase_slot_names[SLOT_COUNT];

/* The slot named key[0..len), or -1. */
int phrase_slot_find(const char *key, size_t len);

/* One word or more in two forms, chosen by a number: `one` when it is 1,
 * `many` for any other (0, 2, 30). Two forms are all that English and
 * German need ("1 second", "2 seconds"; "1 Sekunde", "2 Sekunden"); a
 * language with more would need a rule here, not only a table. */
struct phrase_forms {
	const char *one, *many;  /* borrowed: point into the phrase; NULL: no forms */
	size_t one_len, many_len;
};

/* A phrase's placeholder, key[0..len) between its braces: a slot name
 * ("seconds"), or a slot and the forms of the words it counts,
 * "seconds|second|seconds" (said "second" when {seconds} is 1). Returns the
 * slot or -1, and the forms in *ret_forms (both NULL for a plain slot).
 * Only phrasebooks write forms; routine files write plain slots. */
int phrase_placeholder_parse(const char *key, size_t len, struct phrase_forms *ret_forms);

/* The form for `number`: forms->one for 1, else forms->many; its length in
 * *ret_len. */
const char *phrase_form(const struct phrase_forms *forms, int number, size_t *ret_len);

/* Phrase ids. Kept in groups; where a phrase exists for each side, the
 * right-side one follows the left-side one (phrase_side()). The first
 * PHRASE_FIXED_COUNT are the control confirmations, in the order of
 * enum plan_fixed_text. */
enum phrase_id {
	/* control confirmations */
	PHRASE_PAUSED,
	PHRASE_RESUMING,
	PHRASE_NEXT,
	PHRASE_SKIP_REST,
	PHRASE_DONE,
	PHRASE_MORE_REST,
	PHRASE_FINISHING,
	PHRASE_PEDAL_GONE,
	PHRASE_PEDAL_BACK,
	PHRASE_FIXED_COUNT,
	/* the session's introduction */
	PHRASE_ROUTINE_NAME = PHRASE_FIXED_COUNT, /* {name} */
	PHRASE_NEED_ALL,        /* {name} = the joined equipment list */
	PHRASE_LIST_SEP,        /* between two items of a list */
	PHRASE_LIST_LAST_SEP,   /* before the last item */
	PHRASE_NEED_HEAD,       /* a list too long for one line: its head, */
	PHRASE_NEED_ITEM,       /* each item but the last ({name}), */
	PHRASE_NEED_LAST,       /* and the last */
	/* a step's introduction */
	PHRASE_WARM_UP,
	PHRASE_MAIN_SET,
	PHRASE_COOL_DOWN,
	PHRASE_EXERCISE,        /* {step} {steps} {name} */
	PHRASE_EACH_SIDE,       /* what {each} says for a step with sides */
	PHRASE_OPEN_SETS,       /* {sets} {each} */
	PHRASE_REPS_SETS,       /* {sets} {reps} {each} */
	PHRASE_HOLD_FOR,        /* {seconds} {each} */
	PHRASE_WORK_FOR,        /* {seconds} {each} */
	PHRASE_ROUNDS,          /* {sets} {seconds} {each} */
	/* a set */
	PHRASE_SET_LEFT_FIRST,  /* {set} {sets} */
	PHRASE_SET_RIGHT_FIRST,
	PHRASE_SET_OF,          /* {set} {sets} */
	PHRASE_LEFT_FIRST,
	PHRASE_RIGHT_FIRST,
	PHRASE_GET_READY,
	PHRASE_SWITCH_LEFT,
	PHRASE_SWITCH_RIGHT,
	PHRASE_REPEAT_SET_LEFT, /* {set}: what a repeat press says */
	PHRASE_REPEAT_SET_RIGHT,
	PHRASE_REPEAT_SET,
	PHRASE_AGAIN_LEFT,
	PHRASE_AGAIN_RIGHT,
	PHRASE_ONCE_MORE,
	PHRASE_GO,
	PHRASE_HOLD,
	PHRASE_RELEASE,         /* the end of a hold */
	PHRASE_STOP,            /* the end of timed work */
	PHRASE_SECONDS_LEFT,    /* {seconds} */
	/* rests */
	PHRASE_REST,            /* {seconds} */
	PHRASE_TEN_SECONDS,
	PHRASE_NEXT_SET,        /* {set} {sets} */
	PHRASE_NEXT_UP,         /* {name} */
	PHRASE_WELL_DONE,       /* the session's last words */
	/* the session history */
	PHRASE_RESUME_OFFER,    /* {name} = the step, {set} */
	PHRASE_RESUME_CHANGED,  /* {name} = the step, {set} */
	PHRASE_WEEK_1,          /* "your first session this week" ... */
	PHRASE_WEEK_2,
	PHRASE_WEEK_3,
	PHRASE_WEEK_4,
	PHRASE_WEEK_5,
	PHRASE_WEEK_6,
	PHRASE_WEEK_7,
	PHRASE_WEEK_8,
	PHRASE_WEEK_9,
	PHRASE_WEEK_10,
	PHRASE_WEEK_N,          /* {number} > 10 */
	/* waiting for start (the lobby) */
	PHRASE_LOBBY_READY,     /* {name} is left for the session to fill */
	PHRASE_LOBBY_CHOICE,    /* {number} {total} {name} */
	PHRASE_FROM_FILE,       /* {name} = the file: after a routine's name that
	                         * another routine on the list has too */
	PHRASE_NO_ROUTINE,
	PHRASE_CANNOT_PLAY,
	PHRASE_SKIP_ROUTINE_AT, /* {name} = the file, {number} = its line */
	PHRASE_SKIP_ROUTINE,    /* {name} */
	PHRASE_SKIP_ROUTINE_UNREADABLE,
	PHRASE_SKIP_CONFIG_AT,  /* the same three for the card's config.yaml */
	PHRASE_SKIP_CONFIG,
	PHRASE_SKIP_CONFIG_UNREADABLE,
	PHRASE_BAD_SETTING_AT,  /* {name} = the setting, {number} = its line in config.yaml */
	PHRASE_SETTING_FAILED_AT, /* the same, for a setting understood that does not work
	                           * here (a sound device not there): the one before is kept */
	PHRASE_KEEP_CONFIG_AT,  /* config.yaml read again at a lobby and skipped whole:
	                         * {number} = its first bad line; the settings before kept */
	PHRASE_MORE_BAD,        /* {number} more files named nowhere */
	PHRASE_PROBLEMS_ON_CARD, /* after the skipped files: where their details are */
	/* inputs that do not work (session/input_trouble.c): what the user
	 * calls each, as a subject and after "with" (enum input_role order) */
	PHRASE_INPUT_START_BUTTON,
	PHRASE_INPUT_NEXT_BUTTON,
	PHRASE_INPUT_REPEAT_BUTTON,
	PHRASE_INPUT_PEDAL,
	PHRASE_WITH_START_BUTTON,
	PHRASE_WITH_NEXT_BUTTON,
	PHRASE_WITH_REPEAT_BUTTON,
	PHRASE_WITH_PEDAL,
	PHRASE_WITH_KEYBOARD,
	/* why: {input} {name} = the pin, path or key (enum controls_trouble order) */
	PHRASE_TROUBLE_NO_SUCH_PIN,
	PHRASE_TROUBLE_PIN_REFUSED,
	PHRASE_TROUBLE_NOT_INPUT_DEVICE,
	PHRASE_TROUBLE_NOT_PLUGGED_IN,
	PHRASE_TROUBLE_UNKNOWN_KEY,
	PHRASE_TROUBLE_DEVICE_REFUSED,
	PHRASE_CHECK_CONFIG_ON_CARD, /* {name} = the config's file name */
	PHRASE_CHECK_CONFIG,         /* {name} */
	PHRASE_START_WITH,           /* {name} = the joined list of PHRASE_WITH_* */
	PHRASE_NOTHING_STARTS,
	PHRASE_HISTORY_OFF,
	PHRASE_HISTORY_MOVED,
	PHRASE_HISTORY_UNSAVED,
	/* how did it feel (core/rating.h): the question after a session, and
	 * what is said back, in the order of the RATINGS table */
	PHRASE_RATING_ASK,
	PHRASE_RATING_RECORDED_EASY,
	PHRASE_RATING_RECORDED_HARD,
	PHRASE_RATING_RECORDED_HURT,
	/* the printed sheet (src/sheet): headings, cells, the timeline */
	PHRASE_SHEET_LEVEL,                   /* {number} = the level */
	PHRASE_SHEET_EQUIPMENT,               /* {name} = the joined list */
	PHRASE_SHEET_NO_EQUIPMENT,
	PHRASE_SHEET_SAFETY,                  /* {name} = the routine's safety line */
	PHRASE_SHEET_TOTAL,                   /* {number} = minutes */
	PHRASE_SHEET_COL_EXERCISE,
	PHRASE_SHEET_COL_SETS,
	PHRASE_SHEET_COL_TEMPO,
	PHRASE_SHEET_COL_SIDES,
	PHRASE_SHEET_COL_REST,
	PHRASE_SHEET_COL_CUES,
	PHRASE_SHEET_REPS,                    /* {sets} {reps} */
	PHRASE_SHEET_OPEN,                    /* {sets} */
	PHRASE_SHEET_SECONDS,                 /* {sets} {seconds}: a hold or timed work */
	PHRASE_SHEET_LIFT,                    /* tempo in words: {seconds} of each phase */
	PHRASE_SHEET_TOP,
	PHRASE_SHEET_LOWER,
	PHRASE_SHEET_BOTTOM,
	PHRASE_SHEET_LEFT_RIGHT,
	PHRASE_SHEET_RIGHT_LEFT,
	PHRASE_SHEET_ALTERNATE,
	PHRASE_SHEET_REST_SETS,               /* {seconds} */
	PHRASE_SHEET_REST_AFTER,              /* {seconds}: before the next exercise */
	PHRASE_SHEET_TIMELINE,
	PHRASE_SHEET_WORK,                    /* the timeline's legend */
	PHRASE_SHEET_BREAK,
	PHRASE_SHEET_TALK,
	PHRASE_SHEET_MINUTES,                 /* {number}: the timeline's scale */
	PHRASE_SHEET_PAGE,                    /* {number} {total} */
	/* {side} in routine lines */
	PHRASE_SIDE_LEFT,
	PHRASE_SIDE_RIGHT,
	PHRASE_COUNT
};

struct phrasebook {
	const char *language;  /* eSpeak NG language it serves: "en" serves en, en-gb, en-us ... */
	const char *name;      /* the language in its own words, for messages */
	const char *text[PHRASE_COUNT];
};

/* Every phrasebook (one file each, phrases_<language>.c), NULL-terminated;
 * English first: the default. */
extern const struct phrasebook *const phrasebooks[];

/* The phrasebook for an eSpeak NG voice language ("en-gb", "de"): the one
 * whose language is the part before the first '-' (any case), or NULL. */
const struct phrasebook *phrasebook_find(const char *voice_language);

/* "en (English), de (Deutsch)" into buf (always terminated); returns buf. */
char *phrasebook_list(char *buf, size_t size);

/* The text of a phrase; book NULL means English. Never NULL for a valid id
 * (the unit test checks every book has every phrase). */
const char *phrase_text(const struct phrasebook *book, enum phrase_id id);

/* The side-specific one of a left/right pair: `left` for left, left + 1
 * for right. */
static inline enum phrase_id phrase_side(enum phrase_id left, bool right)
{
	return (enum phrase_id)(left + (right ? 1 : 0));
}

#endif
