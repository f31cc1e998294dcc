/* lobby.c - the routine chooser's list: scan, check, name the bad files
 * aloud once, pick the routine to wait with (session/lobby.h). */
#include "session/lobby.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "routine/diag.h"
#include "routine/routine_load.h"
#include "session/problems_text.h"
#include "session/session.h"
#include "util/out_file.h"
#include "util/utf8.h"

void lobby_say(struct lobby *lb, enum phrase_id id, const struct routine_entry *skipped, int number)
{
	if (lb->n_notes == (int)(sizeof(lb->notes) / sizeof(lb->notes[0])))
		return;
	struct lobby_note *n = &lb->notes[lb->n_notes++];
	n->id = id;
	n->number = number;
	if (skipped)
		n->skipped = *skipped;
}

/* Appends line to notes (at *o) when it fits before limit. */
static bool notes_add(char *notes, size_t size, size_t *o, size_t limit, const char *line)
{
	if (*o + strlen(line) + 2 >= limit)
		return false;
	*o += (size_t)snprintf(notes + *o, size - *o, "%s%s", *o ? " " : "", line);
	return true;
}

/* The file name of the routine at `path` when another valid routine on
 * the list has the same name, else NULL. */
static const char *twin_file(const struct lobby *lb, const char *path)
{
	const struct routine_entry *self = NULL;

	for (int i = 0; lb && path && i < lb->list.count; i++)
		if (strcmp(lb->list.items[i].path, path) == 0)
			self = &lb->list.items[i];
	if (!self || self->status != 0)
		return NULL;
	for (int i = 0; i < lb->list.count; i++) {
		const struct routine_entry *e = &lb->list.items[i];
		if (e != self && e->status == 0 && strcmp(e->name, self->name) == 0)
			return self->file;
	}
	return NULL;
}

/* A note about a setting, named as written in config.yaml. */
static bool names_a_setting(enum phrase_id id)
{
	return id == PHRASE_BAD_SETTING_AT || id == PHRASE_SETTING_FAILED_AT || id == PHRASE_KEEP_CONFIG_AT;
}

/* A note naming a file or setting that was skipped, or how many were. */
static bool names_what_was_skipped(enum phrase_id id)
{
	return id == PHRASE_SKIP_ROUTINE_AT || id == PHRASE_SKIP_CONFIG_AT || id == PHRASE_MORE_BAD ||
	       names_a_setting(id);
}

