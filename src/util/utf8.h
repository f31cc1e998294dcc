/* utf8.h - strict UTF-8 checks for text that reaches the speech engine. */
#ifndef REPCUE_UTIL_UTF8_H
#define REPCUE_UTIL_UTF8_H

#include <stddef.h>

/* Checks that s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF) with no control characters (C0, DEL, C1) other
 * than none at all: tabs and newlines are rejected too, since spoken lines
 * are single lines. Returns 0, or the byte offset + 1 of the first bad
 * byte, so callers can point at the column. */
size_t utf8_first_bad(const char *s, size_t len);

/* Number of code points in a well-formed string (for column numbers). */
size_t utf8_codepoints(const char *s, size_t len);

#endif
