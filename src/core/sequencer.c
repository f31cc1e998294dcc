#include "core/sequencer.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define FOREVER INT64_MAX
/* How long a line may wait for the voice before it is stale. */
#define LATE_COUNTDOWN_MS 250
#define LATE_TEMPO_MS 500
#define LATE_CHATTER_MS 4000
#define LATE_CONTROL_MS 3000
/* A line that is not synthesized yet is looked for again after this long. */
#define NOT_READY_RETRY 256

static void log_event(struct sequencer *seq, enum seq_log_kind kind, int arg, int arg2)
{
	if (seq->n_log == SEQ_LOG_MAX) {
		seq->log_dropped++;
		return;
	}
	seq->log[seq->n_log++] = (struct seq_log_entry){
		.at = seq->now, .kind = kind, .arg = arg, .arg2 = arg2,
	};
}

/* Entering segment `index` (n_segments: the end) closes the set whose
 * bouts were running unless it is another bout of that set (its other
 * side, or a repeat), and opens the set a bout starts. */
static void track_set(struct sequencer *seq, int index)
{
	const struct plan *p = seq->plan;
	const struct plan_segment *s = index < p->n_segments ? &p->segments[index] : NULL;
	bool bout = s && s->unit == UNIT_BOUT && s->step >= 0 && s->step < ROUTINE_STEPS_MAX &&
		    s->set >= 1 && s->set <= ROUTINE_SETS_MAX;
	bool same = bout && s->step == seq->open_step && s->set == seq->open_set;

	if (seq->open_step >= 0 && !same) {
		if (!seq->open_skipped)
			seq->sets_done[seq->open_step] |= (unsigned short)(1u << (seq->open_set - 1));
		seq->open_step = -1;
	}
	if (bout && !same && s->unit_start) {
		seq->open_step = s->step;
		seq->open_set = s->set;
		seq->open_skipped = false;
	}
}

int seq_sets_done(const struct sequencer *seq)
{
	int n = 0;

	for (int i = 0; i < ROUTINE_STEPS_MAX; i++)
		n += __builtin_popcount(seq->sets_done[i]);
	return n;
}

void seq_init(struct sequencer *seq, const struct plan *plan, struct line_source lines)
{
	memset(seq, 0, sizeof(*seq));
	seq->plan = plan;
	seq->lines = lines;
	seq->announce_override = -1;
	seq->last_form_text = -1;
	seq->resume_text = -1;
	seq->waiting_text = -1;
	seq->next_action = plan->n_segments > 0 ? plan->segments[0].first_action : 0;
	seq->open_step = -1;
	seq->sets_planned = plan_sets_from(plan, 0);
	track_set(seq, 0);
	log_event(seq, LOG_SEGMENT, 0, 0);
}

const struct plan_segment *seq_segment(const struct sequencer *seq)
{
	return seq->seg < seq->plan->n_segments ? &seq->plan->segments[seq->seg] : NULL;
}

static frames_t deadline_for(const struct sequencer *seq, enum speech_priority prio)
{
	switch (prio) {
	case PRIO_COUNTDOWN: return seq->now + frames_from_ms(LATE_COUNTDOWN_MS);
	case PRIO_TEMPO: return seq->now + frames_from_ms(LATE_TEMPO_MS);
	case PRIO_CHATTER: return seq->now + frames_from_ms(LATE_CHATTER_MS);
	case PRIO_CONTROL: return seq->now + frames_from_ms(LATE_CONTROL_MS);
	case PRIO_FORM: break;
	}
	return FOREVER; /* dropped when its segment ends */
}

static void remove_pending(struct sequencer *seq, int i)
{
	memmove(&seq->pending[i], &seq->pending[i + 1],
		(size_t)(seq->n_pending - i - 1) * sizeof(seq->pending[0]));
	seq->n_pending--;
}

