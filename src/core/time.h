/* time.h - the session's one clock: the audio sample counter.
 * Every time in the core is a count of frames at SESSION_RATE_HZ. */
#ifndef REPCUE_CORE_TIME_H
#define REPCUE_CORE_TIME_H

#include <stdint.h>

#define SESSION_RATE_HZ 48000

typedef int64_t frames_t;

static inline frames_t frames_from_ms(int64_t ms)
{
	return ms * SESSION_RATE_HZ / 1000;
}

static inline frames_t frames_from_s(int64_t s)
{
	return s * SESSION_RATE_HZ;
}

#endif
