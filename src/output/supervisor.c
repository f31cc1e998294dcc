/* supervisor.c - the device-loss state machine (supervisor.h). Pure: no
 * clock, no I/O; snprintf only formats into the struct. */
#include "output/supervisor.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void supervisor_init(struct supervisor *s, int64_t stall_ms)
{
	memset(s, 0, sizeof(*s));
	s->state = OUTPUT_STOPPED;
	s->stall_ms = stall_ms;
	s->retry_ms = SUPERVISOR_RETRY_MIN_MS;
}

/* A message for the caller to log: a transition always, a repeated
 * failure at most every SUPERVISOR_REPEAT_MSG_MS. */
static void say(struct supervisor *s, int64_t now_ms, bool transition, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void say(struct supervisor *s, int64_t now_ms, bool transition, const char *fmt, ...)
{
	va_list ap;

	if (!transition && s->message_seq > 0 && now_ms - s->last_msg_ms < SUPERVISOR_REPEAT_MSG_MS) {
		s->withheld++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(s->message, sizeof(s->message), fmt, ap);
	va_end(ap);
	s->message_seq++;
	s->suppressed = s->withheld;
	s->withheld = 0;
	s->last_msg_ms = now_ms;
}

void supervisor_started(struct supervisor *s, int64_t now_ms, frames_t frames)
{
	s->want_playing = true;
	s->state = OUTPUT_PLAYING;
	s->last_frames = frames;
	s->last_advance_ms = now_ms;
}

void supervisor_start_without_stream(struct supervisor *s, int64_t now_ms)
{
	s->want_playing = true;
	if (s->state != OUTPUT_LOST)
		s->lost_at_ms = now_ms;
	s->state = OUTPUT_LOST;
	s->next_retry_ms = now_ms;
}

void supervisor_stopped(struct supervisor *s)
{
	s->want_playing = false;
	s->state = OUTPUT_STOPPED;
}

void supervisor_lost(struct supervisor *s, int64_t now_ms, const char *device, const char *why)
{
	s->state = OUTPUT_LOST;
	s->losses++;
	s->lost_at_ms = now_ms;
	s->retry_ms = SUPERVISOR_RETRY_MIN_MS;
	s->next_retry_ms = now_ms + SUPERVISOR_RETRY_MIN_MS;
	say(s, now_ms, true, "audio output '%s' lost (%s); retrying every %d s", device, why,
	    SUPERVISOR_RETRY_MIN_MS / 1000);
}

bool supervisor_watch(struct supervisor *s, int64_t now_ms, const struct supervisor_stream *st,
		      const char *device)
{
	char why[64];

	if (s->state != OUTPUT_PLAYING)
		return false;
	if (st->finished) {
		supervisor_lost(s, now_ms, device, "stream ended");
		return true;
	}
	if (!st->active) {
		supervisor_lost(s, now_ms, device, "stream no longer active");
		return true;
	}
	if (st->frames != s->last_frames) {
		s->last_frames = st->frames;
		s->last_advance_ms = now_ms;
		return false;
	}
	if (now_ms - s->last_advance_ms > s->stall_ms) {
		snprintf(why, sizeof(why), "no audio pulled for %lld ms",
			 (long long)(now_ms - s->last_advance_ms));
		supervisor_lost(s, now_ms, device, why);
		return true;
	}
	return false;
}

bool supervisor_should_reopen(const struct supervisor *s, int64_t now_ms, bool busy)
{
	return s->state == OUTPUT_LOST && s->want_playing && !busy && now_ms >= s->next_retry_ms;
}

enum supervisor_verdict supervisor_reopened(struct supervisor *s, int64_t now_ms, int result,
					    const char *device, const char *why)
{
	if (result == 0 && s->want_playing) {
		s->state = OUTPUT_PLAYING;
		s->recoveries++;
		/* a new stream: its heartbeat starts from 0 */
		s->last_frames = 0;
		s->last_advance_ms = now_ms;
		say(s, now_ms, true, "audio output '%s' back after %.1f s", device,
		    (double)(now_ms - s->lost_at_ms) / 1000.0);
		return SUPERVISOR_KEEP;
	}
	if (result == 0)
		return SUPERVISOR_CLOSE;
	s->next_retry_ms = now_ms + s->retry_ms;
	if (s->retry_ms < SUPERVISOR_RETRY_MAX_MS)
		s->retry_ms *= 2;
	say(s, now_ms, false, "audio output still unavailable (%s); retrying", why);
	return SUPERVISOR_NONE;
}

void supervisor_reopen_hung(struct supervisor *s, int64_t now_ms, const char *api,
			    unsigned timeout_ms)
{
	s->next_retry_ms = now_ms + s->retry_ms;
	say(s, now_ms, false, "audio output: %s did not answer in %u ms; leaking that stream", api,
	    timeout_ms);
}

void supervisor_report(const struct supervisor *s, struct output_health *ret)
{
	ret->state = s->state;
	ret->losses = s->losses;
	ret->recoveries = s->recoveries;
	ret->message_seq = s->message_seq;
	ret->suppressed = s->suppressed;
	memcpy(ret->message, s->message, sizeof(ret->message));
}
