/* test_levels.c - the settings' volume and beeps in the render (issue 19
 * item 1), on the tiny routine through the real speech engine, every
 * render from one session's lines (fresh engines, as the live session
 * and the offline render are):
 *
 *   volume     -6 dB is every sample times 10^(-6/20): peak and RMS 6 dB
 *              (within 0.1) below the default render, sample for sample
 *   beeps      -6 and -12 dB change only the beeps: where no beep sounds
 *              the samples are the default's exactly, and the difference
 *              from the default scales with (1 - beep gain)
 *   clip       the loudest settings (volume 0 dB, beeps +6 dB) never pass
 *              ENGINE_MIX_PEAK, below 1.0; the voice comes down instead
 *   wiring     session_open() gives the engine the levels of its options,
 *              and 0 dB / 0 dB is exactly 1 and 1 (the default render) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "session/session.h"
#include "speech/speech.h"

struct samples {
	float *v;
	size_t n, cap;
};

static int keep(void *ctx, frames_t at, const float *block, const struct seq_log_entry *log, int n)
{
	struct samples *s = ctx;

	(void)at;
	(void)log;
	(void)n;
	if (s->n + ENGINE_BLOCK > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1 << 20;
		float *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	memcpy(s->v + s->n, block, ENGINE_BLOCK * sizeof(*block));
	s->n += ENGINE_BLOCK;
	return 0;
}

/* The whole session with these levels, from s's lines. */
static struct samples render(struct session *s, float volume_db, float beeps_db)
{
	struct samples out = { 0 };
	struct engine *e = calloc(1, sizeof(*e));

	REQUIRE(e);
	engine_init(e, &s->plan, line_store_source(&s->lines), &s->tones);
	engine_set_levels(e, engine_levels(volume_db, beeps_db));
	int r = session_render(e, &(struct session_render_opts){ .on_block = keep, .ctx = &out });
	CHECK(r == 0, "render to the end: %d", r);
	free(e);
	return out;
}

static double peak(const struct samples *s)
{
	double p = 0;
	for (size_t i = 0; i < s->n; i++)
		p = fmax(p, fabs((double)s->v[i]));
	return p;
}

static double rms(const struct samples *s)
{
	double sum = 0;
	for (size_t i = 0; i < s->n; i++)
		sum += (double)s->v[i] * s->v[i];
	return sqrt(sum / (double)(s->n ? s->n : 1));
}

static void test_volume(struct session *s, const struct samples *def)
{
	struct samples v = render(s, -6.0f, 0.0f);
	double g = pow(10.0, -6.0 / 20.0), worst = 0;

	REQUIRE(v.n == def->n, "same length: %zu %zu", v.n, def->n);
	for (size_t i = 0; i < v.n; i++)
		worst = fmax(worst, fabs((double)v.v[i] - g * def->v[i]));
	CHECK(worst < 1e-6, "volume -6 dB: every sample scaled (worst error %g)", worst);
	double dp = 20 * log10(peak(&v) / peak(def)), dr = 20 * log10(rms(&v) / rms(def));
	CHECK(fabs(dp + 6.0) <= 0.1, "peak %.3f dB", dp);
	CHECK(fabs(dr + 6.0) <= 0.1, "RMS %.3f dB", dr);
	printf("volume -6 dB: peak %+.3f dB, RMS %+.3f dB, worst sample error %.2g\n", dp, dr, worst);
	free(v.v);
}

