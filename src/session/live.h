/* live.h - a session played in real time: the engine in the output's
 * audio callback, a speech thread making lines ahead of need, and lock-free
 * queues between them and the control thread.
 *
 * Threads and what they own:
 *   control thread (the caller): opens, starts, polls, pushes controls,
 *       closes; prints the transcript it drains from the audio thread.
 *   audio thread (the output backend's callback): the engine and its
 *       sequencer; reads lines through the line store, never blocks.
 *   speech thread: eSpeak NG and the disk cache, through line_store_prefetch.
 */
#ifndef REPCUE_LIVE_H
#define REPCUE_LIVE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/control.h"
#include "output/output.h"
#include "session/session.h"

struct live_options {
	const struct output_ops *backend; /* NULL = the default (PortAudio) */
	struct output_config output;      /* device, latency, pacing... */
	struct session_options session;
	const struct control_event *presses; /* scripted, at exact frames */
	int n_presses;
	/* Called by live_poll, on the control thread, with every transcript
	 * entry (the history records from them); NULL = none. */
	void (*on_entry)(void *ctx, const struct seq_log_entry *e);
	void *entry_ctx;
};

/* What the control thread knows of the session, published after every
 * processing block. */
struct live_status {
	frames_t now;          /* session frame */
	int segment;           /* index into the plan, n_segments at the end */
	frames_t seg_offset;
	frames_t seg_left;     /* of a timed segment, with more-rest; >= 0 */
	bool paused;
	bool lobby;            /* waiting for the start button */
	bool speaking;         /* a line is sounding */
	bool finished;
	frames_t end_at;       /* frame of the end of the session, -1 before */
	/* frames of music the decoder had not made in time (silence in
	 * their place, the music later by as much); 0 without music */
	long long music_missing;
	struct output_health health;
};

struct live;

/* Loads the routine, opens the output and makes the first lines (from the
 * cache, or by synthesis). Returns 0 and *ret (release with live_close),
 * -ENODEV if there is no output device (message printed: the caller may
 * render instead), or another -errno with the problem printed to err. */
int live_open(struct live **ret, const char *routine_path, const struct live_options *opts,
	      FILE *err);

/* What kept live_open() from opening: errno values alone cannot say (-EIO
 * is a failed synthesis or a broken device, -EINVAL a bad routine or a
 * rate the device refuses), and the caller must tell a routine that
 * cannot be played (another may) from a sound device that cannot be used
 * (no other routine would do better). */
enum live_fault {
	LIVE_FAULT_NONE,
	LIVE_FAULT_ROUTINE, /* the routine, its voice or its speech */
	LIVE_FAULT_OUTPUT,  /* the sound device: none (-ENODEV), or it would not open */
	LIVE_FAULT_SYSTEM,  /* out of memory, no thread */
};

/* live_open(), and in *ret_fault what failed (LIVE_FAULT_NONE on success). */
int live_open_fault(struct live **ret, const char *routine_path, const struct live_options *opts,
		    FILE *err, enum live_fault *ret_fault);

/* Starts the sound. 0 or -errno (printed); a failure is always the
 * output's (LIVE_FAULT_OUTPUT). */
int live_start(struct live *live, FILE *err);

/* Queues a control; it takes effect at the next processing block.
 * Returns 0 or -ENOSPC. */
int live_push(struct live *live, enum control_action action);

/* Prints what the audio thread did since the last call, checks the
 * output (logs device loss and recovery once, and tells the session when
 * the device is back: it says "Resuming." and goes on, unless the user
 * has paused it, which only the user undoes) and fills *status. */
void live_poll(struct live *live, FILE *transcript, FILE *log, struct live_status *status);

/* The plan being played, for status lines. */
const struct session *live_session(const struct live *live);

/* Stops the sound and the speech thread; accepts NULL. */
/* Fades everything sounding out over SEQ_FADE_FRAMES (no click when the
 * person quits or the service is stopped mid-line) and waits until the
 * audio thread has pulled the fade and the device's latency after it, so
 * live_close() (which drops what the device holds) cuts only silence.
 * 0, or -ETIMEDOUT when the output pulled too little in that time plus
 * FADE_OUT_SLACK_MS (lost, or not started). */
#define FADE_OUT_SLACK_MS 200
int live_fade_out(struct live *live);

void live_close(struct live *live);

#endif
