/* history_sqlite.c - the history in SQLite: opening (schema, migration, a
 * damaged file moved aside), closing, the problem said once, and the
 * queries. The writer thread is history_writer.c, the CSV copy
 * history_csv.c; the pieces share history_internal.h, and only this file
 * and history_writer.c include sqlite3.h (through it).
 *
 * Why SQLite (libsqlite3, Debian libsqlite3-dev): atomic commits that
 * survive a power cut at any instant, tested far beyond what a hand-made
 * append log would be, and queries for the table and the week summary.
 *
 * Durability: WAL mode with synchronous=FULL. A Pi is switched off by
 * pulling the plug; with NORMAL, WAL commits are fsynced only at
 * checkpoints, so the last sets done could vanish with the power (the
 * database would stay consistent, but the resume point would be stale).
 * FULL costs one fsync per record; records come a few times a minute,
 * on the history thread, never on the audio path.
 *
 * Threads: the history thread writes; the control thread queries. One
 * connection opened with SQLITE_OPEN_FULLMUTEX serializes them. */
#include "history/history_internal.h"
#include "history/history_logic.h"
#include "util/out_file.h"
#include "util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 5000 /* `repcue history` reading while the service writes */
/* Version 1: sessions and events. Version 2 (each set counted once,
 * issue 17): sets_skipped, sets_planned, repeats. Version 3 (how it felt,
 * issue 19): rating, NULL when not asked or not answered. A newer version
 * is refused and kept untouched; an older one is migrated at open. */
