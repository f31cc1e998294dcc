/* supervisor.h - the device-loss state machine of a live output, pure:
 * playing -> lost (why) -> reopen with backoff -> back, and the rate limit
 * on the "output lost / still unavailable / back" messages.
 *
 * Time comes in as an argument (ms on any monotonic clock) and decisions
 * go out as return values; it never reads a clock, logs or touches a
 * device, so unit tests walk hours of losses on a fake clock in
 * microseconds (tests/output/test_supervisor.c). A backend (portaudio.c)
 * keeps only the adapter calls: it reports what its stream does and does
 * what the supervisor decides (drop the stream, reopen, keep or close
 * what a reopen brought back).
 *
 * The caller owns the struct (no allocation) and calls it from one thread. */
#ifndef REPCUE_OUTPUT_SUPERVISOR_H
#define REPCUE_OUTPUT_SUPERVISOR_H

#include <stdbool.h>
#include <stdint.h>

#include "output/output.h"

/* Reopening backs off 1 s, 1 s, 2 s, 4 s, 4 s...: soon after a glitch,
 * then no more than one reopen (one device enumeration) every 4 s. */
#define SUPERVISOR_RETRY_MIN_MS 1000
#define SUPERVISOR_RETRY_MAX_MS 4000
/* A failing reopen is reported at most this often; changes of state
 * (lost, back) always are. */
#define SUPERVISOR_REPEAT_MSG_MS 10000

struct supervisor {
	enum output_state state;
	bool want_playing;        /* started and not stopped */
	int64_t stall_ms;         /* no heartbeat for longer = lost */
	frames_t last_frames;     /* heartbeat seen at last_advance_ms */
	int64_t last_advance_ms;
	int64_t lost_at_ms;
	int64_t next_retry_ms;
	unsigned retry_ms;        /* wait after the next failed reopen */
	unsigned losses, recoveries;
	/* messages: see struct output_health */
	unsigned message_seq;
	unsigned suppressed;      /* withheld before the current message */
	unsigned withheld;        /* withheld since the current message */
	int64_t last_msg_ms;
	char message[OUTPUT_MSG_MAX];
};

/* What the adapter sees of its stream, for supervisor_watch. */
struct supervisor_stream {
	bool finished;            /* the backend said the stream ended */
	bool active;              /* the backend says it is running */
	frames_t frames;          /* heartbeat: frames pulled so far */
};

/* What to do with a stream a reopen brought back. */
enum supervisor_verdict {
	SUPERVISOR_KEEP,          /* playing again: keep it */
	SUPERVISOR_CLOSE,         /* stopped meanwhile: close it */
	SUPERVISOR_NONE,          /* the reopen failed: nothing to keep */
};

/* Stopped, nothing said yet; a stall of more than stall_ms is a loss. */
void supervisor_init(struct supervisor *s, int64_t stall_ms);

/* The stream started playing at now_ms; its heartbeat reads frames. */
void supervisor_started(struct supervisor *s, int64_t now_ms, frames_t frames);

/* Start was asked for with no stream to start (lost, or stopped while
 * lost): lost from now (not counted as a new loss), reopen at once. */
void supervisor_start_without_stream(struct supervisor *s, int64_t now_ms);

/* Stopped: nothing plays and no reopen is wanted. */
void supervisor_stopped(struct supervisor *s);

/* The device is gone (why: a short reason): lost from now_ms, first
 * reopen in SUPERVISOR_RETRY_MIN_MS, the message said. The caller drops
 * its stream. device names it in the message. */
void supervisor_lost(struct supervisor *s, int64_t now_ms, const char *device, const char *why);

/* While playing, look at the stream: true when it is lost (ended, no
 * longer active, or its heartbeat stalled for more than stall_ms); then
 * supervisor_lost has been applied and the caller drops its stream. */
bool supervisor_watch(struct supervisor *s, int64_t now_ms, const struct supervisor_stream *st,
		      const char *device);

/* Whether to start a reopen now: lost, wanted, none in flight (busy),
 * and the backoff has run out. */
bool supervisor_should_reopen(const struct supervisor *s, int64_t now_ms, bool busy);

/* A reopen came back at now_ms with result 0 or -errno (why: its reason
 * on failure; device: the name of what it opened). */
enum supervisor_verdict supervisor_reopened(struct supervisor *s, int64_t now_ms, int result,
					    const char *device, const char *why);

/* A reopen did not come back within timeout_ms and was abandoned by the
 * adapter (api names the library, "PortAudio"). Next try after the
 * current backoff. */
void supervisor_reopen_hung(struct supervisor *s, int64_t now_ms, const char *api,
			    unsigned timeout_ms);

/* state, losses, recoveries, message_seq, suppressed and message of ret;
 * the other fields are the adapter's. */
void supervisor_report(const struct supervisor *s, struct output_health *ret);

#endif
