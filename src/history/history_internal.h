/* history_internal.h - what the pieces of the SQLite history share: the
 * struct behind struct history, one SQL statement run, and the problem
 * said once. history_sqlite.c opens, closes and queries the database,
 * history_writer.c is the thread that writes records, history_csv.c the
 * CSV copy. Only these files include it, and with it sqlite3.h. */
#ifndef REPCUE_HISTORY_INTERNAL_H
#define REPCUE_HISTORY_INTERNAL_H

#include "history/history.h"
#include "util/spsc.h"

#include <pthread.h>
#include <semaphore.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define QUEUE 256           /* records in flight; power of two */

struct history {
	sqlite3 *db;                    /* owned */
	char path[HISTORY_PATH_MAX];
	char csv[HISTORY_PATH_MAX];     /* "" = no CSV copy */
	int commit_fd;                  /* borrowed; -1 none */
	bool writer;                    /* the thread runs */
	pthread_t thread;
	sem_t wake;
	atomic_bool stop;
	struct spsc ring;
	struct history_event *slots;    /* owned: QUEUE records */
	atomic_ullong pushed, written;
	atomic_int lost;
	int64_t session_id;             /* the current session; 0 none. History thread only. */
	bool empty;                     /* read-only and no tables yet (a zero-length
	                                 * file after a pulled plug): no sessions */
	bool no_rating;                 /* read-only, schema version 2 or older:
	                                 * no rating column (read as none) */
	pthread_mutex_t problem_lock;
	char problem[HISTORY_MSG_MAX];
	bool problem_new, problem_said;
};

/* Run sql (any number of statements): an SQLite result code. */
static inline int history_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Keep the first problem (what failed, SQLite's code, what to do) until
 * history_take_problem says it. Any thread. (history_sqlite.c) */
void history_set_problem(struct history *h, const char *what, int code);

/* The writer thread's body: arg is the struct history. Writes what
 * history_push queued until h->stop and the queue is empty.
 * (history_writer.c) */
void *history_writer_main(void *arg);

#endif
