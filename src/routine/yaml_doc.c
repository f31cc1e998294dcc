/* yaml_doc.c - libyaml adapter: the only file that includes yaml.h.
 *
 * Two passes over the text. The first walks libyaml's events, because only
 * events show anchors, aliases, tags and document boundaries with their
 * positions; it rejects those and over-deep nesting before anything is
 * built. The second builds libyaml's document (yaml_parser_load), whose
 * nodes all carry a start mark, and this file hands out read-only views of
 * it. Aliases are refused in pass one so that pass two never shares nodes,
 * which keeps every walk over the tree linear in the file size. */
#include "routine/yaml_doc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/utf8.h"

struct ydoc {
	yaml_document_t doc;
	const char *src;    /* the parsed text (borrowed), for ydoc_value_pos() */
	size_t src_len;
};

/* libyaml reports reader errors (bad UTF-8, control characters) as a byte
 * offset with no mark: turn it into a line and a column in code points, the
 * way the scanner counts its marks. */
static void offset_to_pos(const char *buf, size_t len, size_t offset,
			  int *line, int *col)
{
	int l = 1, c = 1;

	if (offset > len)
		offset = len;
	for (size_t i = 0; i < offset; i++) {
		unsigned char b = (unsigned char)buf[i];

		if (b == '\n') {
			l++;
			c = 1;
		} else if ((b & 0xc0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* A way out for the commonest libyaml complaints, in the words of someone
 * editing a routine file rather than of the YAML spec. */
static const char *syntax_hint(const char *problem)
{
	static const struct {
		const char *problem;
		const char *hint;
	} hints[] = {
		/* a file saved as "ANSI" by an older Notepad, or as Latin-1 */
		{ "UTF-8", "save the file as UTF-8 text; it is in another encoding (Windows-1252 "
			   "or Latin-1?): in Notepad, Save As with Encoding UTF-8" },
		{ "control characters", "remove the invisible control character; spoken text must be plain text" },
		{ "cannot start any token", "replace the tab with spaces (or quote text that starts with @ ` % or |)" },
		{ "tab character", "replace the tab with spaces" },
		{ "mapping values are not allowed", "put text that contains ': ' in quotes" },
		{ "did not find expected key", "check this line's indentation against the lines above it" },
		{ "did not find expected '-'", "check the indentation of the list items" },
		{ "could not find expected ':'", "each key needs a ':' after it; quote text that spans lines" },
		{ "found unexpected end of stream", "a quote or bracket is not closed" },
		{ "found unknown escape character", "inside \"...\" write a backslash as \\\\, or use '...' quotes" },
		{ "did not find expected ',' or '}'", "inside { } put text that has braces, commas or ': ' in \"quotes\"" },
		{ "did not find expected ',' or ']'", "inside [ ] put text that has brackets, commas or ': ' in \"quotes\"" },
		{ "block sequence entries are not allowed", "start a list on the line after its key, indented" },
	};

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(problem, hints[i].problem))
			return hints[i].hint;
	return "check the YAML syntax here; putting text in \"quotes\" often helps";
}

static int report_parser_error(const yaml_parser_t *parser, const char *buf,
			       size_t len, ydoc_report_fn report, void *ctx)
{
	const char *problem = parser->problem ? parser->problem : "unknown error";
	char message[200];
	int line, col;

	if (parser->error == YAML_MEMORY_ERROR)
		return -ENOMEM;
	if (parser->error == YAML_READER_ERROR) {
		size_t off = parser->problem_offset;

		/* libyaml points at the byte that broke a sequence; the
		 * sequence's first byte is what to fix (a Latin-1 'é'). */
		if (strstr(problem, "trailing") || strstr(problem, "incomplete")) {
			while (off > 0 && off <= len && ((unsigned char)buf[off - 1] & 0xc0) == 0x80)
				off--;
			if (off > 0 && off <= len && (unsigned char)buf[off - 1] >= 0xc0)
				off--;
		}
		offset_to_pos(buf, len, off, &line, &col);
		snprintf(message, sizeof(message), "not valid text: %s", problem);
	} else {
		line = (int)parser->problem_mark.line + 1;
		col = (int)parser->problem_mark.column + 1;
		if (parser->context)
			snprintf(message, sizeof(message),
				 "YAML syntax: %s (%s at %d:%d)", problem,
				 parser->context,
				 (int)parser->context_mark.line + 1,
				 (int)parser->context_mark.column + 1);
		else
			snprintf(message, sizeof(message), "YAML syntax: %s",
				 problem);
	}
	const char *hint = syntax_hint(problem);
	char nbsp_hint[160];
	/* "reps:8" or "reps 8": libyaml notices on the next line; the line
	 * the user wrote is where the key began */
	if (parser->error != YAML_READER_ERROR && parser->context && strstr(problem, "expected ':'") &&
	    strstr(parser->context, "simple key")) {
		line = (int)parser->context_mark.line + 1;
		col = (int)parser->context_mark.column + 1;
		size_t at = parser->context_mark.index, end = at;
		while (end < len && buf[end] != '\n')
			end++;
		const char *nb = memmem(buf + at, end - at, "\xc2\xa0", 2);
		if (nb) {
			/* Word's non-breaking space looks like a space */
			int nb_col;
			offset_to_pos(buf, len, (size_t)(nb - buf), &line, &nb_col);
			snprintf(message, sizeof(message),
				 "an invisible non-breaking space (U+00A0) at column %d", nb_col);
			snprintf(nbsp_hint, sizeof(nbsp_hint), "delete it and type a plain space");
			hint = nbsp_hint;
			col = nb_col;
		} else {
			snprintf(message, sizeof(message), "YAML syntax: a key without ':' and a space after it");
			hint = "write the key, a colon and a space before the value, like 'reps: 8'";
		}
	}
	report(ctx, line, col, message, hint);
	return -EINVAL;
}

static void report_at(const yaml_mark_t *mark, ydoc_report_fn report,
		      void *ctx, const char *message, const char *hint)
{
	report(ctx, (int)mark->line + 1, (int)mark->column + 1, message, hint);
}

/* Checks the node properties of one event: no anchors (they only exist to
 * be aliased) and no explicit tags (we give every value its meaning from
 * the key, so a tag could only contradict it). */
static bool check_properties(const yaml_event_t *ev, const yaml_char_t *anchor,
			     const yaml_char_t *tag, ydoc_report_fn report,
			     void *ctx)
{
	char message[200];
	bool ok = true;

	if (anchor) {
		snprintf(message, sizeof(message),
			 "anchors are not supported (&%.*s)",
			 (int)utf8_prefix((const char *)anchor, strlen((const char *)anchor), 60),
			 (const char *)anchor);
		report_at(&ev->start_mark, report, ctx, message,
			  "write the value out again instead of using & and *");
		ok = false;
	}
	if (tag) {
		snprintf(message, sizeof(message),
			 "YAML tags are not supported (%.*s)",
			 (int)utf8_prefix((const char *)tag, strlen((const char *)tag), 60),
			 (const char *)tag);
		report_at(&ev->start_mark, report, ctx, message,
			  "remove the tag; each key already says what its value is");
		ok = false;
	}
	return ok;
}

/* Pass one: see the file header. Returns 0, -EINVAL or -ENOMEM. */
static int check_events(const char *buf, size_t len, ydoc_report_fn report,
			void *ctx)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, documents = 0, ret = 0;
	bool done = false;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			ret = report_parser_error(&parser, buf, len, report, ctx);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++documents > 1) {
				report_at(&ev.start_mark, report, ctx,
					  "more than one YAML document in the file",
					  "remove this '---' line and what follows, or put it in its own file");
				ret = -EINVAL;
				done = true;
			}
			break;
		case YAML_ALIAS_EVENT:
			report_at(&ev.start_mark, report, ctx,
				  "aliases are not supported",
				  "write the value out again instead of using & and *");
			ret = -EINVAL;
			break;
		case YAML_SCALAR_EVENT:
			if (!check_properties(&ev, ev.data.scalar.anchor,
					      ev.data.scalar.tag, report, ctx))
				ret = -EINVAL;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			const yaml_char_t *anchor, *tag;

			if (ev.type == YAML_SEQUENCE_START_EVENT) {
				anchor = ev.data.sequence_start.anchor;
				tag = ev.data.sequence_start.tag;
			} else {
				anchor = ev.data.mapping_start.anchor;
				tag = ev.data.mapping_start.tag;
			}
			if (!check_properties(&ev, anchor, tag, report, ctx))
				ret = -EINVAL;
			/* Stop here: the tree is never walked, and a file of
			 * nothing but '[' must not produce a report per level. */
			if (++depth > YDOC_DEPTH_MAX) {
				report_at(&ev.start_mark, report, ctx,
					  "lists and mappings are nested too deeply",
					  "a repcue file needs only a few levels; check the brackets and indentation");
				ret = -EINVAL;
				done = true;
			}
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return ret;
}

int ydoc_parse(const char *buf, size_t len, ydoc_report_fn report, void *ctx,
	       struct ydoc **ret_doc)
{
	yaml_parser_t parser;
	struct ydoc *doc;
	int ret;

	*ret_doc = NULL;
	ret = check_events(buf, len, report, ctx);
	if (ret < 0)
		return ret;

	doc = calloc(1, sizeof(*doc));
	if (!doc)
		return -ENOMEM;
	if (!yaml_parser_initialize(&parser)) {
		ret = -ENOMEM;
		goto free_doc;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc->doc)) {
		/* Pass one accepted the text, so only memory can fail here;
		 * report anything else anyway rather than trust that. */
		ret = report_parser_error(&parser, buf, len, report, ctx);
		goto delete_parser;
	}
	yaml_parser_delete(&parser);
	doc->src = buf;
	doc->src_len = len;
	*ret_doc = doc;
	return 0;

delete_parser:
	yaml_parser_delete(&parser);
free_doc:
	free(doc);
	return ret;
}

