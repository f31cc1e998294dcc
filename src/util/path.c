/* path.c - checked path building (path.h). */
#include "util/path.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

int path_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!size)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}
