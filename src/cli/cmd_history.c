/* repcue history - recent sessions and a summary per week, read from the
 * history database; --csv for a spreadsheet. Nothing leaves the device. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "history/history.h"
#include "history/history_logic.h"

#define HISTORY_ROWS_MAX 1000
#define WEEKS_MAX 520

static void usage(FILE *f)
{
	fprintf(f,
		"usage: repcue history [--csv] [--weeks N]\n"
		"  recent sessions (date, routine, minutes, completed or how far) and a\n"
		"  summary per week, from the history in $REPCUE_STATE_DIR, $STATE_DIRECTORY,\n"
		"  $XDG_STATE_HOME/repcue or ~/.local/state/repcue\n"
		"  --csv      every session as CSV, for a spreadsheet\n"
		"  --weeks N  how many weeks back, this one included (default 4, at most %d)\n", WEEKS_MAX);
}

static void print_table(const struct history_session *s, int n, int64_t now, long off, int weeks)
{
	printf("%-16s  %-28s  %7s  %s\n", "date", "routine", "minutes", "how far");
	for (int i = 0; i < n; i++) {
		time_t local = (time_t)(s[i].started_wall + off);
		struct tm tm;
		char date[32] = "", progress[256];
		if (gmtime_r(&local, &tm))
			strftime(date, sizeof(date), "%Y-%m-%d %H:%M", &tm);
		history_progress(&s[i], progress, sizeof(progress));
		printf("%-16s  %-28.28s  %7.1f  %s (%d of %d sets)\n", date, s[i].info.name,
		       (double)s[i].session_frames / SESSION_RATE_HZ / 60.0, progress, s[i].sets_done,
		       s[i].info.sets_total);
	}
	printf("\n%-10s  %8s  %9s  %7s\n", "week of", "sessions", "completed", "minutes");
	int64_t this_week = history_week(now, off);
	for (int64_t w = this_week - weeks + 1; w <= this_week; w++) {
		int sessions = 0, completed = 0;
		double minutes = 0;
		for (int i = 0; i < n; i++) {
			if (history_week(s[i].started_wall, off) != w)
				continue;
			sessions++;
			completed += s[i].outcome == HISTORY_COMPLETED;
			minutes += (double)s[i].session_frames / SESSION_RATE_HZ / 60.0;
		}
		time_t start = (time_t)(history_week_start(w, off) + off);
		struct tm tm;
		char date[16] = "";
		if (gmtime_r(&start, &tm))
			strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		printf("%-10s  %8d  %9d  %7.1f\n", date, sessions, completed, minutes);
	}
}

int cmd_history(int argc, char **argv)
{
	static const struct option options[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ "weeks", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool csv = false;
	int weeks = 4, opt;
	char dir[HISTORY_PATH_MAX], msg[HISTORY_MSG_MAX];

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		char *end = NULL;
		switch (opt) {
		case 'c': csv = true; break;
		case 'w':
			weeks = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || weeks < 1 || weeks > WEEKS_MAX) {
				fprintf(stderr, "repcue history: --weeks takes 1 to %d\n", WEEKS_MAX);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	history_state_dir(dir, sizeof(dir));
	struct history *h;
	int r = history_open(&h, dir, HISTORY_READ_ONLY, NULL, msg, sizeof(msg));
	if (r == -ENOENT) {
		printf("repcue history: %s\n", msg);
		return 0;
	}
	if (r < 0) {
		fprintf(stderr, "repcue history: %s\n", msg);
		return 1;
	}
	time_t now = time(NULL);
	struct tm tm;
	long off = localtime_r(&now, &tm) ? tm.tm_gmtoff : 0;
	static struct history_session rows[HISTORY_ROWS_MAX];
	int64_t since = csv ? 0 : history_week_start(history_week(now, off) - weeks + 1, off);
	int n = history_sessions(h, since, rows, HISTORY_ROWS_MAX);
	history_close(h);
	if (n < 0) {
		fprintf(stderr, "repcue history: cannot read %s/history.db: %s\n", dir, strerror(-n));
		return 1;
	}
	if (csv) {
		history_csv_header(stdout);
		for (int i = 0; i < n; i++)
			history_csv_row(stdout, &rows[i], off);
	} else {
		print_table(rows, n, now, off, weeks);
	}
	return 0;
}
