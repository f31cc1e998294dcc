/* The session library's one render loop (session_render) against its
 * contract, on the tiny routine through the real speech engine: blocks
 * in order from frame 0, the end, the frame bound, a pause nothing
 * resumes, and a callback that stops it or fails. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "session/session.h"

struct seen {
	int blocks, stop_after, ret;
	frames_t next_at;      /* the frame the next block must start at */
	bool in_order, ended;
	frames_t end_at;
};

static int note_block(void *ctx, frames_t at, const float *block, const struct seq_log_entry *log, int n)
{
	struct seen *s = ctx;

	(void)block;
	if (at != s->next_at)
		s->in_order = false;
	s->next_at = at + ENGINE_BLOCK;
	for (int i = 0; i < n; i++)
		if (log[i].kind == LOG_END) {
			s->ended = true;
			s->end_at = log[i].at;
		}
	return ++s->blocks == s->stop_after ? s->ret : 0;
}

/* A fresh engine on the session's plan (the caller frees it). */
static struct engine *fresh(struct session *s)
{
	struct engine *e = calloc(1, sizeof(*e));
	engine_init(e, &s->plan, line_store_source(&s->lines), &s->tones);
	return e;
}

int main(void)
{
	static const struct session_options opts = { .cache_dir = "" };
	char path[1024];
	struct session s;
	struct session_status st;

	snprintf(path, sizeof(path), "%s/tests/system/tiny.yaml", REPCUE_SOURCE_DIR);
	if (session_open(&s, path, &opts, stderr) < 0) {
		CHECK(false, "open %s", path);
		return check_done("test_session_render");
	}

	/* to the end: every block once, in order, the end logged */
	struct engine *e = fresh(&s);
	struct seen all = { .in_order = true };
	int r = session_render(e, &(struct session_render_opts){ .on_block = note_block, .ctx = &all });
	session_status(e, &st);
	CHECK(r == 0, "a whole session renders to its end (%d)", r);
	CHECK(all.in_order && all.blocks > 0, "blocks from frame 0, one after another (%d blocks)", all.blocks);
	CHECK(st.seq.finished && st.now == all.next_at, "finished at frame %lld after the last block",
	      (long long)st.now);
	CHECK(all.ended && all.end_at <= st.now, "the end is in the log the callback saw");
	free(e);

	/* the frame bound: no block starts at or after it */
	e = fresh(&s);
	frames_t limit = frames_from_s(2) + 7;
	struct seen bounded = { .in_order = true };
	r = session_render(e, &(struct session_render_opts){ .limit = limit, .on_block = note_block, .ctx = &bounded });
	session_status(e, &st);
	CHECK(r == -ETIME, "stops at the bound with -ETIME (%d)", r);
	CHECK(st.now >= limit && st.now < limit + ENGINE_BLOCK, "stopped at %lld, bound %lld", (long long)st.now,
	      (long long)limit);
	free(e);

	/* a pause nothing resumes: -EDEADLK when asked, at the frame of the press */
	e = fresh(&s);
	struct control_event pause = { CONTROL_PAUSE, frames_from_s(3) };
	r = session_render(e, &(struct session_render_opts){
		.presses = &pause, .n_presses = 1, .limit = frames_from_s(600), .stop_when_stuck = true });
	session_status(e, &st);
	CHECK(r == -EDEADLK, "paused with no press left: -EDEADLK (%d)", r);
	CHECK(st.seq.paused && st.pending_presses == 0 && st.now >= pause.at && st.now <= pause.at + 2 * ENGINE_BLOCK,
	      "paused at %lld, pressed at %lld", (long long)st.now, (long long)pause.at);
	free(e);
	/* ... and without stop_when_stuck, only the bound ends it */
	e = fresh(&s);
	r = session_render(e, &(struct session_render_opts){
		.presses = &pause, .n_presses = 1, .limit = frames_from_s(60) });
	CHECK(r == -ETIME, "paused, not asked to stop: runs to the bound (%d)", r);
	free(e);

	/* the callback stops it (1) or fails it (-errno), after that block */
	e = fresh(&s);
	struct seen three = { .in_order = true, .stop_after = 3, .ret = 1 };
	r = session_render(e, &(struct session_render_opts){ .on_block = note_block, .ctx = &three });
	session_status(e, &st);
	CHECK(r == 1 && three.blocks == 3 && st.now == 3 * ENGINE_BLOCK, "stopped by the callback after 3 blocks (%d, %d)",
	      r, three.blocks);
	free(e);
	e = fresh(&s);
	struct seen fail = { .in_order = true, .stop_after = 5, .ret = -EIO };
	r = session_render(e, &(struct session_render_opts){ .on_block = note_block, .ctx = &fail });
	CHECK(r == -EIO && fail.blocks == 5, "the callback's error comes back (%d after %d blocks)", r, fail.blocks);
	free(e);

	session_close(&s);
	speech_shutdown();
	return check_done("test_session_render");
}
