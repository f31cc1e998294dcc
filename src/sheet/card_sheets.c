/* card_sheets.c - see card_sheets.h. */
#include "sheet/card_sheets.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "session/live.h"
#include "session/session.h"
#include "sheet/sheet_file.h"
#include "util/out_file.h"
#include "util/path.h"

#ifndef REPCUE_VERSION
#define REPCUE_VERSION "dev"
#endif

#define INDEX_TEXT_MAX (ROUTINE_LIST_MAX * 2 * (CARD_SHEET_NAME_MAX + CARD_SHEET_KEY_MAX + 24))

/* The endings of a routine file the lobby accepts, longest first. */
static const char *const routine_endings[] = { ".yaml.txt", ".yml.txt", ".yaml", ".yml", ".txt" };

static bool ends_with_ci(const char *s, size_t len, const char *end)
{
	size_t n = strlen(end);
	return len > n && strncasecmp(s + len - n, end, n) == 0;
}

char *card_sheet_name(const char *routine_path, char *out, size_t size)
{
	static const char *const reserved[] = { "CON", "PRN", "AUX", "NUL" };
	const char *base = strrchr(routine_path, '/');
	size_t len, o = 0, max = size - 1 < CARD_SHEET_NAME_MAX ? size - 1 : CARD_SHEET_NAME_MAX;

	base = base ? base + 1 : routine_path;
	len = strlen(base);
	for (size_t i = 0; i < sizeof(routine_endings) / sizeof(routine_endings[0]); i++)
		if (ends_with_ci(base, len, routine_endings[i])) {
			len -= strlen(routine_endings[i]);
			break;
		}
	/* leading dots and spaces: a hidden file, or one Windows cannot open */
	while (len > 0 && (*base == '.' || *base == ' ')) {
		base++;
		len--;
	}
	/* reserve room for a '_' prefix of a reserved name */
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)base[i];
		size_t n = 1;
		if (c >= 0x80)
			while (i + n < len && ((unsigned char)base[i + n] & 0xc0) == 0x80)
				n++;
		if (o + n > max - 1)
			break;
		if (n == 1 && (c < 0x20 || c == 0x7f || strchr("\\/:*?\"<>|", c)))
			out[o++] = '_';
		else {
			memcpy(out + o, base + i, n);
			o += n;
		}
		i += n;
	}
	while (o > 0 && (out[o - 1] == '.' || out[o - 1] == ' '))
		o--;
	out[o] = '\0';
	if (o == 0) {
		snprintf(out, size, "routine");
		return out;
	}
	/* CON, NUL, COM1, LPT1... (also before any dot: "con.backup") */
	size_t stem = strcspn(out, ".");
	bool bad = false;
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		bad |= stem == 3 && strncasecmp(out, reserved[i], 3) == 0;
	bad |= stem == 4 && (strncasecmp(out, "COM", 3) == 0 || strncasecmp(out, "LPT", 3) == 0) &&
	       out[3] >= '0' && out[3] <= '9';
	if (bad) {
		memmove(out + 1, out, o + 1);
		out[0] = '_';
	}
	return out;
}

void card_sheet_index_parse(struct card_sheet_index *idx, const char *text, size_t len)
{
	const char *end = text + len;

	idx->n = 0;
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		const char *line_end = nl ? nl : end;
		const char *tab = memchr(text, '\t', (size_t)(line_end - text));
		if (tab && idx->n < (int)(sizeof(idx->entries) / sizeof(idx->entries[0])) &&
		    (size_t)(tab - text) < sizeof(idx->entries[0].name) &&
		    (size_t)(line_end - tab - 1) < sizeof(idx->entries[0].key) && tab > text) {
			struct card_sheet_index_entry *e = &idx->entries[idx->n++];
			memcpy(e->name, text, (size_t)(tab - text));
			e->name[tab - text] = '\0';
			memcpy(e->key, tab + 1, (size_t)(line_end - tab - 1));
			e->key[line_end - tab - 1] = '\0';
		}
		text = line_end + 1;
	}
}

size_t card_sheet_index_format(const struct card_sheet_index *idx, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (int i = 0; i < idx->n; i++) {
		int n = snprintf(out + o, size - o, "%s\t%s\n", idx->entries[i].name, idx->entries[i].key);
		if (n < 0 || (size_t)n >= size - o) {
			out[o] = '\0';
			break;
		}
		o += (size_t)n;
	}
	return o;
}

