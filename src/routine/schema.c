/* schema.c - the checks of values inside a YAML tree that every loader
 * shares: mappings with known keys (and "did you mean"), whole numbers,
 * text with its placeholders, enums and words, each problem as a diag with
 * a position and a hint. Reading and parsing a whole file is
 * schema_document.c. */
#include "routine/schema.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phrase/phrase.h"
#include "util/utf8.h"

/* Routine files may use the first SLOT_ROUTINE_COUNT placeholders of the
 * one list, phrase_slot_names (phrase/phrase.h), which plan.c fills in. */
#define N_PLACEHOLDERS ((size_t)SLOT_ROUTINE_COUNT)

static void vreport(struct schema *s, int line, int col, const char *hint,
		    const char *fmt, va_list ap)
{
	char message[200];

	s->errors++;
	vsnprintf(message, sizeof(message), fmt, ap);
	diag_add(s->diags, s->file, line, col, hint, "%s", message);
}

void schema_error_at(struct schema *s, int line, int col, const char *hint,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(s, line, col, hint, fmt, ap);
	va_end(ap);
}

void schema_error(struct schema *s, int node, const char *hint,
		  const char *fmt, ...)
{
	int line = ydoc_line(s->doc, node), col = ydoc_col(s->doc, node);
	va_list ap;

	/* Every problem gets a position, even one about a node that is not
	 * there: the start of the file is the honest fallback. */
	if (line < 1) {
		line = 1;
		col = 1;
	}
	va_start(ap, fmt);
	vreport(s, line, col, hint, fmt, ap);
	va_end(ap);
}

