/* path_format: a path that does not fit is an error and an empty buffer,
 * never a shorter path naming another file (issue 18 item 2). */
#include <errno.h>
#include <string.h>

#include "../lib/harness.h"
#include "util/path.h"

int main(void)
{
	char buf[16];

	CHECK(path_format(buf, sizeof(buf), "%s/voices", "/usr") == 0 && strcmp(buf, "/usr/voices") == 0, "fits");
	CHECK(path_format(buf, sizeof(buf), "%s/voices", "/usr/sha") == 0 && strcmp(buf, "/usr/sha/voices") == 0,
	      "exactly fits (15 bytes and the NUL)");
	CHECK(path_format(buf, sizeof(buf), "%s/voices", "/usr/shar") == -ENAMETOOLONG && buf[0] == '\0',
	      "one byte over: error, nothing left in the buffer");
	CHECK(path_format(buf, 0, "%s", "") == -ENAMETOOLONG, "no room at all");
	return check_done("test_path");
}
