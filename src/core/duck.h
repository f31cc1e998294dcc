/* duck.h - how far music under the coach is turned down at a frame: a pure
 * function of when lines and beeps start and end.
 *
 * The plan and the sequencer know when the next line starts, so the music
 * is already at its ducked level on a line's first sample: it ramps down
 * over `attack` frames ending on that sample, stays down through the line
 * and comes back over `release` frames after its last one. A sound nobody
 * could foresee (the confirmation of a press) ramps down at once over a
 * short click-free ramp (DUCK_FAST_FRAMES, the sequencer's SEQ_FADE_FRAMES).
 *
 * Each sound is a span; the duck at a frame is the deepest any span asks
 * for. Every ramp is a raised cosine in dB, so the gain is continuous as
 * long as a span, once known, is never moved earlier nor withdrawn (the
 * engine never does either: a line that does not come when foreseen
 * simply ends its span where it would have started). No I/O, no clock
 * reads, no allocation. */
#ifndef REPCUE_CORE_DUCK_H
#define REPCUE_CORE_DUCK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/time.h"

/* A span's end while its sound is still going (or not started). */
#define DUCK_OPEN INT64_MAX
/* The ramp of an unforeseen sound: 5 ms, as every fade of the sequencer. */
#define DUCK_FAST_FRAMES ((frames_t)(SESSION_RATE_HZ * 5 / 1000))

struct duck_span {
	frames_t ramp_from;  /* session frame the ramp down begins */
	frames_t start;      /* first frame of the sound: fully down from here */
	frames_t end;        /* frame after its last one; DUCK_OPEN while unknown */
	float depth_db;      /* how far down, >= 0 */
};

struct duck_params {
	frames_t attack;     /* ramp down before a foreseen sound, frames */
	frames_t release;    /* ramp back up after a sound, frames */
};

/* dB (>= 0) the span asks the music down at frame t: 0 before ramp_from,
 * a raised cosine up to depth_db at start, depth_db until end, a raised
 * cosine back to 0 over `release` after it. */
float duck_span_db(const struct duck_span *span, frames_t release, frames_t t);

/* The deepest of n spans at frame t, in dB (>= 0). */
float duck_db(const struct duck_span *spans, int n, frames_t release, frames_t t);

/* 10^(-db/20). */
float duck_gain_from_db(float db);

/* The span of a sound foreseen at frame `known_at` to start at `start`:
 * its ramp ends on start and lasts `attack`, or begins at known_at if
 * that is later (never in the past: the gain cannot jump), and lasts at
 * least DUCK_FAST_FRAMES (then the sound's first frames are not quite
 * down yet, as for an unforeseen one). */
struct duck_span duck_span_foreseen(frames_t known_at, frames_t start, frames_t attack, float depth_db);

/* Whether the span no longer affects any frame at or after t. */
bool duck_span_over(const struct duck_span *span, frames_t release, frames_t t);

#endif
