#include "speech/cue_store.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Bytes a line not yet made is expected to take: ~70 ms per character. */
#define ESTIMATE_BYTES_PER_CHAR (SESSION_RATE_HZ * 70 / 1000 * 2)

int cue_store_init(struct cue_store *store, const struct plan *plan, struct speech *speech,
		   struct cue_cache *disk, bool on_demand, size_t budget_bytes)
{
	memset(store, 0, sizeof(*store));
	store->plan = plan;
	store->speech = speech;
	store->disk = disk;
	store->on_demand = on_demand;
	store->budget_bytes = budget_bytes ? budget_bytes : CUE_STORE_DEFAULT_BUDGET;
	int n = plan->n_texts;
	store->lines = calloc((size_t)n + 1, sizeof(*store->lines));
	store->ready = calloc((size_t)n + 1, sizeof(*store->ready));
	store->wanted = calloc((size_t)n + 1, sizeof(*store->wanted));
	store->order = calloc((size_t)n + 1, sizeof(*store->order));
	store->pinned = calloc((size_t)n + 1, sizeof(*store->pinned));
	if (!store->lines || !store->ready || !store->wanted || !store->order || !store->pinned) {
		cue_store_finish(store);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++)
		atomic_init(&store->ready[i], false);
	for (int t = 0; t < TEXT_FIXED_COUNT && t < n; t++)
		store->pinned[t] = true;
	for (int i = 0; i < plan->n_segments; i++)
		if (plan->segments[i].repeat_text >= 0)
			store->pinned[plan->segments[i].repeat_text] = true;
	atomic_init(&store->now_segment, 0);
	atomic_init(&store->now_playing, -1);
	atomic_init(&store->error, 0);
	atomic_init(&store->epoch, 0);
	return 0;
}

static void free_line(struct cue_store *store, int text)
{
	struct cue_line *line = &store->lines[text];

	store->bytes -= (size_t)line->frames * sizeof(int16_t);
	free(line->samples);
	line->samples = NULL;
	/* frames is kept: the next estimate of this line's size is exact */
}

void cue_store_finish(struct cue_store *store)
{
	if (store->lines)
		for (int i = 0; i < store->plan->n_texts; i++)
			free(store->lines[i].samples);
	free(store->lines);
	free(store->ready);
	free(store->wanted);
	free(store->order);
	free(store->pinned);
	memset(store, 0, sizeof(*store));
}

static bool is_ready(struct cue_store *store, int text)
{
	return atomic_load(&store->ready[text]);
}

static int synthesize(struct cue_store *store, int text, struct cue_line *out)
{
	struct speech_line sl;
	int ret;

	if (!store->speech)
		return -ENOTSUP;
	ret = speech_say(store->speech, store->plan->texts[text], &sl);
	if (ret < 0)
		return ret;
	out->samples = malloc((size_t)(sl.frames ? sl.frames : 1) * sizeof(int16_t));
	if (!out->samples) {
		speech_line_free(&sl);
		return -ENOMEM;
	}
	for (frames_t i = 0; i < sl.frames; i++)
		out->samples[i] = (int16_t)lrintf(sl.samples[i] * 32767.0f);
	out->frames = sl.frames;
	out->n_words = sl.n_words < CUE_WORDS_MAX ? sl.n_words : CUE_WORDS_MAX;
	memcpy(out->word_starts, sl.word_starts, (size_t)out->n_words * sizeof(out->word_starts[0]));
	speech_line_free(&sl);
	store->synthesized++;
	if (store->disk)
		cue_cache_store(store->disk, store->plan->texts[text], out); /* best effort */
	return 0;
}

/* Makes line `text` from the disk cache, or with eSpeak NG if `synth`;
 * -ENOENT if it is in neither. */
static int make(struct cue_store *store, int text, bool synth)
{
	struct cue_line line;
	int ret;

	if (text < 0 || text >= store->plan->n_texts)
		return -EINVAL;
	if (is_ready(store, text))
		return 0;
	if (store->disk && cue_cache_load(store->disk, store->plan->texts[text], &line) == 0) {
		store->from_disk++;
	} else if (!synth) {
		return -ENOENT;
	} else {
		ret = synthesize(store, text, &line);
		if (ret < 0) {
			atomic_store(&store->error, ret);
			return ret;
		}
	}
	store->lines[text] = line;
	store->bytes += (size_t)line.frames * sizeof(int16_t);
	atomic_store_explicit(&store->ready[text], true, memory_order_release);
	return 0;
}

int cue_store_make(struct cue_store *store, int text)
{
	return make(store, text, true);
}

/* --- on demand (one thread) --- */

