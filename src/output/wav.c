/* wav.c - WAV writer over libsndfile; the only file including sndfile.h.
 * libsndfile writes through virtual I/O callbacks on our own descriptor so
 * that the real errno of a failed write (ENOSPC, EIO, EDQUOT) reaches the
 * caller; libsndfile's own error strings do not keep it. */
#include "output/wav.h"
#include "output/pcm16.h"

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
	char *path;      /* owned: final name */
	char *tmp_path;  /* owned: path + ".tmp" */
	int fd;          /* owned: tmp_path, open for writing */
	SNDFILE *sf;     /* owned */
	unsigned channels;
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
	return st.st_size;
}

static sf_count_t vio_seek(sf_count_t offset, int whence, void *user)
{
	struct wav_writer *w = user;
	off_t r = lseek(w->fd, (off_t)offset, whence);

	if (r < 0 && !w->error)
		w->error = errno;
	return r;
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

	return lseek(w->fd, 0, SEEK_CUR);
}

static SF_VIRTUAL_IO vio = {
	.get_filelen = vio_get_filelen,
	.seek = vio_seek,
	.read = vio_read,
	.write = vio_write,
	.tell = vio_tell,
};

static void free_writer(struct wav_writer *w)
{
	free(w->tmp_path);
	free(w->path);
	free(w);
}

int wav_writer_open(const char *path, int rate_hz, unsigned channels,
		    struct wav_writer **ret, char *msg, size_t msg_size)
{
	SF_INFO info = { 0 };
	struct wav_writer *w;
	int r;

	if (!path || !ret || rate_hz <= 0 || channels == 0) {
		snprintf(msg, msg_size, "wav: bad arguments");
		return -EINVAL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		goto err_nomem;
	w->channels = channels;
	w->path = strdup(path);
	if (!w->path || asprintf(&w->tmp_path, "%s.tmp", path) < 0) {
		w->tmp_path = NULL;
		goto err_free_w;
	}
	w->fd = open(w->tmp_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		r = -errno;
		snprintf(msg, msg_size, "%s: cannot create: %s", w->tmp_path, strerror(errno));
		free_writer(w);
		return r;
	}
	info.samplerate = rate_hz;
	info.channels = (int)channels;
	info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
	w->sf = sf_open_virtual(&vio, SFM_WRITE, &info, w);
	if (!w->sf) {
		r = w->error ? -w->error : -EINVAL;
		snprintf(msg, msg_size, "%s: %s", w->tmp_path,
			 w->error ? strerror(w->error) : sf_strerror(NULL));
		goto err_close_fd;
	}
	*ret = w;
	return 0;

err_close_fd:
	close(w->fd);
	unlink(w->tmp_path);
	free_writer(w);
	return r;
err_free_w:
	free_writer(w);
err_nomem:
	snprintf(msg, msg_size, "%s: out of memory", path);
	return -ENOMEM;
}

int wav_writer_write(struct wav_writer *w, const float *samples, size_t frames,
		     char *msg, size_t msg_size)
{
	int16_t buf[4096];
	size_t per = sizeof(buf) / sizeof(buf[0]) / w->channels;

	if (w->error)
		goto err;
	while (frames > 0) {
		size_t n = frames < per ? frames : per;

		for (size_t i = 0; i < n * w->channels; i++)
			buf[i] = pcm16_from_float(samples[i]);
		if (sf_writef_short(w->sf, buf, (sf_count_t)n) != (sf_count_t)n) {
			if (!w->error)
				w->error = EIO;
			goto err;
		}
		samples += n * w->channels;
		frames -= n;
	}
	return 0;

err:
	snprintf(msg, msg_size, "%s: write failed: %s", w->tmp_path, strerror(w->error));
	return -w->error;
}

int wav_writer_close(struct wav_writer *w, char *msg, size_t msg_size)
{
	int r = 0;

	/* sf_close rewrites the header sizes through vio_write. */
	sf_close(w->sf);
	if (!w->error && fsync(w->fd) < 0)
		w->error = errno;
	if (close(w->fd) < 0 && !w->error)
		w->error = errno;
	if (!w->error && rename(w->tmp_path, w->path) < 0) {
		r = -errno;
		snprintf(msg, msg_size, "%s: cannot rename to %s: %s", w->tmp_path, w->path,
			 strerror(errno));
		unlink(w->tmp_path);
	} else if (w->error) {
		r = -w->error;
		snprintf(msg, msg_size, "%s: %s (nothing written)", w->path, strerror(w->error));
		unlink(w->tmp_path);
	}
	free_writer(w);
	return r;
}

void wav_writer_discard(struct wav_writer *w)
{
	if (!w)
		return;
	sf_close(w->sf);
	close(w->fd);
	unlink(w->tmp_path);
	free_writer(w);
}
