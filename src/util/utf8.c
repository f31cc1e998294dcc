#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

/* Length (1-4) of the well-formed UTF-8 character at p[0..len) that is
 * not a control character (C0, DEL, C1); 0 if there is none. */
static size_t printable_char(const unsigned char *p, size_t len)
{
	unsigned char c = p[0];
	uint32_t cp;
	size_t n;

	if (c < 0x80)
		return c < 0x20 || c == 0x7f ? 0 : 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t k = 1; k <= n; k++) {
		if (k >= len || (p[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n + 1;
}

size_t utf8_first_bad(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = printable_char(p + i, len - i);

		if (n == 0)
			return i + 1;
		i += n;
	}
	return 0;
}

size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max;

	/* back over the continuation bytes of the character cut at n */
	for (int k = 0; k < 3 && n > 0 && n < len && ((unsigned char)s[n] & 0xc0) == 0x80; k++)
		n--;
	return n;
}

size_t utf8_complete(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t back = 1; back <= 4 && back <= len; back++) {
		unsigned char c = p[len - back];
		size_t need;

		if ((c & 0xc0) == 0x80)
			continue;           /* a continuation byte: look further back */
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return need > back ? len - back : len;
	}
	return len;
}

char *utf8_escape(char *dst, size_t size, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (size == 0)
		return dst;
	for (size_t i = 0; i < len;) {
		char unit[8];
		size_t n = printable_char(p + i, len - i), u;

		if (n > 0) {
			memcpy(unit, p + i, n);
			u = n;
		} else {
			unit[0] = '\\';
			unit[1] = 'x';
			unit[2] = hex[p[i] >> 4];
			unit[3] = hex[p[i] & 15];
			u = 4;
			n = 1;
		}
		/* keep room for "..." unless this is the last unit */
		if (o + u + (i + n < len ? 3 : 0) >= size) {
			if (o + 3 < size) {
				memcpy(dst + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(dst + o, unit, u);
		o += u;
		i += n;
	}
	dst[o] = '\0';
	return dst;
}

size_t utf8_codepoints(const char *s, size_t len)
{
	size_t count = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}
