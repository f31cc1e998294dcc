/* test_settings.c - the settings of config.yaml read setting by setting
 * (config_load_tolerant(), issue 19 item 1):
 *
 *   levels     volume and beeps in the forms a person writes ("-6 dB",
 *              "-6dB", "-6", "-4.5 dB", "0"), at their limits and just past
 *   tolerant   each bad setting alone, in a file with every setting: it is
 *              named with its line (cfg.skipped) and reported with
 *              file:line and a fix, it keeps its default, and every other
 *              setting applies; the strict loader refuses the same file
 *   fatal      a file that is no config at all is still refused whole
 *
 *   test_settings */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "routine/config_load.h"

/* What a case parses into, made for the case (fixture_new) and freed after
 * it, so that no case reads what an earlier one left. */
struct fixture {
	struct device_config cfg;
	struct device_config strict;
	struct diag_list diags;
};

static struct fixture *fixture_new(void)
{
	return FIXTURE_CALLOC(sizeof(struct fixture));
}


/* Every setting, one per line (the line numbers are used below). */
static const char *const base[] = {
	"repcue: 1",                                          /* 1 */
	"audio: {device: USB Audio, latency: 512}",           /* 2 */
	"routines: {default: upper-back-2}",                  /* 3 */
	"inputs:",                                            /* 4 */
	"  - role: start",                                    /* 5 */
	"    gpio: {name: GPIO17}",                           /* 6 */
	"  - role: next",                                     /* 7 */
	"    gpio: {name: GPIO27}",                           /* 8 */
	"timing:",                                            /* 9 */
	"  pedal: {lockout_ms: 50, hold_ms: 700}",            /* 10 */
	"mapping:",                                           /* 11 */
	"  pedal.hold: pause",                                /* 12 */
	"volume: -6 dB",                                      /* 13 */
	"beeps: -3 dB",                                       /* 14 */
	"voice: karte",                                       /* 15 */
	"language: de",                                       /* 16 */
	"music: {on: true, volume: -4 dB, duck: 20 dB, order: shuffle, seed: 7}", /* 17 */
	"report: {target: 4, weeks: 6, paper: letter}",       /* 18 */
};
#define BASE_LINES (int)(sizeof(base) / sizeof(base[0]))

/* base with line `line` (1-based; 0 = none) replaced by `with` (NULL:
 * appended as an extra line instead). */
