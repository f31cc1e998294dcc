#include "speech/line_store.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The counters have one writer, the speech thread (or the render loop):
 * relaxed is enough, a reader wants a figure, not an ordering. */
static void count(atomic_int *counter)
{
	atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

static void note_peak(struct line_store *store)
{
	if (store->bytes > atomic_load_explicit(&store->peak_bytes, memory_order_relaxed))
		atomic_store_explicit(&store->peak_bytes, store->bytes, memory_order_relaxed);
}

int line_store_init(struct line_store *store, const struct plan *plan, struct speech *speech,
		   struct line_cache *disk, bool on_demand, size_t budget_bytes)
{
	memset(store, 0, sizeof(*store));
	store->plan = plan;
	store->speech = speech;
	store->disk = disk;
	store->on_demand = on_demand;
	store->budget_bytes = budget_bytes ? budget_bytes : LINE_STORE_DEFAULT_BUDGET;
	store->first_text = -1;
	int n = plan->n_texts;
	store->lines = calloc((size_t)n + 1, sizeof(*store->lines));
	store->ready = calloc((size_t)n + 1, sizeof(*store->ready));
	store->wanted = calloc((size_t)n + 1, sizeof(*store->wanted));
	store->order = calloc((size_t)n + 1, sizeof(*store->order));
	store->played = calloc((size_t)n + 1, sizeof(*store->played));
	store->pinned = calloc((size_t)n + 1, sizeof(*store->pinned));
	store->failed = calloc((size_t)n + 1, sizeof(*store->failed));
	if (!store->lines || !store->ready || !store->wanted || !store->order || !store->played ||
	    !store->pinned || !store->failed) {
		line_store_finish(store);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		atomic_init(&store->ready[i], false);
		atomic_init(&store->played[i], 0);
		atomic_init(&store->failed[i], false);
	}
	for (int t = 0; t < TEXT_FIXED_COUNT && t < n; t++)
		store->pinned[t] = true;
	for (int i = 0; i < plan->n_segments; i++)
		if (plan->segments[i].repeat_text >= 0)
			store->pinned[plan->segments[i].repeat_text] = true;
	atomic_init(&store->now_segment, 0);
	atomic_init(&store->now_playing, -1);
	atomic_init(&store->error, 0);
	atomic_init(&store->epoch, 0);
	atomic_init(&store->segment_epoch, 0);
	atomic_init(&store->missed, -1);
	store->audio_segment = 0;
	store->blocked_text = -1;
	return 0;
}

static void free_line(struct line_store *store, int text)
{
	struct stored_line *line = &store->lines[text];

	store->bytes -= (size_t)line->frames * sizeof(int16_t);
	free(line->samples);
	line->samples = NULL;
	/* frames is kept: the next estimate of this line's size is exact */
}

void line_store_say_first(struct line_store *store, int text)
{
	store->first_text = text;
}

void line_store_finish(struct line_store *store)
{
	if (store->lines)
		for (int i = 0; i < store->plan->n_texts; i++)
			free(store->lines[i].samples);
	free(store->lines);
	free(store->ready);
	free(store->wanted);
	free(store->order);
	free(store->played);
	free(store->pinned);
	free(store->failed);
	memset(store, 0, sizeof(*store));
}

static bool is_ready(struct line_store *store, int text)
{
	return atomic_load(&store->ready[text]);
}

static int synthesize(struct line_store *store, int text, struct stored_line *out)
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
	out->n_words = sl.n_words < LINE_WORDS_MAX ? sl.n_words : LINE_WORDS_MAX;
	memcpy(out->word_starts, sl.word_starts, (size_t)out->n_words * sizeof(out->word_starts[0]));
	speech_line_free(&sl);
	count(&store->synthesized);
	if (store->disk)
		line_cache_store(store->disk, store->plan->texts[text], out); /* best effort */
	return 0;
}

/* Makes line `text` from the disk cache, or with eSpeak NG if `synth`;
 * -ENOENT if it is in neither. */
static int make(struct line_store *store, int text, bool synth)
{
	struct stored_line line;
	int ret;

	if (text < 0 || text >= store->plan->n_texts)
		return -EINVAL;
	if (is_ready(store, text))
		return 0;
	if (store->disk && line_cache_load(store->disk, store->plan->texts[text], &line) == 0) {
		count(&store->from_disk);
	} else if (!synth) {
		return -ENOENT;
	} else {
		ret = synthesize(store, text, &line);
		if (ret < 0) {
			atomic_store(&store->error, ret);
			/* the audio side stops waiting for it (get: -ENOENT) */
			atomic_store_explicit(&store->failed[text], true, memory_order_relaxed);
			return ret;
		}
	}
	atomic_store_explicit(&store->failed[text], false, memory_order_relaxed);
	store->lines[text] = line;
	store->bytes += (size_t)line.frames * sizeof(int16_t);
	atomic_store_explicit(&store->ready[text], true, memory_order_release);
	return 0;
}