static void enqueue_until(struct sequencer *seq, int text, enum speech_priority prio, frames_t deadline)
{
	if (seq->n_pending == SEQ_PENDING_MAX) {
		/* Make room by dropping the oldest line of the lowest priority. */
		int victim = 0;
		for (int i = 1; i < seq->n_pending; i++)
			if (seq->pending[i].prio < seq->pending[victim].prio)
				victim = i;
		if (seq->pending[victim].prio > prio) {
			log_event(seq, LOG_DROP, text, 0);
			return;
		}
		log_event(seq, LOG_DROP, seq->pending[victim].text, 0);
		remove_pending(seq, victim);
	}
	seq->pending[seq->n_pending++] = (struct seq_pending){
		.text = text, .prio = prio, .deadline = deadline,
	};
}

static void enqueue(struct sequencer *seq, int text, enum speech_priority prio)
{
	enqueue_until(seq, text, prio, deadline_for(seq, prio));
}

static bool pending_has(const struct sequencer *seq, int text)
{
	for (int i = 0; i < seq->n_pending; i++)
		if (seq->pending[i].text == text)
			return true;
	return false;
}

/* Drops every waiting line except confirmations: they belong to what was
 * happening, and the session has moved on. */
static void drop_stale_pending(struct sequencer *seq)
{
	for (int i = 0; i < seq->n_pending;) {
		if (seq->pending[i].prio == PRIO_CONTROL) {
			i++;
			continue;
		}
		log_event(seq, LOG_DROP, seq->pending[i].text, 0);
		remove_pending(seq, i);
	}
}

/* Ends the current line at its next word boundary (or lets it finish if
 * it is already in its last word): never mid-word. */
static void cut_voice(struct sequencer *seq)
{
	struct seq_voice *v = &seq->voice;
	struct line_audio audio;

	if (!v->active || v->end < v->length)
		return;
	if (seq->lines.get(seq->lines.ctx, v->text, &audio) != 0)
		return;
	for (int w = 0; w < audio.n_words; w++) {
		if (audio.word_starts[w] > v->pos && audio.word_starts[w] < v->end) {
			v->end = audio.word_starts[w];
			v->fade_from = v->end - SEQ_FADE_FRAMES > v->pos ? v->end - SEQ_FADE_FRAMES : v->pos;
			return;
		}
	}
}

/* A person pressed: whatever sounds fades out now, over SEQ_FADE_FRAMES
 * (or less if it ends sooner anyway). A sound already fading is left
 * alone: it ends within SEQ_FADE_FRAMES, and restarting its ramp would
 * step its level up. */
static void stop_sound(struct sequencer *seq)
{
	struct seq_voice *v = &seq->voice;

	if (v->active && v->pos < v->fade_from) {
		if (v->pos + SEQ_FADE_FRAMES < v->end)
			v->end = v->pos + SEQ_FADE_FRAMES;
		v->fade_from = v->pos;
		v->stopped = true;
	}
	for (int i = 0; i < SEQ_BEEPS_MAX; i++) {
		struct seq_beep *b = &seq->beeps[i];
		if (!b->active || b->pos >= b->fade_from)
			continue;
		if (b->pos + SEQ_FADE_FRAMES < b->end)
			b->end = b->pos + SEQ_FADE_FRAMES;
		b->fade_from = b->pos;
	}
}

float seq_fade_gain(frames_t pos, frames_t fade_from, frames_t end)
{
	if (pos < fade_from || end <= fade_from)
		return 1.0f;
	if (pos >= end)
		return 0.0f;
	double x = (double)(pos - fade_from) / (double)(end - fade_from);
	return (float)(0.5 * (1.0 + cos(M_PI * x)));
}

static void start_beep(struct sequencer *seq, enum tone tone)
{
	int slot = 0;

	for (int i = 0; i < SEQ_BEEPS_MAX; i++) {
		if (!seq->beeps[i].active) {
			slot = i;
			break;
		}
		if (seq->beeps[i].pos > seq->beeps[slot].pos)
			slot = i; /* all busy: replace the one nearest its end */
	}
	frames_t length = tone_length(tone);
	seq->beeps[slot] = (struct seq_beep){
		.active = true, .tone = tone, .pos = 0, .end = length, .fade_from = length,
	};
	log_event(seq, LOG_BEEP, (int)tone, 0);
}