static int index_find(const struct card_sheet_index *idx, const char *name)
{
	for (int i = 0; i < idx->n; i++)
		if (strcmp(idx->entries[i].name, name) == 0)
			return i;
	return -1;
}

bool card_sheet_index_current(const struct card_sheet_index *idx, const char *name, const char *key)
{
	int i = index_find(idx, name);
	return i >= 0 && strcmp(idx->entries[i].key, key) == 0;
}

void card_sheet_index_set(struct card_sheet_index *idx, const char *name, const char *key)
{
	int i = index_find(idx, name);

	if (!key) {
		if (i >= 0)
			idx->entries[i] = idx->entries[--idx->n];
		return;
	}
	if (i < 0) {
		if (idx->n == (int)(sizeof(idx->entries) / sizeof(idx->entries[0])))
			return;   /* full: drawn again next time, never wrong */
		i = idx->n++;
		snprintf(idx->entries[i].name, sizeof(idx->entries[i].name), "%s", name);
	}
	snprintf(idx->entries[i].key, sizeof(idx->entries[i].key), "%s", key);
}

/* The work of one pass over the lobby's list. */
enum stage {
	STAGE_IDLE,     /* all done until the next refresh or session */
	STAGE_SHEETS,   /* jobs[next..n) to look at */
	STAGE_SWEEP,    /* sheets of routines gone to remove, the index to write */
};

struct card_sheets {
	const struct lobby *lb;             /* borrowed */
	char out_dir[ROUTINE_DIR_PATH_MAX + 16];
	char dir[ROUTINE_DIR_PATH_MAX + 32];  /* out_dir/sheets */
	unsigned refreshes;                 /* lobby->refreshes the jobs were taken at */
	bool taken;                         /* jobs taken at least once */
	enum stage stage;
	bool report_due;
	int n, next;
	struct card_sheet_job {
		char path[ROUTINE_DIR_PATH_MAX + ROUTINE_FILE_NAME_MAX];
		char name[CARD_SHEET_NAME_MAX + 16];
	} jobs[ROUTINE_LIST_MAX];
	struct card_sheet_index index;      /* as in dir/index.txt */
	bool index_read, index_changed;
	bool failed_logged;                 /* a failure said once until a write works */
	struct routine *routine;            /* owned scratch */
	struct diag_list *diags;            /* owned scratch */
};

int card_sheets_open(struct card_sheets **ret, const struct lobby *lb)
{
	struct card_sheets *cs = calloc(1, sizeof(*cs));
	const char *out_dir = lb->out_dir[0] ? lb->out_dir : lb->card_dir;

	*ret = NULL;
	if (!cs)
		return -ENOMEM;
	cs->routine = malloc(sizeof(*cs->routine));
	cs->diags = malloc(sizeof(*cs->diags));
	if (!cs->routine || !cs->diags) {
		card_sheets_close(cs, NULL, NULL);
		return -ENOMEM;
	}
	cs->lb = lb;
	if (path_format(cs->out_dir, sizeof(cs->out_dir), "%s", out_dir) < 0 ||
	    path_format(cs->dir, sizeof(cs->dir), "%s/" CARD_SHEETS_DIR, out_dir) < 0) {
		card_sheets_close(cs, NULL, NULL);
		return -ENAMETOOLONG;
	}
	*ret = cs;
	return 0;
}

void card_sheets_session_ended(struct card_sheets *cs)
{
	if (cs)
		cs->report_due = true;
}

/* The lobby's valid routines as jobs, each with a name of its own (two
 * files whose names clean up alike, "a.yaml" and "a.yml", or differ only
 * in case, which FAT does not tell apart, get "-2", "-3"). */
static void take_jobs(struct card_sheets *cs, const struct lobby *lb)
{
	cs->n = 0;
	for (int i = 0; i < lb->n_valid && cs->n < ROUTINE_LIST_MAX; i++) {
		struct card_sheet_job *j = &cs->jobs[cs->n];
		char base[CARD_SHEET_NAME_MAX + 1];

		snprintf(j->path, sizeof(j->path), "%s", lb->list.items[lb->valid[i]].path);
		card_sheet_name(j->path, base, sizeof(base));
		snprintf(j->name, sizeof(j->name), "%s", base);
		for (int k = 2, clash = 1; clash; k++) {
			clash = 0;
			for (int m = 0; m < cs->n; m++)
				clash |= strcasecmp(cs->jobs[m].name, j->name) == 0;
			if (clash)
				snprintf(j->name, sizeof(j->name), "%s-%d", base, k);
		}
		cs->n++;
	}
	cs->next = 0;
	cs->stage = STAGE_SHEETS;
	cs->refreshes = lb->refreshes;
	cs->taken = true;
}

