/* announcer.h - says single lines on demand, one after another with a
 * short gap: hw-test's voice ("next button, tap"). A session's lines go
 * through the engine and its plan; these belong to no plan.
 *
 * Threads: announcer_say() runs on one control thread, which makes each
 * distinct line once with eSpeak NG and keeps it until announcer_free();
 * announcer_pull() runs on the audio thread and takes queued lines through
 * a lock-free SPSC ring of pointers, so it never allocates, locks or frees. */
#ifndef REPCUE_SESSION_ANNOUNCER_H
#define REPCUE_SESSION_ANNOUNCER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/time.h"

#define ANNOUNCER_LINES_MAX 48        /* distinct lines kept made */
#define ANNOUNCER_QUEUE 8             /* lines waiting to be said; a power of 2 */
#define ANNOUNCER_GAP_FRAMES (SESSION_RATE_HZ / 8)  /* silence after each line */

struct announcer;
struct speech;
struct speech_line;

/* speech is borrowed and outlives the announcer. 0 or -ENOMEM. */
int announcer_new(struct announcer **ret, struct speech *speech);

/* Frees the lines: only once nothing calls announcer_pull() any more
 * (after the output is closed). Accepts NULL. */
void announcer_free(struct announcer *a);

/* Queues `text` (making it first if new). Returns 0; -ENOSPC when the
 * queue is full or ANNOUNCER_LINES_MAX distinct lines are kept (the line
 * is not said); -errno when eSpeak NG fails. */
int announcer_say(struct announcer *a, const char *text);

/* The line kept for `text`, NULL if it was never said (control thread;
 * what announcer_pull() plays for it, sample for sample). */
const struct speech_line *announcer_kept(const struct announcer *a, const char *text);

/* An output_pull_fn (ctx: the announcer): the queued lines in order, each
 * followed by ANNOUNCER_GAP_FRAMES of silence; silence when none is queued. */
void announcer_pull(void *ctx, float *out, size_t frames);

#endif