static void enter_segment(struct sequencer *seq, int index)
{
	const struct plan *plan = seq->plan;

	drop_stale_pending(seq);
	track_set(seq, index);
	seq->seg = index;
	seq->seg_offset = 0;
	seq->seg_extra = 0;
	seq->voice_idle_at = 0;
	seq->resume_text = -1;
	if (index < plan->n_segments) {
		seq->next_action = plan->segments[index].first_action;
		log_event(seq, LOG_SEGMENT, index, 0);
	}
}

static void dispatch_actions(struct sequencer *seq)
{
	const struct plan_segment *s = &seq->plan->segments[seq->seg];
	int end = s->first_action + s->n_actions;
	/* After `repeat`, "Repeating set 2." stands in for "Set 2 of 3." */
	bool replace = s->unit_start && s->kind == SEG_SPEECH && seq->announce_override >= 0;

	if (replace) {
		enqueue(seq, seq->announce_override, PRIO_FORM);
		seq->announce_override = -1;
	}
	while (seq->next_action < end) {
		const struct plan_action *a = &seq->plan->actions[seq->next_action];
		if (a->at > seq->seg_offset)
			break;
		seq->next_action++;
		if (a->kind == ACTION_BEEP)
			start_beep(seq, (enum tone)a->arg);
		else if (!replace && (!a->if_counted ||
				      plan_session_counts(true, seq_sets_done(seq), seq->sets_planned)))
			enqueue(seq, a->arg, a->prio);
	}
}

static bool segment_done(const struct sequencer *seq)
{
	const struct plan_segment *s = &seq->plan->segments[seq->seg];

	if (seq->next_action < s->first_action + s->n_actions)
		return false;
	if (s->kind != SEG_SPEECH)
		return seq->seg_offset >= s->length + seq->seg_extra;
	return !seq->voice.active && seq->n_pending == 0 &&
	       seq->seg_offset >= seq->voice_idle_at + s->length;
}

static bool confirmation_busy(const struct sequencer *seq)
{
	if (seq->voice.active && seq->voice.prio == PRIO_CONTROL)
		return true;
	for (int i = 0; i < seq->n_pending; i++)
		if (seq->pending[i].prio == PRIO_CONTROL)
			return true;
	return false;
}

/* Starts the most urgent waiting line that is ready; drops stale ones. */
static void start_voice(struct sequencer *seq)
{
	for (;;) {
		int best = -1;
		for (int i = 0; i < seq->n_pending; i++) {
			if (seq->pending[i].deadline < seq->now) {
				log_event(seq, LOG_DROP, seq->pending[i].text, 0);
				remove_pending(seq, i);
				i--;
				continue;
			}
			if (best < 0 || seq->pending[i].prio > seq->pending[best].prio)
				best = i;
		}
		if (best < 0) {
			seq->waiting_text = -1;
			return;
		}
		struct line_audio audio;
		int r = seq->lines.get(seq->lines.ctx, seq->pending[best].text, &audio);
		if (r == -EAGAIN) {
			/* Being made: the timeline waits here, between lines,
			 * and looks again every NOT_READY_RETRY frames, for at
			 * most SEQ_WAIT_MAX_FRAMES (see sequencer.h). */
			if (seq->waiting_text != seq->pending[best].text) {
				log_event(seq, LOG_WAIT, seq->pending[best].text, 0);
				seq->waiting_text = seq->pending[best].text;
				seq->waiting_since = seq->now;
				return;
			}
			if (seq->now - seq->waiting_since < SEQ_WAIT_MAX_FRAMES)
				return;
			log_event(seq, LOG_DROP, seq->pending[best].text, 0);
			remove_pending(seq, best);
			seq->waiting_text = -1;
			continue;
		}
		if (r != 0) {
			/* The source cannot give it (it failed to make it): no
			 * wait; it stays queued until its deadline, as a line
			 * that cannot be said in time. */
			seq->waiting_text = -1;
			return;
		}
		seq->waiting_text = -1;
		struct seq_pending p = seq->pending[best];
		remove_pending(seq, best);
		if (audio.frames <= 0)
			continue;
		seq->voice = (struct seq_voice){
			.active = true, .text = p.text, .prio = p.prio,
			.samples = audio.samples, .length = audio.frames, .pos = 0, .end = audio.frames,
			.fade_from = audio.frames,
		};
		if (p.prio == PRIO_FORM)
			seq->last_form_text = p.text;
		log_event(seq, LOG_SAY, p.text, (int)p.prio);
		return;
	}
}

