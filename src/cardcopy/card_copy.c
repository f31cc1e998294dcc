/* card_copy.c - see card_copy.h. */
#include "cardcopy/card_copy.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/out_file.h"
#include "util/path.h"

const struct card_file card_files[] = {
	{ "problems.txt", 64 * 1024 },
	/* a row per session: 100 000 sessions are about 10 MB */
	{ "history.csv", 32 * 1024 * 1024 },
	{ "report.pdf", 8 * 1024 * 1024 },
};
const size_t card_files_count = sizeof(card_files) / sizeof(card_files[0]);

/* Reads all of fd (at most max bytes) into a new buffer.  0 or -errno;
 * -EFBIG past max. */
static int read_all(int fd, size_t max, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *grown;

			if (cap > max) {
				free(buf);
				return -EFBIG;
			}
			grown = realloc(buf, cap * 2);
			if (!grown) {
				free(buf);
				return -ENOMEM;
			}
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;
			free(buf);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		free(buf);
		return -EFBIG;
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}

/* A plain file, not a link, opened under dir_fd; -errno otherwise
 * (-ENOENT missing, -ELOOP a link, -EINVAL not a plain file). */
static int open_plain(int dir_fd, const char *name)
{
	struct stat st;
	int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/* True when to_fd/name holds exactly buf[0..len). */
static bool holds(int dir_fd, const char *name, const char *buf, size_t len)
{
	int fd = open_plain(dir_fd, name);
	char *old;
	size_t old_len;
	bool same = false;

	if (fd < 0)
		return false;
	if (read_all(fd, len, &old, &old_len) == 0) {
		same = old_len == len && memcmp(old, buf, len) == 0;
		free(old);
	}
	close(fd);
	return same;
}


/* One file: 1 copied, 0 nothing to do, -errno refused (said in log). */
static int copy_one(int from_fd, int to_fd, const char *to_dir, const struct card_file *cf, FILE *log)
{
	char path[4096], msg[4096 + 256] = "", *buf = NULL;
	struct stat st;
	size_t len;
	int fd, ret;

	fd = open_plain(from_fd, cf->name);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0) {
		fprintf(log, "repcue-card-copy: %s in the coach's folder is not a plain file: not copied\n", cf->name);
		return fd;
	}
	ret = read_all(fd, cf->max_bytes, &buf, &len);
	close(fd);
	if (ret < 0) {
		fprintf(log, "repcue-card-copy: %s: %s%s: not copied\n", cf->name, strerror(-ret),
			ret == -EFBIG ? " (larger than such a file can be)" : "");
		return ret;
	}
	ret = path_format(path, sizeof(path), "%s/%s", to_dir, cf->name);
	if (ret < 0)
		goto out;
	/* out_file writes through a link: a link, directory or FIFO of that
	 * name on the card is left alone (FAT has none; this is for any
	 * other folder given) */
	if (fstatat(to_fd, cf->name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(log, "repcue-card-copy: %s is not a plain file: not replaced\n", path);
		ret = -EEXIST;
		goto out;
	}
	if (holds(to_fd, cf->name, buf, len)) {
		/* what a cut copy left (its temporary; on FAT an unlocked
		 * RCXXXXXX.TMP) goes although the file needs no copy (a copy
		 * sweeps in out_file_replace): a boot after the cut finds the
		 * card whole but for it. The boot's fsck.vfat -a (fstab pass 2,
		 * on Raspberry Pi OS and the image) has run first: where the cut
		 * left the temporary and the file sharing clusters, it gave them
		 * to one of the two and truncated the other, so removing the
		 * temporary frees nothing of the file, and a file truncated there
		 * differs from the outbox and is copied below instead. */
		out_file_sweep(path);
		ret = 0;
		goto out;
	}
	ret = out_file_replace(path, buf, len, msg, sizeof(msg));
	if (ret < 0)
		fprintf(log, "repcue-card-copy: %s\n", msg[0] ? msg : strerror(-ret));
	else {
		fprintf(log, "repcue-card-copy: %s written (%zu bytes)\n", path, len);
		ret = 1;
	}
out:
	free(buf);
	return ret;
}

bool card_sheet_name_safe(const char *name)
{
	size_t len = strlen(name);

	/* NAME.pdf as card_sheet_name() makes it (sheet/card_sheets.h): no
	 * hidden file, nothing FAT or Windows refuses, bounded */
	if (len < 5 || len > CARD_SHEET_FILE_MAX || strcmp(name + len - 4, ".pdf") != 0 || name[0] == '.' ||
	    name[0] == ' ')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f || strchr("\\/:*?\"<>|", c))
			return false;
	}
	return true;
}

/* A directory `name` under dir_fd, not a link; made (0755) when `make`
 * and missing. An fd, or -errno (-ENOENT missing and not made). */
