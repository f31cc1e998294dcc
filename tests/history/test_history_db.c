/* Unit tests of the SQLite history on temporary databases: records
 * written through the history thread and read back, resume from what the
 * database summed up, interrupted sessions, the CSV copy, a damaged
 * database moved aside, the size bound. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "sim.h"

/* Each case has a fixture of its own, set up at its start and torn down
 * at its end (as libgpiod's test cases have): a fresh temporary directory
 * and the simulated session that drives the history there, so no case
 * sees what another left and the cases run in any order. The small
 * routine and its plan are built once in main() and only read. */
struct fixture {
	char dir[256];
	struct sim sim;
};

static struct routine routine;
static struct plan plan;
static const struct history_session_info info = SIM_SESSION_INFO;

static void push(void *ctx, const struct history_event *ev)
{
	CHECK(history_push(ctx, ev) == 0, "pushed %s", history_kind_name(ev->kind));
}

/* A fixture with an empty directory under $TMPDIR named after the case;
 * exits when there is none (nothing else can be tested). */
static struct fixture *fixture_setup(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	struct fixture *fx = calloc(1, sizeof(*fx));

	REQUIRE(fx != NULL, "fixture for %s", name);
	snprintf(fx->dir, sizeof(fx->dir), "%s/repcue-history-%s-XXXXXX", tmp && tmp[0] ? tmp : "/tmp", name);
	REQUIRE(mkdtemp(fx->dir) != NULL, "mkdtemp %s", fx->dir);
	fx->sim.on_event = push;
	fx->sim.wall_s = time(NULL);
	return fx;
}

/* Removes the fixture's directory and frees it. */
static void fixture_teardown(struct fixture *fx)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", fx->dir);
	free(fx);
}

static struct history *open_ok(const char *dir, bool *moved)
{
	struct history *h = NULL;
	char msg[HISTORY_MSG_MAX];
	int r = history_open(&h, dir, 0, moved, msg, sizeof(msg));
	CHECK(r == 0, "open %s: %s", dir, msg);
	return h;
}

static long long count(const char *dir, const char *sql)
{
	char path[300];
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;

	snprintf(path, sizeof(path), "%s/history.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

struct collect {
	struct history_session *out;
	int n, max;
};

static int collect_one(void *ctx, const struct history_session *s)
{
	struct collect *c = ctx;
	if (c->n < c->max)
		c->out[c->n] = *s;
	c->n++;
	return 0;
}

/* Every session since `since`, oldest first, into out[0..max). The count. */
static int sessions(struct history *h, int64_t since, struct history_session *out, int max)
{
	struct collect c = { out, 0, max };
	int n = history_each(h, since, collect_one, &c);
	return n < 0 ? n : c.n;
}

/* The four sessions test_sessions checks one after another, and the
 * history test_csv, test_rating and test_damaged start from. Each records
 * one session through h and returns the number of records it made. */
static int record_completed(struct fixture *fx, struct history *h)
{
	fx->sim.ctx = h;
	sim_start(&fx->sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&fx->sim))
		;
	history_flush(h, -1);
	return fx->sim.n_events;
}

/* stopped in set 2 of the rows */
static int record_stopped_in_set2(struct fixture *fx, struct history *h)
{
	int set2 = sim_find_bout(&plan, 0, 2);

	fx->sim.ctx = h;
	sim_start(&fx->sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&fx->sim) && fx->sim.seq.seg != set2 + 2)
		;
	sim_stop(&fx->sim);
	history_flush(h, -1);
	return fx->sim.n_events;
}

/* cut off in set 1 with no end record */
static int record_cut_off(struct fixture *fx, struct history *h)
{
	fx->sim.ctx = h;
	sim_start(&fx->sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&fx->sim) && fx->sim.seq.seg < sim_find_bout(&plan, 0, 1) + 1)
		;
	history_flush(h, -1);
	return fx->sim.n_events;
}

/* only started: the one before it is now interrupted */
static int record_started(struct fixture *fx, struct history *h)
{
	fx->sim.ctx = h;
	sim_start(&fx->sim, &plan, &routine, &info, -1, -1);
	history_flush(h, -1);
	return fx->sim.n_events;
}

