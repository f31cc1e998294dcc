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
#include "util/path.h"

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
	const struct repcue_env *env = o->env;
	const char *config_path = config_path_choose(config_arg, env->config);
	if (config_arg && strcmp(config_arg, "none") == 0) {
		device_config_init(cfg);
	} else if (session_load_config(env, config_path, cfg, diags, &config_skipped, &ps->lobby.card_config_problems,
				       stderr) < 0) {
		fprintf(stderr, "repcue play: fix the device config above, or start without it (--config none)\n");
		return 1;
	}
	/* volume, beeps, voice: lobby_settings_use() below takes them over
	 * for the lobby, which reads the card's file again when it changes */
	session_options_from_config(&lo->session, cfg);
	if (!lo->output.device && cfg->audio.device[0])
		lo->output.device = cfg->audio.device;
	if (!lo->output.latency_frames && cfg->audio.latency_frames > 0)
		lo->output.latency_frames = (unsigned)cfg->audio.latency_frames;
	ps->wait_for_device = o->wait_for_device || cfg->audio.wait_for_device;
	/* Test support: under valgrind or on a loaded machine a backend call
	 * (opening the stream) can take longer than the 2 s default; the
	 * tests that run repcue that way set a wider bound here, and say so. */
	if (env->call_timeout_ms)
		lo->output.call_timeout_ms = env->call_timeout_ms;

	/* Where routines are found: the card's boot partition, /etc, the
	 * package (routine/routine_dir.h); routines.dir replaces that. */
	struct lobby *lobby = &ps->lobby;
	const char *boot = env->boot_dir;
	char packaged[ROUTINE_DIR_PATH_MAX];
	if (path_format(packaged, sizeof(packaged), "%s/routines", repcue_data_dir(env)) < 0 ||
	    path_format(lobby->voices_dir, sizeof(lobby->voices_dir), "%s/voices", repcue_data_dir(env)) < 0 ||
	    path_format(lobby->card_dir, sizeof(lobby->card_dir), "%s/repcue", boot) < 0) {
		fprintf(stderr, "repcue play: a path is too long: the data directory %s or the boot "
			"directory %s (at most %zu bytes): shorten $REPCUE_DATA_DIR or $REPCUE_BOOT_DIR\n",
			repcue_data_dir(env), boot, sizeof(packaged) - sizeof("/routines"));
		return 1;
	}
	if (routine_search_init(&lobby->search, cfg->routines.dir, boot, REPCUE_SYSCONFDIR "/routines",
				packaged) < 0) {
		fprintf(stderr, "repcue play: a routine folder's path is too long (at most %d bytes): "
			"%s/repcue/routines or %s; shorten $REPCUE_BOOT_DIR or routines.dir in %s\n",
			ROUTINE_DIR_PATH_MAX - 1, boot, cfg->routines.dir[0] ? cfg->routines.dir : packaged,
			cfg->file[0] ? cfg->file : "the device config");
		return 1;
	}
	/* where the lobby sends a person to fix a pin name: "on the card" */
	size_t boot_len = strlen(boot);
	ps->config_on_card = boot_len > 0 && strncmp(cfg->file, boot, boot_len) == 0 && cfg->file[boot_len] == '/';
	session_default_routine(env, lobby->fallback, sizeof(lobby->fallback));
	/* What the coach writes back to the card: problems.txt in its folder,
	 * with what became of the card's config.yaml (used when no other was
	 * named and it loaded; its bad settings named). Without --config or
	 * $REPCUE_CONFIG the lobby reads the card's file again when it
	 * changes. */
	if (o->card_out && path_format(lobby->out_dir, sizeof(lobby->out_dir), "%s", o->card_out) < 0) {
		fprintf(stderr, "repcue play: --card-out %s: too long a path\n", o->card_out);
		return 1;
	}
	lobby->env = env;
	lobby->watch_config = !config_path;
	lobby_settings_use(lobby, cfg, &config_skipped, stderr);
	/* Music under the coach: --music DIR, else the card's music folder
	 * when there is one (issue 22). */
	struct stat music_st;
	if (path_format(ps->music_dir, sizeof(ps->music_dir), "%s/music", lobby->card_dir) == 0 &&
	    !lo->session.music_dir && stat(ps->music_dir, &music_st) == 0 && S_ISDIR(music_st.st_mode))
		lo->session.music_dir = ps->music_dir;

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
