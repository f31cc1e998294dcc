/* player_open.c - opening sessions and lobbies: the session options of
 * one open, the lobby line composed when the session has loaded its
 * routine, the packaged default in place of a routine that cannot be
 * played, the sound device waited for, the inputs opened again. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "player/player_internal.h"
#include "session/input_trouble.h"
#include "util/clock.h"
#include "util/notify.h"
#include "util/signal_pipe.h"

#define DEVICE_WAIT_STEP_MS 1000
#define HISTORY_FLUSH_WAIT_MS 3000

const struct lobby_say player_no_lobby = { .id = PHRASE_COUNT };
const struct lobby_say player_ready_line = { .id = PHRASE_LOBBY_READY };

void player_retry_inputs(struct player *p)
{
	p->inputs_retried_ms = clock_now_ms();
	if (controls_failed(p->controls) > 0)
		controls_retry(p->controls, p->log);
}

void player_note_music(struct player *p)
{
	struct music_problems mp;

	if (!p->lobby || !p->live)
		return;
	session_music_problems(live_session(p->live), &mp);
	lobby_note_music(p->lobby, &mp, p->log);
}

bool player_wait_step(struct player *p, int timeout_ms)
{
	if (watchdog_should_ping(&p->wd, clock_now_ms(), 0, WATCHDOG_AUDIO_NONE))
		notify_watchdog();
	return signal_pipe_wait(timeout_ms);
}

/* What the lobby says first when a configured input does not work (a pin
 * name with a typo, a pedal path that is no input device, a pedal not
 * plugged in), in the language of book; "" when all work. Each lobby
 * entry tries the failed ones again first. */
static void inputs_trouble(struct player *p, const struct phrasebook *book, char *out, size_t size)
{
	struct controls_problem problems[DEVICE_CONFIG_INPUTS_MAX];
	const char *file = p->set.cfg->file;
	const char *slash = strrchr(file, '/');

	player_retry_inputs(p);
	int n = controls_problems(p->controls, problems, DEVICE_CONFIG_INPUTS_MAX);
	input_trouble_line(problems, n, controls_starters(p->controls), slash ? slash + 1 : file,
			   p->set.config_on_card, book, out, size);
}

/* session_lobby.compose: called by session_open() once it has loaded the
 * routine, so the line is in the language of the routine's voice and
 * names it: the inputs that do not work, the lobby's notes (skipped
 * files...), the lobby phrase; the notice said before it. */
static void compose_lobby(void *ctx, const struct phrasebook *book, const char *path, const char *name,
			  char *line, char *notice, size_t size)
{
	struct player *p = ctx;
	char inputs[LOBBY_NOTES_TEXT_MAX * 2 / 3];

	inputs_trouble(p, book, inputs, sizeof(inputs));
	lobby_compose(p->lobby, book, inputs, p->say.id, p->say.number, p->say.total,
		      &(struct lobby_routine){ .path = path, .name = name }, line, size);
	if (p->say.id == PHRASE_RATING_ASK) /* the question alone (player_rating.c) */
		snprintf(line, size, "%s", phrase_text(book, p->say.id));
	snprintf(notice, size, "%s", p->notice != PHRASE_COUNT ? phrase_text(book, p->notice) : "");
}

/* The live options of one open: the lobby (its line composed by the
 * session), the lobby's settings, the history. */
static struct live_options open_options(struct player *p, struct lobby_say say)
{
	struct live_options lo = p->set.lo;

	p->say = say;
	p->compose = (struct session_lobby){ .compose = compose_lobby, .ctx = p };
	lo.session.lobby = say.id != PHRASE_COUNT ? &p->compose : NULL;
	/* the lobby's settings: the card's config.yaml as last read */
	if (p->lobby)
		session_options_from_config(&lo.session, &p->lobby->settings);
	lo.session.history = p->history;
	lo.session.adherence = p->history != NULL;
	lo.session.no_resume = p->no_resume;
	if (p->history) {
		lo.on_entry = player_history_entry;
		lo.entry_ctx = p;
	}
	return lo;
}

/* Opens and starts one session (its problems printed to err); p->fault
 * says whose fault a failure was. */
static int open_session(struct player *p, const char *routine, struct lobby_say say, FILE *err)
{
	struct live_options lo = open_options(p, say);

	snprintf(p->routine, sizeof(p->routine), "%s", routine);
	p->no_resume = false;
	/* the offer and the count this week need the last session's records;
	 * a disk that hangs must not keep the next session from starting */
	if (p->history && history_flush(p->history, HISTORY_FLUSH_WAIT_MS) < 0)
		fprintf(p->log, "repcue: the history is slow to write; the resume offer may be out of date\n");
	/* no loop reads the signal pipe while the session is prepared: a
	 * signal ends the process at once (util/signal_pipe.h) */
	signal_pipe_fatal(true);
	int r = live_open_fault(&p->live, routine, &lo, err, &p->fault);
	if (r < 0) {
		p->live = NULL;
		signal_pipe_fatal(false);
		return r;
	}
	if (lo.session.lobby)
		p->notice = PHRASE_COUNT;
	if (p->history)
		player_history_track(p, lo.session.lobby != NULL);
	/* to the log even while retrying: "playing through ..." says which
	 * device works at last */
	r = live_start(p->live, p->log);
	if (r < 0) {
		live_close(p->live);
		p->live = NULL;
		p->fault = LIVE_FAULT_OUTPUT; /* live_start only starts the sound */
	}
	signal_pipe_fatal(false);
	return r;
}

