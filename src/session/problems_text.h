/* problems_text.h - the text of problems.txt in the card folder: every
 * file the lobby's last refresh looked at and what became of it, for a
 * person who reads the card on a laptop and has no journal to look at.
 *
 * Skipped files come first, each with its first problem in the words
 * `repcue check` prints (diag_format(): file:line:col, the problem, the
 * fix), then the card's settings file (skipped whole, or each setting
 * it left at its default), the settings that do not work here (an input
 * that cannot be opened, a sound device that does not open), then the
 * volume, beeps and voice in use, then the routines the start button
 * offers. "No problems." when nothing was
 * skipped. CRLF line
 * endings and UTF-8 (every name escaped as diagnostics are), so Notepad
 * opens it; a few KB at most, the files past the cap counted in a last
 * line "... and N more files". Nothing in it changes unless the files
 * do (no time, no counter), so it is written only when they change. */
#ifndef REPCUE_SESSION_PROBLEMS_TEXT_H
#define REPCUE_SESSION_PROBLEMS_TEXT_H

#include <stddef.h>

#include "session/lobby_state.h"

#define PROBLEMS_FILE_NAME "problems.txt"
#define PROBLEMS_TEXT_MAX 4096        /* bytes: one small write on the FAT card */
#define PROBLEMS_TEXT_LINES_MAX 60    /* a screenful or two in Notepad */

/* The text for lb's last refresh into out (size >= PROBLEMS_TEXT_MAX:
 * the text never takes more). Paths inside lb->card_dir are shown
 * relative to it (routines/arms.yaml), as the laptop sees the folder.
 * Pure: reads only lb. Returns the length. */
size_t problems_text_compose(const struct lobby *lb, char *out, size_t size);

#endif
