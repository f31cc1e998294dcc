/* sequencer.h - runs a plan against the sample clock.
 *
 * Pure and deterministic: the caller tells it how many frames have passed
 * and feeds control events stamped with the session frame they take effect
 * at; the same plan, lines and events always give the same session, whether
 * rendered offline or played live. No I/O, no clock reads, no allocation.
 *
 * One voice plays at a time. When lines compete, enum speech_priority
 * decides: a higher priority cuts the current line at its next word
 * boundary; an equal or lower one waits until its deadline, then is
 * dropped (a late rep count is worse than none).
 *
 * A person's press is not a competing line: pause, next, done, repeat and
 * say-again take effect at the block boundary they arrive at. Whatever is
 * sounding (the line and the beeps) fades out over SEQ_FADE_FRAMES and
 * the confirmation starts on the next frame. A line a pause stopped is
 * said again from its start after "Resuming.".
 *
 * When the line due next is still being made (the source answers
 * -EAGAIN: a cold cache on a slow machine), the timeline waits between
 * lines, never in the middle of one, and logs LOG_WAIT once. The wait is
 * bounded: after SEQ_WAIT_MAX_FRAMES the line is dropped (LOG_DROP) and
 * the session goes on, so a line that never comes cannot stop it. A line
 * the source cannot give at all (any other error: its synthesis failed)
 * holds nothing: it waits in the queue until its deadline like any line
 * that cannot be said in time.
 */
#ifndef REPCUE_CORE_SEQUENCER_H
#define REPCUE_CORE_SEQUENCER_H

#include <stdbool.h>

#include "core/control.h"
#include "core/line.h"
#include "core/plan.h"

#define SEQ_PENDING_MAX 16
#define SEQ_BEEPS_MAX 4
#define SEQ_CONTROLS_MAX 32
#define SEQ_LOG_MAX 128
#define SEQ_MORE_REST_S 15
/* Every fade-out (a press, a cut at a word boundary): a raised-cosine ramp
 * of 5 ms. Short enough that a press is silent within one block (5.3 ms)
 * plus the fade, and the confirmation follows within ~25 ms even with the
 * 10 ms lead-in kept on each line; long enough to be click-free: the
 * largest sample step the ramp adds to a line of peak level A is
 * A * pi / (2 * 240), -44 dBFS for speech at SPEECH_PEAK 0.6, and its
 * spectrum stays below ~200 Hz (a 1 ms ramp splatters up to ~1 kHz,
 * audible as a tick on a 1 kHz beep). */
/* The longest the timeline waits for one line being made. The speech
 * thread makes the line waited for first, and one line takes a fraction
 * of a second of CPU even at a Pi Zero 2 W-class slowdown (bench/README.md,
 * "first speech"); ten seconds of silence means the speech thread is stuck
 * or failing, and going on without the line beats a session that never
 * moves. */
#define SEQ_WAIT_MAX_FRAMES ((frames_t)SESSION_RATE_HZ * 10)
#define SEQ_FADE_FRAMES ((frames_t)(SESSION_RATE_HZ * 5 / 1000))

enum seq_log_kind {
	LOG_SEGMENT,   /* arg: segment index */
	LOG_SAY,       /* arg: text id */
	LOG_CUT,       /* arg: text id cut short at a word boundary */
	LOG_STOP,      /* arg: text id faded out at once by a press */
	LOG_WAIT,      /* arg: text id due but not synthesized yet: the timeline waits */
	LOG_DROP,      /* arg: text id never said (came too late) */
	LOG_BEEP,      /* arg: enum tone */
	LOG_CONTROL,   /* arg: enum control_action; arg2: 0 ignored, 1 acted */
	LOG_END,
};

struct seq_log_entry {
	frames_t at;            /* session frame */
	enum seq_log_kind kind;
	int arg;
	int arg2;
};

struct seq_pending {
	int text;
	enum speech_priority prio;
	frames_t deadline;      /* session frame after which it is dropped */
};

struct seq_voice {
	bool active;
	int text;
	enum speech_priority prio;
	const int16_t *samples; /* borrowed from the line source */
	frames_t length;        /* full length of the line */
	frames_t pos;           /* next frame to play */
	frames_t end;           /* < length once cut at a word boundary */
	frames_t fade_from;     /* raised-cosine fade from here to end; == end: none */
	bool stopped;           /* faded out by a press */
};

struct seq_beep {
	bool active;
	enum tone tone;
	frames_t pos;
	frames_t end;           /* tone_length, or sooner once a press fades it out */
	frames_t fade_from;     /* as in seq_voice */
};

