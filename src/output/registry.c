/* registry.c - the one table of output backends: what --output accepts,
 * what the usage text lists, and what an unknown name is told, all come
 * from here. Adding a backend: its .c file with a const struct output_ops,
 * and here its extern declaration and one entry in the table (plus its
 * source in CMakeLists.txt).
 *
 * The shape is seatd's libseat backend list and MPD 0.16's output_list.c:
 * a static table of name -> ops, compile-time entries under #ifdef, and a
 * null backend that is always present. Unlike those, a backend this build
 * lacks stays listed with the reason and the fix, so "--output portaudio"
 * on a build without PortAudio says "rebuild with portaudio19-dev", not
 * "no such output". */
#include "output/output.h"

#include <stdio.h>
#include <string.h>

/* The backends' ops, declared here as libseat.c declares its backends, so
 * a new backend needs no header of its own. */
extern const struct output_ops output_null_ops;
#ifdef REPCUE_HAVE_PORTAUDIO
extern const struct output_ops output_portaudio_ops;
#endif

static const struct output_backend backends[] = {
	/* first: the default */
	{
		.name = "portaudio",
		.description = "the sound card, through PortAudio (default)",
#ifdef REPCUE_HAVE_PORTAUDIO
		.ops = &output_portaudio_ops,
#else
		.missing = "built without PortAudio (install portaudio19-dev and rebuild)",
#endif
	},
	{
		.name = "null",
		.description = "no sound: pace the session with the clock (for tests)",
		.ops = &output_null_ops,
	},
};

#define N_BACKENDS (sizeof(backends) / sizeof(backends[0]))

const struct output_backend *output_backend_at(size_t i)
{
	return i < N_BACKENDS ? &backends[i] : NULL;
}

const struct output_backend *output_backend_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < N_BACKENDS; i++)
		if (strcmp(backends[i].name, name) == 0)
			return &backends[i];
	return NULL;
}

int output_backend_names(char *buf, size_t size)
{
	size_t used = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < N_BACKENDS; i++) {
		int n = snprintf(buf + (used < size ? used : size), used < size ? size - used : 0, "%s%s",
				 i ? ", " : "", backends[i].name);

		if (n < 0)
			return n;
		used += (size_t)n;
	}
	return (int)used;
}
