/* speech.h - spoken lines as session-rate audio.
 *
 * eSpeak NG is a process-wide singleton and not thread-safe, so there is
 * at most one struct speech per process and every call on it must come
 * from the same thread (the render loop, or the speech thread when
 * playing live).
 */
#ifndef REPCUE_SPEECH_SPEECH_H
#define REPCUE_SPEECH_SPEECH_H

#include <stddef.h>

#include "core/time.h"
#include "core/voice.h"

#define SPEECH_WORDS_MAX 128

/* One synthesized line at SESSION_RATE_HZ, mono. Owns `samples`; release
 * with speech_line_free(). Peak level is at most SPEECH_PEAK. */
struct speech_line {
	float *samples;
	frames_t frames;
	frames_t word_starts[SPEECH_WORDS_MAX]; /* ascending: where a cut falls between
	                                         * words (word starts, pause starts) */
	int n_words;
};

/* Loudest sample of any line: leaves room for beeps under it (see mixer). */
#define SPEECH_PEAK 0.6f

struct speech;

/* Starts eSpeak NG with `voice`. Returns 0 and sets *ret, or a negative
 * errno with a message in err (e.g. voice data missing). Caller releases
 * it with speech_close(). */
int speech_open(struct speech **ret, const struct voice_profile *voice,
		char *err, size_t err_size);

/* Synthesizes `text` (valid UTF-8, no control characters, checked by the
 * routine loader) into *out. Returns 0 or a negative errno. */
int speech_say(struct speech *sp, const char *text, struct speech_line *out);

/* Accepts NULL. The engine itself stays up for the next speech_open(). */
void speech_close(struct speech *sp);

/* Releases eSpeak NG's memory. Call once, at process exit, after the last
 * speech_close(): eSpeak NG 1.51 cannot be restarted after it. */
void speech_shutdown(void);

/* "eSpeak NG 1.51" - part of the line cache key. */
const char *speech_engine_version(void);

/* Accepts a zeroed or already freed line. */
void speech_line_free(struct speech_line *line);

#endif
