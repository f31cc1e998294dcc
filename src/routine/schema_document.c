/* schema_document.c - a routine, voice or config file as a whole: read
 * from disk within a size limit, refused early when it is another format
 * (a word processor's file, UTF-16 without a mark), parsed into the YAML
 * tree, and its 'repcue:' format version checked. Separate from schema.c,
 * which checks the values inside the tree, because this is the part that
 * does I/O and meets files that are not YAML at all. */
#include "routine/schema.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool schema_version(struct schema *s, int map, int supported)
{
	int node = schema_lookup(s, map, "repcue");
	char hint[120];
	int version;

	if (ydoc_kind(s->doc, map) != YNODE_MAPPING)
		return false; /* schema_map() says so */

	snprintf(hint, sizeof(hint), "add 'repcue: %d' as the first line", supported);
	if (!node) {
		schema_error(s, map, hint, "missing 'repcue' format version");
		return false;
	}
	if (!schema_int(s, node, "repcue", 1, 1000, &version))
		return false;
	if (version != supported) {
		snprintf(hint, sizeof(hint),
			 "this repcue reads format %d; update repcue or rewrite the file for format %d",
			 supported, supported);
		schema_error(s, node, hint, "format version %d is not supported",
			     version);
		return false;
	}
	return true;
}

int schema_read_file(const char *path, char **ret_buf, size_t *ret_len,
		     struct diag_list *diags)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, ret;

	*ret_buf = NULL;
	*ret_len = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; we refuse
	 * anything but a regular file right after. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		ret = -errno;
		diag_add(diags, path, 0, 0, ret == -ENOENT ? "check the file name and directory" : "",
			 "cannot open: %s", strerror(-ret));
		return ret == -EINVAL ? -EIO : ret;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		diag_add(diags, path, 0, 0, "", "cannot read: %s", strerror(-ret));
		goto close_fd;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -ENOTSUP;
		diag_add(diags, path, 0, 0, "give the path of a .yaml file",
			 "not a regular file (%s)",
			 S_ISDIR(st.st_mode) ? "a directory" : "a device, pipe or socket");
		goto close_fd;
	}
	if (st.st_size > SCHEMA_FILE_MAX) {
		ret = -EFBIG;
		diag_add(diags, path, 0, 0, "a routine file is a few KiB; is this the right file?",
			 "file is larger than %d KiB", SCHEMA_FILE_MAX / 1024);
		goto close_fd;
	}
	/* One byte more than the limit, so a file that grew after fstat is
	 * still caught. */
	buf = malloc(SCHEMA_FILE_MAX + 1);
	if (!buf) {
		ret = -ENOMEM;
		diag_add(diags, path, 0, 0, "", "cannot read: %s", strerror(ENOMEM));
		goto close_fd;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, SCHEMA_FILE_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			diag_add(diags, path, 0, 0, "", "cannot read: %s", strerror(-ret));
			goto free_buf;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > SCHEMA_FILE_MAX) {
			ret = -EFBIG;
			diag_add(diags, path, 0, 0, "a routine file is a few KiB; is this the right file?",
				 "file is larger than %d KiB", SCHEMA_FILE_MAX / 1024);
			goto free_buf;
		}
	}
	close(fd);
	*ret_buf = buf;
	*ret_len = len;
	return 0;

free_buf:
	free(buf);
close_fd:
	close(fd);
	return ret == -EINVAL ? -EIO : ret;
}

bool schema_document(struct schema *s, int version, const char *empty_hint, const char *what,
		     const char *const *keys, size_t n, int *values)
{
	int root = ydoc_root(s->doc);
	size_t len;

	ydoc_scalar(s->doc, root, &len);
	if (!root || (ydoc_kind(s->doc, root) == YNODE_SCALAR && len == 0 &&
		      ydoc_style(s->doc, root) == YSCALAR_PLAIN)) {
		schema_error_at(s, 1, 1, empty_hint, "the file is empty");
		return false;
	}
	if (!schema_version(s, root, version) && schema_lookup(s, root, "repcue"))
		return false;
	return schema_map(s, root, what, keys, n, values);
}

