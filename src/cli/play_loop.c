/* play_loop.c - the main loop of `repcue play`: waits for inputs, signals
 * and the status tick; hands presses to the session; switches the lobby's
 * routine; keeps the watchdog and the status lines; ends a session (back
 * to the lobby in the service). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/play.h"
#include "session/controls.h"
#include "util/clock.h"
#include "util/notify.h"

#define STATUS_EVERY_MS 100

/* What the inputs asked for in one round, beyond what went to the session. */
struct asked {
	bool quit;
	bool choose; /* hold start: another routine (or, on a resume offer, this one from the start) */
};

static const struct lobby_say ready_line = { .id = PHRASE_LOBBY_READY };

/* Waits for an input, a signal or the status tick. False on a signal (or
 * a poll that fails). */
static bool wait_for_input(struct player *p)
{
	struct pollfd fds[CONTROLS_MAX_FDS + 1];
	int n = controls_pollfds(p->controls, fds, CONTROLS_MAX_FDS);
	if (n < 0)
		n = 0;
	fds[n] = (struct pollfd){ .fd = p->signal_fd, .events = POLLIN };
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
static struct asked dispatch_actions(struct player *p)
{
	struct asked asked = { 0 };
	struct input_action a;

	while (controls_next(p->controls, input_state(live_session(p->live), &p->st), &a)) {
		if (a.status == INPUT_STATUS_DISCONNECTED || a.status == INPUT_STATUS_CONNECTED ||
		    a.status == INPUT_STATUS_FAILED)
			input_changed(p, &a);
		else if (a.control == CONTROL_QUIT)
			asked.quit = true;
		else if (play_rating_take(p, &a))
			; /* RATING: a press answers "how did that feel?" (play_rating.c) */
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
 * 0, or as reopen_lobby. */
static int choose_routine(struct player *p)
{
	if (live_session(p->live)->offer.kind == HISTORY_OFFER_RESUME) {
		p->no_resume = true;
		return reopen_lobby(p, p->routine, ready_line);
	}
	struct lobby *lobby = p->lobby;
	struct lobby_say line = ready_line;
	const char *next;
	lobby_refresh(lobby, p->log);
	if (lobby->n_valid > 0) {
		int choice = (lobby_find(lobby, p->routine) + 1) % lobby->n_valid;
		next = lobby->list.items[lobby->valid[choice]].path;
		line = (struct lobby_say){ PHRASE_LOBBY_CHOICE, choice + 1, lobby->n_valid };
	} else {
		next = lobby_pick(lobby, NULL);
	}
	return reopen_lobby(p, next, line);
}

/* Once per round: the watchdog, STATUS= and the terminal's status line. */
static void tick(struct player *p)
{
	const struct live_status *st = &p->st;
	char status[256];

	/* WATCHDOG=1 only while the device pulls samples: a wedged device or
	 * a stuck audio thread gets the service restarted. While the output
	 * reopens a lost device this loop is the work, for a grace of a few
	 * intervals (core/watchdog.h). */
	if (watchdog_should_ping(&p->wd, clock_now_ms(), st->health.frames_pulled,
				 st->health.state == OUTPUT_LOST ? WATCHDOG_AUDIO_LOST : WATCHDOG_AUDIO_PLAYING))
		notify_watchdog();
	/* a gpio chip whose driver loads late, a pedal path that becomes an
	 * input device: a few opens every few seconds, never a spin */
	if (clock_now_ms() - p->inputs_retried_ms >= INPUT_RETRY_MS) {
		retry_inputs(p);
		/* the music thread finds a damaged track as it measures it */
		if (st->lobby)
			note_music(p);
	}
	service_status(live_session(p->live), st, status, sizeof(status));
	if (strcmp(status, p->last_service_status) != 0) {
		notify_status(status);
		snprintf(p->last_service_status, sizeof(p->last_service_status), "%s", status);
	}
	if (p->tty_status) {
		format_status(live_session(p->live), st, status, sizeof(status));
		if (strcmp(status, p->last_status) != 0) {
			fprintf(p->log, "\r\033[K%s", status);
			/* the log is line-buffered and this line has no newline:
			 * without the flush it would show only at the next message */
			fflush(p->log);
			snprintf(p->last_status, sizeof(p->last_status), "%s", status);
		}
	}
}

/* The result of a lobby switch as the loop's: 1 go on, 0 stop, -1 failed. */
static int switched(int r)
{
	if (r == -EINTR)
		return 0; /* a signal while waiting for the device */
	return r < 0 ? -1 : 1;
}

/* A message goes on a line of its own: the status line, if one is shown,
 * is wiped first and drawn again at the next tick. */
static void status_line_clear(struct player *p)
{
	if (p->tty_status && p->last_status[0]) {
		fputs("\r\033[K", p->log);
		fflush(p->log);
		p->last_status[0] = '\0';
	}
}

/* After a session (and its rating): back to the lobby with the routine
 * list read again (the service). 1 to go on, 0 to stop (a scripted run is
 * one session), -1 when the lobby cannot be opened. */
static int after_session(struct player *p)
{
	if (!p->opts->wait_for_start || p->lo.n_presses > 0 || p->opts->simulate) {
		/* the rating's lobby, if one is open, ends here: not a stop */
		live_fade_out(p->live);
		live_close(p->live);
		p->live = NULL;
		return 0;
	}
	lobby_refresh(p->lobby, p->log);
	return switched(reopen_lobby(p, lobby_pick(p->lobby, p->routine), ready_line));
}

/* The session has finished: once its last samples have left the device,
 * the summary, then the rating or what comes after the session. As
 * after_session. */
static int session_end(struct player *p)
{
	const struct live_status *st = &p->st;

	if (p->finished_at < 0) {
		p->finished_at = st->now;
		return 1;
	}
	if (st->now - p->finished_at < frames_from_ms(500) && st->health.state == OUTPUT_PLAYING)
		return 1;
	status_line_clear(p);
	print_summary(p);
	if (play_rating_wanted(p)) /* RATING: ask how it felt (play_rating.c) */
		return switched(play_rating_ask(p));
	return after_session(p);
}

int play_loop(struct player *p)
{
	int go = 1;

	p->tty_status = isatty(p->saved_stderr) && !p->opts->transcript;
	while (go > 0 && wait_for_input(p)) {
		struct asked asked = dispatch_actions(p);
		if (asked.quit)
			break;
		live_poll(p->live, p->opts->transcript ? stdout : NULL, p->log, &p->st);
		history_check(p);
		if (asked.choose && p->st.lobby && p->lobby) {
			go = switched(choose_routine(p));
			continue;
		}
		tick(p);
		if (play_rating_over(p)) /* RATING: answered or silent: on as after a session */
			go = after_session(p);
		else if (p->st.finished)
			go = session_end(p);
	}
	status_line_clear(p);
	if (p->live && !p->st.finished) {
		print_summary(p);
		history_stopped(p, p->st.now);
	}
	return go < 0 ? 1 : 0;
}
