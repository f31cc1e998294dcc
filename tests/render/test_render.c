/* Render tier: whole routines through the real speech engine and mixer,
 * asserted on sample positions and levels (never on hashes of audio). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "session/session.h"

#define MAX_OPEN_SAYS 8

/* A line being checked: the output over its span must carry it. */
struct say_check {
	int text;
	frames_t start, len, done;
	double dot, e_out, e_line;
};

struct render_stats {
	frames_t frames;
	float peak;
	int says, beeps, beeps_checked, says_checked;
	frames_t end_at;
};

/* What render_checked follows from block to block. */
struct checked {
	const struct session *s;
	struct render_stats *st;
	float *capture;
	frames_t capture_len;
	bool pressed;
	struct say_check open[MAX_OPEN_SAYS];
	int n_open, seg, next_action;
	frames_t seg_start;
};

static int check_block(void *ctx, frames_t block_start, const float *block, const struct seq_log_entry *log, int n)
{
	struct checked *chk = ctx;
	const struct session *s = chk->s;
	const struct plan *p = &s->plan;
	struct render_stats *st = chk->st;

	if (chk->capture && block_start + ENGINE_BLOCK <= chk->capture_len)
		memcpy(chk->capture + block_start, block, sizeof(float) * ENGINE_BLOCK);
	for (int i = 0; i < n; i++) {
		const struct seq_log_entry *l = &log[i];
		if (l->kind == LOG_SEGMENT) {
			chk->seg = l->arg;
			chk->seg_start = l->at;
			chk->next_action = p->segments[chk->seg].first_action;
		} else if (l->kind == LOG_BEEP) {
			st->beeps++;
			if (chk->pressed)
				continue;
			while (p->actions[chk->next_action].kind != ACTION_BEEP)
				chk->next_action++;
			CHECK(l->at == chk->seg_start + p->actions[chk->next_action].at && p->actions[chk->next_action].arg == l->arg,
			      "beep %s at %lld, planned at %lld", tone_name((enum tone)l->arg), (long long)l->at,
			      (long long)(chk->seg_start + p->actions[chk->next_action].at));
			st->beeps_checked++;
			chk->next_action++;
		} else if (l->kind == LOG_SAY) {
			st->says++;
			if (chk->n_open < MAX_OPEN_SAYS) {
				chk->open[chk->n_open++] = (struct say_check){
					.text = l->arg, .start = l->at, .len = s->lines.lines[l->arg].frames,
				};
			}
		} else if (l->kind == LOG_CUT) {
			for (int k = 0; k < chk->n_open; k++)
				if (chk->open[k].text == l->arg)
					chk->open[k].len = l->at - chk->open[k].start;
		} else if (l->kind == LOG_END) {
			st->end_at = l->at;
		}
	}
	for (int i = 0; i < ENGINE_BLOCK; i++)
		if (fabsf(block[i]) > st->peak)
			st->peak = fabsf(block[i]);
	for (int k = 0; k < chk->n_open; k++) {
		struct say_check *c = &chk->open[k];
		const int16_t *said = s->lines.lines[c->text].samples;
		for (frames_t f = block_start; f < block_start + ENGINE_BLOCK; f++) {
			frames_t i = f - c->start;
			if (i < 0 || i >= c->len)
				continue;
			c->dot += (double)block[f - block_start] * said[i];
			c->e_out += (double)block[f - block_start] * block[f - block_start];
			c->e_line += (double)said[i] * said[i];
			c->done = i + 1;
		}
		if (c->done == c->len || block_start + ENGINE_BLOCK >= c->start + c->len) {
			double corr = c->dot / sqrt(c->e_out * c->e_line + 1e-20);
			CHECK(corr > 0.95, "line '%s' at %lld: correlation with the output %.3f",
			      p->texts[c->text], (long long)c->start, corr);
			st->says_checked++;
			chk->open[k--] = chk->open[--chk->n_open];
		}
	}
	return 0;
}

/* Renders `engine` to the end, checking as it goes: every beep at its
 * planned frame, every line present in the output where it was said,
 * no sample at or above full scale. */
