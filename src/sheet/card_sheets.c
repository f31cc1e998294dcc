/* card_sheets.c - see card_sheets.h. */
#include "sheet/card_sheets.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session/data_dir.h"
#include "session/live.h"
#include "session/session.h"
#include "sheet/sheet_drawer.h"
#include "sheet/sheet_file.h"
#include "util/child.h"
#include "util/out_file.h"
#include "util/path.h"

#ifndef REPCUE_VERSION
#define REPCUE_VERSION "dev"
#endif

_Static_assert(SHEET_DRAWER_NAME_SIZE == CARD_SHEET_NAME_MAX + 16, "a sheet's name fits a drawer's job");

/* How long a drawing child may take before it is stopped: a sheet is 0.1 s
 * on an x86 VM and several times that on a Pi Zero 2 W; this bounds a
 * child that hangs, so the coach's exit never waits for ever. */
#define DRAW_TIMEOUT_MS 120000

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

/* The main loop decides what is drawn and when, and logs what came of
 * it; the drawer's thread (sheet_drawer.h) does the drawing, and with it
 * everything that reads routines or touches the sheets folder. Each field
 * below is one thread's, as marked; the queue between them is the only
 * thing they share. */
struct card_sheets {
	/* set at open, read by both */
	const struct lobby *lb;             /* borrowed; the main loop's (only env is the drawer's to read) */
	const struct repcue_env *env;       /* borrowed, unchanging */
	char program[1024];                 /* repcue itself, run to draw */
	char out_dir[ROUTINE_DIR_PATH_MAX + 16];
	char dir[ROUTINE_DIR_PATH_MAX + 32];  /* out_dir/sheets */
	struct sheet_drawer *drawer;        /* owned */

	/* the main loop's */
	unsigned refreshes;                 /* lobby->refreshes the list was taken at */
	bool taken;                         /* the list taken at least once */
	bool report_due;
	bool failed_logged;                 /* a failure said once until a write works */
	struct sheet_drawer_job job;        /* scratch for posting */

	/* the drawer's */
	struct card_sheet_index index;      /* as in dir/index.txt */
	bool index_read, index_changed;
	int n_offered;                      /* the sheets of this pass, for the sweep */
	char offered_names[ROUTINE_LIST_MAX][SHEET_DRAWER_NAME_SIZE];
	struct routine *routine;            /* owned scratch */
	struct diag_list *diags;            /* owned scratch */
};

static bool draw(void *ctx, const struct sheet_drawer_job *job, struct sheet_drawer_result *out);

int card_sheets_open(struct card_sheets **ret, const struct lobby *lb, const char *program)
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
	cs->env = lb->env;
	if (path_format(cs->program, sizeof(cs->program), "%s", program) < 0 ||
	    path_format(cs->out_dir, sizeof(cs->out_dir), "%s", out_dir) < 0 ||
	    path_format(cs->dir, sizeof(cs->dir), "%s/" CARD_SHEETS_DIR, out_dir) < 0) {
		card_sheets_close(cs, NULL, NULL);
		return -ENAMETOOLONG;
	}
	/* the data directory is found once and kept (session.c): found here,
	 * before the drawer can look for it at the same time as the loop */
	(void)repcue_data_dir(cs->env);
	int r = sheet_drawer_open(&cs->drawer, draw, cs);
	if (r < 0) {
		card_sheets_close(cs, NULL, NULL);
		return r;
	}
	*ret = cs;
	return 0;
}

void card_sheets_session_ended(struct card_sheets *cs)
{
	if (cs)
		cs->report_due = true;
}

/* The lobby's valid routines as jobs for the drawer, each with a name of
 * its own (two files whose names clean up alike, "a.yaml" and "a.yml", or
 * differ only in case, which FAT does not tell apart, get "-2", "-3"),
 * then the sweep: BEGIN, SHEET..., SWEEP. The jobs of an older list not
 * yet started are dropped first. */
