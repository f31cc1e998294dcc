/* quiet.c - silence ALSA and JACK through their own handler hooks rather
 * than by redirecting stderr, which would hide the program's own messages.
 * JACK is reached with dlopen so the module does not link libjack: when
 * PortAudio was built with JACK support the library is already mapped and
 * RTLD_NOLOAD finds that same copy (a second copy would have its own,
 * useless, handler variables). */
#include "output/quiet.h"

#include <alsa/asoundlib.h>
#include <dlfcn.h>

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
