/* utf8.h - strict UTF-8 checks for text that reaches the speech engine,
 * and escaping of user bytes that reach a terminal. */
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

/* Length of the longest prefix of s[0..len) of at most max bytes that
 * does not end inside a multi-byte sequence: where to cut text. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

/* len less a UTF-8 sequence left incomplete at the end of s[0..len):
 * where text written up to a limit may end. */
size_t utf8_complete(const char *s, size_t len);

/* Copies s[0..len) into dst (size bytes, always NUL-terminated when size
 * > 0) as text safe to print on a terminal: well-formed UTF-8 characters
 * are kept; control characters (C0 with tab and newline, DEL, C1, so an
 * escape sequence can never reach the terminal) and bytes that are not
 * well-formed UTF-8 become \xHH. Escaping twice changes nothing, so text
 * may pass through it at every layer. Never cuts a character or an
 * escape: what does not fit is left off and "..." ends the text.
 * Returns dst. */
char *utf8_escape(char *dst, size_t size, const char *s, size_t len);

#endif
