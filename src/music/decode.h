/* decode.h - the libsndfile adapter (decode_sndfile.c is the only file
 * that includes <sndfile.h> for music): a sound file as mono frames. */
#ifndef REPCUE_MUSIC_DECODE_H
#define REPCUE_MUSIC_DECODE_H

#include <stddef.h>
#include <stdint.h>

struct music_decoder;

/* Opens `path`. Returns 0 with *ret (music_decoder_close), its rate and
 * the frames its header declares (-1 unknown), or -errno with what is
 * wrong in msg. */
int music_decoder_open(struct music_decoder **ret, const char *path, int *rate, int64_t *frames,
		       char *msg, size_t msg_size);

/* Up to n mono frames (the channels' mean) into out: > 0 frames, 0 at
 * the end, -EIO with msg on a damaged file. */
long music_decoder_read(struct music_decoder *d, float *out, long n, char *msg, size_t msg_size);

/* NULL is a no-op. */
void music_decoder_close(struct music_decoder *d);

/* The formats this libsndfile reads, for messages: "WAV, FLAC, ...". */
const char *music_decoder_version(void);

#endif
