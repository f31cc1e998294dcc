/* test_child.c - a command run as a child and waited for (util/child.c),
 * as the coach runs `repcue sheet` to draw the card's sheets: its exit
 * status and words, a child ended by a signal, a program that is not
 * there, a child that says far more than is kept (it must not block on a
 * full pipe), and one that hangs past the bound (killed, not waited for
 * for ever). Real processes through /bin/sh. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "../lib/harness.h"
#include "util/child.h"

static int sh(const char *script, unsigned timeout_ms, char *msg, size_t size)
{
	return child_run((char *[]){ "/bin/sh", "-c", (char *)script, NULL }, NULL, timeout_ms, msg, size);
}

static void case_status_and_words(void)
{
	char msg[64];

	CHECK_EQ_INT(sh("exit 0", 60000, msg, sizeof(msg)), 0);
	CHECK_STR(msg, "");
	/* stdout and stderr both, the last newline cut */
	CHECK_EQ_INT(sh("echo one; echo two >&2; exit 3", 60000, msg, sizeof(msg)), 3);
	CHECK_STR(msg, "one\ntwo");
	/* stdin is /dev/null: a child that reads gets end of file at once */
	CHECK_EQ_INT(sh("read x; exit $?", 60000, msg, sizeof(msg)), 1);
}

static void case_environment(void)
{
	char msg[64];
	char *env[] = { "REPCUE_CHILD_TEST=given", NULL };

	CHECK_EQ_INT(child_run((char *[]){ "/bin/sh", "-c", "printf %s \"$REPCUE_CHILD_TEST\"", NULL }, env, 60000,
			       msg, sizeof(msg)),
		     0);
	CHECK_STR(msg, "given");
}

static void case_signals(void)
{
	char msg[64];

	CHECK_EQ_INT(sh("kill -TERM $$", 60000, msg, sizeof(msg)), 128 + SIGTERM);
	/* the caller ignores SIGPIPE (as play does): the child starts with
	 * the default, so a write to a closed pipe ends it */
	signal(SIGPIPE, SIG_IGN);
	CHECK_EQ_INT(sh("kill -PIPE $$", 60000, msg, sizeof(msg)), 128 + SIGPIPE);
	signal(SIGPIPE, SIG_DFL);
}

static void case_not_there(void)
{
	char msg[200];

	int r = child_run((char *[]){ "/nonexistent/repcue", "sheet", NULL }, NULL, 60000, msg, sizeof(msg));
	CHECK_EQ_INT(r, -ENOENT);
	CHECK(strstr(msg, "/nonexistent/repcue") != NULL, "the message names the program: %s", msg);
}

static void case_says_too_much(void)
{
	char msg[16];

	/* 1 MB through a 64 KB pipe: only read to the end does it finish */
	CHECK_EQ_INT(sh("head -c 1048576 /dev/zero | tr '\\0' x; exit 4", 60000, msg, sizeof(msg)), 4);
	CHECK_EQ_INT((int)strlen(msg), 15);
}

static void case_hangs(void)
{
	char msg[200];

	/* exec: the shell becomes sleep, so the kill reaches what holds the pipe */
	int r = sh("echo started; exec sleep 600", 300, msg, sizeof(msg));
	CHECK_EQ_INT(r, -ETIMEDOUT);
	CHECK(strstr(msg, "stopped") != NULL, "the message says it was stopped: %s", msg);
}

int main(void)
{
	RUN_CASE(case_status_and_words, ());
	RUN_CASE(case_environment, ());
	RUN_CASE(case_signals, ());
	RUN_CASE(case_not_there, ());
	RUN_CASE(case_says_too_much, ());
	RUN_CASE(case_hangs, ());
	return check_done("test_child");
}
