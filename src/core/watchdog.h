/* watchdog.h - when to tell systemd "still alive" (WATCHDOG=1).
 *
 * The service's heartbeat is the audio sample clock, not the main loop: a
 * loop that spins while the sound device is wedged or the audio thread is
 * stuck must not keep the service alive. So a ping is sent only when the
 * frames the device pulled have changed since the last ping, unless no
 * sound is expected (waiting for a device, or one being recovered: the
 * main loop is then the thing doing the work). Pure: time comes in as an
 * argument, so tests walk it on a fake clock. */
#ifndef REPCUE_CORE_WATCHDOG_H
#define REPCUE_CORE_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/time.h"

struct watchdog {
	int64_t interval_ms;   /* systemd's WatchdogSec; 0 = no watchdog */
	int64_t last_ping_ms;  /* monotonic ms of the last ping */
	frames_t last_frames;  /* the sample clock at the last ping */
};

/* interval_ms 0 turns it off. now_ms: the caller's monotonic clock. */
void watchdog_init(struct watchdog *w, int64_t interval_ms, int64_t now_ms);

/* True when WATCHDOG=1 should be sent now: half an interval has passed
 * since the last ping, and either the sample clock (frames: the device's
 * frames pulled; it restarts from 0 with a new output, so any change
 * counts) has moved since the last ping, or audio_expected is false.
 * Records the ping when it returns true. */
bool watchdog_should_ping(struct watchdog *w, int64_t now_ms, frames_t frames, bool audio_expected);

#endif
