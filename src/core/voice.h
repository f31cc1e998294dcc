/* voice.h - a voice profile (voices/<name>.yaml): how the coach sounds.
 * Pure data, owned inline like struct routine. */
#ifndef REPCUE_CORE_VOICE_H
#define REPCUE_CORE_VOICE_H

#define VOICE_FIELD_MAX 64

struct voice_profile {
	char name[VOICE_FIELD_MAX];     /* profile name, e.g. "coach" */
	char language[VOICE_FIELD_MAX]; /* eSpeak NG voice/language, e.g. "en-gb" */
	char variant[VOICE_FIELD_MAX];  /* eSpeak NG variant, e.g. "f3"; "" = none */
	int rate_wpm;                   /* 80..450 words per minute */
	int pitch;                      /* 0..100, 50 = normal */
	int range;                      /* 0..100 pitch range, 50 = normal */
	int volume;                     /* 0..200, 100 = normal */
	int word_gap_ms;                /* extra pause between words, 0..500 */
};

/* The profile used when a routine names none and for built-in tests. */
static inline struct voice_profile voice_profile_default(void)
{
	struct voice_profile v = {
		.name = "coach", .language = "en-gb", .variant = "f3",
		.rate_wpm = 150, .pitch = 45, .range = 40, .volume = 100,
		.word_gap_ms = 0,
	};
	return v;
}

#endif
