/* cleanup.h - temporaries removed when a signal stops the process.
 *
 * The pattern of GNU sort and rsync: the handler itself removes what is
 * registered (with async-signal-safe calls only: unlink, unlinkat, rmdir,
 * write), prints one line, then re-raises the signal with its default
 * action. The process therefore ends within a few system calls of the
 * signal in every phase (parsing, planning, synthesis, writing), whatever
 * the other threads are doing, and the parent sees a death by that signal
 * (the shell reports 128 + signal: 130 for SIGINT, 143 for SIGTERM).
 *
 * Slots are lock-free so any thread may register while a handler runs;
 * whatever a signal still misses (SIGKILL, a power cut) is removed by the
 * sweeps of tmp_sweep_* at the next start: every temporary is held under
 * flock(2) by its writer, and an unlocked one belongs to a dead process. */
#ifndef REPCUE_UTIL_CLEANUP_H
#define REPCUE_UTIL_CLEANUP_H

#include <stdbool.h>

#define CLEANUP_SLOTS 16

/* Removes `path` (a file; or a directory and the files in it when dir) if
 * a fatal signal arrives before cleanup_forget(slot). Returns the slot or
 * -ENOSPC / -ENAMETOOLONG (then the path is only swept at a later start). */
int cleanup_remember(const char *path, bool dir);

/* What cleanup_mktemp makes (flags, or'd). */
enum cleanup_tmp_flag {
	CLEANUP_TMP_DIR = 1u << 0,   /* a directory, not a file */
	/* capitals and digits only, so that "RCXXXXXX.TMP" stays an 8.3 name
	 * FAT keeps in a single directory entry (util/out_file.c on the card) */
	CLEANUP_TMP_CAPITALS = 1u << 1,
};

/* Creates a temporary from `templ` (a path whose last six characters
 * before the final suffix_len are "XXXXXX", as mkostemps(3) wants; they
 * are replaced by the name made), remembering it for removal *before* it
 * exists: mkostemp then cleanup_remember leaves the file behind when a
 * signal falls between the two. A file is opened O_RDWR, a directory
 * (CLEANUP_TMP_DIR) O_RDONLY | O_DIRECTORY; both O_CLOEXEC and locked with
 * tmp_lock(). Returns the descriptor and sets *slot (negative when every
 * slot is taken: the file is then only swept at a later start), or
 * returns -errno with nothing created. Undo with unlink/rmdir, then
 * cleanup_forget (in that order, so no signal leaves it). */
int cleanup_mktemp(char *templ, int suffix_len, unsigned flags, int *slot);

/* Stops remembering a slot; negative slots are ignored. */
void cleanup_forget(int slot);

/* Installs the handler for SIGINT, SIGTERM and SIGHUP. `who` names the
 * command in the message ("repcue render"); it must outlive the process. */
int cleanup_install(const char *who);

/* Names the command in the message and the descriptor it goes to (play
 * sends its messages to a copy of stderr). Called by cleanup_install
 * with STDERR_FILENO. */
void cleanup_describe(const char *who, int log_fd);

/* What the handler does, callable from the control thread when a signal
 * was noticed some other way (play's self-pipe): removes every remembered
 * path, prints "<who>: stopped by SIGTERM", and ends by re-raising sig. */
_Noreturn void cleanup_and_raise(int sig);

/* A lock that marks a temporary as in use: flock(fd, LOCK_EX), then make
 * sure the file is still linked (a sweep may have taken it between its
 * creation and the lock). Returns 0, -ESTALE if it was swept (make a new
 * one), or -errno. */
int tmp_lock(int fd);

/* Removes entries of the directory dirfd whose name `match` accepts and
 * that no live process holds locked (tmp_lock): files, or directories
 * with their files (when dirs). Returns how many were removed. */
int tmp_sweep(int dirfd, bool (*match)(const char *name, void *ctx), void *ctx, bool dirs);

#endif
