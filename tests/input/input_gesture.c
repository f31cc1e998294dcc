/* Gesture decoder: exact timings of every gesture, bounce, chatter and
 * the rare 150 ms outliers, then thousands of random press sequences
 * (a fixed seed per case) checked press by press against what the user did.
 *
 * The bounce profiles are synthesised to match measured statistics, not
 * replayed recordings: tactile buttons bounce for 1.6 ms on average and
 * 6.2 ms at worst; foot switches chatter with pulses ~20 ms apart; rarely
 * (here 8 % of transitions) a lone pulse comes ~150 ms after the
 * transition. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "input/gesture.h"

#define MS 1000
#define MAX_EDGES 20000
#define MAX_EVENTS 4000

struct raw_edge {
	input_usec_t t;
	bool pressed;
};

struct expect {
	enum gesture_kind kind;
	input_usec_t at;
	input_usec_t delay;
};

/* A case's own trace: the edges it feeds, the gestures it expects and
 * those it got, and its random numbers, seeded for the case alone so that
 * what it draws does not depend on the cases run before it. Made by
 * trace_new in the case, freed at its end. */
struct trace {
	struct raw_edge edges[MAX_EDGES];
	size_t n_edges;
	struct expect expected[MAX_EVENTS];
	size_t n_expected;
	struct gesture_event got[MAX_EVENTS];
	size_t n_got;
	uint64_t rng_state;
};

#define SEED 0x5eed5eed12345678ull

static struct trace *trace_new(uint64_t seed)
{
	struct trace *tr = calloc(1, sizeof(*tr));

	REQUIRE(tr != NULL, "trace allocated");
	tr->rng_state = seed ? seed : SEED; /* xorshift never leaves 0 */
	return tr;
}

static uint64_t rng(struct trace *tr)
{
	/* xorshift64*: small, fixed, the same on every machine */
	tr->rng_state ^= tr->rng_state >> 12;
	tr->rng_state ^= tr->rng_state << 25;
	tr->rng_state ^= tr->rng_state >> 27;
	return tr->rng_state * 2685821657736338717ull;
}

/* uniform in [lo, hi] */
static input_usec_t between(struct trace *tr, input_usec_t lo, input_usec_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (input_usec_t)(rng(tr) % (uint64_t)(hi - lo + 1));
}

static bool chance(struct trace *tr, unsigned percent)
{
	return rng(tr) % 100 < percent;
}

static void edge(struct trace *tr, input_usec_t t, bool pressed)
{
	if (tr->n_edges < MAX_EDGES)
		tr->edges[tr->n_edges++] = (struct raw_edge){ t, pressed };
}

static void expect(struct trace *tr, enum gesture_kind kind, input_usec_t at,
		   input_usec_t delay)
{
	if (tr->n_expected < MAX_EVENTS)
		tr->expected[tr->n_expected++] = (struct expect){ kind, at, delay };
}

/* --- running the decoder the way a poll loop does --- */

static void drain(struct trace *tr, struct gesture_decoder *dec)
{
	struct gesture_event ev;

	while (gesture_next_event(dec, &ev))
		if (tr->n_got < MAX_EVENTS)
			tr->got[tr->n_got++] = ev;
}

/* Feeds the trace's edges in order; between edges, wakes at each deadline
 * (late by up to jitter, as poll() is) and sometimes for no reason. */
