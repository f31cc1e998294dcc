/* repcue play - coach a session live through the sound card, steered by
 * terminal keys, buttons and pedals. With no sound device at all it says
 * so and renders the session to a WAV file instead. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "controls.h"
#include "input/input.h"
#include "routine/config_load.h"
#include "live.h"
#include "util/notify.h"

#define STATUS_EVERY_MS 100
#define DEVICE_WAIT_STEP_MS 1000

static int signal_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
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

static void usage(FILE *f)
{
	fprintf(f,
		"usage: repcue play [ROUTINE.yaml] [options]\n"
		"  --device NAME        sound device (name or part of it); default: the default output\n"
		"  --latency FRAMES     suggested output latency (default: one 256-frame period)\n"
		"  --wait-for-device    wait for a sound device instead of rendering to a file\n"
		"  --fallback-wav FILE  where the session goes when there is no sound device\n"
		"                       (default: repcue-session.wav)\n"
		"  --press next@95.5,.. scripted presses at session seconds (as in render)\n"
		"  --simulate start@1:900,..  buttons pressed by a script (seconds from start,\n"
		"                       ms held), through the real gesture decoder and mapping\n"
		"  --no-keys            ignore the terminal keys\n"
		"  --transcript         print every line and beep (default when stdout is not a terminal)\n"
		"  --speech-budget-mb N memory for spoken lines (default 8)\n"
		"  --output null        no sound: pace the session with the clock (for tests)\n"
		"  --config FILE        device config: buttons, pedal, sound device (default\n"
		"                       $REPCUE_CONFIG, else /etc/repcue/config.yaml if present;\n"
		"                       none = built-in defaults, keyboard only)\n"
		"  --wait-for-start     wait for the start button; hold start to choose a routine\n"
		"                       (the service runs this way, and returns here after a session)\n"
		"  --verbose            let ALSA and JACK print their own messages\n"
		"keys: space start/pause/resume, n next, r repeat, d done, a say again, q quit\n");
}

/* "Band rows, set 2 of 3, left: rep 5 of 12, 0:12 left" */
static void format_status(const struct session *s, const struct live_status *st, char *buf, size_t size)
{
	const struct plan *p = &s->plan;

	if (st->finished || st->segment >= p->n_segments) {
		snprintf(buf, size, "Session complete.");
		return;
	}
	const struct plan_segment *seg = &p->segments[st->segment];
	const struct step *step = seg->step >= 0 ? &s->routine->steps[seg->step] : NULL;
	frames_t left = seg->length - st->seg_offset;
	size_t o = 0;

	if (st->paused)
		o += (size_t)snprintf(buf + o, size - o, "[paused] ");
	if (seg->kind == SEG_REST) {
		snprintf(buf + o, size - o, "Rest: %d s left", (int)((left + SESSION_RATE_HZ - 1) / SESSION_RATE_HZ));
		return;
	}
	if (!step) {
		snprintf(buf + o, size - o, "%s", s->routine->name);
		return;
	}
	o += (size_t)snprintf(buf + o, size - o, "%s", step->name);
	if (seg->set > 0 && o < size)
		o += (size_t)snprintf(buf + o, size - o, ", set %d of %d", seg->set, step->sets);
	if (seg->side != SIDE_NONE && o < size)
		o += (size_t)snprintf(buf + o, size - o, ", %s", side_name(seg->side));
	if (seg->kind == SEG_WORK && o < size) {
		if (step->kind == STEP_REPS) {
			const struct tempo *t = &step->tempo;
			frames_t rep_len = frames_from_s(t->lift_s + t->top_s + t->lower_s + t->bottom_s);
			int rep = rep_len > 0 ? (int)(st->seg_offset / rep_len) + 1 : 1;
			if (step->reps > 0)
				snprintf(buf + o, size - o, ": rep %d of %d", rep > step->reps ? step->reps : rep, step->reps);
			else
				snprintf(buf + o, size - o, ": rep %d (open set)", rep);
		} else {
			snprintf(buf + o, size - o, ": %d s left", (int)((left + SESSION_RATE_HZ - 1) / SESSION_RATE_HZ));
		}
	}
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

static int render_instead(const char *routine, const char *wav, const char *press)
{
	char *argv[8];
	int argc = 0;

	argv[argc++] = "render";
	argv[argc++] = (char *)routine;
	argv[argc++] = "-o";
	argv[argc++] = (char *)wav;
	if (press) {
		argv[argc++] = "--press";
		argv[argc++] = (char *)press;
	}
	argv[argc] = NULL;
	fprintf(stderr, "repcue: no sound device: rendering the session to %s instead, with its transcript\n", wav);
	return cmd_render(argc, argv);
}


static enum input_session_state input_state(const struct session *s, const struct live_status *st)
{
	if (st->paused)
		return INPUT_SESSION_PAUSED;
	if (st->segment < s->plan.n_segments && s->plan.segments[st->segment].kind == SEG_REST)
		return INPUT_SESSION_RESTING;
	return INPUT_SESSION_ACTIVE;
}

/* Routines the start button can choose from: *.yaml in dir, sorted. */
static int list_routines(const char *dir, char names[][512], int max)
{
	struct dirent **entries;
	int n = scandir(dir, &entries, NULL, alphasort), count = 0;

	for (int i = 0; i < n; i++) {
		const char *name = entries[i]->d_name;
		size_t len = strlen(name);
		if (count < max && name[0] != '.' && len > 5 && strcmp(name + len - 5, ".yaml") == 0 &&
		    snprintf(names[count], 512, "%s/%s", dir, name) < 512)
			count++;
		free(entries[i]);
	}
	if (n >= 0)
		free(entries);
	return count;
}

#define CHOICES_MAX 32

struct player {
	struct live_options lo;
	const char *lobby_line;   /* NULL: start at once */
	struct live *live;
	char routine[512];
	FILE *log;
};

static void print_summary(const struct player *p, const struct live_status *st)
{
	const struct cue_store *cues = &live_session(p->live)->cues;

	fprintf(p->log, "repcue: %s at %lld frames; lines: %d synthesized, %d from the cache, peak %.1f MB in memory\n",
		st->end_at >= 0 ? "session complete" : "stopped", (long long)(st->end_at >= 0 ? st->end_at : st->now),
		cues->synthesized, cues->from_disk, (double)cues->peak_bytes / (1 << 20));
}

static int open_session(struct player *p, const char *routine, const char *lobby_line)
{
	struct live_options lo = p->lo;

	snprintf(p->routine, sizeof(p->routine), "%s", routine);
	lo.session.lobby_line = lobby_line;
	int r = live_open(&p->live, routine, &lo, p->log);
	if (r < 0) {
		p->live = NULL;
		return r;
	}
	r = live_start(p->live, p->log);
	if (r < 0) {
		live_close(p->live);
		p->live = NULL;
	}
	return r;
}

int cmd_play(int argc, char **argv)
{
	static const struct option options[] = {
		{ "device", required_argument, NULL, 'D' },
		{ "latency", required_argument, NULL, 'L' },
		{ "wait-for-device", no_argument, NULL, 'W' },
		{ "wait-for-start", no_argument, NULL, 'S' },
		{ "config", required_argument, NULL, 'C' },
		{ "fallback-wav", required_argument, NULL, 'F' },
		{ "press", required_argument, NULL, 'p' },
		{ "simulate", required_argument, NULL, 'M' },
		{ "no-keys", no_argument, NULL, 'K' },
		{ "transcript", no_argument, NULL, 'T' },
		{ "speech-budget-mb", required_argument, NULL, 'B' },
		{ "output", required_argument, NULL, 'O' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct player p = { .log = stderr };
	struct live_options *lo = &p.lo;
	const char *fallback_wav = "repcue-session.wav", *press_spec = NULL, *config_arg = NULL;
	const char *simulate = NULL;
	bool wait_for_device = false, wait_for_start = false, keys = true;
	bool transcript = !isatty(STDOUT_FILENO);
	struct control_event presses[SESSION_PRESSES_MAX];
	char routine_buf[1024], msg[512];
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		char *end = NULL;
		switch (opt) {
		case 'D': lo->output.device = optarg; break;
		case 'L':
			lo->output.latency_frames = (unsigned)strtoul(optarg, &end, 10);
			if (*end || lo->output.latency_frames > 48000) {
				fprintf(stderr, "repcue play: --latency takes frames from 0 to 48000\n");
				return 2;
			}
			break;
		case 'W': wait_for_device = true; break;
		case 'S': wait_for_start = true; break;
		case 'C': config_arg = optarg; break;
		case 'F': fallback_wav = optarg; break;
		case 'p': press_spec = optarg; break;
		case 'M':
			if (!controls_simulation_valid(optarg)) {
				fprintf(stderr, "repcue play: bad --simulate '%s': write ROLE@SECONDS[:MS held],... "
					"with roles start next repeat pedal\n", optarg);
				return 2;
			}
			simulate = optarg;
			break;
		case 'K': keys = false; break;
		case 'T': transcript = true; break;
		case 'B':
			lo->session.budget_bytes = (size_t)strtoul(optarg, &end, 10) << 20;
			if (*end || lo->session.budget_bytes < (1u << 20) || lo->session.budget_bytes > (1024u << 20)) {
				fprintf(stderr, "repcue play: --speech-budget-mb takes 1 to 1024\n");
				return 2;
			}
			break;
		case 'O':
			if (strcmp(optarg, "null") == 0) {
				lo->backend = &output_null_ops;
				lo->output.pacing = OUTPUT_PACE_REALTIME;
			} else if (strcmp(optarg, "portaudio") != 0) {
				fprintf(stderr, "repcue play: --output is portaudio or null\n");
				return 2;
			}
			break;
		case 'v': lo->output.verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		return 2;
	}

	/* The device config: sound device, routines, buttons and pedals.
	 * Options on the command line win over it. */
	static struct device_config cfg;
	static struct diag_list diags;
	const char *config_path = config_path_choose(config_arg, getenv("REPCUE_CONFIG"));
	if (config_arg && strcmp(config_arg, "none") == 0) {
		device_config_init(&cfg);
	} else if (config_load_or_default(config_path, &cfg, &diags) < 0) {
		for (int i = 0; i < diags.count; i++)
			diag_print(stderr, &diags.items[i]);
		fprintf(stderr, "repcue play: fix the device config above, or start without it (--config none)\n");
		return 1;
	}
	if (!lo->output.device && cfg.audio.device[0])
		lo->output.device = cfg.audio.device;
	if (!lo->output.latency_frames && cfg.audio.latency_frames > 0)
		lo->output.latency_frames = (unsigned)cfg.audio.latency_frames;
	wait_for_device |= cfg.audio.wait_for_device;
	/* Test support: under valgrind or on a loaded machine a backend call
	 * (opening the stream) can take longer than the 2 s default; the
	 * tests that run repcue that way set a wider bound here, and say so. */
	const char *call_timeout = getenv("REPCUE_TEST_CALL_TIMEOUT_MS");
	if (call_timeout) {
		char *end;
		unsigned long ms = strtoul(call_timeout, &end, 10);
		if (*end == '\0' && ms > 0 && ms <= 600000)
			lo->output.call_timeout_ms = (unsigned)ms;
	}

	const char *routine = optind < argc ? argv[optind] : NULL;
	if (!routine && cfg.routines.default_routine[0])
		routine = cfg.routines.default_routine;
	if (!routine)
		routine = session_default_routine(routine_buf, sizeof(routine_buf));
	char routines_dir[512];
	if (cfg.routines.dir[0])
		snprintf(routines_dir, sizeof(routines_dir), "%s", cfg.routines.dir);
	else
		snprintf(routines_dir, sizeof(routines_dir), "%s/routines", repcue_data_dir());

	if (press_spec) {
		lo->n_presses = session_parse_presses(press_spec, presses, SESSION_PRESSES_MAX, msg, sizeof(msg));
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
	if (install_signals() < 0) {
		fprintf(log, "repcue play: cannot set up signal handling\n");
		status_code = 1;
		goto out;
	}
	if (controls_open(&cfg, keys && isatty(STDIN_FILENO), &controls, log) < 0) {
		fprintf(log, "repcue play: cannot set up the controls\n");
		status_code = 1;
		goto out;
	}
	if (simulate && controls_simulate(controls, simulate) < 0) {
		fprintf(log, "repcue play: cannot simulate presses\n");
		status_code = 1;
		goto out;
	}
	/* Ready as soon as the inputs listen: waiting for a sound device is
	 * a state of a running service, not a failure to start. */
	notify_ready();

	if (wait_for_device && !lo->backend) {
		bool said = false;
		while (output_portaudio_wait_for_device(&lo->output, DEVICE_WAIT_STEP_MS, msg, sizeof(msg)) < 0) {
			if (!said) {
				fprintf(log, "repcue: %s; waiting for a sound device\n", msg);
				notify_status("waiting for a sound device");
				said = true;
			}
			if (signalled(0))
				goto out;
		}
	}

	static char choices[CHOICES_MAX][512];
	int n_choices = list_routines(routines_dir, choices, CHOICES_MAX), choice = -1;
	for (int i = 0; i < n_choices; i++)
		if (strcmp(choices[i], routine) == 0)
			choice = i;
	const char *ready_line = wait_for_start ? "{name}. Press start when you are ready." : NULL;

	int r = open_session(&p, routine, ready_line);
	if (r == -ENODEV && !wait_for_device) {
		controls_close(controls);
		controls = NULL;
		restore_stderr(log, saved_stderr);
		log = stderr;
		return render_instead(routine, fallback_wav, press_spec);
	}
	if (r < 0) {
		status_code = 1;
		goto out;
	}

	bool tty_status = isatty(saved_stderr) && !transcript;
	struct live_status st = { 0 };
	char status[256], last_status[256] = "";
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
		if (choose && st.lobby && n_choices > 0) {
			/* Hold start in the lobby: the next routine, said aloud. */
			char line[256];
			choice = (choice + 1) % n_choices;
			snprintf(line, sizeof(line), "Routine %d of %d: {name}. Press start to begin.",
				 choice + 1, n_choices);
			live_close(p.live);
			p.live = NULL;
			if (open_session(&p, choices[choice], line) < 0) {
				status_code = 1;
				break;
			}
			finished_at = -1;
			continue;
		}
		if (tty_status) {
			format_status(live_session(p.live), &st, status, sizeof(status));
			if (strcmp(status, last_status) != 0) {
				fprintf(log, "\r\033[K%s", status);
				snprintf(last_status, sizeof(last_status), "%s", status);
				notify_status(status);
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
				/* the service: back to waiting for the start button */
				char again[512];
				snprintf(again, sizeof(again), "%s", p.routine);
				live_close(p.live);
				p.live = NULL;
				if (open_session(&p, again, ready_line) < 0) {
					status_code = 1;
					break;
				}
				finished_at = -1;
			}
		}
	}
	if (tty_status)
		fputc('\n', log);
	if (p.live && !st.finished)
		print_summary(&p, &st);
out:
	notify_stopping();
	controls_close(controls); /* restores the terminal */
	live_close(p.live);
	restore_stderr(log, saved_stderr);
	return status_code;
}
