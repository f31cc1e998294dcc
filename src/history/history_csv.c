/* history_csv.c - the history as CSV: where the copy on the boot
 * partition goes, one row a session, and the copy written atomically
 * through util/out_file. Separate because it is a file format of its own,
 * read by a spreadsheet; it only reads the database through history_each. */
#include "history/history.h"
#include "history/history_logic.h"
#include "util/out_file.h"
#include "util/path.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int history_csv_path(const char *boot_dir, char *buf, size_t size)
{
	char dir[HISTORY_PATH_MAX];
	struct stat st;

	if (size)
		buf[0] = '\0';
	if (path_format(dir, sizeof(dir), "%s/repcue", boot_dir) < 0)
		return -ENAMETOOLONG;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return -ENOENT;
	if (access(dir, W_OK) < 0)
		return -EACCES;
	return path_format(buf, size, "%s/" HISTORY_CSV_NAME, dir);
}

static int csv_row(void *ctx, const struct history_session *s)
{
	history_csv_row(ctx, s);
	return ferror((FILE *)ctx) ? -EIO : 0;
}

int history_write_csv(struct history *h, FILE *out)
{
	history_csv_header(out);
	int n = history_each(h, INT64_MIN, csv_row, out);
	return n < 0 ? n : 0;
}

int history_export_csv(struct history *h, const char *path)
{
	struct out_file f;
	char msg[HISTORY_MSG_MAX];
	int err = out_file_open(&f, path, msg, sizeof(msg));

	if (err < 0)
		return err;
	FILE *out = fdopen(dup(f.fd), "w");
	if (!out) {
		err = -errno;
		out_file_abandon(&f);
		return err;
	}
	err = history_write_csv(h, out);
	if (fclose(out) != 0 && !err)
		err = -errno;
	if (err) {
		out_file_abandon(&f);
		return err;
	}
	return out_file_commit(&f, msg, sizeof(msg));
}