static void read_index(struct card_sheets *cs)
{
	char path[sizeof(cs->dir) + 16];
	static char text[INDEX_TEXT_MAX];
	size_t len = 0;

	cs->index.n = 0;
	cs->index_read = true;
	if (path_format(path, sizeof(path), "%s/" CARD_SHEETS_INDEX, cs->dir) < 0)
		return;
	FILE *f = fopen(path, "rbe");
	if (!f)
		return;
	len = fread(text, 1, sizeof(text), f);
	fclose(f);
	card_sheet_index_parse(&cs->index, text, len);
}

static void failed(struct card_sheets *cs, FILE *log, const char *what, const char *msg)
{
	if (!cs->failed_logged)
		fprintf(log, "repcue: cannot write %s for the card: %s\n", what, msg);
	cs->failed_logged = true;
}

/* One routine's sheet, drawn when what it is drawn from changed. */
static void sheet_job(struct card_sheets *cs, const struct card_sheet_job *j, FILE *log)
{
	char hash[HISTORY_HASH_MAX], key[CARD_SHEET_KEY_MAX], path[sizeof(cs->dir) + CARD_SHEET_NAME_MAX + 32];
	char msg[1024];
	struct voice_profile voice;
	struct stat st;

	if (routine_file_hash(j->path, hash, sizeof(hash)) < 0 ||
	    path_format(path, sizeof(path), "%s/%s.pdf", cs->dir, j->name) < 0)
		return;
	/* the language is the voice's: known once the routine is loaded */
	if (session_load_routine(&(struct session_options){ .env = cs->lb->env }, j->path, "no sheet drawn",
				 cs->routine, &voice, cs->diags, log) < 0)
		return;
	snprintf(key, sizeof(key), "%s %s %s", hash, voice.language, REPCUE_VERSION);
	if (card_sheet_index_current(&cs->index, j->name, key) && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
		return;
	int r = mkdir_p(cs->dir, 0755);
	if (r < 0) {
		failed(cs, log, cs->dir, strerror(-r));
		return;
	}
	/* out_file writes through a link: refused, as for problems.txt */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		failed(cs, log, path, "not a plain file: remove it");
		return;
	}
	r = sheet_write_file(cs->routine, phrasebook_find(voice.language), SHEET_A4, path, SHEET_PDF, NULL, NULL,
			     msg, sizeof(msg));
	if (r < 0) {
		failed(cs, log, path, msg);
		return;
	}
	cs->failed_logged = false;
	card_sheet_index_set(&cs->index, j->name, key);
	cs->index_changed = true;
}

/* Whether name.pdf is the sheet of a routine offered now. */
static bool offered(const struct card_sheets *cs, const char *file)
{
	char name[CARD_SHEET_NAME_MAX + 16];
	size_t len = strlen(file);

	if (len < 5 || strcmp(file + len - 4, ".pdf") != 0 || len - 4 >= sizeof(name))
		return true;   /* not a sheet: left alone */
	memcpy(name, file, len - 4);
	name[len - 4] = '\0';
	for (int i = 0; i < cs->n; i++)
		if (strcmp(cs->jobs[i].name, name) == 0)
			return true;
	return false;
}

