/* test_routine_load.c - loader unit tests: the seed routines and voice
 * profiles load with the values their files say, and every file in the
 * corpus of broken files (bad/) yields exactly the problems its header
 * promises:
 *
 *   # expect: LINE:COL substring of the message
 *   # hint: substring of that problem's hint        (optional)
 *
 * Files named voice-*.yaml are read as voice profiles. Cases a text file
 * cannot hold (no file, a directory, a 300 KiB file, a FIFO, a zero-byte
 * file) are made here in a temporary directory. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "../bad_corpus.h"
#include "routine/config_load.h"
#include "core/plan.h"
#include "routine/routine_load.h"
#include "util/utf8.h"

/* What a case parses into, made for the case (fixture_new) and freed after
 * it, so that no case reads what an earlier one left. */
struct fixture {
	struct routine routine;
	struct diag_list diags;
};

static struct fixture *fixture_new(void)
{
	return FIXTURE_CALLOC(sizeof(struct fixture));
}


static void dump_diags(struct fixture *fx)
{
	for (int i = 0; i < fx->diags.count; i++)
		diag_print(stderr, &fx->diags.items[i]);
}

static void test_seed(struct fixture *fx, const char *dir)
{
	char path[512];
	int ret;

	snprintf(path, sizeof(path), "%s/routines/upper-back-1.yaml", dir);
	ret = routine_load(path, &fx->routine, &fx->diags);
	CHECK(ret == 0, "level 1 loads: %d", ret);
	if (ret == 0) {
		const struct step *rel = &fx->routine.steps[0], *rows = &fx->routine.steps[fx->routine.n_steps - 1];

		CHECK(strcmp(fx->routine.name, "Upper back, level 1") == 0, "name '%s'", fx->routine.name);
		CHECK(fx->routine.version == 1 && fx->routine.level == 1, "level %d", fx->routine.level);
		CHECK(fx->routine.n_equipment == 2 && strcmp(fx->routine.equipment[0], "massage ball") == 0,
		      "equipment");
		CHECK(strcmp(fx->routine.voice, "coach") == 0, "voice '%s'", fx->routine.voice);
		CHECK(strncmp(fx->routine.safety, "Stop at once", 12) == 0 &&
		      !strchr(fx->routine.safety, '\n'), "safety folded onto one line: '%s'", fx->routine.safety);
		CHECK(fx->routine.defaults.rest_between_sets_s == 30 &&
		      fx->routine.defaults.rest_between_steps_s == 25 &&
		      fx->routine.defaults.countdown_s == 3, "defaults");
		CHECK(fx->routine.defaults.tempo.lower_s == 2 && fx->routine.defaults.tempo.bottom_s == 0 &&
		      fx->routine.defaults.tempo.lift_s == 2 && fx->routine.defaults.tempo.top_s == 1,
		      "default tempo");
		CHECK(fx->routine.n_steps == 8, "steps %d", fx->routine.n_steps);
		CHECK(rel->kind == STEP_HOLD && rel->phase == PHASE_WARM_UP &&
		      rel->sides == SIDES_LEFT_RIGHT && rel->seconds == 30 && rel->sets == 1 &&
		      rel->rest_after_s == 15 && rel->n_intro == 3 && rel->n_cues == 2,
		      "ball release step");
		CHECK(rel->cues[0].trigger == CUE_AT_SECOND && rel->cues[0].n == 8 &&
		      rel->cues[0].line > rel->line, "hold cue");
		CHECK(strstr(rel->switch_text, "{side}") != NULL, "switch '%s'", rel->switch_text);
		CHECK(rows->kind == STEP_REPS && rows->sets == 2 && rows->reps == 8 &&
		      rows->tempo.top_s == 2 && rows->tempo.lower_s == 2 &&
		      rows->rest_between_sets_s == 30 && rows->phase == PHASE_WORK,
		      "band rows step");
		CHECK(rows->cues[1].trigger == CUE_EVERY_REPS && rows->cues[1].n == 3, "every cue");
		CHECK(strcmp(rows->cues[2].text, "Last one of set {set}.") == 0,
		      "placeholder kept: '%s'", rows->cues[2].text);
		CHECK(strncmp(rows->next_up, "Last one: band rows.", 20) == 0, "next_up");
		CHECK(plan_routine_expected_s(&fx->routine) >= 12 * 60 && plan_routine_expected_s(&fx->routine) <= 15 * 60,
		      "level 1 lasts 12 to 15 minutes: %ld s", plan_routine_expected_s(&fx->routine));
	}
	dump_diags(fx);

	snprintf(path, sizeof(path), "%s/routines/upper-back-2.yaml", dir);
	ret = routine_load(path, &fx->routine, &fx->diags);
	CHECK(ret == 0, "level 2 loads: %d", ret);
	if (ret == 0) {
		CHECK(fx->routine.level == 2, "level");
		CHECK(fx->routine.steps[fx->routine.n_steps - 1].phase == PHASE_COOL_DOWN, "cool-down last");
	}
	dump_diags(fx);

	snprintf(path, sizeof(path), "%s/routines/upper-back-3.yaml", dir);
	ret = routine_load(path, &fx->routine, &fx->diags);
	CHECK(ret == 0, "level 3 loads: %d", ret);
	if (ret == 0) {
		bool open_set = false, alternate = false;

		for (int i = 0; i < fx->routine.n_steps; i++) {
			open_set |= fx->routine.steps[i].kind == STEP_REPS && fx->routine.steps[i].reps == 0;
			alternate |= fx->routine.steps[i].sides == SIDES_ALTERNATE;
		}
		CHECK(open_set, "level 3 has an open-ended set");
		CHECK(alternate, "level 3 alternates sides");
		CHECK(fx->routine.defaults.tempo.lower_s == 3, "slower lowering");
	}
	dump_diags(fx);
}

