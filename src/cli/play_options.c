/* play_options.c - `repcue play`'s command line: usage and parsing
 * into struct play_options (cli/play.h); nothing runs here. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/misuse.h"
#include "cli/play.h"
#include "input/controls.h"
#include "util/number.h"
#include "util/utf8.h"
#include "core/control.h"
#include "output/output.h"

#ifndef REPCUE_SYSCONFDIR
#define REPCUE_SYSCONFDIR "/etc/repcue"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: repcue play [ROUTINE] [options]\n"
		"  ROUTINE              a routine file, or a name (upper-back-3) looked up in\n"
		"                       <boot>/repcue/routines, " REPCUE_SYSCONFDIR "/routines, then the package\n"
		"  --device NAME        sound device (name or part of it); default: the default output\n"
		"  --latency FRAMES     suggested output latency (default: one 256-frame period)\n"
		"  --wait-for-device    wait for a sound device instead of rendering to a file,\n"
		"                       and for one that will not open instead of exiting\n"
		"  --fallback-wav FILE  where the session goes when there is no sound device\n"
		"                       (default: $XDG_STATE_HOME/repcue/repcue-session.wav,\n"
		"                       that is ~/.local/state/repcue/repcue-session.wav)\n"
		"  --press next@95.5,.. scripted presses at session seconds (as in render)\n"
		"  --simulate start@1:900,..  buttons pressed by a script (seconds from when\n"
		"                       the coach is ready, ms held), through the real gesture decoder\n"
		"  --no-keys            ignore the terminal keys\n"
		"  --transcript         print every line and beep (default when stdout is not a terminal)\n"
		"  --speech-budget-mb N memory for spoken lines (default 8)\n"
		"  --music DIR          music under the coach from DIR (default: <boot>/repcue/music\n"
		"                       when it exists)\n"
		"  --music-ahead-s N    seconds of music decoded before the sound starts and kept\n"
		"                       ahead of it (default: 0.7 before, 5.5 kept; more for a\n"
		"                       device faster than real time)\n");
	/* one line per backend, from the table (output/registry.c) */
	for (size_t i = 0; output_backend_at(i); i++)
		fprintf(f, "  --output %-12s%s\n", output_backend_at(i)->name,
			output_backend_at(i)->description);
	fprintf(f,
		"  --config FILE        device config: buttons, pedal, sound device (default\n"
		"                       $REPCUE_CONFIG, else <boot>/repcue/config.yaml on the SD card,\n"
		"                       else /etc/repcue/config.yaml if present;\n"
		"                       none = built-in defaults, keyboard only)\n"
		"  --wait-for-start     wait for the start button; hold start to choose a routine\n"
		"                       (the service runs this way, and returns here after a session)\n"
		"  --card-out DIR       write problems.txt and history.csv into DIR instead of\n"
		"                       <boot>/repcue (the service: repcue-card.service copies them)\n"
		"  --verbose            let ALSA and JACK print their own messages\n"
		"keys: %s\n", control_key_help((char[200]){ 0 }, 200));
}

void play_options_init(struct play_options *o)
{
	*o = (struct play_options){ .keys = true, .transcript = !isatty(STDOUT_FILENO) };
}

int play_options_parse(struct play_options *o, int argc, char **argv)
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
		{ "card-out", required_argument, NULL, 'A' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "music", required_argument, NULL, 'U' },
		{ "music-ahead-s", required_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct live_options *lo = &o->lo;
	int opt;

	/* `repcue play --x` or bare `repcue --x`: messages name what was typed */
	const char *command = strcmp(argv[0], "play") == 0 ? "play" : NULL;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		uint64_t number;
		char shown[64], why[160];

		switch (opt) {
		case 'D': lo->output.device = optarg; break;
		case 'L':
			if (number_parse_u64(optarg, 0, 48000, &number) < 0) {
				return cli_misuse(command, "--latency '%s': give frames from 0 to 48000",
					utf8_escape(shown, sizeof(shown), optarg, strlen(optarg)));
			}
			lo->output.latency_frames = (unsigned)number;
			break;
		case 'W': o->wait_for_device = true; break;
		case 'S': o->wait_for_start = true; break;
		case 'C': o->config_arg = optarg; break;
		case 'F': o->fallback_wav = optarg; break;
		case 'p': o->press_spec = optarg; break;
		case 'M':
			if (controls_simulation_check(optarg, why, sizeof(why)) < 0) {
				return cli_misuse(command, "bad --simulate '%s': %s",
					utf8_escape((char[200]){ 0 }, 200, optarg, strlen(optarg)), why);
			}
			o->simulate = optarg;
			break;
		case 'K': o->keys = false; break;
		case 'U': lo->session.music_dir = optarg; break;
		case 'X':
			if (number_parse_u64(optarg, 1, 600, &number) < 0) {
				return cli_misuse(command, "--music-ahead-s '%s': give seconds from 1 to 600",
					utf8_escape(shown, sizeof(shown), optarg, strlen(optarg)));
			}
			lo->session.music_ahead_s = (int)number;
			break;
		case 'T': o->transcript = true; break;
		case 'B':
			if (number_parse_u64(optarg, 1, 1024, &number) < 0) {
				return cli_misuse(command, "--speech-budget-mb '%s': give megabytes from 1 to 1024",
					utf8_escape(shown, sizeof(shown), optarg, strlen(optarg)));
			}
			lo->session.budget_bytes = (size_t)number << 20;
			break;
		case 'O': {
			const struct output_backend *b = output_backend_find(optarg);
			char names[128];

			if (!b) {
				output_backend_names(names, sizeof(names));
				return cli_misuse(command, "no output '%s': give one of %s",
					utf8_escape(shown, sizeof(shown), optarg, strlen(optarg)), names);
			}
			if (!b->ops) {
				return cli_misuse(command, "--output %s: %s", b->name, b->missing);
			}
			lo->backend = b->ops;
			break;
		}
		case 'A':
			if (optarg[0] != '/' || strlen(optarg) + 1 > ROUTINE_DIR_PATH_MAX) {
				return cli_misuse(command, "--card-out '%s': give an absolute path of a folder",
					utf8_escape(shown, sizeof(shown), optarg, strlen(optarg)));
			}
			o->card_out = optarg;
			break;
		case 'v': lo->output.verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_bad_option(command, opt, argv);
		}
	}
	if (argc - optind > 1)
		return cli_misuse(command, "one routine at a time; '%s' is one too many",
				  utf8_escape((char[200]){ 0 }, 200, argv[optind + 1], strlen(argv[optind + 1])));
	o->routine = optind < argc ? argv[optind] : NULL;
	return -1;
}
