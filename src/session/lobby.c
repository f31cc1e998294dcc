/* lobby.c - the routine chooser's list: scan, check, name the bad files
 * aloud once, pick the routine to wait with (session/lobby.h). */
#include "session/lobby.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "routine/diag.h"

void lobby_say(struct lobby *lb, const char *line)
{
	size_t o = strlen(lb->spoken);
	if (o + strlen(line) + 2 < sizeof(lb->spoken))
		snprintf(lb->spoken + o, sizeof(lb->spoken) - o, "%s%s", o ? " " : "", line);
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
	for (int i = 0; i < lb->list.count; i++) {
		struct routine_entry *e = &lb->list.items[i];
		if (routine_entry_check(e, lb->voices_dir, &lb->scratch, &lb->diags) == 0) {
			lb->valid[lb->n_valid++] = i;
			continue;
		}
		if (routine_entry_reported(&lb->prev, e))
			continue;
		for (int k = 0; k < lb->diags.count; k++)
			diag_print(log, &lb->diags.items[k]);
		fprintf(log, "repcue: %s: skipped; the other routines stay available\n", e->path);
		if (skipped++ < SKIP_LINES_MAX) {
			char line[ROUTINE_FILE_NAME_MAX + 80];
			routine_entry_skip_line(e, "Routine file", line, sizeof(line));
			lobby_say(lb, line);
		} else {
			unsaid++;
		}
	}
	if (unsaid) {
		char line[80];
		snprintf(line, sizeof(line), "%d more routine files have problems.", unsaid);
		lobby_say(lb, line);
	}
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
	lobby_say(lb, "No routine file can be used. Playing the built-in routine.");
	return lb->fallback;
}