/* A fixture whose history holds those four sessions, oldest first. */
static struct fixture *fixture_four_sessions(const char *name)
{
	struct fixture *fx = fixture_setup(name);
	struct history *h = open_ok(fx->dir, NULL);

	record_completed(fx, h);
	record_stopped_in_set2(fx, h);
	record_cut_off(fx, h);
	record_started(fx, h);
	history_close(h);
	return fx;
}

static void test_sessions(void)
{
	struct fixture *fx = fixture_setup("sessions");
	int fds[2];
	struct history *h = open_ok(fx->dir, NULL);
	struct history_session s, all[8];
	struct history_offer offer;

	CHECK(pipe(fds) == 0, "pipe");
	history_set_commit_fd(h, fds[1]);
	CHECK(history_last_session(h, info.routine, &s) == -ENOENT, "empty at first");

	/* 1: completed */
	int records = record_completed(fx, h);
	CHECK(history_last_session(h, info.routine, &s) == 0, "found");
	CHECK(s.outcome == HISTORY_COMPLETED && s.counts.sets_done == 3 && s.info.sets_total == 3,
	      "completed, 3 of 3 sets: %d %d/%d", s.outcome, s.counts.sets_done, s.info.sets_total);
	CHECK(strcmp(s.info.hash, info.hash) == 0 && s.info.level == 1 && strcmp(s.info.voice, "coach") == 0,
	      "session info kept");
	CHECK(s.session_frames == fx->sim.events[fx->sim.n_events - 1].at, "session time %lld",
	      (long long)s.session_frames);

	/* 2: stopped in set 2 of the rows */
	int set2 = sim_find_bout(&plan, 0, 2);
	records += record_stopped_in_set2(fx, h);
	CHECK(history_last_session(h, info.routine, &s) == 0, "found");
	CHECK(s.outcome == HISTORY_STOPPED && s.last_step == 0 && s.last_set == 2 && !s.last_set_over,
	      "stopped in set 2: %d %d %d", s.outcome, s.last_step, s.last_set);
	CHECK(strcmp(s.last_step_name, "Band rows") == 0, "%s", s.last_step_name);
	history_offer(&s, info.hash, &plan, &routine, &offer);
	CHECK(offer.kind == HISTORY_OFFER_RESUME && offer.segment == set2, "offer set 2");

	/* 3: cut off with no end record; 4 starts: 3 is interrupted */
	records += record_cut_off(fx, h);
	CHECK(history_last_session(h, info.routine, &s) == 0 && s.outcome == HISTORY_RUNNING, "running");
	records += record_started(fx, h);
	int n = sessions(h, 0, all, 8);
	CHECK(n == 4, "4 sessions: %d", n);
	if (n == 4) {
		CHECK(all[0].outcome == HISTORY_COMPLETED && all[1].outcome == HISTORY_STOPPED &&
		      all[2].outcome == HISTORY_INTERRUPTED && all[3].outcome == HISTORY_RUNNING,
		      "outcomes %d %d %d %d", all[0].outcome, all[1].outcome, all[2].outcome, all[3].outcome);
		CHECK(all[0].id < all[3].id, "oldest first");
	}

	/* every record reported committed, and there */
	history_close(h);
	close(fds[1]);
	char buf[65536];
	ssize_t got = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	buf[got > 0 ? got : 0] = '\0';
	int lines = 0;
	for (char *c = buf; *c; c++)
		lines += *c == '\n';
	CHECK(lines == records, "%d commits reported for %d records", lines, records);
	CHECK(count(fx->dir, "SELECT count(*) FROM events") == records, "%lld events stored",
	      count(fx->dir, "SELECT count(*) FROM events"));
	CHECK(count(fx->dir, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1,
	      "WAL mode");
	fixture_teardown(fx);
}

/* Temporaries util/out_file leaves beside history.csv: ".history.csv.XXXXXX". */
static int csv_temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strncmp(e->d_name, ".history.csv.", 13) == 0 || strstr(e->d_name, "history.csv.tmp") != NULL;
	if (d)
		closedir(d);
	return n;
}

static size_t slurp_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, size, f) : 0;

	if (f)
		fclose(f);
	return n;
}

