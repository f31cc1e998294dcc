/* terminal.c - see terminal.h. */
#include "input/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

/* The saved mode lives in statics, not in struct terminal_input, because
 * terminal_restore() must work from a signal handler, which gets no
 * context pointer and must not follow heap pointers that may be half
 * freed.  One terminal per process, so one slot is enough. */
static struct termios saved_mode;
static volatile sig_atomic_t saved_fd = -1;

struct terminal_input {
	int fd;          /* borrowed */
	int saved_flags; /* fcntl flags to put back */
};

enum control_action terminal_key_action(int key)
{
	/* the keys are a column of the one control table (core/control.c) */
	return control_action_from_key(key);
}

void terminal_restore(void)
{
	int fd = saved_fd;

	if (fd >= 0)
		tcsetattr(fd, TCSAFLUSH, &saved_mode);
}

int terminal_input_open(int fd, struct terminal_input **ret)
{
	struct terminal_input *term;
	struct termios raw;
	int flags;

	if (!isatty(fd))
		return -ENOTTY;
	if (saved_fd >= 0)
		return -EBUSY;
	term = calloc(1, sizeof(*term));
	if (!term)
		return -ENOMEM;
	if (tcgetattr(fd, &saved_mode) < 0)
		goto fail;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0)
		goto fail;
	raw = saved_mode;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	/* publish before changing the mode, so a signal arriving in
	 * between still restores */
	saved_fd = fd;
	if (tcsetattr(fd, TCSANOW, &raw) < 0)
		goto unpublish;
	/* poll() says when; read must not block if another reader of the
	 * same tty took the byte first */
	if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		goto restore;
	term->fd = fd;
	term->saved_flags = flags;
	*ret = term;
	return 0;

restore:
	tcsetattr(fd, TCSAFLUSH, &saved_mode);
unpublish:
	saved_fd = -1;
fail:
	{
		int r = -errno;

		free(term);
		return r < 0 ? r : -EIO;
	}
}

int terminal_input_fd(const struct terminal_input *term)
{
	return term ? term->fd : -1;
}

int terminal_input_read(struct terminal_input *term, input_usec_t now_usec,
			struct input_edge *out, int max)
{
	unsigned char keys[32];
	ssize_t got;
	int n = 0;

	if (!term || max <= 0)
		return -EINVAL;
	got = read(term->fd, keys, (size_t)(max < 32 ? max : 32));
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if (got == 0)
		return -EIO;  /* hang-up: stop polling it */
	for (ssize_t i = 0; i < got; i++) {
		enum control_action a = terminal_key_action(keys[i]);

		if (a == CONTROL_NONE)
			continue;
		out[n++] = (struct input_edge){
			.kind = INPUT_EDGE_ACTION,
			.action = a,
			.at_usec = now_usec,
		};
	}
	return n;
}

void terminal_input_close(struct terminal_input *term)
{
	if (!term)
		return;
	terminal_restore();
	saved_fd = -1;
	fcntl(term->fd, F_SETFL, term->saved_flags);
	free(term);
}

static int ops_fd(void *ctx)
{
	return terminal_input_fd(ctx);
}

static int ops_read(void *ctx, input_usec_t now_usec, struct input_edge *out,
		    int max)
{
	return terminal_input_read(ctx, now_usec, out, max);
}

static void ops_close(void *ctx)
{
	terminal_input_close(ctx);
}

const struct input_ops terminal_input_ops = {
	.name = "terminal",
	.fd = ops_fd,
	.read = ops_read,
	.close = ops_close,
};
