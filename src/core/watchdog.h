/* watchdog.h - when to tell systemd "still alive" (WATCHDOG=1).
 *
 * The service's heartbeat is the audio sample clock, not the main loop: a
 * loop that spins while the sound device is wedged or the audio thread is
 * stuck must not keep the service alive. So a ping is sent only when the
 * frames the device pulled have changed since the last ping. Two states
 * have no clock to watch, and there the main loop's own progress counts:
 * no device yet (waiting for one), and a device the output reports lost
 * (the loop reopens it) - the latter only for a grace of a few intervals:
 * a device lost for longer is treated as wedged, and the restart that
 * follows waits for a device from scratch. Pure: time comes in as an
 * argument, so tests walk it on a fake clock. */
#ifndef REPCUE_CORE_WATCHDOG_H
#define REPCUE_CORE_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/time.h"

/* A device lost for longer than this many watchdog intervals stops the pings. */
#define WATCHDOG_LOST_GRACE_INTERVALS 3

enum watchdog_audio {
	WATCHDOG_AUDIO_PLAYING,  /* a device is open: its sample clock must move */
	WATCHDOG_AUDIO_LOST,     /* the output lost it and is reopening it */
	WATCHDOG_AUDIO_NONE,     /* no device yet: waiting for one */
};

struct watchdog {
	int64_t interval_ms;   /* systemd's WatchdogSec; 0 = no watchdog */
	int64_t last_ping_ms;  /* monotonic ms of the last ping */
	frames_t last_frames;  /* the sample clock at the last ping */
	int64_t lost_since_ms; /* when the device was found lost; -1 = not lost */
	int64_t last_round_ms; /* when the loop last asked (watchdog_should_ping) */
	int64_t round_gap_ms;  /* how long before that the round before it asked */
	bool told_silence;     /* watchdog_silence said CLOCK since the last ping */
};

/* Why systemd may be about to restart the service, for the journal: the
 * kill (SIGABRT) leaves no message of the process's own, so the coach says
 * what it saw first. */
enum watchdog_silence {
	WATCHDOG_SILENCE_NONE,
	WATCHDOG_SILENCE_LOOP,  /* this round came half an interval or more after
				 * the one before: the loop was busy elsewhere */
	WATCHDOG_SILENCE_CLOCK, /* three quarters of an interval without a ping
				 * because the sample clock stands still */
};

/* interval_ms 0 turns it off. now_ms: the caller's monotonic clock. */
void watchdog_init(struct watchdog *w, int64_t interval_ms, int64_t now_ms);

/* True when WATCHDOG=1 should be sent now: half an interval has passed
 * since the last ping, and the sample clock (frames: the device's frames
 * pulled; it restarts from 0 with a new output, so any change counts) has
 * moved since the last ping - or there is no clock to watch (see above).
 * Records the ping when it returns true. */
bool watchdog_should_ping(struct watchdog *w, int64_t now_ms, frames_t frames, enum watchdog_audio audio);

/* Asked after watchdog_should_ping in the same round: LOOP for a round
 * that came late (each time), CLOCK once per silence of the sample clock
 * (again only after a ping), NONE otherwise and with the watchdog off.
 * w->round_gap_ms and now_ms - w->last_ping_ms give the figures. */
enum watchdog_silence watchdog_silence(struct watchdog *w, int64_t now_ms);

#endif
