/* test_routine_dir.c - routines found on an SD card's boot partition after
 * a trip through a laptop: the search path and its order, names that hide
 * each other, what macOS and Windows leave behind, a UTF-8 BOM, CRLF line
 * ends, a file saved in another encoding, a file that disappears between
 * the listing and the reading, a folder that cannot be read, and the line
 * said aloud for a skipped file. Real files in a temporary directory.
 *
 * usage: test_routine_dir SOURCE_DIR   (for voices/ and a valid routine) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "routine/routine_dir.h"
#include "routine/routine_load.h"

/* What a case parses into, made for the case (fixture_new) and freed after
 * it, so that no case reads what an earlier one left. */
struct fixture {
	struct routine scratch;
	struct diag_list diags;
	struct routine_list list;
};

static struct fixture *fixture_new(void)
{
	return FIXTURE_CALLOC(sizeof(struct fixture));
}

/* set once in main() and only read: the tree the cases make their folders
 * in, the voices folder, and tests/system/tiny.yaml's text */
static char tmp[256], voices[512], tiny[4096];

static void write_file(const char *path, const char *prefix, const char *text, const char *suffix)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(prefix, f);
	fputs(text, f);
	fputs(suffix, f);
	fclose(f);
}

/* tiny with its name replaced and every \n written as \r\n when crlf */
static void write_routine(const char *dir, const char *file, const char *name, const char *bom, bool crlf)
{
	char path[600], text[sizeof(tiny) * 2];
	size_t o = 0;
	const char *at = strstr(tiny, "name: Tiny");

	o += (size_t)snprintf(text, sizeof(text), "%.*s", (int)(at - tiny), tiny);
	o += (size_t)snprintf(text + o, sizeof(text) - o, "name: %s", name);
	for (const char *c = at + strlen("name: Tiny"); *c && o + 3 < sizeof(text); c++) {
		if (*c == '\n' && crlf)
			text[o++] = '\r';
		text[o++] = *c;
	}
	text[o] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	write_file(path, bom, text, "");
}

