/* repcue play - coach a session live through the sound card, steered by
 * terminal keys, buttons and pedals: signals, start-up and the main loop
 * (options: play_options.c; config and routine: play_setup.c; lobby list:
 * session/lobby.c; history: play_history.c; no device: play_fallback.c;
 * status: play_status.c). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/play.h"
#include "session/controls.h"
#include "history/history.h"
#include "input/input.h"
#include "core/watchdog.h"
#include "input/terminal.h"
#include "session/live.h"
#include "util/cleanup.h"
#include "util/notify.h"

#define STATUS_EVERY_MS 100
#define DEVICE_WAIT_STEP_MS 1000

#define HISTORY_FLUSH_WAIT_MS 3000

static int signal_pipe[2] = { -1, -1 };
/* Set while the session is being prepared (waiting for a device, loading,
 * making the first lines): no loop is there to read the pipe, so a signal
 * ends the process at once, removing its temporaries (util/cleanup.h) and
 * restoring the terminal. */
static volatile sig_atomic_t starting;

static void on_signal(int sig)
{
	int saved = errno;

	if (starting) {
		terminal_restore();
		cleanup_and_raise(sig);
	}
	unsigned char b = (unsigned char)sig;
	if (write(signal_pipe[1], &b, 1) < 0) {
		/* the pipe is full: a signal is already pending */
	}
	errno = saved;
}

static int install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return 0;
}