void lobby_compose(struct lobby *lb, const struct phrasebook *book, const char *first,
		   enum phrase_id lobby, int number, int total, const struct lobby_routine *routine,
		   char *out, size_t size)
{
	char notes[LOBBY_NOTES_TEXT_MAX] = "", line[PLAN_TEXT_MAX];
	size_t o = 0;

	/* first: the files named after it get what room is left */
	if (first && first[0] && strlen(first) + 1 < sizeof(notes))
		o = (size_t)snprintf(notes, sizeof(notes), "%s", first);
	int unnamed = 0;   /* bad files not named: counted in "N more files" */
	bool pointer = false;   /* "Details are in problems.txt": after the files */

	/* room kept for the count of the files not named and for where the
	 * details are, so a file is never left out without a word */
	plan_expand(line, sizeof(line), phrase_text(book, PHRASE_MORE_BAD),
		    &(struct placeholder_values){ .number = ROUTINE_LIST_MAX, .book = book });
	size_t room_for_count = strlen(line) + 1 + strlen(phrase_text(book, PHRASE_PROBLEMS_ON_CARD)) + 1;
	/* the skipped files first, then their count and where the details
	 * are, then what the lobby does about it (no routine left...) */
	for (int i = 0; lb && i < lb->n_notes; i++) {
		const struct lobby_note *n = &lb->notes[i];
		if (n->id == PHRASE_MORE_BAD)
			unnamed += n->number;
		else if (n->id == PHRASE_PROBLEMS_ON_CARD)
			pointer = true;
		if (names_a_setting(n->id)) {
			/* the setting as written, as a file name is said */
			char name[sizeof(n->skipped.file) * 4];

			routine_entry_spoken_name(&n->skipped, name, sizeof(name));
			plan_expand(line, sizeof(line), phrase_text(book, n->id),
				    &(struct placeholder_values){ .name = name, .number = n->skipped.line, .book = book });
			if (!notes_add(notes, sizeof(notes), &o, sizeof(notes) - room_for_count, line))
				unnamed++;
			continue;
		}
		if (n->id != PHRASE_SKIP_ROUTINE_AT && n->id != PHRASE_SKIP_CONFIG_AT)
			continue;
		routine_entry_skip_line_in(&n->skipped, n->id == PHRASE_SKIP_CONFIG_AT, book, line, sizeof(line));
		if (!notes_add(notes, sizeof(notes), &o, sizeof(notes) - room_for_count, line))
			unnamed++;
	}
	if (unnamed) {
		plan_expand(line, sizeof(line), phrase_text(book, PHRASE_MORE_BAD),
			    &(struct placeholder_values){ .number = unnamed, .book = book });
		notes_add(notes, sizeof(notes), &o, sizeof(notes), line);
	}
	if (pointer) {
		plan_expand(line, sizeof(line), phrase_text(book, PHRASE_PROBLEMS_ON_CARD),
			    &(struct placeholder_values){ .book = book });
		notes_add(notes, sizeof(notes), &o, sizeof(notes), line);
	}
	for (int i = 0; lb && i < lb->n_notes; i++) {
		const struct lobby_note *n = &lb->notes[i];
		if (names_what_was_skipped(n->id) || n->id == PHRASE_PROBLEMS_ON_CARD)
			continue;
		plan_expand(line, sizeof(line), phrase_text(book, n->id),
			    &(struct placeholder_values){ .number = n->number, .book = book });
		notes_add(notes, sizeof(notes), &o, sizeof(notes), line);
	}
	if (lb)
		lb->n_notes = 0;
	/* the name as loaded; a twin on the list is told apart by its file */
	char from[PLAN_TEXT_MAX / 2], name[sizeof(from) + ROUTINE_NAME_MAX + 8];
	const char *twin = routine ? twin_file(lb, routine->path) : NULL;
	snprintf(name, sizeof(name), "%s", routine && routine->name ? routine->name : "");
	if (twin) {
		plan_expand(from, sizeof(from), phrase_text(book, PHRASE_FROM_FILE),
			    &(struct placeholder_values){ .name = twin, .book = book });
		snprintf(name, sizeof(name), "%s, %s", routine->name ? routine->name : "", from);
	}
	struct placeholder_values v = { .name = name, .number = number, .total = total, .book = book };
	plan_expand(line, sizeof(line), phrase_text(book, lobby), &v);
	snprintf(out, size, "%s%s%s", notes, notes[0] ? " " : "", line);
}

/* How routines find their voices: the card's voices folder, then the
 * packaged one. */
static struct routine_load_options voice_options(const struct lobby *lb, char *card, size_t size)
{
	if (!lb->card_dir[0] || (size_t)snprintf(card, size, "%s/voices", lb->card_dir) >= size)
		card[0] = '\0';
	return (struct routine_load_options){ .voices_dir = lb->voices_dir, .card_voices_dir = card };
}

/* The card's config.yaml as it is now: whether it exists, its size and
 * a hash of its content (a FAT time has 2 s steps: an edit within them
 * is still seen). */
static struct lobby_file_sig file_sig(const char *path)
{
	struct lobby_file_sig sig = { .hash = 14695981039346656037ULL };
	unsigned char buf[4096];
	FILE *f = fopen(path, "rbe");
	size_t n;

	if (!f)
		return sig;
	sig.exists = true;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		sig.size += (long long)n;
		for (size_t i = 0; i < n; i++)
			sig.hash = (sig.hash ^ buf[i]) * 1099511628211ULL;
	}
	fclose(f);
	return sig;
}

static void card_config_path(const struct lobby *lb, char *out, size_t size)
{
	snprintf(out, size, "%s/config.yaml", lb->card_dir);
}

/* A problem with the settings' voice, as `repcue check` words one. */
static void voice_problem(struct lobby *lb, const char *path, const char *file)
{
	char hint[200];
	const struct device_config *cfg = &lb->settings;
	struct diag_list *found = &lb->diags;
	struct voice_profile vp;
	int ret = voice_profile_load(path, &vp, found);

	if (ret == 0)
		return;
	if (ret == -ENOENT)
		snprintf(hint, sizeof(hint), "copy %.40s.yaml into the card's voices folder (repcue/voices), "
			 "or remove 'voice' to use each routine's own", cfg->voice);
	else
		snprintf(hint, sizeof(hint), "fix the problems of %.150s", path);
	diag_add(&lb->card_config_problems, file, cfg->voice_line, cfg->voice_line ? cfg->voice_col : 0, hint,
		 ret == -ENOENT ? "voice profile '%s' not found" : "voice profile '%s' cannot be used", cfg->voice);
	if (lb->settings.n_skipped < DEVICE_CONFIG_SKIPPED_MAX) {
		struct device_setting_skip *k = &lb->settings.skipped[lb->settings.n_skipped++];
		snprintf(k->setting, sizeof(k->setting), "voice");
		k->line = cfg->voice_line;
	}
}

