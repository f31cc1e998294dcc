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
	return (struct engine_levels){ .speech = speech * master, .beeps = beeps * master, .music = master };
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
	e->levels = (struct engine_levels){ 1.0f, 1.0f, 1.0f };
}

void engine_set_music(struct engine *e, const struct engine_music *music)
{
	e->music = *music;
	e->has_music = music->read != NULL;
	e->n_spans = 0;
	e->bed = 0.0f;
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

/* --- music under the coach --- */

static void add_span(struct engine *e, struct duck_span span, frames_t sound_at, bool beep)
{
	if (e->n_spans == ENGINE_SPANS_MAX)
		return; /* sixteen sounds within a release: this one ducks with them */
	e->spans[e->n_spans] = span;
	e->span_sound[e->n_spans] = sound_at;
	e->span_beep[e->n_spans] = beep;
	e->n_spans++;
}

static void foresee_sound(struct engine *e, frames_t at, bool beep)
{
	for (int i = 0; i < e->n_spans; i++)
		if (e->span_beep[i] == beep && e->span_sound[i] == at)
			return;
	float depth = beep ? e->music.beep_depth_db : e->music.depth_db;
	add_span(e, duck_span_foreseen(e->seq.now, at, e->music.attack, depth), at, beep);
}

/* Runs a copy of the sequencer ahead over the attack and one block, with
 * no presses and lines only peeked at, and gives every line and beep it
 * starts a span whose ramp ends on its first sample. The same plan, lines
 * and state always foresee the same: live and render duck alike. */
static void foresee(struct engine *e)
{
	struct sequencer *a = &e->ahead;
	frames_t now = e->seq.now;
	frames_t horizon = now + e->music.attack + ENGINE_BLOCK;

	if (!e->seq.lines.peek)
		return;
	memcpy(a, &e->seq, sizeof(*a));
	a->n_log = 0;
	a->n_controls = 0;
	a->lines.get = a->lines.peek;
	a->lines.at = NULL;
	/* Each pass reaches the next event: a line, a beep, a segment; a
	 * horizon of a quarter second holds far fewer than this. */
	for (int pass = 0; pass < 64 && a->now < horizon && !a->finished; pass++) {
		frames_t run = seq_prepare(a);
		if (run > horizon - a->now)
			run = horizon - a->now;
		seq_advance(a, run);
	}
	for (int i = 0; i < a->n_log; i++) {
		const struct seq_log_entry *l = &a->log[i];
		if (l->at > now && (l->kind == LOG_SAY || l->kind == LOG_BEEP))
			foresee_sound(e, l->at, l->kind == LOG_BEEP);
	}
}

/* At the start of each run (the sequencer's state holds through it): a
 * sound that sounds is covered by a span, one that stopped ends its spans,
 * spans done are dropped. */
static void track_sound(struct engine *e, bool beep, bool active)
{
	frames_t t = e->seq.now;
	bool covered = false;

	for (int i = 0; i < e->n_spans; i++) {
		struct duck_span *sp = &e->spans[i];
		if (e->span_beep[i] != beep || sp->end != DUCK_OPEN)
			continue;
		if (active)
			covered |= sp->ramp_from <= t;
		else if (sp->start <= t)
			sp->end = t;
	}
	if (active && !covered) {
		/* Not foreseen (a press's confirmation, a line made late):
		 * down at once, over the short ramp; with no ramp at all while
		 * the bed is silent (the first line of a session, "Resuming."),
		 * where a step cannot be heard. */
		float depth = beep ? e->music.beep_depth_db : e->music.depth_db;
		struct duck_span sp = duck_span_foreseen(t, t, 0, depth);
		if (e->bed <= 0.0f)
			sp.start = sp.ramp_from;
		add_span(e, sp, t, beep);
	}
}

static void track_spans(struct engine *e, bool beeping)
{
	track_sound(e, false, e->seq.voice.active);
	track_sound(e, true, beeping);
	int kept = 0;
	for (int i = 0; i < e->n_spans; i++) {
		if (duck_span_over(&e->spans[i], e->music.release, e->seq.now))
			continue;
		e->spans[kept] = e->spans[i];
		e->span_sound[kept] = e->span_sound[i];
		e->span_beep[kept] = e->span_beep[i];
		kept++;
	}
	e->n_spans = kept;
}

/* Whether the bed should be heard now: not in the lobby, not paused, not
 * over the closing words. */
static bool bed_wanted(const struct engine *e, bool *ending)
{
	const struct plan_segment *s = seq_segment(&e->seq);

	*ending = !s || s->unit == UNIT_END;
	return !e->seq.lobby && !e->seq.paused && !e->seq.finished && !*ending;
}

static void mix_music(struct engine *e, float *out, frames_t n)
{
	bool ending;
	bool wanted = bed_wanted(e, &ending);
	frames_t fade = ending ? e->music.end_fade : e->music.fade;
	float step = 1.0f / (float)(fade > 0 ? fade : 1);

	if (!wanted && e->bed <= 0.0f)
		return; /* silent: the music waits where it is */
	size_t got = e->music.read(e->music.ctx, e->music_block, (size_t)n);
	e->music_frames += (long long)got;
	if (got < (size_t)n) {
		e->music_missing += (long long)((size_t)n - got);
		memset(e->music_block + got, 0, ((size_t)n - got) * sizeof(float));
	}
	for (frames_t i = 0; i < n; i++) {
		if (wanted)
			e->bed = e->bed + step > 1.0f ? 1.0f : e->bed + step;
		else
			e->bed = e->bed - step < 0.0f ? 0.0f : e->bed - step;
		float db = duck_db(e->spans, e->n_spans, e->music.release, e->seq.now + i);
		/* The bed's own fade is a raised cosine too. */
		float bed = 0.5f - 0.5f * cosf((float)M_PI * e->bed);
		out[i] += e->music_block[i] * duck_gain_from_db(db) * bed * e->levels.music;
	}
}

static void mix_coach(struct engine *e, float *out, frames_t n)
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

static bool any_beep(const struct engine *e)
{
	for (int b = 0; b < SEQ_BEEPS_MAX; b++)
		if (e->seq.beeps[b].active)
			return true;
	return false;
}

static void mix(struct engine *e, float *out, frames_t n)
{
	mix_coach(e, out, n);
	if (!e->has_music)
		return;
	if (e->mute_coach)
		memset(out, 0, (size_t)n * sizeof(*out));
	track_spans(e, any_beep(e));
	mix_music(e, out, n);
}

void engine_render_block(struct engine *e, float *out)
{
	frames_t done = 0;

	seq_apply_controls(&e->seq);
	if (e->has_music)
		foresee(e);
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