static void run(struct trace *tr, struct gesture_decoder *dec,
		input_usec_t jitter)
{
	tr->n_got = 0;
	for (size_t i = 0; i < tr->n_edges; i++) {
		input_usec_t d;

		while ((d = gesture_next_deadline(dec)) <= tr->edges[i].t) {
			input_usec_t wake = d + between(tr, 0, jitter);

			CHECK_EQ_INT(gesture_tick(dec, wake < tr->edges[i].t ?
					      wake : tr->edges[i].t), 0);
			drain(tr, dec);
		}
		if (jitter && chance(tr, 5)) {
			CHECK_EQ_INT(gesture_tick(dec, tr->edges[i].t - 1), 0);
			drain(tr, dec);
		}
		CHECK_EQ_INT(gesture_feed(dec, 0, tr->edges[i].pressed,
					  tr->edges[i].t), 0);
		drain(tr, dec);
	}
	CHECK_EQ_INT(gesture_tick(dec, INT64_MAX / 2), 0);
	drain(tr, dec);
	CHECK_EQ_INT(gesture_next_deadline(dec), INPUT_NO_DEADLINE);
}

static bool compare(struct trace *tr, const char *what)
{
	bool ok = tr->n_got == tr->n_expected;

	for (size_t i = 0; ok && i < tr->n_got; i++)
		ok = tr->got[i].kind == tr->expected[i].kind &&
		     tr->got[i].at_usec == tr->expected[i].at &&
		     tr->got[i].delay_usec == tr->expected[i].delay;
	if (!ok) {
		fprintf(stderr, "%s: expected %zu events, got %zu\n", what,
			tr->n_expected, tr->n_got);
		for (size_t i = 0; i < tr->n_expected || i < tr->n_got; i++) {
			if (i < tr->n_expected)
				fprintf(stderr, "  want %-10s at %lld delay %lld",
					gesture_kind_name(tr->expected[i].kind),
					(long long)tr->expected[i].at,
					(long long)tr->expected[i].delay);
			else
				fprintf(stderr, "  want %-33s", "-");
			if (i < tr->n_got)
				fprintf(stderr, " | got %-10s at %lld delay %lld\n",
					gesture_kind_name(tr->got[i].kind),
					(long long)tr->got[i].at_usec,
					(long long)tr->got[i].delay_usec);
			else
				fprintf(stderr, " | got -\n");
		}
		check_failures++;
	}
	return ok;
}

static struct gesture_decoder *decoder(input_usec_t lockout, input_usec_t dbl,
				       input_usec_t hold)
{
	struct gesture_config cfg = { lockout, dbl, hold };
	struct gesture_decoder *dec = NULL;

	CHECK_EQ_INT(gesture_decoder_new(1, &cfg, &dec), 0);
	return dec;
}

static void reset(struct trace *tr)
{
	tr->n_edges = 0;
	tr->n_expected = 0;
}

/* --- bounce profiles --- */

enum profile { TACTILE, PEDAL };

struct profile_info {
	const char *name;
	input_usec_t lockout;
	input_usec_t span;    /* longest burst after a transition */
};

static const struct profile_info profiles[] = {
	[TACTILE] = { "tactile", 30 * MS, 7 * MS },
	[PEDAL] = { "pedal", 50 * MS, 45 * MS },
};

/* Contact bounce: 2k toggles in (t, t + span], ending at the new level.
 * Span 0.3..2.6 ms, 1 in 20 the 6.2 ms worst case (mean ~1.7 ms). */
static input_usec_t bounce(struct trace *tr, input_usec_t t, bool level)
{
	input_usec_t span = chance(tr, 5) ? 6200 : between(tr, 300, 2600);
	int toggles = chance(tr, 20) ? 0 : 2 * (int)between(tr, 1, 4);
	input_usec_t at[8];

	/* distinct offsets in (0, span], sorted; the last one is span so
	 * the burst really lasts that long */
	for (int i = 0; i < toggles; i++) {
		bool dup;

		do {
			at[i] = i == toggles - 1 ? span : between(tr, 1, span - 1);
			dup = false;
			for (int j = 0; j < i; j++)
				dup = dup || at[j] == at[i];
		} while (dup);
	}
	for (int i = 1; i < toggles; i++)
		for (int j = i; j > 0 && at[j - 1] > at[j]; j--) {
			input_usec_t x = at[j];

			at[j] = at[j - 1];
			at[j - 1] = x;
		}
	for (int i = 0; i < toggles; i++)
		edge(tr, t + at[i], i % 2 ? level : !level);
	return toggles ? t + at[toggles - 1] : t;
}

