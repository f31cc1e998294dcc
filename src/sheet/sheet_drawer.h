/* sheet_drawer.h - one low-priority thread that draws the card's files
 * (card_sheets.h) off play's main loop, so a press in the lobby is obeyed
 * at once even while the sheets of 64 routines are being made: drawing
 * one sheet with cairo and pango takes 50-130 ms on an x86 VM and several
 * times that on a Pi Zero 2 W, and the main loop reads the buttons. (The
 * drawing itself is a child process the thread waits for: card_sheets.c.)
 *
 * A job queue and a result queue under one mutex and two condition
 * variables (not the audio callback's rules: nothing here is on the audio
 * path). The main loop posts jobs and takes results without waiting for
 * a drawing: the thread holds the mutex only to move a job or a result,
 * never while it draws. The thread starts a job only while the main loop
 * allows it (the lobby waits and is silent); a job in hand is finished.
 * The thread runs at the lowest priority (nice 19): the audio callback's
 * thread is real-time and is never kept waiting by it in any case. */
#ifndef REPCUE_SHEET_SHEET_DRAWER_H
#define REPCUE_SHEET_SHEET_DRAWER_H

#include <stdbool.h>
#include <stddef.h>

#include "routine/routine_dir.h"
#include "sheet/report_layout.h"

struct history;

#define SHEET_DRAWER_JOBS_MAX (ROUTINE_LIST_MAX + 8)  /* a pass over the list and more */
#define SHEET_DRAWER_RESULTS_MAX 16                   /* the thread waits when they are not taken */
#define SHEET_DRAWER_NAME_SIZE 80                     /* card_sheets.h's CARD_SHEET_NAME_MAX + 16 */

/* What to do; what the work function makes of it is its own. */
enum sheet_drawer_job_kind {
	SHEET_DRAWER_BEGIN,   /* a pass over the routine list begins */
	SHEET_DRAWER_SHEET,   /* the sheet of path, as name */
	SHEET_DRAWER_SWEEP,   /* the pass is over: remove what it did not offer */
	SHEET_DRAWER_REPORT,  /* the report, with report */
};

struct sheet_drawer_job {
	enum sheet_drawer_job_kind kind;
	char path[ROUTINE_DIR_PATH_MAX + ROUTINE_FILE_NAME_MAX];  /* SHEET: the routine file */
	char name[SHEET_DRAWER_NAME_SIZE];  /* SHEET: NAME of NAME.pdf */
	struct report_options report;  /* REPORT */
	struct history *history;       /* REPORT: borrowed, open until the job is done */
};

/* What a job came to, for the main loop to log. */
struct sheet_drawer_result {
	enum sheet_drawer_job_kind kind;
	int status;           /* 1 written, 0 nothing to do, -errno failed */
	char what[1024];      /* the file (failed) */
	char msg[1024];       /* why (failed) */
	char notes[2048];     /* what loading the routine said, if anything */
};

/* Called on the drawer's thread for each job; fills *out (zeroed) and
 * returns true to hand it to the main loop. ctx is the open's. */
typedef bool sheet_drawer_work_fn(void *ctx, const struct sheet_drawer_job *job, struct sheet_drawer_result *out);

struct sheet_drawer;

/* Starts the thread (not yet allowed to start jobs) with work(ctx, ...)
 * for each job; ctx is borrowed and is the thread's until close. 0 and
 * *ret (release with sheet_drawer_close()), or -ENOMEM / -errno of the
 * thread's creation. */
int sheet_drawer_open(struct sheet_drawer **ret, sheet_drawer_work_fn *work, void *ctx);

/* Queues a copy of job. 0, or -ENOSPC when the queue is full. */
int sheet_drawer_post(struct sheet_drawer *d, const struct sheet_drawer_job *job);

/* Forgets the jobs not started (a new list replaces them) but a report,
 * which stays due; the one in hand is finished. */
void sheet_drawer_drop(struct sheet_drawer *d);

/* Whether the thread may start a job now. */
void sheet_drawer_allow(struct sheet_drawer *d, bool allowed);

/* The oldest result, without waiting: true and *ret, or false. */
bool sheet_drawer_take(struct sheet_drawer *d, struct sheet_drawer_result *ret);

/* Whether jobs are queued or in hand, or results not taken. */
bool sheet_drawer_busy(struct sheet_drawer *d);

/* Waits for the next result (true and *ret), or until no job is queued
 * or in hand and no result is left (false). Allows the jobs first: for
 * the end, when what is due must be written before the coach stops. */
bool sheet_drawer_wait(struct sheet_drawer *d, struct sheet_drawer_result *ret);

/* Forgets every job not started, finishes the one in hand, stops and joins
 * the thread, releases d. Accepts NULL. */
void sheet_drawer_close(struct sheet_drawer *d);

#endif
