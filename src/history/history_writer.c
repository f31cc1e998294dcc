/* history_writer.c - the history thread: records queued by history_push
 * (any thread, never blocking) are written one transaction each, and the
 * CSV copy is refreshed at a session's end. Separate from the opening and
 * the queries (history_sqlite.c) because this is the only code that runs
 * on the history thread. */
#include "history/history_internal.h"
#include "history/history_logic.h"
#include "util/path.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int insert_session(struct history *h, const struct history_event *ev)
{
	sqlite3_stmt *st;
	int rc;

	/* an earlier session still "running" was cut off */
	rc = history_exec(h->db, "UPDATE sessions SET outcome = 3 WHERE outcome = 0");
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_prepare_v2(h->db,
				"INSERT INTO sessions(routine, name, hash, level, voice, sets_total, started_wall, last_wall,"
				" sets_planned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	const struct history_session_info *i = &ev->session;
	sqlite3_bind_text(st, 1, i->routine, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, i->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, i->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, i->level);
	sqlite3_bind_text(st, 5, i->voice, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, i->sets_total);
	sqlite3_bind_int64(st, 7, ev->wall_s);
	sqlite3_bind_int64(st, 8, ev->wall_s);
	sqlite3_bind_int(st, 9, i->sets_planned);
	rc = step_done(st);
	if (rc == SQLITE_OK)
		h->session_id = sqlite3_last_insert_rowid(h->db);
	return rc;
}

static int update_session(struct history *h, const struct history_event *ev)
{
	sqlite3_stmt *st;
	const char *sql;
	int rc;

	switch (ev->kind) {
	case HISTORY_SET_DONE:
	case HISTORY_SET_SKIPPED:
		sql = "UPDATE sessions SET last_wall = ?2, session_frames = ?3, sets_done = ?4, sets_skipped = ?5,"
		      " repeats = ?6, last_set_over = 1 WHERE id = ?1";
		break;
	case HISTORY_SESSION_END:
		sql = "UPDATE sessions SET last_wall = ?2, session_frames = ?3, sets_done = ?4, sets_skipped = ?5,"
		      " repeats = ?6, outcome = ?7 WHERE id = ?1";
		break;
	default:
		sql = "UPDATE sessions SET last_wall = ?2, session_frames = ?3, sets_done = ?4, sets_skipped = ?5,"
		      " repeats = ?6 WHERE id = ?1";
		break;
	}
	if (ev->kind == HISTORY_SET_BEGIN)
		sql = "UPDATE sessions SET last_wall = ?2, session_frames = ?3, sets_done = ?4, sets_skipped = ?5,"
		      " repeats = ?6, last_step = ?8, last_set = ?9, last_set_over = 0, last_step_name = ?10"
		      " WHERE id = ?1";
	rc = sqlite3_prepare_v2(h->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, h->session_id);
	sqlite3_bind_int64(st, 2, ev->wall_s);
	sqlite3_bind_int64(st, 3, ev->at);
	sqlite3_bind_int(st, 4, ev->counts.sets_done);
	sqlite3_bind_int(st, 5, ev->counts.sets_skipped);
	sqlite3_bind_int(st, 6, ev->counts.repeats);
	if (ev->kind == HISTORY_SESSION_END)
		sqlite3_bind_int(st, 7, ev->arg);
	if (ev->kind == HISTORY_SET_BEGIN) {
		sqlite3_bind_int(st, 8, ev->step);
		sqlite3_bind_int(st, 9, ev->set);
		sqlite3_bind_text(st, 10, ev->step_name, -1, SQLITE_STATIC);
	}
	return step_done(st);
}

static int insert_event(struct history *h, const struct history_event *ev, int64_t *event_id)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h->db,
				    "INSERT INTO events(session, kind, at_frames, wall, step, set_no, arg, detail)"
				    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, h->session_id);
	sqlite3_bind_text(st, 2, history_kind_name(ev->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ev->at);
	sqlite3_bind_int64(st, 4, ev->wall_s);
	sqlite3_bind_int(st, 5, ev->step);
	sqlite3_bind_int(st, 6, ev->set);
	sqlite3_bind_int(st, 7, ev->arg);
	sqlite3_bind_text(st, 8, ev->kind == HISTORY_SESSION_START ? ev->session.routine : ev->step_name, -1,
			  SQLITE_STATIC);
	rc = step_done(st);
	*event_id = sqlite3_last_insert_rowid(h->db);
	return rc;
}

