/* yaml_doc.h - a read-only YAML tree with a source position on every node.
 *
 * The one place that knows libyaml: yaml_doc.c is the only file including
 * yaml.h. Config readers (routines, voice profiles, later a device config)
 * walk this tree and report problems by line and column.
 *
 * Only the safe subset of YAML is accepted: one document, no anchors or
 * aliases (an alias bomb is a denial of service), no explicit tags, and a
 * bounded nesting depth. Every such problem is reported with its position.
 *
 * Nodes are small integer handles into the document: 0 means "no node",
 * so a lookup that fails can be passed on without checks. */
#ifndef REPCUE_ROUTINE_YAML_DOC_H
#define REPCUE_ROUTINE_YAML_DOC_H

#include <stddef.h>

#define YDOC_DEPTH_MAX 16

struct ydoc;

enum ynode_kind {
	YNODE_NONE,
	YNODE_SCALAR,
	YNODE_SEQUENCE,
	YNODE_MAPPING,
};

enum yscalar_style {
	YSCALAR_PLAIN,   /* bare text: numbers and words */
	YSCALAR_QUOTED,  /* '...' or "..." */
	YSCALAR_BLOCK,   /* | or > */
};

/* Receives each problem found while parsing; line and col are 1-based. */
typedef void (*ydoc_report_fn)(void *ctx, int line, int col,
			       const char *message, const char *hint);

/* Parses buf[0..len). Returns 0 and a document in *ret_doc (the caller
 * frees it with ydoc_free) when the text is well-formed YAML of the safe
 * subset; a document may be empty (ydoc_root() returns 0). Otherwise
 * returns -EINVAL after calling report for every problem it could find
 * (a syntax error stops the parse, so only the first of those), or
 * -ENOMEM. *ret_doc is NULL on failure. */
int ydoc_parse(const char *buf, size_t len, ydoc_report_fn report, void *ctx,
	       struct ydoc **ret_doc);

/* Frees a document; accepts NULL. */
void ydoc_free(struct ydoc *doc);

/* The root node, 0 if the document holds no content. */
int ydoc_root(const struct ydoc *doc);

/* Kind of a node; YNODE_NONE for 0 or an invalid handle. */
enum ynode_kind ydoc_kind(const struct ydoc *doc, int node);

/* "text", "a list", "a mapping": for messages like "expected a number,
 * got a list". */
const char *ydoc_kind_name(enum ynode_kind kind);

/* Source position of the node's first character (for quoted and block
 * scalars, of the quote or | >): 1-based line and column in code points;
 * 0 for an invalid handle. */
int ydoc_line(const struct ydoc *doc, int node);
int ydoc_col(const struct ydoc *doc, int node);

/* Scalar value, NUL-terminated and owned by the document; it may contain
 * NUL bytes itself (YAML "\0" escapes), so use *ret_len. "" for a node
 * that is not a scalar. ret_len may be NULL. */
const char *ydoc_scalar(const struct ydoc *doc, int node, size_t *ret_len);
enum yscalar_style ydoc_style(const struct ydoc *doc, int node);

/* Source position of byte offset off of a scalar's value, so a problem
 * inside a value (a control character, a stray brace) is pointed at
 * exactly, escapes such as "\x07" included. Falls back to the scalar's
 * own position for multi-line and block scalars. */
void ydoc_value_pos(const struct ydoc *doc, int node, size_t off, int *line,
		    int *col);

/* Items of a sequence or pairs of a mapping; 0 for other nodes. */
size_t ydoc_count(const struct ydoc *doc, int node);
int ydoc_item(const struct ydoc *doc, int seq, size_t i);
int ydoc_key(const struct ydoc *doc, int map, size_t i);
int ydoc_value(const struct ydoc *doc, int map, size_t i);

#endif
