/* Terminal keys on a real pseudo-terminal: mode switched and restored,
 * keys mapped, not-a-tty reported so the caller carries on. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "input/terminal.h"

int main(void)
{
	struct terminal_input *term = NULL, *second = NULL;
	struct termios before, during, after;
	struct input_edge e[16];
	int master, slave, pipefd[2];
	int n;

	CHECK_EQ_INT(pipe(pipefd), 0);
	CHECK_EQ_INT(terminal_input_open(pipefd[0], &term), -ENOTTY);
	close(pipefd[0]);
	close(pipefd[1]);

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		SKIP("no pseudo-terminals here (%s)", strerror(errno));
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	CHECK(slave >= 0);
	CHECK_EQ_INT(tcgetattr(slave, &before), 0);
	CHECK(before.c_lflag & ICANON);

	CHECK_EQ_INT(terminal_input_open(slave, &term), 0);
	CHECK_EQ_INT(terminal_input_open(slave, &second), -EBUSY);
	CHECK_EQ_INT(tcgetattr(slave, &during), 0);
	CHECK(!(during.c_lflag & ICANON));
	CHECK(!(during.c_lflag & ECHO));
	CHECK(during.c_lflag & ISIG);   /* Ctrl-C still works */
	CHECK_EQ_INT(terminal_input_fd(term), slave);

	/* nothing typed: no block, no keys */
	CHECK_EQ_INT(terminal_input_read(term, 5, e, 16), 0);
	CHECK_EQ_INT(write(master, "n rx\033daq", 9), 9);
	{
		/* the tty layer delivers input from a work queue */
		struct pollfd pfd = { .fd = slave, .events = POLLIN };

		CHECK_EQ_INT(poll(&pfd, 1, 2000), 1);
	}
	n = terminal_input_read(term, 42, e, 16);
	CHECK_EQ_INT(n, 6);
	if (n == 6) {
		CHECK_EQ_INT(e[0].action, CONTROL_NEXT);
		CHECK_EQ_INT(e[1].action, CONTROL_PAUSE);
		CHECK_EQ_INT(e[2].action, CONTROL_REPEAT);
		CHECK_EQ_INT(e[3].action, CONTROL_DONE);
		CHECK_EQ_INT(e[4].action, CONTROL_SAY_AGAIN);
		CHECK_EQ_INT(e[5].action, CONTROL_QUIT);
		CHECK_EQ_INT(e[0].kind, INPUT_EDGE_ACTION);
		CHECK_EQ_INT(e[0].at_usec, 42);
	}

	/* the signal-handler path restores, and may run twice */
	terminal_restore();
	terminal_restore();
	CHECK_EQ_INT(tcgetattr(slave, &after), 0);
	CHECK(after.c_lflag & ICANON);
	CHECK(after.c_lflag & ECHO);

	terminal_input_close(term);
	CHECK_EQ_INT(tcgetattr(slave, &after), 0);
	CHECK_EQ_INT(after.c_lflag, before.c_lflag);
	CHECK(!(fcntl(slave, F_GETFL) & O_NONBLOCK));
	terminal_input_close(NULL);
	terminal_restore();   /* nothing saved: harmless */

	/* can open again after close */
	CHECK_EQ_INT(terminal_input_open(slave, &term), 0);
	terminal_input_close(term);
	close(slave);
	close(master);

	CHECK_EQ_INT(terminal_key_action('z'), CONTROL_NONE);
	return check_done("input_terminal");
}