static void test_csv(void)
{
	struct fixture *fx = fixture_four_sessions("csv");
	struct history *h = open_ok(fx->dir, NULL);
	char path[300], line[512];

	snprintf(path, sizeof(path), "%s/history.csv", fx->dir);
	CHECK(history_export_csv(h, path) == 0, "exported");
	FILE *f = fopen(path, "r");
	int n = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (n == 0)
			CHECK(strncmp(line, "date,routine,", 13) == 0, "header: %s", line);
		if (n == 1)
			CHECK(strstr(line, ",completed,3,3,") != NULL, "row 1: %s", line);
		if (n == 2)
			CHECK(strstr(line, "\"stopped at Band rows, set 2\"") != NULL, "row 2: %s", line);
		n++;
	}
	if (f)
		fclose(f);
	CHECK(n == 5, "header + 4 sessions: %d", n);
	CHECK(csv_temporaries(fx->dir) == 0, "no temporary file left");

	/* Writing fails half way (a full card: here the file size limit, so
	 * every write past 100 bytes fails with EFBIG): the export reports
	 * it, the last whole CSV stays as it was, and no temporary is left
	 * (util/out_file: a unique O_EXCL temporary, renamed only when whole). */
	char before[4096], after[4096];
	size_t n_before = slurp_file(path, before, sizeof(before));
	struct rlimit old, small = { .rlim_cur = 100, .rlim_max = RLIM_INFINITY };
	void (*old_xfsz)(int) = signal(SIGXFSZ, SIG_IGN);
	REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
	small.rlim_max = old.rlim_max;
	REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
	int failed = history_export_csv(h, path);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, old_xfsz);
	CHECK(failed == -EFBIG, "a failed write is reported: %d", failed);
	size_t n_after = slurp_file(path, after, sizeof(after));
	CHECK(n_before > 100 && n_after == n_before && memcmp(before, after, n_before) == 0,
	      "the previous CSV is intact (%zu bytes, then %zu)", n_before, n_after);
	CHECK(csv_temporaries(fx->dir) == 0, "no temporary file left after the failure");
	/* a read-only CSV is refused (even for root), and kept */
	chmod(path, 0444);
	CHECK(history_export_csv(h, path) == -EACCES, "a read-only CSV is refused");
	n_after = slurp_file(path, after, sizeof(after));
	CHECK(n_after == n_before && memcmp(before, after, n_before) == 0, "and kept");
	chmod(path, 0644);

	/* the CSV copy after each session ends, by the history thread */
	snprintf(path, sizeof(path), "%s/copy.csv", fx->dir);
	history_set_csv(h, path);
	fx->sim.ctx = h;
	sim_start(&fx->sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&fx->sim))
		;
	history_flush(h, -1);
	CHECK(access(path, R_OK) == 0, "copy written at the end of the session");
	history_close(h);
	fixture_teardown(fx);
}

/* Issue 19 item 7: how a session felt, recorded after it ended, read
 * back, in the CSV (its last column) and never set on a session that did
 * not complete; a version 2 history read-only (no rating column yet). */