static void test_voices(struct fixture *fx, const char *dir)
{
	struct voice_profile vp, def = voice_profile_default();
	char path[512];
	int ret;

	snprintf(path, sizeof(path), "%s/voices/coach.yaml", dir);
	ret = voice_profile_load(path, &vp, &fx->diags);
	CHECK(ret == 0, "coach loads: %d", ret);
	CHECK(ret == 0 && memcmp(&vp, &def, sizeof(vp)) == 0,
	      "coach.yaml matches voice_profile_default()");
	dump_diags(fx);
	snprintf(path, sizeof(path), "%s/voices/calm.yaml", dir);
	ret = voice_profile_load(path, &vp, &fx->diags);
	CHECK(ret == 0 && strcmp(vp.name, "calm") == 0 && vp.rate_wpm == 140 &&
	      vp.word_gap_ms == 20, "calm loads: %d", ret);
	dump_diags(fx);
}

/* A routine that names a voice is checked against voices_dir. */
static void test_voice_option(struct fixture *fx, const char *dir)
{
	static const char text[] =
		"repcue: 1\nname: V\nvoice: shouty\nsteps:\n  - {name: A, kind: hold, seconds: 5}\n";
	struct routine_load_options opts = { 0 };
	char voices[512], path[] = "/tmp/repcue-voice-XXXXXX", card[] = "/tmp/repcue-card-voices-XXXXXX";
	int fd = mkstemp(path), ret;

	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)sizeof(text) - 1, "write");
	close(fd);
	snprintf(voices, sizeof(voices), "%s/voices", dir);
	opts.voices_dir = voices;
	ret = routine_load_with(path, &opts, &fx->routine, &fx->diags);
	CHECK(ret == -EINVAL && fx->diags.count == 1 && fx->diags.items[0].line == 3 &&
	      fx->diags.items[0].col == 8 && strstr(fx->diags.items[0].message, "'shouty' not found"),
	      "missing voice profile reported at 3:8");
	dump_diags(fx);
	/* the card's voices folder, looked in first, says where to copy it */
	CHECK(mkdtemp(card) != NULL, "mkdtemp");
	opts.card_voices_dir = card;
	ret = routine_load_with(path, &opts, &fx->routine, &fx->diags);
	CHECK(ret == -EINVAL && fx->diags.count == 1 && strstr(fx->diags.items[0].hint, "copy shouty.yaml to") &&
	      strstr(fx->diags.items[0].hint, card), "the hint names the card's voices folder: %s",
	      fx->diags.count ? fx->diags.items[0].hint : "");
	/* a profile copied there is found, although the packaged voices lack it */
	char voice[600];
	snprintf(voice, sizeof(voice), "%s/shouty.yaml", card);
	FILE *f = fopen(voice, "w");
	CHECK(f != NULL, "create %s", voice);
	if (f) {
		fputs("repcue: 1\nname: shouty\nlanguage: en-gb\nvolume: 150\n", f);
		fclose(f);
	}
	ret = routine_load_with(path, &opts, &fx->routine, &fx->diags);
	CHECK(ret == 0, "a voice on the card is found: %d", ret);
	dump_diags(fx);
	char found[700];
	CHECK(voice_profile_path(&opts, "shouty", found, sizeof(found)) == 0 && strcmp(found, voice) == 0,
	      "voice_profile_path: the card's copy: %s", found);
	CHECK(voice_profile_path(&opts, "coach", found, sizeof(found)) == 0 &&
	      strncmp(found, voices, strlen(voices)) == 0, "voice_profile_path: else the packaged one: %s", found);
	unlink(voice);
	rmdir(card);
	ret = routine_load(path, &fx->routine, &fx->diags);
	CHECK(ret == 0, "without voices_dir only the name is checked: %d", ret);
	unlink(path);
}