static void post_list(struct card_sheets *cs, const struct lobby *lb)
{
	static char names[ROUTINE_LIST_MAX][SHEET_DRAWER_NAME_SIZE];  /* the main loop's */
	struct sheet_drawer_job *j = &cs->job;
	int n = 0;

	sheet_drawer_drop(cs->drawer);
	memset(j, 0, sizeof(*j));
	j->kind = SHEET_DRAWER_BEGIN;
	sheet_drawer_post(cs->drawer, j);
	for (int i = 0; i < lb->n_valid && n < ROUTINE_LIST_MAX; i++) {
		char base[CARD_SHEET_NAME_MAX + 1];

		j->kind = SHEET_DRAWER_SHEET;
		snprintf(j->path, sizeof(j->path), "%s", lb->list.items[lb->valid[i]].path);
		card_sheet_name(j->path, base, sizeof(base));
		snprintf(names[n], sizeof(names[n]), "%s", base);
		for (int k = 2, clash = 1; clash; k++) {
			clash = 0;
			for (int m = 0; m < n; m++)
				clash |= strcasecmp(names[m], names[n]) == 0;
			if (clash)
				snprintf(names[n], sizeof(names[n]), "%s-%d", base, k);
		}
		memcpy(j->name, names[n], sizeof(j->name));
		sheet_drawer_post(cs->drawer, j);
		n++;
	}
	memset(j, 0, sizeof(*j));
	j->kind = SHEET_DRAWER_SWEEP;
	sheet_drawer_post(cs->drawer, j);
	cs->refreshes = lb->refreshes;
	cs->taken = true;
}

/* The report's job: the card's config.yaml, as the lobby last read it
 * (report: {...}); `repcue history --report` reads the time itself. */
static void post_report(struct card_sheets *cs, struct history *history)
{
	struct sheet_drawer_job *j = &cs->job;

	cs->report_due = false;
	if (!history)
		return;
	memset(j, 0, sizeof(*j));
	j->kind = SHEET_DRAWER_REPORT;
	j->history = history;
	j->report = (struct report_options){ .paper = SHEET_A4, .weeks = REPORT_DEFAULT_WEEKS,
					     .target = REPORT_DEFAULT_TARGET };
	const struct device_report *rp = &cs->lb->settings.report;
	if (rp->target_set)
		j->report.target = rp->target;
	if (rp->weeks_set)
		j->report.weeks = rp->weeks;
	if (rp->paper_set && rp->paper == DEVICE_PAPER_LETTER)
		j->report.paper = SHEET_LETTER;
	sheet_drawer_post(cs->drawer, j);
}

/* What a job came to, logged by the main loop: what loading a routine
 * said, and a failure once until a write works. */
static void log_result(struct card_sheets *cs, const struct sheet_drawer_result *res, FILE *log)
{
	if (res->notes[0])
		fputs(res->notes, log);
	if (res->status < 0) {
		if (!cs->failed_logged)
			fprintf(log, "repcue: cannot write %s for the card: %s\n", res->what, res->msg);
		cs->failed_logged = true;
	} else if (res->status > 0 && res->kind == SHEET_DRAWER_SHEET) {
		cs->failed_logged = false;
	}
}

/* ---- on the drawer's thread ---- */

