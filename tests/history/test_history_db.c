/* Unit tests of the SQLite history on temporary databases: records
 * written through the history thread and read back, resume from what the
 * database summed up, interrupted sessions, the CSV copy, a damaged
 * database moved aside, the size bound. */
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "sim.h"

static struct routine routine;
static struct plan plan;
static struct sim sim;
static struct history_session_info info = SIM_SESSION_INFO;
static char dir[256];

static void push(void *ctx, const struct history_event *ev)
{
	CHECK(history_push(ctx, ev) == 0, "pushed %s", history_kind_name(ev->kind));
}

static struct history *open_ok(bool *moved)
{
	struct history *h = NULL;
	char msg[HISTORY_MSG_MAX];
	int r = history_open(&h, dir, 0, moved, msg, sizeof(msg));
	CHECK(r == 0, "open %s: %s", dir, msg);
	return h;
}

static long long count(const char *sql)
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

static void test_sessions(void)
{
	int fds[2];
	struct history *h = open_ok(NULL);
	struct history_session s, all[8];
	struct history_offer offer;

	CHECK(pipe(fds) == 0, "pipe");
	history_set_commit_fd(h, fds[1]);
	CHECK(history_last_session(h, info.routine, &s) == -ENOENT, "empty at first");
	sim.on_event = push;
	sim.ctx = h;
	sim.wall_s = time(NULL);

	/* 1: completed */
	sim_start(&sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&sim))
		;
	int records = sim.n_events;
	history_flush(h, -1);
	CHECK(history_last_session(h, info.routine, &s) == 0, "found");
	CHECK(s.outcome == HISTORY_COMPLETED && s.sets_done == 3 && s.info.sets_total == 3,
	      "completed, 3 of 3 sets: %d %d/%d", s.outcome, s.sets_done, s.info.sets_total);
	CHECK(strcmp(s.info.hash, info.hash) == 0 && s.info.level == 1 && strcmp(s.info.voice, "coach") == 0,
	      "session info kept");
	CHECK(s.session_frames == sim.events[sim.n_events - 1].at, "session time %lld", (long long)s.session_frames);

	/* 2: stopped in set 2 of the rows */
	int set2 = sim_find_bout(&plan, 0, 2);
	sim_start(&sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&sim) && sim.seq.seg != set2 + 2)
		;
	sim_stop(&sim);
	records += sim.n_events;
	history_flush(h, -1);
	CHECK(history_last_session(h, info.routine, &s) == 0, "found");
	CHECK(s.outcome == HISTORY_STOPPED && s.last_step == 0 && s.last_set == 2 && !s.last_set_over,
	      "stopped in set 2: %d %d %d", s.outcome, s.last_step, s.last_set);
	CHECK(strcmp(s.last_step_name, "Band rows") == 0, "%s", s.last_step_name);
	history_offer(&s, info.hash, &plan, &routine, &offer);
	CHECK(offer.kind == HISTORY_OFFER_RESUME && offer.segment == set2, "offer set 2");

	/* 3: cut off with no end record; 4 starts: 3 is interrupted */
	sim_start(&sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&sim) && sim.seq.seg < sim_find_bout(&plan, 0, 1) + 1)
		;
	records += sim.n_events;
	history_flush(h, -1);
	CHECK(history_last_session(h, info.routine, &s) == 0 && s.outcome == HISTORY_RUNNING, "running");
	sim_start(&sim, &plan, &routine, &info, -1, -1);
	records += sim.n_events;
	history_flush(h, -1);
	int n = history_sessions(h, 0, all, 8);
	CHECK(n == 4, "4 sessions: %d", n);
	if (n == 4) {
		CHECK(all[0].outcome == HISTORY_COMPLETED && all[1].outcome == HISTORY_STOPPED &&
		      all[2].outcome == HISTORY_INTERRUPTED && all[3].outcome == HISTORY_RUNNING,
		      "outcomes %d %d %d %d", all[0].outcome, all[1].outcome, all[2].outcome, all[3].outcome);
		CHECK(all[0].id < all[3].id, "oldest first");
	}
	CHECK(history_sessions(h, 0, all, 2) == 2 && all[1].id > all[0].id, "the newest 2");

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
	CHECK(count("SELECT count(*) FROM events") == records, "%lld events stored",
	      count("SELECT count(*) FROM events"));
	CHECK(count("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1, "WAL mode");
}

static void test_csv(void)
{
	struct history *h = open_ok(NULL);
	char path[300], line[512];

	snprintf(path, sizeof(path), "%s/history.csv", dir);
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
	snprintf(path, sizeof(path), "%s/history.csv.tmp", dir);
	CHECK(access(path, F_OK) != 0, "no temporary file left");

	/* the CSV copy after each session ends, by the history thread */
	snprintf(path, sizeof(path), "%s/copy.csv", dir);
	history_set_csv(h, path);
	sim.ctx = h;
	sim_start(&sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&sim))
		;
	history_flush(h, -1);
	CHECK(access(path, R_OK) == 0, "copy written at the end of the session");
	history_close(h);
}