static int parse_variant(struct fixture *f, int line, const char *with)
{
	static char text[4096];
	size_t o = 0;

	for (int i = 0; i < BASE_LINES; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%s\n", i + 1 == line && with ? with : base[i]);
	if (!line && with)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%s\n", with);
	config_parse("card/config.yaml", text, o, &f->strict, &f->diags);
	int strict_problems = f->diags.count;
	int ret = config_parse_tolerant("card/config.yaml", text, o, &f->cfg, &f->diags);
	CHECK(strict_problems == f->diags.count, "the strict and tolerant loaders find the same problems");
	return ret;
}

/* The settings of base, except the group named by `except`. */
static void check_rest(struct fixture *f, const char *except)
{
#define GROUP(name) (strcmp(except, name) != 0)
	if (GROUP("audio.latency"))
		CHECK_EQ_INT(f->cfg.audio.latency_frames, 512);
	else
		CHECK_EQ_INT(f->cfg.audio.latency_frames, 0);
	CHECK_STR(f->cfg.audio.device, "USB Audio");
	if (GROUP("routines.colour"))
		CHECK_STR(f->cfg.routines.default_routine, "upper-back-2");
	CHECK_EQ_INT(f->cfg.n_inputs, GROUP("inputs") ? 2 : 1);
	CHECK_STR(f->cfg.inputs[0].line_name, "GPIO17");
	if (GROUP("inputs"))
		CHECK_STR(f->cfg.inputs[1].line_name, "GPIO27");
	if (GROUP("timing.pedal")) {
		CHECK_EQ_INT(f->cfg.timing[DEVICE_ROLE_PEDAL].lockout_ms, 50);
		CHECK_EQ_INT(f->cfg.timing[DEVICE_ROLE_PEDAL].hold_ms, 700);
	} else {
		/* a pair that does not fit: the role's defaults, whole */
		CHECK_EQ_INT(f->cfg.timing[DEVICE_ROLE_PEDAL].lockout_ms, -1);
		CHECK_EQ_INT(f->cfg.timing[DEVICE_ROLE_PEDAL].hold_ms, -1);
	}
	CHECK_EQ_INT(f->cfg.n_mapping, GROUP("mapping") ? 1 : 0);
	CHECK(f->cfg.volume_db == (GROUP("volume") ? -6.0f : 0.0f), "volume %.1f", (double)f->cfg.volume_db);
	CHECK(f->cfg.beeps_db == (GROUP("beeps") ? -3.0f : 0.0f), "beeps %.1f", (double)f->cfg.beeps_db);
	CHECK_STR(f->cfg.voice, GROUP("voice") ? "karte" : "");
	CHECK_STR(f->cfg.language, GROUP("language") ? "de" : "");
	/* music: a bad key of it leaves the others of it applied */
	const struct device_music *mu = &f->cfg.music;
	CHECK(mu->on_set && mu->on, "music.on");
	CHECK(GROUP("music.volume") ? mu->volume_set && mu->volume_db == -4.0f : !mu->volume_set,
	      "music.volume %.1f", (double)mu->volume_db);
	CHECK(GROUP("music.duck") ? mu->duck_set && mu->duck_db == 20.0f : !mu->duck_set, "music.duck %.1f",
	      (double)mu->duck_db);
	CHECK(GROUP("music.order") ? mu->order_set && mu->order == 1 : !mu->order_set, "music.order %d", mu->order);
	CHECK(GROUP("music.seed") ? mu->seed_set && mu->seed == 7 : !mu->seed_set, "music.seed %d", mu->seed);
	const struct device_report *rp = &f->cfg.report;
	CHECK(GROUP("report.target") ? rp->target_set && rp->target == 4 : !rp->target_set, "report.target %d",
	      rp->target);
	CHECK(GROUP("report.weeks") ? rp->weeks_set && rp->weeks == 6 : !rp->weeks_set, "report.weeks %d", rp->weeks);
	CHECK(GROUP("report.paper") ? rp->paper_set && rp->paper == 1 : !rp->paper_set, "report.paper %d", rp->paper);
#undef GROUP
}

static void test_base(struct fixture *f)
{
	int ret = parse_variant(f, 0, NULL);

	CHECK(ret == 0 && f->diags.count == 0 && f->cfg.n_skipped == 0, "base: every setting good (%d)", ret);
	check_rest(f, "");
	CHECK_EQ_INT(f->cfg.voice_line, 15);
}

static void test_levels(struct fixture *f)
{
	static const struct {
		const char *text;
		float volume;
	} good[] = {
		{ "volume: -6 dB", -6.0f }, { "volume: -6dB", -6.0f }, { "volume: -6", -6.0f },
		{ "volume: -4.5 dB", -4.5f }, { "volume: 0", 0.0f }, { "volume: 0 dB", 0.0f },
		{ "volume: -60 dB", -60.0f }, { "volume: -60.0 DB", -60.0f }, { "volume: \"-12 dB\"", -12.0f },
	};
	static const struct {
		const char *text, *message, *hint;
	} bad[] = {
		{ "volume: 80%", "is not a level in dB: '80%'", "not in percent" },
		{ "volume: loud", "is not a level in dB: 'loud'", "e.g. 'volume: -6 dB'" },
		{ "volume: 1 dB", "'volume' is 1 dB; it must be -60 dB to 0 dB", "turn up the speaker" },
		{ "volume: -60.5 dB", "'volume' is -60.5 dB", "-60 dB to 0 dB" },
		{ "volume: -6.25 dB", "is not a level in dB", "e.g." },
		{ "volume: -6 dBA", "is not a level in dB", "e.g." },
		{ "volume: [1]", "must be a level in dB, not a list", "e.g." },
		{ "beeps: 7 dB", "'beeps' is 7 dB; it must be -40 dB to 6 dB", "from -40 dB to 6 dB" },
		{ "beeps: -41", "'beeps' is -41 dB", "e.g. 'beeps: -3 dB'" },
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int ret = parse_variant(f, 13, good[i].text);
		CHECK(ret == 0 && f->diags.count == 0, "%s: good (%d)", good[i].text, ret);
		CHECK(f->cfg.volume_db == good[i].volume, "%s: %.2f", good[i].text, (double)f->cfg.volume_db);
	}
	CHECK(parse_variant(f, 14, "beeps: 6 dB") == 0 && f->cfg.beeps_db == 6.0f, "beeps: 6 dB, the most");
	CHECK(parse_variant(f, 14, "beeps: -40 dB") == 0 && f->cfg.beeps_db == -40.0f, "beeps: -40 dB, the least");
	CHECK(parse_variant(f, 14, "beeps: +2.5 dB") == 0 && f->cfg.beeps_db == 2.5f, "beeps: +2.5 dB");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int line = strncmp(bad[i].text, "beeps", 5) == 0 ? 14 : 13;
		int ret = parse_variant(f, line, bad[i].text);

		CHECK(ret == 0 && f->diags.count == 1, "%s: one problem (%d, %d)", bad[i].text, ret, f->diags.count);
		if (f->diags.count < 1)
			continue;
		CHECK(strstr(f->diags.items[0].message, bad[i].message), "%s: message %s", bad[i].text,
		      f->diags.items[0].message);
		CHECK(strstr(f->diags.items[0].hint, bad[i].hint), "%s: hint %s", bad[i].text,
		      f->diags.items[0].hint);
		CHECK(f->diags.items[0].line == line && f->diags.items[0].col > 0, "%s: at line %d", bad[i].text,
		      f->diags.items[0].line);
	}
}