static void service_voice(struct sequencer *seq)
{
	struct seq_voice *v = &seq->voice;

	if (v->active && v->pos >= v->end) {
		v->active = false;
		if (v->stopped)
			log_event(seq, LOG_STOP, v->text, 0);
		else if (v->end < v->length)
			log_event(seq, LOG_CUT, v->text, 0);
		seq->voice_idle_at = seq->seg_offset;
	}
	if (!v->active) {
		start_voice(seq);
		return;
	}
	for (int i = 0; i < seq->n_pending; i++) {
		struct line_audio audio;
		if (seq->pending[i].prio > v->prio &&
		    seq->lines.get(seq->lines.ctx, seq->pending[i].text, &audio) == 0) {
			cut_voice(seq);
			break;
		}
	}
}

frames_t seq_prepare(struct sequencer *seq)
{
	const struct plan *plan = seq->plan;

	if (seq->finished)
		return FOREVER;
	/* Each pass can end a segment, start a line or lift a hold; a few
	 * passes settle everything due at this frame. Bounded: a segment
	 * always lasts at least one frame once entered, except empty speech
	 * segments, of which there are fewer than n_segments. */
	for (int pass = 0; pass < plan->n_segments + 8; pass++) {
		bool changed = false;

		service_voice(seq);
		if (seq->hold_for_control && !confirmation_busy(seq)) {
			seq->hold_for_control = false;
			changed = true;
		}
		if (!seq->paused && !seq->lobby && !seq->hold_for_control && seq->seg < plan->n_segments) {
			dispatch_actions(seq);
			service_voice(seq);
			if (segment_done(seq)) {
				enter_segment(seq, seq->seg + 1);
				changed = true;
			}
		}
		if (!changed)
			break;
	}
	for (int i = 0; i < SEQ_BEEPS_MAX; i++)
		if (seq->beeps[i].active && seq->beeps[i].pos >= seq->beeps[i].end)
			seq->beeps[i].active = false;

	bool beeping = false;
	frames_t next = FOREVER;
	for (int i = 0; i < SEQ_BEEPS_MAX; i++) {
		if (!seq->beeps[i].active)
			continue;
		beeping = true;
		frames_t left = seq->beeps[i].end - seq->beeps[i].pos;
		if (left < next)
			next = left;
	}
	if (seq->seg >= plan->n_segments) {
		if (!seq->voice.active && seq->n_pending == 0 && !beeping) {
			seq->finished = true;
			log_event(seq, LOG_END, 0, 0);
			return FOREVER;
		}
	} else if (!seq->paused && !seq->lobby && !seq->hold_for_control && seq->waiting_text < 0) {
		const struct plan_segment *s = &plan->segments[seq->seg];
		if (seq->next_action < s->first_action + s->n_actions) {
			frames_t d = plan->actions[seq->next_action].at - seq->seg_offset;
			if (d < next)
				next = d;
		}
		if (s->kind != SEG_SPEECH) {
			frames_t d = s->length + seq->seg_extra - seq->seg_offset;
			if (d < next)
				next = d;
		} else if (!seq->voice.active && seq->n_pending == 0) {
			frames_t d = seq->voice_idle_at + s->length - seq->seg_offset;
			if (d < next)
				next = d;
		}
	}
	if (seq->voice.active) {
		frames_t d = seq->voice.end - seq->voice.pos;
		if (d < next)
			next = d;
	} else if (seq->n_pending > 0 && NOT_READY_RETRY < next) {
		next = NOT_READY_RETRY;
	}
	return next < 1 ? 1 : next;
}

