/* rating.h - "how did that feel?", asked hands-free at the end of a
 * session (issue 19 item 7): the one vocabulary of ratings, and the pure
 * state machine that turns the presses after the question into a rating.
 *
 * What a press means while the question is open:
 *   tap          easy
 *   double tap   hard  (a DOUBLE_TAP gesture, or two taps whose second
 *                       comes within RATING_SECOND_TAP_MS of the first:
 *                       the start button has no double-tap meaning of its
 *                       own, so its decoder reports two taps)
 *   hold         hurt
 * Silence for the timeout after the question was asked: skipped, nothing
 * recorded. A press after that is ignored. Keys on a terminal count as
 * taps (any action key; two quickly: hard); a keyboard cannot hold.
 *
 * Pure: no I/O, no clock reads; time (milliseconds on any monotonic
 * clock) comes in with every call, so tests walk it with a fake clock. */
#ifndef REPCUE_CORE_RATING_H
#define REPCUE_CORE_RATING_H

#include <stdbool.h>
#include <stdint.h>

#include "phrase/phrase.h"

/* The one vocabulary of ratings, one row each:
 *   X(ID, name, confirmation)
 *   name:         in the history database, the CSV, `repcue history`
 *                 and the report ("2 easy, 1 hurt")
 *   confirmation: the phrase said back once it is recorded */
#define RATINGS(X)                                        \
	X(EASY, "easy", PHRASE_RATING_RECORDED_EASY)      \
	X(HARD, "hard", PHRASE_RATING_RECORDED_HARD)      \
	X(HURT, "hurt", PHRASE_RATING_RECORDED_HURT)

enum rating {
	RATING_NONE, /* not asked, not answered (NULL in the database) */
#define RATING_ENUM(id, ...) RATING_##id,
	RATINGS(RATING_ENUM)
#undef RATING_ENUM
	RATING_COUNT,
};

/* "easy", "hard", "hurt"; "" for RATING_NONE or out of range. */
const char *rating_name(enum rating r);

/* The rating named `name`; RATING_NONE for NULL, "" or an unknown word. */
enum rating rating_from_name(const char *name);

/* The confirmation phrase of a rating ("Recorded: easy."); PHRASE_COUNT
 * for RATING_NONE. */
enum phrase_id rating_phrase(enum rating r);

/* What a press was, as the question hears it. */
enum rating_press {
	RATING_PRESS_TAP,
	RATING_PRESS_DOUBLE,
	RATING_PRESS_HOLD,
};

/* counted from the start of the question, which takes about 4 s to say:
 * some 8 s of silence after it */
#define RATING_TIMEOUT_MS_DEFAULT 12000
#define RATING_SECOND_TAP_MS 600

enum rating_state {
	RATING_IDLE,     /* no question open (never asked, or over and taken) */
	RATING_WAITING,  /* asked; no press yet */
	RATING_ONE_TAP,  /* one tap: easy unless a second comes in time */
	RATING_DECIDED,  /* answered: rating_take() has it */
	RATING_SKIPPED,  /* silence until the timeout: rating_take() says so */
};

struct rating_question {
	enum rating_state state;
	int64_t asked_ms;      /* when the question was asked */
	int64_t tap_ms;        /* RATING_ONE_TAP: when the tap came */
	int64_t timeout_ms;    /* silence that skips the question, > 0 */
	enum rating answer;    /* RATING_DECIDED */
};

/* Opens the question at now_ms; silence for timeout_ms (<= 0: the
 * default) skips it. Any earlier question is forgotten. */
void rating_ask(struct rating_question *q, int64_t now_ms, int64_t timeout_ms);

/* Whether a question is open (asked, not yet over): presses belong to it. */
bool rating_is_open(const struct rating_question *q);

/* A press at now_ms. Ignored unless the question is open. Returns
 * whether it was taken. */
bool rating_press(struct rating_question *q, enum rating_press press, int64_t now_ms);

/* Moves time on to now_ms: a lone tap becomes easy once the window for a
 * second has passed; silence until asked_ms + timeout_ms skips. */
void rating_tick(struct rating_question *q, int64_t now_ms);

/* The next deadline (ms) of an open question, for a poll timeout; -1 when
 * none is open. */
int64_t rating_deadline(const struct rating_question *q);

/* Once the question is over: true, and *ret the answer (RATING_NONE when
 * skipped); the question goes back to idle. False while it is open or
 * idle. */
bool rating_take(struct rating_question *q, enum rating *ret);

#endif