static bool signalled(int timeout_ms)
{
	struct pollfd p = { .fd = signal_pipe[0], .events = POLLIN };
	return poll(&p, 1, timeout_ms) > 0;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static FILE *quiet_stderr(int *saved)
{
	int copy = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	FILE *log = copy >= 0 ? fdopen(copy, "w") : NULL;

	if (!log || null < 0 || dup2(null, STDERR_FILENO) < 0) {
		if (log)
			fclose(log);
		else if (copy >= 0)
			close(copy);
		if (null >= 0)
			close(null);
		return stderr;
	}
	close(null);
	setvbuf(log, NULL, _IOLBF, 0);
	fcntl(copy, F_SETFD, FD_CLOEXEC);
	*saved = copy;
	return log;
}

static void restore_stderr(FILE *log, int saved)
{
	if (log == stderr)
		return;
	fflush(log);
	dup2(saved, STDERR_FILENO);
	fclose(log);
}

static void print_summary(const struct player *p, const struct live_status *st)
{
	const struct line_store *store = &live_session(p->live)->lines;

	fflush(stdout);  /* the transcript before the summary, should both go to one file */

	fprintf(p->log, "repcue: %s at %lld frames; lines: %d synthesized, %d from the cache, peak %.1f MB in memory\n",
		st->end_at >= 0 ? "session complete" : "stopped", (long long)(st->end_at >= 0 ? st->end_at : st->now),
		store->synthesized, store->from_disk, (double)store->peak_bytes / (1 << 20));
}

/* What the lobby says while it waits for start: phrase `id` (PHRASE_COUNT:
 * no lobby, start at once) with {number} of {total}. */
struct lobby_say {
	enum phrase_id id;
	int number, total;
};
static const struct lobby_say no_lobby = { .id = PHRASE_COUNT };

static int open_session(struct player *p, const char *routine, struct lobby_say say)
{
	struct live_options lo = p->lo;
	char line[PLAN_TEXT_MAX], notice[PLAN_TEXT_MAX];
	const char *lobby_line = NULL;

	if (say.id != PHRASE_COUNT) {
		/* lines waiting to be said (skipped files) go before the lobby
		 * line, all in the language of the routine's voice */
		const struct phrasebook *book = p->lobby ? lobby_routine_book(p->lobby, routine) : NULL;
		lobby_compose(p->lobby, book, say.id, say.number, say.total, line, sizeof(line));
		lobby_line = line;
		snprintf(notice, sizeof(notice), "%s", p->notice != PHRASE_COUNT ? phrase_text(book, p->notice) : "");
	}
	snprintf(p->routine, sizeof(p->routine), "%s", routine);
	lo.session.lobby_line = lobby_line;
	lo.session.history = p->history;
	lo.session.adherence = p->history != NULL;
	lo.session.no_resume = p->no_resume;
	lo.session.notice_line = lobby_line && p->notice != PHRASE_COUNT ? notice : NULL;
	if (p->history) {
		lo.on_entry = history_entry;
		lo.entry_ctx = p;
	}
	p->no_resume = false;
	/* the offer and the count this week need the last session's records;
	 * a disk that hangs must not keep the next session from starting */
	if (p->history && history_flush(p->history, HISTORY_FLUSH_WAIT_MS) < 0)
		fprintf(p->log, "repcue: the history is slow to write; the resume offer may be out of date\n");
	starting = 1;
	int r = live_open(&p->live, routine, &lo, p->log);
	if (r < 0) {
		p->live = NULL;
		starting = 0;
		return r;
	}
	if (lobby_line)
		p->notice = PHRASE_COUNT;
	if (p->history) {
		const struct session *s = live_session(p->live);
		struct history_event ev[HISTORY_TRACK_MAX];
		int resume = s->offer.kind == HISTORY_OFFER_RESUME ? s->offer.segment : -1;
		if (s->offer.kind != HISTORY_OFFER_NONE) {
			char offer_line[PLAN_TEXT_MAX];
			history_offer_line_in(&s->offer, s->book, offer_line, sizeof(offer_line));
			fprintf(p->log, "repcue: %s\n", offer_line);
		}
		history_push_all(p, ev, history_tracker_init(&p->tracker, &s->plan, s->routine, &s->history_info,
							       lobby_line != NULL, resume, time(NULL), ev,
							       HISTORY_TRACK_MAX));
	}
	r = live_start(p->live, p->log);
	if (r < 0) {
		live_close(p->live);
		p->live = NULL;
	}
	starting = 0;
	return r;
}

/* open_session() for the lobby: a routine that fails to open although it
 * checked fine (its voice, speech) gives way to the packaged default,
 * which is said. */
static int open_lobby(struct player *p, const char *routine, struct lobby_say say)
{
	int r = open_session(p, routine, say);
	if (r < 0 && r != -ENODEV && !lobby_same_file(routine, p->lobby->fallback)) {
		fprintf(p->log, "repcue: %s cannot be played; playing %s instead\n", routine, p->lobby->fallback);
		lobby_say(p->lobby, PHRASE_CANNOT_PLAY, NULL, 0);
		r = open_session(p, p->lobby->fallback, say);
	}
	return r;
}

int cmd_play(int argc, char **argv)
{
	struct play_options o;

	play_options_init(&o);
	int r = play_options_parse(&o, argc, argv);
	return r >= 0 ? r : play_run(&o);
}

int play_run(const struct play_options *o)
{
	struct player p = { .log = stderr, .lo = o->lo, .notice = PHRASE_COUNT };
	struct live_options *lo = &p.lo;
	const char *fallback_wav = o->fallback_wav, *press_spec = o->press_spec;
	const char *simulate = o->simulate;
	bool wait_for_device = o->wait_for_device, wait_for_start = o->wait_for_start, keys = o->keys;
	bool transcript = o->transcript;
	struct control_event presses[SESSION_PRESSES_MAX];
	char msg[512];

	/* The device config under the options, and the routine: play_setup.c. */
	static struct play_setup setup;
	int set = play_setup(&setup, o, lo);
	if (set >= 0)
		return set;
	struct device_config *cfg = &setup.cfg;
	struct lobby *lobby = &setup.lobby;
	const char *routine = setup.routine;
	wait_for_device = setup.wait_for_device;

	if (press_spec) {
		lo->n_presses = control_parse_presses(press_spec, presses, SESSION_PRESSES_MAX, msg, sizeof(msg));
		if (lo->n_presses < 0) {
			fprintf(stderr, "repcue play: %s\n", msg);
			return 2;
		}
		lo->presses = presses;
	}

	/* PortAudio 19.6 prints its own failures ("Expression ... failed")
	 * straight to stderr and offers no hook to stop it; so, unless
	 * --verbose, our messages go to a copy of stderr and fd 2 itself
	 * goes to /dev/null while the sound device is in use. */
	int saved_stderr = STDERR_FILENO;
	FILE *log = stderr;
	if (!lo->output.verbose)
		log = quiet_stderr(&saved_stderr);
	p.log = log;
	int status_code = 0;
	struct controls *controls = NULL;
	cleanup_describe("repcue play", saved_stderr);
	starting = 1;
	if (install_signals() < 0) {
		fprintf(log, "repcue play: cannot set up signal handling\n");
		status_code = 1;
		goto out;
	}
	if (controls_open(cfg, keys && isatty(STDIN_FILENO), &controls, log) < 0) {
		fprintf(log, "repcue play: cannot set up the controls\n");
		status_code = 1;
		goto out;
	}
	history_start(&p);
	/* Ready as soon as the inputs listen: waiting for a sound device is
	 * a state of a running service, not a failure to start. */
	notify_ready();

	struct watchdog wd;
	watchdog_init(&wd, notify_watchdog_ms(), monotonic_ms());
	if (wait_for_device) {
		bool said = false;
		/* 0 at once for a backend with no device to wait for (null) */
		while (output_wait_for_device(lo->backend, &lo->output, DEVICE_WAIT_STEP_MS, msg, sizeof(msg)) < 0) {
			if (!said) {
				fprintf(log, "repcue: %s; waiting for a sound device\n", msg);
				notify_status("No sound device: waiting for one");
				said = true;
			}
			/* no sound is expected yet: this loop is the heartbeat */
			if (watchdog_should_ping(&wd, monotonic_ms(), 0, WATCHDOG_AUDIO_NONE))
				notify_watchdog();
			if (signalled(0))
				goto out;
		}
	}
	if (wait_for_start)
		notify_status("Preparing the lobby");

	const struct lobby_say ready_line = { .id = wait_for_start ? PHRASE_LOBBY_READY : PHRASE_COUNT };
	int r;
	if (wait_for_start) {
		p.lobby = lobby;
		lobby_refresh(lobby, log);
		routine = lobby_pick(lobby, routine);
		r = open_lobby(&p, routine, ready_line);
	} else {
		r = open_session(&p, routine, no_lobby);
	}
	if (r == -ENODEV && !wait_for_device) {
		controls_close(controls);
		controls = NULL;
		restore_stderr(log, saved_stderr);
		log = stderr;
		return render_instead(routine, fallback_wav, lo->presses, lo->n_presses);
	}
	if (r < 0) {
		status_code = 1;
		goto out;
	}
	/* The script's clock starts once the first session (or the lobby) is
	 * ready, as a person's would: never while it is still being prepared,
	 * which takes seconds with a cold speech cache on a busy machine. */
	if (simulate && controls_simulate(controls, simulate) < 0) {
		fprintf(log, "repcue play: cannot simulate presses\n");
		status_code = 1;
		goto out;
	}

	bool tty_status = isatty(saved_stderr) && !transcript;
	struct live_status st = { 0 };
	char status[256], last_status[256] = "", last_service_status[256] = "";
	frames_t finished_at = -1;
	for (;;) {
		struct pollfd fds[CONTROLS_MAX_FDS + 1];
		int n = controls_pollfds(controls, fds, CONTROLS_MAX_FDS);
		if (n < 0)
			n = 0;
		fds[n] = (struct pollfd){ .fd = signal_pipe[0], .events = POLLIN };
		int timeout = controls_timeout_ms(controls);
		if (timeout < 0 || timeout > STATUS_EVERY_MS)
			timeout = STATUS_EVERY_MS;
		if (poll(fds, (nfds_t)n + 1, timeout) < 0 && errno != EINTR)
			break;
		if (fds[n].revents & POLLIN)
			break; /* SIGINT, SIGTERM, SIGHUP */
		bool quit = false, choose = false;
		struct input_action a;
		controls_dispatch(controls, fds, n);
		while (controls_next(controls, input_state(live_session(p.live), &st), &a)) {
			if (a.status == INPUT_STATUS_DISCONNECTED || a.status == INPUT_STATUS_CONNECTED ||
			    a.status == INPUT_STATUS_FAILED) {
				char name[64];
				fprintf(log, "repcue: %s %s\n", controls_input_name(controls, &a, name, sizeof(name)),
					a.status == INPUT_STATUS_CONNECTED ? "connected" :
					a.status == INPUT_STATUS_DISCONNECTED ? "disconnected" : "failed; ignoring it");
				/* Only hot-plug devices (USB pedals) come and go. */
				if (a.status == INPUT_STATUS_DISCONNECTED)
					live_push(p.live, CONTROL_PEDAL_GONE);
				else if (a.status == INPUT_STATUS_CONNECTED)
					live_push(p.live, CONTROL_PEDAL_BACK);
			} else if (a.control == CONTROL_QUIT) {
				quit = true;
			} else if (a.command == INPUT_COMMAND_CHOOSE_ROUTINE) {
				choose = true;
			} else if (a.command == INPUT_COMMAND_CONFIRM) {
				live_push(p.live, CONTROL_START);
			} else if (a.control != CONTROL_NONE) {
				live_push(p.live, a.control);
			}
		}
		if (quit)
			break;
		live_poll(p.live, transcript ? stdout : NULL, log, &st);
		history_check(&p);
		if (choose && st.lobby && live_session(p.live)->offer.kind == HISTORY_OFFER_RESUME) {
			/* Hold start on a resume offer: this routine from the start. */
			char again[512];
			snprintf(again, sizeof(again), "%s", p.routine);
			live_fade_out(p.live);
			live_close(p.live);
			p.live = NULL;
			p.no_resume = true;
			if (open_lobby(&p, again, ready_line) < 0) {
				status_code = 1;
				break;
			}
			finished_at = -1;
			continue;
		}
		if (choose && st.lobby && p.lobby) {
			/* Hold start in the lobby: the list read again, then the
			 * next routine, said aloud. */
			struct lobby_say line = ready_line;
			char current[sizeof(p.routine)];
			const char *next;
			snprintf(current, sizeof(current), "%s", p.routine);
			lobby_refresh(lobby, log);
			if (lobby->n_valid > 0) {
				int choice = (lobby_find(lobby, current) + 1) % lobby->n_valid;
				next = lobby->list.items[lobby->valid[choice]].path;
				line = (struct lobby_say){ PHRASE_LOBBY_CHOICE, choice + 1, lobby->n_valid };
			} else {
				next = lobby_pick(lobby, NULL);
			}
			live_fade_out(p.live);
			live_close(p.live);
			p.live = NULL;
			if (open_lobby(&p, next, line) < 0) {
				status_code = 1;
				break;
			}
			finished_at = -1;
			continue;
		}
		/* WATCHDOG=1 only while the device pulls samples: a wedged
		 * device or a stuck audio thread gets the service restarted.
		 * While the output reopens a lost device this loop is the work,
		 * for a grace of a few intervals (core/watchdog.h). */
		if (watchdog_should_ping(&wd, monotonic_ms(), st.health.frames_pulled,
					 st.health.state == OUTPUT_LOST ? WATCHDOG_AUDIO_LOST : WATCHDOG_AUDIO_PLAYING))
			notify_watchdog();
		service_status(live_session(p.live), &st, status, sizeof(status));
		if (strcmp(status, last_service_status) != 0) {
			notify_status(status);
			snprintf(last_service_status, sizeof(last_service_status), "%s", status);
		}
		if (tty_status) {
			format_status(live_session(p.live), &st, status, sizeof(status));
			if (strcmp(status, last_status) != 0) {
				fprintf(log, "\r\033[K%s", status);
				snprintf(last_status, sizeof(last_status), "%s", status);
			}
		}
		if (st.finished) {
			/* let the last samples leave the device before closing it */
			if (finished_at < 0) {
				finished_at = st.now;
			} else if (st.now - finished_at >= frames_from_ms(500) || st.health.state != OUTPUT_PLAYING) {
				print_summary(&p, &st);
				/* a scripted run (--press, --simulate) is one session */
				if (!wait_for_start || lo->n_presses > 0 || simulate)
					break;
				/* the service: back to waiting for the start button,
				 * with the routine list read again */
				char again[512];
				snprintf(again, sizeof(again), "%s", p.routine);
				live_close(p.live);
				p.live = NULL;
				lobby_refresh(lobby, log);
				if (open_lobby(&p, lobby_pick(lobby, again), ready_line) < 0) {
					status_code = 1;
					break;
				}
				finished_at = -1;
			}
		}
	}
	if (tty_status)
		fputc('\n', log);
	if (p.live && !st.finished) {
		print_summary(&p, &st);
		history_stopped(&p, st.now);
	}
out:
	notify_stopping();
	controls_close(controls); /* restores the terminal */
	/* Quit, a signal or an error: fade out whatever is sounding first. */
	live_fade_out(p.live);
	live_close(p.live);
	history_close(p.history); /* writes what is still queued */
	restore_stderr(log, saved_stderr);
	return status_code;
}
