/* wav.h - write a session to a 16-bit PCM WAV file (push API). Samples are
 * converted with pcm16_from_float (output/pcm16.h).
 *
 * The data goes to "<path>.tmp", which is flushed, fsync'd and renamed to
 * path only by a successful wav_writer_close: a full disk or a crash never
 * leaves a truncated file under the final name that looks complete. */
#ifndef REPCUE_OUTPUT_WAV_H
#define REPCUE_OUTPUT_WAV_H

#include <stddef.h>

struct wav_writer;

/* Create "<path>.tmp" (replacing a stale one) for rate_hz, channels.
 * On success *ret is the caller's, released by wav_writer_close or
 * wav_writer_discard. Returns 0 or -errno with a message naming the file
 * in msg (msg may be NULL if msg_size is 0). */
int wav_writer_open(const char *path, int rate_hz, unsigned channels,
		    struct wav_writer **ret, char *msg, size_t msg_size);

/* Append frames interleaved frames (frames * channels floats). Returns 0 or
 * -errno (-ENOSPC on a full disk) with a message naming the file. After an
 * error every later write fails the same way; the caller discards. */
int wav_writer_write(struct wav_writer *w, const float *samples, size_t frames,
		     char *msg, size_t msg_size);

/* Finish the header, fsync, rename "<path>.tmp" to path, and free w. On any
 * failure the temporary file is removed, nothing is renamed, and -errno is
 * returned with a message. w is freed either way. */
int wav_writer_close(struct wav_writer *w, char *msg, size_t msg_size);

/* Abandon: remove "<path>.tmp" and free w. NULL is a no-op. */
void wav_writer_discard(struct wav_writer *w);

#endif