bool schema_full(const struct schema *s)
{
	return s->diags->count >= DIAG_MAX;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Optimal string alignment distance (Levenshtein plus swaps of two
 * neighbours, the commonest typo), ignoring ASCII case. Words longer than
 * 32 bytes are never a typo of a key, so they get a large distance. */
static int edit_distance(const char *a, const char *b)
{
	enum { MAXW = 32 };
	int d[MAXW + 1][MAXW + 1];
	size_t la = strlen(a), lb = strlen(b);

	if (la > MAXW || lb > MAXW)
		return MAXW;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int cost = lower(a[i - 1]) != lower(b[j - 1]);
			int best = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *schema_closest(const char *word, const char *const *words, size_t n)
{
	const char *best = NULL;
	int best_d = 3;

	for (size_t i = 0; i < n; i++) {
		int dist = edit_distance(word, words[i]);
		int longer = (int)(strlen(word) > strlen(words[i]) ? strlen(word) : strlen(words[i]));

		/* Up to two edits, and fewer than half the letters: "rate" is
		 * two edits from "name" too, but that is no typo. */
		if (dist < best_d && dist * 2 < longer) {
			best_d = dist;
			best = words[i];
		}
	}
	return best;
}

void schema_suggest(char *hint, size_t size, const char *word,
		    const char *const *words, size_t n)
{
	/* words people write that are nearer another key than the one they
	 * mean: "secs" is one edit from "sets" */
	static const char *const meant[][2] = {
		{ "secs", "seconds" }, { "sec", "seconds" }, { "second", "seconds" },
		{ "time", "seconds" }, { "duration", "seconds" },
	};
	const char *best = schema_closest(word, words, n);
	size_t used;

	for (size_t i = 0; i < sizeof(meant) / sizeof(meant[0]); i++)
		if (strcmp(word, meant[i][0]) == 0)
			for (size_t j = 0; j < n; j++)
				if (strcmp(words[j], meant[i][1]) == 0)
					best = words[j];

	if (best) {
		snprintf(hint, size, "did you mean '%s'?", best);
		return;
	}
	used = (size_t)snprintf(hint, size, "use one of:");
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(hint + used, size - used, "%s %s",
					 i ? "," : "", words[i]);
}

/* Quotes a scalar for a message: at most 40 bytes, cut between
 * characters, escaped (utf8_escape), so a message never carries the
 * control characters or broken bytes it is complaining about but shows
 * where they are. */
#define EXCERPT_BYTES 40
/* Every byte may become a four-byte \xHH; plus quotes, "..." and NUL. */
#define EXCERPT_SIZE (EXCERPT_BYTES * 4 + 8)
static void excerpt(char *out, size_t size, const char *text, size_t len)
{
	size_t n = utf8_prefix(text, len, EXCERPT_BYTES);
	char shown[EXCERPT_BYTES * 4 + 1];

	utf8_escape(shown, sizeof(shown), text, n);
	snprintf(out, size, "'%s%s'", shown, n < len ? "..." : "");
}

int schema_lookup(const struct schema *s, int map, const char *key)
{
	size_t count = ydoc_count(s->doc, map);

	if (ydoc_kind(s->doc, map) != YNODE_MAPPING)
		return 0;
	for (size_t i = 0; i < count; i++) {
		size_t len;
		const char *name = ydoc_scalar(s->doc, ydoc_key(s->doc, map, i), &len);

		if (ydoc_kind(s->doc, ydoc_key(s->doc, map, i)) == YNODE_SCALAR &&
		    strlen(key) == len && memcmp(name, key, len) == 0)
			return ydoc_value(s->doc, map, i);
	}
	return 0;
}

bool schema_map(struct schema *s, int map, const char *what,
		const char *const *keys, size_t n, int *values)
{
	size_t count;

	for (size_t k = 0; k < n; k++)
		values[k] = 0;
	if (ydoc_kind(s->doc, map) != YNODE_MAPPING) {
		schema_error(s, map, "write it as 'key: value' lines",
			     "%s must be a mapping of keys to values, not %s%s",
			     what, ydoc_kind_name(ydoc_kind(s->doc, map)), s->where);
		return false;
	}
	count = ydoc_count(s->doc, map);
	for (size_t i = 0; i < count; i++) {
		int key = ydoc_key(s->doc, map, i);
		const char *name;
		size_t len, k;
		char hint[200];

		if (ydoc_kind(s->doc, key) != YNODE_SCALAR) {
			schema_error(s, key, "keys are plain words such as 'name'",
				     "a key must be a word, not %s%s",
				     ydoc_kind_name(ydoc_kind(s->doc, key)), s->where);
			continue;
		}
		name = ydoc_scalar(s->doc, key, &len);
		for (k = 0; k < n; k++)
			if (strlen(keys[k]) == len && memcmp(keys[k], name, len) == 0)
				break;
		if (k == n) {
			char shown[EXCERPT_SIZE];

			if (schema_full(s)) {
				s->errors++;
				s->diags->dropped++;
				continue;
			}
			excerpt(shown, sizeof(shown), name, len);
			if (memchr(name, ' ', len))
				snprintf(hint, sizeof(hint), "a key is one word; if this is text, put it in \"quotes\" (a comma inside { } ends the text)");
			else if (strlen(name) == len && utf8_first_bad(name, len) == 0)
				schema_suggest(hint, sizeof(hint), name, keys, n);
			else
				schema_suggest(hint, sizeof(hint), "", keys, n);
			schema_error(s, key, hint, "unknown key %s%s", shown, s->where);
			continue;
		}
		if (values[k]) {
			snprintf(hint, sizeof(hint),
				 "remove one of them; the first is at line %d",
				 ydoc_line(s->doc, values[k]));
			schema_error(s, key, hint, "duplicate key '%s'%s", keys[k],
				     s->where);
			continue;
		}
		values[k] = ydoc_value(s->doc, map, i);
	}
	return true;
}

bool schema_int(struct schema *s, int node, const char *key, int min,
		int max, int *out)
{
	enum ynode_kind kind = ydoc_kind(s->doc, node);
	char hint[120], shown[EXCERPT_SIZE];
	const char *text;
	size_t len, i = 0;
	long long value = 0;
	bool negative = false, huge = false;

	snprintf(hint, sizeof(hint), "write a whole number from %d to %d", min, max);
	if (kind != YNODE_SCALAR) {
		schema_error(s, node, hint, "'%s' must be a number, not %s%s",
			     key, ydoc_kind_name(kind), s->where);
		return false;
	}
	text = ydoc_scalar(s->doc, node, &len);
	if (ydoc_style(s->doc, node) != YSCALAR_PLAIN) {
		if (len > 0 && len < 12 && strspn(text, "+-0123456789") == len)
			snprintf(hint, sizeof(hint), "remove the quotes: %s: %s", key, text);
		else
			snprintf(hint, sizeof(hint), "write a plain whole number from %d to %d, without quotes",
				 min, max);
		schema_error(s, node, hint, "'%s' must be a number, not quoted text%s",
			     key, s->where);
		return false;
	}
	if (len == 0) {
		schema_error(s, node, hint, "'%s' has no value%s", key, s->where);
		return false;
	}
	if (text[0] == '-' || text[0] == '+') {
		negative = text[0] == '-';
		i = 1;
	}
	/* Decimal only: YAML 1.1 would read 010 as eight and 0x10 as
	 * sixteen, a surprise in a count of reps. */
	if (i == len || (text[i] == '0' && len - i > 1))
		goto not_a_number;
	for (; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			goto not_a_number;
		if (value < 1000000000)
			value = value * 10 + (text[i] - '0');
		else
			huge = true;
	}
	if (negative)
		value = -value;
	if (huge) {
		schema_error(s, node, hint, "'%s' is far too large%s; it must be %d to %d",
			     key, s->where, min, max);
		return false;
	}
	if (value < min || value > max) {
		schema_error(s, node, hint, "'%s' is %lld%s; it must be %d to %d",
			     key, value, s->where, min, max);
		return false;
	}
	*out = (int)value;
	return true;

not_a_number:
	excerpt(shown, sizeof(shown), text, len);
	/* "reps: 8 each side": the count is per side already; sides: says
	 * which sides */
	if (memmem(text, len, "side", 4) || memmem(text, len, "each", 4))
		snprintf(hint, sizeof(hint), "write only the number for one side ('%s: 8') and add "
			 "'sides: left-right' on a line of its own", key);
	schema_error(s, node, hint, "'%s' must be a whole number, not %s%s",
		     key, shown, s->where);
	return false;
}

/* Position of byte offset off inside a scalar, for problems found in its
 * value. Skipped once nobody will read the message: it walks the source. */
static void text_pos(struct schema *s, int node, size_t off, int *line, int *col)
{
	if (schema_full(s)) {
		*line = ydoc_line(s->doc, node);
		*col = ydoc_col(s->doc, node);
		return;
	}
	ydoc_value_pos(s->doc, node, off, line, col);
}

static bool is_placeholder(const char *name, size_t len)
{
	for (size_t i = 0; i < N_PLACEHOLDERS; i++)
		if (strlen(phrase_slot_names[i]) == len &&
		    memcmp(phrase_slot_names[i], name, len) == 0)
			return true;
	return false;
}

/* Checks braces: in a name none at all, in spoken text only {known}
 * placeholders. Sets *has_placeholder. */
static bool check_braces(struct schema *s, int node, const char *key,
			 const char *text, size_t len, enum text_use use,
			 bool *has_placeholder)
{
	int line, col;

	*has_placeholder = false;
	for (size_t i = 0; i < len; i++) {
		const char *close, *best;
		size_t n;
		char name[40], hint[200];

		if (text[i] != '{' && text[i] != '}')
			continue;
		text_pos(s, node, i, &line, &col);
		if (use == TEXT_NAME) {
			schema_error_at(s, line, col,
					"names are spoken inside other lines, so they cannot hold placeholders",
					"'%c' in '%s'%s", text[i], key, s->where);
			return false;
		}
		if (text[i] == '}') {
			schema_error_at(s, line, col,
					"placeholders look like {rep}; braces cannot be plain text",
					"'}' without '{' in '%s'%s", key, s->where);
			return false;
		}
		close = memchr(text + i, '}', len - i);
		if (!close || memchr(text + i + 1, '{', (size_t)(close - (text + i + 1)))) {
			schema_error_at(s, line, col,
					"placeholders look like {rep}; braces cannot be plain text",
					"'{' without '}' in '%s'%s", key, s->where);
			return false;
		}
		n = (size_t)(close - (text + i + 1));
		if (!is_placeholder(text + i + 1, n)) {
			snprintf(name, sizeof(name), "%.*s", n < 30 ? (int)n : 30, text + i + 1);
			if (memchr(name, '{', strlen(name)))
				name[0] = '\0';
			best = name[0] ? schema_closest(name, phrase_slot_names, N_PLACEHOLDERS) : NULL;
			if (best)
				snprintf(hint, sizeof(hint), "did you mean '{%s}'?", best);
			else {
				size_t o = (size_t)snprintf(hint, sizeof(hint), "placeholders are");
				for (size_t k = 0; k < N_PLACEHOLDERS && o < sizeof(hint); k++)
					o += (size_t)snprintf(hint + o, sizeof(hint) - o, " {%s}", phrase_slot_names[k]);
			}
			schema_error_at(s, line, col, hint,
					"unknown placeholder '{%s}' in '%s'%s",
					utf8_first_bad(name, strlen(name)) ? "?" : name,
					key, s->where);
			return false;
		}
		*has_placeholder = true;
		i += n + 1;
	}
	return true;
}

bool schema_text(struct schema *s, int node, const char *key, size_t size,
		 enum text_use use, char *out)
{
	enum ynode_kind kind = ydoc_kind(s->doc, node);
	const char *text;
	size_t len, bad;
	bool has_word = false, has_placeholder;
	int line, col;

	if (kind != YNODE_SCALAR) {
		schema_error(s, node, "write the text after the key, on one line",
			     "'%s' must be text, not %s%s", key, ydoc_kind_name(kind),
			     s->where);
		return false;
	}
	text = ydoc_scalar(s->doc, node, &len);
	/* A block scalar (| or >) ends with a line break unless written |-;
	 * that one is layout, not a character to speak. */
	if (ydoc_style(s->doc, node) == YSCALAR_BLOCK)
		while (len > 0 && text[len - 1] == '\n')
			len--;
	if (len == 0) {
		schema_error(s, node, "write the text, or remove the key",
			     "'%s' is empty%s", key, s->where);
		return false;
	}
	if (len > size - 1) {
		char hint[120];

		snprintf(hint, sizeof(hint), "shorten it to %zu bytes%s", size - 1,
			 use == TEXT_SPOKEN ? ", or split it into two lines" : "");
		schema_error(s, node, hint,
			     "'%s' is %zu bytes long%s; the limit is %zu bytes",
			     key, len, s->where, size - 1);
		return false;
	}
	bad = utf8_first_bad(text, len);
	if (bad) {
		unsigned char b = (unsigned char)text[bad - 1];

		text_pos(s, node, bad - 1, &line, &col);
		if (b == '\n')
			schema_error_at(s, line, col,
					"a spoken line is one line: use '>' to fold lines, or several lines in 'intro'",
					"line break in '%s'%s", key, s->where);
		else if (b < 0x20 || b == 0x7f || (b == 0xc2 && bad < len &&
						   (unsigned char)text[bad] < 0xa0))
			schema_error_at(s, line, col,
					"remove it: spoken text must be plain text",
					"control character in '%s'%s", key, s->where);
		else
			schema_error_at(s, line, col, "save the file as UTF-8 text",
					"invalid UTF-8 in '%s'%s", key, s->where);
		return false;
	}
	if (!check_braces(s, node, key, text, len, use, &has_placeholder))
		return false;
	/* Something must be said: eSpeak NG has crashed on odd input, and a
	 * line of dots or dashes is a typo, not a cue. Any non-ASCII
	 * character counts as a word so other scripts stay usable. */
	for (size_t i = 0; i < len && !has_word; i++) {
		unsigned char c = (unsigned char)text[i];

		has_word = c >= 0x80 || (c >= '0' && c <= '9') ||
			   ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
	}
	if (!has_word && !has_placeholder) {
		schema_error(s, node, "write words, or remove the key",
			     "'%s' has nothing to say%s: only punctuation and spaces",
			     key, s->where);
		return false;
	}
	memcpy(out, text, len);
	out[len] = '\0';
	return true;
}

bool schema_enum(struct schema *s, int node, const char *key,
		 const char *const *names, size_t n, int *out)
{
	enum ynode_kind kind = ydoc_kind(s->doc, node);
	const char *text;
	char hint[200], shown[EXCERPT_SIZE];
	size_t len;

	if (kind != YNODE_SCALAR) {
		schema_suggest(hint, sizeof(hint), "", names, n);
		schema_error(s, node, hint, "'%s' must be a word, not %s%s", key,
			     ydoc_kind_name(kind), s->where);
		return false;
	}
	text = ydoc_scalar(s->doc, node, &len);
	for (size_t i = 0; i < n; i++) {
		if (strlen(names[i]) == len && memcmp(names[i], text, len) == 0) {
			*out = (int)i;
			return true;
		}
	}
	excerpt(shown, sizeof(shown), text, len);
	schema_suggest(hint, sizeof(hint),
		       strlen(text) == len && utf8_first_bad(text, len) == 0 ? text : "",
		       names, n);
	schema_error(s, node, hint, "unknown %s %s%s", key, shown, s->where);
	return false;
}

bool schema_word(struct schema *s, int node, const char *key, size_t size,
		 char *out)
{
	enum ynode_kind kind = ydoc_kind(s->doc, node);
	const char *text;
	char shown[EXCERPT_SIZE];
	size_t len;
	bool ok;

	if (kind != YNODE_SCALAR) {
		schema_error(s, node, "write one word, such as 'coach'",
			     "'%s' must be a word, not %s%s", key,
			     ydoc_kind_name(kind), s->where);
		return false;
	}
	text = ydoc_scalar(s->doc, node, &len);
	ok = len > 0 && len < size &&
	     ((text[0] >= '0' && text[0] <= '9') || ((text[0] | 0x20) >= 'a' && (text[0] | 0x20) <= 'z'));
	for (size_t i = 0; ok && i < len; i++) {
		char c = text[i];

		ok = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
		     c == '-' || c == '_';
	}
	if (!ok) {
		char hint[160];

		excerpt(shown, sizeof(shown), text, len);
		snprintf(hint, sizeof(hint),
			 "use up to %zu letters, digits, '-' and '_', starting with a letter or digit",
			 size - 1);
		schema_error(s, node, hint, "'%s' is not a valid name: %s%s", key,
			     len ? shown : "empty", s->where);
		return false;
	}
	memcpy(out, text, len);
	out[len] = '\0';
	return true;
}
