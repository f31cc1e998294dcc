/* wav.c - WAV writer over libsndfile; the only file including sndfile.h.
 * libsndfile writes through virtual I/O callbacks on our own descriptor so
 * that the real errno of a failed write (ENOSPC, EIO, EDQUOT) reaches the
 * caller; libsndfile's own error strings do not keep it. Where the file
 * goes (a temporary renamed at close, or a stream in place) is decided
 * by util/out_file.
 *
 * A stream that cannot seek (a pipe, FIFO, terminal) cannot have its
 * header sizes filled in at the end, and libsndfile then writes a second
 * header at the end of the data. So there the canonical 44-byte header is
 * written here, with the RIFF and data sizes 0xFFFFFFFF, the "length
 * unknown, read to the end" convention of streamed WAV that sox, ffmpeg
 * and libsndfile read; the samples follow as 16-bit little-endian.
 *
 * A file's header sizes are 32-bit (RIFF), so a file that would pass
 * 4 GiB is refused with -EFBIG before the write that would cross it,
 * rather than leaving a header that wrapped and claims a few hours of a
 * longer file. A stream has no sizes to wrap ("read to the end") and is
 * not limited. Sessions are capped far below this (ROUTINE_SESSION_MAX_S);
 * the check guards the file format, not the routine. */
#include "output/wav.h"
#include "output/pcm16.h"

#include "util/out_file.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct wav_writer {
	struct out_file out; /* owned: the descriptor and its names */
	int fd;          /* out.fd */
	off_t base;      /* offset of the WAV in fd (a shell's >> on stdout) */
	SNDFILE *sf;     /* owned; NULL when streaming */
	unsigned channels;
	int rate_hz;
	uint64_t file_bytes; /* header and samples so far, for wav_size_fits */
	int error;       /* first errno seen by the I/O callbacks, sticky */
};

static sf_count_t vio_get_filelen(void *user)
{
	struct wav_writer *w = user;
	struct stat st;

	if (fstat(w->fd, &st) < 0) {
		if (!w->error)
			w->error = errno;
		return -1;
	}
	return st.st_size - w->base;
}

static sf_count_t vio_seek(sf_count_t offset, int whence, void *user)
{
	struct wav_writer *w = user;
	off_t r = lseek(w->fd, (off_t)offset + (whence == SEEK_SET ? w->base : 0), whence);

	if (r < 0 && !w->error)
		w->error = errno;
	return r < 0 ? r : r - w->base;
}

static sf_count_t vio_read(void *ptr, sf_count_t count, void *user)
{
	struct wav_writer *w = user;
	ssize_t r = read(w->fd, ptr, (size_t)count);

	if (r < 0) {
		if (!w->error)
			w->error = errno;
		return 0;
	}
	return r;
}

