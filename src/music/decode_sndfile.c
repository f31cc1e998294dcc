#include "music/decode.h"

#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "music/music.h"

struct music_decoder {
	SNDFILE *sf;
	int channels;
	float *buf;   /* owned: MUSIC_DECODE_FRAMES * channels */
};

/* A WAV or AIFF whose data chunk promises more than the file holds was
 * cut short (a copy to the card interrupted); libsndfile plays what is
 * there and only says so in its log: "data : 3840000 (should be 1919978)".
 * A length of 0 or 0xFFFFFFFF is a streaming writer's, not a cut. */
static bool cut_short(SNDFILE *sf)
{
	char log[8192];
	long long said, is;

	sf_command(sf, SFC_GET_LOG_INFO, log, sizeof(log));
	for (const char *p = strstr(log, "data :"); p; p = strstr(p + 1, "data :"))
		if (sscanf(p, "data : %lld (should be %lld)", &said, &is) == 2 && said > is &&
		    said != 0xFFFFFFFFLL && said != 0)
			return true;
	return false;
}

int music_decoder_open(struct music_decoder **ret, const char *path, int *rate, int64_t *frames,
		       char *msg, size_t msg_size)
{
	SF_INFO info = { 0 };
	SNDFILE *sf = sf_open(path, SFM_READ, &info);

	if (!sf) {
		snprintf(msg, msg_size, "cannot be read as sound: %s", sf_strerror(NULL));
		return -EINVAL;
	}
	if (cut_short(sf)) {
		snprintf(msg, msg_size, "is cut short: the file ends before the sound its header promises");
		sf_close(sf);
		return -EIO;
	}
	if (info.channels < 1 || info.channels > MUSIC_CHANNELS_MAX || info.samplerate < 1000 ||
	    info.samplerate > 384000) {
		snprintf(msg, msg_size, "has %d channels at %d Hz; at most %d channels at 1 to 384 kHz can be played",
			 info.channels, info.samplerate, MUSIC_CHANNELS_MAX);
		sf_close(sf);
		return -EINVAL;
	}
	struct music_decoder *d = calloc(1, sizeof(*d));
	float *buf = malloc(sizeof(float) * MUSIC_DECODE_FRAMES * (size_t)info.channels);
	if (!d || !buf) {
		free(d);
		free(buf);
		sf_close(sf);
		snprintf(msg, msg_size, "out of memory");
		return -ENOMEM;
	}
	d->sf = sf;
	d->channels = info.channels;
	d->buf = buf;
	*rate = info.samplerate;
	*frames = info.frames > 0 && info.frames < SF_COUNT_MAX ? (int64_t)info.frames : -1;
	*ret = d;
	return 0;
}

long music_decoder_read(struct music_decoder *d, float *out, long n, char *msg, size_t msg_size)
{
	if (n > MUSIC_DECODE_FRAMES)
		n = MUSIC_DECODE_FRAMES;
	sf_count_t got = sf_readf_float(d->sf, d->buf, n);
	if (got <= 0) {
		int err = sf_error(d->sf);
		if (err != SF_ERR_NO_ERROR) {
			snprintf(msg, msg_size, "is damaged: %s", sf_error_number(err));
			return -EIO;
		}
		return 0;
	}
	for (sf_count_t i = 0; i < got; i++) {
		float sum = 0.0f;
		for (int c = 0; c < d->channels; c++)
			sum += d->buf[i * d->channels + c];
		out[i] = sum / (float)d->channels;
	}
	return (long)got;
}

void music_decoder_close(struct music_decoder *d)
{
	if (!d)
		return;
	sf_close(d->sf);
	free(d->buf);
	free(d);
}

const char *music_decoder_version(void)
{
	return sf_version_string();
}