static void test_rating(void)
{
	struct fixture *fx = fixture_four_sessions("rating");
	struct history *h = open_ok(fx->dir, NULL);
	struct history_session s;
	char path[400], text[65536];

	snprintf(path, sizeof(path), "%s/rated.csv", fx->dir);
	history_set_csv(h, path);
	fx->sim.ctx = h;
	sim_start(&fx->sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&fx->sim))
		;
	struct history_event ev = { .kind = HISTORY_SESSION_RATING, .wall_s = fx->sim.wall_s, .step = -1,
				    .arg = RATING_HURT };
	CHECK(history_push(h, &ev) == 0, "rating pushed");
	history_flush(h, -1);
	CHECK(history_last_session(h, info.routine, &s) == 0 && s.outcome == HISTORY_COMPLETED, "completed");
	CHECK(s.rating == RATING_HURT, "rated hurt: %d", s.rating);
	CHECK(s.counts.sets_done == 3 && s.session_frames == fx->sim.events[fx->sim.n_events - 1].at,
	      "the rating changes nothing else of the session");
	/* the copy is written again once the rating is in */
	size_t n = slurp_file(path, text, sizeof(text) - 1);
	text[n] = '\0';
	CHECK(strstr(text, ",repeats,counts,rating\r\n") != NULL, "the CSV's last column: %.120s", text);
	CHECK(strstr(text, ",yes,hurt\r\n") != NULL, "the row says hurt");
	CHECK(strstr(text, ",yes,\r\n") != NULL, "an older session has none");

	/* a stopped session is not rated, even if asked to */
	sim_start(&fx->sim, &plan, &routine, &info, -1, -1);
	for (int i = 0; i < 40 && sim_block(&fx->sim); i++)
		;
	sim_stop(&fx->sim);
	ev.arg = RATING_EASY;
	history_push(h, &ev);
	history_flush(h, -1);
	CHECK(history_last_session(h, info.routine, &s) == 0 && s.outcome == HISTORY_STOPPED && s.rating == RATING_NONE,
	      "stopped: not rated (%d %d)", s.outcome, s.rating);
	history_close(h);

	/* read-only, a version 2 history (no rating column): read as none */
	char sub[300];
	sqlite3 *db;
	snprintf(sub, sizeof(sub), "%s/version2", fx->dir);
	mkdir(sub, 0700);
	snprintf(path, sizeof(path), "%s/history.db", sub);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK, "made");
	sqlite3_exec(db,
		     "CREATE TABLE sessions(id INTEGER PRIMARY KEY, routine TEXT NOT NULL, name TEXT NOT NULL,"
		     " hash TEXT NOT NULL, level INTEGER NOT NULL, voice TEXT NOT NULL, sets_total INTEGER NOT NULL,"
		     " started_wall INTEGER NOT NULL, last_wall INTEGER NOT NULL, session_frames INTEGER NOT NULL DEFAULT 0,"
		     " outcome INTEGER NOT NULL DEFAULT 0, sets_done INTEGER NOT NULL DEFAULT 0,"
		     " last_step INTEGER NOT NULL DEFAULT -1, last_set INTEGER NOT NULL DEFAULT 0,"
		     " last_set_over INTEGER NOT NULL DEFAULT 0, last_step_name TEXT NOT NULL DEFAULT '',"
		     " sets_skipped INTEGER NOT NULL DEFAULT 0, sets_planned INTEGER NOT NULL DEFAULT 0,"
		     " repeats INTEGER NOT NULL DEFAULT 0);"
		     "CREATE TABLE events(id INTEGER PRIMARY KEY, session INTEGER NOT NULL, kind TEXT NOT NULL,"
		     " at_frames INTEGER NOT NULL, wall INTEGER NOT NULL, step INTEGER NOT NULL, set_no INTEGER NOT NULL,"
		     " arg INTEGER NOT NULL, detail TEXT NOT NULL);"
		     "INSERT INTO sessions(routine, name, hash, level, voice, sets_total, started_wall, last_wall,"
		     " outcome, sets_done) VALUES ('/r.yaml', 'Two', 'h', 1, 'coach', 3, 1000, 1000, 1, 3);"
		     "PRAGMA user_version = 2",
		     NULL, NULL, NULL);
	sqlite3_close(db);
	char msg[HISTORY_MSG_MAX];
	int r = history_open(&h, sub, HISTORY_READ_ONLY, NULL, msg, sizeof(msg));
	CHECK(r == 0 && h, "a version 2 history opens read-only: %s", msg);
	if (h) {
		CHECK(history_last_session(h, "/r.yaml", &s) == 0 && s.rating == RATING_NONE &&
		      strcmp(s.info.name, "Two") == 0, "its session read, not rated");
		history_close(h);
	}
	/* and written: migrated, the rating column added */
	r = history_open(&h, sub, 0, NULL, msg, sizeof(msg));
	CHECK(r == 0 && h, "a version 2 history opens: %s", msg);
	if (h) {
		CHECK(history_last_session(h, "/r.yaml", &s) == 0 && s.rating == RATING_NONE, "migrated, not rated");
		history_close(h);
	}
	fixture_teardown(fx);
}