static void render_checked(struct session *s, struct engine *e, struct render_stats *st, float *capture,
			   frames_t capture_len)
{
	struct session_status now;
	session_status(e, &now);
	struct checked chk = {
		.s = s, .st = st, .capture = capture, .capture_len = capture_len,
		.pressed = now.pending_presses > 0, .seg = -1,
	};
	struct session_render_opts ro = { .limit = frames_from_s(4 * 3600), .on_block = check_block, .ctx = &chk };

	memset(st, 0, sizeof(*st));
	session_render(e, &ro);
	session_status(e, &now);
	st->frames = now.now;
}

/* Stops a render at the start of one segment, noting its frame. */
struct segment_probe {
	int segment;
	frames_t start;
};

static int find_segment(void *ctx, frames_t at, const float *block, const struct seq_log_entry *log, int n)
{
	struct segment_probe *sp = ctx;

	(void)at, (void)block;
	for (int i = 0; i < n; i++)
		if (log[i].kind == LOG_SEGMENT && log[i].arg == sp->segment)
			sp->start = log[i].at;
	return sp->start >= 0 ? 1 : 0;
}

/* The disk cache is tested elsewhere; here every line is synthesized. */
static const struct session_options opts = { .cache_dir = "" };

static void test_seed_routines(void)
{
	const char *names[] = { "upper-back-1.yaml", "upper-back-2.yaml", "upper-back-3.yaml" };
	int reloaded = 0;

	for (int i = 0; i < 3; i++) {
		char path[1024];
		struct session s;
		struct render_stats st;
		snprintf(path, sizeof(path), "%s/routines/%s", REPCUE_SOURCE_DIR, names[i]);
		CHECK(session_open(&s, path, &opts, stderr) == 0, "open %s", path);
		if (!s.engine)
			continue;
		render_checked(&s, s.engine, &st, NULL, 0);
		printf("%s: %.1f min, %d lines, %d beeps, peak %.3f\n", names[i],
		       (double)st.frames / SESSION_RATE_HZ / 60, st.says, st.beeps, st.peak);
		CHECK(st.end_at > 0 && st.frames == (st.end_at + ENGINE_BLOCK - 1) / ENGINE_BLOCK * ENGINE_BLOCK,
		      "length %lld = end of the last sound %lld rounded up to a block", (long long)st.frames,
		      (long long)st.end_at);
		CHECK(st.frames > frames_from_s(8 * 60) && st.frames < frames_from_s(60 * 60), "a plausible length");
		CHECK(st.peak < 0.98f, "no clipping: peak %.3f", st.peak);
		CHECK(st.peak > 0.3f, "audible: peak %.3f", st.peak);
		CHECK(st.beeps_checked == st.beeps && st.beeps > 100, "every beep checked (%d)", st.beeps);
		CHECK(st.says_checked >= st.says - 1 && st.says > 50, "lines checked %d of %d", st.says_checked, st.says);
		CHECK(s.lines.peak_bytes <= LINE_STORE_DEFAULT_BUDGET, "lines in memory within budget: %zu bytes",
		      s.lines.peak_bytes);
		reloaded += s.lines.from_disk;
		CHECK(s.lines.synthesized <= s.plan.n_texts && s.lines.dropped > 0,
		      "each distinct line synthesized once (%d of %d lines; %d dropped from memory, %d reloaded from disk)",
		      s.lines.synthesized, s.plan.n_texts, s.lines.dropped, s.lines.from_disk);
		session_close(&s);
	}
	CHECK(reloaded > 0, "lines needed again came back from disk, not from eSpeak NG (%d)", reloaded);
}