/* A short pulse to the other level at t: a chatter pulse or an outlier. */
static input_usec_t pulse(struct trace *tr, input_usec_t t, bool level,
			  input_usec_t len)
{
	edge(tr, t, !level);
	edge(tr, t + len, level);
	return t + len;
}

/* One transition with its bounce; returns the time of its last edge. */
static input_usec_t transition(struct trace *tr, enum profile p, input_usec_t t,
			       bool level)
{
	input_usec_t last;

	edge(tr, t, level);
	last = bounce(tr, t, level);
	if (p == PEDAL) {
		int k = (int)between(tr, 0, 2);

		for (int j = 1; j <= k; j++)
			last = pulse(tr, t + j * 20 * MS + between(tr, -2 * MS, 2 * MS),
				     level, between(tr, 200, 2 * MS));
	}
	return last;
}

/* --- hand-written cases --- */

static void test_first_edge_tap(void)
{
	struct trace *tr = trace_new(SEED);
	struct gesture_decoder *dec = decoder(30 * MS, 0, 0);

	reset(tr);
	edge(tr, 1000 * MS, true);
	bounce(tr, 1000 * MS, true);
	edge(tr, 1080 * MS, false);
	bounce(tr, 1080 * MS, false);
	/* a tap shorter than the lockout still counts, once */
	edge(tr, 1200 * MS, true);
	edge(tr, 1210 * MS, false);
	edge(tr, 1300 * MS, true);
	edge(tr, 1400 * MS, false);
	expect(tr, GESTURE_TAP, 1000 * MS, 0);
	expect(tr, GESTURE_TAP, 1200 * MS, 0);
	expect(tr, GESTURE_TAP, 1300 * MS, 0);
	run(tr, dec, 0);
	compare(tr, "first-edge taps");
	gesture_decoder_free(dec);
	free(tr);
}

static void test_windowed(void)
{
	struct trace *tr = trace_new(SEED);
	struct gesture_decoder *dec = decoder(30 * MS, 400 * MS, 700 * MS);

	reset(tr);
	/* tap: decided when the window closes */
	edge(tr, 1000 * MS, true);
	edge(tr, 1100 * MS, false);
	expect(tr, GESTURE_TAP, 1400 * MS, 400 * MS);
	/* double tap: when the second press has lasted the lockout */
	edge(tr, 2000 * MS, true);
	edge(tr, 2090 * MS, false);
	edge(tr, 2250 * MS, true);
	edge(tr, 2330 * MS, false);
	expect(tr, GESTURE_DOUBLE_TAP, 2280 * MS, 30 * MS);
	/* hold: at 700 ms, the release means nothing more */
	edge(tr, 3000 * MS, true);
	edge(tr, 4500 * MS, false);
	expect(tr, GESTURE_HOLD, 3700 * MS, 700 * MS);
	/* a press longer than the window but shorter than a hold: tap on
	 * the settled release */
	edge(tr, 5000 * MS, true);
	edge(tr, 5500 * MS, false);
	expect(tr, GESTURE_TAP, 5530 * MS, 530 * MS);
	run(tr, dec, 0);
	compare(tr, "windowed");
	gesture_decoder_free(dec);

	/* hold only: tap once the release settled, no window to wait for */
	dec = decoder(30 * MS, 0, 700 * MS);
	reset(tr);
	edge(tr, 1000 * MS, true);
	edge(tr, 1120 * MS, false);
	expect(tr, GESTURE_TAP, 1150 * MS, 150 * MS);
	run(tr, dec, 0);
	compare(tr, "hold-only tap");
	gesture_decoder_free(dec);
	free(tr);
}

/* The 150 ms outliers.  In the middle of a press, a contact that opens
 * for a moment must not split it: no double tap, hold unbroken.  After a
 * release, a lone closing pulse must not make a second press where a
 * gesture is decided after the fact. */
