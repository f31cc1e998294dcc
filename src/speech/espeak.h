/* espeak.h - the eSpeak NG adapter: text in, 16-bit PCM at the engine's
 * own rate and word start positions out. The only file that includes
 * <espeak-ng/speak_lib.h> is espeak.c. */
#ifndef REPCUE_SPEECH_ESPEAK_H
#define REPCUE_SPEECH_ESPEAK_H

#include <stddef.h>
#include <stdint.h>

#include "core/voice.h"

struct espeak_pcm {
	int16_t *samples;       /* owned; free() */
	size_t n_samples;
	size_t cap;
	int rate_hz;
	size_t word_starts[128]; /* sample offsets */
	int n_words;
};

/* Initializes the engine on first use and selects `voice`. Returns the
 * engine's sample rate (> 0) or a negative errno. */
int espeak_start(const struct voice_profile *voice, char *err, size_t err_size);
int espeak_render(const char *text, struct espeak_pcm *out);
/* Terminates the engine; only at process exit (see espeak.c). */
void espeak_shutdown(void);
const char *espeak_version(void);

#endif
