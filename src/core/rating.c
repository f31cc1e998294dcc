/* rating.c - see rating.h. */
#include "core/rating.h"

#include <string.h>

static const struct {
	const char *name;
	enum phrase_id phrase;
} ratings[RATING_COUNT] = {
	[RATING_NONE] = { "", PHRASE_COUNT },
#define RATING_ROW(id, name, phrase) [RATING_##id] = { name, phrase },
	RATINGS(RATING_ROW)
#undef RATING_ROW
};

const char *rating_name(enum rating r)
{
	return (unsigned)r < RATING_COUNT ? ratings[r].name : "";
}

enum rating rating_from_name(const char *name)
{
	if (!name || !name[0])
		return RATING_NONE;
	for (int r = RATING_NONE + 1; r < RATING_COUNT; r++)
		if (strcmp(name, ratings[r].name) == 0)
			return (enum rating)r;
	return RATING_NONE;
}

enum phrase_id rating_phrase(enum rating r)
{
	return (unsigned)r < RATING_COUNT ? ratings[r].phrase : PHRASE_COUNT;
}

void rating_ask(struct rating_question *q, int64_t now_ms, int64_t timeout_ms)
{
	*q = (struct rating_question){
		.state = RATING_WAITING,
		.asked_ms = now_ms,
		.timeout_ms = timeout_ms > 0 ? timeout_ms : RATING_TIMEOUT_MS_DEFAULT,
	};
}

bool rating_is_open(const struct rating_question *q)
{
	return q->state == RATING_WAITING || q->state == RATING_ONE_TAP;
}

static void decide(struct rating_question *q, enum rating r)
{
	q->state = RATING_DECIDED;
	q->answer = r;
}

bool rating_press(struct rating_question *q, enum rating_press press, int64_t now_ms)
{
	/* time first: a press after the timeout finds the question closed */
	rating_tick(q, now_ms);
	if (!rating_is_open(q))
		return false;
	if (press == RATING_PRESS_HOLD)
		decide(q, RATING_HURT);
	else if (press == RATING_PRESS_DOUBLE || q->state == RATING_ONE_TAP)
		decide(q, RATING_HARD);
	else {
		q->state = RATING_ONE_TAP;
		q->tap_ms = now_ms;
	}
	return true;
}

void rating_tick(struct rating_question *q, int64_t now_ms)
{
	if (q->state == RATING_ONE_TAP && now_ms - q->tap_ms >= RATING_SECOND_TAP_MS)
		decide(q, RATING_EASY);
	else if (q->state == RATING_WAITING && now_ms - q->asked_ms >= q->timeout_ms)
		q->state = RATING_SKIPPED;
}

int64_t rating_deadline(const struct rating_question *q)
{
	if (q->state == RATING_ONE_TAP)
		return q->tap_ms + RATING_SECOND_TAP_MS;
	if (q->state == RATING_WAITING)
		return q->asked_ms + q->timeout_ms;
	return -1;
}

bool rating_take(struct rating_question *q, enum rating *ret)
{
	if (q->state != RATING_DECIDED && q->state != RATING_SKIPPED)
		return false;
	*ret = q->state == RATING_DECIDED ? q->answer : RATING_NONE;
	q->state = RATING_IDLE;
	return true;
}