void lobby_settings_use(struct lobby *lb, const struct device_config *cfg, const struct routine_entry *skipped,
			FILE *log)
{
	char path[sizeof(lb->card_dir) + 16], voice[ROUTINE_DIR_PATH_MAX * 2 + DEVICE_CONFIG_VOICE_MAX + 8];
	char card[sizeof(lb->card_dir) + 8];
	bool from_card;

	card_config_path(lb, path, sizeof(path));
	lb->settings = *cfg;
	if (lb->card_dir[0])
		lb->config_sig = file_sig(path);
	from_card = lb->card_dir[0] && strcmp(cfg->file, path) == 0;
	lb->config_kept = false;
	if (skipped && skipped->status != 0) {
		lb->card_config = LOBBY_CONFIG_SKIPPED;
		lobby_say(lb, PHRASE_SKIP_CONFIG_AT, skipped, 0);
	} else {
		lb->card_config = from_card ? LOBBY_CONFIG_USED : LOBBY_CONFIG_ABSENT;
		if (!from_card)
			diag_list_init(&lb->card_config_problems);
	}
	if (cfg->voice[0]) {
		struct routine_load_options opts = voice_options(lb, card, sizeof(card));
		size_t before = (size_t)lb->card_config_problems.count;

		if (voice_profile_path(&opts, cfg->voice, voice, sizeof(voice)) == 0)
			voice_problem(lb, voice, cfg->file);
		if ((size_t)lb->card_config_problems.count > before) {
			diag_print(log, &lb->card_config_problems.items[before]);
			lb->settings.voice[0] = '\0';   /* the routines' own voices */
		}
	}
	if (!from_card)
		return;
	/* each setting left at its default, named once, after any file */
	for (int i = 0; i < lb->settings.n_skipped; i++) {
		struct routine_entry e = { .status = -EINVAL, .line = lb->settings.skipped[i].line };
		snprintf(e.file, sizeof(e.file), "%s", lb->settings.skipped[i].setting);
		lobby_say(lb, PHRASE_BAD_SETTING_AT, &e, 0);
	}
}

/* The card's config.yaml again when it changed since it was last read. */
static void reload_settings(struct lobby *lb, FILE *log)
{
	char path[sizeof(lb->card_dir) + 16];
	struct routine_entry skipped = { 0 };
	static struct device_config cfg;   /* large; the lobby runs on one thread */

	if (!lb->watch_config || !lb->card_dir[0])
		return;
	card_config_path(lb, path, sizeof(path));
	struct lobby_file_sig sig = file_sig(path);
	if (sig.exists == lb->config_sig.exists && sig.size == lb->config_sig.size && sig.hash == lb->config_sig.hash)
		return;
	if (session_load_config(lb->env, NULL, &cfg, &lb->diags, &skipped, &lb->card_config_problems, log) < 0)
		device_config_init(&cfg);   /* /etc's is broken too: the built-in settings */
	if (skipped.status != 0) {
		/* A file that is no config at all (a half-saved edit, a typo in
		 * its structure) leaves the settings that worked until now: the
		 * volume, voice and buttons the person had, not the Pi's. Said
		 * aloud once and kept in problems.txt until the file changes. */
		fprintf(log, "repcue: %s changed but cannot be used (see above); keeping the settings before\n",
			path);
		lb->config_sig = sig;
		lb->card_config = LOBBY_CONFIG_SKIPPED;
		lb->config_kept = true;
		snprintf(skipped.file, sizeof(skipped.file), "config.yaml");
		lobby_say(lb, PHRASE_KEEP_CONFIG_AT, &skipped, 0);
		return;
	}
	fprintf(log, "repcue: %s changed: volume %.1f dB, beeps %.1f dB, voice %s, language %s\n", path,
		(double)cfg.volume_db, (double)cfg.beeps_db, cfg.voice[0] ? cfg.voice : "(each routine's own)",
		cfg.language[0] ? cfg.language : "(the voice's own)");
	lobby_settings_use(lb, &cfg, &skipped, log);
}