static void test_beeps(struct session *s, const struct samples *def)
{
	struct samples b6 = render(s, 0.0f, -6.0f), b12 = render(s, 0.0f, -12.0f);
	double g6 = pow(10.0, -6.0 / 20.0), g12 = pow(10.0, -12.0 / 20.0), worst = 0;
	size_t same_sound = 0, changed = 0;

	REQUIRE(b6.n == def->n && b12.n == def->n, "same length");
	for (size_t i = 0; i < def->n; i++) {
		double d6 = (double)def->v[i] - b6.v[i], d12 = (double)def->v[i] - b12.v[i];
		/* only the beep part B changes: d = (1 - g) B for both gains */
		worst = fmax(worst, fabs(d12 - d6 * (1 - g12) / (1 - g6)));
		if (d6 == 0 && d12 == 0 && def->v[i] != 0)
			same_sound++;
		if (fabs(d6) > 1e-3)
			changed++;
	}
	CHECK(worst < 1e-5, "beeps: only the beeps change (worst %g)", worst);
	CHECK(same_sound > (size_t)SESSION_RATE_HZ, "beeps: the voice alone is the same, sample for sample (%zu)",
	      same_sound);
	CHECK(changed > (size_t)SESSION_RATE_HZ / 10, "beeps: the beeps are softer (%zu samples)", changed);
	printf("beeps -6/-12 dB: %zu samples of voice alone unchanged, %zu changed, worst %.2g\n", same_sound, changed,
	       worst);
	free(b6.v);
	free(b12.v);
}

static void test_clip(struct session *s, const struct samples *def)
{
	struct samples loud = render(s, 0.0f, (float)DEVICE_CONFIG_BEEPS_DB_MAX);
	struct engine_levels l = engine_levels(0.0f, (float)DEVICE_CONFIG_BEEPS_DB_MAX);

	CHECK(l.speech < 1.0f && l.beeps > 1.9f, "beeps +6 dB: the voice comes down (%g, %g)", (double)l.speech,
	      (double)l.beeps);
	CHECK(ENGINE_SPEECH_PEAK * l.speech + 2 * TONE_PEAK * l.beeps <= ENGINE_MIX_PEAK + 1e-6f,
	      "the voice and two beeps stay at the mix peak");
	CHECK(peak(&loud) <= ENGINE_MIX_PEAK + 1e-6 && peak(&loud) < 1.0, "no sample clips: peak %g", peak(&loud));
	CHECK(peak(def) <= ENGINE_MIX_PEAK + 1e-6, "default peak %g", peak(def));
	for (int db = DEVICE_CONFIG_BEEPS_DB_MIN; db <= DEVICE_CONFIG_BEEPS_DB_MAX; db++) {
		l = engine_levels(0.0f, (float)db);
		CHECK(ENGINE_SPEECH_PEAK * l.speech + 2 * TONE_PEAK * l.beeps <= ENGINE_MIX_PEAK + 1e-6f &&
		      l.speech <= 1.0f, "beeps %d dB: clip-free", db);
	}
	l = engine_levels(3.0f, 0.0f);
	CHECK(l.speech == 1.0f && l.beeps == 1.0f, "a volume above 0 dB is 0 dB");
	free(loud.v);
}

int main(void)
{
	static struct session_options opts = { .cache_dir = "" };
	char path[1024];
	struct session s;

	CHECK(ENGINE_SPEECH_PEAK == SPEECH_PEAK, "the engine's speech peak is the speech module's");
	struct engine_levels unity = engine_levels(0.0f, 0.0f);
	CHECK(unity.speech == 1.0f && unity.beeps == 1.0f, "0 dB and 0 dB are exactly 1 and 1");
	snprintf(path, sizeof(path), "%s/tests/system/tiny.yaml", REPCUE_SOURCE_DIR);
	opts.volume_db = -6.0f;
	opts.beeps_db = -3.0f;
	if (session_open(&s, path, &opts, stderr) < 0) {
		CHECK(false, "open %s", path);
		return check_done("test_levels");
	}
	struct engine_levels want = engine_levels(-6.0f, -3.0f);
	CHECK(s.engine->levels.speech == want.speech && s.engine->levels.beeps == want.beeps,
	      "session_open gives the engine its options' levels");
	struct samples def = render(&s, 0.0f, 0.0f);
	RUN_CASE(test_volume, (&s, &def));
	RUN_CASE(test_beeps, (&s, &def));
	RUN_CASE(test_clip, (&s, &def));
	free(def.v);
	session_close(&s);
	return check_done("test_levels");
}
