/* test_timeline_layout.c - the timeline of a render (`repcue render
 * --timeline`), laid out without cairo from a log made here as the
 * sequencer makes one: each segment of a seed routine's plan at its
 * expected length, lines, beeps, presses, a wait, a drop, a cut. The
 * segments are as wide as they ran (within 1 pt); every event of the log
 * has its mark; presses are at their time; nothing leaves the page, for
 * a short session and one of three hours squeezed into the PNG's width. */
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "core/plan.h"
#include "routine/routine_load.h"
#include "sheet/timeline_layout.h"
#include "page_check.h"

static double fixed_width(void *ctx, enum sheet_font font, double size, const char *text, size_t len)
{
	size_t chars = 0;

	(void)ctx;
	for (size_t i = 0; i < len; i++)
		chars += (text[i] & 0xc0) != 0x80;
	return (double)chars * size * (font == SHEET_BOLD ? 0.65 : 0.6);
}

struct log {
	struct seq_log_entry *e;
	int n, cap;
};

static void add(struct log *l, frames_t at, enum seq_log_kind kind, int arg, int arg2)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->e = realloc(l->e, (size_t)l->cap * sizeof(*l->e));
		REQUIRE(l->e);
	}
	l->e[l->n++] = (struct seq_log_entry){ .at = at, .kind = kind, .arg = arg, .arg2 = arg2 };
}

/* The presses of the made-up session, in seconds. */
static const double press_s[] = { 20.5, 95.25, 96.0, 300.0 };

/* A log as the sequencer writes one: every segment (repeated `rounds`
 * times, for a long session) at its expected length, its lines said
 * through it, a beep at its start, the presses in order; a wait, a drop
 * and a cut. Returns the end. */
static frames_t make_log(struct log *l, const struct plan *plan, int rounds)
{
	frames_t *lengths = calloc((size_t)plan->n_segments, sizeof(*lengths));
	REQUIRE(lengths);
	plan_segment_expected_frames(plan, PLAN_SPEECH_MS_PER_CHAR, lengths);
	frames_t t = 0;
	int text = 0, press = 0, n_press = (int)(sizeof(press_s) / sizeof(press_s[0]));

	for (int r = 0; r < rounds; r++)
		for (int s = 0; s < plan->n_segments; s++) {
			frames_t len = lengths[s] > 0 ? lengths[s] : frames_from_ms(500);
			while (press < n_press && frames_from_ms((int64_t)(press_s[press] * 1000)) < t) {
				add(l, frames_from_ms((int64_t)(press_s[press] * 1000)), LOG_CONTROL, CONTROL_NEXT, press % 2);
				press++;
			}
			add(l, t, LOG_SEGMENT, s, 0);
			if (plan->segments[s].kind != SEG_SPEECH)
				add(l, t, LOG_BEEP, TONE_LIFT, 0);
			for (frames_t at = t; at < t + len; at += frames_from_ms(1700)) {
				if (text == 5)
					add(l, at, LOG_WAIT, text % plan->n_texts, 0);
				if (text == 9)
					add(l, at, LOG_DROP, text % plan->n_texts, 0);
				else
					add(l, at, LOG_SAY, text % plan->n_texts, text % 5);
				if (text == 12)
					add(l, at + frames_from_ms(300), LOG_CUT, text % plan->n_texts, 0);
				text++;
			}
			t += len;
		}
	while (press < n_press && frames_from_ms((int64_t)(press_s[press] * 1000)) <= t)
		add(l, frames_from_ms((int64_t)(press_s[press++] * 1000)), LOG_CONTROL, CONTROL_PAUSE, 1);
	add(l, t, LOG_END, 0, 0);
	free(lengths);
	return t;
}

static bool is_timeline_role(enum sheet_role r)
{
	return r >= SHEET_ROLE_TL_SEGMENT && r <= SHEET_ROLE_TL_END;
}

