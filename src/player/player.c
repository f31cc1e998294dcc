/* player.c - the player's life (player/player.h): made with the inputs
 * and the history, one round of the loop at a time (the inputs' actions
 * to the session, hold start in the lobby, the watchdog and the status,
 * the end of a session), stopped, destroyed. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "player/player_internal.h"
#include "util/clock.h"
#include "util/env.h"
#include "util/notify.h"

#define STATUS_EVERY_MS 100

int player_create(struct player **ret, const struct player_settings *s)
{
	struct player *p = calloc(1, sizeof(*p));

	*ret = NULL;
	if (!p)
		return -ENOMEM;
	p->set = *s;
	p->log = s->log;
	p->lobby = s->lobby;
	p->notice = PHRASE_COUNT;
	p->finished_at = -1;
	p->tty_status = isatty(s->log_fd) && !s->transcript;
	p->applied = *s->cfg;
	snprintf(p->device, sizeof(p->device), "%s", s->lo.output.device ? s->lo.output.device : "");
	p->set.lo.output.device = p->device[0] ? p->device : NULL;
	int r = controls_open(s->cfg, s->keys && isatty(STDIN_FILENO), &p->controls, p->log);
	if (r < 0) {
		free(p);
		return r;
	}
	player_history_open(p);
	/* the sheets and the report are the lobby's work between sessions
	 * (as the service runs), drawn by this executable run as a child;
	 * none without a lobby, or when it cannot start */
	char self[1024];
	if (p->lobby && env_self_exe(self, sizeof(self)) == 0)
		card_sheets_open(&p->card_sheets, p->lobby, self);
	watchdog_init(&p->wd, notify_watchdog_ms(), clock_now_ms());
	*ret = p;
	return 0;
}

int player_simulate(struct player *p, const char *script)
{
	return controls_simulate(p->controls, script);
}

/* What the inputs asked for in one round, beyond what went to the session. */
struct asked {
	bool quit;
	bool choose; /* hold start: another routine (or, on a resume offer, this one from the start) */
};

/* Waits for an input, a signal or the status tick. False on a signal (or
 * a poll that fails). */
static bool wait_for_input(struct player *p)
{
	struct pollfd fds[CONTROLS_MAX_FDS + 1];
	int n = controls_pollfds(p->controls, fds, CONTROLS_MAX_FDS);
	if (n < 0)
		n = 0;
	fds[n] = (struct pollfd){ .fd = p->set.signal_fd, .events = POLLIN };
	int timeout = controls_timeout_ms(p->controls);
	if (timeout < 0 || timeout > STATUS_EVERY_MS)
		timeout = STATUS_EVERY_MS;
	if (poll(fds, (nfds_t)n + 1, timeout) < 0 && errno != EINTR)
		return false;
	if (fds[n].revents & POLLIN)
		return false; /* SIGINT, SIGTERM, SIGHUP */
	controls_dispatch(p->controls, fds, n);
	return true;
}

/* A pedal or button that came, went or failed: logged, and the session
 * told (only hot-plug devices, USB pedals, come and go). */
static void input_changed(struct player *p, const struct input_action *a)
{
	char name[64];

	fprintf(p->log, "repcue: %s %s\n", controls_input_name(p->controls, a, name, sizeof(name)),
		a->status == INPUT_STATUS_CONNECTED ? "connected" :
		a->status == INPUT_STATUS_DISCONNECTED ? "disconnected" : "failed; ignoring it");
	if (a->status == INPUT_STATUS_DISCONNECTED)
		live_push(p->live, CONTROL_PEDAL_GONE);
	else if (a->status == INPUT_STATUS_CONNECTED)
		live_push(p->live, CONTROL_PEDAL_BACK);
}

/* Every action the inputs decoded: presses go to the session; quit and
 * choose are returned. */
static struct asked hand_actions_to_session(struct player *p)
{
	struct asked asked = { 0 };
	struct input_action a;

	while (controls_next(p->controls, player_input_state(p), &a)) {
		if (a.status == INPUT_STATUS_DISCONNECTED || a.status == INPUT_STATUS_CONNECTED ||
		    a.status == INPUT_STATUS_FAILED)
			input_changed(p, &a);
		else if (a.control == CONTROL_QUIT)
			asked.quit = true;
		else if (player_rating_take(p, &a))
			; /* a press answers "how did that feel?" */
		else if (a.command == INPUT_COMMAND_CHOOSE_ROUTINE)
			asked.choose = true;
		else if (a.command == INPUT_COMMAND_CONFIRM)
			live_push(p->live, CONTROL_START);
		else if (a.control != CONTROL_NONE)
			live_push(p->live, a.control);
	}
	return asked;
}

/* Hold start in the lobby. On a resume offer: this routine from the
 * start. Else: the list read again, then the next routine, said aloud.
 * 0, or as player_reopen_lobby. */
static int choose_routine(struct player *p)
{
	if (live_session(p->live)->offer.kind == HISTORY_OFFER_RESUME) {
		p->no_resume = true;
		return player_reopen_lobby(p, p->routine, player_ready_line);
	}
	struct lobby *lobby = p->lobby;
	struct lobby_say line = player_ready_line;
	const char *next;
	lobby_refresh(lobby, p->log);
	if (lobby->n_valid > 0) {
		int choice = (lobby_find(lobby, p->routine) + 1) % lobby->n_valid;
		next = lobby->list.items[lobby->valid[choice]].path;
		line = (struct lobby_say){ PHRASE_LOBBY_CHOICE, choice + 1, lobby->n_valid };
	} else {
		next = lobby_pick(lobby, NULL);
	}
	return player_reopen_lobby(p, next, line);
}

