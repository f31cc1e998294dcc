/* report_layout.h - the physiotherapist's report of the history, laid out
 * as data (issue 21 item 3): the same pages of boxes and single lines of
 * text as the routine's sheet (sheet_layout.h), drawn by the same adapter
 * (sheet_cairo.h).
 *
 * Sessions go in; one page (or more, when its rows do not fit) per period
 * of `weeks` weeks comes out, the newest period ending with the week of
 * `now_s`, the oldest holding the first session given (at most
 * REPORT_PERIODS_MAX periods, the newest). On each: the header (title,
 * the period's dates, when it was made, the target), the sessions per
 * week against the target, a calendar of the 12 weeks up to the period's
 * end (a mark on each day with a session: dark if one counts, light if
 * none does) and one row per routine and week (sessions, sets done of
 * planned, skipped, how many count, and an empty column for pain and
 * effort, which repcue does not record). The history keeps no sets per
 * exercise, so neither does the report; its legend says so.
 *
 * Pure: no I/O, no clock reads (now and the zone are arguments), text
 * measured through struct sheet_measure. Each session is placed in its
 * own local time (history_session.utc_offset_s), as `repcue history` does. */
#ifndef REPCUE_SHEET_REPORT_LAYOUT_H
#define REPCUE_SHEET_REPORT_LAYOUT_H

#include <stdint.h>

#include "history/history.h"
#include "sheet/sheet_layout.h"

#define REPORT_PERIODS_MAX 26
#define REPORT_CALENDAR_WEEKS 12

struct report_options {
	enum sheet_paper paper;
	int weeks;          /* a period, 1 or more */
	int target;         /* sessions per week the person aims at, 0 or more */
	int64_t now_s;      /* when the report is made, Unix seconds */
	long utc_offset_s;  /* of the local zone at now_s: the current week, the date printed */
};

/* Lays out the report of sessions[0..n) (oldest first, as history_each
 * gives them; borrowed) with `opts`, measuring with `measure`. Returns 0,
 * or -ENOMEM / -EINVAL (weeks < 1, target < 0); on success the caller owns
 * *sheet and releases it with sheet_finish(). */
int report_layout(struct sheet *sheet, const struct history_session *sessions, int n,
		  const struct report_options *opts, const struct sheet_measure *measure);

#endif