static void read_index(struct card_sheets *cs)
{
	char path[sizeof(cs->dir) + 16];
	static char text[INDEX_TEXT_MAX];   /* the drawer's */
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

static int failed(struct sheet_drawer_result *out, const char *what, const char *msg)
{
	snprintf(out->what, sizeof(out->what), "%s", what);
	snprintf(out->msg, sizeof(out->msg), "%s", msg);
	out->status = -EIO;
	return out->status;
}

/* Runs repcue (argv[0]) to draw, as a child process: cairo, pango and
 * fontconfig, and all they allocate, then live and die with it, and the
 * coach's memory holds none of them (sheet_cairo.h). 0, or -EIO with
 * what the child said (or how it ended) in msg. */
static int run_drawing(char *const argv[], char *msg, size_t msg_size)
{
	int r = child_run(argv, NULL, DRAW_TIMEOUT_MS, msg, msg_size);
	if (r == 0)
		return 0;
	if (r > 0 && !msg[0])
		snprintf(msg, msg_size, "repcue %s %s %d", argv[1], r > 128 ? "was ended by signal" : "exited with",
			 r > 128 ? r - 128 : r);
	return -EIO;
}

/* One routine's sheet, drawn when what it is drawn from changed; what
 * loading it says goes to out->notes. */
static void sheet_job(struct card_sheets *cs, const struct sheet_drawer_job *j, struct sheet_drawer_result *out)
{
	char hash[HISTORY_HASH_MAX], key[CARD_SHEET_KEY_MAX], path[sizeof(cs->dir) + CARD_SHEET_NAME_MAX + 32];
	char msg[1024];
	struct voice_profile voice;
	struct stat st;

	if (routine_file_hash(j->path, hash, sizeof(hash)) < 0 ||
	    path_format(path, sizeof(path), "%s/%s.pdf", cs->dir, j->name) < 0)
		return;
	/* the language is the voice's: known once the routine is loaded */
	FILE *notes = fmemopen(out->notes, sizeof(out->notes), "w");
	if (!notes)
		return;
	int r = session_load_routine(&(struct session_options){ .env = cs->env }, j->path, "no sheet drawn",
				     cs->routine, &voice, cs->diags, notes);
	fclose(notes);
	if (r < 0)
		return;
	snprintf(key, sizeof(key), "%s %s %s", hash, voice.language, REPCUE_VERSION);
	if (card_sheet_index_current(&cs->index, j->name, key) && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
		return;
	r = mkdir_p(cs->dir, 0755);
	if (r < 0) {
		failed(out, cs->dir, strerror(-r));
		return;
	}
	/* out_file writes through a link: refused, as for problems.txt */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		failed(out, path, "not a plain file: remove it");
		return;
	}
	r = run_drawing((char *[]){ cs->program, "sheet", "-o", path, "--", (char *)j->path, NULL }, msg, sizeof(msg));
	if (r < 0) {
		failed(out, path, msg);
		return;
	}
	out->status = 1;
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
	for (int i = 0; i < cs->n_offered; i++)
		if (strcmp(cs->offered_names[i], name) == 0)
			return true;
	return false;
}

/* Removes the sheets of routines no longer offered; writes the index. */
static void sweep(struct card_sheets *cs, struct sheet_drawer_result *out)
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
		for (int k = 0; k < cs->n_offered; k++)
			keep |= strcmp(cs->offered_names[k], cs->index.entries[i].name) == 0;
		if (!keep) {
			card_sheet_index_set(&cs->index, cs->index.entries[i].name, NULL);
			cs->index_changed = true;
		}
	}
	if (cs->index_changed) {
		static char text[INDEX_TEXT_MAX];   /* the drawer's */
		char path[sizeof(cs->dir) + 16], msg[1024];
		size_t len = card_sheet_index_format(&cs->index, text, sizeof(text));
		if (path_format(path, sizeof(path), "%s/" CARD_SHEETS_INDEX, cs->dir) == 0 &&
		    out_file_replace(path, text, len, msg, sizeof(msg)) < 0)
			failed(out, path, msg);
		cs->index_changed = false;
	}
}

/* report.pdf beside history.csv: the history's sessions as `repcue
 * history --report` draws them. The history's queries may come from this
 * thread: its one SQLite connection is opened FULLMUTEX (history_sqlite.c)
 * and history_flush() reads two atomic counters. */