/* What a file leaves out gets the documented defaults (routines/README.md). */
static void test_defaults(struct fixture *fx)
{
	static const char text[] =
		"repcue: 1\n"
		"name: Minimal\n"
		"steps:\n"
		"  - {name: Plank, kind: timed, seconds: 40, sides: right-left,\n"
		"     cues: [{at_second: 20, say: \"Halfway, {side} side.\"}]}\n"
		"  - name: Rows\n"
		"    kind: reps\n"
		"    reps: open\n"
		"    cues:\n"
		"      - at_rep: 30\n"
		"        say: Thirty reps, set {set} of {sets}. Great.\n";
	int ret = routine_parse("minimal.yaml", text, sizeof(text) - 1, &fx->routine, &fx->diags);
	const struct step *plank = &fx->routine.steps[0], *rows = &fx->routine.steps[1];

	CHECK(ret == 0, "minimal routine loads: %d", ret);
	dump_diags(fx);
	if (ret != 0)
		return;
	CHECK(fx->routine.level == 1 && strcmp(fx->routine.voice, "coach") == 0 &&
	      fx->routine.safety[0] == '\0' && fx->routine.n_equipment == 0, "top-level defaults");
	CHECK(fx->routine.defaults.rest_between_sets_s == 30 &&
	      fx->routine.defaults.rest_between_steps_s == 45 && fx->routine.defaults.countdown_s == 3,
	      "rest and countdown defaults");
	CHECK(fx->routine.defaults.tempo.lower_s == 2 && fx->routine.defaults.tempo.bottom_s == 1 &&
	      fx->routine.defaults.tempo.lift_s == 2 && fx->routine.defaults.tempo.top_s == 0,
	      "tempo default 2-1-2-0");
	CHECK(plank->kind == STEP_TIMED && plank->seconds == 40 && plank->sides == SIDES_RIGHT_LEFT &&
	      plank->sets == 1 && plank->phase == PHASE_WORK && plank->rest_between_sets_s == 30 &&
	      plank->rest_after_s == 45 && plank->n_cues == 1 && plank->line == 4,
	      "timed step with defaults");
	CHECK(strcmp(plank->cues[0].text, "Halfway, {side} side.") == 0 &&
	      plank->cues[0].trigger == CUE_AT_SECOND && plank->cues[0].n == 20, "flow cue");
	CHECK(rows->kind == STEP_REPS && rows->reps == 0 && rows->tempo.bottom_s == 1 &&
	      rows->cues[0].n == 30 && rows->cues[0].line == 10, "open set, at_rep up to 50");
	CHECK(plan_routine_expected_s(&fx->routine) > 40, "estimate");
}