static size_t line_bytes(const struct cue_store *store, int text)
{
	if (store->lines[text].frames > 0)
		return (size_t)store->lines[text].frames * sizeof(int16_t);
	return strlen(store->plan->texts[text]) * ESTIMATE_BYTES_PER_CHAR;
}


static void remember(struct cue_store *store, int text)
{
	for (int i = 0; i < store->n_recent; i++) {
		if (store->recent[i] == text) {
			memmove(&store->recent[1], &store->recent[0], (size_t)i * sizeof(int));
			store->recent[0] = text;
			return;
		}
	}
	int n = store->n_recent < CUE_STORE_RECENT ? store->n_recent : CUE_STORE_RECENT - 1;
	memmove(&store->recent[1], &store->recent[0], (size_t)n * sizeof(int));
	store->recent[0] = text;
	store->n_recent = n + 1;
}

static bool is_recent(const struct cue_store *store, int text)
{
	for (int i = 0; i < store->n_recent; i++)
		if (store->recent[i] == text)
			return true;
	return false;
}

/* Frees lines, longest first, that were not handed out lately (the one
 * playing is among those), until the store is within budget. */
static void trim_on_demand(struct cue_store *store, size_t room)
{
	while (store->bytes + room > store->budget_bytes) {
		int victim = -1;
		for (int i = 0; i < store->plan->n_texts; i++) {
			if (!store->lines[i].samples || is_recent(store, i) ||
			    i == atomic_load_explicit(&store->now_playing, memory_order_relaxed))
				continue;
			if (victim < 0 || store->lines[i].frames > store->lines[victim].frames)
				victim = i;
		}
		if (victim < 0)
			return;
		atomic_store_explicit(&store->ready[victim], false, memory_order_relaxed);
		free_line(store, victim);
		store->dropped++;
	}
}

/* --- ahead (speech thread) --- */

static void reclaim(struct cue_store *store)
{
	unsigned epoch = atomic_load(&store->epoch);
	int playing = atomic_load(&store->now_playing);

	for (int i = 0; i < store->n_retired;) {
		/* Two finished blocks: any get() that saw the line ready has
		 * either started it (then it is now_playing) or let it go. */
		if (epoch - store->retired[i].epoch >= 2 && store->retired[i].text != playing) {
			free_line(store, store->retired[i].text);
			store->retired[i] = store->retired[--store->n_retired];
		} else {
			i++;
		}
	}
}

static bool is_retired(const struct cue_store *store, int text)
{
	for (int i = 0; i < store->n_retired; i++)
		if (store->retired[i].text == text)
			return true;
	return false;
}

static void want(struct cue_store *store, int text, int *order, int *n_order, size_t *planned)
{
	if (text < 0 || store->wanted[text])
		return;
	store->wanted[text] = true;
	order[(*n_order)++] = text;
	*planned += line_bytes(store, text);
}

static void want_segment(struct cue_store *store, int s, int *order, int *n_order, size_t *planned)
{
	const struct plan *p = store->plan;
	const struct plan_segment *sg = &p->segments[s];

	for (int a = sg->first_action; a < sg->first_action + sg->n_actions; a++)
		if (p->actions[a].kind == ACTION_SAY)
			want(store, p->actions[a].arg, order, n_order, planned);
}

/* Lists what the session may say next, most urgent first:
 * 1. lines added after the plan was built (the lobby line) and what the
 *    current and next segment say: a cold start makes the first line
 *    first and the lobby and the first exercise never wait for lines
 *    needed minutes later;
 * 2. every confirmation, including "Repeating set N." for every set the
 *    plan has: always wanted, so never dropped (pinned), and ready before
 *    the first press can plausibly come;
 * 3. what the coming segments say, up to 3/4 of the budget (the rest is
 *    room for lines being replaced). */
static void mark_wanted(struct cue_store *store, int *order, int *n_order)
{
	const struct plan *p = store->plan;
	int seg = atomic_load_explicit(&store->now_segment, memory_order_acquire);
	size_t planned = 0;

	memset(store->wanted, 0, (size_t)p->n_texts * sizeof(bool));
	*n_order = 0;
	for (int t = p->n_built_texts; t < p->n_texts; t++)
		want(store, t, order, n_order, &planned);
	/* From the start of the current unit, so `repeat` finds its lines. */
	while (seg > 0 && seg < p->n_segments && !p->segments[seg].unit_start)
		seg--;
	for (int s = seg; s < p->n_segments && s <= seg + 1; s++)
		want_segment(store, s, order, n_order, &planned);
	for (int t = 0; t < TEXT_FIXED_COUNT && t < p->n_texts; t++)
		want(store, t, order, n_order, &planned);
	for (int s = 0; s < p->n_segments; s++)
		want(store, p->segments[s].repeat_text, order, n_order, &planned);
	for (int s = seg + 2; s < p->n_segments && planned <= store->budget_bytes / 4 * 3; s++)
		want_segment(store, s, order, n_order, &planned);
}