/* What a laptop saves when it is asked for text and the person did not
 * choose plain text: told by the first bytes, because the name (shoulders.yaml)
 * says nothing about it.  Without this an RTF file is "did not find expected
 * ','" and a UTF-16 file "control characters are not allowed". */
static const struct {
	const char *magic;
	size_t len;
	const char *problem;
	const char *hint;
} foreign_formats[] = {
	{ "{\\rtf", 5, "this is a Rich Text (RTF) file, not plain text",
	  "save it as plain text: in TextEdit choose Format > Make Plain Text; in WordPad save as Text Document" },
	{ "PK\003\004", 4, "this is a Word or OpenDocument file (.docx, .odt), not plain text",
	  "in Word choose File > Save As > Plain Text (.txt), then rename the file to end in .yaml" },
	{ "\320\317\021\340\241\261\032\341", 8, "this is an old Word document (.doc), not plain text",
	  "in Word choose File > Save As > Plain Text (.txt), then rename the file to end in .yaml" },
	{ "%PDF-", 5, "this is a PDF, not plain text",
	  "open the routine in a text editor (Notepad, TextEdit) and save it as plain text" },
};

/* UTF-16 without a byte order mark: libyaml reads it as UTF-8 full of NUL
 * bytes.  Text of ASCII letters has a NUL in every other byte, so a file
 * where most even (big-endian) or odd (little-endian) bytes of its start are
 * NUL is UTF-16.  With a BOM libyaml decodes it itself. */
static bool utf16_without_bom(const char *buf, size_t len)
{
	size_t n = len < 256 ? len : 256, zero[2] = { 0, 0 };

	if (n < 4 || (unsigned char)buf[0] == 0xff || (unsigned char)buf[0] == 0xfe)
		return false;
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			zero[i % 2]++;
	return zero[0] * 4 >= n * 3 / 2 || zero[1] * 4 >= n * 3 / 2;
}

/* True (and the problem recorded at 1:1) if buf is not text at all. */
static bool foreign_format(struct schema *s, const char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(foreign_formats) / sizeof(foreign_formats[0]); i++)
		if (len >= foreign_formats[i].len &&
		    memcmp(buf, foreign_formats[i].magic, foreign_formats[i].len) == 0) {
			schema_error_at(s, 1, 1, foreign_formats[i].hint, "%s", foreign_formats[i].problem);
			return true;
		}
	if (utf16_without_bom(buf, len)) {
		schema_error_at(s, 1, 1,
				"save it again as UTF-8: in Notepad choose Save As, Encoding: UTF-8",
				"this file is saved as UTF-16 (Unicode) text without a byte order mark");
		return true;
	}
	return false;
}

static void report_parse(void *ctx, int line, int col, const char *message, const char *hint)
{
	schema_error_at(ctx, line, col, hint, "%s", message);
}

int schema_parse(const char *name, const char *buf, size_t len, struct diag_list *diags,
		 void (*load)(struct schema *s, void *ctx), void *ctx)
{
	struct schema s = { .file = name, .diags = diags };
	struct ydoc *doc;
	int ret;

	if (foreign_format(&s, buf, len))
		return -EINVAL;
	ret = ydoc_parse(buf, len, report_parse, &s, &doc);

	if (ret == -ENOMEM)
		diag_add(diags, name, 0, 0, "", "out of memory");
	if (ret < 0)
		return ret;
	s.doc = doc;
	load(&s, ctx);
	ydoc_free(doc);
	diag_list_sort(diags);
	return s.errors ? -EINVAL : 0;
}

int schema_parse_source(const char *name, const char *buf, size_t len, struct diag_list *diags,
			void (*load)(struct schema *s, void *ctx), void *ctx)
{
	char *text = NULL;  /* owned: the file read, when there is no buf */
	int ret = 0;

	diag_list_init(diags);
	if (!buf) {
		ret = schema_read_file(name, &text, &len, diags);
		buf = text;
	}
	if (ret == 0)
		ret = schema_parse(name, buf, len, diags, load, ctx);
	free(text);
	return ret;
}
