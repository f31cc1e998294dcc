/* cue_store.h - every line of a plan, synthesized once and kept for the
 * session; the struct cue_source the sequencer and mixer read from.
 *
 * Lines are written by one thread (render loop or speech thread) and read
 * by the audio thread: a line's `ready` flag is published with release
 * order after its samples are complete, and read with acquire order. */
#ifndef REPCUE_SPEECH_CUE_STORE_H
#define REPCUE_SPEECH_CUE_STORE_H

#include <stdatomic.h>
#include <stdbool.h>

#include "core/cue.h"
#include "core/plan.h"
#include "speech/speech.h"

struct cue_store {
	const struct plan *plan;         /* borrowed */
	struct speech_line *lines;       /* owned, one per plan text */
	atomic_bool *ready;              /* owned */
	int n;
	int synthesized;                 /* lines made by eSpeak NG this run */
};

/* Returns 0 or -ENOMEM. Release with cue_store_finish(). */
int cue_store_init(struct cue_store *store, const struct plan *plan);
void cue_store_finish(struct cue_store *store);

/* Synthesizes line `text` if it is not ready yet. Returns 0 or -errno. */
int cue_store_make(struct cue_store *store, struct speech *sp, int text);

/* Synthesizes every line of the plan. Returns 0 or the first error. */
int cue_store_make_all(struct cue_store *store, struct speech *sp);

struct cue_source cue_store_source(struct cue_store *store);

#endif