static void test_outliers(void)
{
	struct trace *tr = trace_new(SEED);
	struct gesture_decoder *dec = decoder(50 * MS, 400 * MS, 700 * MS);

	reset(tr);
	edge(tr, 1000 * MS, true);
	pulse(tr, 1150 * MS, true, 800);        /* opens for 0.8 ms */
	edge(tr, 1250 * MS, false);
	expect(tr, GESTURE_TAP, 1400 * MS, 400 * MS);
	edge(tr, 3000 * MS, true);
	pulse(tr, 3150 * MS, true, 2 * MS);
	edge(tr, 4000 * MS, false);
	expect(tr, GESTURE_HOLD, 3700 * MS, 700 * MS);
	edge(tr, 5000 * MS, true);
	edge(tr, 5100 * MS, false);
	pulse(tr, 5250 * MS, false, 1 * MS);    /* closes 150 ms after release */
	expect(tr, GESTURE_TAP, 5400 * MS, 400 * MS);
	run(tr, dec, 0);
	compare(tr, "outliers, windowed");
	gesture_decoder_free(dec);

	/* The cost of zero delay: a first-edge input acts on a closing
	 * pulse after its release has settled, because at that edge it
	 * cannot know the pulse will be short.  Documented in
	 * hw/README.md; the default mapping gives every GPIO input a
	 * double-tap or hold meaning, so this applies to overrides. */
	dec = decoder(50 * MS, 0, 0);
	reset(tr);
	edge(tr, 1000 * MS, true);
	pulse(tr, 1150 * MS, true, 1 * MS);     /* mid-press: absorbed */
	edge(tr, 1200 * MS, false);
	pulse(tr, 1350 * MS, false, 1 * MS);    /* after release: acted on */
	expect(tr, GESTURE_TAP, 1000 * MS, 0);
	expect(tr, GESTURE_TAP, 1350 * MS, 0);
	run(tr, dec, 0);
	compare(tr, "outliers, first edge");
	gesture_decoder_free(dec);
	free(tr);
}

/* A release that turns out to be chatter across the hold time: the hold
 * waits while the contact is open and comes when it closes again. */
static void test_deferred_hold(void)
{
	struct trace *tr = trace_new(SEED);
	struct gesture_decoder *dec = decoder(50 * MS, 0, 700 * MS);

	reset(tr);
	edge(tr, 1000 * MS, true);
	edge(tr, 1690 * MS, false);
	edge(tr, 1720 * MS, true);              /* back within the lockout */
	edge(tr, 2500 * MS, false);
	expect(tr, GESTURE_HOLD, 1720 * MS, 720 * MS);
	/* and a real release just before the hold time is a tap */
	edge(tr, 4000 * MS, true);
	edge(tr, 4690 * MS, false);
	expect(tr, GESTURE_TAP, 4740 * MS, 740 * MS);
	run(tr, dec, 0);
	compare(tr, "deferred hold");
	gesture_decoder_free(dec);
	free(tr);
}