static long long exec_count(const char *dir, const char *sql_script, const char *query)
{
	char path[300];
	sqlite3 *db;
	if (snprintf(path, sizeof(path), "%s/history.db", dir) >= (int)sizeof(path))
		return -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_exec(db, sql_script, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? count(dir, query) : -1;
}

/* Issue 17, item 5: detail is kept for the newest sessions by sequence,
 * never by the wall clock: a start with the clock a year ahead, or a
 * session recorded at 1970, deletes nothing. */
static void test_bounded(void)
{
	/* the fixture's history is empty: session 1 is this case's first */
	struct fixture *fx = fixture_setup("bounded");
	struct history *h = open_ok(fx->dir, NULL);
	fx->sim.ctx = h;
	/* a session in 1970 (no clock chip, no network yet) */
	fx->sim.wall_s = 0;
	sim_start(&fx->sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&fx->sim))
		;
	history_close(h);
	long long first = count(fx->dir, "SELECT count(*) FROM events WHERE session = 1");
	CHECK(first > 0, "its records written: %lld", first);
	/* the clock a year and more ahead: a session, then an open */
	fx->sim.wall_s = time(NULL) + 400 * 86400LL;
	h = open_ok(fx->dir, NULL);
	fx->sim.ctx = h;
	sim_start(&fx->sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&fx->sim))
		;
	history_close(h);
	h = open_ok(fx->dir, NULL);
	history_close(h);
	CHECK(count(fx->dir, "SELECT count(*) FROM events WHERE session = 1") == first,
	      "the 1970 session's detail kept after starts with the clock ahead");

	/* past the bound by sequence: the oldest sessions' detail goes, their summaries stay */
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
		 " INSERT INTO sessions(routine, name, hash, level, voice, sets_total, started_wall, last_wall)"
		 " SELECT 'r', 'n', 'h', 1, 'v', 3, 1000 + i, 1000 + i FROM n",
		 HISTORY_EVENTS_KEEP_SESSIONS - 1);
	/* session 2 is now the oldest of the newest HISTORY_EVENTS_KEEP_SESSIONS */
	CHECK(exec_count(fx->dir, sql, "SELECT count(*) FROM sessions") == HISTORY_EVENTS_KEEP_SESSIONS + 1,
	      "%d sessions added", HISTORY_EVENTS_KEEP_SESSIONS - 1);
	h = open_ok(fx->dir, NULL);
	history_close(h);
	CHECK(count(fx->dir, "SELECT count(*) FROM events WHERE session = 1") == 0, "the oldest session's detail deleted");
	CHECK(count(fx->dir, "SELECT count(*) FROM events WHERE session = 2") > 0, "the next one's kept (within %d)",
	      HISTORY_EVENTS_KEEP_SESSIONS);
	CHECK(count(fx->dir, "SELECT sets_done FROM sessions WHERE id = 1") == 3, "its summary kept");
	fixture_teardown(fx);
}

/* Issue 17, item 6: a newer format is kept untouched and refused; an
 * older one (version 1) is migrated, its sessions kept. */