static void write_report(struct card_sheets *cs, const struct sheet_drawer_job *j, struct sheet_drawer_result *out)
{
	char path[sizeof(cs->out_dir) + 16], msg[1024];

	if (path_format(path, sizeof(path), "%s/" CARD_REPORT_NAME, cs->out_dir) < 0)
		return;
	/* what the history thread still holds of the session that ended */
	history_flush(j->history, 2000);
	char weeks[16], target[16];
	snprintf(weeks, sizeof(weeks), "%d", j->report.weeks);
	snprintf(target, sizeof(target), "%d", j->report.target);
	int r = mkdir_p(cs->out_dir, 0755);
	/* the child reads the history this process writes: the same
	 * environment names the same state folder */
	if (r == 0)
		r = run_drawing((char *[]){ cs->program, "history", "--report", path, "--weeks", weeks, "--target", target,
				       j->report.paper == SHEET_LETTER ? "--letter" : NULL, NULL },
			 msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "%s: %s", cs->out_dir, strerror(-r));
	if (r < 0)
		failed(out, path, msg);
	else
		out->status = 1;
}

/* The drawer's work function (sheet_drawer_work_fn). */
static bool draw(void *ctx, const struct sheet_drawer_job *job, struct sheet_drawer_result *out)
{
	struct card_sheets *cs = ctx;

	switch (job->kind) {
	case SHEET_DRAWER_BEGIN:
		cs->n_offered = 0;
		if (!cs->index_read)
			read_index(cs);
		return false;
	case SHEET_DRAWER_SHEET:
		if (cs->n_offered < ROUTINE_LIST_MAX)
			memcpy(cs->offered_names[cs->n_offered++], job->name, sizeof(cs->offered_names[0]));
		sheet_job(cs, job, out);
		return true;
	case SHEET_DRAWER_SWEEP:
		sweep(cs, out);
		return out->status != 0;
	case SHEET_DRAWER_REPORT:
		write_report(cs, job, out);
		return true;
	}
	return false;
}

/* ---- on the main loop ---- */

/* Whether the card folder the laptop sees is there, as for problems.txt:
 * nothing is ever written where no card folder was put. */
static bool card_there(const struct card_sheets *cs)
{
	struct stat st;
	return cs->lb->card_dir[0] && stat(cs->lb->card_dir, &st) == 0 && S_ISDIR(st.st_mode) && cs->out_dir[0];
}

void card_sheets_close(struct card_sheets *cs, struct history *history, FILE *log)
{
	struct sheet_drawer_result res;

	if (!cs)
		return;
	if (cs->drawer) {
		/* the sheets wait for the next start; the report is due now */
		sheet_drawer_drop(cs->drawer);
		if (cs->report_due && card_there(cs))
			post_report(cs, history);
		while (sheet_drawer_wait(cs->drawer, &res))
			log_result(cs, &res, log);
		sheet_drawer_close(cs->drawer);
	}
	free(cs->routine);
	free(cs->diags);
	free(cs);
}

bool card_sheets_step(struct card_sheets *cs, struct history *history, const struct live_status *st, bool asking,
		      FILE *log)
{
	const struct lobby *lb = cs ? cs->lb : NULL;
	struct sheet_drawer_result res;

	if (!cs)
		return false;
	while (sheet_drawer_take(cs->drawer, &res))
		log_result(cs, &res, log);
	/* after the lobby line, never during a session nor while a question
	 * waits: the line is said from the first block on, so a lobby a
	 * moment old that is silent has said it. A sheet in hand is
	 * finished (at the lowest priority); the next waits. */
	bool quiet = st->lobby && !st->speaking && st->now >= frames_from_ms(500) && !asking && card_there(cs);
	sheet_drawer_allow(cs->drawer, quiet);
	if (!quiet)
		return cs->report_due || sheet_drawer_busy(cs->drawer);
	if (lb->refreshes != 0 && (!cs->taken || cs->refreshes != lb->refreshes))
		post_list(cs, lb);   /* not before a list is read: not "every sheet is stale" */
	if (cs->report_due)
		post_report(cs, history);
	return sheet_drawer_busy(cs->drawer);
}
