/* out_file.h - open the file a user named for output without clobbering
 * anything they did not ask to replace. What a careful user of sox, cp or
 * a shell redirection expects:
 *
 *   "-", /dev/stdout, /dev/stderr, /dev/fd/N   the open descriptor, in place
 *   a device, FIFO or socket                   written in place, as a stream
 *   a regular file, or a new name              a temporary (cleanup_mktemp)
 *       in the same directory (".NAME.XXXXXX"; on FAT the 8.3 name
 *       "RCXXXXXX.TMP", see out_file.c; O_EXCL: never follows a link), locked,
 *       fsync'd and renamed over the name at commit, fsync'd again (on
 *       vfat the new name's entry gets the size only then), then the
 *       directory is fsync'd; two writers at once each rename a whole file and the
 *       last one wins; a killed writer leaves only its temporary, removed
 *       by its signal handler or swept at the next start
 *   a symbolic link                            written through to its
 *       target, as cp and `>` do: the link stays, the target is replaced
 *       as above (or written in place if it is a device or FIFO); a
 *       dangling link is refused, and so is one another user planted in a
 *       sticky world-writable directory such as /tmp (fs.protected_symlinks)
 *   a read-only file (no write bit at all)     refused, even for root,
 *       with a message; as cp -i and sox refuse to silently lose it
 *   a directory                                refused
 */
#ifndef REPCUE_UTIL_OUT_FILE_H
#define REPCUE_UTIL_OUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct out_file {
	int fd;            /* owned: where the bytes go */
	bool seekable;     /* false for pipes, FIFOs and terminals */
	bool replace;      /* fd is `tmp`, renamed over `target` at commit */
	char *path;        /* owned: the name the user gave, for messages */
	char *target;      /* owned: the file replaced (NULL in place) */
	char *tmp;         /* owned: the temporary (NULL in place) */
	int cleanup_slot;  /* util/cleanup.h slot of tmp, or -1 */
};

/* Opens `path` as above. 0, or -errno with a message naming the path and
 * what to do in msg. On success release with out_file_commit or
 * out_file_abandon. */
int out_file_open(struct out_file *f, const char *path, char *msg, size_t msg_size);

/* Makes the written bytes the file: fsync + rename + fsync of the file
 * again + fsync of the directory (replace), or close (in place). Releases f either way.
 * 0 or -errno with a message. */
int out_file_commit(struct out_file *f, char *msg, size_t msg_size);

/* Removes the temporary (nothing happens to the target) and releases f.
 * A zeroed-then-failed f (fd < 0) is fine. */
void out_file_abandon(struct out_file *f);

/* Replaces the file `path` with buf[0..len) as out_file_open and
 * out_file_commit do (after sweeping the temporaries a dead writer left):
 * what the coach writes onto the card. 0 or -errno with a message. */
int out_file_replace(const char *path, const void *buf, size_t len, char *msg, size_t msg_size);

/* The descriptor a name stands for ("-" and /dev/stdout: 1), or -1. */
int out_file_named_fd(const char *path);

/* Sweeps temporaries of `path` left by dead writers (see cleanup.h); on
 * FAT every unlocked "RCXXXXXX.TMP" of its folder. */
void out_file_sweep(const char *path);

/* True for a name out_file gives its temporaries on FAT, "RCXXXXXX.TMP"
 * (X a letter or digit; any case). */
bool out_file_is_fat_tmp(const char *name);

/* mkdir -p: makes `dir` with `mode` (0700 for private state, 0755 for a
 * cache) and any missing parents with 0755, as mkdir -p -m does (the
 * umask applies). An existing directory is fine. 0, or -errno
 * (-ENOTDIR when something else has the name, -ENAMETOOLONG). */
int mkdir_p(const char *dir, mode_t mode);

#endif