static void test_schema_versions(void)
{
	struct fixture *fx = fixture_setup("schema_versions");
	char path[400], sub[300], msg[HISTORY_MSG_MAX];
	struct history *h = NULL;
	struct stat before, after;

	snprintf(sub, sizeof(sub), "%s/newer", fx->dir);
	mkdir(sub, 0700);
	snprintf(path, sizeof(path), "%s/history.db", sub);
	sqlite3 *db;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK, "made");
	sqlite3_exec(db, "CREATE TABLE sessions(x); CREATE TABLE future(y); PRAGMA user_version = 9", NULL, NULL, NULL);
	sqlite3_close(db);
	stat(path, &before);
	int r = history_open(&h, sub, 0, NULL, msg, sizeof(msg));
	CHECK(r == -EPROTONOSUPPORT && !h, "refused: %d %s", r, msg);
	CHECK(strstr(msg, "newer repcue") && strstr(msg, "kept"), "says so: %s", msg);
	r = history_open(&h, sub, HISTORY_READ_ONLY, NULL, msg, sizeof(msg));
	CHECK(r == -EPROTONOSUPPORT && !h, "refused read-only too: %d %s", r, msg);
	stat(path, &after);
	CHECK(before.st_size == after.st_size && before.st_mtime == after.st_mtime, "untouched");
	CHECK(sqlite3_open(path, &db) == SQLITE_OK, "reopened");
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	CHECK(v == 9, "still version 9: %d", v);

	/* version 1, as repcue 0.1 wrote it */
	snprintf(sub, sizeof(sub), "%s/older", fx->dir);
	mkdir(sub, 0700);
	snprintf(path, sizeof(path), "%s/history.db", sub);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK, "made");
	sqlite3_exec(db,
		     "CREATE TABLE sessions(id INTEGER PRIMARY KEY, routine TEXT NOT NULL, name TEXT NOT NULL,"
		     " hash TEXT NOT NULL, level INTEGER NOT NULL, voice TEXT NOT NULL, sets_total INTEGER NOT NULL,"
		     " started_wall INTEGER NOT NULL, last_wall INTEGER NOT NULL, session_frames INTEGER NOT NULL DEFAULT 0,"
		     " outcome INTEGER NOT NULL DEFAULT 0, sets_done INTEGER NOT NULL DEFAULT 0,"
		     " last_step INTEGER NOT NULL DEFAULT -1, last_set INTEGER NOT NULL DEFAULT 0,"
		     " last_set_over INTEGER NOT NULL DEFAULT 0, last_step_name TEXT NOT NULL DEFAULT '');"
		     "CREATE TABLE events(id INTEGER PRIMARY KEY, session INTEGER NOT NULL, kind TEXT NOT NULL,"
		     " at_frames INTEGER NOT NULL, wall INTEGER NOT NULL, step INTEGER NOT NULL, set_no INTEGER NOT NULL,"
		     " arg INTEGER NOT NULL, detail TEXT NOT NULL);"
		     "CREATE INDEX events_wall ON events(wall);"
		     "INSERT INTO sessions(routine, name, hash, level, voice, sets_total, started_wall, last_wall,"
		     " outcome, sets_done) VALUES ('/r.yaml', 'Old', 'h', 1, 'coach', 3, 1000, 1000, 1, 3);"
		     "PRAGMA user_version = 1",
		     NULL, NULL, NULL);
	sqlite3_close(db);
	r = history_open(&h, sub, 0, NULL, msg, sizeof(msg));
	CHECK(r == 0 && h, "a version 1 history opens: %s", msg);
	struct history_session s;
	if (h) {
		CHECK(history_last_session(h, "/r.yaml", &s) == 0 && s.counts.sets_done == 3 &&
		      strcmp(s.info.name, "Old") == 0, "its session kept");
		CHECK(history_session_counts(&s), "and counted (planned: the routine's sets)");
		fx->sim.ctx = h;
		sim_start(&fx->sim, &plan, &routine, &info, -1, -1);
		while (sim_block(&fx->sim))
			;
		history_flush(h, -1);
		char t[HISTORY_MSG_MAX];
		CHECK(!history_take_problem(h, t, sizeof(t)), "a new session is written: no problem");
		CHECK(history_last_session(h, info.routine, &s) == 0 && s.counts.sets_done == 3, "and read back");
		history_close(h);
	}
	fixture_teardown(fx);
}

/* Issue 17, item 3: each session in its own local time, across both
 * daylight-saving switches of a zone and in a zone with a 30-minute
 * offset, whatever the offset is today. */
