/* repcue hw-test - listen on every configured button and pedal (and the
 * terminal keys), and name each recognised gesture on stdout and out loud:
 * "next button: tap (acted 0 ms after the first edge)", "next button, tap".
 *
 * Speech: session/announcer.h, eSpeak NG on this thread, each phrase made
 * once, played by the audio thread without allocating, locking or freeing.
 * With no sound device it prints only.  Nothing spins: one poll() waits for the
 * inputs, the signal self-pipe (util/signal_pipe.h) and the next deadline. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/misuse.h"
#include "session/announcer.h"
#include "input/controls.h"
#include "core/time.h"
#include "core/voice.h"
#include "output/output.h"
#include "routine/config_load.h"
#include "session/session.h"
#include "speech/speech.h"
#include "util/number.h"
#include "util/signal_pipe.h"
#include "util/utf8.h"

#define SECONDS_MAX 86400
#define HEALTH_PERIOD_MS 500

static void usage(FILE *f)
{
	fprintf(f,
		"usage: repcue hw-test [--config FILE] [--seconds N] [--quiet] [--simulate ROLE@S[:MS],...]\n"
		"  Listens on every input of the config file (and the terminal keys) and\n"
		"  names each gesture with its delay, on the terminal and out loud.\n"
		"  --config FILE  the config file (else $REPCUE_CONFIG, else %s)\n"
		"  --seconds N    stop after N seconds (else q or Ctrl-C stops)\n"
		"  --quiet        print only, no speech\n"
		"  --simulate next@0.5,pedal@1:800  buttons pressed by a script, as play's\n"
		"                 --simulate: ROLE (start, next, repeat, pedal) @ seconds from\n"
		"                 now [: ms held, default 80], at most 32, through the real\n"
		"                 gesture decoder and mapping, without hardware\n",
		DEVICE_CONFIG_DEFAULT_PATH);
}

/* --- the speaker --- */

/* The sound side: the announcer (session/announcer.h) pulled by the
 * default output backend. */
struct speaker {
	struct speech *speech;       /* owned */
	struct announcer *announcer; /* owned; freed after the output closed */
	struct output *out;          /* owned */
	unsigned last_seq;
};

static void speaker_close(struct speaker *sp)
{
	if (!sp)
		return;
	output_close(sp->out);     /* the pull function is not called after this */
	announcer_free(sp->announcer);
	speech_close(sp->speech);
	free(sp);
}

/* NULL (after saying why) when there is no sound device or no speech. */
/* The PID of a process of the packaged service (repcue.service), 0 when
 * it is not running.  It holds the buttons, the pedal and the sound
 * device, so hw-test cannot have them: told by the process's cgroup, so a
 * `repcue play` someone runs by hand is not taken for the service. */
