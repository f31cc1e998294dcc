/* repcue history - recent sessions and a summary per week, read from the
 * history database; --csv for a spreadsheet; --report for the
 * physiotherapist, a printable PDF, SVG or PNG (sheet/report_layout.h).
 * Nothing leaves the device. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/misuse.h"
#include "util/cleanup.h"
#include "util/out_file.h"
#include "util/utf8.h"
#include "history/history.h"
#include "history/history_logic.h"
#include "sheet/sheet_file.h"
#include "sheet/report_layout.h"
#include "sheet/sheet_cairo.h"

#define WEEKS_MAX 520
#define TARGET_MAX 21 /* sessions a week: three a day */

/* Where the packaged service keeps its history: StateDirectory=repcue of
 * systemd/repcue.service, a link into /var/lib/private (DynamicUser=),
 * which only root can enter. */
#define SERVICE_STATE_DIR "/var/lib/repcue"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: repcue history [--csv] [--weeks N]\n"
		"       repcue history --report REPORT.pdf|REPORT.svg|REPORT.png [--weeks N] [--target N] [--letter]\n"
		"  recent sessions (date, routine, minutes, how far, sets done of planned) and a\n"
		"  summary per week, from the history in $REPCUE_STATE_DIR, $STATE_DIRECTORY,\n"
		"  $XDG_STATE_HOME/repcue or ~/.local/state/repcue\n"
		"  --csv          every session as CSV, for a spreadsheet\n"
		"  --weeks N      how many weeks back, this one included (default 4, at most %d);\n"
		"                 with --report, the weeks on a page\n"
		"  --report FILE  a printable report for a physiotherapist, a page per N weeks\n"
		"                 back to the first session (at most %d pages' worth): sessions\n"
		"                 per week against the target, a calendar of 12 weeks, each\n"
		"                 routine's sessions and sets per week; the format is the\n"
		"                 file's extension\n"
		"  --target N     sessions a week the report holds them against (default 3)\n"
		"  --letter       US Letter paper for the report (default: A4)\n",
		WEEKS_MAX, REPORT_PERIODS_MAX);
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
	if (s->rating != RATING_NONE)
		printf(", rated %s", rating_name(s->rating));
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

#define SHOWN(path) utf8_escape((char[600]){ 0 }, 600, (path), strlen(path))

/* Writes the report of h to path (sheet/sheet_file.h). 0 or 1. */
static int write_report(struct history *h, const struct report_options *opts, const char *path,
			enum sheet_format format)
{
	char msg[700];
	int pages = 0, sessions = 0;

	if (report_write_file(h, opts, path, format, &pages, &sessions, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "repcue history: %s\n", msg);
		return 1;
	}
	fprintf(stderr, "repcue: wrote %s: %d page%s, %d session%s\n", SHOWN(path), pages, pages == 1 ? "" : "s",
		sessions, sessions == 1 ? "" : "s");
	return 0;
}

int cmd_history(int argc, char **argv, const struct repcue_env *env)
{
	static const struct option options[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ "weeks", required_argument, NULL, 'w' },
		{ "report", required_argument, NULL, 'r' },
		{ "target", required_argument, NULL, 't' },
		{ "letter", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool csv = false, letter = false, target_given = false;
	const char *report = NULL;
	int weeks = REPORT_DEFAULT_WEEKS, target = REPORT_DEFAULT_TARGET, opt;
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
		case 'r': report = optarg; break;
		case 't':
			target = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || target < 0 || target > TARGET_MAX)
				return cli_misuse("history", "--target takes 0 to %d sessions a week", TARGET_MAX);
			target_given = true;
			break;
		case 'L': letter = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_bad_option("history", opt, argv);
		}
	}
	if (optind < argc)
		return cli_misuse("history", "it takes no file or name: '%s'",
				  utf8_escape((char[200]){ 0 }, 200, argv[optind], strlen(argv[optind])));
	int format = -1;
	if (report) {
		if (csv)
			return cli_misuse("history", "--csv or --report, not both");
		format = sheet_format_of(report);
		if (format < 0)
			return cli_misuse("history", "'%s': say the report's format by the file's extension: .pdf, "
					  ".svg or .png", SHOWN(report));
		/* From here a signal removes the unfinished file (util/cleanup.h). */
		if (cleanup_install("repcue history") < 0) {
			fprintf(stderr, "repcue history: cannot set up signal handling\n");
			return 1;
		}
		out_file_sweep(report);
	} else if (target_given || letter) {
		return cli_misuse("history", "--target and --letter are for --report FILE");
	}
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
			return report ? 1 : 0; /* no report written */
		}
	}
	if (r == -ENOENT) {
		printf("repcue history: %s\n", msg);
		if (report) {
			fprintf(stderr, "repcue history: no sessions yet: no report written\n");
			return 1;
		}
		return 0;
	}
	if (r < 0) {
		fprintf(stderr, "repcue history: %s\n", msg);
		return 1;
	}
	time_t now = time(NULL);
	struct tm tm;
	long off = localtime_r(&now, &tm) ? tm.tm_gmtoff : 0;
	if (report) {
		struct report_options opts = { .paper = letter ? SHEET_LETTER : SHEET_A4, .weeks = weeks,
					       .target = target, .now_s = (int64_t)now, .utc_offset_s = off };
		int status = write_report(h, &opts, report, (enum sheet_format)format);
		history_close(h);
		return status;
	}
	if (csv) {
		r = history_write_csv(h, stdout);
	} else {
		static struct week_sums sums;
		sums.n = weeks;
		sums.first = history_week(now, off) - weeks + 1;
		printf("%-16s  %-28s  %7s  %s\n", "date", "routine", "minutes", "how far");
		r = history_each(h, report_local_monday(sums.first), table_row, &sums);
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
