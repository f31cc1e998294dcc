#include "speech/espeak.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <espeak-ng/speak_lib.h>
#ifdef HAVE_ESPEAK_NG_SETRANDSEED
#include <espeak-ng/espeak_ng.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int engine_rate_hz;
/* eSpeak NG 1.51 hangs in espeak_Terminate() after a second
 * espeak_Initialize() (an internal thread waits forever), so the engine is
 * initialized once per process and terminated once, at exit. */
static bool initialized;

/* Called by espeak_Synth, synchronously, on the calling thread. The output
 * buffer travels in user_data, so there is no static state per call. */
static int on_synth(short *wav, int n, espeak_EVENT *events)
{
	struct espeak_pcm *out = events ? events->user_data : NULL;

	if (!out)
		return 1;
	for (espeak_EVENT *e = events; e->type != espeakEVENT_LIST_TERMINATED; e++) {
		if (e->type == espeakEVENT_WORD && out->n_words < (int)(sizeof(out->word_starts) / sizeof(out->word_starts[0])))
			out->word_starts[out->n_words++] =
				(size_t)e->audio_position * (size_t)out->rate_hz / 1000;
	}
	if (!wav || n <= 0)
		return 0;
	if (out->n_samples + (size_t)n > out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 16384;
		while (cap < out->n_samples + (size_t)n)
			cap *= 2;
		int16_t *p = realloc(out->samples, cap * sizeof(*p));
		if (!p)
			return 1; /* abort synthesis; espeak_render reports ENOMEM */
		out->samples = p;
		out->cap = cap;
	}
	memcpy(out->samples + out->n_samples, wav, (size_t)n * sizeof(*wav));
	out->n_samples += (size_t)n;
	return 0;
}

/* eSpeak NG reports every failure to open its data or voice files as "not
 * found", whatever the reason. When the process is out of file
 * descriptors (EMFILE, or the system's ENFILE), that is the real cause:
 * it needs a few at once. Returns the errno, or 0 when there is room. */
#define ESPEAK_FILES_NEEDED 4

static int short_of_files(void)
{
	int fds[ESPEAK_FILES_NEEDED], n = 0, err = 0;

	for (; n < ESPEAK_FILES_NEEDED; n++) {
		fds[n] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fds[n] < 0) {
			err = errno;
			break;
		}
	}
	while (n > 0)
		close(fds[--n]);
	return err == EMFILE || err == ENFILE ? err : 0;
}

static int files_failure(int e, const char *what, char *err, size_t err_size)
{
	snprintf(err, err_size, "eSpeak NG cannot %s: %s (%s): raise the limit of open files "
		 "(ulimit -n, or LimitNOFILE= in the service)", what, strerror(e), e == EMFILE ? "EMFILE" : "ENFILE");
	return -e;
}

int espeak_start(const struct voice_profile *voice, char *err, size_t err_size)
{
	int e;
	char name[3 * VOICE_FIELD_MAX];

	/* DONT_EXIT: eSpeak NG would otherwise exit() the process when its
	 * data files are missing. */
	if (!initialized) {
		int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL,
					     espeakINITIALIZE_DONT_EXIT);
		if (rate <= 0) {
			if ((e = short_of_files()))
				return files_failure(e, "open its data files", err, err_size);
			snprintf(err, err_size, "eSpeak NG did not start: is the espeak-ng-data package installed?");
			return -ENOENT;
		}
		engine_rate_hz = rate;
		initialized = true;
		espeak_SetSynthCallback(on_synth);
	}
	/* Languages such as "en-gb" are found by property, not by name; the
	 * variant is then added to the voice file's identifier ("gmw/en+f3"). */
	espeak_VOICE wanted = { .languages = voice->language };
	espeak_VOICE *found;
	if (espeak_SetVoiceByProperties(&wanted) != EE_OK ||
	    !(found = espeak_GetCurrentVoice()) || !found->identifier) {
		if ((e = short_of_files()))
			return files_failure(e, "open its voice files", err, err_size);
		snprintf(err, err_size, "eSpeak NG has no voice for language '%s' (voice profile '%s'); "
			 "list them with: espeak-ng --voices", voice->language, voice->name);
		return -ENOENT;
	}
	snprintf(name, sizeof(name), "%s%s%s", found->identifier, voice->variant[0] ? "+" : "",
		 voice->variant);
	if (espeak_SetVoiceByName(name) != EE_OK) {
		if ((e = short_of_files()))
			return files_failure(e, "open its voice files", err, err_size);
		snprintf(err, err_size, "eSpeak NG cannot load voice '%s' (voice profile '%s')",
			 name, voice->name);
		return -ENOENT;
	}
	espeak_SetParameter(espeakRATE, voice->rate_wpm, 0);
	espeak_SetParameter(espeakPITCH, voice->pitch, 0);
	espeak_SetParameter(espeakRANGE, voice->range, 0);
	espeak_SetParameter(espeakVOLUME, voice->volume, 0);
	espeak_SetParameter(espeakWORDGAP, voice->word_gap_ms / 10, 0);
	return engine_rate_hz;
}

int espeak_render(const char *text, struct espeak_pcm *out)
{
	memset(out, 0, sizeof(*out));
	out->rate_hz = engine_rate_hz;
#ifdef HAVE_ESPEAK_NG_SETRANDSEED
	/* eSpeak NG 1.52 seeds its noise generator from the clock, so the same
	 * line came out a frame longer or shorter from one process to the
	 * next (trixie): a cached line then differed from a fresh one, and a
	 * live session from its render. The same seed before every line makes
	 * each line depend on its text and voice alone, whatever was said
	 * before it. (1.51, bookworm, has no such generator to seed.) */
	espeak_ng_SetRandSeed(1);
#endif
	/* No SSML or phoneme flags: routine text is untrusted and is read
	 * as plain characters. */
	espeak_ERROR e = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
				      espeakCHARS_UTF8, NULL, out);
	if (e != EE_OK) {
		free(out->samples);
		memset(out, 0, sizeof(*out));
		return -EIO;
	}
	if (out->cap && !out->samples)
		return -ENOMEM;
	return 0;
}

void espeak_shutdown(void)
{
	if (initialized)
		espeak_Terminate();
	initialized = false;
}

const char *espeak_version(void)
{
	static char version[64];
	const char *path = NULL;

	if (!version[0])
		snprintf(version, sizeof(version), "eSpeak NG %s", espeak_Info(&path));
	return version;
}
