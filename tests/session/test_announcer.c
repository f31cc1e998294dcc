/* test_announcer.c - hw-test's voice (session/announcer.h) through the real
 * eSpeak NG: queued lines come out of the pull function whole and in order,
 * each followed by its gap of silence, across any block size; a line said
 * again is the same samples (made once: eSpeak NG itself gives a line a few
 * frames longer or shorter from one call to the next); a full queue
 * refuses a line instead of blocking; nothing queued is silence.
 * Exit 0 pass, 1 fail, 77 skipped (no eSpeak NG voice data). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/voice.h"
#include "session/announcer.h"
#include "speech/speech.h"

#include "../lib/harness.h"

/* Pulls `frames` frames in blocks of `block` (the last one shorter). */
static void pull(struct announcer *a, float *out, size_t frames, size_t block)
{
	for (size_t done = 0; done < frames; done += block)
		announcer_pull(a, out + done, frames - done < block ? frames - done : block);
}

static bool silent(const float *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (x[i] != 0.0f)
			return false;
	return true;
}

int main(void)
{
	struct voice_profile voice = voice_profile_default();
	struct speech *sp = NULL;
	struct announcer *a = NULL;
	char err[256];

	if (speech_open(&sp, &voice, err, sizeof(err)) < 0)
		SKIP("eSpeak NG does not start here: %s (Debian package espeak-ng-data)", err);
	size_t gap = ANNOUNCER_GAP_FRAMES;

	/* odd block sizes: a line and a gap end inside a block */
	static const size_t blocks[] = { 1, 97, 256, 4096 };
	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		REQUIRE(announcer_new(&a, sp) == 0);
		CHECK(announcer_kept(a, "Next button, tap.") == NULL, "nothing kept before it is said");
		CHECK_EQ_INT(announcer_say(a, "Next button, tap."), 0);
		CHECK_EQ_INT(announcer_say(a, "Pedal, double tap."), 0);
		CHECK_EQ_INT(announcer_say(a, "Next button, tap."), 0); /* again: the same line */
		const struct speech_line *one = announcer_kept(a, "Next button, tap.");
		const struct speech_line *two = announcer_kept(a, "Pedal, double tap.");
		REQUIRE(one && two && one->frames > 0 && two->frames > 0 && one != two);
		size_t n1 = (size_t)one->frames, n2 = (size_t)two->frames;
		size_t total = n1 + gap + n2 + gap + n1 + gap + 1000;
		float *out = calloc(total, sizeof(*out));
		REQUIRE(out != NULL);
		pull(a, out, total, blocks[b]);
		size_t at = 0;
		CHECK(memcmp(out + at, one->samples, n1 * sizeof(float)) == 0,
		      "block %zu: the first line whole, from frame 0", blocks[b]);
		at += n1;
		CHECK(silent(out + at, gap), "block %zu: a gap after the first line", blocks[b]);
		at += gap;
		CHECK(memcmp(out + at, two->samples, n2 * sizeof(float)) == 0,
		      "block %zu: the second line whole, after the gap", blocks[b]);
		at += n2 + gap;
		CHECK(memcmp(out + at, one->samples, n1 * sizeof(float)) == 0,
		      "block %zu: the first line again, the same samples", blocks[b]);
		at += n1;
		CHECK(silent(out + at, total - at), "block %zu: silence once the queue is empty", blocks[b]);
		free(out);
		announcer_free(a);
	}

	/* A full queue refuses the line at once; pulling frees room. */
	REQUIRE(announcer_new(&a, sp) == 0);
	int refused = 0, accepted = 0;
	for (int i = 0; i < ANNOUNCER_QUEUE + 3; i++) {
		int r = announcer_say(a, "Pedal, double tap.");
		refused += r == -ENOSPC;
		accepted += r == 0;
	}
	CHECK(accepted == ANNOUNCER_QUEUE && refused == 3, "queue of %d: %d accepted, %d refused",
	      ANNOUNCER_QUEUE, accepted, refused);
	size_t said = (size_t)announcer_kept(a, "Pedal, double tap.")->frames + gap;
	float *drain = calloc(said, sizeof(*drain));
	REQUIRE(drain != NULL);
	pull(a, drain, said, 256);  /* one line and its gap said: one slot free */
	CHECK_EQ_INT(announcer_say(a, "Pedal, double tap."), 0);
	free(drain);
	announcer_free(a);

	speech_close(sp);
	speech_shutdown();
	return check_done("test_announcer");
}