void ydoc_free(struct ydoc *doc)
{
	if (!doc)
		return;
	yaml_document_delete(&doc->doc);
	free(doc);
}

static const yaml_node_t *node_at(const struct ydoc *doc, int node)
{
	ptrdiff_t n;

	if (!doc || node < 1)
		return NULL;
	n = doc->doc.nodes.top - doc->doc.nodes.start;
	if (node > n)
		return NULL;
	return &doc->doc.nodes.start[node - 1];
}

int ydoc_root(const struct ydoc *doc)
{
	if (!doc || doc->doc.nodes.top == doc->doc.nodes.start)
		return 0;
	return 1; /* libyaml stores the root first */
}

enum ynode_kind ydoc_kind(const struct ydoc *doc, int node)
{
	const yaml_node_t *n = node_at(doc, node);

	if (!n)
		return YNODE_NONE;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return YNODE_SCALAR;
	case YAML_SEQUENCE_NODE:
		return YNODE_SEQUENCE;
	case YAML_MAPPING_NODE:
		return YNODE_MAPPING;
	default:
		return YNODE_NONE;
	}
}

const char *ydoc_kind_name(enum ynode_kind kind)
{
	switch (kind) {
	case YNODE_SCALAR:
		return "text";
	case YNODE_SEQUENCE:
		return "a list";
	case YNODE_MAPPING:
		return "a mapping";
	default:
		return "nothing";
	}
}

