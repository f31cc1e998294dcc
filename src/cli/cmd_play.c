/* repcue play - coach a session live through the sound card, steered by
 * terminal keys, buttons and pedals. This file is the process, in the
 * order it runs (as seatd's seatd.c): the options (play_options.c), the
 * set-up in dependency order (device config and routine: play_setup.c;
 * the scripted presses; stderr; the signal pipe; the player with its
 * inputs and history: src/player/), start-up (READY=1, a sound device,
 * the first session or lobby), one loop, and the teardown in reverse.
 * No sound device at all: play_fallback.c renders to a file instead. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/play.h"
#include "input/terminal.h"
#include "player/player.h"
#include "util/cleanup.h"
#include "util/notify.h"
#include "util/signal_pipe.h"

/* PortAudio 19.6 prints its own failures ("Expression ... failed")
 * straight to stderr and offers no hook to stop it; so, unless --verbose
 * or stderr is the journal (stderr_is_journal), our messages go to a copy
 * of stderr (returned; its fd in *saved) and fd 2 itself goes to
 * /dev/null while the sound device is in use. stderr itself when that
 * cannot be done. */
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

/* Whether stderr is the journal: $JOURNAL_STREAM names the stream
 * systemd gave the service, and fd 2 is still that stream. There fd 2
 * stays as it is: PortAudio's lines are harmless in a log, and a
 * library's last words before it aborts the process (an assertion,
 * glibc's heap checks) are the only account of the crash. The image's
 * coach aborted in alsa-lib's plug plugin under QEMU (hw/image/README.md)
 * with nothing in the journal while fd 2 was /dev/null. */
static bool stderr_is_journal(const struct repcue_env *env)
{
	struct stat st;

	return env->journal_stream && fstat(STDERR_FILENO, &st) == 0 &&
	       (uint64_t)st.st_dev == env->journal_dev && (uint64_t)st.st_ino == env->journal_ino;
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

/* The scripted presses of --press, into lo. -1 to go on, else the exit
 * status (the problem printed). */
static int parse_presses(const struct play_options *o, struct live_options *lo, struct control_event *presses)
{
	char msg[512];

	if (!o->press_spec)
		return -1;
	lo->n_presses = control_parse_presses(o->press_spec, presses, SESSION_PRESSES_MAX, msg, sizeof(msg));
	if (lo->n_presses < 0) {
		fprintf(stderr, "repcue play: %s\n", msg);
		return 2;
	}
	lo->presses = presses;
	return -1;
}

int cmd_play(int argc, char **argv, const struct repcue_env *env)
{
	struct play_options o;

	play_options_init(&o);
	o.env = env;
	int r = play_options_parse(&o, argc, argv);
	return r >= 0 ? r : play_run(&o);
}

int play_run(const struct play_options *o)
{
	static struct play_setup setup; /* large */
	struct control_event presses[SESSION_PRESSES_MAX];
	struct live_options lo = o->lo;
	struct player *p = NULL;
	FILE *log = stderr;
	int log_fd = STDERR_FILENO, status = 1;

	/* Until the signal pipe is open, a signal ends the process at once
	 * with this name (main() installed the handler). */
	cleanup_describe("repcue play", STDERR_FILENO);

	/* Set-up, in dependency order: the device config under the options
	 * and the routine; the scripted presses; where our messages go. */
	lo.session.env = o->env;
	lo.output.alsa_config_path = o->env->alsa_config;
	int set = play_setup(&setup, o, &lo);
	if (set < 0)
		set = parse_presses(o, &lo, presses);
	if (set >= 0)
		return set;
	if (!lo.output.verbose && !stderr_is_journal(o->env))
		log = quiet_stderr(&log_fd);

	/* Start-up. Until the first session is ready no loop reads the
	 * signal pipe: a signal ends the process at once, the terminal
	 * restored (the player clears this once it has opened a session). */
	int signal_fd = signal_pipe_open(terminal_restore);
	if (signal_fd < 0) {
		fprintf(log, "repcue play: cannot set up signal handling\n");
		goto stop;
	}
	signal_pipe_fatal(true);
	int r = player_create(&p, &(struct player_settings){
		.env = o->env, .lo = lo, .cfg = &setup.cfg, .config_on_card = setup.config_on_card,
		.lobby = o->wait_for_start ? &setup.lobby : NULL, .card_out = o->card_out, .keys = o->keys,
		.transcript = o->transcript, .wait_for_device = setup.wait_for_device,
		/* the command line's sound settings win over the card's, at every lobby */
		.pinned = { o->lo.output.device != NULL, o->lo.output.latency_frames != 0, o->wait_for_device },
		.one_session = lo.n_presses > 0 || o->simulate, .log = log, .log_fd = log_fd,
		.signal_fd = signal_fd,
	});
	if (r < 0) {
		fprintf(log, "repcue play: cannot set up the controls\n");
		goto stop;
	}
	/* Ready as soon as the inputs listen: waiting for a sound device is
	 * a state of a running service, not a failure to start. */
	notify_ready();
	if (setup.wait_for_device && player_wait_for_device(p)) {
		status = 0; /* a signal while waiting */
		goto stop;
	}
	const char *routine = setup.routine;
	r = player_open_first(p, &routine);
	if (r == -ENODEV && !setup.wait_for_device) {
		/* no sound device: the session goes to a WAV file instead, the
		 * terminal, the signals and stderr given back first */
		player_destroy(p);
		p = NULL;
		signal_pipe_close();
		restore_stderr(log, log_fd);
		log = stderr;
		status = render_instead(o->env, routine, o->fallback_wav, lo.presses, lo.n_presses, &lo.session);
	} else if (r == -EINTR) {
		status = 0;
	}
	if (r < 0)
		goto stop;
	/* The script's clock starts once the first session (or the lobby) is
	 * ready, as a person's would: never while it is still being prepared,
	 * which takes seconds with a cold speech cache on a busy machine. */
	if (o->simulate && player_simulate(p, o->simulate) < 0) {
		fprintf(log, "repcue play: cannot simulate presses\n");
		goto stop;
	}

	/* The loop: until quit, a signal, or the end of a session with no
	 * lobby after it. */
	int go;
	while ((go = player_step(p)) > 0)
		;
	player_stop(p);
	status = go < 0 ? 1 : 0;

	/* Teardown, in reverse. */
stop:
	notify_stopping();
	player_destroy(p); /* the inputs (the terminal restored), the sound, the history */
	signal_pipe_close();
	restore_stderr(log, log_fd);
	return status;
}