void seq_advance(struct sequencer *seq, frames_t frames)
{
	seq->now += frames;
	if (seq->waiting_text >= 0) {
		/* The timeline stands still while it waits for speech: so do
		 * the deadlines of the lines waiting with it. */
		for (int i = 0; i < seq->n_pending; i++)
			if (seq->pending[i].deadline != FOREVER)
				seq->pending[i].deadline += frames;
	} else if (!seq->paused && !seq->lobby && !seq->hold_for_control && !seq->finished) {
		seq->seg_offset += frames;
	}
	if (seq->voice.active)
		seq->voice.pos += frames;
	for (int i = 0; i < SEQ_BEEPS_MAX; i++)
		if (seq->beeps[i].active)
			seq->beeps[i].pos += frames;
}

int seq_push_control(struct sequencer *seq, struct control_event ev)
{
	if (seq->n_controls == SEQ_CONTROLS_MAX)
		return -ENOSPC;
	seq->controls[seq->n_controls++] = ev;
	return 0;
}

/* First segment of the unit after the current one. */
static int next_unit(const struct sequencer *seq)
{
	int i = seq->seg + 1;
	while (i < seq->plan->n_segments && !seq->plan->segments[i].unit_start)
		i++;
	return i;
}

static int unit_start_of(const struct sequencer *seq, int index)
{
	while (index > 0 && !seq->plan->segments[index].unit_start)
		index--;
	return index;
}

static void jump(struct sequencer *seq, int index, int confirmation)
{
	stop_sound(seq);
	seq->paused = false;
	enter_segment(seq, index);
	if (confirmation >= 0) {
		enqueue(seq, confirmation, PRIO_CONTROL);
		seq->hold_for_control = true;
	}
}

void seq_wait_in_lobby(struct sequencer *seq, int text)
{
	seq->lobby = true;
	seq->lobby_text = text;
	if (text >= 0)
		enqueue(seq, text, PRIO_CONTROL);
}

int seq_start_at(struct sequencer *seq, int segment)
{
	/* Only before the first frame: later, `next` and `repeat` move. */
	if (segment < 0 || segment >= seq->plan->n_segments || seq->now != 0)
		return -EINVAL;
	seq->sets_planned = plan_sets_from(seq->plan, segment);
	enter_segment(seq, segment);
	return 0;
}

static bool apply_in_lobby(struct sequencer *seq, enum control_action action)
{
	if (control_action_starts(action)) {  /* a column of the control table */
		stop_sound(seq);
		drop_stale_pending(seq);
		seq->n_pending = 0;
		seq->lobby = false;
		return true;
	}
	switch (action) {
	case CONTROL_REPEAT:
	case CONTROL_SAY_AGAIN:
		if (seq->lobby_text < 0)
			return false;
		stop_sound(seq);
		enqueue(seq, seq->lobby_text, PRIO_CONTROL);
		return true;
	default:
		return false;
	}
}