static void test_bounded(void)
{
	/* records older than a year go at the next open; the summary stays */
	struct history *h = open_ok(NULL);
	sim.ctx = h;
	sim.wall_s = time(NULL) - (HISTORY_EVENTS_KEEP_DAYS + 5) * 86400LL;
	sim_start(&sim, &plan, &routine, &info, -1, -1);
	while (sim_block(&sim))
		;
	history_close(h);
	long long old = count("SELECT count(*) FROM events WHERE session = (SELECT max(id) FROM sessions)");
	CHECK(old > 0, "old records written: %lld", old);
	h = open_ok(NULL);
	history_close(h);
	CHECK(count("SELECT count(*) FROM events WHERE session = (SELECT max(id) FROM sessions)") == 0,
	      "old records deleted");
	CHECK(count("SELECT sets_done FROM sessions WHERE id = (SELECT max(id) FROM sessions)") == 3,
	      "its summary kept");
	CHECK(count("SELECT count(*) FROM events") > 0, "recent records kept");
	sim.wall_s = time(NULL);
}

static void test_damaged(void)
{
	char path[300], garbage[8192];
	bool moved = false;

	snprintf(path, sizeof(path), "%s/history.db", dir);
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (char)(i * 7 + 13);
	int fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && write(fd, garbage, sizeof(garbage)) == (ssize_t)sizeof(garbage), "garbage written");
	close(fd);
	struct history *h = NULL;
	char msg[HISTORY_MSG_MAX];
	int r = history_open(&h, dir, 0, &moved, msg, sizeof(msg));
	CHECK(r == 0 && moved, "moved aside and started again: %d %s", r, msg);
	CHECK(strstr(msg, "damaged") && strstr(msg, "history.db.damaged-"), "says so: %s", msg);
	struct history_session s;
	if (h)
		CHECK(history_last_session(h, info.routine, &s) == -ENOENT, "a new, empty history");
	history_close(h);
	DIR *d = opendir(dir);
	struct dirent *e;
	int aside = 0;
	while (d && (e = readdir(d)))
		aside += strncmp(e->d_name, "history.db.damaged-", 19) == 0 && !strchr(e->d_name + 19, '-');
	if (d)
		closedir(d);
	CHECK(aside == 1, "the damaged file kept aside: %d", aside);
	/* and the next open is a normal one: no loop */
	h = open_ok(&moved);
	CHECK(!moved, "opens normally after");
	history_close(h);
}

static void test_missing(void)
{
	struct history *h = NULL;
	char msg[HISTORY_MSG_MAX], nodir[300];

	snprintf(nodir, sizeof(nodir), "%s/none", dir);
	CHECK(history_open(&h, nodir, HISTORY_READ_ONLY, NULL, msg, sizeof(msg)) == -ENOENT && !h,
	      "read-only open of no history: %s", msg);
	CHECK(strstr(msg, "no history yet") != NULL, "%s", msg);
	CHECK(history_open(&h, "", 0, NULL, msg, sizeof(msg)) < 0 && !h, "no directory: %s", msg);
	history_close(NULL);
}

static void test_paths(void)
{
	char buf[512];

	setenv("REPCUE_STATE_DIR", "/x/state", 1);
	history_state_dir(buf, sizeof(buf));
	CHECK(strcmp(buf, "/x/state") == 0, "%s", buf);
	unsetenv("REPCUE_STATE_DIR");
	setenv("STATE_DIRECTORY", "/var/lib/repcue:/var/lib/other", 1);
	history_state_dir(buf, sizeof(buf));
	CHECK(strcmp(buf, "/var/lib/repcue") == 0, "%s", buf);
	unsetenv("STATE_DIRECTORY");
	setenv("XDG_STATE_HOME", "/x/xdg", 1);
	history_state_dir(buf, sizeof(buf));
	CHECK(strcmp(buf, "/x/xdg/repcue") == 0, "%s", buf);
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/x/home", 1);
	history_state_dir(buf, sizeof(buf));
	CHECK(strcmp(buf, "/x/home/.local/state/repcue") == 0, "%s", buf);

	char boot[300];
	snprintf(boot, sizeof(boot), "%s/boot", dir);
	setenv("REPCUE_BOOT_DIR", boot, 1);
	CHECK(history_csv_path(buf, sizeof(buf)) == -ENOENT && buf[0] == '\0', "no <boot>/repcue: no CSV");
	snprintf(buf, sizeof(buf), "%s/boot", dir);
	mkdir(buf, 0755);
	snprintf(buf, sizeof(buf), "%s/boot/repcue", dir);
	mkdir(buf, 0755);
	CHECK(history_csv_path(buf, sizeof(buf)) == 0, "CSV path");
	CHECK(strstr(buf, "/boot/repcue/history.csv") != NULL, "%s", buf);

	char hash1[HISTORY_HASH_MAX], hash2[HISTORY_HASH_MAX], file[300];
	snprintf(file, sizeof(file), "%s/r.yaml", dir);
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
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/repcue-history-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	if (sim_plan_small(&routine, &plan) < 0)
		return 1;
	test_sessions();
	test_csv();
	test_bounded();
	test_damaged();
	test_missing();
	test_paths();
	plan_finish(&plan);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return check_done("history_db");
}