static void test_api(void)
{
	struct gesture_config bad = { 0, 0, 0 };
	struct gesture_config ok = { 30 * MS, 0, 0 };
	struct gesture_decoder *dec = NULL;

	CHECK_EQ_INT(gesture_config_check(&bad), -EINVAL);
	bad = (struct gesture_config){ 30 * MS, 20 * MS, 0 };
	CHECK_EQ_INT(gesture_config_check(&bad), -EINVAL);
	CHECK_EQ_INT(gesture_decoder_new(0, &ok, &dec), -EINVAL);
	CHECK_EQ_INT(gesture_decoder_new(2, &ok, &dec), 0);
	CHECK_EQ_INT(gesture_feed(dec, 2, true, 0), -ERANGE);
	CHECK_EQ_INT(gesture_next_deadline(dec), INPUT_NO_DEADLINE);
	/* an unplugged device mid-press: nothing is reported later */
	ok.hold_usec = 700 * MS;
	CHECK_EQ_INT(gesture_set_config(dec, 1, &ok), 0);
	CHECK_EQ_INT(gesture_feed(dec, 1, true, 1000), 0);
	CHECK(gesture_next_deadline(dec) != INPUT_NO_DEADLINE);
	CHECK_EQ_INT(gesture_reset(dec, 1), 0);
	CHECK_EQ_INT(gesture_next_deadline(dec), INPUT_NO_DEADLINE);
	CHECK_EQ_INT(gesture_tick(dec, 10000 * MS), 0);
	{
		struct gesture_event ev;

		CHECK(!gesture_next_event(dec, &ev));
	}
	/* not draining is reported, not silently ignored */
	for (int i = 0; i < 200; i++)
		gesture_feed(dec, 0, i % 2 == 0, 1000 * MS + i * 100 * MS);
	CHECK_EQ_INT(gesture_feed(dec, 0, true, 100000 * MS), -ENOBUFS);
	gesture_decoder_free(dec);
	gesture_decoder_free(NULL);
	CHECK(strcmp(gesture_kind_name(GESTURE_DOUBLE_TAP), "double-tap") == 0);
}

/* --- random sequences --- */

struct config_case {
	const char *name;
	bool dbl, hold;
	uint64_t seed[2]; /* per profile: each run its own random numbers */
};

static const struct config_case configs[] = {
	{ "first-edge", false, false, { SEED, 0x9e3779b97f4a7c15ull } },
	{ "hold", false, true, { 0xd1b54a32d192ed03ull, 0x8cb92ba72f3d8dd7ull } },
	{ "double", true, false, { 0xabc98388fb8fac03ull, 0x6a09e667f3bcc909ull } },
	{ "double+hold", true, true, { 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull } },
};

/* n_sequences random sequences of one profile and configuration, on a
 * trace of their own seeded with cc->seed[p]. */
