/* play_fallback.c - no sound device at all: play renders the session
 * to a WAV file instead, through render_run(), and says where it is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/play.h"
#include "util/utf8.h"

/* Where the session goes when there is no sound device and no
 * --fallback-wav: $XDG_STATE_HOME/repcue/repcue-session.wav (by default
 * ~/.local/state/repcue/), never the current directory, which may be a
 * source tree or somebody else's files. One file, replaced each time, so
 * it cannot fill the disk; the message says where it is. 0 or -errno. */
int default_fallback_wav(char *buf, size_t size)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[1024];
	int n;

	/* the XDG spec: a relative path is invalid and must be ignored */
	if (state && state[0] == '/')
		n = snprintf(dir, sizeof(dir), "%s/repcue", state);
	else if (home && home[0] == '/')
		n = snprintf(dir, sizeof(dir), "%s/.local/state/repcue", home);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -ENAMETOOLONG;
	/* mkdir -p, private as the spec asks for state */
	for (char *p = dir + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST)
				return -errno;
			*p = c;
			if (c == '\0')
				break;
		}
	}
	n = snprintf(buf, size, "%s/repcue-session.wav", dir);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int render_instead(const char *routine, const char *wav, const struct control_event *presses, int n_presses,
		   const char *music_dir)
{
	char path[1100];

	if (!wav) {
		int r = default_fallback_wav(path, sizeof(path));

		if (r < 0) {
			fprintf(stderr, "repcue: no sound device, and no place for the session's WAV file "
				"($XDG_STATE_HOME or $HOME/.local/state: %s); give --fallback-wav FILE\n",
				strerror(-r));
			return 1;
		}
		wav = path;
	}

	fprintf(stderr, "repcue: no sound device: rendering the session to %s instead, with its transcript\n",
		utf8_escape((char[1200]){ 0 }, 1200, wav, strlen(wav)));
	return render_run(&(struct render_request){
		.routine_path = routine, .out_path = wav, .presses = presses, .n_presses = n_presses,
		.music_dir = music_dir,
	});
}
