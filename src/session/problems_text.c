/* problems_text.c - the text of problems.txt (session/problems_text.h). */
#include "session/problems_text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

/* Room kept at the end for "... and N more files, not listed here." */
#define TAIL_ROOM 80

/* The text being built: items (a file and what became of it) go in
 * whole or not at all, so a cut never leaves half a message. */
struct text {
	char *out;
	size_t size, len;
	int lines;
	int unlisted;     /* items that did not fit */
	const char *card; /* lb->card_dir escaped, "" for none */
};

/* One item, "\n"-terminated lines, before it goes into the text. */
struct item {
	char buf[PROBLEMS_TEXT_MAX];
	size_t len;
};

static void item_add(struct item *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void item_add(struct item *it, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (it->len >= sizeof(it->buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(it->buf + it->len, sizeof(it->buf) - it->len, fmt, ap);
	va_end(ap);
	it->len = n < 0 ? it->len : it->len + (size_t)n;
}

/* Appends it with CRLF endings, or counts it as unlisted when it (and
 * the tail line) would pass the caps; once one did not fit, none after
 * it goes in either, so the list never skips a file and shows a later one. */
static void text_put(struct text *t, const struct item *it, bool counted)
{
	size_t len = it->len < sizeof(it->buf) ? it->len : sizeof(it->buf) - 1;
	size_t need = len;
	int lines = 0;

	for (size_t i = 0; i < len; i++)
		if (it->buf[i] == '\n') {
			lines++;
			need++;
		}
	if (t->unlisted || t->len + need + TAIL_ROOM >= t->size ||
	    t->lines + lines + 1 > PROBLEMS_TEXT_LINES_MAX) {
		t->unlisted += counted;
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (it->buf[i] == '\n')
			t->out[t->len++] = '\r';
		t->out[t->len++] = it->buf[i];
	}
	t->out[t->len] = '\0';
	t->lines += lines;
}

/* A path as the laptop sees the card folder: relative to it when inside. */
static const char *shown(const struct text *t, const char *escaped_path)
{
	size_t n = strlen(t->card);

	if (n && strncmp(escaped_path, t->card, n) == 0 && escaped_path[n] == '/')
		return escaped_path + n + 1;
	return escaped_path;
}

/* A problem in `repcue check`'s words, its file shown as above. */
static void item_diag(struct item *it, const struct text *t, const struct diag *d, int more)
{
	struct diag local = *d;

	snprintf(local.file, sizeof(local.file), "%s", shown(t, d->file));
	int n = diag_format(it->buf + it->len, sizeof(it->buf) - it->len, &local);
	it->len += n < 0 ? 0 : (size_t)n;
	if (more == 1)
		item_add(it, "  (and 1 more problem in this file: fix this one first)\n");
	else if (more > 1)
		item_add(it, "  (and %d more problems in this file: fix this one first)\n", more);
}

size_t problems_text_compose(const struct lobby *lb, char *out, size_t size)
{
	char card[sizeof(lb->card_dir) * 4], path[sizeof(lb->list.items[0].path) * 4];
	struct text t = { .out = out, .size = size < PROBLEMS_TEXT_MAX ? size : PROBLEMS_TEXT_MAX, .card = card };
	struct item it;
	const struct lobby_problem *pr = lb->problems;   /* as lobby_problems() gives them */
	int n_bad = lb->n_problems;
	bool config_skipped = lb->card_config == LOBBY_CONFIG_SKIPPED;
	const struct diag_list *music = &lb->music_problems;
	int n_skipped = n_bad + lb->scan_problems.count + config_skipped + music->count + music->dropped;
	/* settings of a card config that is used, left at their defaults */
	const struct diag_list *settings = &lb->card_config_problems;
	int n_settings = lb->card_config == LOBBY_CONFIG_USED ? settings->count + settings->dropped : 0;
	/* settings understood that do not work on this Pi (the player's) */
	const struct diag_list *failed = &lb->setting_failures;
	int n_failed = failed->count + failed->dropped;

	if (size == 0)
		return 0;
	out[0] = '\0';
	utf8_escape(card, sizeof(card), lb->card_dir, strlen(lb->card_dir));

	it.len = 0;
	if (n_skipped == 0 && n_settings == 0 && n_failed == 0)
		item_add(&it, "No problems.\n");
	if (n_skipped)
		item_add(&it, "%d %s a problem and %s skipped until it is fixed; everything else is used.\n",
			 n_skipped, n_skipped == 1 ? "file has" : "files have", n_skipped == 1 ? "it is" : "they are");
	if (n_settings)
		item_add(&it, "%d %s in config.yaml %s not understood and left at the default; every other "
			 "setting is used.\n", n_settings, n_settings == 1 ? "setting" : "settings",
			 n_settings == 1 ? "is" : "are");
	if (n_failed)
		item_add(&it, "%d %s in config.yaml %s not work on this Pi; the coach keeps going without %s.\n",
			 n_failed, n_failed == 1 ? "setting" : "settings", n_failed == 1 ? "does" : "do",
			 n_failed == 1 ? "it" : "them");
	if (n_skipped || n_settings || n_failed)
		item_add(&it, "Fix the file on this card (the line and the fix are below), then put the card back:\n"
			 "the coach reads it again when it next waits for the start button.\n");
	text_put(&t, &it, false);

	if (config_skipped && lb->card_config_problems.count > 0) {
		it.len = 0;
		item_add(&it, lb->config_kept ? "\nSettings skipped (the settings from before config.yaml changed are "
			 "kept):\n" : "\nSettings skipped (the settings of the Pi are used instead):\n");
		item_diag(&it, &t, &lb->card_config_problems.items[0],
			  lb->card_config_problems.count - 1 + lb->card_config_problems.dropped);
		text_put(&t, &it, true);
	}
	for (int i = 0; i < lb->scan_problems.count; i++) {
		it.len = 0;
		item_add(&it, "\nSkipped:\n");
		item_diag(&it, &t, &lb->scan_problems.items[i], 0);
		text_put(&t, &it, true);
	}
	for (int i = 0; i < n_bad; i++) {
		it.len = 0;
		item_add(&it, "\nSkipped:\n");
		item_diag(&it, &t, &pr[i].first, pr[i].more);
		text_put(&t, &it, true);
	}
	for (int i = 0; i < music->count; i++) {
		it.len = 0;
		item_add(&it, "\nMusic skipped (the other tracks play):\n");
		item_diag(&it, &t, &music->items[i], i == music->count - 1 ? music->dropped : 0);
		text_put(&t, &it, true);
	}
	for (int i = 0; i < settings->count && n_settings; i++) {
		it.len = 0;
		if (i == 0)
			item_add(&it, "\nSettings left at the default (every other setting is used):\n");
		item_diag(&it, &t, &settings->items[i], i == settings->count - 1 ? settings->dropped : 0);
		text_put(&t, &it, true);
	}
	for (int i = 0; i < failed->count; i++) {
		it.len = 0;
		if (i == 0)
			item_add(&it, "\nSettings that do not work here:\n");
		item_diag(&it, &t, &failed->items[i], i == failed->count - 1 ? failed->dropped : 0);
		text_put(&t, &it, true);
	}
	if (lb->card_config == LOBBY_CONFIG_USED) {
		const struct device_config *c = &lb->settings;
		char voice[sizeof(c->voice) * 4];

		utf8_escape(voice, sizeof(voice), c->voice, strlen(c->voice));
		it.len = 0;
		item_add(&it, "\nSettings used: config.yaml (volume %.1f dB, beeps %.1f dB, voice %s%s%s)\n",
			 (double)c->volume_db, (double)c->beeps_db, c->voice[0] ? voice : "of each routine",
			 c->language[0] ? ", language " : "", c->language);
		text_put(&t, &it, true);
	}
	for (int i = 0; i < lb->n_valid; i++) {
		const struct routine_entry *e = &lb->list.items[lb->valid[i]];
		char name[sizeof(e->name) * 4];
		it.len = 0;
		if (i == 0)
			item_add(&it, "\nOffered by the start button:\n");
		utf8_escape(path, sizeof(path), e->path, strlen(e->path));
		utf8_escape(name, sizeof(name), e->name, strlen(e->name));
		item_add(&it, "  %s (%s)\n", shown(&t, path), name);
		text_put(&t, &it, true);
	}
	if (lb->n_valid == 0) {
		it.len = 0;
		item_add(&it, "\nNo routine can be offered: the coach plays its built-in routine.\n");
		text_put(&t, &it, false);
	}
	if (t.unlisted) {
		int n = snprintf(out + t.len, t.size - t.len, "... and %d more %s, not listed here.\r\n",
				 t.unlisted, t.unlisted == 1 ? "file" : "files");
		t.len += n < 0 ? 0 : (size_t)n;
	}
	return t.len;
}
