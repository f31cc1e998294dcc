#include "audio/engine.h"

#include <math.h>
#include <string.h>

struct engine_levels engine_levels(float volume_db, float beeps_db)
{
	float master = volume_db < 0.0f ? powf(10.0f, volume_db / 20.0f) : 1.0f;
	float beeps = powf(10.0f, beeps_db / 20.0f);
	float speech = 1.0f;

	if (ENGINE_SPEECH_PEAK + 2.0f * TONE_PEAK * beeps > ENGINE_MIX_PEAK)
		speech = (ENGINE_MIX_PEAK - 2.0f * TONE_PEAK * beeps) / ENGINE_SPEECH_PEAK;
	if (speech < 0.0f)
		speech = 0.0f;
	return (struct engine_levels){ .speech = speech * master, .beeps = beeps * master };
}

void engine_set_levels(struct engine *e, struct engine_levels levels)
{
	e->levels = levels;
}

void engine_init(struct engine *e, const struct plan *plan, struct line_source lines,
		 const struct tone_bank *tones)
{
	memset(e, 0, sizeof(*e));
	seq_init(&e->seq, plan, lines);
	e->tones = tones;
	e->duck = 1.0f;
	e->block_used = ENGINE_BLOCK;
	e->fade_pos = -1;
	e->levels = (struct engine_levels){ 1.0f, 1.0f };
}

void engine_fade_out(struct engine *e)
{
	if (e->fade_pos < 0)
		e->fade_pos = 0;
}

bool engine_finished(const struct engine *e)
{
	return e->seq.finished;
}

int engine_push_control(struct engine *e, enum control_action action)
{
	/* seq.now is always a block start: blocks are rendered whole. */
	return seq_push_control(&e->seq, (struct control_event){ .action = action, .at = e->seq.now });
}

static void mix(struct engine *e, float *out, frames_t n)
{
	const struct seq_voice *v = &e->seq.voice;
	const float duck_step = 1.0f / (float)frames_from_ms(ENGINE_DUCK_RAMP_MS);
	const float speech = e->levels.speech, beeps = e->levels.beeps;
	float target = v->active ? ENGINE_DUCK_GAIN : 1.0f;

	if (v->active) {
		for (frames_t i = 0; i < n; i++) {
			frames_t pos = v->pos + i;
			float g = pos < v->fade_from ? 1.0f : seq_fade_gain(pos, v->fade_from, v->end);
			out[i] = (float)v->samples[pos] * (g * speech / 32768.0f);
		}
	} else {
		memset(out, 0, (size_t)n * sizeof(*out));
	}

	bool beeping = false;
	for (int b = 0; b < SEQ_BEEPS_MAX; b++)
		beeping |= e->seq.beeps[b].active;
	if (!beeping || !e->beeping) {
		/* Nothing audible was ramping: take the new gain at once, so a
		 * beep that starts with a line is ducked from its first sample. */
		e->duck = target;
	}
	e->beeping = beeping;
	if (!beeping)
		return;
	for (frames_t i = 0; i < n; i++) {
		float sum = 0.0f;
		for (int b = 0; b < SEQ_BEEPS_MAX; b++) {
			const struct seq_beep *beep = &e->seq.beeps[b];
			frames_t pos = beep->pos + i;
			if (!beep->active)
				continue;
			float g = pos < beep->fade_from ? 1.0f : seq_fade_gain(pos, beep->fade_from, beep->end);
			sum += e->tones->samples[beep->tone][pos] * g;
		}
		if (e->duck < target)
			e->duck = e->duck + duck_step > target ? target : e->duck + duck_step;
		else if (e->duck > target)
			e->duck = e->duck - duck_step < target ? target : e->duck - duck_step;
		out[i] += sum * (e->duck * beeps);
	}
}

void engine_render_block(struct engine *e, float *out)
{
	frames_t done = 0;

	seq_apply_controls(&e->seq);
	while (done < ENGINE_BLOCK) {
		frames_t run = seq_prepare(&e->seq);
		if (run > ENGINE_BLOCK - done)
			run = ENGINE_BLOCK - done;
		mix(e, out + done, run);
		seq_advance(&e->seq, run);
		done += run;
	}
	if (e->fade_pos >= 0) {
		for (int i = 0; i < ENGINE_BLOCK; i++)
			out[i] *= seq_fade_gain(e->fade_pos + i, 0, SEQ_FADE_FRAMES);
		e->fade_pos += ENGINE_BLOCK;
	}
	if (e->seq.lines.at)
		e->seq.lines.at(e->seq.lines.ctx, e->seq.seg, e->seq.voice.active ? e->seq.voice.text : -1);
}

void engine_pull(struct engine *e, float *out, size_t frames)
{
	while (frames > 0) {
		if (e->block_used == ENGINE_BLOCK) {
			if (e->between_blocks)
				e->between_blocks(e->between_ctx);
			engine_render_block(e, e->block);
			e->block_used = 0;
		}
		size_t n = (size_t)(ENGINE_BLOCK - e->block_used);
		if (n > frames)
			n = frames;
		memcpy(out, e->block + e->block_used, n * sizeof(*out));
		e->block_used += (int)n;
		out += n;
		frames -= n;
	}
}
