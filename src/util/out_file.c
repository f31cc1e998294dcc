/* out_file.c - see out_file.h. */
#include "util/out_file.h"
#include "util/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* The descriptor a name stands for ("-", /dev/stdout...), or -1. */
int out_file_named_fd(const char *path)
{
	char *end;
	long n = -1;

	if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
		return STDOUT_FILENO;
	if (strcmp(path, "/dev/stderr") == 0)
		return STDERR_FILENO;
	if (strncmp(path, "/dev/fd/", 8) == 0)
		n = strtol(path + 8, &end, 10);
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		n = strtol(path + 14, &end, 10);
	if (n < 0 || n > INT_MAX || *end || end == path)
		return -1;
	return (int)n;
}

static int fail(struct out_file *f, int err, char *msg, size_t msg_size, const char *fmt, const char *arg)
{
	snprintf(msg, msg_size, fmt, f->path, arg ? arg : strerror(err));
	out_file_abandon(f);
	return -err;
}

static int open_in_place(struct out_file *f, int fd, char *msg, size_t msg_size)
{
	f->fd = fd;
	if (f->fd < 0)
		return fail(f, errno, msg, msg_size, "%s: cannot open for writing: %s", NULL);
	f->seekable = lseek(f->fd, 0, SEEK_CUR) >= 0;
	return 0;
}

/* On FAT (the SD card's boot partition, a USB stick) a temporary is
 * "RCXXXXXX.TMP" in capitals: an 8.3 name, which Linux's vfat keeps in one
 * 32-byte directory entry. ".history.csv.XXXXXX" needs two long-name
 * entries before its short one, and a power cut while the rename removes
 * the three can write one sector of them and not the other: the card then
 * holds a long-name fragment that `fsck.vfat -a` (the Pi's boot) never
 * repairs, and the temporary under a short name ("HISTOR~1.KPU") that no
 * sweep knows (hw.powercut, CI of stop 28). A single entry is written
 * whole or not at all. */
#define FAT_TMP_PREFIX "RC"
#define FAT_TMP_SUFFIX ".TMP"

static bool on_fat(const char *dir)
{
	struct statfs fs;

	return statfs(dir, &fs) == 0 && fs.f_type == MSDOS_SUPER_MAGIC;
}

bool out_file_is_fat_tmp(const char *name)
{
	size_t p = strlen(FAT_TMP_PREFIX), s = strlen(FAT_TMP_SUFFIX);

	/* (case aside: vfat mounted with shortname=lower shows it in small
	 * letters) */
	if (strlen(name) != p + 6 + s || strncasecmp(name, FAT_TMP_PREFIX, p) != 0 ||
	    strcasecmp(name + p + 6, FAT_TMP_SUFFIX) != 0)
		return false;
	for (size_t i = p; i < p + 6; i++)
		if (!(name[i] >= 'A' && name[i] <= 'Z') && !(name[i] >= 'a' && name[i] <= 'z') &&
		    !(name[i] >= '0' && name[i] <= '9'))
			return false;
	return true;
}

/* The temporary's template beside target: "<dir>/.<base>.XXXXXX", as
 * rsync names its temporaries, or on FAT "<dir>/RCXXXXXX.TMP" (above);
 * *flags and *suffix_len for cleanup_mktemp. */
static char *tmp_template(const char *target, unsigned *flags, int *suffix_len)
{
	char *a = strdup(target), *b = strdup(target), *t = NULL;

	*flags = 0;
	*suffix_len = 0;
	if (a && b) {
		const char *dir = dirname(a);
		int r;
		if (on_fat(dir)) {
			*flags = CLEANUP_TMP_CAPITALS;
			*suffix_len = (int)strlen(FAT_TMP_SUFFIX);
			r = asprintf(&t, "%s/" FAT_TMP_PREFIX "XXXXXX" FAT_TMP_SUFFIX, dir);
		} else {
			r = asprintf(&t, "%s/.%s.XXXXXX", dir, basename(b));
		}
		if (r < 0)
			t = NULL;
	}
	free(a);
	free(b);
	return t;
}

/* The rule of the kernel's fs.protected_symlinks, kept even where that is
 * off (containers, some distributions): a link in a sticky world-writable
 * directory (/tmp) is followed only if it is ours or the directory owner's;
 * else anyone could point /tmp/session.wav at a file of root's. */
