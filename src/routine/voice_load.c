/* voice_load.c - the voice profile schema (voices/<name>.yaml): how the
 * coach sounds. Documented in routines/README.md next to the routine
 * format. Ranges follow the field comments of struct voice_profile. */
#include "routine/routine_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "phrase/phrase.h"
#include "routine/schema.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const voice_keys[] = {
	"repcue", "name", "language", "variant", "rate", "pitch", "range",
	"volume", "word_gap_ms",
};
enum { V_REPCUE, V_NAME, V_LANGUAGE, V_VARIANT, V_RATE, V_PITCH, V_RANGE,
       V_VOLUME, V_WORD_GAP };

/* The voice profile format has its own version, like routine files. */
#define VOICE_FORMAT_VERSION 1

static void load_voice(struct schema *s, struct voice_profile *vp)
{
	int root = ydoc_root(s->doc), v[N(voice_keys)];

	*vp = voice_profile_default();
	if (!schema_document(s, VOICE_FORMAT_VERSION,
			     "start with 'repcue: 1', 'name:' and 'language:' (see routines/README.md)",
			     "a voice profile", voice_keys, N(voice_keys), v))
		return;
	if (!v[V_NAME])
		schema_error(s, root, "add 'name: ...', the file name without .yaml",
			     "missing 'name'");
	else
		schema_word(s, v[V_NAME], "name", sizeof(vp->name), vp->name);
	if (!v[V_LANGUAGE])
		schema_error(s, root, "add 'language: en-gb' (an eSpeak NG voice)",
			     "missing 'language'");
	else if (schema_word(s, v[V_LANGUAGE], "language", sizeof(vp->language), vp->language) &&
		 !phrasebook_find(vp->language)) {
		/* The coach's own sentences come from the phrasebook of this
		 * language: without one it could only speak English words
		 * with a foreign voice. */
		char list[160], hint[300];

		snprintf(hint, sizeof(hint), "use a language with a phrasebook: %s, in any eSpeak NG "
			 "variant of it (en-gb, en-us); to add one, see src/phrase/README.md, \"Languages\"",
			 phrasebook_list(list, sizeof(list)));
		schema_error(s, v[V_LANGUAGE], hint, "no phrasebook for language '%s'", vp->language);
	}
	/* eSpeak NG variants have names like "f3" or "Mr serious"; spaces
	 * are left out on purpose so the value stays a single word. */
	if (v[V_VARIANT])
		schema_word(s, v[V_VARIANT], "variant", sizeof(vp->variant), vp->variant);
	if (v[V_RATE])
		schema_int(s, v[V_RATE], "rate", 80, 450, &vp->rate_wpm);
	if (v[V_PITCH])
		schema_int(s, v[V_PITCH], "pitch", 0, 100, &vp->pitch);
	if (v[V_RANGE])
		schema_int(s, v[V_RANGE], "range", 0, 100, &vp->range);
	if (v[V_VOLUME])
		schema_int(s, v[V_VOLUME], "volume", 0, 200, &vp->volume);
	if (v[V_WORD_GAP])
		schema_int(s, v[V_WORD_GAP], "word_gap_ms", 0, 500, &vp->word_gap_ms);
}

struct voice_job {
	struct voice_profile *out;
	const char *expect_name;   /* NULL: any name */
};

static void load_voice_job(struct schema *s, void *ctx)
{
	struct voice_job *job = ctx;
	struct voice_profile *out = job->out;
	const struct ydoc *doc = s->doc;

	load_voice(s, out);
	/* A routine names a profile by file name: a copied file whose name
	 * was not updated would be confusing in logs and menus. */
	if (job->expect_name && s->errors == 0 && strcmp(out->name, job->expect_name) != 0) {
		char hint[160];
		int node = 0;

		for (size_t i = 0; i < ydoc_count(doc, ydoc_root(doc)); i++)
			if (strcmp(ydoc_scalar(doc, ydoc_key(doc, ydoc_root(doc), i), NULL),
				   "name") == 0)
				node = ydoc_value(doc, ydoc_root(doc), i);
		snprintf(hint, sizeof(hint), "write 'name: %s', or rename the file to %s.yaml",
			 job->expect_name, out->name);
		schema_error(s, node, hint,
			     "profile name '%s' does not match the file name", out->name);
	}
}

/* From buf[0..len), or from the file at name when buf is NULL: then the
 * profile's name must be the file's ("warm.yaml" says "name: warm"). */
static int load_from(const char *name, const char *buf, size_t len,
		     struct voice_profile *out, struct diag_list *diags)
{
	struct voice_job job = { .out = out, .expect_name = NULL };
	char expect[VOICE_FIELD_MAX] = "";

	if (!buf) {
		const char *base = strrchr(name, '/');
		size_t n;

		base = base ? base + 1 : name;
		n = strlen(base);
		if (n > 5 && n - 5 < sizeof(expect) && strcmp(base + n - 5, ".yaml") == 0) {
			snprintf(expect, sizeof(expect), "%.*s", (int)(n - 5), base);
			job.expect_name = expect;
		}
	}
	memset(out, 0, sizeof(*out));
	return schema_parse_source(name, buf, len, diags, load_voice_job, &job);
}

int voice_profile_parse(const char *name, const char *buf, size_t len,
			struct voice_profile *out, struct diag_list *diags)
{
	return load_from(name, buf ? buf : "", len, out, diags);
}

int voice_profile_load(const char *path, struct voice_profile *out,
		       struct diag_list *diags)
{
	return load_from(path, NULL, 0, out, diags);
}

int voice_profile_path(const struct routine_load_options *opts, const char *name, char *out,
		       size_t size)
{
	struct stat st;

	if (opts->card_voices_dir && opts->card_voices_dir[0]) {
		if ((size_t)snprintf(out, size, "%s/%s.yaml", opts->card_voices_dir, name) >= size)
			goto too_long;
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
	}
	if ((size_t)snprintf(out, size, "%s/%s.yaml", opts->voices_dir ? opts->voices_dir : ".", name) < size)
		return 0;
too_long:
	if (size)
		out[0] = '\0';
	return -ENAMETOOLONG;
}