int line_store_make(struct line_store *store, int text)
{
	return make(store, text, true);
}

/* --- on demand (one thread) --- */

static size_t line_bytes(const struct line_store *store, int text)
{
	if (store->lines[text].frames > 0)
		return (size_t)store->lines[text].frames * sizeof(int16_t);
	return strlen(store->plan->texts[text]) * PLAN_SPEECH_BYTES_PER_CHAR;
}


static void remember(struct line_store *store, int text)
{
	for (int i = 0; i < store->n_recent; i++) {
		if (store->recent[i] == text) {
			memmove(&store->recent[1], &store->recent[0], (size_t)i * sizeof(int));
			store->recent[0] = text;
			return;
		}
	}
	int n = store->n_recent < LINE_STORE_RECENT ? store->n_recent : LINE_STORE_RECENT - 1;
	memmove(&store->recent[1], &store->recent[0], (size_t)n * sizeof(int));
	store->recent[0] = text;
	store->n_recent = n + 1;
}

static bool is_recent(const struct line_store *store, int text)
{
	for (int i = 0; i < store->n_recent; i++)
		if (store->recent[i] == text)
			return true;
	return false;
}

/* Frees lines, longest first, that were not handed out lately (the one
 * playing is among those), until the store is within budget. */
static void trim_on_demand(struct line_store *store, size_t room)
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
		count(&store->dropped);
	}
}

/* --- ahead (speech thread) --- */

static void reclaim(struct line_store *store)
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

static bool is_retired(const struct line_store *store, int text)
{
	for (int i = 0; i < store->n_retired; i++)
		if (store->retired[i].text == text)
			return true;
	return false;
}

/* True if line `text` played in the current segment (since the audio
 * thread entered it) and is not playing now: said, so it may go. */
static bool said(struct line_store *store, int text, int playing)
{
	unsigned played = atomic_load_explicit(&store->played[text], memory_order_acquire);
	unsigned since = atomic_load_explicit(&store->segment_epoch, memory_order_acquire);

	return text != playing && played != 0 && played - 1 >= since;
}

static void want(struct line_store *store, int text, int *order, int *n_order, size_t *planned)
{
	if (text < 0 || store->wanted[text])
		return;
	store->wanted[text] = true;
	order[(*n_order)++] = text;
	*planned += line_bytes(store, text);
}

static void want_actions(struct line_store *store, int from, int to, int *order, int *n_order,
			 size_t *planned)
{
	for (int a = from; a < to; a++)
		if (store->plan->actions[a].kind == ACTION_SAY)
			want(store, store->plan->actions[a].arg, order, n_order, planned);
}

/* Lists what the session may say next, most urgent first:
 * 1. the line said before the plan starts (the lobby line): always wanted;
 * 2. the line the sequencer is waiting for, then the current segment's
 *    lines not said yet (the one playing first), then the next segment's:
 *    a cold start makes the first line first, and the lobby and the first
 *    exercise never wait for lines needed minutes later;
 * 3. the pinned lines: every confirmation and "Repeating set N." for every
 *    set the plan has, always wanted, so never dropped;
 * 4. what the coming segments say, up to 3/4 of the budget (the rest is
 *    room for lines being replaced), and last what was already said in the
 *    current unit (so `repeat` finds its lines).
 * order[cur->start .. cur->end) are the current segment's lines to come;
 * order[.. cur->urgent_end) ends with the first line of the next segment. */
struct order_marks {
	int start, end, urgent_end;
};

static void want_pinned(struct line_store *store, int *order, int *n_order, size_t *planned)
{
	const struct plan *p = store->plan;

	for (int t = 0; t < TEXT_FIXED_COUNT && t < p->n_texts; t++)
		want(store, t, order, n_order, planned);
	for (int s = 0; s < p->n_segments; s++)
		want(store, p->segments[s].repeat_text, order, n_order, planned);
}

static void mark_wanted(struct line_store *store, int missed, int *order, int *n_order,
			struct order_marks *cur)
{
	const struct plan *p = store->plan;
	int seg = atomic_load_explicit(&store->now_segment, memory_order_acquire);
	int playing = atomic_load_explicit(&store->now_playing, memory_order_acquire);
	size_t planned = 0;