static void test_tolerant(struct fixture *f)
{
	static const struct {
		int line;              /* replaced; 0 = the text is added at the end */
		const char *text, *setting;
		int at;                /* the line named */
	} cases[] = {
		{ 13, "volume: 80%", "volume", 13 },
		{ 14, "beeps: 9 dB", "beeps", 14 },
		{ 15, "voice: ../etc/passwd", "voice", 15 },
		{ 2, "audio: {device: USB Audio, latency: lots}", "audio.latency", 2 },
		{ 3, "routines: {default: upper-back-2, colour: red}", "routines.colour", 3 },
		{ 8, "    gpio: {name: GPIO27, line: 3}", "inputs", 8 },      /* that input only */
		{ 10, "  pedal: {lockout_ms: 50, hold_ms: 40}", "timing.pedal", 10 },
		{ 12, "  pedal.hodl: pause", "mapping", 12 },
		{ 16, "language: fr", "language", 16 },                    /* no phrasebook */
		{ 0, "volumen: -6 dB", "volumen", 19 },                    /* a typo of a key */
		{ 17, "music: {on: true, volume: -4 dB, duck: 2 dB, order: shuffle, seed: 7}", "music.duck", 17 },
		{ 17, "music: {on: true, volume: loud, duck: 20 dB, order: shuffle, seed: 7}", "music.volume", 17 },
		{ 17, "music: {on: true, volume: -4 dB, duck: 20 dB, order: random, seed: 7}", "music.order", 17 },
		{ 17, "music: {on: true, volume: -4 dB, duck: 20 dB, order: shuffle, seed: -1}", "music.seed", 17 },
		{ 18, "report: {target: 40, weeks: 6, paper: letter}", "report.target", 18 },
		{ 18, "report: {target: 4, weeks: 0, paper: letter}", "report.weeks", 18 },
		{ 18, "report: {target: 4, weeks: 6, paper: legal}", "report.paper", 18 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = parse_variant(f, cases[i].line, cases[i].text);

		CHECK(ret == 0, "%s: the file is used (%d)", cases[i].text, ret);
		CHECK(f->diags.count >= 1, "%s: reported", cases[i].text);
		CHECK(f->cfg.n_skipped == 1, "%s: one setting skipped: %d", cases[i].text, f->cfg.n_skipped);
		if (f->cfg.n_skipped != 1 || f->diags.count < 1)
			continue;
		CHECK_STR(f->cfg.skipped[0].setting, cases[i].setting);
		CHECK_EQ_INT(f->cfg.skipped[0].line, cases[i].at);
		CHECK(f->diags.items[0].line == cases[i].at && f->diags.items[0].col > 0, "%s: file:line:col %d:%d",
		      cases[i].text, f->diags.items[0].line, f->diags.items[0].col);
		CHECK(strcmp(f->diags.items[0].file, "card/config.yaml") == 0 && f->diags.items[0].hint[0],
		      "%s: the file and a fix: %s", cases[i].text, f->diags.items[0].hint);
		check_rest(f, cases[i].setting);
	}
	/* two bad settings: both named, in file order, the rest applies */
	static const char two[] = "repcue: 1\nvolume: loud\nvoice: karte\nbeeps: 10\n";
	int ret = config_parse_tolerant("c.yaml", two, strlen(two), &f->cfg, &f->diags);
	CHECK(ret == 0 && f->cfg.n_skipped == 2 && f->diags.count == 2, "two bad settings (%d, %d)", ret,
	      f->cfg.n_skipped);
	if (f->cfg.n_skipped == 2) {
		CHECK(strcmp(f->cfg.skipped[0].setting, "volume") == 0 && f->cfg.skipped[0].line == 2, "volume first");
		CHECK(strcmp(f->cfg.skipped[1].setting, "beeps") == 0 && f->cfg.skipped[1].line == 4, "beeps second");
	}
	CHECK_STR(f->cfg.voice, "karte");
	/* no version: named, the rest applies */
	ret = config_parse_tolerant("c.yaml", "volume: -3 dB\n", strlen("volume: -3 dB\n"), &f->cfg, &f->diags);
	CHECK(ret == 0 && f->cfg.n_skipped == 1 && strcmp(f->cfg.skipped[0].setting, "repcue") == 0 &&
	      f->cfg.volume_db == -3.0f, "no 'repcue: 1': named, the volume applies (%d)", ret);
}

static void test_fatal(struct fixture *f)
{
	static const char *const files[] = {
		"repcue: 1\nroutines: [b\n",   /* not YAML */
		"",                            /* empty */
		"repcue: 2\nvolume: -6 dB\n",  /* another format */
		"- volume: -6 dB\n",           /* no mapping at the top */
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int ret = config_parse_tolerant("c.yaml", files[i], strlen(files[i]), &f->cfg, &f->diags);
		CHECK(ret == -EINVAL && f->diags.count >= 1, "file %zu is refused whole (%d)", i, ret);
	}
}

/* A case on a fixture of its own, made inside the case (its checks count
 * in it) and freed after. */
#define RUN_FIXTURE(fn)                                                            \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_new()));                                \
		free(f_);                                                          \
	} while (0)

int main(void)
{
	RUN_FIXTURE(test_base);
	RUN_FIXTURE(test_levels);
	RUN_FIXTURE(test_tolerant);
	RUN_FIXTURE(test_fatal);
	return check_done("settings");
}
