/* player_history.c - the history of the running session: opening the
 * history, the tracker of each session fed from its transcript through
 * the history's queue (never to disk on this thread), its problems
 * logged once and said in the next lobby. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "player/player_internal.h"
#include "util/out_file.h"
#include "util/path.h"

static void push_all(struct player *p, const struct history_event *ev, int n)
{
	for (int i = 0; i < n; i++)
		history_push(p->history, &ev[i]);
}

void player_history_entry(void *ctx, const struct seq_log_entry *e)
{
	struct player *p = ctx;
	struct history_event ev[HISTORY_TRACK_MAX];

	push_all(p, ev, history_track(&p->tracker, e, time(NULL), ev, HISTORY_TRACK_MAX));
}

void player_history_open(struct player *p)
{
	const struct repcue_env *env = p->set.env;
	const char *card_out = p->set.card_out;
	char msg[HISTORY_MSG_MAX], csv[HISTORY_PATH_MAX];
	bool moved = false;

	if (history_open(&p->history, env->state_dir, 0, &moved, msg, sizeof(msg)) < 0) {
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
	if (card_out) {
		int r = mkdir_p(card_out, 0755);
		if (r == 0)
			r = path_format(csv, sizeof(csv), "%s/" HISTORY_CSV_NAME, card_out);
		if (r == 0)
			r = history_set_csv(p->history, csv);
		if (r < 0)
			fprintf(p->log, "repcue: %s: cannot keep history.csv there: %s\n", card_out, strerror(-r));
		return;
	}
	int r = history_csv_path(env->boot_dir, csv, sizeof(csv));
	if (r == 0)
		history_set_csv(p->history, csv);
	else if (r == -ENAMETOOLONG)
		fprintf(p->log, "repcue: the card's history.csv would be under %s/repcue: too long a path "
			"(%zu bytes at most); no copy of the history is written to the card\n",
			env->boot_dir, sizeof(csv) - sizeof("/repcue/history.csv"));
}

void player_history_track(struct player *p, bool in_lobby)
{
	const struct session *s = live_session(p->live);
	struct history_event ev[HISTORY_TRACK_MAX];
	int resume = s->offer.kind == HISTORY_OFFER_RESUME ? s->offer.segment : -1;

	if (s->offer.kind != HISTORY_OFFER_NONE) {
		char offer_line[PLAN_TEXT_MAX];
		history_offer_line_in(&s->offer, s->book, offer_line, sizeof(offer_line));
		fprintf(p->log, "repcue: %s\n", offer_line);
	}
	push_all(p, ev, history_tracker_init(&p->tracker, &s->plan, s->routine, &s->history_info, in_lobby, resume,
					     time(NULL), ev, HISTORY_TRACK_MAX));
}

void player_history_check(struct player *p)
{
	char msg[HISTORY_MSG_MAX];

	if (history_take_problem(p->history, msg, sizeof(msg))) {
		fprintf(p->log, "repcue: %s; coaching goes on\n", msg);
		p->notice = PHRASE_HISTORY_UNSAVED;
	}
}

void player_history_stopped(struct player *p, frames_t at)
{
	struct history_event ev[HISTORY_TRACK_MAX];

	if (p->history && p->live)
		push_all(p, ev, history_track_stop(&p->tracker, at, time(NULL), ev, HISTORY_TRACK_MAX));
}