static sf_count_t vio_write(const void *ptr, sf_count_t count, void *user)
{
	struct wav_writer *w = user;
	const char *p = ptr;
	sf_count_t done = 0;

	while (done < count) {
		ssize_t r = write(w->fd, p + done, (size_t)(count - done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (!w->error)
				w->error = r < 0 ? errno : EIO;
			break;
		}
		done += r;
	}
	return done;
}

static sf_count_t vio_tell(void *user)
{
	struct wav_writer *w = user;

	return lseek(w->fd, 0, SEEK_CUR) - w->base;
}

static SF_VIRTUAL_IO vio = {
	.get_filelen = vio_get_filelen,
	.seek = vio_seek,
	.read = vio_read,
	.write = vio_write,
	.tell = vio_tell,
};

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The header of a WAV whose length is unknown (see the top of the file). */
static int write_stream_header(struct wav_writer *w, int rate_hz)
{
	unsigned char h[44];
	uint32_t block = 2 * w->channels;

	memcpy(h, "RIFF", 4);
	put_le(h + 4, 0xFFFFFFFFu, 4);
	memcpy(h + 8, "WAVEfmt ", 8);
	put_le(h + 16, 16, 4);                          /* fmt chunk size */
	put_le(h + 20, 1, 2);                           /* PCM */
	put_le(h + 22, w->channels, 2);
	put_le(h + 24, (uint32_t)rate_hz, 4);
	put_le(h + 28, (uint32_t)rate_hz * block, 4);   /* bytes a second */
	put_le(h + 32, block, 2);
	put_le(h + 34, 16, 2);                          /* bits a sample */
	memcpy(h + 36, "data", 4);
	put_le(h + 40, 0xFFFFFFFFu, 4);
	return vio_write(h, sizeof(h), w) == (sf_count_t)sizeof(h) ? 0 : -1;
}

int wav_writer_open(const char *path, int rate_hz, unsigned channels,
		    struct wav_writer **ret, char *msg, size_t msg_size)
{
	SF_INFO info = { 0 };
	struct wav_writer *w;
	int r;

	if (!path || !ret || rate_hz <= 0 || channels == 0 || channels > 8) {
		snprintf(msg, msg_size, "wav: bad arguments");
		return -EINVAL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(msg, msg_size, "%s: out of memory", path);
		return -ENOMEM;
	}
	w->channels = channels;
	w->rate_hz = rate_hz;
	r = out_file_open(&w->out, path, msg, msg_size);
	if (r < 0) {
		free(w);
		return r;
	}
	w->fd = w->out.fd;
	if (!w->out.seekable) {
		if (write_stream_header(w, rate_hz) < 0)
			goto err_io;
		*ret = w;
		return 0;
	}
	w->base = lseek(w->fd, 0, SEEK_CUR);
	info.samplerate = rate_hz;
	info.channels = (int)channels;
	info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
	w->sf = sf_open_virtual(&vio, SFM_WRITE, &info, w);
	if (!w->sf) {
		r = w->error ? -w->error : -EINVAL;
		snprintf(msg, msg_size, "%s: %s", path, w->error ? strerror(w->error) : sf_strerror(NULL));
		out_file_abandon(&w->out);
		free(w);
		return r;
	}
	/* libsndfile wrote its header at open */
	w->file_bytes = (uint64_t)(lseek(w->fd, 0, SEEK_CUR) - w->base);
	*ret = w;
	return 0;

err_io:
	r = w->error ? -w->error : -EIO;
	snprintf(msg, msg_size, "%s: write failed: %s", path, strerror(-r));
	out_file_abandon(&w->out);
	free(w);
	return r;
}

bool wav_size_fits(uint64_t file_bytes)
{
	return file_bytes >= 8 && file_bytes - 8 <= UINT32_MAX;
}

int wav_writer_write(struct wav_writer *w, const float *samples, size_t frames,
		     char *msg, size_t msg_size)
{
	int16_t buf[4096];
	size_t per = sizeof(buf) / sizeof(buf[0]) / w->channels;
	uint64_t bytes = (uint64_t)frames * w->channels * sizeof(int16_t);

	if (w->error)
		goto err;
	if (w->sf && !wav_size_fits(w->file_bytes + bytes)) {
		w->error = EFBIG;
		snprintf(msg, msg_size, "%s: too long for a WAV file: its header counts at most 4 GiB "
			 "(%.1f hours at %d Hz, %u channels)", w->out.path,
			 (double)UINT32_MAX / (w->rate_hz * w->channels * 2.0) / 3600.0,
			 w->rate_hz, w->channels);
		return -EFBIG;
	}
	w->file_bytes += bytes;
	while (frames > 0) {
		size_t n = frames < per ? frames : per;

		for (size_t i = 0; i < n * w->channels; i++) {
			buf[i] = pcm16_from_float(samples[i]);
			if (!w->sf) /* libsndfile takes native order; a stream is little-endian */
				buf[i] = (int16_t)htole16((uint16_t)buf[i]);
		}
		if (w->sf ? sf_writef_short(w->sf, buf, (sf_count_t)n) != (sf_count_t)n
			  : vio_write(buf, (sf_count_t)(n * w->channels * 2), w) !=
				    (sf_count_t)(n * w->channels * 2)) {
			if (!w->error)
				w->error = EIO;
			goto err;
		}
		samples += n * w->channels;
		frames -= n;
	}
	return 0;

err:
	snprintf(msg, msg_size, "%s: write failed: %s", w->out.path, strerror(w->error));
	return -w->error;
}

int wav_writer_close(struct wav_writer *w, char *msg, size_t msg_size)
{
	int r;

	/* sf_close rewrites the header sizes through vio_write. */
	if (w->sf)
		sf_close(w->sf);
	if (w->error) {
		r = -w->error;
		snprintf(msg, msg_size, "%s: %s (nothing written)", w->out.path, strerror(w->error));
		out_file_abandon(&w->out);
	} else {
		r = out_file_commit(&w->out, msg, msg_size);
	}
	free(w);
	return r;
}

void wav_writer_discard(struct wav_writer *w)
{
	if (!w)
		return;
	if (w->sf)
		sf_close(w->sf);
	out_file_abandon(&w->out);
	free(w);
}
