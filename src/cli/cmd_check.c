/* cmd_check.c - `repcue check FILE...`: validate routine files and say
 * what is wrong with them, every problem with file:line:col and a fix. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/misuse.h"
#include "core/plan.h"
#include "routine/config_load.h"
#include "routine/routine_dir.h"
#include "routine/routine_load.h"
#include "util/path.h"
#include "util/utf8.h"
#include "speech/line_store.h"

static void usage(FILE *f)
{
	fputs("usage: repcue check [-h] FILE...\n"
	      "Checks routine files (see routines/README.md) and the voice profile\n"
	      "each one names; files in a directory named voices/ are checked as\n"
	      "voice profiles, and a file named config.yaml as a device config\n"
	      "(its settings: the words the coach writes to problems.txt).\n"
	      "Prints every problem as file:line:col with a hint.\n"
	      "Exit status: 0 all valid, 1 a file has problems or cannot be read,\n"
	      "2 usage error.\n", f);
}

/* Voice profiles live in voices/; everything else is a routine. Going by
 * the directory keeps the rule easy to state and never guesses from
 * content that may be broken. */
static bool is_voice_profile(const char *path)
{
	const char *end = strrchr(path, '/');
	const char *start = end;

	if (!end)
		return false;
	while (start > path && start[-1] != '/')
		start--;
	return end - start == 6 && strncmp(start, "voices", 6) == 0;
}

/* The path as printed: escaped like every diagnostic (utf8_escape), so a
 * file name with a newline or an escape sequence cannot forge a line or
 * recolour the terminal. */
#define SHOWN(path) utf8_escape((char[600]){ 0 }, 600, (path), strlen(path))

static void print_diags(const char *path, const struct diag_list *diags)
{
	for (int i = 0; i < diags->count; i++)
		diag_print(stderr, &diags->items[i]);
	if (diags->dropped)
		fprintf(stderr, "%s: %d more problems not shown\n", SHOWN(path), diags->dropped);
}

static bool check_voice_file(const char *path, struct diag_list *diags)
{
	struct voice_profile vp;
	int ret = voice_profile_load(path, &vp, diags);

	print_diags(path, diags);
	if (ret < 0)
		return false;
	printf("%s: ok (voice profile '%s': %s%s%s, %d words a minute)\n", SHOWN(path),
	       vp.name, vp.language, vp.variant[0] ? "+" : "", vp.variant, vp.rate_wpm);
	return true;
}

/* A device config: every problem, in the words the lobby writes to the
 * card's problems.txt; "ok" with the settings it gives. */
static bool check_config_file(const char *path, struct diag_list *diags)
{
	static struct device_config cfg;
	int ret = config_load(path, &cfg, diags);

	print_diags(path, diags);
	if (ret < 0)
		return false;
	printf("%s: ok (device config: volume %.1f dB, beeps %.1f dB, voice %s, language %s, %d input%s)\n",
	       SHOWN(path), (double)cfg.volume_db, (double)cfg.beeps_db, cfg.voice[0] ? cfg.voice : "of each routine",
	       cfg.language[0] ? cfg.language : "of the voice", cfg.n_inputs, cfg.n_inputs == 1 ? "" : "s");
	return true;
}

/* Warns, once per step, when one segment says more at once than the
 * default speech budget holds (issue 11 item 4): the session still plays,
 * but it pauses between those lines while they are made. A warning, not an
 * error: the routine is valid and a larger --speech-budget-mb fixes it. */
static void warn_budget(const char *path, const struct routine *r, const struct plan *plan)
{
	bool *seen;
	int warned_step = -2;

	seen = calloc((size_t)plan->n_texts + 1, sizeof(*seen));
	if (!seen)
		return;
	size_t fixed = 0;
	for (int t = 0; t < TEXT_FIXED_COUNT; t++)
		fixed += strlen(plan->texts[t]) * PLAN_SPEECH_BYTES_PER_CHAR;
	for (int s = 0; s < plan->n_segments; s++) {
		const struct plan_segment *sg = &plan->segments[s];
		const struct plan_action *a = &plan->actions[sg->first_action];
		size_t need = fixed;
		for (int i = 0; i < sg->n_actions; i++) {
			if (a[i].kind != ACTION_SAY || seen[a[i].arg])
				continue;
			seen[a[i].arg] = true;
			need += strlen(plan->texts[a[i].arg]) * PLAN_SPEECH_BYTES_PER_CHAR;
		}
		for (int i = 0; i < sg->n_actions; i++)
			seen[a[i].arg] = false;
		if (need <= LINE_STORE_DEFAULT_BUDGET || sg->step == warned_step)
			continue;
		warned_step = sg->step;
		const struct step *st = sg->step >= 0 ? &r->steps[sg->step] : NULL;
		unsigned mb = (unsigned)((need + (1u << 20) - 1) >> 20);
		char where[160];
		if (sg->set > 0)
			snprintf(where, sizeof(where), "set %d", sg->set);
		else
			snprintf(where, sizeof(where), "%s", sg->kind == SEG_SPEECH ? "introduction" : "lines");
		fprintf(stderr,
			"%s:%d:1: warning: %s%s%s: the %s needs about %u MB of speech ahead, more than "
			"the default budget of %u MB\n"
			"  hint: it plays, but pauses between these lines while they are made; shorten them, "
			"or play with --speech-budget-mb %u\n",
			SHOWN(path), st ? st->line : 0, st ? "step '" : "the session", st ? st->name : "",
			st ? "'" : "", where, mb, LINE_STORE_DEFAULT_BUDGET >> 20, mb + 1);
	}
	free(seen);
}