/* Finds the first frame where a and b differ. */
static frames_t first_difference(const float *a, const float *b, frames_t n)
{
	for (frames_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return i;
	return -1;
}

static void test_press_reaction(void)
{
	char path[1024];
	struct session s;
	struct render_stats st;
	frames_t len = frames_from_s(300);
	float *plain = calloc((size_t)len, sizeof(float)), *pressed = calloc((size_t)len, sizeof(float));

	snprintf(path, sizeof(path), "%s/tests/render/short.yaml", REPCUE_SOURCE_DIR);
	CHECK(session_open(&s, path, &opts, stderr) == 0, "open %s", path);
	render_checked(&s, s.engine, &st, plain, len);
	CHECK(st.peak < 0.98f && st.beeps_checked == st.beeps, "short routine renders cleanly");
	frames_t plain_frames = st.frames;

	/* Find a silent moment: the stretch hold, 7.3 s in (its cue is at 4 s). */
	int hold = -1;
	for (int i = 0; i < s.plan.n_segments && hold < 0; i++)
		if (s.plan.segments[i].kind == SEG_WORK && s.plan.segments[i].step == 1)
			hold = i;
	struct engine *e = calloc(1, sizeof(*e));
	engine_init(e, &s.plan, line_store_source(&s.lines), &s.tones);
	/* Same session to find the hold's start frame. */
	frames_t hold_start = -1;
	{
		struct engine *probe = calloc(1, sizeof(*probe));
		struct segment_probe find = { .segment = hold, .start = -1 };
		struct session_render_opts ro = { .on_block = find_segment, .ctx = &find };
		engine_init(probe, &s.plan, line_store_source(&s.lines), &s.tones);
		session_render(probe, &ro);
		hold_start = find.start;
		free(probe);
	}
	frames_t press_at = hold_start + frames_from_ms(7300) + 77; /* mid-block on purpose */
	seq_push_control(&e->seq, (struct control_event){ CONTROL_PAUSE, press_at });
	seq_push_control(&e->seq, (struct control_event){ CONTROL_PAUSE, press_at + frames_from_s(5) });
	render_checked(&s, e, &st, pressed, len);
	/* The press takes effect at the next block start; "Paused." starts
	 * there, so the output changes at its first non-zero sample. */
	struct line_audio paused;
	frames_t onset = 0;
	CHECK(line_store_source(&s.lines).get(&s.lines, TEXT_PAUSED, &paused) == 0, "'Paused.' is there");
	while (onset < paused.frames && paused.samples[onset] == 0)
		onset++;
	frames_t diff = first_difference(plain, pressed, len);
	CHECK(diff >= press_at && diff - press_at <= ENGINE_BLOCK + onset,
	      "output changes %lld frames after the press (at most one block of %d + %lld frames of onset)",
	      (long long)(diff - press_at), ENGINE_BLOCK, (long long)onset);
	CHECK(onset < frames_from_ms(15), "'Paused.' starts within 15 ms of its line (%lld frames)", (long long)onset);
	CHECK(st.frames > plain_frames + frames_from_s(5), "the pause lengthens the session");
	CHECK(st.peak < 0.98f, "no clipping with presses");
	free(e);
	free(plain);
	free(pressed);
	session_close(&s);
}

/* Renders a fresh engine on the session's plan to its end (at most
 * `len` frames kept in capture), with presses, and keeps its log. */
/* What render_logged keeps. */
struct logged {
	float *capture;
	struct seq_log_entry *log;
	int n, cap;
};

static int keep_block(void *ctx, frames_t at, const float *block, const struct seq_log_entry *log, int n)
{
	struct logged *k = ctx;

	memcpy(k->capture + at, block, sizeof(float) * ENGINE_BLOCK);
	for (int i = 0; i < n && k->n < k->cap; i++)
		k->log[k->n++] = log[i];
	return 0;
}

static int render_logged(struct session *s, const struct control_event *presses, int n_presses, float *capture,
			 frames_t len, struct seq_log_entry *log, int log_cap)
{
	struct engine *e = calloc(1, sizeof(*e));
	struct logged k = { .capture = capture, .log = log, .cap = log_cap };
	/* no block may start past len - ENGINE_BLOCK: the capture holds len frames */
	struct session_render_opts ro = {
		.presses = presses, .n_presses = n_presses, .limit = len - ENGINE_BLOCK + 1,
		.on_block = keep_block, .ctx = &k,
	};

	engine_init(e, &s->plan, line_store_source(&s->lines), &s->tones);
	memset(capture, 0, (size_t)len * sizeof(float));
	session_render(e, &ro);
	free(e);
	return k.n;
}

static const struct seq_log_entry *find_log(const struct seq_log_entry *log, int n, enum seq_log_kind kind,
					    int arg, frames_t after)
{
	for (int i = 0; i < n; i++)
		if (log[i].kind == kind && (arg < 0 || log[i].arg == arg) && log[i].at >= after)
			return &log[i];
	return NULL;
}

#define PRESS_LOG_MAX 20000

/* Issue 10 item 1: pause, next and repeat pressed in the middle of lines
 * (the lines and instants picked from the plain render of the plan, not by
 * hand). The old line (and any beep) is gone, below -40 dBFS, within one
 * block plus the fade; the fade has no sample step larger than the ramp
 * allows on what was sounding; the confirmation starts right after. */
static void test_press_preempts(void)
{
	static struct seq_log_entry plain_log[PRESS_LOG_MAX], log[PRESS_LOG_MAX];
	const enum control_action actions[] = { CONTROL_PAUSE, CONTROL_NEXT, CONTROL_REPEAT };
	const double quiet = pow(10.0, -40.0 / 20.0);
	char path[1024];
	struct session s;
	frames_t len = frames_from_s(400);
	float *plain = calloc((size_t)len, sizeof(float)), *pressed = calloc((size_t)len, sizeof(float));

	snprintf(path, sizeof(path), "%s/tests/render/short.yaml", REPCUE_SOURCE_DIR);
	CHECK(session_open(&s, path, &opts, stderr) == 0, "open %s", path);
	int n_plain = render_logged(&s, NULL, 0, plain, len, plain_log, PRESS_LOG_MAX);
	int seg = -1, picked = 0;
	for (int i = 0; i < n_plain && picked < 3; i++) {
		if (plain_log[i].kind == LOG_SEGMENT)
			seg = plain_log[i].arg;
		/* A line of a set at least 0.3 s long, said to its end. */
		if (plain_log[i].kind != LOG_SAY || seg < 0 || s.plan.segments[seg].unit != UNIT_BOUT)
			continue;
		int text = plain_log[i].arg;
		frames_t said = plain_log[i].at, line_len = s.lines.lines[text].frames;
		if (line_len < frames_from_ms(300) || find_log(plain_log, n_plain, LOG_CUT, text, said))
			continue;
		enum control_action action = actions[picked++];
		/* Mid-line, and mid-block so the press waits for a block start. */
		frames_t press_at = said + line_len / 2 + 77;
		frames_t block_at = (press_at + ENGINE_BLOCK - 1) / ENGINE_BLOCK * ENGINE_BLOCK;
		struct control_event ev = { action, press_at };
		int n = render_logged(&s, &ev, 1, pressed, len, log, PRESS_LOG_MAX);
		const char *name = control_action_name(action);

		frames_t diff = first_difference(plain, pressed, len);
		CHECK(diff >= block_at, "%s: nothing changes before the block the press lands in", name);
		const struct seq_log_entry *stop = find_log(log, n, LOG_STOP, text, said);
		frames_t silent_by = press_at + ENGINE_BLOCK + SEQ_FADE_FRAMES;
		CHECK(stop && stop->at <= silent_by,
		      "%s: '%s' stopped %lld frames after the press (one block %d + fade %lld at most)", name,
		      s.plan.texts[text], stop ? (long long)(stop->at - press_at) : -1LL, ENGINE_BLOCK,
		      (long long)SEQ_FADE_FRAMES);
		/* The confirmation: the first line said after the press. */
		const struct seq_log_entry *conf = find_log(log, n, LOG_SAY, -1, press_at);
		CHECK(conf && stop && conf->at == stop->at, "%s: the confirmation starts as the fade ends", name);
		if (!conf)
			continue;
		const int16_t *c = s.lines.lines[conf->arg].samples;
		frames_t c_len = s.lines.lines[conf->arg].frames;
		/* What is left once the confirmation is taken out is the old
		 * line and beeps: below -40 dBFS from one block plus the fade
		 * after the press, for a block. */
		double worst = 0.0;
		for (frames_t f = silent_by; f < silent_by + ENGINE_BLOCK; f++) {
			frames_t k = f - conf->at;
			double rest = pressed[f] - (k >= 0 && k < c_len ? c[k] / 32768.0 : 0.0);
			if (fabs(rest) > worst)
				worst = fabs(rest);
		}
		CHECK(worst < quiet, "%s: the old line is at %.1f dBFS one block plus the fade after the press "
		      "(-40 at most)", name, 20.0 * log10(worst + 1e-12));
		/* Click-free: y = g x with g the ramp, so a step is at most
		 * x's own step plus |x| * pi / (2 * fade). */
		double step_x = 0.0, peak_x = 0.0, step_y = 0.0;
		for (frames_t f = block_at; f <= silent_by; f++) {
			step_x = fmax(step_x, fabs(plain[f] - plain[f - 1]));
			peak_x = fmax(peak_x, fabs(plain[f]));
			step_y = fmax(step_y, fabs(pressed[f] - pressed[f - 1]));
		}
		double bound = step_x + peak_x * M_PI / (2.0 * (double)SEQ_FADE_FRAMES) + 1e-6;
		CHECK(step_y <= bound, "%s: largest step in the fade %.5f, the ramp allows %.5f", name, step_y, bound);
		/* Heard: the confirmation's first audible sample soon after. */
		frames_t audible = conf->at;
		while (audible < len && fabsf(pressed[audible]) < 0.01f)
			audible++;
		CHECK(audible - press_at <= frames_from_ms(60), "%s: '%s' audible %.1f ms after the press", name,
		      s.plan.texts[conf->arg], (double)(audible - press_at) * 1000.0 / SESSION_RATE_HZ);
		printf("%s in '%s': silent after %.1f ms, '%s' audible after %.1f ms, largest fade step %.5f (bound %.5f)\n",
		       name, s.plan.texts[text], stop ? (double)(stop->at - press_at) * 1000.0 / SESSION_RATE_HZ : -1.0,
		       s.plan.texts[conf->arg], (double)(audible - press_at) * 1000.0 / SESSION_RATE_HZ, step_y, bound);
	}
	CHECK(picked == 3, "three lines to press in found in the plan (%d)", picked);
	free(plain);
	free(pressed);
	session_close(&s);
}

/* Issue 10: quit (or the service being stopped) mid-line ends the
 * session with the same fade, not a cut: engine_fade_out() in the middle
 * of a line picked from the plan; the output is below -40 dBFS one block
 * plus the fade later and silent after, and no step is larger than the
 * ramp allows. Without the fade the line goes on at full level. */
static void test_quit_fades(void)
{
	static struct seq_log_entry plain_log[PRESS_LOG_MAX];
	const double quiet = pow(10.0, -40.0 / 20.0);
	char path[1024];
	struct session s;
	frames_t len = frames_from_s(400);
	float *plain = calloc((size_t)len, sizeof(float));
	float block[ENGINE_BLOCK];

	snprintf(path, sizeof(path), "%s/tests/render/short.yaml", REPCUE_SOURCE_DIR);
	CHECK(session_open(&s, path, &opts, stderr) == 0, "open %s", path);
	int n_plain = render_logged(&s, NULL, 0, plain, len, plain_log, PRESS_LOG_MAX);
	frames_t quit_at = -1;
	for (int i = 0; i < n_plain && quit_at < 0; i++) {
		int text = plain_log[i].arg;
		if (plain_log[i].kind != LOG_SAY || s.lines.lines[text].frames < frames_from_ms(600))
			continue;
		/* at a block start just before the loudest sample of the
		 * line's middle half, so the quit lands in speech */
		frames_t from = plain_log[i].at + s.lines.lines[text].frames / 4;
		frames_t loudest = from;
		for (frames_t f = from; f < from + s.lines.lines[text].frames / 2; f++)
			if (fabsf(plain[f]) > fabsf(plain[loudest]))
				loudest = f;
		quit_at = loudest / ENGINE_BLOCK * ENGINE_BLOCK;
	}
	CHECK(quit_at > 0, "a line of 0.6 s or more to quit in");
	struct engine *e = calloc(1, sizeof(*e));
	engine_init(e, &s.plan, line_store_source(&s.lines), &s.tones);
	double before = 0.0, worst = 0.0, step = 0.0, step_x = 0.0, peak_x = 0.0;
	float prev = 0.0f;
	while (e->seq.now < quit_at + frames_from_s(2) && !engine_finished(e)) {
		frames_t at = e->seq.now;
		if (at == quit_at)
			engine_fade_out(e);
		engine_render_block(e, block);
		for (int i = 0; i < ENGINE_BLOCK; i++) {
			frames_t f = at + i;
			if (f >= quit_at && f < quit_at + ENGINE_BLOCK)
				before = fmax(before, fabs(plain[f]));
			if (f >= quit_at + SEQ_FADE_FRAMES)
				worst = fmax(worst, fabs(block[i]));
			if (f >= quit_at && f <= quit_at + SEQ_FADE_FRAMES) {
				step = fmax(step, fabs(block[i] - prev));
				step_x = fmax(step_x, fabs(plain[f] - plain[f - 1]));
				peak_x = fmax(peak_x, fabs(plain[f]));
			}
			prev = block[i];
		}
	}
	double bound = step_x + peak_x * M_PI / (2.0 * (double)SEQ_FADE_FRAMES) + 1e-6;
	CHECK(before > 0.05, "the line is loud where quit comes (peak %.3f in the block without it)", before);
	CHECK(worst < quiet, "quit: %.1f dBFS from the fade's end on (-40 at most)", 20.0 * log10(worst + 1e-12));
	CHECK(step <= bound, "quit: largest step in the fade %.5f, the ramp allows %.5f", step, bound);
	printf("quit mid-line: peak %.3f without it, %.1f dBFS after the %lld-frame fade, largest step %.5f (bound %.5f)\n",
	       before, 20.0 * log10(worst + 1e-12), (long long)SEQ_FADE_FRAMES, step, bound);
	free(e);
	free(plain);
	session_close(&s);
}

static int first_line(const struct plan *p)
{
	for (int i = 0; i < p->n_segments; i++)
		for (int a = p->segments[i].first_action; a < p->segments[i].first_action + p->segments[i].n_actions; a++)
			if (p->actions[a].kind == ACTION_SAY)
				return p->actions[a].arg;
	return -1;
}

/* Issue 10 items 2 and 3, live mode (the store as the speech thread runs
 * it), no disk cache: the cold start makes the first line only; then the
 * confirmations and every "Repeating set N." come early and stay in memory
 * however far the session goes, even in a budget with little room. */
static void test_cold_start_and_pinned(void)
{
	char path[1024];
	struct session s;
	struct line_store store;

	snprintf(path, sizeof(path), "%s/routines/upper-back-3.yaml", REPCUE_SOURCE_DIR);
	CHECK(session_open(&s, path, &opts, stderr) == 0, "open %s", path);
	if (!s.engine)
		return;
	const struct plan *p = &s.plan;
	size_t pinned = line_store_pinned_bytes(&s.lines);
	CHECK(line_store_init(&store, p, s.speech, NULL, false, 0) == 0, "live store");
	CHECK(line_store_prime(&store) == 0, "prime");
	int first = first_line(p);
	struct line_audio cue;
	struct line_source src = line_store_source(&store);
	CHECK(store.synthesized == 1 && first >= 0 && src.get(&store, first, &cue) == 0,
	      "a cold start synthesizes the first line only (%d lines made)", store.synthesized);
	/* The speech thread's first rounds: the first segments, then the
	 * confirmations, before anything further on. */
	for (int round = 0; round < 4 && line_store_prefetch(&store) > 0; round++)
		;
	int missing = 0;
	for (int t = 0; t < TEXT_FIXED_COUNT; t++)
		missing += src.get(&store, t, &cue) != 0;
	for (int i = 0; i < p->n_segments; i++)
		if (p->segments[i].repeat_text >= 0)
			missing += src.get(&store, p->segments[i].repeat_text, &cue) != 0;
	CHECK(missing == 0, "every confirmation ready after the first rounds (%d missing)", missing);
	line_store_finish(&store);

	/* The default budget: walk the whole plan; the confirmations never
	 * leave while other lines come and go. */
	size_t budget = LINE_STORE_DEFAULT_BUDGET;
	CHECK(line_store_init(&store, p, s.speech, NULL, false, budget) == 0, "live store, small budget");
	src = line_store_source(&store);
	line_store_prime(&store);
	int evicted = 0;
	for (int seg = 0; seg < p->n_segments; seg++) {
		for (int k = 0; k < 3; k++) {
			src.at(&store, seg, -1); /* two blocks later: retired lines are freed */
			line_store_prefetch(&store);
		}
		for (int t = 0; t < TEXT_FIXED_COUNT; t++)
			evicted += src.get(&store, t, &cue) != 0;
		for (int i = 0; i < p->n_segments; i++)
			if (p->segments[i].repeat_text >= 0)
				evicted += src.get(&store, p->segments[i].repeat_text, &cue) != 0;
	}
	CHECK(evicted == 0, "no confirmation ever out of memory (%d misses)", evicted);
	CHECK(store.dropped > 0, "while other lines came and went (%d dropped)", store.dropped);
	printf("pinned confirmations of upper-back-3: %zu kB of a %zu kB budget\n", pinned / 1024, budget / 1024);
	line_store_finish(&store);
	session_close(&s);
}

int main(void)
{
	RUN_CASE(test_cold_start_and_pinned, ());
	RUN_CASE(test_press_preempts, ());
	RUN_CASE(test_quit_fades, ());
	RUN_CASE(test_seed_routines, ());
	RUN_CASE(test_press_reaction, ());
	speech_shutdown();
	return check_done("test_render");
}
