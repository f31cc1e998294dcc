#include "session/announcer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "speech/speech.h"
#include "util/spsc.h"

struct kept_line {
	char text[128];
	struct speech_line line;   /* owned */
};

struct announcer {
	struct speech *speech;     /* borrowed */
	/* control thread only */
	struct kept_line kept[ANNOUNCER_LINES_MAX];
	int n_kept;
	/* control thread pushes, audio thread pops */
	struct spsc ring;
	const struct speech_line *slots[ANNOUNCER_QUEUE];
	/* audio thread only */
	const struct speech_line *playing;
	frames_t pos;
	frames_t gap;
};

int announcer_new(struct announcer **ret, struct speech *speech)
{
	struct announcer *a = calloc(1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	a->speech = speech;
	spsc_init(&a->ring, a->slots, sizeof(a->slots[0]), ANNOUNCER_QUEUE);
	*ret = a;
	return 0;
}

void announcer_free(struct announcer *a)
{
	if (!a)
		return;
	for (int i = 0; i < a->n_kept; i++)
		speech_line_free(&a->kept[i].line);
	free(a);
}

const struct speech_line *announcer_kept(const struct announcer *a, const char *text)
{
	for (int i = 0; i < a->n_kept; i++)
		if (strcmp(a->kept[i].text, text) == 0)
			return &a->kept[i].line;
	return NULL;
}

int announcer_say(struct announcer *a, const char *text)
{
	const struct speech_line *line = announcer_kept(a, text);

	if (!line) {
		if (a->n_kept == ANNOUNCER_LINES_MAX)
			return -ENOSPC;
		struct kept_line *k = &a->kept[a->n_kept];
		snprintf(k->text, sizeof(k->text), "%s", text);
		int r = speech_say(a->speech, k->text, &k->line);
		if (r < 0)
			return r;
		a->n_kept++;
		line = &k->line;
	}
	return spsc_push(&a->ring, &line) ? 0 : -ENOSPC;
}

void announcer_pull(void *ctx, float *out, size_t frames)
{
	struct announcer *a = ctx;
	size_t done = 0;

	while (done < frames) {
		size_t n;

		if (!a->playing && a->gap == 0) {
			if (!spsc_pop(&a->ring, &a->playing))
				break;
			a->pos = 0;
		}
		if (!a->playing) {
			n = frames - done < (size_t)a->gap ? frames - done : (size_t)a->gap;
			memset(out + done, 0, n * sizeof(*out));
			a->gap -= (frames_t)n;
			done += n;
			continue;
		}
		n = (size_t)(a->playing->frames - a->pos);
		if (n > frames - done)
			n = frames - done;
		memcpy(out + done, a->playing->samples + a->pos, n * sizeof(*out));
		a->pos += (frames_t)n;
		done += n;
		if (a->pos >= a->playing->frames) {
			a->playing = NULL;
			a->gap = ANNOUNCER_GAP_FRAMES;
		}
	}
	if (done < frames)
		memset(out + done, 0, (frames - done) * sizeof(*out));
}