static void random_sequences(enum profile p, const struct config_case *cc,
			     int n_sequences, int gestures_per_sequence)
{
	struct trace *tr = trace_new(cc->seed[p]);
	const int failures_before = check_failures;
	const struct profile_info *pi = &profiles[p];
	const input_usec_t L = pi->lockout, W = 400 * MS, H = 700 * MS;
	const input_usec_t min_dur = (pi->span > L ? pi->span : L) + 15 * MS;
	const input_usec_t min_gap = pi->span + L + 15 * MS;
	const bool first_edge = !cc->dbl && !cc->hold;
	long presses = 0, outliers = 0;

	for (int s = 0; s < n_sequences; s++) {
		struct gesture_decoder *dec = decoder(L, cc->dbl ? W : 0,
						      cc->hold ? H : 0);
		input_usec_t t = 1000 * MS;
		char what[96];

		reset(tr);
		for (int g = 0; g < gestures_per_sequence; g++) {
			int kinds = 1 + cc->dbl + cc->hold;
			int k = (int)between(tr, 0, kinds - 1);
			enum gesture_kind kind = k == 0 ? GESTURE_TAP :
				(k == 1 && cc->dbl) ? GESTURE_DOUBLE_TAP :
				GESTURE_HOLD;
			input_usec_t T = t, R, R_last, dur;
			input_usec_t glitch_end = -1, o = -1;

			if (kind == GESTURE_TAP)
				/* a release within lockout + chatter of the
				 * hold time is ambiguous: chatter that closes
				 * the contact again after it makes a hold */
				dur = between(tr, min_dur, cc->hold ?
					      H - pi->span - L - 15 * MS :
					      1500 * MS);
			else if (kind == GESTURE_HOLD)
				dur = between(tr, H + 30 * MS, H + 1500 * MS);
			else
				dur = between(tr, min_dur, W - 30 * MS - min_gap);

			transition(tr, p, T, true);
			presses++;
			/* mid-press outlier: the contact opens for a moment */
			if (dur > 150 * MS + 13 * MS + L + 15 * MS && chance(tr, 8)) {
				pulse(tr, T + between(tr, 140 * MS, 160 * MS), true,
				      between(tr, 100, 3 * MS));
				outliers++;
			}
			R = T + dur;
			R_last = transition(tr, p, R, false);

			if (kind == GESTURE_DOUBLE_TAP) {
				input_usec_t gap = between(tr, min_gap,
					W - 30 * MS - dur);
				input_usec_t T2 = R + gap;
				input_usec_t d2 = between(tr, min_dur, 400 * MS);

				transition(tr, p, T2, true);
				presses++;
				R = T2 + d2;
				R_last = transition(tr, p, R, false);
				expect(tr, GESTURE_DOUBLE_TAP, T2 + L, L);
			}
			t = R + between(tr, min_gap, 1000 * MS);
			/* after-release outlier, only where a press is
			 * judged after the fact (see test_outliers) */
			if (!first_edge && chance(tr, 8)) {
				o = R + between(tr, 140 * MS, 160 * MS);
				if (o <= R_last + L) {
					o = -1;
				} else {
					glitch_end = pulse(tr, o, false,
							   between(tr, 100, 3 * MS));
					outliers++;
					if (t < glitch_end + L + 15 * MS)
						t = glitch_end + L + 15 * MS;
				}
			}

			if (first_edge) {
				expect(tr, GESTURE_TAP, T, 0);
			} else if (kind == GESTURE_HOLD) {
				expect(tr, GESTURE_HOLD, T + H, H);
			} else if (kind == GESTURE_TAP && !cc->dbl) {
				expect(tr, GESTURE_TAP, R_last + L, R_last + L - T);
			} else if (kind == GESTURE_TAP) {
				input_usec_t at = R_last + L > T + W ?
					R_last + L : T + W;

				/* a glitch begun inside the window holds the
				 * decision until it has settled */
				if (o >= 0 && o < T + W && glitch_end + L > at)
					at = glitch_end + L;
				expect(tr, GESTURE_TAP, at, at - T);
				if (t < T + W + 30 * MS)
					t = T + W + 30 * MS;
			}
		}
		/* poll wakes up to 2 ms late; results must not move */
		run(tr, dec, s % 2 ? 2 * MS : 0);
		snprintf(what, sizeof(what), "random %s/%s sequence %d",
			 pi->name, cc->name, s);
		if (!compare(tr, what))
			s = n_sequences;  /* one dump is enough */
		gesture_decoder_free(dec);
	}
	printf("random %-7s %-12s %ld presses, %ld outliers: %s\n", pi->name,
	       cc->name, presses, outliers,
	       check_failures != failures_before ? "FAIL" : "ok");
	free(tr);
}

/* One case per configuration: both profiles, 500 sequences of 12
 * gestures each. */
static void random_both(const struct config_case *cc)
{
	random_sequences(TACTILE, cc, 500, 12);
	random_sequences(PEDAL, cc, 500, 12);
}

static void test_random_first_edge(void)
{
	random_both(&configs[0]);
}

static void test_random_hold(void)
{
	random_both(&configs[1]);
}

static void test_random_double(void)
{
	random_both(&configs[2]);
}

static void test_random_double_hold(void)
{
	random_both(&configs[3]);
}

int main(void)
{
	RUN_CASE(test_first_edge_tap, ());
	RUN_CASE(test_windowed, ());
	RUN_CASE(test_outliers, ());
	RUN_CASE(test_deferred_hold, ());
	RUN_CASE(test_api, ());
	RUN_CASE(test_random_first_edge, ());
	RUN_CASE(test_random_hold, ());
	RUN_CASE(test_random_double, ());
	RUN_CASE(test_random_double_hold, ());
	return check_done("input_gesture");
}
