/* schema.h - helpers shared by the config readers (routine_load.c,
 * voice_load.c): walk a ydoc tree, check each value against what its key
 * expects, and turn every mismatch into a diag with a position and a hint.
 * Internal to the routine module. */
#ifndef REPCUE_ROUTINE_SCHEMA_H
#define REPCUE_ROUTINE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "routine/diag.h"
#include "routine/yaml_doc.h"

/* Largest file a reader accepts: routines are a few KiB; this bounds the
 * parse time and memory of anything thrown at `repcue check`. */
#define SCHEMA_FILE_MAX (256 * 1024)

struct schema {
	const char *file;          /* name used in diags (borrowed) */
	const struct ydoc *doc;    /* borrowed */
	struct diag_list *diags;   /* borrowed; problems are appended */
	int errors;                /* problems found, including dropped ones */
	char where[120];           /* " in step 'Band rows'", appended to messages */
};

/* What a text value is used for, which decides what it may contain. */
enum text_use {
	TEXT_SPOKEN,  /* a spoken line: placeholders such as {rep} allowed */
	TEXT_NAME,    /* a name that may be spoken inside another line: no braces */
};

/* Records a problem at a node's position (1:1 if node is 0). */
void schema_error(struct schema *s, int node, const char *hint,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void schema_error_at(struct schema *s, int line, int col, const char *hint,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* True once the diag list is full: callers skip work that only serves the
 * text of a message nobody will see (did-you-mean on 30 000 junk keys). */
bool schema_full(const struct schema *s);

/* The word of words[] closest to word within a small edit distance
 * (ignoring case), or NULL. */
const char *schema_closest(const char *word, const char *const *words, size_t n);

/* Writes "did you mean 'x'?" into hint when word is within a small edit
 * distance of one of words[], else "use one of: a, b, c". */
void schema_suggest(char *hint, size_t size, const char *word,
		    const char *const *words, size_t n);

/* Checks that map is a mapping whose keys are all in keys[n], each at most
 * once, reporting every other key. values[i] receives the value node of
 * keys[i], 0 if absent. what names the mapping in messages ("a step").
 * Returns false (after reporting) if map is not a mapping at all. */
bool schema_map(struct schema *s, int map, const char *what,
		const char *const *keys, size_t n, int *values);

/* Reads a whole number in min..max from a plain scalar. Reports and
 * returns false on anything else. key names the value in messages. */
bool schema_int(struct schema *s, int node, const char *key, int min,
		int max, int *out);

/* Reads text of at most size - 1 bytes into out (size bytes): valid UTF-8,
 * no control characters, not only punctuation, and for spoken text only
 * known placeholders. Reports and returns false otherwise. */
bool schema_text(struct schema *s, int node, const char *key, size_t size,
		 enum text_use use, char *out);

/* Reads one of names[n] into *out (its index), with did-you-mean. */
bool schema_enum(struct schema *s, int node, const char *key,
		 const char *const *names, size_t n, int *out);

/* Reads an identifier of at most size - 1 bytes: ASCII letters, digits,
 * '-' and '_', starting with a letter or digit. For values that end up in
 * file names or eSpeak NG voice names ("coach", "en-gb", "f3"), so that no
 * value can name a path elsewhere. */
bool schema_word(struct schema *s, int node, const char *key, size_t size,
		 char *out);

/* Value node of the first key named key in map; 0 if there is none or map
 * is not a mapping. Reports nothing: for looking ahead before schema_map(). */
int schema_lookup(const struct schema *s, int map, const char *key);

/* Checks the `repcue: 1` version key of map. Returns false (after
 * reporting) if it is missing or not the supported version. */
bool schema_version(struct schema *s, int map, int supported);

/* Parses buf[0..len) as YAML and, if it parses, hands the document to
 * load(s, ctx); problems of either kind go to diags under `name`, sorted
 * by position. Returns 0, -EINVAL if there were problems, or -ENOMEM. */
int schema_parse(const char *name, const char *buf, size_t len, struct diag_list *diags,
		 void (*load)(struct schema *s, void *ctx), void *ctx);

/* Into a fresh diags: schema_parse() of buf[0..len), or, when buf is NULL,
 * of the file at name (schema_read_file(): then also its -errno). */
int schema_parse_source(const char *name, const char *buf, size_t len, struct diag_list *diags,
			void (*load)(struct schema *s, void *ctx), void *ctx);

/* The start every file format shares: an empty file gets one problem with
 * empty_hint; a file of another format version gets only that problem
 * (it may mean other things by the same keys); then the top level must be
 * the mapping `what` with `keys`, whose values land in values[]. Returns
 * true when there is a top level to read on. */
bool schema_document(struct schema *s, int version, const char *empty_hint, const char *what,
		     const char *const *keys, size_t n, int *values);

/* Reads a regular file of at most SCHEMA_FILE_MAX bytes into a malloc'ed
 * buffer the caller frees. Returns 0, or a negative errno after adding one
 * whole-file diag ("cannot open: ..."). -EINVAL is never returned, so
 * callers can keep it for "the file has problems". */
int schema_read_file(const char *path, char **ret_buf, size_t *ret_len,
		     struct diag_list *diags);

#endif
