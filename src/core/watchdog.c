#include "core/watchdog.h"

void watchdog_init(struct watchdog *w, int64_t interval_ms, int64_t now_ms)
{
	w->interval_ms = interval_ms > 0 ? interval_ms : 0;
	w->last_ping_ms = now_ms;
	w->last_frames = -1;
}

bool watchdog_should_ping(struct watchdog *w, int64_t now_ms, frames_t frames, bool audio_expected)
{
	if (w->interval_ms == 0)
		return false;
	/* systemd's advice: ping at half the interval, so one late loop
	 * iteration does not cost a restart */
	if (now_ms - w->last_ping_ms < w->interval_ms / 2)
		return false;
	if (audio_expected && frames == w->last_frames)
		return false; /* the clock stands still: let the watchdog fire */
	w->last_ping_ms = now_ms;
	w->last_frames = frames;
	return true;
}