/* Removes the sheets of routines no longer offered; writes the index. */
static void sweep(struct card_sheets *cs, FILE *log)
{
	DIR *d = opendir(cs->dir);
	struct dirent *de;

	if (!d)
		return;   /* no sheet was ever drawn */
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || offered(cs, de->d_name))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0) {
			char name[CARD_SHEET_NAME_MAX + 16];
			snprintf(name, sizeof(name), "%.*s", (int)(strlen(de->d_name) - 4), de->d_name);
			card_sheet_index_set(&cs->index, name, NULL);
			cs->index_changed = true;
		}
	}
	closedir(d);
	/* names in the index whose sheet is gone or not offered */
	for (int i = cs->index.n - 1; i >= 0; i--) {
		bool keep = false;
		for (int k = 0; k < cs->n; k++)
			keep |= strcmp(cs->jobs[k].name, cs->index.entries[i].name) == 0;
		if (!keep) {
			card_sheet_index_set(&cs->index, cs->index.entries[i].name, NULL);
			cs->index_changed = true;
		}
	}
	if (cs->index_changed) {
		static char text[INDEX_TEXT_MAX];
		char path[sizeof(cs->dir) + 16], msg[1024];
		size_t len = card_sheet_index_format(&cs->index, text, sizeof(text));
		if (path_format(path, sizeof(path), "%s/" CARD_SHEETS_INDEX, cs->dir) == 0 &&
		    out_file_replace(path, text, len, msg, sizeof(msg)) < 0)
			failed(cs, log, path, msg);
		cs->index_changed = false;
	}
}

/* report.pdf beside history.csv: the history's sessions as `repcue
 * history --report` draws them, with the card's report: settings. */
static void write_report(struct card_sheets *cs, struct history *history, FILE *log)
{
	char path[sizeof(cs->out_dir) + 16], msg[1024];
	time_t now = time(NULL);
	struct tm tm;

	cs->report_due = false;
	if (!history || path_format(path, sizeof(path), "%s/" CARD_REPORT_NAME, cs->out_dir) < 0)
		return;
	/* what the history thread still holds of the session that ended */
	history_flush(history, 2000);
	struct report_options opts = { .paper = SHEET_A4, .weeks = REPORT_DEFAULT_WEEKS,
				       .target = REPORT_DEFAULT_TARGET, .now_s = (int64_t)now,
				       .utc_offset_s = localtime_r(&now, &tm) ? tm.tm_gmtoff : 0 };
	/* the card's config.yaml, as the lobby last read it: report: {...} */
	const struct device_report *rp = &cs->lb->settings.report;
	if (rp->target_set)
		opts.target = rp->target;
	if (rp->weeks_set)
		opts.weeks = rp->weeks;
	if (rp->paper_set && rp->paper == DEVICE_PAPER_LETTER)
		opts.paper = SHEET_LETTER;
	int r = mkdir_p(cs->out_dir, 0755);
	if (r == 0)
		r = report_write_file(history, &opts, path, SHEET_PDF, NULL, NULL, msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "%s: %s", cs->out_dir, strerror(-r));
	if (r < 0)
		failed(cs, log, path, msg);
}

/* Whether the card folder the laptop sees is there, as for problems.txt:
 * nothing is ever written where no card folder was put. */
static bool card_there(const struct card_sheets *cs)
{
	struct stat st;
	return cs->lb->card_dir[0] && stat(cs->lb->card_dir, &st) == 0 && S_ISDIR(st.st_mode) && cs->out_dir[0];
}

void card_sheets_close(struct card_sheets *cs, struct history *history, FILE *log)
{
	if (!cs)
		return;
	if (cs->report_due && card_there(cs))
		write_report(cs, history, log);
	free(cs->routine);
	free(cs->diags);
	free(cs);
}

bool card_sheets_step(struct card_sheets *cs, struct history *history, const struct live_status *st, FILE *log)
{
	const struct lobby *lb = cs ? cs->lb : NULL;

	if (!cs)
		return false;
	/* after the lobby line, never during a session: the line is said
	 * from the first block on, so a lobby a moment old that is silent
	 * has said it */
	if (!st->lobby || st->speaking || st->now < frames_from_ms(500) || !card_there(cs))
		return cs->stage != STAGE_IDLE || cs->report_due;
	if (cs->report_due) {
		write_report(cs, history, log);
		return true;
	}
	if (lb->refreshes == 0)
		return false;   /* no list read yet: not "every sheet is stale" */
	if (!cs->taken || cs->refreshes != lb->refreshes) {
		take_jobs(cs, lb);
		if (!cs->index_read)
			read_index(cs);
	}
	switch (cs->stage) {
	case STAGE_SHEETS:
		if (cs->next < cs->n) {
			sheet_job(cs, &cs->jobs[cs->next++], log);
			return true;
		}
		cs->stage = STAGE_SWEEP;
		return true;
	case STAGE_SWEEP:
		sweep(cs, log);
		cs->stage = STAGE_IDLE;
		return false;
	case STAGE_IDLE:
		break;
	}
	return false;
}