static bool planted(const char *path, const struct stat *link)
{
	char *copy = strdup(path);
	struct stat dir;
	bool bad = false;

	if (copy && stat(dirname(copy), &dir) == 0)
		bad = (dir.st_mode & S_ISVTX) && (dir.st_mode & S_IWOTH) && link->st_uid != geteuid() &&
		      link->st_uid != dir.st_uid;
	free(copy);
	return bad;
}

static bool read_only(const struct stat *st, const char *path)
{
	/* root passes access(W_OK) on a mode-444 file: the mode bits say
	 * what its owner meant, so they are asked first */
	return (st->st_mode & 0222) == 0 || access(path, W_OK) < 0;
}

int out_file_open(struct out_file *f, const char *path, char *msg, size_t msg_size)
{
	struct stat st, target_st;
	bool exists = true;
	int fd;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->cleanup_slot = -1;
	f->path = strdup(path);
	if (!f->path) {
		/* fail() names f->path, which is what could not be made */
		snprintf(msg, msg_size, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	if ((fd = out_file_named_fd(path)) >= 0)
		return open_in_place(f, fcntl(fd, F_DUPFD_CLOEXEC, 3), msg, msg_size);
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return fail(f, errno, msg, msg_size, "%s: cannot write there: %s", NULL);
		exists = false;
	}
	if (exists && S_ISLNK(st.st_mode)) {
		if (planted(path, &st))
			return fail(f, EPERM, msg, msg_size,
				    "%s: a symbolic link another user made in a shared sticky directory%s: "
				    "not followed (as the kernel's fs.protected_symlinks would); name its target instead",
				    "");
		if (stat(path, &target_st) < 0) {
			if (errno == ENOENT)
				return fail(f, errno, msg, msg_size,
					    "%s: a symbolic link to a missing file (%s): not followed; "
					    "remove the link or name its target", NULL);
			/* EACCES is also the kernel's protected_symlinks refusing a
			 * link another user planted in a sticky directory (/tmp) */
			return fail(f, errno, msg, msg_size,
				    "%s: cannot follow this symbolic link (%s); name its target instead", NULL);
		}
		st = target_st;
	}
	if (exists && S_ISDIR(st.st_mode))
		return fail(f, EISDIR, msg, msg_size, "%s: is a directory%s; name a file in it", "");
	if (exists && !S_ISREG(st.st_mode))
		/* a device, FIFO or socket: written in place, as a stream */
		return open_in_place(f, open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC), msg, msg_size);
	if (exists && read_only(&st, path))
		return fail(f, EACCES, msg, msg_size,
			    "%s: is read-only%s: not replaced (make it writable with chmod u+w, "
			    "or choose another name)", "");

	f->target = exists ? realpath(path, NULL) : strdup(path);
	if (!f->target)
		return fail(f, errno, msg, msg_size, "%s: %s", NULL);
	unsigned tmp_flags;
	int tmp_suffix_len;
	f->tmp = tmp_template(f->target, &tmp_flags, &tmp_suffix_len);
	if (!f->tmp)
		return fail(f, ENOMEM, msg, msg_size, "%s: %s", NULL);
	/* remembered for removal before it exists: a signal at any instant
	 * leaves no temporary behind */
	f->fd = cleanup_mktemp(f->tmp, tmp_suffix_len, tmp_flags, &f->cleanup_slot);
	if (f->fd < 0) {
		int err = -f->fd;
		/* the user named the file, not our temporary: a missing or
		 * unwritable folder is said as such */
		if (err == ENOENT || err == ENOTDIR)
			snprintf(msg, msg_size, "%s: %s (its folder does not exist)", f->path, strerror(err));
		else if (err == EACCES || err == EROFS)
			snprintf(msg, msg_size, "%s: %s (its folder cannot be written)", f->path, strerror(err));
		else
			snprintf(msg, msg_size, "%s: cannot create a temporary file beside it (%s): %s",
				 f->path, f->tmp, strerror(err));
		f->fd = -1;
		free(f->tmp);
		f->tmp = NULL;
		out_file_abandon(f);
		return -err;
	}
	f->replace = true;
	f->seekable = true;
	if (exists) {
		/* the replacement keeps what the old file had */
		if (fchown(f->fd, st.st_uid, st.st_gid) < 0) {
			/* only root may give a file away: then it is ours */
		}
		fchmod(f->fd, st.st_mode & 0777);
	} else {
		mode_t mask = umask(0);
		umask(mask);
		fchmod(f->fd, 0666 & ~mask);
	}
	return 0;
}

