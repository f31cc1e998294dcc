/* history.h - what was done, kept on the device so a session cut short
 * (a pulled plug, a crash) can be picked up where it stopped, and so the
 * person and their physiotherapist can see how regularly it is done.
 *
 * One adapter file (history_sqlite.c) holds the SQLite database; the rest
 * of repcue sees this API. Writes go through a queue to a history thread:
 * history_push never blocks and never touches the disk, so neither the
 * audio thread nor the control thread waits on a write. Every record is
 * one transaction, committed with synchronous=FULL in WAL mode: once the
 * commit returns, the record survives losing power at any instant.
 *
 * Pure logic (which set to resume, counts per week, what a log entry means
 * for the history) is in history_logic.h and takes time as an argument.
 */
#ifndef REPCUE_HISTORY_HISTORY_H
#define REPCUE_HISTORY_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/rating.h"
#include "core/routine.h"
#include "core/time.h"

#define HISTORY_PATH_MAX 512
/* The history as CSV in the card folder, for a laptop. */
#define HISTORY_CSV_NAME "history.csv"
#define HISTORY_HASH_MAX 24
#define HISTORY_VOICE_MAX ROUTINE_NAME_MAX
#define HISTORY_MSG_MAX 768
/* The detailed events (every set and press) of the newest this many
 * sessions, by sequence, are kept; older detail is deleted at open; the
 * per-session summaries are kept forever (a few hundred bytes each). Two
 * years of daily sessions, about 6 MB. */
#define HISTORY_EVENTS_KEEP_SESSIONS 730

enum history_kind {
	HISTORY_SESSION_START, /* session: routine, hash, level, voice, sets_total; step/set = resumed at, or 0 */
	HISTORY_STEP_BEGIN,    /* step, step_name */
	HISTORY_SET_BEGIN,     /* step, set, step_name */
	HISTORY_SET_DONE,      /* step, set */
	HISTORY_SET_SKIPPED,   /* step, set: left with `next` */
	HISTORY_PRESS,         /* arg: enum control_action that acted */
	HISTORY_SESSION_END,   /* arg: enum history_outcome */
	HISTORY_SESSION_RATING, /* arg: enum rating (core/rating.h): how the last
	                         * session felt, asked after it ended; sets the
	                         * rating of that session if it completed */
	HISTORY_KINDS
};

enum history_outcome {
	HISTORY_RUNNING,     /* no end recorded (yet): cut off if not the current one */
	HISTORY_COMPLETED,
	HISTORY_STOPPED,     /* quit, signal */
	HISTORY_INTERRUPTED, /* found running when a later session started */
	HISTORY_OUTCOMES
};

struct history_session_info {
	char routine[HISTORY_PATH_MAX];   /* the routine file as given */
	char name[ROUTINE_NAME_MAX];      /* the routine's name */
	char hash[HISTORY_HASH_MAX];      /* routine_file_hash() of its content */
	int level;
	char voice[HISTORY_VOICE_MAX];
	int sets_total;    /* sets in the routine */
	int sets_planned;  /* sets from where the session started (a resume: fewer) */
};

/* What a session did so far, each set counted once however often it was
 * repeated; carried by every record so the summary is always whole. */
struct history_counts {
	int sets_done;     /* finished (reps, holds, `done`) */
	int sets_skipped;  /* left with `next` and never finished */
	int repeats;       /* `repeat` presses that acted */
};

/* One record. Fixed size: it travels through a lock-free ring. */
struct history_event {
	enum history_kind kind;
	int64_t wall_s;        /* wall clock, Unix seconds */
	frames_t at;           /* session time */
	int step;              /* index into the routine's steps, -1 none */
	int set;               /* 1-based, 0 none */
	int arg;
	struct history_counts counts;  /* the session's, after this record */
	char step_name[ROUTINE_NAME_MAX];
	struct history_session_info session; /* HISTORY_SESSION_START only */
};

