/* Render tier: whole sessions with music under the coach (issue 22), in
 * process, asserted on levels and sample positions:
 *   - the coach (speech and beeps) is the same with music as without:
 *     (with music) - (music alone) = (no music), to float rounding;
 *   - on every line the music is down at least the set depth from the
 *     line's first sample to its last (the gain is the music-only render
 *     over one with ducking off: the same bed, the same pauses);
 *   - it comes back within 1 s after; no gain step larger than the ramps
 *     allow; a foreseen line's ramp is the slow one;
 *   - a press ducks the music within the block it acts in;
 *   - damaged, cut-short and empty files are skipped and named;
 *   - the mix never clips; speech stays >= 20 dB above the ducked music.
 *
 *   test_music_render MUSIC_DIR   (tracks made by make_music) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "session/session.h"

#define SAYS_MAX 512
#define PRESSES 4

struct sound {
	frames_t start, end;
	bool beep;
};

struct capture {
	const struct session *s;
	float *buf;           /* NULL: not kept */
	frames_t cap, len;
	struct sound says[SAYS_MAX];
	int n_says;
	/* compared on the fly */
	const float *minus;   /* this - minus vs other */
	const float *other;
	double worst_sum;
	const float *ducked;  /* gain = ducked / this */
	float *gain;          /* owned by the caller, cap frames; NAN where unknown */
	float peak;
};

static int on_block(void *ctx, frames_t at, const float *block, const struct seq_log_entry *log, int n)
{
	struct capture *c = ctx;

	for (int i = 0; i < n; i++) {
		const struct seq_log_entry *l = &log[i];
		if (l->kind == LOG_SAY && c->n_says < SAYS_MAX) {
			c->says[c->n_says++] = (struct sound){
				.start = l->at, .end = l->at + c->s->lines.lines[l->arg].frames,
			};
		} else if ((l->kind == LOG_CUT || l->kind == LOG_STOP) && c->n_says > 0) {
			c->says[c->n_says - 1].end = l->at;
		}
	}
	for (int i = 0; i < ENGINE_BLOCK && at + i < c->cap; i++) {
		frames_t t = at + i;
		if (fabsf(block[i]) > c->peak)
			c->peak = fabsf(block[i]);
		if (c->buf)
			c->buf[t] = block[i];
		if (c->minus) {
			double d = fabs((double)block[i] - c->minus[t] - c->other[t]);
			if (d > c->worst_sum)
				c->worst_sum = d;
		}
		if (c->ducked)
			c->gain[t] = fabsf(block[i]) > 1e-3f ? c->ducked[t] / block[i] : NAN;
	}
	c->len = at + ENGINE_BLOCK;
	return 0;
}

static size_t dry_read(void *ctx, float *out, size_t n)
{
	(void)ctx;
	(void)out;
	(void)n;
	return 0;
}

static const char *music_dir;
static char cache_dir[1100];
static char routine[1024];
static struct control_event presses[PRESSES];

static void render(struct session_options *so, struct capture *c)
{
	struct session s;

	so->cache_dir = cache_dir;
	REQUIRE(session_open(&s, routine, so, stderr) == 0, "open %s", routine);
	c->s = &s;
	struct session_render_opts ro = {
		.presses = presses, .n_presses = PRESSES, .on_block = on_block, .ctx = c,
		.limit = s.plan.nominal_frames + frames_from_s(3600),
	};
	CHECK(session_render(s.engine, &ro) == 0, "render to the end");
	if (so->music_dir) {
		struct music_problems mp;
		session_music_problems(&s, &mp);
		const char *want[] = { "00-corrupt.flac", "00-empty.mp3", "00-truncated.wav", "00-damaged-mid.flac" };
		CHECK_EQ_INT(mp.count, 4);
		for (int w = 0; w < 4; w++) {
			bool named = false;
			for (int i = 0; i < mp.count; i++)
				named |= strcmp(mp.items[i].file, want[w]) == 0 && mp.items[i].message[0];
			CHECK(named, "%s skipped and named", want[w]);
		}
		CHECK(s.engine->music_frames > frames_from_s(60), "music played: %lld frames",
		      s.engine->music_frames);
		CHECK(s.engine->music_missing == 0, "offline the ring never runs dry (%lld)",
		      s.engine->music_missing);
	}
	session_close(&s);
	c->s = NULL;
}

