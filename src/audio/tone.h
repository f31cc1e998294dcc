/* tone.h - the beeps, synthesized once into tables before a session starts
 * so the audio thread only copies samples. */
#ifndef REPCUE_AUDIO_TONE_H
#define REPCUE_AUDIO_TONE_H

#include "core/plan.h"

/* Loudest sample of a beep. With at most two beeps overlapping and speech
 * at SPEECH_PEAK (0.6) the mix stays below 1.0: 0.6 + 2 * 0.18 = 0.96. */
#define TONE_PEAK 0.18f

struct tone_bank {
	float *samples[TONE_KINDS];  /* owned; tone_length(t) frames each */
};

/* Returns 0 or -ENOMEM. Release with tone_bank_finish(). */
int tone_bank_init(struct tone_bank *bank);
void tone_bank_finish(struct tone_bank *bank);

#endif
