/* history_logic.h - the pure part of the history: what a sequencer log
 * entry means for it, what to offer for resume, counts per week. No I/O,
 * no clock reads: wall time and the local UTC offset are arguments. */
#ifndef REPCUE_HISTORY_LOGIC_H
#define REPCUE_HISTORY_LOGIC_H

#include <stdio.h>

#include "core/plan.h"
#include "core/sequencer.h"
#include "history/history.h"

#define HISTORY_TRACK_MAX 6 /* records one log entry can give */

/* Turns the sequencer's log into history records. */
struct history_tracker {
	const struct plan *plan;               /* borrowed */
	const struct routine *routine;         /* borrowed: step names */
	struct history_session_info info;
	bool started;      /* false while waiting for the start button */
	bool ended;
	int resume_seg;    /* segment the session was placed at, -1 none */
	int seg;           /* current segment (n_segments at the end) */
	bool open;         /* a set is in progress */
	int open_step, open_set;
	bool skipping;     /* `next` acted inside the open set */
	/* each set once: bit set-1 per step */
	unsigned short done[ROUTINE_STEPS_MAX], skipped[ROUTINE_STEPS_MAX];
	struct history_counts counts;
	/* A segment entry waits for the next log entry: the sequencer logs
	 * the jump of a `next` before the press itself, and the press tells
	 * whether the set was skipped or completed. */
	bool has_held;
	struct seq_log_entry held;
};

/* sets_total in info is filled in here. With lobby false the session
 * counts as started now: the start record is returned through out
 * (returns the count); with lobby true, at the press that leaves it. */
int history_tracker_init(struct history_tracker *t, const struct plan *plan, const struct routine *routine,
			 const struct history_session_info *info, bool lobby, int resume_seg, int64_t wall_s,
			 struct history_event *out, int max);

/* Feeds one log entry; returns the number of records written to out
 * (at most HISTORY_TRACK_MAX). */
int history_track(struct history_tracker *t, const struct seq_log_entry *e, int64_t wall_s,
		  struct history_event *out, int max);

/* The session was stopped (quit, signal) at session frame `at`: the set in
 * progress stays open, so it is offered for resume. Returns the count. */
int history_track_stop(struct history_tracker *t, frames_t at, int64_t wall_s,
		       struct history_event *out, int max);

enum history_offer_kind {
	HISTORY_OFFER_NONE,     /* last session completed, or none */
	HISTORY_OFFER_RESUME,   /* carry on at segment */
	HISTORY_OFFER_CHANGED,  /* it stopped early, but the file changed since */
};

struct history_offer {
	enum history_offer_kind kind;
	int segment;            /* HISTORY_OFFER_RESUME: start of the set's first bout */
	int step, set;
	char step_name[ROUTINE_NAME_MAX];
};

/* What to offer given the last session of this routine (NULL: none), the
 * routine file's hash now and its plan. A set that was begun but not over
 * is resumed at its first bout; if it was over, the next set. */
void history_offer(const struct history_session *last, const char *hash_now, const struct plan *plan,
		   const struct routine *routine, struct history_offer *out);

/* The spoken/logged line for an offer, or "" for none, in the language of
 * `book` (NULL: English). */
void history_offer_line_in(const struct history_offer *offer, const struct phrasebook *book,
			   char *buf, size_t size);
void history_offer_line(const struct history_offer *offer, char *buf, size_t size);

/* Monday-based week number of a wall time in a zone `utc_offset_s` east
 * of UTC at that time; the start of that week as Unix seconds in a zone
 * that was `utc_offset_s` east then; its Monday as days since 1970-01-01
 * (a calendar date, whatever the zone). */
int64_t history_week(int64_t wall_s, long utc_offset_s);
int64_t history_week_start(int64_t week, long utc_offset_s);
int64_t history_week_monday(int64_t week);

/* Whether a recorded session counts for adherence: plan_session_counts()
 * of its outcome and sets (an older record without sets_planned: the
 * routine's sets). */
bool history_session_counts(const struct history_session *s);

/* Sessions that count (history_session_counts) in the week of now_s, each
 * in its own local time, among sessions[0..n). */
int history_completed_this_week(const struct history_session *sessions, int n, int64_t now_s,
				long utc_offset_s);

/* "That's your third session this week." for count >= 1, in the language
 * of `book` (NULL: English). */
void history_adherence_line_in(int count, const struct phrasebook *book, char *buf, size_t size);
void history_adherence_line(int count, char *buf, size_t size);

/* The sets a session planned: from where it started (an older record
 * without that: the routine's). */
int history_sets_planned(const struct history_session *s);

/* "YYYY-MM-DD HH:MM" of the session's start in its own local time. */
void history_local_date(const struct history_session *s, char *buf, size_t size);

/* "band rows, set 2 of 3" or "completed" for the table and the CSV. */
void history_progress(const struct history_session *s, char *buf, size_t size);

/* The CSV header and one row (RFC 4180 quoting). */
void history_csv_header(FILE *out);
/* The date is the session's own local time (utc_offset_s). */
void history_csv_row(FILE *out, const struct history_session *s);

#endif