/* How the last session felt (core/rating.h): its row only, and only if
 * it completed; nothing else of it changes. */
static int set_rating(struct history *h, const struct history_event *ev)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h->db, "UPDATE sessions SET rating = ?2 WHERE id = ?1 AND outcome = ?3", -1,
				    &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, h->session_id);
	if (ev->arg > RATING_NONE && ev->arg < RATING_COUNT)
		sqlite3_bind_text(st, 2, rating_name((enum rating)ev->arg), -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int(st, 3, HISTORY_COMPLETED);
	return step_done(st);
}

/* One record, one transaction: the event and the session's summary
 * change together or not at all. */
static int write_record(struct history *h, const struct history_event *ev)
{
	int64_t event_id = 0;
	int rc;

	if (ev->kind != HISTORY_SESSION_START && h->session_id == 0)
		return SQLITE_OK; /* its session start was lost: nothing to attach it to */
	rc = history_exec(h->db, "BEGIN IMMEDIATE");
	if (rc != SQLITE_OK)
		return rc;
	if (ev->kind == HISTORY_SESSION_START)
		rc = insert_session(h, ev);
	if (rc == SQLITE_OK)
		rc = insert_event(h, ev, &event_id);
	if (rc == SQLITE_OK)
		rc = ev->kind == HISTORY_SESSION_RATING ? set_rating(h, ev) : update_session(h, ev);
	if (rc == SQLITE_OK)
		rc = history_exec(h->db, "COMMIT");
	if (rc != SQLITE_OK) {
		history_exec(h->db, "ROLLBACK");
		if (ev->kind == HISTORY_SESSION_START)
			h->session_id = 0;
		return rc;
	}
	if (h->commit_fd >= 0) {
		char line[64];
		int n = snprintf(line, sizeof(line), "commit %lld %lld\n", (long long)h->session_id,
				 (long long)event_id);
		if (write(h->commit_fd, line, (size_t)n) < 0) {
			/* the reader went away: nobody needs the reports */
		}
	}
	return SQLITE_OK;
}

void *history_writer_main(void *arg)
{
	struct history *h = arg;
	struct history_event ev;

	for (;;) {
		while (spsc_pop(&h->ring, &ev)) {
			int rc = write_record(h, &ev);
			if (rc != SQLITE_OK)
				history_set_problem(h, history_kind_name(ev.kind), rc);
			else if ((ev.kind == HISTORY_SESSION_END || ev.kind == HISTORY_SESSION_RATING) && h->csv[0])
				/* the CSV is a copy: if it fails, the database has it all */
				(void)history_export_csv(h, h->csv);
			atomic_fetch_add(&h->written, 1);
		}
		if (atomic_load(&h->stop) && spsc_count(&h->ring) == 0)
			break;
		while (sem_wait(&h->wake) < 0 && errno == EINTR)
			;
	}
	return NULL;
}

int history_push(struct history *h, const struct history_event *ev)
{
	if (!h || !h->writer)
		return -EBADF;
	if (!spsc_push(&h->ring, ev)) {
		atomic_fetch_add(&h->lost, 1);
		return -ENOSPC;
	}
	atomic_fetch_add(&h->pushed, 1);
	sem_post(&h->wake);
	return 0;
}

int history_flush(struct history *h, int timeout_ms)
{
	if (!h || !h->writer)
		return 0;
	for (int waited = 0; atomic_load(&h->written) < atomic_load(&h->pushed); waited++) {
		if (timeout_ms >= 0 && waited >= timeout_ms)
			return -ETIMEDOUT;
		struct timespec ts = { .tv_nsec = 1000000 };
		nanosleep(&ts, NULL);
	}
	return 0;
}

int history_set_csv(struct history *h, const char *path)
{
	/* a path too long to hold: no copy, never one under a cut name */
	return path_format(h->csv, sizeof(h->csv), "%s", path ? path : "");
}

void history_set_commit_fd(struct history *h, int fd)
{
	h->commit_fd = fd;
}