static void test_bad_file(const char *path, const char *base)
{
	struct expect ex[EXPECT_MAX];
	struct voice_profile vp;
	int n = read_expects(path, ex), ret;
	struct fixture *fx;

	CHECK(n > 0, "%s has '# expect:' lines", base);
	if (n <= 0)
		return;
	fx = fixture_new(); /* each file loaded into a fixture of its own */
	if (strncmp(base, "voice-", 6) == 0)
		ret = voice_profile_load(path, &vp, &fx->diags);
	else
		ret = routine_load(path, &fx->routine, &fx->diags);
	CHECK(ret == -EINVAL, "%s: returns -EINVAL, got %d", base, ret);
	check_expects(base, &fx->diags, ex, n);
	CHECK(fx->diags.dropped == 0, "%s: nothing dropped", base);
	free(fx);
}

static void test_corpus(const char *dir)
{
	int files = for_each_bad_file(dir, test_bad_file);
	CHECK(files >= 40, "corpus has %d files", files);
}

/* Whole-file problems: line 0, one diag, a specific errno. */
static void expect_file_error(struct fixture *fx, const char *path, int want, const char *message)
{
	int ret = routine_load(path, &fx->routine, &fx->diags);

	CHECK(ret == want, "%s: returns %d, want %d", path, ret, want);
	CHECK(fx->diags.count == 1 && fx->diags.items[0].line == 0 &&
	      strstr(fx->diags.items[0].message, message), "%s: one diag '%s'", path, message);
	dump_diags(fx);
}

static void test_files(struct fixture *fx)
{
	char dir[] = "/tmp/repcue-test-XXXXXX", path[256];
	FILE *f;

	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	expect_file_error(fx, "/nonexistent/repcue/none.yaml", -ENOENT,
			  "cannot open: No such file or directory");
	expect_file_error(fx, dir, -EISDIR, "not a regular file (a directory)");

	snprintf(path, sizeof(path), "%s/fifo.yaml", dir);
	CHECK(mkfifo(path, 0600) == 0, "mkfifo");
	expect_file_error(fx, path, -ENOTSUP, "not a regular file");
	unlink(path);

	snprintf(path, sizeof(path), "%s/big.yaml", dir);
	f = fopen(path, "w");
	CHECK(f != NULL, "create big");
	if (f) {
		fputs("repcue: 1\nname: Big\n", f);
		for (int i = 0; i < 300 * 1024 / 32; i++)
			fputs("# padding padding padding pad\n", f);
		fclose(f);
		expect_file_error(fx, path, -EFBIG, "larger than 256 KiB");
	}
	unlink(path);

	snprintf(path, sizeof(path), "%s/empty.yaml", dir);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	CHECK(routine_load(path, &fx->routine, &fx->diags) == -EINVAL && fx->diags.count == 1 &&
	      fx->diags.items[0].line == 1 && strstr(fx->diags.items[0].message, "empty"),
	      "zero-byte file is empty at 1:1");
	unlink(path);
	rmdir(dir);
}

/* What a laptop saves when the person did not choose plain text, told by
 * content (the name says .yaml): one problem at 1:1 naming the format and
 * how to save plain text. A UTF-16 file with its byte order mark is text
 * libyaml decodes, and loads. */
static void expect_foreign(struct fixture *fx, const char *what, const char *buf, size_t len, const char *message)
{
	int ret = routine_parse("r.yaml", buf, len, &fx->routine, &fx->diags);

	CHECK(ret == -EINVAL && fx->diags.count == 1 && fx->diags.items[0].line == 1 &&
	      fx->diags.items[0].col == 1 && strstr(fx->diags.items[0].message, message) &&
	      fx->diags.items[0].hint[0] != '\0',
	      "%s: one problem at 1:1 '%s'", what, message);
	dump_diags(fx);
}

