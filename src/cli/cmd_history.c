/* repcue history - recent sessions and a summary per week, read from the
 * history database; --csv for a spreadsheet. Nothing leaves the device. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/misuse.h"
#include "util/utf8.h"
#include "history/history.h"
#include "history/history_logic.h"

#define WEEKS_MAX 520

/* Where the packaged service keeps its history: StateDirectory=repcue of
 * systemd/repcue.service, a link into /var/lib/private (DynamicUser=),
 * which only root can enter. */
#define SERVICE_STATE_DIR "/var/lib/repcue"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: repcue history [--csv] [--weeks N]\n"
		"  recent sessions (date, routine, minutes, how far, sets done of planned) and a\n"
		"  summary per week, from the history in $REPCUE_STATE_DIR, $STATE_DIRECTORY,\n"
		"  $XDG_STATE_HOME/repcue or ~/.local/state/repcue\n"
		"  --csv      every session as CSV, for a spreadsheet\n"
		"  --weeks N  how many weeks back, this one included (default 4, at most %d)\n", WEEKS_MAX);
}

/* The weeks shown, summed up while the sessions stream past. */
struct week_sums {
	int64_t first;                 /* week number of weeks[0] */
	int n;
	struct {
		int sessions, counted;
		double minutes;
	} weeks[WEEKS_MAX];
};

static double minutes_of(const struct history_session *s)
{
	return (double)s->session_frames / SESSION_RATE_HZ / 60.0;
}

static int table_row(void *ctx, const struct history_session *s)
{
	struct week_sums *w = ctx;
	char date[32], progress[256];

	history_local_date(s, date, sizeof(date));
	history_progress(s, progress, sizeof(progress));
	printf("%-16s  %-28.28s  %7.1f  %s (%d of %d sets done", date, s->info.name, minutes_of(s), progress,
	       s->counts.sets_done, history_sets_planned(s));
	if (s->counts.sets_skipped)
		printf(", %d skipped", s->counts.sets_skipped);
	if (s->counts.repeats)
		printf(", %d repeated", s->counts.repeats);
	printf(")\n");
	int64_t i = history_week(s->started_wall, s->utc_offset_s) - w->first;
	if (i >= 0 && i < w->n) {
		w->weeks[i].sessions++;
		w->weeks[i].counted += history_session_counts(s);
		w->weeks[i].minutes += minutes_of(s);
	}
	return 0;
}

static void print_weeks(const struct week_sums *w)
{
	printf("\n%-10s  %8s  %7s  %7s\n", "week of", "sessions", "counted", "minutes");
	for (int i = 0; i < w->n; i++) {
		time_t monday = (time_t)(history_week_monday(w->first + i) * 86400);
		struct tm tm;
		char date[16] = "";
		if (gmtime_r(&monday, &tm))
			strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		printf("%-10s  %8d  %7d  %7.1f\n", date, w->weeks[i].sessions, w->weeks[i].counted,
		       w->weeks[i].minutes);
	}
}

/* Monday 00:00 of `week` in local time, as Unix seconds (mktime: the
 * offset of that day, summer or winter time). */
static int64_t local_monday(int64_t week)
{
	time_t day = (time_t)(history_week_monday(week) * 86400);
	struct tm tm;
	if (!gmtime_r(&day, &tm))
		return 0;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	return t == (time_t)-1 ? (int64_t)day : (int64_t)t;
}

int cmd_history(int argc, char **argv, const struct repcue_env *env)
{
	static const struct option options[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ "weeks", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool csv = false;
	int weeks = 4, opt;
	char msg[HISTORY_MSG_MAX];

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		char *end = NULL;
		switch (opt) {
		case 'c': csv = true; break;
		case 'w':
			weeks = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || weeks < 1 || weeks > WEEKS_MAX) {
				return cli_misuse("history", "--weeks takes 1 to %d", WEEKS_MAX);
			}
			break;
		case 'h': usage(stdout); return 0;
		default: return cli_bad_option("history", opt, argv);
		}
	}
	if (optind < argc)
		return cli_misuse("history", "it takes no file or name: '%s'",
				  utf8_escape((char[200]){ 0 }, 200, argv[optind], strlen(argv[optind])));
	struct history *h;
	const char *dir = env->state_dir;
	int r = history_open(&h, dir, HISTORY_READ_ONLY, NULL, msg, sizeof(msg));
	if (r == -ENOENT && env->state_dir_personal && lstat(SERVICE_STATE_DIR, &(struct stat){ 0 }) == 0) {
		/* none of the user's own, and the service has run here: its */
		char service_msg[HISTORY_MSG_MAX];
		int rs = history_open(&h, SERVICE_STATE_DIR, HISTORY_READ_ONLY, NULL, service_msg,
				      sizeof(service_msg));
		if (rs == 0) {
			fprintf(stderr, "repcue history: the coach service's history, %s/history.db\n",
				SERVICE_STATE_DIR);
			dir = SERVICE_STATE_DIR;
			r = 0;
		} else if (rs == -EACCES || rs == -EPERM) {
			printf("repcue history: %s.\nThe coach's service keeps its history in %s, which only "
			       "root can read: run 'sudo repcue history'.\n", msg, SERVICE_STATE_DIR);
			return 0;
		}
	}
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
	if (csv) {
		r = history_write_csv(h, stdout);
	} else {
		static struct week_sums sums;
		sums.n = weeks;
		sums.first = history_week(now, off) - weeks + 1;
		printf("%-16s  %-28s  %7s  %s\n", "date", "routine", "minutes", "how far");
		r = history_each(h, local_monday(sums.first), table_row, &sums);
		if (r >= 0)
			print_weeks(&sums);
	}
	history_close(h);
	if (r < 0) {
		fprintf(stderr, "repcue history: cannot read %s/history.db: %s\n", dir, strerror(-r));
		return 1;
	}
	return 0;
}
