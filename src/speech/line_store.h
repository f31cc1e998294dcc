/* line_store.h - the session's spoken lines in memory, within a budget;
 * the struct line_source the sequencer and mixer read from.
 *
 * Lines come from the disk cache (line_cache.h) or from eSpeak NG, and are
 * kept as 16-bit samples. Memory stays under budget_bytes however long the
 * routine is: lines not needed soon are dropped and loaded again later.
 *
 * Two ways to run it:
 * - on demand (render): get() makes a missing line at once; one thread.
 * - ahead (live): the audio thread only reads (get() never blocks: -EAGAIN
 *   for a line that is not there yet); a speech thread calls
 *   line_store_prefetch() to make the lines of the next segments before
 *   they are due and to drop old ones. A dropped line is freed only after
 *   the audio thread has finished two more blocks without playing it
 *   (epoch-based reclamation), so the audio thread never reads freed memory.
 */
#ifndef REPCUE_SPEECH_LINE_STORE_H
#define REPCUE_SPEECH_LINE_STORE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/line.h"
#include "core/plan.h"
#include "speech/line_cache.h"
#include "speech/speech.h"

#define LINE_STORE_DEFAULT_BUDGET (8u << 20)
#define LINE_STORE_RECENT 24   /* on demand: lines recently handed out are kept */
#define LINE_STORE_RETIRED_MAX 64

struct line_store {
	const struct plan *plan;     /* borrowed */
	struct speech *speech;       /* borrowed */
	struct line_cache *disk;      /* borrowed; NULL = no disk cache */
	bool on_demand;
	size_t budget_bytes;
	int first_text;              /* said before the plan starts (the lobby line):
	                              * made first, always wanted; -1 = none */

	struct stored_line *lines;      /* owned; one per plan text */
	atomic_bool *ready;          /* owned; line published to the audio thread */
	bool *wanted;                /* owned; scratch for prefetch */
	bool *pinned;                /* owned; confirmations and "Repeating set N.":
	                              * live, room is kept for them and they are
	                              * never dropped */
	atomic_bool *failed;         /* owned; per text: the last try to make it
	                              * failed (speech thread writes, audio reads) */
	int *order;                  /* owned; scratch for prefetch: wanted lines, most urgent first */
	/* Live, bytes belongs to the speech thread: the audio thread (get,
	 * at) never reads or writes it. */
	size_t bytes;                /* samples held now */
	int recent[LINE_STORE_RECENT];
	int n_recent;

	/* Published by the audio thread after every block (release). */
	atomic_int now_segment;
	atomic_int now_playing;      /* text id, -1 when silent */
	atomic_uint epoch;

	struct { int text; unsigned epoch; } retired[LINE_STORE_RETIRED_MAX];
	int n_retired;

	/* What the audio side has said and is waiting for, so one segment
	 * whose lines exceed the budget still plays through (issue 11 item
	 * 4): lines of the current segment already said may be dropped
	 * before those still to come, and the line the sequencer is waiting
	 * for is made first, over the budget if nothing else can go. */
	atomic_uint *played;         /* owned; per text: epoch + 1 of the last
	                              * block it played in, 0 never (audio writes) */
	atomic_uint segment_epoch;   /* epoch at which now_segment was entered */
	int audio_segment;           /* audio thread only: segment of the last block */
	atomic_int missed;           /* a line get() could not give (-EAGAIN):
	                              * the sequencer waits for it; -1 none */
	int blocked_text;            /* speech thread: line prefetch could not
	                              * make for want of room, nothing being
	                              * freed; -1 none */

	/* Counters: written by the speech thread only, read by any thread
	 * (the summary, benches) while it runs, hence atomic. */
	atomic_int over_budget;      /* lines made beyond the budget because the
	                              * session needed them next */
	atomic_int synthesized;      /* lines made by eSpeak NG */
	atomic_int from_disk;        /* lines loaded from the disk cache */
	atomic_int dropped;          /* lines let go to stay in budget */
	atomic_size_t peak_bytes;    /* most samples held at once */
	atomic_int error;            /* last -errno making a line, 0 if none;
	                              * atomic: the speech thread sets it */
};

/* speech and disk (may be NULL) are borrowed and outlive the store.
 * Returns 0 or -ENOMEM. Release with line_store_finish(). */
int line_store_init(struct line_store *store, const struct plan *plan, struct speech *speech,
		   struct line_cache *disk, bool on_demand, size_t budget_bytes);
void line_store_finish(struct line_store *store);

/* Names the line the session says before the plan's first action (the
 * lobby line, with its notice and resume offer): prime makes it first,
 * and it is never dropped while the session lasts. */
void line_store_say_first(struct line_store *store, int text);

/* Makes line `text` now (disk cache, else eSpeak NG). 0 or -errno. */
int line_store_make(struct line_store *store, int text);

/* Live: makes the lines of the current and coming segments, within the
 * budget, and drops those no longer near. Returns the number of lines it
 * made (0 = nothing to do: sleep a little before calling again).
 *
 * The budget may slow the session, never stop it: lines are made most
 * urgent first (confirmations, the rest of the current segment, the
 * coming segments, then what `repeat` would say again); to make room it
 * drops lines nobody wants, then wanted lines less urgent than the one to
 * make. The line the session needs next is made even when the budget
 * cannot hold it with the line playing (one line longer than the budget,
 * or a budget filled by confirmations): memory then exceeds the budget by
 * that line (counted in over_budget). */
int line_store_prefetch(struct line_store *store);

/* Live, before the sound starts: makes the first line the session says
 * (from the disk cache, else eSpeak NG) and loads every other line
 * prefetch wants now that the disk cache has, synthesizing nothing else.
 * A warm start is then the same session, sample for sample, as its
 * offline render; a cold one starts after one line and the speech thread
 * makes the rest while it plays (the sequencer waits between lines if it
 * falls behind). Returns 0 or -errno. */
int line_store_prime(struct line_store *store);

/* Bytes the pinned lines (confirmations, every "Repeating set N.") take,
 * or are expected to take before they are made. */
size_t line_store_pinned_bytes(const struct line_store *store);

struct line_source line_store_source(struct line_store *store);

#endif
