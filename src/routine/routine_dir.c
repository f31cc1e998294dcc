#include "routine/routine_dir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "routine/routine_load.h"
#include "core/plan.h"
#include "util/path.h"
#include "util/utf8.h"

/* A directory too long to hold is left out: -ENAMETOOLONG. */
static int add_dir(struct routine_search *s, const char *fmt, const char *dir)
{
	if (s->n_dirs >= ROUTINE_DIRS_MAX || !dir || !dir[0])
		return 0;
	if (path_format(s->dirs[s->n_dirs], ROUTINE_DIR_PATH_MAX, fmt, dir) < 0)
		return -ENAMETOOLONG;
	s->n_dirs++;
	return 0;
}

int routine_search_init(struct routine_search *s, const char *config_dir, const char *boot_dir,
			const char *sysconf_dir, const char *packaged_dir)
{
	int r = 0;

	memset(s, 0, sizeof(*s));
	if (packaged_dir && path_format(s->packaged, sizeof(s->packaged), "%s", packaged_dir) < 0)
		r = -ENAMETOOLONG;
	if (config_dir && config_dir[0])
		return add_dir(s, "%s", config_dir) < 0 ? -ENAMETOOLONG : r;
	if (add_dir(s, "%s/repcue/routines", boot_dir) < 0)
		r = -ENAMETOOLONG;
	if (add_dir(s, "%s", sysconf_dir) < 0)
		r = -ENAMETOOLONG;
	if (add_dir(s, "%s", packaged_dir) < 0)
		r = -ENAMETOOLONG;
	return r;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static bool has_routine_extension(const char *name)
{
	return ends_with_ci(name, ".yaml") || ends_with_ci(name, ".yml");
}

/* The one table of what laptops leave behind on a FAT partition. Dot
 * files cover ._* (macOS AppleDouble: binary resource forks named like
 * the file, e.g. ._shoulders.yaml), .DS_Store, .Trashes, .Spotlight-V100;
 * "System Volume Information" and "$RECYCLE.BIN" (Windows) are
 * directories, which are never taken anyway. */
static const struct {
	const char *text;
	enum { JUNK_PREFIX, JUNK_SUFFIX } where;
} junk[] = {
	{ ".", JUNK_PREFIX },      /* dot files: ._*, .DS_Store, editors' .swp */
	{ "~$", JUNK_PREFIX },     /* Office and WordPad lock files */
	{ "~", JUNK_SUFFIX },      /* editor backups: shoulders.yaml~ */
	{ ".tmp", JUNK_SUFFIX },   /* half-written copies */
};

bool routine_file_wanted(const char *file_name)
{
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		size_t n = strlen(file_name), k = strlen(junk[i].text);
		if (junk[i].where == JUNK_PREFIX && strncmp(file_name, junk[i].text, k) == 0)
			return false;
		if (junk[i].where == JUNK_SUFFIX && n >= k && strcasecmp(file_name + n - k, junk[i].text) == 0)
			return false;
	}
	return has_routine_extension(file_name);
}

/* Names a laptop gives a routine: Notepad appends .txt (hidden by
 * Windows), TextEdit saves Rich Text, Word and LibreOffice their own
 * documents. stem_of: how much of the name is the routine's NAME. */
static const struct {
	const char *suffix;
	const char *problem;
} misnamed[] = {
	{ ".yaml.txt", "saved as %s (Windows hides the .txt): rename it to %.*s.yaml" },
	{ ".yml.txt", "saved as %s (Windows hides the .txt): rename it to %.*s.yaml" },
	{ ".txt", "%s is not read as a routine: if it is one, rename it to %.*s.yaml" },
	{ ".rtf", "%s is a Rich Text file: save it as plain text, named %.*s.yaml" },
	{ ".docx", "%s is a Word document: save it as plain text (.txt), then rename it to %.*s.yaml" },
	{ ".doc", "%s is a Word document: save it as plain text (.txt), then rename it to %.*s.yaml" },
	{ ".odt", "%s is a word-processor document: save it as plain text (.txt), then rename it to %.*s.yaml" },
};