/* Keeps e's first problem (the diags routine_entry_check() left, already
 * escaped) for lobby_problems(). */
static void note_problem(struct lobby *lb, const struct routine_entry *e)
{
	struct lobby_problem *pr = &lb->problems[lb->n_problems++];
	const struct diag *d = lb->diags.count ? &lb->diags.items[0] : NULL;

	pr->entry = e;
	/* the whole first problem too, for problems.txt; a file that could
	 * not be read has no diag: the reason, for the whole file */
	pr->more = d ? lb->diags.count - 1 + lb->diags.dropped : 0;
	if (d) {
		pr->first = *d;
	} else {
		pr->first = (struct diag){ 0 };
		utf8_escape(pr->first.file, sizeof(pr->first.file), e->path, strlen(e->path));
		snprintf(pr->first.message, sizeof(pr->first.message), "%s", e->status == -EINVAL ?
			 "has a problem" : strerror(-e->status));
	}
	if (!d)
		snprintf(pr->message, sizeof(pr->message), "%s", e->status == -EINVAL ?
			 "has a problem" : strerror(-e->status));
	else if (d->line > 0)
		snprintf(pr->message, sizeof(pr->message), "line %d: %s", d->line, d->message);
	else
		snprintf(pr->message, sizeof(pr->message), "%s", d->message);
}

/* Lists and checks every routine file; a bad file not reported before is
 * named aloud at the next lobby line and all its problems go to the log
 * (the journal) as file:line:col. */
void lobby_refresh(struct lobby *lb, FILE *log)
{
	struct diag_list *dir_problems = &lb->diags;
	int skipped = 0, unsaid = 0;

	reload_settings(lb, log);
	lb->prev = lb->list;
	routine_list_scan(&lb->search, &lb->list, dir_problems);
	lb->scan_problems = *dir_problems;
	for (int i = 0; i < dir_problems->count; i++)
		diag_print(log, &dir_problems->items[i]);
	if (lb->list.dropped)
		fprintf(log, "repcue: %d more routine files than the %d the chooser offers; those are left out\n",
			lb->list.dropped, ROUTINE_LIST_MAX);
	lb->n_valid = 0;
	lb->n_problems = 0;
	for (int i = 0; i < lb->list.count; i++) {
		struct routine_entry *e = &lb->list.items[i];
		char card[sizeof(lb->card_dir) + 8];
		struct routine_load_options opts = voice_options(lb, card, sizeof(card));
		if (routine_entry_check_with(e, &opts, &lb->scratch, &lb->diags) == 0) {
			lb->valid[lb->n_valid++] = i;
			continue;
		}
		note_problem(lb, e);
		if (routine_entry_reported(&lb->prev, e))
			continue;
		for (int k = 0; k < lb->diags.count; k++)
			diag_print(log, &lb->diags.items[k]);
		fprintf(log, "repcue: %s: skipped; the other routines stay available\n",
			utf8_escape((char[sizeof(e->path) * 4]){ 0 }, sizeof(e->path) * 4,
				    e->path, strlen(e->path)));
		if (skipped++ < SKIP_LINES_MAX)
			lobby_say(lb, PHRASE_SKIP_ROUTINE_AT, e, 0);
		else
			unsaid++;
	}
	if (unsaid) {
		lobby_say(lb, PHRASE_MORE_BAD, NULL, unsaid);
		fprintf(log, "repcue: named aloud: the first %d skipped files; and %d more files have problems "
			"(each named above)\n", SKIP_LINES_MAX, unsaid);
	}
	lb->refreshes++;
	lobby_write_problems(lb, log);
}

/* Whether path holds exactly text (a missing or different file: no). */
static bool file_holds(const char *path, const char *text, size_t len)
{
	char have[PROBLEMS_TEXT_MAX + 1];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return false;
	n = fread(have, 1, sizeof(have), f);
	fclose(f);
	return n == len && memcmp(have, text, len) == 0;
}

/* Whether a note naming a skipped file waits for the next lobby line. */
static bool file_named_aloud(const struct lobby *lb)
{
	for (int i = 0; i < lb->n_notes; i++)
		if (names_what_was_skipped(lb->notes[i].id))
			return true;
	return false;
}