static void mkdirs(const char *path)
{
	char p[512];
	snprintf(p, sizeof(p), "%s", path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

static const struct routine_entry *entry(struct fixture *fx, const char *file)
{
	for (int i = 0; i < fx->list.count; i++)
		if (strcmp(fx->list.items[i].file, file) == 0)
			return &fx->list.items[i];
	return NULL;
}

static void test_wanted(void)
{
	static const struct {
		const char *name;
		bool wanted;
	} cases[] = {
		{ "shoulders.yaml", true },
		{ "Shoulders.YAML", true },       /* Windows may save it so */
		{ "legs.yml", true },
		{ "._shoulders.yaml", false },    /* macOS AppleDouble */
		{ ".DS_Store", false },
		{ ".hidden.yaml", false },
		{ "~$shoulders.yaml", false },    /* Office lock file */
		{ "shoulders.yaml~", false },
		{ "shoulders.yaml.tmp", false },
		{ "shoulders.tmp", false },
		{ "README.txt", false },
		{ "config.txt", false },
		{ "System Volume Information", false },
		{ "yaml", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(routine_file_wanted(cases[i].name) == cases[i].wanted, "'%s' %s", cases[i].name,
		      cases[i].wanted ? "is a routine file" : "is not a routine file");
}

/* Issue 19 item 4: what a laptop does to a routine's name is named, with
 * the fix, by the one function the lobby and `repcue check` share. */
static void test_misnamed(void)
{
	static const struct {
		const char *name;
		const char *fix;   /* substring; NULL: not named */
	} cases[] = {
		{ "shoulders.yaml.txt", "rename it to shoulders.yaml" },
		{ "Shoulders.YML.TXT", "rename it to Shoulders.yaml" },
		{ "legs.txt", "if it is one, rename it to legs.yaml" },
		{ "legs.rtf", "Rich Text file: save it as plain text" },
		{ "legs.docx", "Word document: save it as plain text" },
		{ "legs.doc", "Word document" },
		{ "legs.odt", "save it as plain text" },
		{ "legs.yaml", NULL },          /* taken: nothing to say */
		{ "legs.yml", NULL },
		{ "._legs.yaml.txt", NULL },    /* macOS AppleDouble */
		{ "~$legs.docx", NULL },        /* Office lock file */
		{ ".txt", NULL },
		{ "photo.jpg", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[600] = "";
		bool named = routine_file_misnamed(cases[i].name, out, sizeof(out));
		CHECK(named == (cases[i].fix != NULL), "'%s' %s", cases[i].name, named ? "named" : "not named");
		if (cases[i].fix)
			CHECK(strstr(out, cases[i].fix) != NULL, "'%s': %s", cases[i].name, out);
	}
}

/* A folder whose path does not fit is left out and said to be, never
 * searched under a shorter name that is another folder (issue 18). */
static void test_too_long(void)
{
	char boot[ROUTINE_DIR_PATH_MAX];
	struct routine_search s;

	memset(boot, 'b', sizeof(boot) - 1);
	boot[0] = '/';
	boot[sizeof(boot) - 1] = '\0';
	/* <boot>/repcue/routines is 17 bytes over */
	CHECK(routine_search_init(&s, NULL, boot + 10, "/etc/repcue/routines", "/usr/share/repcue/routines") ==
	      -ENAMETOOLONG, "an over-long boot folder is an error");
	CHECK(s.n_dirs == 2 && strcmp(s.dirs[0], "/etc/repcue/routines") == 0 &&
	      strcmp(s.dirs[1], "/usr/share/repcue/routines") == 0, "the rest is searched (%d)", s.n_dirs);
	CHECK(routine_search_init(&s, NULL, "/boot", "/etc/repcue/routines", NULL) == 0 && s.n_dirs == 2,
	      "fits");
	char config[ROUTINE_DIR_PATH_MAX + 10];
	memset(config, 'c', sizeof(config) - 1);
	config[0] = '/';
	config[sizeof(config) - 1] = '\0';
	CHECK(routine_search_init(&s, config, NULL, NULL, "/p") == -ENAMETOOLONG && s.n_dirs == 0,
	      "an over-long routines.dir: nothing searched under a cut name");
}

/* The card, /etc and the package, each with routines; the card's copy of
 * a name hides the others. */
static void test_fat_cases(struct fixture *fx)
{
	char boot[300], card[400], etc[400], pkg[400], path[700];
	struct routine_search s;

	snprintf(boot, sizeof(boot), "%s/boot", tmp);
	snprintf(card, sizeof(card), "%s/repcue/routines", boot);
	snprintf(etc, sizeof(etc), "%s/etc/repcue/routines", tmp);
	snprintf(pkg, sizeof(pkg), "%s/usr/share/repcue/routines", tmp);
	mkdirs(card);
	mkdirs(etc);
	mkdirs(pkg);

	write_routine(card, "bom.yaml", "Card BOM", "\xef\xbb\xbf", false);
	write_routine(card, "crlf.yaml", "Card CRLF", "", true);
	write_routine(card, "both.yaml", "Card both", "\xef\xbb\xbf", true);
	write_routine(card, "Shared.yaml", "Card shared", "", false);
	/* Latin-1 (Windows-1252) é in the safety line, line 7 */
	{
		char text[sizeof(tiny)];
		snprintf(text, sizeof(text), "%s", tiny);
		char *hurts = strstr(text, "hurts");
		if (hurts)
			hurts[1] = (char)0xe9;
		snprintf(path, sizeof(path), "%s/latin1.yaml", card);
		write_file(path, "", text, "");
	}
	/* macOS: an AppleDouble file beside each copied file (binary), and
	 * .DS_Store; Windows: System Volume Information, a lock file, a
	 * half-written copy. None of them may show up, nor be reported. */
	snprintf(path, sizeof(path), "%s/._bom.yaml", card);
	write_file(path, "\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ", "\x00\x01", "");
	snprintf(path, sizeof(path), "%s/.DS_Store", card);
	write_file(path, "\x00\x00\x00\x01" "Bud1", "", "");
	snprintf(path, sizeof(path), "%s/~$bom.yaml", card);
	write_file(path, "\x05" "user ", "", "");
	snprintf(path, sizeof(path), "%s/copy.yaml.tmp", card);
	write_file(path, "repcue: 1\nna", "", "");
	snprintf(path, sizeof(path), "%s/System Volume Information", card);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/System Volume Information/IndexerVolumeGuid.yaml", card);
	write_file(path, "{", "", "");
	snprintf(path, sizeof(path), "%s/folder.yaml", card);
	mkdir(path, 0755);

	write_routine(etc, "shared.yaml", "Etc shared", "", false);   /* other case: not hidden */
	write_routine(etc, "Shared.yaml", "Etc Shared", "", false);   /* hidden by the card's */
	write_routine(etc, "admin.yaml", "Etc admin", "", false);
	write_routine(pkg, "upper-back-1.yaml", "Packaged one", "", false);
	write_routine(pkg, "admin.yaml", "Packaged admin", "", false);

	routine_search_init(&s, NULL, boot, etc, pkg);
	CHECK(s.n_dirs == 3 && strcmp(s.dirs[0], card) == 0 && strcmp(s.dirs[1], etc) == 0 &&
	      strcmp(s.dirs[2], pkg) == 0, "search order: card, /etc, package");
	int n = routine_list_scan(&s, &fx->list, &fx->diags);
	CHECK(fx->diags.count == 0, "no folder problems: %d", fx->diags.count);
	static const char *const want[] = { "Shared.yaml", "bom.yaml", "both.yaml", "crlf.yaml", "latin1.yaml",
					    "admin.yaml", "shared.yaml", "upper-back-1.yaml" };
	CHECK(n == (int)(sizeof(want) / sizeof(want[0])), "%d files listed", n);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]) && (int)i < n; i++)
		CHECK(strcmp(fx->list.items[i].file, want[i]) == 0, "file %zu: %s, want %s", i, fx->list.items[i].file,
		      want[i]);

	for (int i = 0; i < fx->list.count; i++)
		routine_entry_check(&fx->list.items[i], voices, &fx->scratch, &fx->diags);
	const struct routine_entry *e;
	CHECK((e = entry(fx, "bom.yaml")) && e->status == 0 && strcmp(e->name, "Card BOM") == 0, "a UTF-8 BOM is accepted");
	CHECK((e = entry(fx, "crlf.yaml")) && e->status == 0 && strcmp(e->name, "Card CRLF") == 0, "CRLF is accepted");
	CHECK((e = entry(fx, "both.yaml")) && e->status == 0, "BOM and CRLF together (Notepad) are accepted");
	CHECK((e = entry(fx, "Shared.yaml")) && e->status == 0 && strcmp(e->name, "Card shared") == 0,
	      "the card's Shared.yaml hides /etc's");
	CHECK((e = entry(fx, "admin.yaml")) && strstr(e->path, "/etc/") && strcmp(e->name, "Etc admin") == 0,
	      "/etc's admin.yaml hides the package's");
	e = entry(fx, "latin1.yaml");
	CHECK(e && e->status == -EINVAL && e->line == 7, "Latin-1 text: -EINVAL on line 7 (%d, line %d)",
	      e ? e->status : 0, e ? e->line : 0);
	if (e) {
		struct routine_entry copy = *e;
		routine_entry_check(&copy, voices, &fx->scratch, &fx->diags);
		CHECK(fx->diags.count >= 1 && strstr(fx->diags.items[0].message, "UTF-8") &&
		      strstr(fx->diags.items[0].hint, "UTF-8") && fx->diags.items[0].line == 7 && fx->diags.items[0].col > 0,
		      "the message says the text is not UTF-8 and how to fix it: %s / %s",
		      fx->diags.count ? fx->diags.items[0].message : "", fx->diags.count ? fx->diags.items[0].hint : "");
		char line[300];
		routine_entry_skip_line(e, "Routine file", line, sizeof(line));
		CHECK(strcmp(line, "Routine file latin1.yaml has a problem on line 7. Skipping it.") == 0,
		      "spoken: %s", line);
	}

	/* by name: the card's copy first, then /etc, then the package */
	char found[700];
	CHECK(routine_search_find(&s, "crlf", found, sizeof(found)) == 0 && strstr(found, "/boot/repcue/routines/crlf.yaml"),
	      "crlf by name: %s", found);
	CHECK(routine_search_find(&s, "admin", found, sizeof(found)) == 0 && strstr(found, "/etc/repcue/routines/admin.yaml"),
	      "admin by name from /etc: %s", found);
	CHECK(routine_search_find(&s, "upper-back-1", found, sizeof(found)) == 0 &&
	      strstr(found, "/usr/share/repcue/routines/upper-back-1.yaml"), "upper-back-1 from the package: %s", found);
	CHECK(routine_search_find(&s, "admin.yaml", found, sizeof(found)) == 0 && strstr(found, "/etc/"),
	      "admin.yaml, not in the current directory, by name: %s", found);
	CHECK(routine_search_find(&s, "nothing-such", found, sizeof(found)) == -ENOENT &&
	      strcmp(found, "nothing-such") == 0, "an unknown name: -ENOENT, named as given");
	snprintf(path, sizeof(path), "%s/bom.yaml", card);
	CHECK(routine_search_find(&s, path, found, sizeof(found)) == 0 && strcmp(found, path) == 0, "a path is a path");
	CHECK(routine_search_find(&s, "no/such.yaml", found, sizeof(found)) == -ENOENT, "a missing path is not searched");

	/* routines.dir of the config replaces the path; the package stays
	 * the last resort for names */
	routine_search_init(&s, etc, boot, etc, pkg);
	CHECK(s.n_dirs == 1 && strcmp(s.dirs[0], etc) == 0, "routines.dir alone is listed");
	CHECK(routine_search_find(&s, "upper-back-1", found, sizeof(found)) == 0 && strstr(found, "/usr/share/"),
	      "the packaged default is still found by name: %s", found);
}

/* A file listed, then deleted (the card pulled, a laptop sync) before it
 * is read: skipped as unreadable, nothing else disturbed. */
static void test_vanished(struct fixture *fx)
{
	char dir[300], path[400], line[300];
	struct routine_search s;

	snprintf(dir, sizeof(dir), "%s/vanish", tmp);
	mkdirs(dir);
	write_routine(dir, "gone.yaml", "Gone", "", false);
	write_routine(dir, "stays.yaml", "Stays", "", false);
	routine_search_init(&s, dir, NULL, NULL, NULL);
	CHECK(routine_list_scan(&s, &fx->list, &fx->diags) == 2, "two listed");
	snprintf(path, sizeof(path), "%s/gone.yaml", dir);
	unlink(path);
	int r0 = routine_entry_check(&fx->list.items[0], voices, &fx->scratch, &fx->diags);
	int r1 = routine_entry_check(&fx->list.items[1], voices, &fx->scratch, &fx->diags);
	CHECK(r0 == -ENOENT && fx->list.items[0].line == 0, "the vanished file: -ENOENT (%d)", r0);
	CHECK(r1 == 0, "the other one still loads (%d)", r1);
	routine_entry_skip_line(&fx->list.items[0], "Routine file", line, sizeof(line));
	CHECK(strcmp(line, "Routine file gone.yaml cannot be read. Skipping it.") == 0, "spoken: %s", line);

	/* the line goes through placeholder expansion: no braces from a name */
	struct routine_entry odd = { .status = -EINVAL, .line = 3 };
	snprintf(odd.file, sizeof(odd.file), "{name}.yaml");
	routine_entry_skip_line(&odd, "Routine file", line, sizeof(line));
	CHECK(strcmp(line, "Routine file name.yaml has a problem on line 3. Skipping it.") == 0, "spoken: %s", line);
}

/* A file name is text for a voice: a newline, an escape sequence or bytes
 * that are not UTF-8 reach eSpeak NG and the transcript only escaped. */
static void test_name_escaped(void)
{
	struct routine_entry odd = { .status = -EINVAL, .line = 2 };
	char line[600];

	snprintf(odd.file, sizeof(odd.file), "a\nb\x1b[2J\xff.yaml");
	routine_entry_skip_line(&odd, "Routine file", line, sizeof(line));
	CHECK(strcmp(line, "Routine file a\\x0ab\\x1b[2J\\xff.yaml has a problem on line 2. Skipping it.") == 0,
	      "spoken, escaped: %s", line);
}

/* A folder the service's user may not read (a root-only 0700 folder):
 * reported, and the other folders still listed. As root, the scan runs in
 * a child that drops to nobody, since root reads anything. */
static void test_unreadable_dir(struct fixture *fx)
{
	char boot[300], card[400], other[300];
	struct routine_search s;

	snprintf(boot, sizeof(boot), "%s/locked", tmp);
	snprintf(card, sizeof(card), "%s/repcue/routines", boot);
	snprintf(other, sizeof(other), "%s/open", tmp);
	mkdirs(card);
	mkdirs(other);
	write_routine(card, "secret.yaml", "Secret", "", false);
	write_routine(other, "open.yaml", "Open", "", false);
	chmod(tmp, 0755);
	chmod(card, 0700);
	routine_search_init(&s, NULL, boot, other, NULL);

	pid_t pid = fork();
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(3);
		int n = routine_list_scan(&s, &fx->list, &fx->diags);
		bool ok = n == 1 && strcmp(fx->list.items[0].file, "open.yaml") == 0 && fx->diags.count == 1 &&
			  strcmp(fx->diags.items[0].file, card) == 0 && fx->diags.items[0].line == 0 &&
			  strstr(fx->diags.items[0].message, "Permission denied");
		if (!ok && fx->diags.count)
			diag_print(stderr, &fx->diags.items[0]);
		_exit(ok ? 0 : 1);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "an unreadable folder is reported (Permission denied) and skipped; the others listed (child %d)",
	      WIFEXITED(status) ? WEXITSTATUS(status) : -1);

	/* a folder that does not exist is no problem at all */
	routine_search_init(&s, NULL, "/nonexistent-boot", other, NULL);
	CHECK(routine_list_scan(&s, &fx->list, &fx->diags) == 1 && fx->diags.count == 0, "a missing card folder: quietly skipped");
}

/* A bad file is named aloud once: the next lobby entry says it again only
 * if it changed. */
static void test_reported(struct fixture *fx)
{
	static struct routine_list prev;
	char dir[300], path[400];
	struct routine_search s;

	snprintf(dir, sizeof(dir), "%s/reported", tmp);
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/bad.yaml", dir);
	write_file(path, "repcue: 1\nname: [\n", "", "");
	routine_search_init(&s, dir, NULL, NULL, NULL);
	routine_list_scan(&s, &prev, &fx->diags);
	routine_entry_check(&prev.items[0], voices, &fx->scratch, &fx->diags);
	routine_list_scan(&s, &fx->list, &fx->diags);
	routine_entry_check(&fx->list.items[0], voices, &fx->scratch, &fx->diags);
	CHECK(fx->list.items[0].status == -EINVAL && routine_entry_reported(&prev, &fx->list.items[0]),
	      "the same bad file: already reported");
	write_file(path, "repcue: 1\nname: [\n\n", "", "");
	routine_list_scan(&s, &fx->list, &fx->diags);
	routine_entry_check(&fx->list.items[0], voices, &fx->scratch, &fx->diags);
	CHECK(!routine_entry_reported(&prev, &fx->list.items[0]), "changed: reported again");
}

/* The lobby's scan reports a misnamed routine (never silently ignored)
 * and does not offer it. */
static void test_misnamed_scan(struct fixture *fx)
{
	char boot[400], card[450], path[600];
	struct routine_search s;

	snprintf(boot, sizeof(boot), "%s/misnamed", tmp);
	mkdir(boot, 0755);
	snprintf(card, sizeof(card), "%s/repcue", boot);
	mkdir(card, 0755);
	snprintf(path, sizeof(path), "%s/routines", card);
	mkdir(path, 0755);
	snprintf(card, sizeof(card), "%s/repcue/routines", boot);
	write_routine(card, "shoulders.yaml.txt", "Notepad", "", false);
	write_routine(card, "legs.yaml", "Legs", "", false);
	routine_search_init(&s, NULL, boot, "/nonexistent", "/nonexistent");
	int n = routine_list_scan(&s, &fx->list, &fx->diags);
	CHECK(n == 1 && strcmp(fx->list.items[0].file, "legs.yaml") == 0, "only legs.yaml offered (%d)", n);
	CHECK(fx->diags.count == 1 && strstr(fx->diags.items[0].file, "shoulders.yaml.txt") &&
	      strstr(fx->diags.items[0].hint, "rename it to shoulders.yaml"),
	      "shoulders.yaml.txt named with its fix: %s", fx->diags.count ? fx->diags.items[0].hint : "(nothing)");
}

/* A case on a fixture of its own, made inside the case (its checks count
 * in it) and freed after. */
#define RUN_FIXTURE(fn)                                                            \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_new()));                                \
		free(f_);                                                          \
	} while (0)

int main(int argc, char **argv)
{
	char path[512];

	if (argc != 2) {
		fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
		return 2;
	}
	snprintf(voices, sizeof(voices), "%s/voices", argv[1]);
	snprintf(path, sizeof(path), "%s/tests/system/tiny.yaml", argv[1]);
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 1;
	}
	tiny[fread(tiny, 1, sizeof(tiny) - 1, f)] = '\0';
	fclose(f);
	snprintf(tmp, sizeof(tmp), "%s/repcue-routine-dir-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp)) {
		perror(tmp);
		return 1;
	}
	RUN_CASE(test_wanted, ());
	RUN_CASE(test_misnamed, ());
	RUN_FIXTURE(test_misnamed_scan);
	RUN_FIXTURE(test_fat_cases);
	RUN_CASE(test_too_long, ());
	RUN_FIXTURE(test_vanished);
	RUN_CASE(test_name_escaped, ());
	RUN_FIXTURE(test_unreadable_dir);
	RUN_FIXTURE(test_reported);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
	return check_done("routine_dir");
}