int cue_store_prefetch(struct cue_store *store)
{
	const struct plan *p = store->plan;
	int *order = store->order;
	int n_order, made = 0;

	reclaim(store);
	mark_wanted(store, order, &n_order);
	/* Room kept for pinned lines not made yet: a long introduction in a
	 * small budget must not crowd out "Paused.". */
	size_t reserve = 0;
	for (int t = 0; t < p->n_texts; t++)
		if (store->pinned[t] && !is_ready(store, t) && !is_retired(store, t))
			reserve += line_bytes(store, t);
	for (int i = 0; i < n_order; i++) {
		int text = order[i];
		if (is_ready(store, text) || is_retired(store, text))
			continue;
		size_t need = line_bytes(store, text) + (store->pinned[text] ? 0 : reserve);
		/* Make room first: retire lines nobody wants soon. */
		for (int v = 0; v < p->n_texts && store->bytes + need > store->budget_bytes &&
				store->n_retired < CUE_STORE_RETIRED_MAX; v++) {
			if (store->wanted[v] || !is_ready(store, v))
				continue;
			/* Sequentially consistent with the audio thread's epoch
			 * increment: every get() in a block that starts after the
			 * epoch read here sees the line as gone. */
			atomic_store(&store->ready[v], false);
			store->retired[store->n_retired].text = v;
			store->retired[store->n_retired].epoch = atomic_load(&store->epoch);
			store->n_retired++;
			store->dropped++;
		}
		if (store->bytes + line_bytes(store, text) > store->budget_bytes)
			break; /* wait for retired lines to be freed */
		if (store->bytes + need > store->budget_bytes)
			continue; /* the room left is for the pinned lines further on */
		size_t estimate = line_bytes(store, text);
		if (cue_store_make(store, text) == 0) {
			made++;
			if (store->pinned[text])
				reserve -= estimate < reserve ? estimate : reserve;
		}
		if (store->bytes > store->peak_bytes)
			store->peak_bytes = store->bytes;
	}
	return made;
}

int cue_store_prime(struct cue_store *store)
{
	int n_order, ret = 0;

	mark_wanted(store, store->order, &n_order);
	if (n_order > 0)
		ret = cue_store_make(store, store->order[0]);
	for (int i = 1; i < n_order && ret == 0; i++) {
		if (store->bytes + line_bytes(store, store->order[i]) > store->budget_bytes)
			break;
		int r = make(store, store->order[i], false);
		if (r < 0 && r != -ENOENT)
			ret = r;
	}
	if (store->bytes > store->peak_bytes)
		store->peak_bytes = store->bytes;
	return ret;
}

size_t cue_store_pinned_bytes(const struct cue_store *store)
{
	const struct plan *p = store->plan;
	size_t bytes = 0;

	for (int t = 0; t < TEXT_FIXED_COUNT && t < p->n_texts; t++)
		bytes += line_bytes(store, t);
	for (int s = 0; s < p->n_segments; s++) {
		int t = p->segments[s].repeat_text;
		bool first = t >= 0;
		for (int k = 0; k < s && first; k++)
			first = p->segments[k].repeat_text != t;
		if (first)
			bytes += line_bytes(store, t);
	}
	return bytes;
}

/* --- the audio side --- */

static int get(void *ctx, int text, struct cue_audio *out)
{
	struct cue_store *store = ctx;

	if (text < 0 || text >= store->plan->n_texts)
		return -EINVAL;
	if (!is_ready(store, text)) {
		if (!store->on_demand)
			return -EAGAIN;
		trim_on_demand(store, line_bytes(store, text));
		if (cue_store_make(store, text) < 0)
			return -EAGAIN;
	}
	if (store->on_demand) {
		remember(store, text);
		trim_on_demand(store, 0);
	}
	if (store->bytes > store->peak_bytes)
		store->peak_bytes = store->bytes;
	const struct cue_line *line = &store->lines[text];
	*out = (struct cue_audio){
		.samples = line->samples, .frames = line->frames,
		.word_starts = line->word_starts, .n_words = line->n_words,
	};
	return 0;
}

static void at(void *ctx, int segment, int playing)
{
	struct cue_store *store = ctx;

	atomic_store(&store->now_segment, segment);
	atomic_store(&store->now_playing, playing);
	atomic_fetch_add(&store->epoch, 1);
}

struct cue_source cue_store_source(struct cue_store *store)
{
	return (struct cue_source){ .ctx = store, .get = get, .at = at };
}
