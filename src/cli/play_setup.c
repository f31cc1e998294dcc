/* play_setup.c - what play settles before it starts: the device config
 * under the command line's options, the routine path and the routine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/play.h"
#include "routine/config_load.h"
#include "routine/routine_dir.h"

#ifndef REPCUE_SYSCONFDIR
#define REPCUE_SYSCONFDIR "/etc/repcue"
#endif

int play_setup(struct play_setup *ps, const struct play_options *o, struct live_options *lo)
{
	/* The device config: sound device, routines, buttons and pedals.
	 * Options on the command line win over it. */
	struct device_config *cfg = &ps->cfg;
	struct diag_list *diags = &ps->diags;
	const char *config_arg = o->config_arg;
	bool wait_for_start = o->wait_for_start;
	struct routine_entry config_skipped = { 0 };
	const char *config_path = config_path_choose(config_arg, getenv("REPCUE_CONFIG"));
	if (config_arg && strcmp(config_arg, "none") == 0) {
		device_config_init(cfg);
	} else if (session_load_config(config_path, cfg, diags, &config_skipped, &ps->lobby.card_config_problems,
				       stderr) < 0) {
		fprintf(stderr, "repcue play: fix the device config above, or start without it (--config none)\n");
		return 1;
	}
	if (!lo->output.device && cfg->audio.device[0])
		lo->output.device = cfg->audio.device;
	if (!lo->output.latency_frames && cfg->audio.latency_frames > 0)
		lo->output.latency_frames = (unsigned)cfg->audio.latency_frames;
	ps->wait_for_device = o->wait_for_device || cfg->audio.wait_for_device;
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

	/* Where routines are found: the card's boot partition, /etc, the
	 * package (routine/routine_dir.h); routines.dir replaces that. */
	struct lobby *lobby = &ps->lobby;
	char boot[ROUTINE_DIR_PATH_MAX], packaged[ROUTINE_DIR_PATH_MAX];
	snprintf(packaged, sizeof(packaged), "%s/routines", repcue_data_dir());
	routine_search_init(&lobby->search, cfg->routines.dir, routine_boot_dir(getenv("REPCUE_BOOT_DIR"), boot, sizeof(boot)),
			    REPCUE_SYSCONFDIR "/routines", packaged);
	/* where the lobby sends a person to fix a pin name: "on the card" */
	size_t boot_len = strlen(boot);
	ps->config_on_card = boot_len > 0 && strncmp(cfg->file, boot, boot_len) == 0 && cfg->file[boot_len] == '/';
	snprintf(lobby->voices_dir, sizeof(lobby->voices_dir), "%s/voices", repcue_data_dir());
	session_default_routine(lobby->fallback, sizeof(lobby->fallback));
	if (config_skipped.status != 0)
		lobby_say(lobby, PHRASE_SKIP_CONFIG_AT, &config_skipped, 0);
	/* What the coach writes back to the card: problems.txt in its folder,
	 * with what became of the card's config.yaml (used when no other was
	 * named and it loaded). */
	snprintf(lobby->card_dir, sizeof(lobby->card_dir), "%s/repcue", boot);
	char card_config[sizeof(lobby->card_dir) + 16];
	snprintf(card_config, sizeof(card_config), "%s/config.yaml", lobby->card_dir);
	/* Music under the coach: --music DIR, else the card's music folder
	 * when there is one (issue 22). */
	struct stat music_st;
	snprintf(ps->music_dir, sizeof(ps->music_dir), "%s/music", lobby->card_dir);
	if (!lo->session.music_dir && stat(ps->music_dir, &music_st) == 0 && S_ISDIR(music_st.st_mode))
		lo->session.music_dir = ps->music_dir;
	if (config_skipped.status != 0)
		lobby->card_config = LOBBY_CONFIG_SKIPPED;
	else if (!config_path && access(card_config, F_OK) == 0)
		lobby->card_config = LOBBY_CONFIG_USED;

	/* A routine by name (upper-back-3) is looked up along that path; a
	 * name with a '/' or a .yaml file that exists is a path. */
	const char *routine = o->routine;
	if (!routine && cfg->routines.default_routine[0])
		routine = cfg->routines.default_routine;
	if (!routine)
		routine = SESSION_DEFAULT_ROUTINE;
	bool found = routine_search_find(&lobby->search, routine, ps->routine, sizeof(ps->routine)) == 0;
	if (!found && wait_for_start)
		fprintf(stderr, "repcue play: no routine '%s' on the routine path; waiting with another one\n", routine);
	if (!found && !wait_for_start) {
		fprintf(stderr, "repcue play: no routine '%s': not a file, and not in", routine);
		for (int i = 0; i < lobby->search.n_dirs; i++)
			fprintf(stderr, "%s %s", i ? "," : "", lobby->search.dirs[i]);
		if (lobby->search.n_dirs == 0 || strcmp(lobby->search.dirs[lobby->search.n_dirs - 1], packaged) != 0)
			fprintf(stderr, "%s%s", lobby->search.n_dirs ? ", " : " ", packaged);
		fprintf(stderr, "\n");
		return 1;
	}
	return -1;
}
