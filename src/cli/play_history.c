/* play_history.c - play's hookup to the history: opening it, recording
 * the transcript through its queue (never to disk here), its problems
 * logged once and said in the next lobby. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/play.h"
#include "util/out_file.h"
#include "util/path.h"

void history_push_all(struct player *p, const struct history_event *ev, int n)
{
	for (int i = 0; i < n; i++)
		history_push(p->history, &ev[i]);
}

void history_entry(void *ctx, const struct seq_log_entry *e)
{
	struct player *p = ctx;
	struct history_event ev[HISTORY_TRACK_MAX];

	history_push_all(p, ev, history_track(&p->tracker, e, time(NULL), ev, HISTORY_TRACK_MAX));
}

void history_start(struct player *p)
{
	char msg[HISTORY_MSG_MAX], csv[HISTORY_PATH_MAX];
	bool moved = false;

	if (history_open(&p->history, p->opts->env->state_dir, 0, &moved, msg, sizeof(msg)) < 0) {
		fprintf(p->log, "repcue: %s; coaching goes on without a history\n", msg);
		p->notice = PHRASE_HISTORY_OFF;
		return;
	}
	if (moved) {
		fprintf(p->log, "repcue: %s\n", msg);
		p->notice = PHRASE_HISTORY_MOVED;
	}
	/* the service writes it into its card outbox, for repcue-card.service
	 * to copy; run by hand, onto the card when its folder is writable */
	if (p->opts->card_out) {
		int r = mkdir_p(p->opts->card_out, 0755);
		if (r == 0)
			r = path_format(csv, sizeof(csv), "%s/" HISTORY_CSV_NAME, p->opts->card_out);
		if (r == 0)
			r = history_set_csv(p->history, csv);
		if (r < 0)
			fprintf(p->log, "repcue: %s: cannot keep history.csv there: %s\n", p->opts->card_out, strerror(-r));
		return;
	}
	int r = history_csv_path(p->opts->env->boot_dir, csv, sizeof(csv));
	if (r == 0)
		history_set_csv(p->history, csv);
	else if (r == -ENAMETOOLONG)
		fprintf(p->log, "repcue: the card's history.csv would be under %s/repcue: too long a path "
			"(%zu bytes at most); no copy of the history is written to the card\n",
			p->opts->env->boot_dir, sizeof(csv) - sizeof("/repcue/history.csv"));
}

/* A write problem of the history thread: logged once, said in the next lobby. */
void history_check(struct player *p)
{
	char msg[HISTORY_MSG_MAX];

	if (history_take_problem(p->history, msg, sizeof(msg))) {
		fprintf(p->log, "repcue: %s; coaching goes on\n", msg);
		p->notice = PHRASE_HISTORY_UNSAVED;
	}
}

void history_stopped(struct player *p, frames_t at)
{
	struct history_event ev[HISTORY_TRACK_MAX];

	if (p->history && p->live)
		history_push_all(p, ev, history_track_stop(&p->tracker, at, time(NULL), ev, HISTORY_TRACK_MAX));
}
