/* crash_driver - sessions that write history, for the power-cut test
 * (power_cut.py kills it with SIGKILL at random instants).
 *
 *   crash_driver run DIR SEED [N]
 *                               sessions on the real sequencer (fake
 *                               clock, fake speech), random presses, some
 *                               stopped, some resumed as the lobby offers;
 *                               the history thread reports each commit on
 *                               stdout ("commit SESSION EVENT"); without
 *                               end, or N sessions and a clean close
 *   crash_driver export DIR     rewrites DIR/history.csv without end
 *   crash_driver offer DIR      opens the history as a restart does and
 *                               prints what resume offers:
 *                               "offer none|resume|changed STEP SET SEGMENT"
 * Exit 3 if the database had to be moved aside (it never should). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim.h"

static struct routine routine;
static struct plan plan;
static struct sim sim;
static const struct history_session_info info = SIM_SESSION_INFO;

static void push(void *ctx, const struct history_event *ev)
{
	struct history *h = ctx;
	/* like the live session, never wait for the disk while pushing;
	 * but wait between records so the queue never overflows */
	history_push(h, ev);
	history_flush(h, -1);
}

static struct history *open_or_die(const char *dir)
{
	struct history *h;
	char msg[HISTORY_MSG_MAX];
	bool moved = false;

	if (history_open(&h, dir, 0, &moved, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "crash_driver: %s\n", msg);
		exit(1);
	}
	if (moved) {
		fprintf(stderr, "crash_driver: %s\n", msg);
		exit(3);
	}
	return h;
}

static void offer_now(struct history *h, struct history_offer *offer)
{
	struct history_session last;

	if (history_last_session(h, info.routine, &last) == 0)
		history_offer(&last, info.hash, &plan, &routine, offer);
	else
		*offer = (struct history_offer){ .kind = HISTORY_OFFER_NONE, .segment = -1 };
}

/* Sessions without end, or `sessions` of them (> 0) and then the history
 * closed, everything written. */
static int run(const char *dir, unsigned seed, long sessions)
{
	struct history *h = open_or_die(dir);
	char csv[600];

	srand(seed);
	snprintf(csv, sizeof(csv), "%s/history.csv", dir);
	history_set_csv(h, csv);
	history_set_commit_fd(h, STDOUT_FILENO);
	sim.on_event = push;
	sim.ctx = h;
	for (long n = 0; sessions <= 0 || n < sessions; n++) {
		struct history_offer offer;
		offer_now(h, &offer);
		int resume = offer.kind == HISTORY_OFFER_RESUME && rand() % 2 ? offer.segment : -1;
		sim.wall_s = time(NULL);
		sim_start(&sim, &plan, &routine, &info, -1, resume);
		int stop_at = rand() % 3 == 0 ? rand() % 3000 : -1; /* blocks */
		for (int block = 0; sim_block(&sim); block++) {
			if (block == stop_at) {
				sim_stop(&sim);
				break;
			}
			int r = rand() % 4000;
			if (r < 3)
				sim_press(&sim, (enum control_action[]){ CONTROL_NEXT, CONTROL_REPEAT, CONTROL_PAUSE }[r],
					  sim.seq.now);
			if (sim.seq.paused && rand() % 40 == 0)
				sim_press(&sim, CONTROL_PAUSE, sim.seq.now);
		}
		/* a counted run (history_cli.sh): each session is rated, easy,
		 * hard, hurt in turn, as play does after the question; the
		 * history keeps it only where the session completed */
		if (sessions > 0) {
			struct history_event ev = { .kind = HISTORY_SESSION_RATING, .wall_s = sim.wall_s, .step = -1,
						    .arg = RATING_EASY + (int)(n % 3) };
			push(h, &ev);
		}
	}
	history_close(h);
	return 0;
}

static int export(const char *dir)
{
	struct history *h = open_or_die(dir);
	char csv[600];

	snprintf(csv, sizeof(csv), "%s/history.csv", dir);
	for (;;) {
		if (history_export_csv(h, csv) < 0)
			return 1;
		if (write(STDOUT_FILENO, "exported\n", 9) < 0)
			return 1;
	}
}

static int offer(const char *dir)
{
	static const char *const kinds[] = { "none", "resume", "changed" };
	struct history *h = open_or_die(dir);
	struct history_offer o;

	offer_now(h, &o);
	printf("offer %s %d %d %d\n", kinds[o.kind], o.kind == HISTORY_OFFER_NONE ? -1 : o.step,
	       o.kind == HISTORY_OFFER_NONE ? 0 : o.set, o.segment);
	history_close(h);
	return 0;
}

int main(int argc, char **argv)
{
	if (sim_plan_small(&routine, &plan) < 0)
		return 1;
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "run") == 0)
		return run(argv[2], (unsigned)strtoul(argv[3], NULL, 10), argc == 5 ? strtol(argv[4], NULL, 10) : 0);
	if (argc == 3 && strcmp(argv[1], "export") == 0)
		return export(argv[2]);
	if (argc == 3 && strcmp(argv[1], "offer") == 0)
		return offer(argv[2]);
	fprintf(stderr, "usage: crash_driver run DIR SEED [SESSIONS] | export DIR | offer DIR\n");
	return 2;
}
