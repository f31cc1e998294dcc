/* lobby.c - the routine chooser's list: scan, check, name the bad files
 * aloud once, pick the routine to wait with (session/lobby.h). */
#include "session/lobby.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "routine/diag.h"
#include "routine/routine_load.h"
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

void lobby_compose(struct lobby *lb, const struct phrasebook *book, const char *first,
		   enum phrase_id lobby, int number, int total, char *out, size_t size)
{
	char notes[LOBBY_NOTES_TEXT_MAX] = "", line[PLAN_TEXT_MAX];
	size_t o = 0;

	/* first: the files named after it get what room is left */
	if (first && first[0] && strlen(first) + 1 < sizeof(notes))
		o = (size_t)snprintf(notes, sizeof(notes), "%s", first);
	int unnamed = 0;   /* bad files not named: counted in "N more files" */

	/* room kept for the count of the files not named, so a file is
	 * never left out without a word */
	plan_expand(line, sizeof(line), phrase_text(book, PHRASE_MORE_BAD),
		    &(struct placeholder_values){ .number = ROUTINE_LIST_MAX, .book = book });
	size_t room_for_count = strlen(line) + 1;
	for (int i = 0; lb && i < lb->n_notes; i++) {
		const struct lobby_note *n = &lb->notes[i];
		bool names_a_file = n->id == PHRASE_SKIP_ROUTINE_AT || n->id == PHRASE_SKIP_CONFIG_AT;
		size_t limit = sizeof(notes) - (names_a_file ? room_for_count : 0);
		if (n->id == PHRASE_MORE_BAD) {
			unnamed += n->number;
			continue;
		}
		struct placeholder_values v = { .number = n->number, .book = book };
		if (names_a_file)
			routine_entry_skip_line_in(&n->skipped, n->id == PHRASE_SKIP_CONFIG_AT, book,
						   line, sizeof(line));
		else
			plan_expand(line, sizeof(line), phrase_text(book, n->id), &v);
		if (o + strlen(line) + 2 < limit)
			o += (size_t)snprintf(notes + o, sizeof(notes) - o, "%s%s", o ? " " : "", line);
		else if (names_a_file)
			unnamed++;
	}
	if (unnamed) {
		plan_expand(line, sizeof(line), phrase_text(book, PHRASE_MORE_BAD),
			    &(struct placeholder_values){ .number = unnamed, .book = book });
		if (o + strlen(line) + 2 < sizeof(notes))
			o += (size_t)snprintf(notes + o, sizeof(notes) - o, "%s%s", o ? " " : "", line);
	}
	if (lb)
		lb->n_notes = 0;
	/* {name} stays a placeholder: the session fills in the routine's name */
	struct placeholder_values v = { .name = "{name}", .number = number, .total = total, .book = book };
	plan_expand(line, sizeof(line), phrase_text(book, lobby), &v);
	snprintf(out, size, "%s%s%s", notes, notes[0] ? " " : "", line);
}

const struct phrasebook *lobby_routine_book(struct lobby *lb, const char *routine)
{
	struct routine_load_options opts = { .voices_dir = lb->voices_dir };
	struct voice_profile vp;
	char path[ROUTINE_DIR_PATH_MAX + ROUTINE_NAME_MAX + 8];

	if (routine_load_with(routine, &opts, &lb->scratch, &lb->diags) < 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s.yaml", lb->voices_dir, lb->scratch.voice);
	if (voice_profile_load(path, &vp, &lb->diags) < 0)
		return NULL;
	return phrasebook_find(vp.language);
}

/* Keeps e's first problem (the diags routine_entry_check() left, already
 * escaped) for lobby_problems(). */
static void note_problem(struct lobby *lb, const struct routine_entry *e)
{
	struct lobby_problem *pr = &lb->problems[lb->n_problems++];
	const struct diag *d = lb->diags.count ? &lb->diags.items[0] : NULL;

	pr->entry = e;
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

	lb->prev = lb->list;
	routine_list_scan(&lb->search, &lb->list, dir_problems);
	for (int i = 0; i < dir_problems->count; i++)
		diag_print(log, &dir_problems->items[i]);
	if (lb->list.dropped)
		fprintf(log, "repcue: %d more routine files than the %d the chooser offers; those are left out\n",
			lb->list.dropped, ROUTINE_LIST_MAX);
	lb->n_valid = 0;
	lb->n_problems = 0;
	for (int i = 0; i < lb->list.count; i++) {
		struct routine_entry *e = &lb->list.items[i];
		if (routine_entry_check(e, lb->voices_dir, &lb->scratch, &lb->diags) == 0) {
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
