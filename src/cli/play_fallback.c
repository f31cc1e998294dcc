/* play_fallback.c - no sound device at all: play renders the session
 * to a WAV file instead, through render_run(), and says where it is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/play.h"
#include "util/out_file.h"
#include "util/path.h"
#include "util/utf8.h"

/* Where the session goes when there is no sound device and no
 * --fallback-wav: repcue-session.wav in the state directory (util/env.h:
 * by default ~/.local/state/repcue/), never the current directory, which
 * may be a source tree or somebody else's files. One file, replaced each
 * time, so it cannot fill the disk; the message says where it is.
 * 0 or -errno (-ENOENT: no state directory). */
int default_fallback_wav(const struct repcue_env *env, char *buf, size_t size)
{
	if (!env->state_dir[0])
		return -ENOENT;
	/* private, as the XDG spec asks for state */
	int r = mkdir_p(env->state_dir, 0700);
	if (r < 0)
		return r;
	return path_format(buf, size, "%s/repcue-session.wav", env->state_dir);
}

int render_instead(const struct repcue_env *env, const char *routine, const char *wav,
		   const struct control_event *presses, int n_presses, const struct session_options *settings)
{
	char path[ENV_PATH_MAX + 32];

	if (!wav) {
		int r = default_fallback_wav(env, path, sizeof(path));

		if (r < 0) {
			fprintf(stderr, "repcue: no sound device, and no place for the session's WAV file "
				"(the state directory %s: %s; set $REPCUE_STATE_DIR, $XDG_STATE_HOME or $HOME); "
				"give --fallback-wav FILE\n",
				env->state_dir[0] ? env->state_dir : "(none)", strerror(-r));
			return 1;
		}
		wav = path;
	}

	fprintf(stderr, "repcue: no sound device: rendering the session to %s instead, with its transcript\n",
		utf8_escape((char[1200]){ 0 }, 1200, wav, strlen(wav)));
	return render_run(&(struct render_request){
		.env = env, .routine_path = routine, .out_path = wav, .presses = presses, .n_presses = n_presses,
		.settings = settings, .music_dir = settings ? settings->music_dir : NULL,
	});
}