static void test_foreign_formats(struct fixture *fx, const char *dir)
{
	static const char docx[] = "PK\003\004\024\000\006\000\010\000\000\000!\000[Content_Types].xml";
	static const char doc[] = "\320\317\021\340\241\261\032\341\000\000\000\000";
	static const char pdf[] = "%PDF-1.7\n%\342\343\317\323\n1 0 obj";
	char path[512], text[16 * 1024], wide[2 + 32 * 1024];
	size_t len, n = 0;
	FILE *f;

	expect_foreign(fx, "docx", docx, sizeof(docx) - 1, "Word or OpenDocument file");
	expect_foreign(fx, "doc", doc, sizeof(doc) - 1, "old Word document");
	expect_foreign(fx, "pdf", pdf, sizeof(pdf) - 1, "this is a PDF");

	snprintf(path, sizeof(path), "%s/routines/upper-back-1.yaml", dir);
	f = fopen(path, "rb");
	CHECK(f != NULL, "open %s", path);
	if (!f)
		return;
	len = fread(text, 1, sizeof(text), f);
	fclose(f);
	/* The seed routine is ASCII, so UTF-16 is each byte and a NUL. */
	for (int big_endian = 0; big_endian < 2; big_endian++) {
		n = 0;
		for (size_t i = 0; i < len; i++) {
			wide[n + (size_t)big_endian] = text[i];
			wide[n + (size_t)!big_endian] = '\0';
			n += 2;
		}
		expect_foreign(fx, big_endian ? "UTF-16BE" : "UTF-16LE", wide, n, "UTF-16 (Unicode) text");
	}
	memmove(wide + 2, wide, n);
	wide[0] = (char)0xfe;
	wide[1] = (char)0xff;
	CHECK(routine_parse("r.yaml", wide, n + 2, &fx->routine, &fx->diags) == 0,
	      "UTF-16BE with a byte order mark loads");
	dump_diags(fx);
}

/* Every problem counts, even past the 64 the list holds. */
static void test_overflow(struct fixture *fx)
{
	static char buf[64 * 1024];
	size_t len = (size_t)snprintf(buf, sizeof(buf), "repcue: 1\nname: X\nsteps: [{name: A, kind: hold, seconds: 5}]\n");
	int ret;

	for (int i = 0; i < 1000; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "junk%d: 1\n", i);
	ret = routine_parse("junk.yaml", buf, len, &fx->routine, &fx->diags);
	CHECK(ret == -EINVAL && fx->diags.count == DIAG_MAX && fx->diags.dropped == 1000 - DIAG_MAX,
	      "1000 unknown keys: %d kept, %d dropped", fx->diags.count, fx->diags.dropped);
}

static void test_diag_print(void)
{
	char out[512] = "";
	FILE *f = fmemopen(out, sizeof(out), "w");
	struct diag d = { .file = "r.yaml", .line = 7, .col = 5,
			  .message = "unknown key 'tempoo'", .hint = "did you mean 'tempo'?" };

	CHECK(f != NULL, "fmemopen");
	if (!f)
		return;
	diag_print(f, &d);
	d.line = 0;
	d.hint[0] = '\0';
	diag_print(f, &d);
	fclose(f);
	CHECK(strcmp(out, "r.yaml:7:5: error: unknown key 'tempoo'\n"
		     "  hint: did you mean 'tempo'?\n"
		     "r.yaml: error: unknown key 'tempoo'\n") == 0, "diag_print: '%s'", out);
}

/* Issue 11 item 11: diagnostics echo the user's bytes only escaped (a
 * routine of escape sequences must not clear or recolour the terminal)
 * and never cut a character in two. */
static bool printable(const char *s)
{
	return utf8_first_bad(s, strlen(s)) == 0;
}