	memset(store->wanted, 0, (size_t)p->n_texts * sizeof(bool));
	*n_order = 0;
	if (store->first_text >= 0 && store->first_text < p->n_texts)
		want(store, store->first_text, order, n_order, &planned);
	cur->start = cur->end = cur->urgent_end = *n_order;
	if (seg < 0 || seg >= p->n_segments) {
		want_pinned(store, order, n_order, &planned);
		return;
	}
	if (missed >= 0 && missed < p->n_texts)
		want(store, missed, order, n_order, &planned);
	const struct plan_segment *now = &p->segments[seg];
	if (playing >= 0)
		for (int a = now->first_action; a < now->first_action + now->n_actions; a++)
			if (p->actions[a].kind == ACTION_SAY && p->actions[a].arg == playing)
				want(store, playing, order, n_order, &planned);
	for (int a = now->first_action; a < now->first_action + now->n_actions; a++)
		if (p->actions[a].kind == ACTION_SAY && !said(store, p->actions[a].arg, playing))
			want(store, p->actions[a].arg, order, n_order, &planned);
	cur->end = cur->urgent_end = *n_order;
	if (seg + 1 < p->n_segments) {
		const struct plan_segment *sg = &p->segments[seg + 1];
		int before = *n_order;
		want_actions(store, sg->first_action, sg->first_action + sg->n_actions, order, n_order,
			     &planned);
		if (*n_order > before)
			cur->urgent_end = before + 1;
	}
	want_pinned(store, order, n_order, &planned);
	for (int s = seg + 2; s < p->n_segments && planned <= store->budget_bytes / 4 * 3; s++) {
		const struct plan_segment *sg = &p->segments[s];
		want_actions(store, sg->first_action, sg->first_action + sg->n_actions, order, n_order,
			     &planned);
	}
	/* From the start of the current unit, so `repeat` finds its lines. */
	int unit = seg;
	while (unit > 0 && !p->segments[unit].unit_start)
		unit--;
	for (int s = unit; s <= seg; s++) {
		const struct plan_segment *sg = &p->segments[s];
		if (sg->repeat_text >= 0)
			want(store, sg->repeat_text, order, n_order, &planned);
		want_actions(store, sg->first_action, sg->first_action + sg->n_actions, order, n_order,
			     &planned);
	}
}

static void retire(struct line_store *store, int text)
{
	/* Sequentially consistent with the audio thread's epoch increment:
	 * every get() in a block that starts after the epoch read here sees
	 * the line as gone. */
	atomic_store(&store->ready[text], false);
	store->retired[store->n_retired].text = text;
	store->retired[store->n_retired].epoch = atomic_load(&store->epoch);
	store->n_retired++;
	count(&store->dropped);
}

static size_t retired_bytes(const struct line_store *store)
{
	size_t n = 0;

	for (int i = 0; i < store->n_retired; i++)
		n += line_bytes(store, store->retired[i].text);
	return n;
}

int line_store_prefetch(struct line_store *store)
{
	const struct plan *p = store->plan;
	int *order = store->order;
	struct order_marks cur;
	int n_order, made = 0;
	bool missing_before = false; /* a more urgent line is not made yet */

	reclaim(store);
	int missed = atomic_exchange(&store->missed, -1);
	mark_wanted(store, missed, order, &n_order, &cur);
	store->blocked_text = -1;
	int playing = atomic_load(&store->now_playing);
	/* Room kept for pinned lines not made yet: a long introduction in a
	 * small budget must not crowd out "Paused.". */
	size_t reserve = 0;
	for (int t = 0; t < p->n_texts; t++)
		if (store->pinned[t] && !is_ready(store, t) && !is_retired(store, t))
			reserve += line_bytes(store, t);
	for (int i = 0; i < n_order; i++) {
		int text = order[i];
		if (is_ready(store, text))
			continue;
		if (is_retired(store, text)) {
			missing_before = true;
			continue;
		}
		size_t own = line_bytes(store, text);
		size_t need = own + (store->pinned[text] ? 0 : reserve);
		size_t freeing = retired_bytes(store);
		/* Make room: first lines nobody wants soon, then wanted lines
		 * less urgent than this one, least urgent first. */
		for (int v = 0; v < p->n_texts && store->bytes - freeing + need > store->budget_bytes &&
				store->n_retired < LINE_STORE_RETIRED_MAX; v++) {
			if (store->wanted[v] || !is_ready(store, v))
				continue;
			retire(store, v);
			freeing += line_bytes(store, v);
		}
		for (int j = n_order - 1; j > i && store->bytes - freeing + need > store->budget_bytes &&
				store->n_retired < LINE_STORE_RETIRED_MAX; j--) {
			int v = order[j];
			if (!is_ready(store, v) || v == playing || store->pinned[v])
				continue;
			retire(store, v);
			freeing += line_bytes(store, v);
		}
		if (store->bytes + need > store->budget_bytes) {
			if (freeing > 0)
				break; /* wait for retired lines to be freed */
			/* Nothing left to drop: what is held is more urgent.
			 * Waiting helps while the session has lines of this
			 * segment to say before this one: once said they can
			 * go. If the sequencer waits for this line, or it is
			 * the line it needs next (nothing more urgent missing,
			 * and before it in this segment at most the line
			 * playing), or a confirmation, waiting would stop the
			 * session: make it over budget. */
			int unsaid_before = (i < cur.end ? i : cur.end) - cur.start;
			bool next = text == missed || store->pinned[text] ||
				    (!missing_before &&
				     (i < cur.start || (i < cur.urgent_end && unsaid_before <= 1)));
			if (!next && store->bytes + own <= store->budget_bytes) {
				/* it fits, but the room left is for the pinned
				 * lines further on */
				missing_before = true;
				continue;
			}
			if (!next) {
				store->blocked_text = text;
				break;
			}
			if (store->bytes + own > store->budget_bytes)
				count(&store->over_budget);
		}
		if (line_store_make(store, text) == 0) {
			made++;
			if (store->pinned[text])
				reserve -= own < reserve ? own : reserve;
		} else {
			missing_before = true;
		}
		note_peak(store);
	}
	return made;
}