int ydoc_line(const struct ydoc *doc, int node)
{
	const yaml_node_t *n = node_at(doc, node);

	return n ? (int)n->start_mark.line + 1 : 0;
}

int ydoc_col(const struct ydoc *doc, int node)
{
	const yaml_node_t *n = node_at(doc, node);

	return n ? (int)n->start_mark.column + 1 : 0;
}

const char *ydoc_scalar(const struct ydoc *doc, int node, size_t *ret_len)
{
	const yaml_node_t *n = node_at(doc, node);

	if (!n || n->type != YAML_SCALAR_NODE) {
		if (ret_len)
			*ret_len = 0;
		return "";
	}
	if (ret_len)
		*ret_len = n->data.scalar.length;
	return (const char *)n->data.scalar.value;
}

enum yscalar_style ydoc_style(const struct ydoc *doc, int node)
{
	const yaml_node_t *n = node_at(doc, node);

	if (!n || n->type != YAML_SCALAR_NODE)
		return YSCALAR_PLAIN;
	switch (n->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		return YSCALAR_QUOTED;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		return YSCALAR_BLOCK;
	default:
		return YSCALAR_PLAIN;
	}
}

size_t ydoc_count(const struct ydoc *doc, int node)
{
	const yaml_node_t *n = node_at(doc, node);

	if (!n)
		return 0;
	if (n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top -
				n->data.sequence.items.start);
	if (n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top -
				n->data.mapping.pairs.start);
	return 0;
}