static long service_pid(void)
{
	static const char unit[] = "/repcue.service\n";
	DIR *d = opendir("/proc");
	struct dirent *de;
	long found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		char path[64], line[512];
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		FILE *f;

		if (*end || pid <= 0 || pid == (long)getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/cgroup", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			size_t n = strlen(line);
			if (n >= sizeof(unit) - 1 && strcmp(line + n - (sizeof(unit) - 1), unit) == 0) {
				found = pid;
				break;
			}
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

/* After an input or the sound device did not open: when the service runs,
 * that is why, and what to do. */
static void service_hint(void)
{
	long pid = service_pid();

	if (pid)
		printf("the repcue service is running (process %ld) and holds the buttons, the pedal and the "
		       "sound device: stop it with 'sudo systemctl stop repcue', run hw-test again, then "
		       "'sudo systemctl start repcue'\n", pid);
}

static struct speaker *speaker_open(const struct device_config *cfg, const struct repcue_env *env)
{
	struct output_config ocfg = {
		.device = cfg->audio.device[0] ? cfg->audio.device : NULL,
		.latency_frames = (unsigned)cfg->audio.latency_frames,
		.alsa_config_path = env->alsa_config,
	};
	struct voice_profile voice = voice_profile_default();
	char msg[OUTPUT_MSG_MAX];
	struct speaker *sp = calloc(1, sizeof(*sp));
	int r;

	if (!sp)
		return NULL;
	r = speech_open(&sp->speech, &voice, msg, sizeof(msg));
	if (r < 0) {
		printf("no speech (%s): printing only\n", msg);
		speaker_close(sp);
		return NULL;
	}
	if (announcer_new(&sp->announcer, sp->speech) < 0) {
		printf("no speech (out of memory): printing only\n");
		speaker_close(sp);
		return NULL;
	}
	/* NULL: the default backend of the table (output/registry.c), the
	 * sound card; in a build without it, open says why */
	r = output_open(NULL, &ocfg, announcer_pull, sp->announcer, &sp->out, msg, sizeof(msg));
	if (r < 0) {
		printf("no sound device: printing only (%s)\n", msg);
		service_hint();
		speaker_close(sp);
		return NULL;
	}
	r = output_start(sp->out);
	if (r < 0) {
		printf("no sound device: printing only (cannot start it: %s)\n", strerror(-r));
		speaker_close(sp);
		return NULL;
	}
	if (output_describe(sp->out, msg, sizeof(msg)) > 0)
		printf("speaking through %s\n", msg);
	return sp;
}

static void speaker_say(struct speaker *sp, const char *text)
{
	if (sp)
		announcer_say(sp->announcer, text);  /* queue full: this one is not said */
}

/* Logs the output's messages (device lost, back) once each. */
static void speaker_health(struct speaker *sp)
{
	struct output_health h;

	if (!sp)
		return;
	output_health(sp->out, &h);
	if (h.message_seq != sp->last_seq && h.message[0]) {
		printf("sound: %s\n", h.message);
		fflush(stdout);
	}
	sp->last_seq = h.message_seq;
}

/* --- reporting --- */

static const char *spoken_gesture(enum gesture_kind g)
{
	return g == GESTURE_DOUBLE_TAP ? "double tap" : gesture_kind_name(g);
}

/* Prints and says one action; true if it asks to quit. */
static bool report(struct controls *c, struct speaker *sp, const struct input_action *act)
{
	char name[96], say[128];

	controls_input_name(c, act, name, sizeof(name));
	if (act->from_gesture) {
		printf("%s: %s (acted %lld ms after the first edge) -> %s\n", name,
		       gesture_kind_name(act->gesture),
		       (long long)((act->delay_usec + 500) / 1000),
		       act->command != INPUT_COMMAND_NONE ? input_command_name(act->command) :
		       control_action_name(act->control));
		snprintf(say, sizeof(say), "%s, %s", name, spoken_gesture(act->gesture));
	} else if (act->status == INPUT_STATUS_CONNECTED) {
		printf("%s connected\n", name);
		snprintf(say, sizeof(say), "%s connected", name);
	} else if (act->status == INPUT_STATUS_DISCONNECTED) {
		printf("%s disconnected\n", name);
		snprintf(say, sizeof(say), "%s disconnected", name);
	} else if (act->status == INPUT_STATUS_FAILED) {
		printf("%s: stopped: %s\n", name, strerror(-act->error));
		snprintf(say, sizeof(say), "%s stopped", name);
	} else {
		if (act->control == CONTROL_QUIT)
			return true;
		printf("%s: %s\n", name, control_action_name(act->control));
		snprintf(say, sizeof(say), "%s", control_action_name(act->control));
	}
	fflush(stdout);
	speaker_say(sp, say);
	return false;
}

static void no_inputs_help(const struct device_config *cfg)
{
	if (cfg->file[0])
		printf("no inputs configured in %s.\n", cfg->file);
	else
		printf("no inputs configured (no %s: built-in defaults).\n",
		       DEVICE_CONFIG_DEFAULT_PATH);
	printf("To use buttons or a pedal, copy hw/config.example.yaml to %s\n"
	       "(or pass --config FILE, or set REPCUE_CONFIG) and list them under 'inputs:',\n"
	       "e.g.  inputs:\n"
	       "        - {role: next, gpio: {name: GPIO27}}\n"
	       "        - {role: pedal, evdev: {device: /dev/input/by-id/...-event-kbd, key: KEY_B}}\n"
	       "hw/README.md, \"Config file\", describes the format.\n",
	       DEVICE_CONFIG_DEFAULT_PATH);
}

static input_usec_t min_deadline(input_usec_t a, input_usec_t b)
{
	return a < b ? a : b;
}

/* Waits and reports until q, a signal, or end_usec.  0, or -errno. */
static int listen_loop(struct controls *c, struct speaker *sp, input_usec_t end_usec, int signal_fd)
{
	input_usec_t next_health = input_clock_usec();

	for (;;) {
		struct pollfd fds[CONTROLS_MAX_FDS + 1];
		struct input_action act;
		input_usec_t now, wake;
		int n, timeout, r;

		n = controls_pollfds(c, fds, CONTROLS_MAX_FDS);
		if (n < 0)
			return n;
		fds[n] = (struct pollfd){ .fd = signal_fd, .events = POLLIN };
		now = input_clock_usec();
		wake = end_usec;
		if (sp)
			wake = min_deadline(wake, next_health);
		timeout = controls_timeout_ms(c);
		if (wake != INPUT_NO_DEADLINE) {
			int until = wake <= now ? 0 : (int)((wake - now + 999) / 1000);

			if (timeout < 0 || until < timeout)
				timeout = until;
		}
		r = poll(fds, (nfds_t)n + 1, timeout);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0 && (fds[n].revents & POLLIN))
			return 0;  /* SIGINT, SIGTERM, SIGHUP */
		if (controls_dispatch(c, fds, r > 0 ? n : 0) == -ENOBUFS)
			printf("(some presses were lost: too many at once)\n");
		while (controls_next(c, INPUT_SESSION_ACTIVE, &act))
			if (report(c, sp, &act))
				return 0;
		now = input_clock_usec();
		if (now >= end_usec)
			return 0;
		if (sp && now >= next_health) {
			speaker_health(sp);
			next_health = now + HEALTH_PERIOD_MS * 1000;
		}
		if (controls_active(c) == 0) {
			printf("no inputs left: stopping\n");
			return 0;
		}
	}
}

int cmd_hw_test(int argc, char **argv, const struct repcue_env *env)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "simulate", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *presses = NULL;
	const char *config_arg = NULL;
	struct device_config *cfg = NULL;
	struct diag_list *diags = NULL;
	struct controls *c = NULL;
	struct speaker *sp = NULL;
	int signal_fd;
	input_usec_t end_usec = INPUT_NO_DEADLINE;
	bool quiet = false;
	long seconds = 0;
	int opt, r, status = 1;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":c:s:qM:h", options, NULL)) != -1) {
		uint64_t number;
		char shown[64], why[160];

		switch (opt) {
		case 'c':
			config_arg = optarg;
			break;
		case 's':
			if (number_parse_u64(optarg, 1, SECONDS_MAX, &number) < 0) {
				return cli_misuse("hw-test", "--seconds '%s': give 1 to %d",
						  utf8_escape(shown, sizeof(shown), optarg, strlen(optarg)), SECONDS_MAX);
			}
			seconds = (long)number;
			break;
		case 'q':
			quiet = true;
			break;
		case 'M':
			if (controls_simulation_check(optarg, why, sizeof(why)) < 0) {
				return cli_misuse("hw-test", "bad --simulate '%s': %s",
						  utf8_escape(shown, sizeof(shown), optarg, strlen(optarg)), why);
			}
			presses = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return cli_bad_option("hw-test", opt, argv);
		}
	}
	if (optind < argc)
		return cli_misuse("hw-test", "it takes no routine or file: '%s'",
				  utf8_escape((char[200]){ 0 }, 200, argv[optind], strlen(argv[optind])));

	/* large: on the heap, not the stack */
	cfg = malloc(sizeof(*cfg));
	diags = malloc(sizeof(*diags));
	if (!cfg || !diags) {
		fprintf(stderr, "repcue hw-test: out of memory\n");
		goto free_config;
	}
	/* the same config as play: the card's, else /etc's (problems printed) */
	r = session_load_config(env, config_path_choose(config_arg, env->config), cfg, diags,
				NULL, NULL, stderr);
	if (r < 0)
		goto free_config;
	signal_fd = signal_pipe_open(NULL);
	if (signal_fd < 0) {
		fprintf(stderr, "repcue hw-test: cannot set up signals: %s\n", strerror(-signal_fd));
		goto free_config;
	}

	printf("repcue hw-test: config %s\n", cfg->file[0] ? cfg->file : "built-in defaults");
	fflush(stdout);
	r = controls_open(cfg, true, &c, stdout);
	if (r < 0) {
		fprintf(stderr, "repcue hw-test: cannot set up the inputs: %s\n", strerror(-r));
		goto restore_signals;
	}
	if (presses && controls_simulate(c, presses) < 0) {
		fprintf(stderr, "repcue hw-test: cannot simulate presses\n");
		goto close_controls;
	}
	if (cfg->n_inputs == 0)
		no_inputs_help(cfg);
	if (controls_failed(c) > 0)
		service_hint();
	if (controls_active(c) == 0) {
		if (cfg->n_inputs == 0) {
			printf("nothing to listen to (stdin is not a terminal either): done\n");
			status = 0;
		} else {
			printf("none of the %d configured inputs could be opened: fix the problems "
			       "above and try again\n", cfg->n_inputs);
		}
		goto close_controls;
	}
	printf("listening on:\n");
	controls_describe(c, stdout);
	printf("%s\n", controls_has_terminal(c) ? "press q or Ctrl-C to stop" :
	       "press Ctrl-C to stop");
	fflush(stdout);
	if (!quiet)
		sp = speaker_open(cfg, env);
	fflush(stdout);
	if (seconds)
		end_usec = input_clock_usec() + (input_usec_t)seconds * 1000000;
	r = listen_loop(c, sp, end_usec, signal_fd);
	if (r < 0)
		fprintf(stderr, "repcue hw-test: %s\n", strerror(-r));
	status = r < 0 ? 1 : 0;
	speaker_close(sp);

close_controls:
	controls_close(c);  /* restores the terminal */
restore_signals:
	signal_pipe_close();
free_config:
	free(diags);
	free(cfg);
	fflush(stdout);
	return status;
}