/* A session as the database sums it up. */
struct history_session {
	int64_t id;
	struct history_session_info info;
	int64_t started_wall, last_wall;   /* Unix seconds */
	long utc_offset_s;                 /* of the local time zone at started_wall:
	                                    * each session in its own local time */
	frames_t session_frames;           /* session time of its last record */
	enum history_outcome outcome;
	struct history_counts counts;
	int last_step, last_set;           /* last set begun, -1/0 none */
	bool last_set_over;                /* that set was completed or skipped */
	char last_step_name[ROUTINE_NAME_MAX];
	enum rating rating;                /* how it felt; RATING_NONE: not asked or no answer */
};

const char *history_kind_name(enum history_kind kind);
const char *history_outcome_name(enum history_outcome outcome);

struct history;

enum history_open_flags {
	HISTORY_READ_ONLY = 1,  /* queries only: no thread, nothing created or moved */
};

/* Opens (creating it if need be) `dir`/history.db and, unless read-only,
 * starts the history thread. A damaged database is moved aside to
 * history.db.damaged-<time> and a new one started: returns 0 and *moved
 * set, with what happened in msg. Returns 0 and *ret (release with
 * history_close), or -errno with the problem (file and fix) in msg. */
int history_open(struct history **ret, const char *dir, int flags, bool *moved, char *msg, size_t msg_size);

/* Drains the queue, stops the thread, closes the database. Accepts NULL. */
void history_close(struct history *h);

/* Where the CSV copy goes (NULL = none). Rewritten by the history thread
 * after each session ends. Call before the first history_push. 0, or
 * -ENAMETOOLONG (over HISTORY_PATH_MAX: then no copy). */
int history_set_csv(struct history *h, const char *path);

/* Each committed record is reported as a line "commit SESSION EVENT\n" on
 * fd (tests that cut the power need to know what was committed); -1 none. */
void history_set_commit_fd(struct history *h, int fd);

/* Queues a record for the history thread. Never blocks, never does I/O.
 * Only one thread pushes. Returns 0, or -ENOSPC if the queue is full (the
 * record is lost and counted). */
int history_push(struct history *h, const struct history_event *ev);

/* Waits until everything pushed so far is written (or failed), at most
 * timeout_ms (< 0: no limit). 0, or -ETIMEDOUT (a disk that hangs). */
int history_flush(struct history *h, int timeout_ms);

/* The first write problem since the last call ("... disk is full"), once:
 * returns true and fills msg. Later ones are counted, not repeated. */
bool history_take_problem(struct history *h, char *msg, size_t size);

/* The most recent session of `routine` (its path). 0, -ENOENT if none, or -errno. */
int history_last_session(struct history *h, const char *routine, struct history_session *out);

/* Calls fn with every session started at or after since_wall, oldest
 * first, one at a time (none held in memory: a history of any length);
 * fn returns 0 to go on or -errno to stop. Returns the count, or -errno. */
typedef int history_each_fn(void *ctx, const struct history_session *s);
int history_each(struct history *h, int64_t since_wall, history_each_fn *fn, void *ctx);

/* Every session as CSV (history_csv_row) to out. 0 or -errno. */
int history_write_csv(struct history *h, FILE *out);

/* Writes every session as CSV to `path` through util/out_file (a
 * temporary beside it, fsync, rename, fsync of the directory), so a cut at
 * any instant leaves the old file or the new one, whole. 0 or -errno. */
int history_export_csv(struct history *h, const char *path);

/* The database file of an open history. */
const char *history_db_path(const struct history *h);

/* <boot_dir>/repcue/history.csv (boot_dir: util/env.h), only if
 * <boot_dir>/repcue exists and is writable: otherwise buf is empty and
 * -ENOENT/-EACCES; -ENAMETOOLONG if the path does not fit. */
int history_csv_path(const char *boot_dir, char *buf, size_t size);

/* crc32 (zlib) and length of the file's content, as "crc32hex-length".
 * 0 or -errno. */
int routine_file_hash(const char *path, char *out, size_t size);

#endif
