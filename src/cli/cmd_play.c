/* repcue play - coach a session live through the sound card, steered by
 * terminal keys, buttons and pedals: start-up, and opening sessions and
 * the lobby (options: play_options.c; config and routine: play_setup.c;
 * the main loop: play_loop.c; lobby list: session/lobby.c; history:
 * play_history.c; no device: play_fallback.c; status: play_status.c). */
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
#include "session/input_trouble.h"
#include "history/history.h"
#include "input/input.h"
#include "input/terminal.h"
#include "session/live.h"
#include "util/cleanup.h"
#include "util/clock.h"
#include "util/notify.h"

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

static FILE *quiet_stderr(int *saved)
{
	int copy = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	FILE *log = copy >= 0 ? fdopen(copy, "w") : NULL;

	/* a signal's message goes to the copy before fd 2 goes away */
	if (log)
		cleanup_describe("repcue play", copy);
	if (!log || null < 0 || dup2(null, STDERR_FILENO) < 0) {
		cleanup_describe("repcue play", STDERR_FILENO);
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
	cleanup_describe("repcue play", STDERR_FILENO);
	fclose(log);
}

void print_summary(const struct player *p)
{
	const struct line_store *store = &live_session(p->live)->lines;
	const struct live_status *st = &p->st;

	fflush(stdout);  /* the transcript before the summary, should both go to one file */

	fprintf(p->log, "repcue: %s at %lld frames; lines: %d synthesized, %d from the cache, peak %.1f MB in memory\n",
		st->end_at >= 0 ? "session complete" : "stopped", (long long)(st->end_at >= 0 ? st->end_at : st->now),
		store->synthesized, store->from_disk, (double)store->peak_bytes / (1 << 20));
}

static const struct lobby_say no_lobby = { .id = PHRASE_COUNT };

void retry_inputs(struct player *p)
{
	p->inputs_retried_ms = clock_now_ms();
	if (controls_failed(p->controls) > 0)
		controls_retry(p->controls, p->log);
}

/* What the lobby says first when a configured input does not work (a pin
 * name with a typo, a pedal path that is no input device, a pedal not
 * plugged in), in the language of book; "" when all work. Each lobby
 * entry tries the failed ones again first. */
static void inputs_trouble(struct player *p, const struct phrasebook *book, char *out, size_t size)
{
	struct controls_problem problems[DEVICE_CONFIG_INPUTS_MAX];
	const char *slash = p->config_file ? strrchr(p->config_file, '/') : NULL;

	retry_inputs(p);
	int n = controls_problems(p->controls, problems, DEVICE_CONFIG_INPUTS_MAX);
	input_trouble_line(problems, n, controls_starters(p->controls), slash ? slash + 1 : p->config_file,
			   p->config_on_card, book, out, size);
}

/* The session options of one open: the lobby line (lines waiting to be
 * said, such as skipped files, go before it, all in the language of the
 * routine's voice), the notice, the history. line and notice are the
 * caller's buffers of PLAN_TEXT_MAX, borrowed by the result. */
static struct live_options session_options(struct player *p, const char *routine, struct lobby_say say,
					   char *line, char *notice)
{
	struct live_options lo = p->lo;
	const char *lobby_line = NULL;

	if (say.id != PHRASE_COUNT) {
		const struct phrasebook *book = p->lobby ? lobby_routine_book(p->lobby, routine) : NULL;
		char inputs[LOBBY_NOTES_TEXT_MAX * 2 / 3];
		inputs_trouble(p, book, inputs, sizeof(inputs));
		lobby_compose(p->lobby, book, inputs, say.id, say.number, say.total, routine, line, PLAN_TEXT_MAX);
		if (say.id == PHRASE_RATING_ASK) /* RATING: the question alone (play_rating.c) */
			snprintf(line, PLAN_TEXT_MAX, "%s", phrase_text(book, say.id));
		lobby_line = line;
		snprintf(notice, PLAN_TEXT_MAX, "%s", p->notice != PHRASE_COUNT ? phrase_text(book, p->notice) : "");
	}
	/* the lobby's settings: the card's config.yaml as last read */
	if (p->lobby)
		session_options_from_config(&lo.session, &p->lobby->settings);
	lo.session.lobby_line = lobby_line;
	lo.session.history = p->history;
	lo.session.adherence = p->history != NULL;
	lo.session.no_resume = p->no_resume;
	lo.session.notice_line = lobby_line && p->notice != PHRASE_COUNT ? notice : NULL;
	if (p->history) {
		lo.on_entry = history_entry;
		lo.entry_ctx = p;
	}
	return lo;
}

/* The history of the session just opened: its offer logged, its tracker
 * started. */
static void track_session(struct player *p, bool in_lobby)
{
	const struct session *s = live_session(p->live);
	struct history_event ev[HISTORY_TRACK_MAX];
	int resume = s->offer.kind == HISTORY_OFFER_RESUME ? s->offer.segment : -1;

	if (s->offer.kind != HISTORY_OFFER_NONE) {
		char offer_line[PLAN_TEXT_MAX];
		history_offer_line_in(&s->offer, s->book, offer_line, sizeof(offer_line));
		fprintf(p->log, "repcue: %s\n", offer_line);
	}
	history_push_all(p, ev, history_tracker_init(&p->tracker, &s->plan, s->routine, &s->history_info,
						       in_lobby, resume, time(NULL), ev, HISTORY_TRACK_MAX));
}

/* Opens and starts one session (its problems printed to err); p->fault
 * says whose fault a failure was. */
static int open_session(struct player *p, const char *routine, struct lobby_say say, FILE *err)
{
	char line[PLAN_TEXT_MAX], notice[PLAN_TEXT_MAX];
	struct live_options lo = session_options(p, routine, say, line, notice);

	snprintf(p->routine, sizeof(p->routine), "%s", routine);
	p->no_resume = false;
	/* the offer and the count this week need the last session's records;
	 * a disk that hangs must not keep the next session from starting */
	if (p->history && history_flush(p->history, HISTORY_FLUSH_WAIT_MS) < 0)
		fprintf(p->log, "repcue: the history is slow to write; the resume offer may be out of date\n");
	starting = 1;
	int r = live_open_fault(&p->live, routine, &lo, err, &p->fault);
	if (r < 0) {
		p->live = NULL;
		starting = 0;
		return r;
	}
	if (lo.session.lobby_line)
		p->notice = PHRASE_COUNT;
	if (p->history)
		track_session(p, lo.session.lobby_line != NULL);
	/* to the log even while retrying: "playing through ..." says which
	 * device works at last */
	r = live_start(p->live, p->log);
	if (r < 0) {
		live_close(p->live);
		p->live = NULL;
		p->fault = LIVE_FAULT_OUTPUT; /* live_start only starts the sound */
	}
	starting = 0;
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

/* One step of waiting for a sound device: the heartbeat (no sound is
 * expected yet) and the signals. True when a signal came. */
static bool device_wait_step(struct player *p, int timeout_ms)
{
	if (watchdog_should_ping(&p->wd, clock_now_ms(), 0, WATCHDOG_AUDIO_NONE))
		notify_watchdog();
	return signalled(timeout_ms);
}

/* Waits until the backend lists a sound device (at once for a backend
 * with none to wait for: null). 0, or 1 when a signal came. */
static int wait_for_listed_device(struct player *p)
{
	char msg[OUTPUT_MSG_MAX];
	bool said = false;

	while (output_wait_for_device(p->lo.backend, &p->lo.output, DEVICE_WAIT_STEP_MS, msg, sizeof(msg)) < 0) {
		if (!said) {
			fprintf(p->log, "repcue: %s; waiting for a sound device\n", msg);
			notify_status("No sound device: waiting for one");
			said = true;
		}
		if (device_wait_step(p, 0))
			return 1;
	}
	return 0;
}

static int open_once(struct player *p, const char *routine, struct lobby_say say, FILE *err)
{
	return p->lobby ? open_lobby(p, routine, say, err) : open_session(p, routine, say, err);
}

void note_music(struct player *p)
{
	struct music_problems mp;

	if (!p->lobby || !p->live)
		return;
	session_music_problems(live_session(p->live), &mp);
	lobby_note_music(p->lobby, &mp, p->log);
}

int play_open(struct player *p, const char *routine, struct lobby_say say)
{
	FILE *err = p->log;
	bool no_resume = p->no_resume; /* for every try: open_session clears it */

	bool said = false;

	for (bool waited = false;; waited = true) {
		p->no_resume = no_resume;
		int r = open_once(p, routine, say, err);
		if (r < 0 && p->fault != LIVE_FAULT_OUTPUT && err != p->log) {
			err = p->log; /* no longer the device: once more, saying why */
			r = open_once(p, routine, say, err);
		}
		if (r >= 0 && waited)
			fprintf(p->log, "repcue: the sound device works now\n");
		if (r >= 0)
			note_music(p);   /* the files its music folder skipped */
		if (r >= 0 || p->fault != LIVE_FAULT_OUTPUT)
			return r;
		if (!p->wait_for_device) {
			/* -ENODEV: the caller renders to a file instead */
			if (r != -ENODEV)
				fprintf(p->log, "repcue: the sound device does not work (see above), so nothing is "
					"played; check it (--device or audio.device in the config, whatever else holds "
					"it), or use --wait-for-device to wait until it works\n");
			return r;
		}
		if (r == -ENODEV) {
			/* gone since: wait until one is listed, as at start-up */
			if (wait_for_listed_device(p))
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
		if (device_wait_step(p, DEVICE_WAIT_STEP_MS))
			return -EINTR;
	}
}

int reopen_lobby(struct player *p, const char *routine, struct lobby_say say)
{
	char next[sizeof(p->routine)];

	snprintf(next, sizeof(next), "%s", routine); /* routine may be p->routine */
	/* a session that ended has nothing left sounding */
	if (!p->st.finished)
		live_fade_out(p->live);
	live_close(p->live);
	p->live = NULL;
	p->finished_at = -1;
	return play_open(p, next, say);
}

int cmd_play(int argc, char **argv, const struct repcue_env *env)
{
	struct play_options o;

	play_options_init(&o);
	o.env = env;
	int r = play_options_parse(&o, argc, argv);
	return r >= 0 ? r : play_run(&o);
}

/* The scripted presses of --press, into lo. -1 to go on, else the exit
 * status (the problem printed). */
static int parse_presses(struct player *p, struct control_event *presses)
{
	char msg[512];

	if (!p->opts->press_spec)
		return -1;
	p->lo.n_presses = control_parse_presses(p->opts->press_spec, presses, SESSION_PRESSES_MAX, msg, sizeof(msg));
	if (p->lo.n_presses < 0) {
		fprintf(stderr, "repcue play: %s\n", msg);
		return 2;
	}
	p->lo.presses = presses;
	return -1;
}

/* Signals, the controls, READY=1, and (--wait-for-device) a sound device:
 * 0, -1 on an error (printed), 1 when a signal came while waiting. */
static int start_up(struct player *p, const struct device_config *cfg)
{
	starting = 1;
	if (install_signals() < 0) {
		fprintf(p->log, "repcue play: cannot set up signal handling\n");
		return -1;
	}
	p->signal_fd = signal_pipe[0];
	if (controls_open(cfg, p->opts->keys && isatty(STDIN_FILENO), &p->controls, p->log) < 0) {
		fprintf(p->log, "repcue play: cannot set up the controls\n");
		return -1;
	}
	history_start(p);
	/* Ready as soon as the inputs listen: waiting for a sound device is
	 * a state of a running service, not a failure to start. */
	notify_ready();
	watchdog_init(&p->wd, notify_watchdog_ms(), clock_now_ms());
	return p->wait_for_device ? wait_for_listed_device(p) : 0;
}

/* The first session, or the lobby on the routine it picks. */
static int open_first(struct player *p, struct lobby *lobby, const char **routine)
{
	if (!p->opts->wait_for_start)
		return play_open(p, *routine, no_lobby);
	notify_status("Preparing the lobby");
	p->lobby = lobby;
	lobby_refresh(lobby, p->log);
	*routine = lobby_pick(lobby, *routine);
	return play_open(p, *routine, (struct lobby_say){ .id = PHRASE_LOBBY_READY });
}

/* No sound device and not waiting for one: the session goes to a WAV
 * file instead (play_fallback.c), the terminal and stderr given back
 * first. The exit status of the render. */
static int render_without_device(struct player *p, const char *routine)
{
	controls_close(p->controls);
	p->controls = NULL;
	restore_stderr(p->log, p->saved_stderr);
	p->log = stderr;
	return render_instead(p->opts->env, routine, p->opts->fallback_wav, p->lo.presses, p->lo.n_presses,
			      &p->lo.session);
}

int play_run(const struct play_options *o)
{
	struct player p = { .opts = o, .log = stderr, .saved_stderr = STDERR_FILENO, .lo = o->lo,
			    .notice = PHRASE_COUNT, .signal_fd = -1, .finished_at = -1 };
	struct control_event presses[SESSION_PRESSES_MAX];
	int status = 1;

	/* Until start_up() installs play's own handling, a signal ends the
	 * process at once with this name (main() installed the handler). */
	cleanup_describe("repcue play", STDERR_FILENO);
	/* The device config under the options, and the routine: play_setup.c. */
	static struct play_setup setup;
	p.lo.session.env = o->env;
	p.lo.output.alsa_config_path = o->env->alsa_config;
	int set = play_setup(&setup, o, &p.lo);
	if (set >= 0)
		return set;
	const char *routine = setup.routine;
	p.wait_for_device = setup.wait_for_device;
	p.config_file = setup.cfg.file;
	p.config_on_card = setup.config_on_card;
	set = parse_presses(&p, presses);
	if (set >= 0)
		return set;

	/* PortAudio 19.6 prints its own failures ("Expression ... failed")
	 * straight to stderr and offers no hook to stop it; so, unless
	 * --verbose, our messages go to a copy of stderr and fd 2 itself
	 * goes to /dev/null while the sound device is in use. */
	if (!p.lo.output.verbose)
		p.log = quiet_stderr(&p.saved_stderr);
	int r = start_up(&p, &setup.cfg);
	if (r != 0) {
		status = r > 0 ? 0 : 1;
		goto out;
	}
	r = open_first(&p, &setup.lobby, &routine);
	if (r == -ENODEV && !p.wait_for_device)
		status = render_without_device(&p, routine);
	else if (r == -EINTR)
		status = 0;
	if (r < 0)
		goto out;
	/* The script's clock starts once the first session (or the lobby) is
	 * ready, as a person's would: never while it is still being prepared,
	 * which takes seconds with a cold speech cache on a busy machine. */
	if (o->simulate && controls_simulate(p.controls, o->simulate) < 0) {
		fprintf(p.log, "repcue play: cannot simulate presses\n");
		goto out;
	}
	status = play_loop(&p);
out:
	notify_stopping();
	controls_close(p.controls); /* restores the terminal */
	/* Quit, a signal or an error: fade out whatever is sounding first. */
	live_fade_out(p.live);
	live_close(p.live);
	history_close(p.history); /* writes what is still queued */
	if (p.quiet)
		fclose(p.quiet);
	restore_stderr(p.log, p.saved_stderr);
	return status;
}
