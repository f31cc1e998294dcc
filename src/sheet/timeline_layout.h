/* timeline_layout.h - a rendered session drawn as it ran (issue 21 item
 * 2, `repcue render --timeline`), laid out as data like the sheet.
 *
 * The events the render's sequencer logged (struct seq_log_entry: the
 * same ones the transcript prints, so nothing is simulated again) go in;
 * one wide page of boxes and lines comes out, drawn by the sheet's
 * adapter (sheet_cairo.h): a time axis; the segments (exercise, set,
 * side, rest, speech, countdown) as boxes as long as they ran; every
 * spoken line as a mark coloured by its priority with as much of its
 * text as fits before the next line of its row (three rows take turns);
 * lines cut or stopped; waits for a line being made and lines dropped;
 * beeps; presses with their action; the end. Time runs left to right at
 * one scale, so a width is a duration.
 *
 * Pure: no I/O, no cairo; text measured through struct sheet_measure. */
#ifndef REPCUE_SHEET_TIMELINE_LAYOUT_H
#define REPCUE_SHEET_TIMELINE_LAYOUT_H

#include "core/plan.h"
#include "core/routine.h"
#include "core/sequencer.h"
#include "sheet/sheet_layout.h"

#define TIMELINE_PT_PER_S 12.0   /* the scale when the page may be as wide as it needs */
#define TIMELINE_PNG_MAX_W 16000.0 /* points: cairo's image limit at the adapter's 2x */
#define TIMELINE_SVG_MAX_W 400000.0

/* Where time is on the page: x = x0 + frames * pt_per_frame. */
struct timeline_scale {
	double x0;
	double pt_per_frame;
};

/* Lays out log[0..n) (in order, as the render took it; borrowed) of a
 * session of `end` frames, rendered from `plan` of `routine`, on one page
 * at most max_w points wide (the scale shrinks to fit). Returns 0 and
 * *ret_scale (may be NULL), or -ENOMEM / -EINVAL (n < 0, end < 0); the
 * caller owns *sheet and releases it with sheet_finish(). */
int timeline_layout(struct sheet *sheet, const struct plan *plan, const struct routine *routine,
		    const struct seq_log_entry *log, int n, frames_t end, double max_w,
		    const struct sheet_measure *measure, struct timeline_scale *ret_scale);

#endif