static void test_local_times(void)
{
	struct fixture *fx = fixture_setup("local_times");
	static const struct {
		const char *tz;
		long long wall;
		const char *local, *monday;
	} cases[] = {
		{ "Europe/Berlin", 1785709800, "2026-08-03 00:30", "2026-08-03" }, /* summer, shown in winter */
		{ "Europe/Berlin", 1774744200, "2026-03-29 01:30", "2026-03-23" }, /* before the spring switch */
		{ "Europe/Berlin", 1774747800, "2026-03-29 03:30", "2026-03-23" }, /* after it */
		{ "Europe/Berlin", 1792888200, "2026-10-25 02:30", "2026-10-19" }, /* the autumn switch's Sunday */
		{ "Europe/Berlin", 1792970100, "2026-10-26 00:15", "2026-10-26" }, /* the Monday after */
		{ "Asia/Kolkata", 1795977600, "2026-11-30 00:10", "2026-11-30" },  /* +05:30: Sunday in UTC */
	};
	char sub[300], sql[512], msg[HISTORY_MSG_MAX];
	char *saved_tz = getenv("TZ") ? strdup(getenv("TZ")) : NULL;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(sub, sizeof(sub), "%s/tz%zu", fx->dir, i);
		struct history *h = open_ok(sub, NULL);
		history_close(h);
		snprintf(sql, sizeof(sql),
			 "INSERT INTO sessions(routine, name, hash, level, voice, sets_total, started_wall, last_wall,"
			 " outcome, sets_done, sets_planned) VALUES ('/r.yaml', 'R', 'h', 1, 'v', 2, %lld, %lld, 1, 2, 2)",
			 cases[i].wall, cases[i].wall);
		exec_count(sub, sql, "SELECT 1");
		setenv("TZ", cases[i].tz, 1);
		tzset();
		CHECK(history_open(&h, sub, HISTORY_READ_ONLY, NULL, msg, sizeof(msg)) == 0, "open: %s", msg);
		struct history_session s;
		if (!h || sessions(h, 0, &s, 1) != 1) {
			CHECK(false, "%s: the session read back", cases[i].tz);
			history_close(h);
			continue;
		}
		history_close(h);
		char row[512] = "";
		FILE *f = fmemopen(row, sizeof(row) - 1, "w");
		history_csv_row(f, &s);
		fclose(f);
		CHECK(strncmp(row, cases[i].local, strlen(cases[i].local)) == 0, "%s: %s shown as %.16s",
		      cases[i].tz, cases[i].local, row);
		time_t monday = (time_t)(history_week_monday(history_week(s.started_wall, s.utc_offset_s)) * 86400);
		struct tm tm;
		char date[16] = "";
		gmtime_r(&monday, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		CHECK(strcmp(date, cases[i].monday) == 0, "%s: %s in the week of %s, not %s", cases[i].tz,
		      cases[i].local, cases[i].monday, date);
		/* counted in its own week, asked a day later in that zone */
		CHECK(history_completed_this_week(&s, 1, s.started_wall + 60, s.utc_offset_s) == 1,
		      "%s: counted in its week", cases[i].tz);
	}
	if (saved_tz)
		setenv("TZ", saved_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved_tz);
	fixture_teardown(fx);
}

/* Issue 17, item 7: what `repcue history` meets on a card. */
static void test_read_only_cases(void)
{
	struct fixture *fx = fixture_setup("read_only_cases");
	char sub[300], path[400], msg[HISTORY_MSG_MAX];
	struct history *h = NULL;

	/* zero length: a pulled plug right after the first start */
	snprintf(sub, sizeof(sub), "%s/zero", fx->dir);
	mkdir(sub, 0700);
	snprintf(path, sizeof(path), "%s/history.db", sub);
	close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600));
	int r = history_open(&h, sub, HISTORY_READ_ONLY, NULL, msg, sizeof(msg));
	CHECK(r == 0 && h, "a zero-length history opens read-only: %d %s", r, msg);
	struct history_session all[2];
	if (h)
		CHECK(sessions(h, 0, all, 2) == 0, "with no sessions");
	history_close(h);
	h = NULL;

	/* a directory named history.db */
	snprintf(sub, sizeof(sub), "%s/isdir", fx->dir);
	mkdir(sub, 0700);
	snprintf(path, sizeof(path), "%s/history.db", sub);
	mkdir(path, 0700);
	for (int flags = 0; flags <= HISTORY_READ_ONLY; flags += HISTORY_READ_ONLY) {
		r = history_open(&h, sub, flags, NULL, msg, sizeof(msg));
		CHECK(r == -EISDIR && !h && strstr(msg, "is a directory") && !strstr(msg, "SD card"),
		      "a directory is named as one: %d %s", r, msg);
	}

	/* garbage, read-only: not "the session goes on" */
	snprintf(sub, sizeof(sub), "%s/garbage", fx->dir);
	mkdir(sub, 0700);
	snprintf(path, sizeof(path), "%s/history.db", sub);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char junk[4096];
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 31 + 7);
	CHECK(write(fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk), "written");
	close(fd);
	r = history_open(&h, sub, HISTORY_READ_ONLY, NULL, msg, sizeof(msg));
	CHECK(r < 0 && !h && strstr(msg, "damaged") && !strstr(msg, "session goes on"),
	      "garbage named damaged: %s", msg);
	fixture_teardown(fx);
}

