/* child.h - a command of our own run as a child process and waited for,
 * with what it says kept as the message of its failure.
 *
 * What for: work whose libraries the caller should not carry. The coach
 * draws the card's sheets by running `repcue sheet` (card_sheets.h), so
 * cairo, pango and fontconfig, their caches and their heap, live and die
 * with the child and never count in the coach's memory.
 *
 * The child starts with every signal at its default and none blocked
 * (the caller's handlers and masks are not its business), stdin from
 * /dev/null, stdout and stderr into a pipe, and the caller's thread's
 * scheduling priority (a drawer thread at nice 19 runs nice-19 children). */
#ifndef REPCUE_UTIL_CHILD_H
#define REPCUE_UTIL_CHILD_H

#include <stddef.h>

/* Runs argv[0] (an absolute path; argv NULL-terminated) with envp (NULL:
 * this process's environment) and waits for it, at most timeout_ms (then
 * it is killed). What it writes goes into msg (its first msg_size - 1
 * bytes, the last newline cut; "" if it said nothing). Returns its exit
 * status (0..255), 128 + the signal that ended it, or -errno when it could
 * not run (-ENOENT: no such program) or -ETIMEDOUT when it was killed for
 * taking too long; msg then says so. */
int child_run(char *const argv[], char *const envp[], unsigned timeout_ms, char *msg, size_t msg_size);

#endif
