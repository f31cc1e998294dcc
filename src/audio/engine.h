/* engine.h - sequencer + mixer: the one place session audio is made, for
 * offline rendering and live playback alike.
 *
 * It works in fixed blocks of ENGINE_BLOCK frames and applies control
 * events only at block starts, so a press reaches the output within one
 * block and a live session and its offline render are the same samples
 * whatever buffer size the sound card asks for. engine_pull() and
 * engine_render_block() never allocate, lock or do I/O.
 */
#ifndef REPCUE_AUDIO_ENGINE_H
#define REPCUE_AUDIO_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "audio/tone.h"
#include "core/sequencer.h"

#define ENGINE_BLOCK 256
/* Beeps under speech drop to this gain (about -10 dB), over DUCK_RAMP_MS. */
#define ENGINE_DUCK_GAIN 0.3f
#define ENGINE_DUCK_RAMP_MS 15
/* A line cut at a word boundary, and everything sounding when a person
 * presses, fades out over SEQ_FADE_FRAMES (core/sequencer.h). */

/* The loudest speech sample (SPEECH_PEAK of speech/speech.h, which the
 * render tests check equal) and the loudest mix: the voice and two
 * overlapping beeps, 0.6 + 2 * 0.18 = 0.96, below 1.0. */
#define ENGINE_SPEECH_PEAK 0.6f
#define ENGINE_MIX_PEAK (ENGINE_SPEECH_PEAK + 2.0f * TONE_PEAK)

/* Linear gains of the voice and the beeps, after the master volume. */
struct engine_levels {
	float speech, beeps;
};

/* The gains for a master volume and a beep level, in dB (the device
 * config's 'volume' and 'beeps'; 0 and 0 = as made: exactly 1 and 1).
 * The volume is at most 0 dB (more is taken as 0 dB): a gain here can
 * only turn the mix down, so it stays clip-free at any setting. Beeps
 * above 0 dB turn the voice down instead, so that the voice and two beeps
 * still peak at ENGINE_MIX_PEAK. Pure: the offline render and the live
 * session call it with the same settings and get the same samples. */
struct engine_levels engine_levels(float volume_db, float beeps_db);

struct engine {
	struct sequencer seq;
	const struct tone_bank *tones;  /* borrowed */
	float duck;                     /* current beep gain */
	bool beeping;                   /* a beep sounded in the last run mixed */
	float block[ENGINE_BLOCK];      /* for engine_pull: rendered, not yet taken */
	int block_used;                 /* frames of block already handed out */
	/* Optional, for engine_pull: called before each block is rendered,
	 * in the thread that pulls (live: hand over controls and the log). */
	void (*between_blocks)(void *ctx);
	void *between_ctx;
	/* engine_levels(): 1 and 1 unless set (engine_set_levels) */
	struct engine_levels levels;
	/* Fading the whole output out (quit, stop): frames rendered since
	 * engine_fade_out(); -1 while not fading. */
	frames_t fade_pos;
};

/* plan, the lines' owner and tones are borrowed and outlive the engine. */
void engine_init(struct engine *e, const struct plan *plan, struct line_source lines,
		 const struct tone_bank *tones);

/* Sets the gains (engine_levels()) from the next block on. */
void engine_set_levels(struct engine *e, struct engine_levels levels);

/* Renders the next ENGINE_BLOCK frames of the session into out. */
void engine_render_block(struct engine *e, float *out);

/* Renders any number of frames, block by block (for audio callbacks). */
void engine_pull(struct engine *e, float *out, size_t frames);

/* True once the plan is through and the last sound has ended. */
bool engine_finished(const struct engine *e);

/* Fades everything out over SEQ_FADE_FRAMES from the next block on, then
 * renders silence: how a session that is quit or stopped ends without a
 * click. The sequencer goes on underneath, unheard. */
void engine_fade_out(struct engine *e);

/* Queues a control that takes effect at the start of the next block
 * rendered. Returns 0 or -ENOSPC. */
int engine_push_control(struct engine *e, enum control_action action);

#endif
