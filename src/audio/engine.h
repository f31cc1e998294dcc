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
#include "core/duck.h"
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
	float music;   /* the master volume alone: the bed follows it too */
};

/* The gains for a master volume and a beep level, in dB (the device
 * config's 'volume' and 'beeps'; 0 and 0 = as made: exactly 1 and 1).
 * The volume is at most 0 dB (more is taken as 0 dB): a gain here can
 * only turn the mix down, so it stays clip-free at any setting. Beeps
 * above 0 dB turn the voice down instead, so that the voice and two beeps
 * still peak at ENGINE_MIX_PEAK. Pure: the offline render and the live
 * session call it with the same settings and get the same samples. */
struct engine_levels engine_levels(float volume_db, float beeps_db);

/* Music under the coach (optional; engine_set_music). The engine takes
 * the bed at the level it should have undisturbed and turns it down under
 * every line and beep (core/duck.h), fades it out while the session is
 * paused, waits in the lobby or says its closing words, and takes no
 * music while it is silent, so the music pauses with the session. */
struct engine_music {
	/* Up to n frames of the bed into out; returns how many it gave (the
	 * rest is silence: nothing ready). Runs in the audio callback: must
	 * not block, allocate, lock or do I/O. */
	size_t (*read)(void *ctx, float *out, size_t n);
	void *ctx;
	float depth_db;        /* down under a line, dB */
	float beep_depth_db;   /* down under a beep, dB (beeps duck it less) */
	frames_t attack;       /* ramp before a foreseen line, frames */
	frames_t release;      /* ramp back after one, frames */
	frames_t fade;         /* in and out with pause and lobby, frames */
	frames_t end_fade;     /* out over the closing words, frames */
};

#define ENGINE_SPANS_MAX 16

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
	/* Music (has_music): the bed, how far down it is and why. */
	bool has_music;
	bool mute_coach;                /* music alone (render --music-only) */
	struct engine_music music;
	struct duck_span spans[ENGINE_SPANS_MAX];
	frames_t span_sound[ENGINE_SPANS_MAX]; /* start foreseen of each span's sound */
	bool span_beep[ENGINE_SPANS_MAX];      /* a beep's span, else a line's */
	int n_spans;
	float bed;                      /* 0..1: pause, lobby and end fades */
	long long music_frames;         /* frames of music taken from read() */
	long long music_missing;        /* frames read() could not give */
	float music_block[ENGINE_BLOCK];
	struct sequencer ahead;         /* the sequencer run ahead to foresee lines */
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

/* Plays music under the session from now on (*music copied). */
void engine_set_music(struct engine *e, const struct engine_music *music);

/* Queues a control that takes effect at the start of the next block
 * rendered. Returns 0 or -ENOSPC. */
int engine_push_control(struct engine *e, enum control_action action);

#endif