int lobby_write_problems(struct lobby *lb, FILE *log)
{
	char text[PROBLEMS_TEXT_MAX], path[sizeof(lb->out_dir) + sizeof(PROBLEMS_FILE_NAME) + 1];
	char msg[1024] = "";
	struct stat st;
	size_t len;
	int ret;

	/* the folder the laptop sees; never created here, so nothing is
	 * ever written where no card folder was put */
	if (!lb->card_dir[0] || stat(lb->card_dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return -ENOENT;
	/* the outbox is the coach's own: made here (0755: the copier reads it) */
	if (lb->out_dir[0] && (ret = mkdir_p(lb->out_dir, 0755)) < 0) {
		snprintf(msg, sizeof(msg), "%s: %s", lb->out_dir, strerror(-ret));
		goto failed;
	}
	snprintf(path, sizeof(path), "%s/%s", lb->out_dir[0] ? lb->out_dir : lb->card_dir, PROBLEMS_FILE_NAME);
	/* out_file writes through a link to its target: refused here, so
	 * nothing outside the card folder is ever written (and a FIFO is
	 * never read) */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(msg, sizeof(msg), "%s is not a plain file: remove it", path);
		ret = -EEXIST;
		goto failed;
	}
	len = problems_text_compose(lb, text, sizeof(text));
	if (file_holds(path, text, len)) {
		ret = 0;
		goto done;
	}
	/* (it sweeps the temporary of a writer the power cut killed) */
	ret = out_file_replace(path, text, len, msg, sizeof(msg));
	if (ret < 0)
		goto failed;
done:
	lb->problems_write_failed = false;
	if (file_named_aloud(lb))
		lobby_say(lb, PHRASE_PROBLEMS_ON_CARD, NULL, 0);   /* lobby_compose(): after the files */
	return ret;
failed:
	if (!lb->problems_write_failed)
		fprintf(log, "repcue: cannot write the card's problem list: %s; the problems are in this log only\n",
			msg[0] ? msg : strerror(-ret));
	lb->problems_write_failed = true;
	return ret;
}

int lobby_problems(const struct lobby *lb, const struct lobby_problem **out)
{
	*out = lb->problems;
	return lb->n_problems;
}

bool lobby_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (strcmp(a, b) == 0)
		return true;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Index in lb->valid of the routine at path, -1 if it is not a valid
 * routine of the list. */
int lobby_find(const struct lobby *lb, const char *path)
{
	for (int i = 0; i < lb->n_valid; i++)
		if (lobby_same_file(lb->list.items[lb->valid[i]].path, path))
			return i;
	return -1;
}

/* Whether path is in the list but was found bad. */
bool lobby_bad(const struct lobby *lb, const char *path)
{
	for (int i = 0; i < lb->list.count; i++)
		if (lb->list.items[i].status != 0 && lobby_same_file(lb->list.items[i].path, path))
			return true;
	return false;
}

/* The routine to wait with after a refresh: want if still valid (or not
 * from the list at all), else the first valid one, else the packaged
 * default, which is then said. */
const char *lobby_pick(struct lobby *lb, const char *want)
{
	if (want && !lobby_bad(lb, want) && (lobby_find(lb, want) >= 0 || access(want, R_OK) == 0))
		return want;
	if (lb->n_valid > 0)
		return lb->list.items[lb->valid[0]].path;
	lobby_say(lb, PHRASE_NO_ROUTINE, NULL, 0);
	return lb->fallback;
}

void lobby_note_music(struct lobby *lb, const struct music_problems *mp, FILE *log)
{
	static struct diag_list now;   /* large; the lobby runs on one thread */
	char file[sizeof(mp->items[0].file) + 8];

	memset(&now, 0, sizeof(now));   /* whole: the lists are compared bytewise */
	diag_list_init(&now);
	for (int i = 0; i < mp->count; i++) {
		snprintf(file, sizeof(file), "music/%s", mp->items[i].file);
		diag_add(&now, file, 0, 0, mp->items[i].hint, "%s", mp->items[i].message);
	}
	now.dropped += mp->dropped;
	if (now.count == lb->music_problems.count && now.dropped == lb->music_problems.dropped &&
	    memcmp(now.items, lb->music_problems.items, (size_t)now.count * sizeof(now.items[0])) == 0)
		return;
	lb->music_problems = now;
	lobby_write_problems(lb, log);
}