/* open_session() for the lobby: a routine that fails to open although it
 * checked fine (its voice, speech) gives way to the packaged default,
 * which is said. Only the routine's own failure does: a sound device that
 * fails would fail the default just the same, and blaming the routine
 * would send the person to fix a good file. */
static int open_lobby(struct player *p, const char *routine, struct lobby_say say, FILE *err)
{
	int r = open_session(p, routine, say, err);
	if (r < 0 && p->fault == LIVE_FAULT_ROUTINE && !lobby_same_file(routine, p->lobby->fallback)) {
		fprintf(err, "repcue: %s cannot be played; playing %s instead\n", routine, p->lobby->fallback);
		lobby_say(p->lobby, PHRASE_CANNOT_PLAY, NULL, 0);
		r = open_session(p, p->lobby->fallback, say, err);
	}
	return r;
}

int player_wait_for_device(struct player *p)
{
	char msg[OUTPUT_MSG_MAX];
	bool said = false;

	while (output_wait_for_device(p->set.lo.backend, &p->set.lo.output, DEVICE_WAIT_STEP_MS, msg,
				      sizeof(msg)) < 0) {
		if (!said) {
			fprintf(p->log, "repcue: %s; waiting for a sound device\n", msg);
			notify_status("No sound device: waiting for one");
			said = true;
		}
		if (player_wait_step(p, 0))
			return 1;
	}
	return 0;
}

static int open_once(struct player *p, const char *routine, struct lobby_say say, FILE *err)
{
	return p->lobby ? open_lobby(p, routine, say, err) : open_session(p, routine, say, err);
}

int player_open(struct player *p, const char *routine, struct lobby_say say)
{
	FILE *err = p->log;
	bool no_resume = p->no_resume; /* for every try: open_session clears it */
	bool said = false;

	for (bool waited = false;; waited = true) {
		p->no_resume = no_resume;
		int r = open_once(p, routine, say, err);
		/* a sound device the card changed that does not open: the one before */
		if (r < 0 && p->fault == LIVE_FAULT_OUTPUT && p->lobby && player_settings_device_failed(p))
			r = open_once(p, routine, say, err);
		if (r >= 0)
			p->device_trial = false;   /* it works: no going back */
		if (r < 0 && p->fault != LIVE_FAULT_OUTPUT && err != p->log) {
			err = p->log; /* no longer the device: once more, saying why */
			r = open_once(p, routine, say, err);
		}
		if (r >= 0 && waited)
			fprintf(p->log, "repcue: the sound device works now\n");
		if (r >= 0)
			player_note_music(p);   /* the files its music folder skipped */
		if (r >= 0 || p->fault != LIVE_FAULT_OUTPUT)
			return r;
		if (!p->set.wait_for_device) {
			/* -ENODEV: the caller renders to a file instead */
			if (r != -ENODEV)
				fprintf(p->log, "repcue: the sound device does not work (see above), so nothing is "
					"played; check it (--device or audio.device in the config, whatever else holds "
					"it), or use --wait-for-device to wait until it works\n");
			return r;
		}
		if (r == -ENODEV) {
			/* gone since: wait until one is listed, as at start-up */
			if (player_wait_for_device(p))
				return -EINTR;
			continue;
		}
		if (!said) {
			fprintf(p->log, "repcue: the sound device does not work (see above); waiting for it, "
				"trying again every %d s\n", DEVICE_WAIT_STEP_MS / 1000);
			notify_status("Sound device not working: waiting for it");
			said = true;
		}
		/* the same failure once a second would flood the journal */
		if (!p->quiet)
			p->quiet = fopen("/dev/null", "we");
		if (p->quiet)
			err = p->quiet;
		if (player_wait_step(p, DEVICE_WAIT_STEP_MS))
			return -EINTR;
	}
}

int player_reopen_lobby(struct player *p, const char *routine, struct lobby_say say)
{
	char next[sizeof(p->routine)];

	snprintf(next, sizeof(next), "%s", routine); /* routine may be p->routine */
	/* a session that ended has nothing left sounding */
	if (!p->st.finished)
		live_fade_out(p->live);
	live_close(p->live);
	p->live = NULL;
	p->finished_at = -1;
	/* between sessions: the settings the lobby read again that open
	 * something (the inputs, the sound device) */
	player_settings_apply(p);
	return player_open(p, next, say);
}

int player_open_first(struct player *p, const char **routine)
{
	if (!p->lobby)
		return player_open(p, *routine, player_no_lobby);
	notify_status("Preparing the lobby");
	lobby_refresh(p->lobby, p->log);
	player_settings_apply(p);
	*routine = lobby_pick(p->lobby, *routine);
	return player_open(p, *routine, player_ready_line);
}