static int open_subdir(int dir_fd, const char *name, bool make)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && make) {
		if (mkdirat(dir_fd, name, 0755) < 0 && errno != EEXIST)
			return -errno;
		fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	return fd < 0 ? -errno : fd;
}

/* The names of the sheets in dir_fd (safe names of plain files), at
 * most CARD_SHEETS_MAX; the count, or -errno. */
static int list_sheets(int dir_fd, char (*names)[CARD_SHEET_FILE_MAX + 1])
{
	int fd = dup(dir_fd), n = 0;
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;

	if (!d) {
		int err = -errno;
		if (fd >= 0)
			close(fd);
		return err;
	}
	rewinddir(d);
	while ((de = readdir(d)) && n < CARD_SHEETS_MAX) {
		struct stat st;
		if (!card_sheet_name_safe(de->d_name) ||
		    fstatat(dir_fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		memcpy(names[n++], de->d_name, strlen(de->d_name) + 1);   /* safe: bounded */
	}
	closedir(d);
	return n;
}

/* sheets/: each sheet of the outbox copied when it changed, each copy
 * whose sheet the outbox no longer has removed. The number of sheets
 * that could not be copied or removed. */
static int copy_sheets(int from_fd, int to_fd, const char *to_dir, FILE *log)
{
	static char have[CARD_SHEETS_MAX][CARD_SHEET_FILE_MAX + 1], had[CARD_SHEETS_MAX][CARD_SHEET_FILE_MAX + 1];
	char sheets_dir[4096];
	int n_have = 0, n_had, failed = 0;
	int from_sheets = open_subdir(from_fd, CARD_SHEETS_FOLDER, false);

	if (from_sheets >= 0) {
		n_have = list_sheets(from_sheets, have);
		if (n_have < 0) {
			close(from_sheets);
			return 1;
		}
	} else if (from_sheets != -ENOENT) {
		fprintf(log, "repcue-card-copy: the coach's %s folder: %s: no sheet copied\n", CARD_SHEETS_FOLDER,
			strerror(-from_sheets));
		return 1;
	}
	/* no sheet to copy and none on the card: no folder made */
	int to_sheets = open_subdir(to_fd, CARD_SHEETS_FOLDER, n_have > 0);
	if (to_sheets == -ENOENT) {
		if (from_sheets >= 0)
			close(from_sheets);
		return 0;
	}
	if (to_sheets < 0 || path_format(sheets_dir, sizeof(sheets_dir), "%s/%s", to_dir, CARD_SHEETS_FOLDER) < 0) {
		fprintf(log, "repcue-card-copy: %s/%s: %s: no sheet copied\n", to_dir, CARD_SHEETS_FOLDER,
			strerror(to_sheets < 0 ? -to_sheets : ENAMETOOLONG));
		if (to_sheets >= 0)
			close(to_sheets);
		if (from_sheets >= 0)
			close(from_sheets);
		return 1;
	}
	for (int i = 0; i < n_have; i++) {
		struct card_file cf = { .name = have[i], .max_bytes = CARD_SHEET_BYTES_MAX };
		if (copy_one(from_sheets, to_sheets, sheets_dir, &cf, log) < 0)
			failed++;
	}
	n_had = list_sheets(to_sheets, had);
	for (int i = 0; i < n_had; i++) {
		bool kept = false;
		for (int k = 0; k < n_have && !kept; k++)
			kept = strcmp(had[i], have[k]) == 0;
		if (kept)
			continue;
		if (unlinkat(to_sheets, had[i], 0) == 0)
			fprintf(log, "repcue-card-copy: %s/%s removed (its routine is gone)\n", sheets_dir, had[i]);
		else {
			fprintf(log, "repcue-card-copy: %s/%s: %s: not removed\n", sheets_dir, had[i], strerror(errno));
			failed++;
		}
	}
	if (n_had >= 0 && fsync(to_sheets) < 0)
		failed++;
	close(to_sheets);
	if (from_sheets >= 0)
		close(from_sheets);
	return failed;
}

int card_copy(const char *from_dir, const char *to_dir, FILE *log)
{
	int from_fd, to_fd, failed = 0;

	to_fd = open(to_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (to_fd < 0) {
		int err = -errno;
		fprintf(log, "repcue-card-copy: the card folder %s: %s: nothing copied\n", to_dir, strerror(-err));
		return err;
	}
	from_fd = open(from_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (from_fd < 0) {
		int err = -errno;
		close(to_fd);
		if (err == -ENOENT)
			return 0;
		fprintf(log, "repcue-card-copy: the coach's folder %s: %s: nothing copied\n", from_dir, strerror(-err));
		return err;
	}
	for (size_t i = 0; i < card_files_count; i++)
		if (copy_one(from_fd, to_fd, to_dir, &card_files[i], log) < 0)
			failed++;
	failed += copy_sheets(from_fd, to_fd, to_dir, log);
	close(from_fd);
	close(to_fd);
	return failed;
}
