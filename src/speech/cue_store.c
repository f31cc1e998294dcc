#include "speech/cue_store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cue_store_init(struct cue_store *store, const struct plan *plan)
{
	memset(store, 0, sizeof(*store));
	store->plan = plan;
	store->n = plan->n_texts;
	store->lines = calloc((size_t)store->n + 1, sizeof(*store->lines));
	store->ready = calloc((size_t)store->n + 1, sizeof(*store->ready));
	if (!store->lines || !store->ready) {
		cue_store_finish(store);
		return -ENOMEM;
	}
	for (int i = 0; i < store->n; i++)
		atomic_init(&store->ready[i], false);
	return 0;
}

void cue_store_finish(struct cue_store *store)
{
	if (store->lines)
		for (int i = 0; i < store->n; i++)
			speech_line_free(&store->lines[i]);
	free(store->lines);
	free(store->ready);
	memset(store, 0, sizeof(*store));
}

int cue_store_make(struct cue_store *store, struct speech *sp, int text)
{
	if (text < 0 || text >= store->n)
		return -EINVAL;
	if (atomic_load_explicit(&store->ready[text], memory_order_acquire))
		return 0;
	int ret = speech_say(sp, store->plan->texts[text], &store->lines[text]);
	if (ret < 0)
		return ret;
	store->synthesized++;
	atomic_store_explicit(&store->ready[text], true, memory_order_release);
	return 0;
}

int cue_store_make_all(struct cue_store *store, struct speech *sp)
{
	for (int i = 0; i < store->n; i++) {
		int ret = cue_store_make(store, sp, i);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int get(void *ctx, int text, struct cue_audio *out)
{
	struct cue_store *store = ctx;

	if (text < 0 || text >= store->n ||
	    !atomic_load_explicit(&store->ready[text], memory_order_acquire))
		return -EAGAIN;
	const struct speech_line *line = &store->lines[text];
	*out = (struct cue_audio){
		.samples = line->samples, .frames = line->frames,
		.word_starts = line->word_starts, .n_words = line->n_words,
	};
	return 0;
}

struct cue_source cue_store_source(struct cue_store *store)
{
	return (struct cue_source){ .ctx = store, .get = get };
}
