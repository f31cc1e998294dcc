/* repcue - a hands-free, voice-guided exercise coach.
 * main.c dispatches to the sub-commands (cmd_*.c), which wire the modules. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/play.h"
#include "speech/speech.h"
#include "util/utf8.h"

#ifndef REPCUE_VERSION
#define REPCUE_VERSION "unknown"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: repcue [COMMAND] [ARGS]\n"
		"       repcue --version | --help\n"
		"  repcue                      play the default routine (same as: repcue play)\n"
		"  repcue play [ROUTINE]       coach a session live through the sound card\n"
		"  repcue render [ROUTINE] -o SESSION.wav [--press next@95.5,...]\n"
		"                              render a session offline and print its transcript\n"
		"  repcue check FILE...        check routine files; every problem as file:line:col\n"
		"  repcue hw-test              listen on the buttons and pedal and name each gesture\n"
		"  repcue history [--csv]      recent sessions and a summary per week\n"
		"Every command takes --help. Manuals: man repcue, man repcue-routine.\n"
		"Routines and voices are read from %s\n", repcue_data_dir());
}

static int dispatch(int argc, char **argv)
{
	struct play_options play;

	play_options_init(&play);
	if (argc < 2)
		return play_run(&play);
	const char *cmd = argv[1];
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(cmd, "render") == 0)
		return cmd_render(argc - 1, argv + 1);
	if (strcmp(cmd, "play") == 0)
		return cmd_play(argc - 1, argv + 1);
	if (strcmp(cmd, "hw-test") == 0)
		return cmd_hw_test(argc - 1, argv + 1);
	if (strcmp(cmd, "history") == 0)
		return cmd_history(argc - 1, argv + 1);
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("repcue %s\n", REPCUE_VERSION);
		return 0;
	}
	if (cmd[0] == '-' || strstr(cmd, ".yaml") || strstr(cmd, ".yml")) {
		/* repcue [--options] [ROUTINE]: play's options, parsed by play */
		int r = play_options_parse(&play, argc, argv);
		return r >= 0 ? r : play_run(&play);
	}
	fprintf(stderr, "repcue: unknown command '%s'\n", utf8_escape((char[200]){ 0 }, 200, cmd, strlen(cmd)));
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int status = dispatch(argc, argv);
	speech_shutdown();
	return status;
}
