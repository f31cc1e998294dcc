#include "core/watchdog.h"

void watchdog_init(struct watchdog *w, int64_t interval_ms, int64_t now_ms)
{
	w->interval_ms = interval_ms > 0 ? interval_ms : 0;
	w->last_ping_ms = now_ms;
	w->last_frames = -1;
	w->lost_since_ms = -1;
	w->last_round_ms = now_ms;
	w->round_gap_ms = 0;
	w->told_silence = false;
}

bool watchdog_should_ping(struct watchdog *w, int64_t now_ms, frames_t frames, enum watchdog_audio audio)
{
	w->round_gap_ms = now_ms - w->last_round_ms;
	w->last_round_ms = now_ms;
	if (audio != WATCHDOG_AUDIO_LOST)
		w->lost_since_ms = -1;
	else if (w->lost_since_ms < 0)
		w->lost_since_ms = now_ms;
	if (w->interval_ms == 0)
		return false;
	/* systemd's advice: ping at half the interval, so one late loop
	 * iteration does not cost a restart */
	if (now_ms - w->last_ping_ms < w->interval_ms / 2)
		return false;
	bool alive;
	switch (audio) {
	case WATCHDOG_AUDIO_NONE:
		alive = true;
		break;
	case WATCHDOG_AUDIO_LOST:
		alive = now_ms - w->lost_since_ms < WATCHDOG_LOST_GRACE_INTERVALS * w->interval_ms;
		break;
	default:
		alive = frames != w->last_frames; /* a standing clock: let it fire */
		break;
	}
	if (!alive)
		return false;
	w->last_ping_ms = now_ms;
	w->last_frames = frames;
	w->told_silence = false;
	return true;
}

enum watchdog_silence watchdog_silence(struct watchdog *w, int64_t now_ms)
{
	if (w->interval_ms == 0)
		return WATCHDOG_SILENCE_NONE;
	if (w->round_gap_ms >= w->interval_ms / 2)
		return WATCHDOG_SILENCE_LOOP;
	if (!w->told_silence && now_ms - w->last_ping_ms >= w->interval_ms * 3 / 4) {
		w->told_silence = true;
		return WATCHDOG_SILENCE_CLOCK;
	}
	return WATCHDOG_SILENCE_NONE;
}
