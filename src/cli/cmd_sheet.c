/* repcue sheet - a printable sheet of a routine (PDF, SVG or PNG): its
 * exercises, sets, tempo, sides, rests and form cues, the total time and a
 * timeline of the session, in the routine's language. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/misuse.h"
#include "core/plan.h"
#include "routine/diag.h"
#include "session/session.h"
#include "sheet/sheet_cairo.h"
#include "sheet/sheet_file.h"
#include "sheet/sheet_layout.h"
#include "util/cleanup.h"
#include "util/clock.h"
#include "util/out_file.h"
#include "util/utf8.h"

static void usage(FILE *f)
{
	fputs("usage: repcue sheet [ROUTINE] -o SHEET.pdf|SHEET.svg|SHEET.png [--letter]\n"
	      "  Writes a printable sheet of the routine: name, level, equipment, the\n"
	      "  safety line, one row per exercise (sets and reps or hold, tempo, sides,\n"
	      "  rests, form cues), the total time and a timeline of the session, in the\n"
	      "  language of the routine's voice. The format is the file's extension.\n"
	      "  --letter  US Letter paper (default: A4)\n", f);
}

#define SHOWN(path) utf8_escape((char[600]){ 0 }, 600, (path), strlen(path))

static double ms_since(int64_t t0_ns)
{
	return (double)(clock_now_ns() - t0_ns) / 1e6;
}

/* Writes the sheet of a loaded routine (loading began at t0, for the
 * summary); 0 or 1. */
static int write_sheet(const struct routine *r, const struct phrasebook *book, enum sheet_paper paper,
		       const char *out_path, enum sheet_format format, int64_t t0_ns)
{
	char msg[700];
	int pages = 0, minutes = 0;

	if (sheet_write_file(r, book, paper, out_path, format, &pages, &minutes, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "repcue sheet: %s\n", msg);
		return 1;
	}
	fprintf(stderr, "repcue: wrote %s: %d page%s, about %d minute%s, in %.0f ms\n", SHOWN(out_path), pages,
		pages == 1 ? "" : "s", minutes, minutes == 1 ? "" : "s", ms_since(t0_ns));
	return 0;
}

int cmd_sheet(int argc, char **argv, const struct repcue_env *env)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "letter", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *out_path = NULL;
	enum sheet_paper paper = SHEET_A4;
	char routine_buf[1024];
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'o': out_path = optarg; break;
		case 'L': paper = SHEET_LETTER; break;
		case 'h': usage(stdout); return 0;
		default: return cli_bad_option("sheet", opt, argv);
		}
	}
	if (!out_path)
		return cli_misuse("sheet", "give the file to write with -o SHEET.pdf (or .svg, .png)");
	int format = sheet_format_of(out_path);
	if (format < 0)
		return cli_misuse("sheet", "'%s': say the format by the file's extension: .pdf, .svg or .png",
				  SHOWN(out_path));
	if (argc - optind > 1)
		return cli_misuse("sheet", "one routine at a time; '%s' is one too many", SHOWN(argv[optind + 1]));
	const char *routine_path = optind < argc ? session_find_routine(env, argv[optind], routine_buf, sizeof(routine_buf))
						 : session_default_routine(env, routine_buf, sizeof(routine_buf));

	/* From here a signal removes the unfinished file (util/cleanup.h). */
	if (cleanup_install("repcue sheet") < 0) {
		fprintf(stderr, "repcue sheet: cannot set up signal handling\n");
		return 1;
	}
	out_file_sweep(out_path);
	int64_t t0_ns = clock_now_ns();
	/* A struct routine is a few hundred KiB: keep it off the stack. */
	struct routine *r = malloc(sizeof(*r));
	struct diag_list *diags = malloc(sizeof(*diags));
	struct voice_profile voice;
	int status = 1;
	if (!r || !diags)
		fprintf(stderr, "repcue sheet: %s\n", strerror(ENOMEM));
	else if (session_load_routine(&(struct session_options){ .env = env }, routine_path, "no sheet written", r, &voice, diags, stderr) == 0)
		/* the voice loaded, so its language has a phrasebook */
		status = write_sheet(r, phrasebook_find(voice.language), paper, out_path, (enum sheet_format)format,
				     t0_ns);
	free(diags);
	free(r);
	return status;
}
