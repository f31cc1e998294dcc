/* signal_pipe.h - the signal self-pipe: SIGINT, SIGTERM and SIGHUP made
 * a readable descriptor, so a poll(2) loop wakes on them like on any
 * input and stops cleanly (fade out, close the history, restore the
 * terminal) instead of dying inside a handler.
 *
 * One per process (a signal handler has no context pointer): open it
 * once, close it once; closing gives the signals back to the handlers
 * they had before (util/cleanup.h's, installed by main()). */
#ifndef REPCUE_UTIL_SIGNAL_PIPE_H
#define REPCUE_UTIL_SIGNAL_PIPE_H

#include <stdbool.h>

/* Installs the handler for SIGINT, SIGTERM and SIGHUP. `before_fatal`
 * (may be NULL; async-signal-safe) is called before the process ends
 * while signal_pipe_fatal() is on. Returns the descriptor that becomes
 * readable once one of them came (owned by this file: close with
 * signal_pipe_close()), or -errno with nothing changed. */
int signal_pipe_open(void (*before_fatal)(void));

/* While on, no loop reads the pipe (a session being prepared): a signal
 * ends the process at once, through before_fatal then cleanup_and_raise()
 * (util/cleanup.h: temporaries removed, death by that signal). */
void signal_pipe_fatal(bool on);

/* Waits up to timeout_ms (0: only looks) for a signal. True when one
 * came (it stays readable: every later wait sees it too). */
bool signal_pipe_wait(int timeout_ms);

/* Restores the handlers signal_pipe_open() found and closes the pipe.
 * Accepts a pipe that is not open. */
void signal_pipe_close(void);

#endif
