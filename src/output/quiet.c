/* quiet.c - silence ALSA and JACK through their own handler hooks rather
 * than by redirecting stderr, which would hide the program's own messages.
 * JACK is reached with dlopen so the module does not link libjack: when
 * PortAudio was built with JACK support the library is already mapped and
 * RTLD_NOLOAD finds that same copy (a second copy would have its own,
 * useless, handler variables). */
#include "output/quiet.h"

#include <alsa/asoundlib.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/path.h"

static void alsa_silent(const char *file, int line, const char *function, int err,
			const char *fmt, ...)
{
	(void)file;
	(void)line;
	(void)function;
	(void)err;
	(void)fmt;
}

static void jack_silent(const char *msg)
{
	(void)msg;
}

typedef void (*jack_set_fn)(void (*func)(const char *));

static void jack_quiet(void)
{
	/* Deliberately never dlclose'd: the handlers must stay mapped for as
	 * long as libjack may call them, i.e. the life of the process. */
	void *jack = dlopen("libjack.so.0", RTLD_LAZY | RTLD_NOLOAD);
	jack_set_fn set_error, set_info;

	if (!jack)
		return; /* PortAudio without JACK: nothing to silence */
	*(void **)&set_error = dlsym(jack, "jack_set_error_function");
	*(void **)&set_info = dlsym(jack, "jack_set_info_function");
	if (set_error)
		set_error(jack_silent);
	if (set_info)
		set_info(jack_silent);
}

void output_quiet(bool verbose)
{
	if (verbose)
		return;
	snd_lib_error_set_handler(alsa_silent);
	jack_quiet();
}

/* ---- ALSA configuration check (probe child only) ---------------------- */

/* ALSA's own messages while it reads its configuration: the parse error
 * ("_toplevel_:4:0:Unexpected char") comes first, then the file it was
 * in ("/root/.asoundrc may be old or corrupted: ..."). */
static char alsa_error[160];
static char alsa_file[200];

static void alsa_capture(const char *file, int line, const char *function, int err,
			 const char *fmt, ...)
{
	char text[400];
	va_list ap;

	(void)file;
	(void)line;
	(void)function;
	(void)err;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	char *old = strstr(text, " may be old or corrupted");
	if (old && !alsa_file[0]) {
		*old = '\0';
		snprintf(alsa_file, sizeof(alsa_file), "%.199s", text);
	} else if (!alsa_error[0]) {
		const char *t = text;
		if (strncmp(t, "_toplevel_:", 11) == 0)
			t += 11; /* "4:0:Unexpected char": line:column:problem */
		snprintf(alsa_error, sizeof(alsa_error), "%.159s", t);
	}
}

int output_alsa_check(const char *env, char *msg, size_t msg_size)
{
	char top[PATH_MAX];
	int n_pcms = 0, card = -1, err;

	if (path_format(top, sizeof(top), "%s/alsa.conf", snd_config_topdir()) < 0)
		snprintf(top, sizeof(top), "(ALSA's alsa.conf)");
	const char *conf = env && env[0] ? env : top;
	alsa_error[0] = alsa_file[0] = '\0';
	snd_lib_error_set_handler(alsa_capture);
	err = snd_config_update();
	if (err < 0) {
		const char *what = alsa_error[0] ? alsa_error : snd_strerror(err);
		if (alsa_file[0])
			snprintf(msg, msg_size, "ALSA cannot read %s:%s; fix or remove that file", alsa_file,
				 what);
		else
			snprintf(msg, msg_size, "ALSA cannot read its configuration %s (%s); %s", conf, what,
				 env && env[0] ? "fix it, or unset ALSA_CONFIG_PATH"
					       : "fix it, or ~/.asoundrc or /etc/asound.conf");
		return -ENODEV;
	}
	/* PortAudio lists the PCMs defined in the configuration and the
	 * cards; with neither it asserts. Count the same things. */
	snd_config_t *pcms;
	if (snd_config && snd_config_search(snd_config, "pcm", &pcms) == 0) {
		snd_config_iterator_t i, next;
		snd_config_for_each(i, next, pcms)
			n_pcms++;
	}
	if (n_pcms == 0 && (snd_card_next(&card) < 0 || card < 0)) {
		snprintf(msg, msg_size,
			 "ALSA lists no sound devices and no sound cards: its configuration %s is "
			 "empty, missing or unreadable; %s",
			 conf, env && env[0] ? "unset ALSA_CONFIG_PATH or point it at a readable alsa.conf"
					     : "reinstall it (apt-get install --reinstall libasound2-data)");
		return -ENODEV;
	}
	return 0;
}
