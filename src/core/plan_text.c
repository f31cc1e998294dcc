/* plan_text.c - the plan's texts, each stored once: plan_intern() and its
 * open-addressing index, which the plan builder and the session (lobby
 * lines, closing lines) add to. */
#include "core/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a: short, well known, good enough spread for lines of text that
 * differ only in a number ("Rep 12 of set 3"). A hand-written table rather
 * than hsearch_r(3), whose table cannot grow and would keep pointers into
 * texts, which moves when it grows; glib would bring a library into the
 * pure core for forty lines. */
static unsigned text_hash(const char *text)
{
	unsigned h = 2166136261u;

	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		h = (h ^ *c) * 16777619u;
	return h;
}

/* Rebuilds the index with `slots` slots (a power of two) from the stored
 * hashes. 0 or -ENOMEM (the old index is kept). */
static int index_resize(struct plan *plan, int slots)
{
	int *index = calloc((size_t)slots, sizeof(*index));

	if (!index)
		return -ENOMEM;
	for (int id = 0; id < plan->n_texts; id++) {
		unsigned s = plan->text_hashes[id] & (unsigned)(slots - 1);
		while (index[s])
			s = (s + 1) & (unsigned)(slots - 1);
		index[s] = id + 1;
	}
	free(plan->text_index);
	plan->text_index = index;
	plan->index_slots = slots;
	return 0;
}

int plan_intern(struct plan *plan, const char *text)
{
	char line[PLAN_TEXT_MAX];

	/* Stored texts are cut to PLAN_TEXT_MAX - 1 bytes: look up what
	 * would be stored, so a long line is found again. */
	snprintf(line, sizeof(line), "%s", text);
	unsigned h = text_hash(line);
	if (plan->index_slots > 0) {
		unsigned mask = (unsigned)plan->index_slots - 1;
		for (unsigned s = h & mask; plan->text_index[s]; s = (s + 1) & mask) {
			int id = plan->text_index[s] - 1;
			plan->intern_probes++;
			if (plan->text_hashes[id] == h && strcmp(plan->texts[id], line) == 0)
				return id;
		}
	}
	/* Load factor at most 1/2: probes stay short. */
	if (2 * (plan->n_texts + 1) >= plan->index_slots) {
		int r = index_resize(plan, plan->index_slots ? plan->index_slots * 2 : 64);
		if (r < 0)
			return r;
	}
	if (plan->n_texts == plan->cap_texts) {
		int cap = plan->cap_texts ? plan->cap_texts * 2 : 64;
		void *texts = realloc(plan->texts, (size_t)cap * sizeof(*plan->texts));
		if (!texts)
			return -ENOMEM;
		plan->texts = texts;
		void *hashes = realloc(plan->text_hashes, (size_t)cap * sizeof(*plan->text_hashes));
		if (!hashes)
			return -ENOMEM;
		plan->text_hashes = hashes;
		plan->cap_texts = cap;
	}
	int id = plan->n_texts++;
	memcpy(plan->texts[id], line, strlen(line) + 1);
	plan->text_hashes[id] = h;
	unsigned mask = (unsigned)plan->index_slots - 1;
	unsigned s = h & mask;
	while (plan->text_index[s]) {
		s = (s + 1) & mask;
		plan->intern_probes++;
	}
	plan->text_index[s] = id + 1;
	return id;
}