/* Checks one file; returns true if it is valid. */
static bool check_file(const char *path, const char *voices_dir,
		       struct routine *r, struct diag_list *diags)
{
	struct routine_load_options opts = { .voices_dir = voices_dir };
	struct plan plan;
	int ret, minutes;

	if (is_voice_profile(path))
		return check_voice_file(path, diags);
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (strcmp(name, "config.yaml") == 0)
		return check_config_file(path, diags);
	/* the lobby does not offer it: say so, as the lobby's log does */
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char misnamed_fix[ROUTINE_FILE_NAME_MAX * 2 + 100];
	if (routine_file_misnamed(base, misnamed_fix, sizeof(misnamed_fix))) {
		fprintf(stderr, "%s: not offered as a routine\n  hint: %s\n", path, misnamed_fix);
		return false;
	}
	ret = routine_load_with(path, &opts, r, diags);
	print_diags(path, diags);
	if (ret < 0)
		return false;
	/* the plan the session plays, in the voice's language (the voice
	 * loaded, so valid, just above), so the budget warnings and the
	 * minutes come from the one timing model (plan_expected_frames) */
	struct voice_profile vp;
	char voice_path[ROUTINE_PATH_MAX + ROUTINE_NAME_MAX + 8]; /* fits: both are bounded */
	path_format(voice_path, sizeof(voice_path), "%s/%s.yaml", voices_dir, r->voice);
	ret = plan_build_in(&plan, r, voice_profile_load(voice_path, &vp, diags) == 0 ?
			    phrasebook_find(vp.language) : NULL);
	if (ret < 0) {
		fprintf(stderr, "%s: cannot plan the session: %s\n", SHOWN(path), strerror(-ret));
		return false;
	}
	warn_budget(path, r, &plan);
	minutes = (int)((plan_expected_frames(&plan, PLAN_SPEECH_MS_PER_CHAR) + frames_from_s(30)) / frames_from_s(60));
	plan_finish(&plan);
	printf("%s: ok (%d step%s, about %d minute%s)\n", SHOWN(path), r->n_steps,
	       r->n_steps == 1 ? "" : "s", minutes < 1 ? 1 : minutes,
	       minutes > 1 ? "s" : "");
	return true;
}

int cmd_check(int argc, char **argv, const struct repcue_env *env)
{
	const char *data_dir = repcue_data_dir(env);
	char voices_dir[ROUTINE_PATH_MAX] = "";
	struct routine *r;
	struct diag_list *diags;
	int first = 1, nfiles, status = 0;

	for (; first < argc; first++) {
		const char *arg = argv[first];

		if (strcmp(arg, "--") == 0) {
			first++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		return cli_misuse("check", "unknown option '%s'", utf8_escape((char[200]){ 0 }, 200, arg, strlen(arg)));
	}
	nfiles = argc - first;
	if (nfiles <= 0) {
		return cli_misuse("check", "give the routine files to check, e.g. repcue check routines/*.yaml");
	}
	if (data_dir && data_dir[0] && path_format(voices_dir, sizeof(voices_dir), "%s/voices", data_dir) < 0) {
		fprintf(stderr, "repcue check: the data directory's path is too long (at most %zu bytes): %s\n",
			sizeof(voices_dir) - sizeof("/voices"), data_dir);
		return 1;
	}

	/* A struct routine is a few hundred KiB: keep it off the stack. */
	r = malloc(sizeof(*r));
	diags = malloc(sizeof(*diags));
	if (!r || !diags) {
		fprintf(stderr, "repcue check: %s\n", strerror(ENOMEM));
		free(r);
		free(diags);
		return 1;
	}
	for (int i = first; i < argc; i++)
		if (!check_file(argv[i], voices_dir[0] ? voices_dir : NULL, r, diags))
			status = 1;
	free(diags);
	free(r);
	return status;
}