/* The block a press acts in: the first that starts at or after it. */
static frames_t press_block(int i)
{
	return (presses[i].at + ENGINE_BLOCK - 1) / ENGINE_BLOCK * ENGINE_BLOCK;
}

static bool near_press(frames_t t, frames_t before, frames_t after)
{
	for (int i = 0; i < PRESSES; i++)
		if (t >= press_block(i) - before && t < press_block(i) + after)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_music_render MUSIC_DIR\n");
		return 2;
	}
	music_dir = argv[1];
	snprintf(cache_dir, sizeof(cache_dir), "%s/../cache", music_dir);
	snprintf(routine, sizeof(routine), "%s/tests/render/short.yaml", REPCUE_SOURCE_DIR);
	/* a pause and its resume, and a `next`, while music plays */
	presses[0] = (struct control_event){ .action = CONTROL_PAUSE, .at = frames_from_ms(40300) };
	presses[1] = (struct control_event){ .action = CONTROL_PAUSE, .at = frames_from_ms(44100) };
	presses[2] = (struct control_event){ .action = CONTROL_NEXT, .at = frames_from_ms(70700) };
	presses[3] = (struct control_event){ .action = CONTROL_SAY_AGAIN, .at = frames_from_ms(100900) };

	struct music_config cfg;
	music_config_default(&cfg);
	struct music_config flat = cfg;
	flat.depth_db = 0.0f;
	flat.beep_depth_db = 0.0f;

	frames_t cap = frames_from_s(20 * 60);
	struct capture *a = calloc(1, sizeof(*a)), *m = calloc(1, sizeof(*m)), *b = calloc(1, sizeof(*b)),
		       *u = calloc(1, sizeof(*u));
	REQUIRE(a && m && b && u, "memory");
	a->cap = m->cap = b->cap = u->cap = cap;
	a->buf = calloc((size_t)cap, sizeof(float));
	m->buf = calloc((size_t)cap, sizeof(float));
	u->gain = calloc((size_t)cap, sizeof(float));
	REQUIRE(a->buf && m->buf && u->gain, "memory");

	/* 1. no music; 2. the music alone; 3. both; 4. the music alone, undisturbed */
	struct session_options so = { 0 };
	render(&so, a);
	so = (struct session_options){ .music_dir = music_dir, .music = &cfg, .music_only = true };
	render(&so, m);
	so = (struct session_options){ .music_dir = music_dir, .music = &cfg };
	b->minus = m->buf;
	b->other = a->buf;
	render(&so, b);
	so = (struct session_options){ .music_dir = music_dir, .music = &flat, .music_only = true };
	u->ducked = m->buf;
	render(&so, u);

	CHECK(a->len == b->len && a->len == m->len && a->len == u->len, "same length: %lld %lld %lld %lld",
	      (long long)a->len, (long long)b->len, (long long)m->len, (long long)u->len);
	CHECK(a->n_says == b->n_says && a->n_says > 20, "same lines: %d %d", a->n_says, b->n_says);
	for (int i = 0; i < a->n_says && i < b->n_says; i++)
		CHECK(a->says[i].start == b->says[i].start && a->says[i].end == b->says[i].end,
		      "line %d at the same frames", i);
	CHECK(b->worst_sum < 1e-5, "with music - music alone = without music: worst %g", b->worst_sum);
	CHECK(b->peak <= 1.0f, "the mix never clips: peak %.3f", b->peak);
	printf("peak without music %.3f, with %.3f, music alone %.3f\n", a->peak, b->peak, m->peak);

	/* levels on every line */
	const double down = pow(10.0, -cfg.depth_db / 20.0) * 1.0001;
	const frames_t attack = frames_from_ms(cfg.attack_ms);
	/* the largest per-frame gain step of a raised cosine of depth D dB over
	 * n frames is at most ln(10)/20 * D * pi / (2 n) */
	const double fast_step = log(10.0) / 20.0 * cfg.depth_db * M_PI / (2.0 * DUCK_FAST_FRAMES) * 1.01;
	const double slow_step = log(10.0) / 20.0 * cfg.depth_db * M_PI / (2.0 * (double)attack) * 1.01;
	double e_speech = 0.0, e_music = 0.0, worst_line = 0.0, worst_step = 0.0, worst_ramp = 0.0;
	int lines_checked = 0, ramps_checked = 0, recoveries = 0, full_recoveries = 0;
	for (int i = 0; i < b->n_says; i++) {
		struct sound sd = b->says[i];
		frames_t from = sd.start;
		bool pressed = near_press(sd.start, 0, frames_from_ms(500));
		if (pressed)
			from = sd.start > from ? sd.start : from; /* checked below */
		for (frames_t t = from; t < sd.end && t < cap; t++) {
			e_speech += (double)a->buf[t] * a->buf[t];
			e_music += (double)m->buf[t] * m->buf[t];
			if (pressed && near_press(t, 0, ENGINE_BLOCK))
				continue;
			if (!isnan(u->gain[t]) && fabsf(u->gain[t]) > worst_line) {
				worst_line = fabsf(u->gain[t]);
				if (worst_line > down)
					printf("line %d [%lld, %lld): gain %.4f at %lld\n", i, (long long)sd.start,
					       (long long)sd.end, worst_line, (long long)t);
				if (worst_line > down)
					break;
			}
		}
		lines_checked++;
		/* a foreseen line: its ramp is the slow one */
		if (!pressed && sd.start > attack && (i == 0 || b->says[i - 1].end + frames_from_ms(1000) < sd.start - attack)) {
			for (frames_t t = sd.start - attack + 1; t < sd.start; t++)
				if (!isnan(u->gain[t]) && !isnan(u->gain[t - 1]) &&
				    fabs((double)u->gain[t] - u->gain[t - 1]) > worst_ramp)
					worst_ramp = fabs((double)u->gain[t] - u->gain[t - 1]);
			ramps_checked++;
		}
		/* back within 1 s, unless the next line is due by then */
		frames_t back = sd.end + frames_from_ms(1000);
		if (i + 1 < b->n_says && b->says[i + 1].start < back + attack)
			continue;
		if (back < cap && !isnan(u->gain[back])) {
			recoveries++;
			CHECK(u->gain[back] >= pow(10.0, -cfg.beep_depth_db / 20.0) - 1e-4,
			      "line %d: back 1 s after (gain %.3f)", i, u->gain[back]);
			full_recoveries += u->gain[back] > 0.999f;
		}
	}
	for (frames_t t = 1; t < u->len && t < cap; t++)
		if (!isnan(u->gain[t]) && !isnan(u->gain[t - 1]) && fabsf(u->ducked[t]) > 0.005f &&
		    fabs((double)u->gain[t] - u->gain[t - 1]) > worst_step)
			worst_step = fabs((double)u->gain[t] - u->gain[t - 1]);
	CHECK(worst_line <= down, "music >= %.0f dB down on every line: worst gain %.4f (%.1f dB)",
	      cfg.depth_db, worst_line, 20 * log10(worst_line));
	CHECK(worst_step <= fast_step, "no step beyond the fast ramp: %.5f > %.5f", worst_step, fast_step);
	CHECK(ramps_checked > 5 && worst_ramp <= slow_step, "foreseen lines ramp slowly: %.6f > %.6f (%d)",
	      worst_ramp, slow_step, ramps_checked);
	CHECK(recoveries > 3, "recoveries checked: %d", recoveries);
	double margin = 10 * log10(e_speech / (e_music > 0 ? e_music : 1e-30));
	CHECK(margin >= 20.0, "speech %.1f dB above the ducked music", margin);
	printf("%d lines: music down >= %.1f dB on each; speech %.1f dB above it; %d foreseen ramps, worst "
	       "step %.6f; %d recoveries checked, %d full; worst gain step %.5f\n",
	       lines_checked, -20 * log10(worst_line), margin, ramps_checked, worst_ramp, recoveries,
	       full_recoveries, worst_step);

	/* paused with the session: silent (and not taken: the music waits)
	 * from the fade after the pause to the resume; faded at the end */
	{
		frames_t from = press_block(0) + frames_from_ms(MUSIC_FADE_MS) + ENGINE_BLOCK, to = press_block(1);
		float loud = 0.0f;
		for (frames_t t = from; t < to; t++)
			loud = fabsf(m->buf[t]) > loud ? fabsf(m->buf[t]) : loud;
		CHECK(loud == 0.0f, "silent while paused: peak %g", loud);
		loud = 0.0f;
		for (frames_t t = m->len - frames_from_ms(100); t < m->len; t++)
			loud = fabsf(m->buf[t]) > loud ? fabsf(m->buf[t]) : loud;
		CHECK(loud == 0.0f, "faded out at the end: peak %g", loud);
	}

	/* a press ducks within its block */
	for (int p = 0; p < PRESSES; p++) {
		frames_t at = press_block(p);
		frames_t t = at + ENGINE_BLOCK;
		bool ok = true;
		for (frames_t k = t; k < t + frames_from_ms(100); k++)
			ok &= isnan(u->gain[k]) || u->gain[k] <= down;
		CHECK(ok, "press %d at %lld: music down by %lld", p, (long long)at, (long long)t);
	}
	/* a ring that runs dry (a slow card, a huge file) is silence in the bed,
	 * never a late line or beep: the coach to the sample, as without music */
	{
		struct capture *d = calloc(1, sizeof(*d));
		REQUIRE(d, "memory");
		d->cap = cap;
		float *zero = calloc((size_t)cap, sizeof(float));
		REQUIRE(zero, "memory");
		d->minus = zero;
		d->other = a->buf;
		struct session s;
		so = (struct session_options){ .cache_dir = cache_dir };
		REQUIRE(session_open(&s, routine, &so, stderr) == 0, "open %s", routine);
		struct engine_music em;
		em = (struct engine_music){ .read = dry_read, .depth_db = cfg.depth_db,
					    .beep_depth_db = cfg.beep_depth_db,
					    .attack = frames_from_ms(cfg.attack_ms),
					    .release = frames_from_ms(cfg.release_ms),
					    .fade = frames_from_ms(MUSIC_FADE_MS), .end_fade = frames_from_ms(MUSIC_END_FADE_MS) };
		engine_set_music(s.engine, &em);
		d->s = &s;
		struct session_render_opts ro = {
			.presses = presses, .n_presses = PRESSES, .on_block = on_block, .ctx = d,
			.limit = s.plan.nominal_frames + frames_from_s(3600),
		};
		CHECK(session_render(s.engine, &ro) == 0, "render with a dry ring");
		CHECK(s.engine->music_missing > 0, "the ring was dry");
		session_close(&s);
		CHECK(d->len == a->len && d->worst_sum == 0.0, "a dry ring changes nothing: worst %g, %lld frames",
		      d->worst_sum, (long long)d->len);
		free(zero);
		free(d);
	}

	/* not played in the lobby: a session waiting for start, started at 3 s */
	{
		struct capture *l = calloc(1, sizeof(*l));
		REQUIRE(l, "memory");
		l->cap = frames_from_s(120);
		l->buf = calloc((size_t)l->cap, sizeof(float));
		REQUIRE(l->buf, "memory");
		struct session s;
		so = (struct session_options){ .music_dir = music_dir, .music = &cfg, .music_only = true,
					       .lobby_line = "Press start.", .cache_dir = cache_dir };
		char tiny[1100];
		snprintf(tiny, sizeof(tiny), "%s/tests/system/tiny.yaml", REPCUE_SOURCE_DIR);
		REQUIRE(session_open(&s, tiny, &so, stderr) == 0, "open %s", tiny);
		l->s = &s;
		struct control_event start = { .action = CONTROL_START, .at = frames_from_s(3) };
		struct session_render_opts ro = {
			.presses = &start, .n_presses = 1, .on_block = on_block, .ctx = l,
			.limit = frames_from_s(600),
		};
		CHECK(session_render(s.engine, &ro) == 0, "render from the lobby");
		session_close(&s);
		float before = 0.0f, after = 0.0f;
		for (frames_t t = 0; t < l->len && t < l->cap; t++) {
			float v = fabsf(l->buf[t]);
			if (t < frames_from_s(3))
				before = v > before ? v : before;
			else
				after = v > after ? v : after;
		}
		CHECK(before == 0.0f && after > 0.01f, "no music in the lobby (%g), music after start (%g)", before,
		      after);
		free(l->buf);
		free(l);
	}

	free(a->buf);
	free(m->buf);
	free(u->gain);
	free(a);
	free(m);
	free(b);
	free(u);
	return check_done("test_music_render");
}
