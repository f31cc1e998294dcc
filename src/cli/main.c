/* repcue - a hands-free, voice-guided exercise coach.
 * main.c reads the environment once (util/env.h) and dispatches to the
 * sub-commands (cmd_*.c), which wire the modules and pass it down. */
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <unistd.h>

#include "cli/commands.h"
#include "cli/misuse.h"
#include "cli/play.h"
#include "speech/speech.h"
#include "util/cleanup.h"
#include "util/env.h"
#include "util/utf8.h"

#ifndef REPCUE_VERSION
#define REPCUE_VERSION "unknown"
#endif

/* The one table of commands: dispatch, the usage text and the "unknown
 * command" message all come from it.  A new command is a row here and its
 * cmd_*.c (declared in commands.h). */
static const struct command {
	const char *name;
	int (*run)(int argc, char **argv, const struct repcue_env *env); /* argv[0] is the name */
	const char *args;                   /* shown after the name */
	const char *help;                   /* one line */
} commands[] = {
	{ "play", cmd_play, "[ROUTINE]", "coach a session live through the sound card" },
	{ "render", cmd_render, "[ROUTINE] -o SESSION.wav [--press next@95.5,...]",
	  "render a session offline and print its transcript" },
	{ "check", cmd_check, "FILE...", "check routine files; every problem as file:line:col" },
	{ "hw-test", cmd_hw_test, "", "listen on the buttons and pedal and name each gesture" },
	{ "history", cmd_history, "[--csv]", "recent sessions and a summary per week" },
	{ "sheet", cmd_sheet, "[ROUTINE] -o SHEET.pdf|.svg|.png [--letter]",
	  "a printable sheet of the routine with a timeline" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))
#define HELP_COLUMN 30  /* where the one-line help starts */

static void usage(FILE *f, const struct repcue_env *env)
{
	fprintf(f,
		"usage: repcue [COMMAND] [ARGS]\n"
		"       repcue --version | --help\n"
		"  %-*s%s\n", HELP_COLUMN - 2, "repcue",
		"play the default routine (same as: repcue play)");
	for (size_t i = 0; i < N_COMMANDS; i++) {
		char line[120];
		int n = snprintf(line, sizeof(line), "repcue %s%s%s", commands[i].name,
				 commands[i].args[0] ? " " : "", commands[i].args);

		/* a long synopsis gets the help on a line of its own */
		if (n >= HELP_COLUMN - 3)
			fprintf(f, "  %s\n  %-*s%s\n", line, HELP_COLUMN - 2, "", commands[i].help);
		else
			fprintf(f, "  %-*s%s\n", HELP_COLUMN - 2, line, commands[i].help);
	}
	fprintf(f,
		"Every command takes --help. Manuals: man repcue, man repcue-routine.\n"
		"Routines and voices are read from %s\n", repcue_data_dir(env));
}

static int dispatch(int argc, char **argv, const struct repcue_env *env)
{
	struct play_options play;

	play_options_init(&play);
	play.env = env;
	if (argc < 2)
		return play_run(&play);
	const char *cmd = argv[1];
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(cmd, commands[i].name) == 0) {
			static char who[40];
			snprintf(who, sizeof(who), "repcue %s", commands[i].name);
			cleanup_describe(who, STDERR_FILENO);
			return commands[i].run(argc - 1, argv + 1, env);
		}
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout, env);
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
	const char *names[N_COMMANDS + 2];
	for (size_t i = 0; i < N_COMMANDS; i++)
		names[i] = commands[i].name;
	names[N_COMMANDS] = "help";
	names[N_COMMANDS + 1] = "version";
	const char *near = cli_closest(cmd, names, (int)N_COMMANDS + 2);
	char shown[200];
	utf8_escape(shown, sizeof(shown), cmd, strlen(cmd));
	if (near)
		return cli_misuse(NULL, "unknown command '%s'; did you mean '%s'?", shown, near);
	char list[120] = "";
	for (size_t i = 0; i < N_COMMANDS; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "", commands[i].name);
	return cli_misuse(NULL, "unknown command '%s' (commands: %s)", shown, list);
}

/* Blocks of 64 KiB and more get a mapping of their own, returned to the
 * system when freed (issue 22: a live session with music within 24 MB).
 * Spoken lines (67 KiB to 1 MiB each) and the float buffers that make or
 * load them are such blocks; with glibc's default the threshold rises
 * after the first large free (up to 32 MiB), so they went to the speech
 * thread's arena, where the holes they leave stay resident: 0.9 to 1.7 MB
 * of a session's peak RSS here. Setting it also turns that rise off. The
 * audio callback allocates nothing, so the mmap calls are off its path;
 * the samples are the same either way. */
static void malloc_tune(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
#endif
}

int main(int argc, char **argv)
{
	malloc_tune();
	/* First of all: SIGINT, SIGTERM and SIGHUP end the process with a
	 * message from here on (util/cleanup.h), never by their default
	 * action, which kills silently. Setup before a command installs its
	 * own handling (reading the config and the routine, opening the
	 * history: about 20 ms, far more under a sanitizer) is a window a
	 * service stop lands in (issue 17, item 13). */
	if (cleanup_install("repcue") < 0) {
		fprintf(stderr, "repcue: cannot set up signal handling\n");
		return 1;
	}
	/* The environment, once: nothing below main() reads it. */
	static struct repcue_env env;
	char msg[200];
	if (repcue_env_read(&env, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "repcue: %s\n", msg);
		return 1;
	}
	int status = dispatch(argc, argv, &env);
	speech_shutdown();
	return status;
}