bool routine_file_misnamed(const char *file_name, char *out, size_t size)
{
	size_t n = strlen(file_name);

	if (file_name[0] == '.' || strncmp(file_name, "~$", 2) == 0 || routine_file_wanted(file_name))
		return false;
	for (size_t i = 0; i < sizeof(misnamed) / sizeof(misnamed[0]); i++) {
		size_t k = strlen(misnamed[i].suffix);
		if (n > k && ends_with_ci(file_name, misnamed[i].suffix)) {
			snprintf(out, size, misnamed[i].problem, file_name, (int)(n - k), file_name);
			return true;
		}
	}
	return false;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int find_in(const char *dir, const char *name, char *out, size_t size)
{
	static const char *const ext[] = { "", ".yaml", ".yml" };

	for (size_t i = has_routine_extension(name) ? 0 : 1; i < sizeof(ext) / sizeof(ext[0]); i++) {
		if (snprintf(out, size, "%s/%s%s", dir, name, ext[i]) >= (int)size)
			return -ENAMETOOLONG;
		if (is_file(out))
			return 0;
		if (i == 0)
			break; /* has the extension: no other to try */
	}
	return -ENOENT;
}

int routine_search_find(const struct routine_search *s, const char *name, char *out, size_t size)
{
	if (snprintf(out, size, "%s", name) >= (int)size)
		return -ENAMETOOLONG;
	if (strchr(name, '/'))
		return is_file(name) ? 0 : -ENOENT;
	if (has_routine_extension(name) && is_file(name))
		return 0;
	for (int i = 0; i < s->n_dirs; i++)
		if (find_in(s->dirs[i], name, out, size) == 0)
			return 0;
	if (s->packaged[0] && find_in(s->packaged, name, out, size) == 0)
		return 0;
	snprintf(out, size, "%s", name);
	return -ENOENT;
}

static bool listed(const struct routine_list *l, const char *file)
{
	for (int i = 0; i < l->count; i++)
		if (strcmp(l->items[i].file, file) == 0)
			return true;
	return false;
}

static int scan_dir(const char *dir, struct routine_list *out, struct diag_list *problems)
{
	struct dirent **entries;
	int n = scandir(dir, &entries, NULL, alphasort);

	if (n < 0) {
		int err = errno;
		if (err != ENOENT && problems)
			diag_add(problems, dir, 0, 0, "check that the folder holds routine files and can be read",
				 "cannot read the folder: %s; its routines are left out", strerror(err));
		return -err;
	}
	for (int i = 0; i < n; i++) {
		const char *file = entries[i]->d_name;
		char path[sizeof(out->items[0].path)];
		struct stat st;

		/* stat, not d_type: FAT and network file systems may report
		 * DT_UNKNOWN. A file that vanishes here is simply not listed. */
		char misnamed_fix[ROUTINE_FILE_NAME_MAX * 2 + 100];
		if (problems && routine_file_misnamed(file, misnamed_fix, sizeof(misnamed_fix)) &&
		    snprintf(path, sizeof(path), "%s/%s", dir, file) < (int)sizeof(path))
			diag_add(problems, path, 0, 0, misnamed_fix, "not offered as a routine");
		if (routine_file_wanted(file) && !listed(out, file) && strlen(file) < ROUTINE_FILE_NAME_MAX &&
		    snprintf(path, sizeof(path), "%s/%s", dir, file) < (int)sizeof(path) &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (out->count < ROUTINE_LIST_MAX) {
				struct routine_entry *e = &out->items[out->count++];
				memset(e, 0, sizeof(*e));
				snprintf(e->path, sizeof(e->path), "%s", path);
				snprintf(e->file, sizeof(e->file), "%s", file);
				e->mtime = st.st_mtim;
				e->size = (long long)st.st_size;
			} else {
				out->dropped++;
			}
		}
		free(entries[i]);
	}
	free(entries);
	return 0;
}

int routine_list_scan(const struct routine_search *s, struct routine_list *out,
		      struct diag_list *problems)
{
	out->count = 0;
	out->dropped = 0;
	if (problems)
		diag_list_init(problems);
	for (int i = 0; i < s->n_dirs; i++)
		scan_dir(s->dirs[i], out, problems);
	return out->count;
}

int routine_entry_check(struct routine_entry *e, const char *voices_dir, struct routine *scratch,
			struct diag_list *diags)
{
	struct routine_load_options opts = { .voices_dir = voices_dir };

	return routine_entry_check_with(e, &opts, scratch, diags);
}

int routine_entry_check_with(struct routine_entry *e, const struct routine_load_options *opts,
			     struct routine *scratch, struct diag_list *diags)
{
	struct stat st;

	/* the time and size of the version checked, before reading it */
	if (stat(e->path, &st) == 0) {
		e->mtime = st.st_mtim;
		e->size = (long long)st.st_size;
	}
	e->name[0] = '\0';
	e->line = e->col = 0;
	e->status = routine_load_with(e->path, opts, scratch, diags);
	if (e->status == 0) {
		snprintf(e->name, sizeof(e->name), "%s", scratch->name);
	} else if (diags->count > 0) {
		diag_list_sort(diags);
		/* the first problem of the file itself, not of its voice profile */
		int k = 0;
		for (int i = 0; i < diags->count; i++)
			if (strcmp(diags->items[i].file, e->path) == 0) {
				k = i;
				break;
			}
		e->line = diags->items[k].line;
		e->col = diags->items[k].col;
	}
	return e->status;
}

bool routine_entry_reported(const struct routine_list *prev, const struct routine_entry *e)
{
	for (int i = 0; i < prev->count; i++) {
		const struct routine_entry *p = &prev->items[i];
		if (p->status != 0 && strcmp(p->path, e->path) == 0 && p->size == e->size &&
		    p->mtime.tv_sec == e->mtime.tv_sec && p->mtime.tv_nsec == e->mtime.tv_nsec)
			return true;
	}
	return false;
}

const char *routine_entry_spoken_name(const struct routine_entry *e, char *out, size_t size)
{
	char shown[ROUTINE_FILE_NAME_MAX * 4];
	size_t k = 0;

	/* a name is text for a voice: escaped as every diagnostic is, so a
	 * newline, a control character or bytes that are not UTF-8 never
	 * reach eSpeak NG or the transcript raw; braces would be placeholders */
	utf8_escape(shown, sizeof(shown), e->file, strlen(e->file));
	for (const char *c = shown; *c && k + 1 < size; c++)
		if (*c != '{' && *c != '}')
			out[k++] = *c;
	if (size)
		out[k] = '\0';
	return out;
}

void routine_entry_skip_line_in(const struct routine_entry *e, bool config,
				const struct phrasebook *book, char *out, size_t size)
{
	char file[ROUTINE_FILE_NAME_MAX * 4];
	enum phrase_id id;

	routine_entry_spoken_name(e, file, sizeof(file));
	if (e->status == -EINVAL && e->line > 0)
		id = config ? PHRASE_SKIP_CONFIG_AT : PHRASE_SKIP_ROUTINE_AT;
	else if (e->status == -EINVAL)
		id = config ? PHRASE_SKIP_CONFIG : PHRASE_SKIP_ROUTINE;
	else
		id = config ? PHRASE_SKIP_CONFIG_UNREADABLE : PHRASE_SKIP_ROUTINE_UNREADABLE;
	struct placeholder_values v = { .name = file, .number = e->line, .book = book };
	plan_expand(out, size, phrase_text(book, id), &v);
}

void routine_entry_skip_line(const struct routine_entry *e, const char *what, char *out, size_t size)
{
	routine_entry_skip_line_in(e, strcmp(what, "Config file") == 0, NULL, out, size);
}