#define SCHEMA_VERSION 3

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS sessions("
	" id INTEGER PRIMARY KEY,"
	" routine TEXT NOT NULL, name TEXT NOT NULL, hash TEXT NOT NULL,"
	" level INTEGER NOT NULL, voice TEXT NOT NULL, sets_total INTEGER NOT NULL,"
	" started_wall INTEGER NOT NULL, last_wall INTEGER NOT NULL,"
	" session_frames INTEGER NOT NULL DEFAULT 0,"
	" outcome INTEGER NOT NULL DEFAULT 0,"
	" sets_done INTEGER NOT NULL DEFAULT 0,"
	" last_step INTEGER NOT NULL DEFAULT -1, last_set INTEGER NOT NULL DEFAULT 0,"
	" last_set_over INTEGER NOT NULL DEFAULT 0, last_step_name TEXT NOT NULL DEFAULT '',"
	" sets_skipped INTEGER NOT NULL DEFAULT 0, sets_planned INTEGER NOT NULL DEFAULT 0,"
	" repeats INTEGER NOT NULL DEFAULT 0, rating TEXT);"
	"CREATE INDEX IF NOT EXISTS sessions_routine ON sessions(routine, id);"
	"CREATE TABLE IF NOT EXISTS events("
	" id INTEGER PRIMARY KEY,"
	" session INTEGER NOT NULL REFERENCES sessions(id),"
	" kind TEXT NOT NULL, at_frames INTEGER NOT NULL, wall INTEGER NOT NULL,"
	" step INTEGER NOT NULL, set_no INTEGER NOT NULL, arg INTEGER NOT NULL, detail TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS events_session ON events(session);";

/* From version 1: the counts a version-1 database did not keep (its
 * sets_done counted a repeated set again; kept as it was). */
static const char migrate_1_to_2[] =
	"ALTER TABLE sessions ADD COLUMN sets_skipped INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sessions ADD COLUMN sets_planned INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sessions ADD COLUMN repeats INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX IF NOT EXISTS events_session ON events(session);"
	"DROP INDEX IF EXISTS events_wall;";

/* From version 2: the rating (core/rating.h names), NULL for every older
 * session. */
static const char migrate_2_to_3[] = "ALTER TABLE sessions ADD COLUMN rating TEXT;";

const char *history_db_path(const struct history *h)
{
	return h->path;
}

/* --- problems: said once --- */

/* SQLite reports a full disk as a plain I/O error in places (creating the
 * WAL index, for one): ask the file system. */
static bool disk_full(const char *db_path)
{
	char dir[HISTORY_PATH_MAX];
	struct statvfs fs;

	snprintf(dir, sizeof(dir), "%s", db_path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return statvfs(slash ? dir : ".", &fs) == 0 && fs.f_bavail == 0;
}

static const char *fix_for(int code, const char *db_path)
{
	if (disk_full(db_path))
		return "the disk is full: free some space";
	switch (code & 0xff) {
	case SQLITE_FULL: return "the disk is full: free some space";
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN: return "it cannot be written: check the directory's permissions and that the disk is mounted read-write";
	case SQLITE_IOERR: return "a disk error: check the SD card";
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: return "it is damaged: the coach moves it aside and starts a new one at its next start";
	default: return "the session goes on without saving it";
	}
}

void history_set_problem(struct history *h, const char *what, int code)
{
	pthread_mutex_lock(&h->problem_lock);
	if (!h->problem_said && !h->problem_new) {
		snprintf(h->problem, sizeof(h->problem), "cannot save the history in %s (%s: %s); %s", h->path,
			 what, sqlite3_errstr(code), fix_for(code, h->path));
		h->problem_new = true;
	}
	pthread_mutex_unlock(&h->problem_lock);
}

bool history_take_problem(struct history *h, char *msg, size_t size)
{
	bool got = false;

	if (!h)
		return false;
	pthread_mutex_lock(&h->problem_lock);
	if (h->problem_new) {
		snprintf(msg, size, "%s", h->problem);
		h->problem_new = false;
		h->problem_said = true;
		got = true;
	}
	pthread_mutex_unlock(&h->problem_lock);
	return got;
}
/* --- opening --- */

static bool damaged(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static int user_version(sqlite3 *db, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static bool has_sessions_table(sqlite3 *db)
{
	sqlite3_stmt *st;
	bool has = false;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions'", -1,
			       &st, NULL) == SQLITE_OK) {
		has = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	return has;
}

/* A newer repcue wrote it: SQLite's own code for "not ours to change". */
#define SCHEMA_TOO_NEW SQLITE_FORMAT

/* 0 ok; else the SQLite code of what failed. */
static int open_db(struct history *h, int flags, int *version)
{
	bool ro = flags & HISTORY_READ_ONLY;
	int rc = sqlite3_open_v2(h->path, &h->db,
				 (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
					 SQLITE_OPEN_FULLMUTEX,
				 NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	if (ro && rc != SQLITE_OK && !damaged(rc) && access(h->path, W_OK) < 0) {
		/* A copy that cannot be written (a backup, a card in a reader):
		 * WAL mode wants its -shm file beside it. Nobody can change it,
		 * so SQLite may read it as immutable. */
		char uri[HISTORY_PATH_MAX * 3 + 32], *u = uri;
		u += sprintf(u, "file:");
		for (const unsigned char *c = (const unsigned char *)h->path; *c; c++)
			u += (*c == '%' || *c == '?' || *c == '#' || *c < 0x20) ? sprintf(u, "%%%02X", *c)
										: sprintf(u, "%c", *c);
		sprintf(u, "?immutable=1");
		sqlite3_close(h->db);
		rc = sqlite3_open_v2(uri, &h->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX,
				     NULL);
	}
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_busy_timeout(h->db, BUSY_TIMEOUT_MS);
	sqlite3_stmt *st;
	rc = sqlite3_prepare_v2(h->db, "PRAGMA quick_check", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		rc = SQLITE_CORRUPT;
	else if (rc == SQLITE_ROW)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = user_version(h->db, version);
	if (rc != SQLITE_OK)
		return rc;
	if (*version > SCHEMA_VERSION)
		return SCHEMA_TOO_NEW;
	if (ro) {
		h->empty = !has_sessions_table(h->db);
		h->no_rating = *version < 3;
		return SQLITE_OK;
	}
	rc = history_exec(h->db, "PRAGMA journal_mode = WAL");
	if (rc == SQLITE_OK)
		rc = history_exec(h->db, "PRAGMA synchronous = FULL");
	if (rc == SQLITE_OK)
		rc = history_exec(h->db, "BEGIN IMMEDIATE");
	if (rc != SQLITE_OK)
		return rc;
	/* created, or migrated from an older version, in one transaction */
	if (*version >= 1 && *version < 2 && has_sessions_table(h->db))
		rc = history_exec(h->db, migrate_1_to_2);
	if (rc == SQLITE_OK && *version >= 1 && *version < 3 && has_sessions_table(h->db))
		rc = history_exec(h->db, migrate_2_to_3);
	if (rc == SQLITE_OK)
		rc = history_exec(h->db, schema);
	if (rc == SQLITE_OK) {
		char sql[128];
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
		rc = history_exec(h->db, sql);
	}
	if (rc == SQLITE_OK) {
		/* Bounded size: the detail (every set and press) of the newest
		 * sessions by their sequence, the summaries forever. Never by
		 * the wall clock: a Pi without a clock chip may start a year
		 * ahead or in 1970, and one such start must not delete detail. */
		char sql[160];
		snprintf(sql, sizeof(sql), "DELETE FROM events WHERE session <= (SELECT max(id) FROM sessions) - %d",
			 HISTORY_EVENTS_KEEP_SESSIONS);
		rc = history_exec(h->db, sql);
	}
	rc = rc == SQLITE_OK ? history_exec(h->db, "COMMIT") : rc;
	if (rc != SQLITE_OK)
		history_exec(h->db, "ROLLBACK");
	return rc;
}

static void close_db(struct history *h)
{
	sqlite3_close(h->db);
	h->db = NULL;
}

int history_open(struct history **ret, const char *dir, int flags, bool *moved, char *msg, size_t msg_size)
{
	struct history *h = calloc(1, sizeof(*h));
	int rc, err;

	*ret = NULL;
	if (moved)
		*moved = false;
	if (!h) {
		snprintf(msg, msg_size, "out of memory");
		return -ENOMEM;
	}
	h->commit_fd = -1;
	pthread_mutex_init(&h->problem_lock, NULL);
	if (!dir || !dir[0]) {
		snprintf(msg, msg_size, "no directory for the history: set REPCUE_STATE_DIR or HOME");
		err = -ENOENT;
		goto fail;
	}
	if (path_format(h->path, sizeof(h->path), "%s/history.db", dir) < 0) {
		snprintf(msg, msg_size, "%s: path too long for the history", dir);
		err = -ENAMETOOLONG;
		goto fail;
	}
	/* the history is private: only the service's user reads it */
	if (!(flags & HISTORY_READ_ONLY) && (err = mkdir_p(dir, 0700)) < 0) {
		snprintf(msg, msg_size, "cannot create %s for the history: %s", dir, strerror(-err));
		goto fail;
	}
	struct stat st;
	if (stat(h->path, &st) < 0 && errno != ENOENT) {
		err = -errno;
		snprintf(msg, msg_size, "cannot read the history %s: %s", h->path, strerror(errno));
		goto fail;
	}
	if (flags & HISTORY_READ_ONLY && errno == ENOENT && access(h->path, F_OK) < 0) {
		snprintf(msg, msg_size, "no history yet: %s does not exist", h->path);
		err = -ENOENT;
		goto fail;
	}
	if (access(h->path, F_OK) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(msg, msg_size, "%s is %s, not the history: move it away, and the history starts anew there",
			 h->path, S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
		err = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto fail;
	}
	int version = 0;
	rc = open_db(h, flags, &version);
	if (rc == SCHEMA_TOO_NEW) {
		snprintf(msg, msg_size, "the history %s was written by a newer repcue (its format %d, this one knows "
			 "up to %d): it is kept as it is; update repcue to see and add to it", h->path, version,
			 SCHEMA_VERSION);
		err = -EPROTONOSUPPORT;
		goto fail;
	}
	if (damaged(rc) && (flags & HISTORY_READ_ONLY)) {
		snprintf(msg, msg_size, "%s is damaged or not a repcue history: the coach moves it aside and starts a "
			 "new one at its next start", h->path);
		err = -EIO;
		goto fail;
	}
	if (damaged(rc) && !(flags & HISTORY_READ_ONLY)) {
		/* Move it aside, whole, and start again: the history is worth
		 * less than coaching today's session. Never a crash loop. */
		char aside[HISTORY_PATH_MAX + 64], from[HISTORY_PATH_MAX + 8], to[HISTORY_PATH_MAX + 80];
		close_db(h);
		snprintf(aside, sizeof(aside), "%s.damaged-%lld", h->path, (long long)time(NULL));
		if (rename(h->path, aside) < 0) {
			snprintf(msg, msg_size, "%s is damaged and cannot be moved aside (%s): remove it by hand",
				 h->path, strerror(errno));
			err = -EIO;
			goto fail;
		}
		for (int i = 0; i < 2; i++) {
			const char *suffix = i ? "-shm" : "-wal";
			snprintf(from, sizeof(from), "%s%s", h->path, suffix);
			snprintf(to, sizeof(to), "%s%s", aside, suffix);
			if (rename(from, to) < 0 && errno != ENOENT)
				unlink(from);
		}
		rc = open_db(h, flags, &version);
		if (rc == SQLITE_OK) {
			if (moved)
				*moved = true;
			snprintf(msg, msg_size, "the history database %s was damaged: moved it to %s and started a new one",
				 h->path, aside);
		}
	}
	if (rc != SQLITE_OK) {
		int sys = h->db ? sqlite3_system_errno(h->db) : 0;
		if (sys == EMFILE || sys == ENFILE) {
			/* not a permission or a disk problem: say what it is */
			snprintf(msg, msg_size, "cannot open the history %s: %s (%s): raise the limit of open files "
				 "(ulimit -n, or LimitNOFILE= in the service)", h->path, strerror(sys),
				 sys == EMFILE ? "EMFILE" : "ENFILE");
			err = -sys;
			goto fail;
		}
		snprintf(msg, msg_size, "cannot open the history %s: %s; %s", h->path,
			 h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc), fix_for(rc, h->path));
		err = (rc & 0xff) == SQLITE_FULL ? -ENOSPC : (rc & 0xff) == SQLITE_READONLY ||
			(rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_PERM ? -EACCES : -EIO;
		goto fail;
	}
	if (!(flags & HISTORY_READ_ONLY)) {
		h->slots = calloc(QUEUE, sizeof(*h->slots));
		if (!h->slots || spsc_init(&h->ring, h->slots, sizeof(*h->slots), QUEUE) < 0 ||
		    sem_init(&h->wake, 0, 0) < 0) {
			snprintf(msg, msg_size, "out of memory");
			err = -ENOMEM;
			goto fail;
		}
		if (pthread_create(&h->thread, NULL, history_writer_main, h) != 0) {
			sem_destroy(&h->wake);
			snprintf(msg, msg_size, "cannot start the history thread");
			err = -EAGAIN;
			goto fail;
		}
		h->writer = true;
	}
	*ret = h;
	return 0;
fail:
	close_db(h);
	free(h->slots);
	pthread_mutex_destroy(&h->problem_lock);
	free(h);
	return err;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	if (h->writer) {
		atomic_store(&h->stop, true);
		sem_post(&h->wake);
		pthread_join(h->thread, NULL);
		sem_destroy(&h->wake);
	}
	close_db(h);
	free(h->slots);
	pthread_mutex_destroy(&h->problem_lock);
	free(h);
}

/* --- queries --- */

#define SESSION_COLUMNS                                                                         \
	"id, routine, name, hash, level, voice, sets_total, started_wall, last_wall, session_frames," \
	" outcome, sets_done, last_step, last_set, last_set_over, last_step_name, sets_skipped, sets_planned," \
	" repeats"

/* The columns read_session() reads: a read-only history of version 2 or
 * older (`repcue history` before the service migrated it) has no rating. */
static const char *session_columns(const struct history *h)
{
	return h->no_rating ? SESSION_COLUMNS ", NULL" : SESSION_COLUMNS ", rating";
}

static void text_col(sqlite3_stmt *st, int col, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(out, size, "%s", t ? (const char *)t : "");
}

static void read_session(sqlite3_stmt *st, struct history_session *s)
{
	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	text_col(st, 1, s->info.routine, sizeof(s->info.routine));
	text_col(st, 2, s->info.name, sizeof(s->info.name));
	text_col(st, 3, s->info.hash, sizeof(s->info.hash));
	s->info.level = sqlite3_column_int(st, 4);
	text_col(st, 5, s->info.voice, sizeof(s->info.voice));
	s->info.sets_total = sqlite3_column_int(st, 6);
	s->started_wall = sqlite3_column_int64(st, 7);
	s->last_wall = sqlite3_column_int64(st, 8);
	s->session_frames = sqlite3_column_int64(st, 9);
	int outcome = sqlite3_column_int(st, 10);
	s->outcome = outcome >= 0 && outcome < HISTORY_OUTCOMES ? (enum history_outcome)outcome : HISTORY_RUNNING;
	s->counts.sets_done = sqlite3_column_int(st, 11);
	s->last_step = sqlite3_column_int(st, 12);
	s->last_set = sqlite3_column_int(st, 13);
	s->last_set_over = sqlite3_column_int(st, 14) != 0;
	text_col(st, 15, s->last_step_name, sizeof(s->last_step_name));
	s->counts.sets_skipped = sqlite3_column_int(st, 16);
	s->info.sets_planned = sqlite3_column_int(st, 17);
	s->counts.repeats = sqlite3_column_int(st, 18);
	s->rating = rating_from_name((const char *)sqlite3_column_text(st, 19));
	/* each session in its own local time: the zone's offset then (summer
	 * or winter time), not today's */
	time_t t = (time_t)s->started_wall;
	struct tm tm;
	s->utc_offset_s = localtime_r(&t, &tm) ? tm.tm_gmtoff : 0;
}

static int sql_errno(int rc)
{
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ? -EBUSY : -EIO;
}

int history_last_session(struct history *h, const char *routine, struct history_session *out)
{
	sqlite3_stmt *st;
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT %s FROM sessions WHERE routine = ? ORDER BY id DESC LIMIT 1",
		 session_columns(h));
	int rc = sqlite3_prepare_v2(h->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_errno(rc);
	sqlite3_bind_text(st, 1, routine, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_session(st, out);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : sql_errno(rc);
}

int history_each(struct history *h, int64_t since_wall, history_each_fn *fn, void *ctx)
{
	sqlite3_stmt *st;
	struct history_session s;
	int n = 0, r = 0;

	if (h->empty)
		return 0;
	/* streamed, oldest first: no cap on what the user asked for */
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT %s FROM sessions WHERE started_wall >= ? ORDER BY id", session_columns(h));
	int rc = sqlite3_prepare_v2(h->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_errno(rc);
	sqlite3_bind_int64(st, 1, since_wall);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_session(st, &s);
		r = fn(ctx, &s);
		n++;
	}
	sqlite3_finalize(st);
	if (r < 0)
		return r;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : sql_errno(rc);
}

