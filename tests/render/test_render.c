/* Render tier: whole routines through the real speech engine and mixer,
 * asserted on sample positions and levels (never on hashes of audio). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "session.h"

#define MAX_OPEN_SAYS 8

/* A line being checked: the output over its span must carry it. */
struct say_check {
	int text;
	frames_t start, len, done;
	double dot, e_out, e_cue;
};

struct render_stats {
	frames_t frames;
	float peak;
	int says, beeps, beeps_checked, says_checked;
	frames_t end_at;
};

/* Renders `engine` to the end, checking as it goes: every beep at its
 * planned frame, every line present in the output where it was said,
 * no sample at or above full scale. */
static void render_checked(struct session *s, struct engine *e, struct render_stats *st, float *capture,
			   frames_t capture_len)
{
	const struct plan *p = &s->plan;
	struct say_check open[MAX_OPEN_SAYS];
	int n_open = 0, seg = -1, next_action = 0;
	frames_t seg_start = 0;
	float block[ENGINE_BLOCK];
	struct seq_log_entry log[SEQ_LOG_MAX];
	bool pressed = e->seq.n_controls > 0;

	memset(st, 0, sizeof(*st));
	while (!engine_finished(e) && e->seq.now < frames_from_s(4 * 3600)) {
		frames_t block_start = e->seq.now;
		engine_render_block(e, block);
		if (capture && block_start + ENGINE_BLOCK <= capture_len)
			memcpy(capture + block_start, block, sizeof(block));
		int n = seq_take_log(&e->seq, log, SEQ_LOG_MAX);
		for (int i = 0; i < n; i++) {
			const struct seq_log_entry *l = &log[i];
			if (l->kind == LOG_SEGMENT) {
				seg = l->arg;
				seg_start = l->at;
				next_action = p->segments[seg].first_action;
			} else if (l->kind == LOG_BEEP) {
				st->beeps++;
				if (pressed)
					continue;
				while (p->actions[next_action].kind != ACTION_BEEP)
					next_action++;
				CHECK(l->at == seg_start + p->actions[next_action].at && p->actions[next_action].arg == l->arg,
				      "beep %s at %lld, planned at %lld", tone_name((enum tone)l->arg), (long long)l->at,
				      (long long)(seg_start + p->actions[next_action].at));
				st->beeps_checked++;
				next_action++;
			} else if (l->kind == LOG_SAY) {
				st->says++;
				if (n_open < MAX_OPEN_SAYS) {
					open[n_open++] = (struct say_check){
						.text = l->arg, .start = l->at, .len = s->cues.lines[l->arg].frames,
					};
				}
			} else if (l->kind == LOG_CUT) {
				for (int k = 0; k < n_open; k++)
					if (open[k].text == l->arg)
						open[k].len = l->at - open[k].start;
			} else if (l->kind == LOG_END) {
				st->end_at = l->at;
			}
		}
		for (int i = 0; i < ENGINE_BLOCK; i++)
			if (fabsf(block[i]) > st->peak)
				st->peak = fabsf(block[i]);
		for (int k = 0; k < n_open; k++) {
			struct say_check *c = &open[k];
			const int16_t *cue = s->cues.lines[c->text].samples;
			for (frames_t f = block_start; f < block_start + ENGINE_BLOCK; f++) {
				frames_t i = f - c->start;
				if (i < 0 || i >= c->len)
					continue;
				c->dot += (double)block[f - block_start] * cue[i];
				c->e_out += (double)block[f - block_start] * block[f - block_start];
				c->e_cue += (double)cue[i] * cue[i];
				c->done = i + 1;
			}
			if (c->done == c->len || block_start + ENGINE_BLOCK >= c->start + c->len) {
				double corr = c->dot / sqrt(c->e_out * c->e_cue + 1e-20);
				CHECK(corr > 0.95, "line '%s' at %lld: correlation with the output %.3f",
				      p->texts[c->text], (long long)c->start, corr);
				st->says_checked++;
				open[k--] = open[--n_open];
			}
		}
	}
	st->frames = e->seq.now;
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
		CHECK(s.cues.peak_bytes <= CUE_STORE_DEFAULT_BUDGET, "lines in memory within budget: %zu bytes",
		      s.cues.peak_bytes);
		reloaded += s.cues.from_disk;
		CHECK(s.cues.synthesized <= s.plan.n_texts && s.cues.dropped > 0,
		      "each distinct line synthesized once (%d of %d lines; %d dropped from memory, %d reloaded from disk)",
		      s.cues.synthesized, s.plan.n_texts, s.cues.dropped, s.cues.from_disk);
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
	engine_init(e, &s.plan, cue_store_source(&s.cues), &s.tones);
	/* Same session to find the hold's start frame. */
	frames_t hold_start = -1;
	{
		struct engine *probe = calloc(1, sizeof(*probe));
		float block[ENGINE_BLOCK];
		struct seq_log_entry log[SEQ_LOG_MAX];
		engine_init(probe, &s.plan, cue_store_source(&s.cues), &s.tones);
		while (hold_start < 0 && !engine_finished(probe)) {
			engine_render_block(probe, block);
			int n = seq_take_log(&probe->seq, log, SEQ_LOG_MAX);
			for (int i = 0; i < n; i++)
				if (log[i].kind == LOG_SEGMENT && log[i].arg == hold)
					hold_start = log[i].at;
		}
		free(probe);
	}
	frames_t press_at = hold_start + frames_from_ms(7300) + 77; /* mid-block on purpose */
	seq_push_control(&e->seq, (struct control_event){ CONTROL_PAUSE, press_at });
	seq_push_control(&e->seq, (struct control_event){ CONTROL_PAUSE, press_at + frames_from_s(5) });
	render_checked(&s, e, &st, pressed, len);
	/* The press takes effect at the next block start; "Paused." starts
	 * there, so the output changes at its first non-zero sample. */
	struct cue_audio paused;
	frames_t onset = 0;
	CHECK(cue_store_source(&s.cues).get(&s.cues, TEXT_PAUSED, &paused) == 0, "'Paused.' is there");
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

int main(void)
{
	test_seed_routines();
	test_press_reaction();
	speech_shutdown();
	return check_done("test_render");
}