/* systemd's watchdog kills with SIGABRT and the process says nothing of
 * its own then: what the coach saw before is in the journal first. */
static void say_watchdog_silence(struct player *p, int64_t now_ms)
{
	const struct watchdog *w = &p->wd;

	switch (watchdog_silence(&p->wd, now_ms)) {
	case WATCHDOG_SILENCE_LOOP:
		fprintf(p->log, "repcue: the main loop did not come round for %.1f s (systemd's watchdog restarts "
			"the coach after %.0f s without a sign of life)\n",
			(double)w->round_gap_ms / 1000.0, (double)w->interval_ms / 1000.0);
		break;
	case WATCHDOG_SILENCE_CLOCK:
		fprintf(p->log, "repcue: the sound device has taken no samples for %.1f s (it stands at frame %lld): "
			"systemd's watchdog restarts the coach after %.0f s\n",
			(double)(now_ms - w->last_ping_ms) / 1000.0, (long long)p->st.health.frames_pulled,
			(double)w->interval_ms / 1000.0);
		break;
	case WATCHDOG_SILENCE_NONE:
		break;
	}
}

/* Once per round: the watchdog, the inputs tried again, STATUS= and the
 * terminal's status line. */
static void tick(struct player *p)
{
	const struct live_status *st = &p->st;

	/* WATCHDOG=1 only while the device pulls samples: a wedged device or
	 * a stuck audio thread gets the service restarted. While the output
	 * reopens a lost device this loop is the work, for a grace of a few
	 * intervals (core/watchdog.h). */
	int64_t now_ms = clock_now_ms();
	if (watchdog_should_ping(&p->wd, now_ms, st->health.frames_pulled,
				 st->health.state == OUTPUT_LOST ? WATCHDOG_AUDIO_LOST : WATCHDOG_AUDIO_PLAYING))
		notify_watchdog();
	say_watchdog_silence(p, now_ms);
	/* a gpio chip whose driver loads late, a pedal path that becomes an
	 * input device: a few opens every few seconds, never a spin */
	if (clock_now_ms() - p->inputs_retried_ms >= PLAYER_INPUT_RETRY_MS) {
		player_retry_inputs(p);
		/* the music thread finds a damaged track as it measures it */
		if (st->lobby)
			player_note_music(p);
	}
	/* drawn off this loop, only in a silent lobby, never while a
	 * question waits for a press */
	card_sheets_step(p->card_sheets, p->history, st, p->rating.state != RATING_IDLE, p->log);
	player_status_show(p);
}

/* The result of a lobby switch as the loop's: 1 go on, 0 stop, -1 failed. */
static int switched(int r)
{
	if (r == -EINTR)
		return 0; /* a signal while waiting for the device */
	return r < 0 ? -1 : 1;
}

/* After a session (and its rating): the report is due (drawn at the next
 * quiet step, with the rating in it), then (the service) back to the
 * lobby with the routine list read again. 1 to go on, 0 to stop (a
 * scripted run is one session), -1 when the lobby cannot be opened. */
static int after_session(struct player *p)
{
	card_sheets_session_ended(p->card_sheets);
	if (!p->lobby || p->set.one_session) {
		/* the rating's lobby, if one is open, ends here: not a stop */
		live_fade_out(p->live);
		live_close(p->live);
		p->live = NULL;
		return 0;
	}
	lobby_refresh(p->lobby, p->log);
	return switched(player_reopen_lobby(p, lobby_pick(p->lobby, p->routine), player_ready_line));
}

/* The session has finished: once its last samples have left the device,
 * the summary, then (with a lobby) back to the lobby with the routine
 * list read again. 1 to go on, 0 to stop (a scripted run is one session),
 * -1 when the lobby cannot be opened. */
static int session_end(struct player *p)
{
	const struct live_status *st = &p->st;

	if (p->finished_at < 0) {
		p->finished_at = st->now;
		return 1;
	}
	if (st->now - p->finished_at < frames_from_ms(500) && st->health.state == OUTPUT_PLAYING)
		return 1;
	player_status_clear(p);
	player_status_summary(p);
	if (player_rating_wanted(p)) /* ask how it felt first */
		return switched(player_rating_ask(p));
	return after_session(p);
}

int player_step(struct player *p)
{
	if (!wait_for_input(p))
		return 0;
	struct asked asked = hand_actions_to_session(p);
	if (asked.quit)
		return 0;
	live_poll(p->live, p->set.transcript ? stdout : NULL, p->log, &p->st);
	player_history_check(p);
	if (asked.choose && p->st.lobby && p->lobby)
		return switched(choose_routine(p));
	tick(p);
	if (player_rating_over(p)) /* answered or silent: on as after a session */
		return after_session(p);
	return p->st.finished ? session_end(p) : 1;
}

void player_stop(struct player *p)
{
	player_status_clear(p);
	if (p->live && !p->st.finished) {
		player_status_summary(p);
		player_history_stopped(p, p->st.now);
	}
}

void player_destroy(struct player *p)
{
	if (!p)
		return;
	controls_close(p->controls); /* restores the terminal */
	/* quit, a signal or an error: fade out whatever is sounding first */
	live_fade_out(p->live);
	live_close(p->live);
	/* a report still due (a scripted run's one session), before the
	 * history it reads is closed */
	card_sheets_close(p->card_sheets, p->history, p->log);
	history_close(p->history); /* writes what is still queued */
	if (p->quiet)
		fclose(p->quiet);
	free(p);
}