static void release(struct out_file *f)
{
	cleanup_forget(f->cleanup_slot);
	free(f->path);
	free(f->target);
	free(f->tmp);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->cleanup_slot = -1;
}

int out_file_commit(struct out_file *f, char *msg, size_t msg_size)
{
	int err = 0;

	if (!f->replace) {
		if (close(f->fd) < 0)
			err = errno;
		f->fd = -1;
		if (err)
			snprintf(msg, msg_size, "%s: %s", f->path, strerror(err));
		release(f);
		return -err;
	}
	if (fsync(f->fd) < 0) {
		err = errno;
		snprintf(msg, msg_size, "%s: %s (not written)", f->path, strerror(err));
		out_file_abandon(f);
		return -err;
	}
	if (rename(f->tmp, f->target) < 0) {
		err = errno;
		snprintf(msg, msg_size, "%s: cannot rename %s to it: %s", f->path, f->tmp, strerror(err));
		out_file_abandon(f);
		return -err;
	}
	/* The file again, after the rename: Linux's vfat gives the new name
	 * a directory entry of its own, with size 0 and no cluster, and
	 * writes the file's size and first cluster into it only when the
	 * file's inode is written back (tens of seconds later, unless
	 * fsync'd). A power cut in between left the card with an empty file
	 * and the new content's clusters lost (tests/hw, hw.powercut).
	 * Elsewhere this is one more fsync of what is already on the disk. */
	if (fsync(f->fd) < 0)
		err = errno;
	if (close(f->fd) < 0 && !err)
		err = errno;
	f->fd = -1;
	/* the rename itself lasts once the directory is on the disk */
	char *d = strdup(f->target);
	int dfd = d ? open(dirname(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(d);
	if (err)
		snprintf(msg, msg_size, "%s: %s (written, but perhaps not yet on the disk)", f->path, strerror(err));
	release(f);
	return -err;
}

void out_file_abandon(struct out_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->replace && f->tmp)
		unlink(f->tmp);
	release(f);
}

struct sweep_ctx {
	const char *base;
	bool fat;
};

/* ".<base>.XXXXXX"; on FAT also "RCXXXXXX.TMP", whichever file of the
 * folder it was for (the name cannot say; locked ones are spared) */
static bool is_tmp_of(const char *name, void *arg)
{
	const struct sweep_ctx *c = arg;
	size_t n = strlen(c->base);

	if (c->fat && out_file_is_fat_tmp(name))
		return true;
	return name[0] == '.' && strncmp(name + 1, c->base, n) == 0 && name[1 + n] == '.' &&
	       strlen(name + 2 + n) == 6;
}

void out_file_sweep(const char *path)
{
	struct stat st;
	char *target, *a, *b;

	if (out_file_named_fd(path) >= 0 || (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)))
		return;
	target = realpath(path, NULL);
	if (!target)
		target = strdup(path);
	a = target ? strdup(target) : NULL;
	b = target ? strdup(target) : NULL;
	if (a && b) {
		const char *dir = dirname(a);
		struct sweep_ctx c = { .base = basename(b), .fat = on_fat(dir) };
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			tmp_sweep(dfd, is_tmp_of, &c, false);
			close(dfd);
		}
	}
	free(a);
	free(b);
	free(target);
}

int mkdir_p(const char *dir, mode_t mode)
{
	char path[PATH_MAX];

	if (!dir[0])
		return -ENOENT;
	if (strlen(dir) >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, strlen(dir) + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/' || p[1] == '/' || p[1] == '\0')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return -errno;
	struct stat st;
	if (stat(path, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int out_file_replace(const char *path, const void *buf, size_t len, char *msg, size_t msg_size)
{
	struct out_file f;
	int ret;

	out_file_sweep(path);
	ret = out_file_open(&f, path, msg, msg_size);
	if (ret < 0)
		return ret;
	for (size_t o = 0; o < len;) {
		ssize_t n = write(f.fd, (const char *)buf + o, len - o);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(msg, msg_size, "%s: %s", path, strerror(errno));
			out_file_abandon(&f);
			return ret;
		}
		o += (size_t)n;
	}
	return out_file_commit(&f, msg, msg_size);
}