int line_store_prime(struct line_store *store)
{
	struct order_marks cur;
	int n_order, ret = 0;

	mark_wanted(store, -1, store->order, &n_order, &cur);
	if (n_order > 0)
		ret = line_store_make(store, store->order[0]);
	for (int i = 1; i < n_order && ret == 0; i++) {
		if (store->bytes + line_bytes(store, store->order[i]) > store->budget_bytes)
			break;
		int r = make(store, store->order[i], false);
		if (r < 0 && r != -ENOENT)
			ret = r;
	}
	note_peak(store);
	return ret;
}

size_t line_store_pinned_bytes(const struct line_store *store)
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

static int get(void *ctx, int text, struct line_audio *out)
{
	struct line_store *store = ctx;

	if (text < 0 || text >= store->plan->n_texts)
		return -EINVAL;
	if (!is_ready(store, text)) {
		/* -EAGAIN: being made, the sequencer waits for it (bounded);
		 * -ENOENT: making it failed, the sequencer does not wait. */
		if (!store->on_demand) {
			atomic_store_explicit(&store->missed, text, memory_order_release);
			return atomic_load_explicit(&store->failed[text], memory_order_relaxed) ? -ENOENT
												: -EAGAIN;
		}
		trim_on_demand(store, line_bytes(store, text));
		if (line_store_make(store, text) < 0)
			return -ENOENT;
	}
	if (store->on_demand) {
		remember(store, text);
		trim_on_demand(store, 0);
		note_peak(store);
	}
	const struct stored_line *line = &store->lines[text];
	*out = (struct line_audio){
		.samples = line->samples, .frames = line->frames,
		.word_starts = line->word_starts, .n_words = line->n_words,
	};
	return 0;
}

/* get() without effects on what the store keeps: live, only a line that
 * is ready; on demand (render) the line is made, as get() will make it
 * when it is due, without trimming (the real get trims). */
static int peek(void *ctx, int text, struct line_audio *out)
{
	struct line_store *store = ctx;

	if (text < 0 || text >= store->plan->n_texts)
		return -EINVAL;
	if (!is_ready(store, text)) {
		if (!store->on_demand)
			return atomic_load_explicit(&store->failed[text], memory_order_relaxed) ? -ENOENT
												: -EAGAIN;
		if (line_store_make(store, text) < 0)
			return -ENOENT;
	}
	const struct stored_line *line = &store->lines[text];
	*out = (struct line_audio){
		.samples = line->samples, .frames = line->frames,
		.word_starts = line->word_starts, .n_words = line->n_words,
	};
	return 0;
}

static void at(void *ctx, int segment, int playing)
{
	struct line_store *store = ctx;
	unsigned epoch = atomic_load_explicit(&store->epoch, memory_order_relaxed);

	if (segment != store->audio_segment) {
		store->audio_segment = segment;
		atomic_store(&store->segment_epoch, epoch);
	}
	if (playing >= 0 && playing < store->plan->n_texts)
		atomic_store_explicit(&store->played[playing], epoch + 1, memory_order_release);
	atomic_store(&store->now_segment, segment);
	atomic_store(&store->now_playing, playing);
	atomic_fetch_add(&store->epoch, 1);
}

struct line_source line_store_source(struct line_store *store)
{
	return (struct line_source){ .ctx = store, .get = get, .at = at, .peek = peek };
}
