/* cleanup.c - see cleanup.h. Everything the handler reaches is
 * async-signal-safe: atomics, open, getdents64, unlinkat, rmdir, write,
 * sigaction, sigprocmask, raise, _exit. */
#include "util/cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { SLOT_FREE, SLOT_BUSY, SLOT_FILE, SLOT_DIR };

static struct {
	atomic_int state;
	char path[PATH_MAX];
} slots[CLEANUP_SLOTS];

static const char *cleanup_who = "repcue";
static volatile int cleanup_log_fd = STDERR_FILENO;

void cleanup_describe(const char *who, int log_fd)
{
	cleanup_who = who;
	cleanup_log_fd = log_fd;
}

int cleanup_remember(const char *path, bool dir)
{
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	for (int i = 0; i < CLEANUP_SLOTS; i++) {
		int expected = SLOT_FREE;
		if (!atomic_compare_exchange_strong(&slots[i].state, &expected, SLOT_BUSY))
			continue;
		strcpy(slots[i].path, path);
		atomic_store(&slots[i].state, dir ? SLOT_DIR : SLOT_FILE);
		return i;
	}
	return -ENOSPC;
}

/* Six name characters from the kernel's random pool (as glibc's
 * mkostemp does since 2.36); a clash only costs another try. In the first
 * moments of a boot the pool may not be ready (GRND_NONBLOCK: -EAGAIN),
 * and the service starts then: like glibc, the clock, the process and a
 * counter instead, which O_EXCL makes just as safe, only less varied. */
static void fill_name(char *x, bool capitals)
{
	static const char all[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const char *letters = capitals ? all + 26 : all;
	size_t n = capitals ? sizeof(all) - 1 - 26 : sizeof(all) - 1;
	static atomic_uint counter;
	unsigned char r[6];

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t v = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 20) ^
			     (uint64_t)atomic_fetch_add(&counter, 1) * 0x9e3779b97f4a7c15ull;
		for (int i = 0; i < 6; i++, v >>= 8)
			r[i] = (unsigned char)v;
	}
	for (int i = 0; i < 6; i++)
		x[i] = letters[r[i] % n];
}

int cleanup_mktemp(char *templ, int suffix_len, unsigned flags, int *slot)
{
	size_t len = strlen(templ);
	bool dir = flags & CLEANUP_TMP_DIR;

	*slot = -1;
	if (suffix_len < 0 || len < (size_t)suffix_len + 6 ||
	    memcmp(templ + len - suffix_len - 6, "XXXXXX", 6) != 0)
		return -EINVAL;
	char *x = templ + len - suffix_len - 6;
	for (int tries = 0; tries < 100; tries++) {
		fill_name(x, flags & CLEANUP_TMP_CAPITALS);
		/* remembered first: a signal from here on removes it (or
		 * finds nothing yet, which is as good) */
		*slot = cleanup_remember(templ, dir);
		int fd;
		if (!dir) {
			fd = open(templ, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
		} else if (mkdir(templ, 0700) < 0) {
			fd = -1;
		} else if ((fd = open(templ, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
			int err = errno;
			rmdir(templ);
			errno = err == EEXIST ? EIO : err; /* made here: not a clash */
		}
		if (fd < 0) {
			int err = errno;
			cleanup_forget(*slot);
			*slot = -1;
			if (err == EEXIST)
				continue;
			return -err;
		}
		int r = tmp_lock(fd);
		if (r == 0)
			return fd;
		close(fd);
		if (r != -ESTALE) {
			if (dir)
				rmdir(templ);
			else
				unlink(templ);
		}
		cleanup_forget(*slot);
		*slot = -1;
		if (r != -ESTALE)
			return r;
		/* swept by another process between creation and lock: again */
	}
	return -EEXIST;
}

void cleanup_forget(int slot)
{
	if (slot >= 0 && slot < CLEANUP_SLOTS)
		atomic_store(&slots[slot].state, SLOT_FREE);
}

/* Unlinks every entry but "." and ".." of the open directory fd (one
 * level: the temporaries made here hold no subdirectories). */
static void empty_dir(int fd)
{
	char buf[4096];
	long n;

	lseek(fd, 0, SEEK_SET);
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long o = 0; o < n;) {
			struct linux_dirent64 {
				uint64_t d_ino;
				int64_t d_off;
				unsigned short d_reclen;
				unsigned char d_type;
				char d_name[];
			} *d = (void *)(buf + o);
			if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
				unlinkat(fd, d->d_name, 0);
			o += d->d_reclen;
		}
	}
}

static void remove_dir(const char *path)
{
	/* another thread may add a file between the emptying and rmdir */
	for (int tries = 0; tries < 3; tries++) {
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return;
		empty_dir(fd);
		close(fd);
		if (rmdir(path) == 0 || errno != ENOTEMPTY)
			return;
	}
}

static void put(const char *s)
{
	size_t len = strlen(s);

	while (len > 0) {
		ssize_t r = write(cleanup_log_fd, s, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		s += r;
		len -= (size_t)r;
	}
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	default: return "a signal";
	}
}

_Noreturn void cleanup_and_raise(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;
	int removed = 0;

	for (int i = 0; i < CLEANUP_SLOTS; i++) {
		int state = atomic_load(&slots[i].state);
		if (state == SLOT_FILE)
			removed += unlink(slots[i].path) == 0;
		else if (state == SLOT_DIR)
			remove_dir(slots[i].path), removed++;
	}
	put(cleanup_who);
	put(": stopped by ");
	put(signal_name(sig));
	put(removed ? "; unfinished files removed\n" : "\n");
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void on_fatal_signal(int sig)
{
	cleanup_and_raise(sig);
}

int cleanup_install(const char *who)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_fatal_signal };

	cleanup_describe(who, STDERR_FILENO);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return -errno;
	return 0;
}

int tmp_lock(int fd)
{
	struct stat st;

	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	return st.st_nlink == 0 ? -ESTALE : 0;
}

int tmp_sweep(int dirfd, bool (*match)(const char *name, void *ctx), void *ctx, bool dirs)
{
	int copy = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
	struct dirent *e;
	int removed = 0;

	if (!d) {
		if (copy >= 0)
			close(copy);
		return 0;
	}
	rewinddir(d); /* the copy shares the offset of earlier reads */
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		if (!match(e->d_name, ctx))
			continue;
		int fd = openat(dirfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		struct stat st;
		if (fd < 0)
			continue;
		/* locked: its writer is alive */
		if (fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || (dirs && S_ISDIR(st.st_mode))) &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (S_ISDIR(st.st_mode)) {
				empty_dir(fd);
				removed += unlinkat(dirfd, e->d_name, AT_REMOVEDIR) == 0;
			} else {
				removed += unlinkat(dirfd, e->d_name, 0) == 0;
			}
		}
		close(fd);
	}
	closedir(d);
	return removed;
}