static bool apply(struct sequencer *seq, enum control_action action)
{
	const struct plan_segment *s = seq_segment(seq);

	if (!s)
		return false;
	if (action == CONTROL_PEDAL_GONE || action == CONTROL_PEDAL_BACK) {
		enqueue(seq, action == CONTROL_PEDAL_GONE ? TEXT_PEDAL_GONE : TEXT_PEDAL_BACK, PRIO_CONTROL);
		return true;
	}
	if (seq->lobby)
		return apply_in_lobby(seq, action);
	switch (action) {
	case CONTROL_START:
	case CONTROL_PAUSE:
		if (seq->paused) {
			seq->paused = false;
			seq->hold_for_control = true;
			stop_sound(seq); /* "Paused." if it is still being said */
			enqueue(seq, TEXT_RESUMING, PRIO_CONTROL);
			/* The stopped line again, from its start: half a sentence
			 * heard a minute ago means nothing, and eSpeak NG's word
			 * boundaries are too rough to restart mid-line cleanly. Its
			 * deadline counts from now, not from when it first came. */
			if (seq->resume_text >= 0)
				enqueue_until(seq, seq->resume_text, seq->resume_prio, FOREVER);
			seq->resume_text = -1;
		} else {
			seq->paused = true;
			if (seq->voice.active && seq->voice.prio != PRIO_CONTROL && !seq->voice.stopped) {
				seq->resume_text = seq->voice.text;
				seq->resume_prio = seq->voice.prio;
			}
			stop_sound(seq);
			drop_stale_pending(seq);
			enqueue(seq, TEXT_PAUSED, PRIO_CONTROL);
		}
		return true;
	case CONTROL_OUTPUT_BACK:
		/* The output stopped mid-line; pick up with a word of warning.
		 * Pausing is the user's alone: a session paused before or
		 * during the loss stays paused, silent, until they resume it. */
		cut_voice(seq);
		if (seq->paused)
			return true;
		seq->hold_for_control = true;
		if (!pending_has(seq, TEXT_RESUMING))  /* a resume press came first */
			enqueue(seq, TEXT_RESUMING, PRIO_CONTROL);
		return true;
	case CONTROL_NEXT:
	case CONTROL_DONE: {
		int target = next_unit(seq);
		/* `done` finishes an open set; `next` leaves one unfinished */
		if (action == CONTROL_NEXT && s->unit == UNIT_BOUT && target < seq->plan->n_segments)
			seq->open_skipped = true;
		int confirm = s->open_ended ? TEXT_DONE :
			      s->unit == UNIT_REST ? TEXT_SKIP_REST : TEXT_NEXT;
		if (target >= seq->plan->n_segments)
			return false;
		if (seq->plan->segments[target].unit == UNIT_END && !s->open_ended)
			confirm = TEXT_FINISHING;
		jump(seq, target, confirm);
		return true;
	}
	case CONTROL_REPEAT: {
		int start = unit_start_of(seq, seq->seg);
		if (s->unit != UNIT_BOUT) {
			/* From a rest or an intro, repeat the bout just finished. */
			int i = start - 1;
			while (i >= 0 && !(seq->plan->segments[i].unit == UNIT_BOUT &&
					   seq->plan->segments[i].unit_start))
				i--;
			if (i < 0)
				return false;
			start = i;
		}
		jump(seq, start, -1);
		seq->announce_override = seq->plan->segments[start].repeat_text;
		return true;
	}
	case CONTROL_SAY_AGAIN:
		if (seq->last_form_text < 0)
			return false;
		stop_sound(seq);
		enqueue(seq, seq->last_form_text, PRIO_CONTROL);
		return true;
	case CONTROL_MORE_REST:
		if (s->unit != UNIT_REST || seq->paused)
			return false;
		seq->seg_extra += frames_from_s(SEQ_MORE_REST_S);
		enqueue(seq, TEXT_MORE_REST, PRIO_CONTROL);
		return true;
	case CONTROL_NONE:
	case CONTROL_QUIT:
	case CONTROL_PEDAL_GONE:
	case CONTROL_PEDAL_BACK:
	case CONTROL_ACTION_COUNT:
		break;
	}
	return false;
}

void seq_apply_controls(struct sequencer *seq)
{
	int kept = 0;

	for (int i = 0; i < seq->n_controls; i++) {
		struct control_event ev = seq->controls[i];
		if (ev.at > seq->now) {
			seq->controls[kept++] = ev;
			continue;
		}
		bool acted = !seq->finished && apply(seq, ev.action);
		log_event(seq, LOG_CONTROL, (int)ev.action, acted);
	}
	seq->n_controls = kept;
}

int seq_take_log(struct sequencer *seq, struct seq_log_entry *out, int max)
{
	int n = seq->n_log < max ? seq->n_log : max;

	memcpy(out, seq->log, (size_t)n * sizeof(*out));
	memmove(seq->log, seq->log + n, (size_t)(seq->n_log - n) * sizeof(*out));
	seq->n_log -= n;
	return n;
}

void seq_get_status(const struct sequencer *seq, struct seq_status *out)
{
	const struct plan_segment *s = seq_segment(seq);
	frames_t left = 0;

	if (s && s->kind != SEG_SPEECH)
		left = s->length + seq->seg_extra - seq->seg_offset;
	*out = (struct seq_status){
		.now = seq->now,
		.pending_controls = seq->n_controls,
		.speaking = seq->voice.active,
		.segment = seq->seg,
		.seg_offset = seq->seg_offset,
		.seg_left = left > 0 ? left : 0,
		.paused = seq->paused,
		.lobby = seq->lobby,
		.finished = seq->finished,
	};
}
