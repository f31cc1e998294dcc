/* wav.h - write a session to a 16-bit PCM WAV file (push API). Samples are
 * converted with pcm16_from_float (output/pcm16.h).
 *
 * Where the bytes go is util/out_file.h's choice: for a regular file a
 * temporary beside it, fsync'd and renamed to path only by a successful
 * wav_writer_close, so a full disk or a crash never leaves a truncated file
 * under the final name that looks complete; "-", devices and FIFOs are
 * written in place, a non-seekable one with a streamed header (wav.c). */
#ifndef REPCUE_OUTPUT_WAV_H
#define REPCUE_OUTPUT_WAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wav_writer;

/* Opens path for output (util/out_file.h) for rate_hz, channels (1 to 8).
 * On success *ret is the caller's, released by wav_writer_close or
 * wav_writer_discard. Returns 0 or -errno with a message naming the file
 * in msg (msg may be NULL if msg_size is 0). */
int wav_writer_open(const char *path, int rate_hz, unsigned channels,
		    struct wav_writer **ret, char *msg, size_t msg_size);

/* Append frames interleaved frames (frames * channels floats). Returns 0 or
 * -errno (-ENOSPC on a full disk; -EFBIG for a file the WAV header cannot
 * count, see wav_size_fits) with a message naming the file. After an error
 * every later write fails the same way; the caller discards. */
int wav_writer_write(struct wav_writer *w, const float *samples, size_t frames,
		     char *msg, size_t msg_size);

/* Whether a WAV file of file_bytes (its header and samples) can say its
 * size: the RIFF size field is 32 bits and counts every byte after its
 * first 8, so a file past 4 GiB would wrap it (about 12.4 hours at 48 kHz
 * mono). Pure: the writer's check before each write, and the unit test's. */
bool wav_size_fits(uint64_t file_bytes);

/* Finish the header, fsync, rename the temporary to path, and free w. On any
 * failure the temporary file is removed, nothing is renamed, and -errno is
 * returned with a message. w is freed either way. */
int wav_writer_close(struct wav_writer *w, char *msg, size_t msg_size);

/* Abandon: remove the temporary and free w. NULL is a no-op. */
void wav_writer_discard(struct wav_writer *w);

#endif