static void check_timeline(const char *what, const char *path, int rounds, double max_w)
{
	struct routine *r = calloc(1, sizeof(*r));
	struct diag_list *diags = calloc(1, sizeof(*diags));
	struct plan plan;
	struct log l = { 0 };
	struct sheet sh;
	struct timeline_scale sc;
	struct sheet_measure m = { .width = fixed_width };

	REQUIRE(r && diags);
	REQUIRE(routine_load(path, r, diags) == 0, "%s loads", path);
	REQUIRE(plan_build(&plan, r) == 0);
	frames_t end = make_log(&l, &plan, rounds);
	REQUIRE(timeline_layout(&sh, &plan, r, l.e, l.n, end, max_w, &m, &sc) == 0, "%s: laid out", what);

	page_check_inside(what, &sh, &m);
	CHECK(sh.n_pages == 1 && sh.page_w <= max_w + PAGE_EPS, "%s: one page at most %.0f wide: %.1f", what, max_w,
	      sh.page_w);
	/* one scale: at 12 pt/s unless the page had to be narrower */
	double pt_per_s = sc.pt_per_frame * SESSION_RATE_HZ;
	if ((double)end / SESSION_RATE_HZ * TIMELINE_PT_PER_S + 200 < max_w)
		CHECK(pt_per_s > TIMELINE_PT_PER_S - 1e-9 && pt_per_s < TIMELINE_PT_PER_S + 1e-9,
		      "%s: %.3f pt/s", what, pt_per_s);

	/* every event of the log has its mark (a segment: its box) */
	bool *marked = calloc((size_t)l.n, sizeof(*marked));
	REQUIRE(marked);
	int segments = 0, presses = 0;
	for (int i = 0; i < sh.n_items; i++) {
		const struct sheet_item *it = &sh.items[i];
		if (!is_timeline_role(it->role))
			continue;
		CHECK(it->index >= 0 && it->index < l.n, "%s: a mark's event %d is in the log", what, it->index);
		if (it->index < 0 || it->index >= l.n)
			continue;
		const struct seq_log_entry *e = &l.e[it->index];
		marked[it->index] = true;
		if (it->role == SHEET_ROLE_TL_SEGMENT) {
			/* as wide as it ran, from its start: within 1 pt */
			frames_t next = end;
			for (int k = it->index + 1; k < l.n; k++)
				if (l.e[k].kind == LOG_SEGMENT || l.e[k].kind == LOG_END) {
					next = l.e[k].at;
					break;
				}
			double want_w = (double)(next - e->at) / SESSION_RATE_HZ * pt_per_s;
			double want_x = sc.x0 + (double)e->at / SESSION_RATE_HZ * pt_per_s;
			CHECK(it->w > want_w - 1 && it->w < want_w + 1 && it->x > want_x - 1 && it->x < want_x + 1,
			      "%s: segment %d: %.2f wide at %.2f, ran %.2f s from %.2f s", what, e->arg, it->w, it->x,
			      (double)(next - e->at) / SESSION_RATE_HZ, (double)e->at / SESSION_RATE_HZ);
			segments++;
		}
		if (it->role == SHEET_ROLE_TL_PRESS) {
			double want_x = sc.x0 + press_s[presses < 4 ? presses : 3] * pt_per_s;
			CHECK(e->kind == LOG_CONTROL && it->x > want_x - 1 && it->x < want_x + 1,
			      "%s: press %d at %.2f, its time is at %.2f", what, presses, it->x, want_x);
			presses++;
		}
	}
	int unmarked = 0;
	for (int i = 0; i < l.n; i++)
		if (!marked[i] && unmarked++ < 5)
			CHECK(marked[i], "%s: event %d (kind %d at %lld) has a mark", what, i, l.e[i].kind,
			      (long long)l.e[i].at);
	CHECK(unmarked == 0, "%s: %d of %d events without a mark", what, unmarked, l.n);
	CHECK(segments == plan.n_segments * rounds, "%s: %d segment boxes of %d", what, segments,
	      plan.n_segments * rounds);
	int want_presses = 0;
	for (size_t i = 0; i < sizeof(press_s) / sizeof(press_s[0]); i++)
		want_presses += frames_from_ms((int64_t)(press_s[i] * 1000)) <= end;
	CHECK(presses == want_presses, "%s: %d presses drawn of %d", what, presses, want_presses);
	printf("%s: %d events, %d segments, %.0f x %.0f pt, %.3f pt/s\n", what, l.n, segments, sh.page_w, sh.page_h,
	       pt_per_s);

	free(marked);
	sheet_finish(&sh);
	free(l.e);
	plan_finish(&plan);
	free(diags);
	free(r);
}

int main(void)
{
	char path[512];

	for (int i = 1; i <= 3; i++) {
		snprintf(path, sizeof(path), "%s/routines/upper-back-%d.yaml", REPCUE_SOURCE_DIR, i);
		check_timeline(path, path, 1, TIMELINE_SVG_MAX_W);
	}
	snprintf(path, sizeof(path), "%s/tests/system/tiny.yaml", REPCUE_SOURCE_DIR);
	check_timeline("tiny (a page wider than the session)", path, 1, TIMELINE_SVG_MAX_W);
	/* three hours: the PNG's width, a smaller scale */
	snprintf(path, sizeof(path), "%s/routines/upper-back-3.yaml", REPCUE_SOURCE_DIR);
	check_timeline("upper-back-3 x6 as PNG", path, 6, TIMELINE_PNG_MAX_W);
	return check_done("timeline_layout");
}