struct sequencer {
	const struct plan *plan;   /* borrowed; outlives the sequencer */
	struct line_source lines;
	frames_t now;              /* session frame: the one clock */
	int seg;                   /* current segment; == n_segments when done */
	frames_t seg_offset;       /* frames into it; frozen while paused */
	frames_t seg_extra;        /* extra rest granted by more-rest */
	frames_t voice_idle_at;    /* seg_offset when the voice last fell idle */
	int next_action;           /* absolute index into plan->actions */
	int announce_override;     /* text id said instead of the next unit's announcement, -1 none */
	bool paused;
	bool lobby;                /* waiting for the start button; nothing runs */
	int lobby_text;            /* said on entering the lobby and on repeat */
	bool hold_for_control;     /* timeline waits until a confirmation is said */
	bool finished;
	int last_form_text;        /* for say-again; -1 none */
	int resume_text;           /* line a pause stopped, said again on resume; -1 none */
	enum speech_priority resume_prio;
	int waiting_text;          /* due line being made; -1 none */
	frames_t waiting_since;    /* `now` when the wait for waiting_text began */
	struct seq_voice voice;
	struct seq_beep beeps[SEQ_BEEPS_MAX];
	struct seq_pending pending[SEQ_PENDING_MAX];
	int n_pending;
	struct control_event controls[SEQ_CONTROLS_MAX];
	int n_controls;
	struct seq_log_entry log[SEQ_LOG_MAX];
	int n_log;
	int log_dropped;
	/* What the session did, for the closing line said only if it counts
	 * (plan_session_counts): a set is done when its bouts were left
	 * without `next` pressed inside them; a repeat re-opens nothing. */
	unsigned short sets_done[ROUTINE_STEPS_MAX]; /* bit set-1 per step */
	int open_step, open_set;   /* the set whose bouts run; -1 none */
	bool open_skipped;         /* `next` acted inside it */
	int sets_planned;          /* plan_sets_from() the starting segment */
};

/* Sets done so far (each once, however often repeated). */
int seq_sets_done(const struct sequencer *seq);

/* A snapshot for status lines, taken between blocks. */
struct seq_status {
	frames_t now;          /* session frame: the frame of the next block */
	int pending_controls;  /* controls queued and not yet taken */
	bool speaking;         /* a line is sounding */
	int segment;           /* index into the plan; n_segments at the end */
	frames_t seg_offset;   /* frames into it */
	frames_t seg_left;     /* frames until a timed segment ends, counting rest
	                        * added by more-rest; >= 0; 0 for a speech segment */
	bool paused;
	bool lobby;
	bool finished;
};

/* Starts a session at frame 0 on `plan` (borrowed). */
void seq_init(struct sequencer *seq, const struct plan *plan, struct line_source lines);

/* Holds the session before its first segment until a start (or pause,
 * next, done) press, saying `text` now and again on repeat. */
void seq_wait_in_lobby(struct sequencer *seq, int text);

/* Places the session at the start of segment `segment` before anything has
 * run (after seq_init, before or after seq_wait_in_lobby): resuming an
 * interrupted session at the set where it stopped. Returns 0, or -EINVAL
 * if segment is not a segment of the plan or the session has started. */
int seq_start_at(struct sequencer *seq, int segment);

/* Queues a control event; it takes effect at the first call of
 * seq_apply_controls() at or after ev.at. Returns 0 or -ENOSPC. */
int seq_push_control(struct sequencer *seq, struct control_event ev);

/* Applies queued control events that are due. Callers do this only at
 * processing-block boundaries, so live and offline react on the same frame. */
void seq_apply_controls(struct sequencer *seq);

/* Handles everything due at seq->now and returns how many frames may pass
 * before anything else happens (>= 1). */
frames_t seq_prepare(struct sequencer *seq);

/* Lets `frames` pass (at most what seq_prepare returned). */
void seq_advance(struct sequencer *seq, frames_t frames);

/* The current segment, or NULL once the plan is through. */
const struct plan_segment *seq_segment(const struct sequencer *seq);

/* Fills *out from the session's state now. */
void seq_get_status(const struct sequencer *seq, struct seq_status *out);

/* Gain of a sound at frame `pos` that fades out from `fade_from` to
 * `end` (raised cosine); 1 before the fade. */
float seq_fade_gain(frames_t pos, frames_t fade_from, frames_t end);

/* Copies out and clears the log. Returns the number of entries. */
int seq_take_log(struct sequencer *seq, struct seq_log_entry *out, int max);

#endif