static void test_diag_escape(struct fixture *fx)
{
	static const char text[] =
		"repcue: 1\nname: X\n\"\\e[2J\\e[31mkey\": 1\n"
		"steps: [{name: A, kind: hold, seconds: 5, \"\\u00e9\\u00e9\\u009b\": 2}]\n"
		"\"k\\x7f\\\\\": 3\n";
	char file[400], out[64];
	int ret, escaped = 0;

	/* a file name of 2-byte characters, longer than the field */
	memset(file, 0, sizeof(file));
	for (size_t i = 0; i + 2 < sizeof(file) - 8; i += 2)
		memcpy(file + i, "\xc3\xa9", 2);
	memcpy(file + strlen(file), "\x1b.yaml", 7);
	ret = routine_parse(file, text, sizeof(text) - 1, &fx->routine, &fx->diags);
	CHECK(ret == -EINVAL && fx->diags.count >= 3, "three unknown keys: %d diags", fx->diags.count);
	for (int i = 0; i < fx->diags.count; i++) {
		const struct diag *d = &fx->diags.items[i];

		CHECK(printable(d->file) && printable(d->message) && printable(d->hint),
		      "diag %d printable: '%s' '%s'", i, d->message, d->hint);
		CHECK(strlen(d->file) < sizeof(d->file) && strstr(d->file, "..."),
		      "a long file name is cut between characters, marked '...'");
		escaped += strstr(d->message, "\\x1b[2J\\x1b[31mkey") != NULL;
		escaped += strstr(d->message, "\\xc2\\x9b") != NULL;
		escaped += strstr(d->message, "k\\x7f\\'") != NULL;
	}
	CHECK(escaped == 3, "ESC, C1 and DEL shown as \\xHH, once (%d of 3)", escaped);

	/* libyaml's own text is cut between characters too: a tag of 59
	 * bytes, then two 2-byte characters (written as %-escapes) */
	static const char tagged[] = "repcue: 1\nname: !<tag:"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%C3%A9%C3%A9> X\nsteps: []\n";
	ret = routine_parse("t.yaml", tagged, sizeof(tagged) - 1, &fx->routine, &fx->diags);
	CHECK(ret == -EINVAL && fx->diags.count >= 1, "a tag: %d diags", fx->diags.count);
	for (int i = 0; i < fx->diags.count; i++)
		CHECK(strstr(fx->diags.items[i].message, "\\x") == NULL,
		      "no character cut in two: '%s'", fx->diags.items[i].message);

	/* the device config's messages too */
	static const char config[] = "repcue: 1\nmapping:\n  \"pedal.\\e[31mhold\": next\n";
	static struct device_config cfg;
	ret = config_parse("c.yaml", config, sizeof(config) - 1, &cfg, &fx->diags);
	CHECK(ret == -EINVAL && fx->diags.count == 1, "a bad mapping key: %d diags", fx->diags.count);
	for (int i = 0; i < fx->diags.count; i++)
		CHECK(printable(fx->diags.items[i].message) &&
		      strstr(fx->diags.items[i].message, "'pedal.\\x1b[31mhold'"),
		      "config diag printable: '%s'", fx->diags.items[i].message);

	/* utf8_escape and utf8_prefix never cut a character or an escape */
	CHECK(strcmp(utf8_escape(out, 8, "\x1b\x1b\x1b", 3), "\\x1b...") == 0, "'%s'", out);
	CHECK(strcmp(utf8_escape(out, 9, "ab\xc3\xa9\xc3\xa9\xc3\xa9", 8), "ab\xc3\xa9...") == 0, "'%s'", out);
	CHECK(strcmp(utf8_escape(out, 9, "ab\xc3\xa9\xc3", 5), "ab\xc3\xa9\\xc3") == 0, "'%s'", out);
	CHECK(utf8_prefix("a\xe2\x82\xac", 4, 3) == 1 && utf8_prefix("a\xe2\x82\xac", 4, 4) == 4 &&
	      utf8_prefix("ab", 2, 1) == 1, "utf8_prefix");
}

/* A case on a fixture of its own, made inside the case (its checks count
 * in it) and freed after; RUN_FIXTURE_ARG passes one more argument. */
#define RUN_FIXTURE(fn)                                                            \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_new()));                                \
		free(f_);                                                          \
	} while (0)
#define RUN_FIXTURE_ARG(fn, arg)                                                   \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_new(), arg));                           \
		free(f_);                                                          \
	} while (0)

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s SOURCE_DIR TEST_DIR\n", argv[0]);
		return 2;
	}
	RUN_FIXTURE_ARG(test_seed, argv[1]);
	RUN_FIXTURE(test_defaults);
	RUN_FIXTURE_ARG(test_voices, argv[1]);
	RUN_FIXTURE_ARG(test_voice_option, argv[1]);
	RUN_CASE(test_corpus, (argv[2]));
	RUN_FIXTURE(test_files);
	RUN_FIXTURE_ARG(test_foreign_formats, argv[1]);
	RUN_FIXTURE(test_overflow);
	RUN_CASE(test_diag_print, ());
	RUN_FIXTURE(test_diag_escape);
	return check_done("routine_load");
}
