/* path.h - building a path into a fixed buffer: an over-long path is an
 * error the caller reports (ENAMETOOLONG), never a path silently cut short
 * that names another file. */
#ifndef REPCUE_UTIL_PATH_H
#define REPCUE_UTIL_PATH_H

#include <stddef.h>

/* snprintf into buf; 0, or -ENAMETOOLONG when it did not fit (buf then
 * holds "", so a cut path is never used by mistake). */
int path_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
