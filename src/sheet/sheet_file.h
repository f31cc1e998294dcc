/* sheet_file.h - a routine's sheet and the physiotherapist's report
 * written to a file: laid out (sheet_layout.h, report_layout.h), drawn
 * (sheet_cairo.h) and written through util/out_file. What `repcue sheet`,
 * `repcue history --report` and the coach between sessions
 * (card_sheets.h) call. */
#ifndef REPCUE_SHEET_SHEET_FILE_H
#define REPCUE_SHEET_SHEET_FILE_H

#include <stddef.h>

#include "history/history.h"
#include "sheet/report_layout.h"
#include "sheet/sheet_cairo.h"
#include "sheet/timeline_layout.h"

/* Plans, lays out and writes the sheet of r (valid, borrowed) in `book`
 * (NULL: English) to path as format. 0 with the pages and the minutes in
 * *ret_pages and *ret_minutes (either may be NULL), or -errno with what
 * went wrong in msg (the caller names the file). */
int sheet_write_file(const struct routine *r, const struct phrasebook *book, enum sheet_paper paper,
		     const char *path, enum sheet_format format, int *ret_pages, int *ret_minutes, char *msg,
		     size_t msg_size);

/* Lays out the timeline of a render (timeline_layout.h: log[0..n) of a
 * session of `end` frames from plan and routine, all borrowed) and writes
 * it to path as format (SHEET_SVG or SHEET_PNG: one wide page). 0 with
 * the page's width in points in *ret_width (may be NULL), or -errno with
 * what went wrong in msg. */
int timeline_write_file(const struct plan *plan, const struct routine *routine, const struct seq_log_entry *log,
			int n, frames_t end, const char *path, enum sheet_format format, double *ret_width,
			char *msg, size_t msg_size);

/* The defaults of `repcue history --report` (no setting holds them yet). */
#define REPORT_DEFAULT_WEEKS 4
#define REPORT_DEFAULT_TARGET 3

/* Reads the sessions the report shows from h (borrowed), lays out the
 * report with opts and writes it to path as format. 0 with the pages and
 * the sessions in *ret_pages and *ret_sessions (either may be NULL), or
 * -errno with what went wrong (the file named) in msg. */
int report_write_file(struct history *h, const struct report_options *opts, const char *path,
		      enum sheet_format format, int *ret_pages, int *ret_sessions, char *msg, size_t msg_size);

/* Monday 00:00 of `week` (history_week()) in local time, as Unix seconds. */
int64_t report_local_monday(int64_t week);

#endif