static void test_damaged(void)
{
	struct fixture *fx = fixture_four_sessions("damaged");
	char path[300], garbage[8192];
	bool moved = false;

	snprintf(path, sizeof(path), "%s/history.db", fx->dir);
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (char)(i * 7 + 13);
	int fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && write(fd, garbage, sizeof(garbage)) == (ssize_t)sizeof(garbage), "garbage written");
	close(fd);
	struct history *h = NULL;
	char msg[HISTORY_MSG_MAX];
	int r = history_open(&h, fx->dir, 0, &moved, msg, sizeof(msg));
	CHECK(r == 0 && moved, "moved aside and started again: %d %s", r, msg);
	CHECK(strstr(msg, "damaged") && strstr(msg, "history.db.damaged-"), "says so: %s", msg);
	struct history_session s;
	if (h)
		CHECK(history_last_session(h, info.routine, &s) == -ENOENT, "a new, empty history");
	history_close(h);
	DIR *d = opendir(fx->dir);
	struct dirent *e;
	int aside = 0;
	while (d && (e = readdir(d)))
		aside += strncmp(e->d_name, "history.db.damaged-", 19) == 0 && !strchr(e->d_name + 19, '-');
	if (d)
		closedir(d);
	CHECK(aside == 1, "the damaged file kept aside: %d", aside);
	/* and the next open is a normal one: no loop */
	h = open_ok(fx->dir, &moved);
	CHECK(!moved, "opens normally after");
	history_close(h);
	fixture_teardown(fx);
}

static void test_missing(void)
{
	struct fixture *fx = fixture_setup("missing");
	struct history *h = NULL;
	char msg[HISTORY_MSG_MAX], nodir[300];

	snprintf(nodir, sizeof(nodir), "%s/none", fx->dir);
	CHECK(history_open(&h, nodir, HISTORY_READ_ONLY, NULL, msg, sizeof(msg)) == -ENOENT && !h,
	      "read-only open of no history: %s", msg);
	CHECK(strstr(msg, "no history yet") != NULL, "%s", msg);
	CHECK(history_open(&h, "", 0, NULL, msg, sizeof(msg)) < 0 && !h, "no directory: %s", msg);
	history_close(NULL);
	fixture_teardown(fx);
}

static void test_paths(void)
{
	struct fixture *fx = fixture_setup("paths");
	char buf[512];

	/* the state directory's rule: tests/util/test_env.c */
	char boot[300];
	snprintf(boot, sizeof(boot), "%s/boot", fx->dir);
	CHECK(history_csv_path(boot, buf, sizeof(buf)) == -ENOENT && buf[0] == '\0', "no <boot>/repcue: no CSV");
	snprintf(buf, sizeof(buf), "%s/boot", fx->dir);
	mkdir(buf, 0755);
	snprintf(buf, sizeof(buf), "%s/boot/repcue", fx->dir);
	mkdir(buf, 0755);
	CHECK(history_csv_path(boot, buf, sizeof(buf)) == 0, "CSV path");
	CHECK(strstr(buf, "/boot/repcue/history.csv") != NULL, "%s", buf);

	char hash1[HISTORY_HASH_MAX], hash2[HISTORY_HASH_MAX], file[300];
	snprintf(file, sizeof(file), "%s/r.yaml", fx->dir);
	FILE *f = fopen(file, "w");
	fputs("name: a\n", f);
	fclose(f);
	CHECK(routine_file_hash(file, hash1, sizeof(hash1)) == 0, "hash");
	CHECK(strcmp(hash1, "b0f1ed51-8") == 0 || strlen(hash1) > 9, "crc32-length: %s", hash1);
	f = fopen(file, "w");
	fputs("name: b\n", f);
	fclose(f);
	CHECK(routine_file_hash(file, hash2, sizeof(hash2)) == 0 && strcmp(hash1, hash2) != 0, "%s != %s", hash1,
	      hash2);
	CHECK(routine_file_hash("/nonexistent/r.yaml", hash2, sizeof(hash2)) == -ENOENT, "missing file");
	fixture_teardown(fx);
}

int main(void)
{
	if (sim_plan_small(&routine, &plan) < 0)
		return 1;
	RUN_CASE(test_sessions, ());
	RUN_CASE(test_csv, ());
	RUN_CASE(test_rating, ());
	RUN_CASE(test_bounded, ());
	RUN_CASE(test_schema_versions, ());
	RUN_CASE(test_read_only_cases, ());
	RUN_CASE(test_local_times, ());
	RUN_CASE(test_damaged, ());
	RUN_CASE(test_missing, ());
	RUN_CASE(test_paths, ());
	plan_finish(&plan);
	return check_done("history_db");
}