int ydoc_item(const struct ydoc *doc, int seq, size_t i)
{
	const yaml_node_t *n = node_at(doc, seq);

	if (!n || n->type != YAML_SEQUENCE_NODE || i >= ydoc_count(doc, seq))
		return 0;
	return n->data.sequence.items.start[i];
}

int ydoc_key(const struct ydoc *doc, int map, size_t i)
{
	const yaml_node_t *n = node_at(doc, map);

	if (!n || n->type != YAML_MAPPING_NODE || i >= ydoc_count(doc, map))
		return 0;
	return n->data.mapping.pairs.start[i].key;
}

int ydoc_value(const struct ydoc *doc, int map, size_t i)
{
	const yaml_node_t *n = node_at(doc, map);

	if (!n || n->type != YAML_MAPPING_NODE || i >= ydoc_count(doc, map))
		return 0;
	return n->data.mapping.pairs.start[i].value;
}

/* Bytes of UTF-8 for code point cp. */
static size_t utf8_len(unsigned long cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* Length of the escape at p (after the backslash) in the source and in
 * the value; 0 if it is one we do not follow (a line continuation). */
static size_t escape_len(const char *p, size_t avail, size_t *value_len)
{
	size_t digits = 0;
	unsigned long cp = 0;

	if (avail < 1)
		return 0;
	switch (p[0]) {
	case 'x': digits = 2; break;
	case 'u': digits = 4; break;
	case 'U': digits = 8; break;
	case 'N': case '_': *value_len = 2; return 2;
	case 'L': case 'P': *value_len = 3; return 2;
	case '\n': case '\r': return 0;
	default: *value_len = 1; return 2;
	}
	if (avail < 1 + digits)
		return 0;
	for (size_t i = 1; i <= digits; i++) {
		char c = p[i];

		cp = cp * 16 + (unsigned long)(c >= '0' && c <= '9' ? c - '0' :
					       (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : 0);
	}
	*value_len = utf8_len(cp);
	return 2 + digits;
}

void ydoc_value_pos(const struct ydoc *doc, int node, size_t off, int *line,
		    int *col)
{
	const yaml_node_t *n = node_at(doc, node);
	const char *src;
	size_t i = 0, chars = 0, value = 0, src_len;
	yaml_scalar_style_t style;
	int c;

	*line = n ? (int)n->start_mark.line + 1 : 0;
	*col = n ? (int)n->start_mark.column + 1 : 0;
	if (!n || n->type != YAML_SCALAR_NODE || !doc->src)
		return;
	style = n->data.scalar.style;
	if (style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE)
		return;
	src = doc->src;
	src_len = doc->src_len;
	/* Marks count characters, not bytes: find the node's first byte.
	 * libyaml does not count a UTF-8 byte order mark; a UTF-16 file has
	 * no simple byte mapping at all. */
	if (src_len >= 2 && ((unsigned char)src[0] == 0xfe || (unsigned char)src[0] == 0xff))
		return;
	if (src_len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (; i < src_len && chars < n->start_mark.index; i++)
		if (((unsigned char)src[i] & 0xc0) != 0x80)
			chars++;
	while (i < src_len && ((unsigned char)src[i] & 0xc0) == 0x80)
		i++;
	c = *col;
	if (style != YAML_PLAIN_SCALAR_STYLE) {
		i++; /* the opening quote */
		c++;
	}
	while (value < off) {
		size_t src_step = 1, value_step;
		unsigned char b;

		if (i >= src_len)
			return;
		b = (unsigned char)src[i];
		if (b == '\n' || b == '\r')
			return; /* folded onto several lines: keep the node's position */
		if (style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && b == '\\') {
			src_step = escape_len(src + i + 1, src_len - i - 1, &value_step);
			if (!src_step)
				return;
		} else if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE && b == '\'' &&
			   i + 1 < src_len && src[i + 1] == '\'') {
			src_step = 2;
			value_step = 1;
		} else {
			value_step = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
			src_step = value_step;
		}
		if (value + value_step > off)
			break; /* off is inside this escape: point at its start */
		value += value_step;
		i += src_step;
		/* Escapes and '' are ASCII: a column per byte; any other
		 * step is one character, one column. */
		c += b < 0x80 ? (int)src_step : 1;
	}
	*line = (int)n->start_mark.line + 1;
	*col = c;
}
