#include "speech/speech.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "speech/espeak.h"
#include "speech/resample.h"

/* Below this a sample counts as silence when trimming a line's ends. */
#define SILENCE_LEVEL 0.002f
/* Kept around the audible part, so consonants at the edges survive. */
#define TRIM_MARGIN_MS 10
/* A line starts where it first comes within 40 dB of its own peak (then
 * TRIM_MARGIN_MS earlier). eSpeak NG leads a stop consonant with up to
 * 50 ms of closure noise at about -50 dB ("Paused."): inaudible, but it
 * is the time between a press and its confirmation being heard. 40 dB
 * down still keeps the onset of soft fricatives ("Fifteen"), which sit
 * 20-35 dB below the vowels. */
#define LEAD_LEVEL_RE_PEAK 0.01f

struct speech {
	struct voice_profile voice;
	int engine_rate_hz;
};

static bool started; /* eSpeak NG is one per process */

int speech_open(struct speech **ret, const struct voice_profile *voice,
		char *err, size_t err_size)
{
	if (started) {
		snprintf(err, err_size, "speech engine already open");
		return -EBUSY;
	}
	struct speech *sp = calloc(1, sizeof(*sp));
	if (!sp) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	int rate = espeak_start(voice, err, err_size);
	if (rate < 0) {
		free(sp);
		return rate;
	}
	sp->voice = *voice;
	sp->engine_rate_hz = rate;
	started = true;
	*ret = sp;
	return 0;
}

void speech_close(struct speech *sp)
{
	if (!sp)
		return;
	started = false;
	free(sp);
}

void speech_shutdown(void)
{
	espeak_shutdown();
}

const char *speech_engine_version(void)
{
	return espeak_version();
}

void speech_line_free(struct speech_line *line)
{
	if (!line)
		return;
	free(line->samples);
	memset(line, 0, sizeof(*line));
}

/* A pause shorter than this is the gap between two words, not a pause. */
#define PAUSE_MIN_MS 40
/* A cut point is sought only this long after a word starts. */
#define PAUSE_AFTER_WORD_MS 80

/* First frame of a run of PAUSE_MIN_MS of near-silence in [from, to), or -1. */
static frames_t find_pause(const float *x, frames_t from, frames_t to)
{
	const float quiet = SPEECH_PEAK * 0.01f;
	frames_t need = frames_from_ms(PAUSE_MIN_MS), run = 0;

	for (frames_t i = from; i < to; i++) {
		run = fabsf(x[i]) < quiet ? run + 1 : 0;
		if (run == need)
			return i + 1 - need;
	}
	return -1;
}

/* eSpeak NG says where words start, but a clause pause ("activation.
 * Hold the band") sits inside the gap before the next word start, so a
 * line that has to give way would run on through the pause. Adds a cut
 * point where each such pause begins. */
static void add_pause_boundaries(struct speech_line *line)
{
	frames_t cuts[SPEECH_WORDS_MAX];
	int n = 0;

	for (int w = 0; w <= line->n_words && n < SPEECH_WORDS_MAX; w++) {
		frames_t start = w == 0 ? 0 : line->word_starts[w - 1];
		frames_t end = w < line->n_words ? line->word_starts[w] : line->frames;
		if (w > 0)
			cuts[n++] = start;
		frames_t pause = find_pause(line->samples, start + frames_from_ms(PAUSE_AFTER_WORD_MS), end);
		if (pause > 0 && n < SPEECH_WORDS_MAX && end - pause > frames_from_ms(PAUSE_MIN_MS))
			cuts[n++] = pause;
	}
	memcpy(line->word_starts, cuts, (size_t)n * sizeof(cuts[0]));
	line->n_words = n;
}

int speech_say(struct speech *sp, const char *text, struct speech_line *out)
{
	struct espeak_pcm pcm;
	float *raw = NULL, *wide = NULL;
	size_t n_wide = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = espeak_render(text, &pcm);
	if (ret < 0)
		return ret;
	raw = malloc((pcm.n_samples ? pcm.n_samples : 1) * sizeof(*raw));
	if (!raw) {
		ret = -ENOMEM;
		goto free_pcm;
	}
	for (size_t i = 0; i < pcm.n_samples; i++)
		raw[i] = pcm.samples[i] / 32768.0f;
	ret = resample_to(raw, pcm.n_samples, pcm.rate_hz, SESSION_RATE_HZ, &wide, &n_wide);
	if (ret < 0)
		goto free_raw;

	size_t first = 0, last = n_wide;
	float peak = 0.0f;
	for (size_t i = 0; i < n_wide; i++)
		if (fabsf(wide[i]) > peak)
			peak = fabsf(wide[i]);
	float lead = peak * LEAD_LEVEL_RE_PEAK > SILENCE_LEVEL ? peak * LEAD_LEVEL_RE_PEAK : SILENCE_LEVEL;
	while (first < n_wide && fabsf(wide[first]) < lead)
		first++;
	while (last > first && fabsf(wide[last - 1]) < SILENCE_LEVEL)
		last--;
	size_t margin = (size_t)frames_from_ms(TRIM_MARGIN_MS);
	size_t loud = first;
	first = first > margin ? first - margin : 0;
	/* ... but not into silence: a stop's closure is silent, and the
	 * output of a press should change in the block it lands in. */
	while (first < loud && fabsf(wide[first]) < SILENCE_LEVEL)
		first++;
	last = last + margin < n_wide ? last + margin : n_wide;

	float volume = sp->voice.volume >= 100 ? 1.0f : sp->voice.volume / 100.0f;
	float gain = peak > 0.0f ? SPEECH_PEAK * volume / peak : 0.0f;
	out->frames = (frames_t)(last - first);
	memmove(wide, wide + first, (size_t)out->frames * sizeof(*wide));
	for (frames_t i = 0; i < out->frames; i++)
		wide[i] *= gain;
	out->samples = wide;
	wide = NULL;

	for (int w = 0; w < pcm.n_words && out->n_words < SPEECH_WORDS_MAX; w++) {
		frames_t at = (frames_t)pcm.word_starts[w] * SESSION_RATE_HZ / pcm.rate_hz - (frames_t)first;
		if (at > 0 && at < out->frames)
			out->word_starts[out->n_words++] = at;
	}
	add_pause_boundaries(out);
free_raw:
	free(raw);
free_pcm:
	free(pcm.samples);
	return ret;
}
