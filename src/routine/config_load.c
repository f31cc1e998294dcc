/* config_load.c - the device config schema: walks the YAML tree of
 * /etc/repcue/config.yaml into struct device_config, reporting every
 * problem it finds.  The format is documented in hw/README.md ("Config
 * file"); keep the two in step. The inputs and their timing are
 * config_inputs.c.
 *
 * The words of the mapping overrides (inputs, gestures, states, actions)
 * are those input_mapping_set() takes; tests/controls checks that both
 * accept the same ones, so a file that loads here also applies there. */
#include "routine/config_load.h"
#include "routine/config_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/control.h"
#include "phrase/phrase.h"
#include "util/utf8.h"


static const char *const top_keys[] = {
	"repcue", "audio", "routines", "inputs", "timing", "mapping", "volume", "beeps", "voice", "language",
	"music", "report",
};
enum { T_REPCUE, T_AUDIO, T_ROUTINES, T_INPUTS, T_TIMING, T_MAPPING, T_VOLUME, T_BEEPS, T_VOICE, T_LANGUAGE,
       T_MUSIC, T_REPORT };

static const char *const audio_keys[] = { "device", "latency", "wait_for_device" };
enum { A_DEVICE, A_LATENCY, A_WAIT };

static const char *const routines_keys[] = { "dir", "default" };
enum { R_DIR, R_DEFAULT };

static const char *const music_keys[] = { "on", "volume", "duck", "order", "seed" };
enum { M_ON, M_VOLUME, M_DUCK, M_ORDER, M_SEED };
/* music.order, by enum device_music_order */
static const char *const music_orders[] = { "name", "shuffle" };

static const char *const report_keys[] = { "target", "weeks", "paper" };
enum { P_TARGET, P_WEEKS, P_PAPER };
/* report.paper, by enum device_paper */
static const char *const report_papers[] = { "a4", "letter" };


struct mark config_mark(const struct schema *s, const struct device_config *cfg)
{
	return (struct mark){ s->errors, s->diags->count, cfg->n_skipped + cfg->n_skipped_dropped };
}

/* Records `setting` as skipped when problems came since m and no setting
 * inside it was recorded already; node gives the line when the problem
 * itself was dropped from the full list. True when it was skipped. */
bool config_settle(const struct schema *s, struct mark m, struct device_config *cfg, const char *setting,
		   int node)
{
	if (s->errors == m.errors)
		return false;
	if (cfg->n_skipped + cfg->n_skipped_dropped != m.skipped)
		return true;
	if (cfg->n_skipped == DEVICE_CONFIG_SKIPPED_MAX) {
		cfg->n_skipped_dropped++;
		return true;
	}
	struct device_setting_skip *k = &cfg->skipped[cfg->n_skipped++];
	snprintf(k->setting, sizeof(k->setting), "%s", setting);
	k->line = s->diags->count > m.diags ? s->diags->items[m.diags].line : ydoc_line(s->doc, node);
	return true;
}

/* Index of the word of words[] equal to text[0..len), or -1. */
int config_find_word(const char *text, size_t len, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(words[i]) == len && memcmp(words[i], text, len) == 0)
			return (int)i;
	return -1;
}

/* The problems of a mapping's own keys since m (schema_map(): an
 * unknown key), each named as a setting: prefix and the key as written. */
void config_settle_unknown(struct schema *s, struct mark m, struct device_config *cfg, int map,
			   const char *const *keys, size_t n, const char *prefix)
{
	if (s->errors == m.errors || ydoc_kind(s->doc, map) != YNODE_MAPPING)
		return;
	for (size_t i = 0; i < ydoc_count(s->doc, map); i++) {
		int key = ydoc_key(s->doc, map, i);
		size_t len;
		const char *text = ydoc_scalar(s->doc, key, &len);
		bool scalar = ydoc_kind(s->doc, key) == YNODE_SCALAR && strlen(text) == len;
		struct mark none = { -1, s->diags->count, cfg->n_skipped + cfg->n_skipped_dropped };
		char setting[DEVICE_CONFIG_SETTING_MAX];

		if (scalar && config_find_word(text, len, keys, n) >= 0)
			continue;
		snprintf(setting, sizeof(setting), "%s%.*s", prefix,
			 scalar ? (int)utf8_prefix(text, len, sizeof(setting) - 1 - strlen(prefix)) : 0, text);
		config_settle(s, none, cfg, setting, key);
	}
}

void config_where(struct schema *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->where, sizeof(s->where), fmt, ap);
	va_end(ap);
}

/* true / false, plain. */
bool config_read_bool(struct schema *s, int node, const char *key, bool *out)
{
	const char *text = ydoc_scalar(s->doc, node, NULL);

	if (ydoc_kind(s->doc, node) == YNODE_SCALAR &&
	    ydoc_style(s->doc, node) == YSCALAR_PLAIN) {
		if (strcmp(text, "true") == 0) {
			*out = true;
			return true;
		}
		if (strcmp(text, "false") == 0) {
			*out = false;
			return true;
		}
	}
	schema_error(s, node, "write true or false, without quotes",
		     "'%s' must be true or false%s", key, s->where);
	return false;
}

/* The keys of the top-level mapping `name` into v[] (schema_map()); false
 * when it is no mapping. Unknown keys are named as skipped settings. */
static bool section_keys(struct schema *s, int node, struct device_config *cfg, const char *name,
			 const char *const *keys, size_t n, int *v)
{
	struct mark m = config_mark(s, cfg);
	char what[DEVICE_CONFIG_SETTING_MAX], prefix[DEVICE_CONFIG_SETTING_MAX];

	config_where(s, " in '%s'", name);
	snprintf(what, sizeof(what), "'%s'", name);
	if (!schema_map(s, node, what, keys, n, v))
		return false;
	snprintf(prefix, sizeof(prefix), "%s.", name);
	config_settle_unknown(s, m, cfg, node, keys, n, prefix);
	return true;
}

static void load_audio(struct schema *s, int node, struct device_config *cfg)
{
	int v[N(audio_keys)];
	struct mark m;

	if (!section_keys(s, node, cfg, "audio", audio_keys, N(audio_keys), v))
		return;
	/* device: "" says "the default" as plainly as leaving it out */
	m = config_mark(s, cfg);
	if (v[A_DEVICE] && !(ydoc_kind(s->doc, v[A_DEVICE]) == YNODE_SCALAR &&
			     ydoc_scalar(s->doc, v[A_DEVICE], NULL)[0] == '\0' &&
			     ydoc_style(s->doc, v[A_DEVICE]) == YSCALAR_QUOTED))
		schema_text(s, v[A_DEVICE], "device", sizeof(cfg->audio.device), TEXT_NAME,
			    cfg->audio.device);
	config_settle(s, m, cfg, "audio.device", v[A_DEVICE]);
	if (v[A_DEVICE] && cfg->audio.device[0])
		cfg->audio.device_line = ydoc_line(s->doc, v[A_DEVICE]);
	m = config_mark(s, cfg);
	if (v[A_LATENCY])
		schema_int(s, v[A_LATENCY], "latency", 0, DEVICE_CONFIG_LATENCY_MAX,
			   &cfg->audio.latency_frames);
	config_settle(s, m, cfg, "audio.latency", v[A_LATENCY]);
	m = config_mark(s, cfg);
	if (v[A_WAIT])
		config_read_bool(s, v[A_WAIT], "wait_for_device", &cfg->audio.wait_for_device);
	config_settle(s, m, cfg, "audio.wait_for_device", v[A_WAIT]);
}

/* A level in dB as a person writes it: "-6 dB", "-6dB", "-6", "-4.5 dB",
 * "0"; at most one decimal.  Reports and returns false on anything else
 * or outside [min, max]. */
static bool read_db(struct schema *s, int node, const char *key, int min, int max,
		    const char *example, float *out)
{
	char hint[200];
	const char *text, *c;
	size_t len;
	int whole = 0, tenths = 0, sign = 1, digits = 0;

	snprintf(hint, sizeof(hint), "write a level in dB from %d dB to %d dB, e.g. '%s: %s'", min, max, key,
		 example);
	if (ydoc_kind(s->doc, node) != YNODE_SCALAR) {
		schema_error(s, node, hint, "'%s' must be a level in dB, not %s", key,
			     ydoc_kind_name(ydoc_kind(s->doc, node)));
		return false;
	}
	text = ydoc_scalar(s->doc, node, &len);
	c = text;
	if (*c == '-' || *c == '+')
		sign = *c++ == '-' ? -1 : 1;
	for (; *c >= '0' && *c <= '9' && digits < 4; c++, digits++)
		whole = whole * 10 + (*c - '0');
	if (digits && *c == '.' && c[1] >= '0' && c[1] <= '9') {
		tenths = c[1] - '0';
		c += 2;
	}
	while (*c == ' ')
		c++;
	if (strncasecmp(c, "db", 2) == 0)
		c += 2;
	if (!digits || *c || strlen(text) != len) {
		char shown[64];

		snprintf(shown, sizeof(shown), "%.*s%s", strlen(text) == len ? (int)utf8_prefix(text, len, 40) : 1,
			 strlen(text) == len ? text : "?", len > 40 ? "..." : "");
		if (len && text[len - 1] == '%')
			snprintf(hint, sizeof(hint), "write the level in dB, not in percent: 0 dB is the loudest, "
				 "-6 dB sounds a little softer, -20 dB much softer (e.g. '%s: %s')", key, example);
		schema_error(s, node, hint, "'%s' is not a level in dB: '%s'", key, shown);
		return false;
	}
	float value = (float)sign * ((float)whole + (float)tenths / 10.0f);
	if (value > (float)max || value < (float)min) {
		if (value > (float)max && max == 0)
			snprintf(hint, sizeof(hint), "0 dB is the loudest the coach plays without distortion; "
				 "for more, turn up the speaker");
		schema_error(s, node, hint, "'%s' is %s%d%s dB; it must be %d dB to %d dB", key,
			     sign < 0 ? "-" : "", whole, tenths ? (char[3]){ '.', (char)('0' + tenths), 0 } : "",
			     min, max);
		return false;
	}
	*out = value;
	return true;
}

static void load_routines(struct schema *s, int node, struct device_config *cfg)
{
	int v[N(routines_keys)];
	struct mark m;

	if (!section_keys(s, node, cfg, "routines", routines_keys, N(routines_keys), v))
		return;
	m = config_mark(s, cfg);
	if (v[R_DIR])
		schema_text(s, v[R_DIR], "dir", sizeof(cfg->routines.dir), TEXT_NAME,
			    cfg->routines.dir);
	config_settle(s, m, cfg, "routines.dir", v[R_DIR]);
	m = config_mark(s, cfg);
	if (v[R_DEFAULT])
		schema_text(s, v[R_DEFAULT], "default", sizeof(cfg->routines.default_routine),
			    TEXT_NAME, cfg->routines.default_routine);
	config_settle(s, m, cfg, "routines.default", v[R_DEFAULT]);
}
/* Checks one part of a mapping key ("pedal", "hold", "resting") and
 * reports it at its own column. */
static bool mapping_part(struct schema *s, int key, const char *text, size_t off, size_t len,
			 const char *what, const char *const *words, size_t n)
{
	char word[64], hint[200];
	int line, col;

	if (config_find_word(text + off, len, words, n) >= 0)
		return true;
	snprintf(word, sizeof(word), "%.*s", (int)utf8_prefix(text + off, len, 40), text + off);
	schema_suggest(hint, sizeof(hint), word, words, n);
	ydoc_value_pos(s->doc, key, off, &line, &col);
	schema_error_at(s, line, col, hint, "unknown %s '%s' in mapping '%s'", what, word,
			text);
	return false;
}

/* Whether value names an internal notification, for a clearer message
 * than "unknown action". */
static bool is_notification(const struct schema *s, int value)
{
	size_t len;
	const char *text;

	if (ydoc_kind(s->doc, value) != YNODE_SCALAR)
		return false;
	text = ydoc_scalar(s->doc, value, &len);
	return strlen(text) == len && control_is_notification_name(text);
}

static void load_mapping_pair(struct schema *s, int key, int value, struct device_config *cfg)
{
	static const char key_hint[] =
		"write input.gesture or input.gesture.state, e.g. 'pedal.hold' or 'next.hold.resting'";
	/* the mapping's vocabulary: the tables of core/device_config.h */
	const char *words[DEVICE_BINDING_WORDS_MAX], *text;
	size_t len, n_words = device_binding_words(words, N(words)), start = 0;
	struct device_mapping *m;
	int part = 0, action;
	bool ok = true;

	if (ydoc_kind(s->doc, key) != YNODE_SCALAR) {
		schema_error(s, key, key_hint, "a mapping key must be text, not %s",
			     ydoc_kind_name(ydoc_kind(s->doc, key)));
		return;
	}
	text = ydoc_scalar(s->doc, key, &len);
	if (len == 0 || strlen(text) != len || len >= DEVICE_CONFIG_MAPPING_KEY_MAX ||
	    !memchr(text, '.', len)) {
		schema_error(s, key, key_hint, "mapping key '%.*s' is not input.gesture%s",
			     strlen(text) == len ? (int)utf8_prefix(text, len, 40) : 1,
			     strlen(text) == len ? text : "?", len > 40 ? "..." : "");
		return;
	}
	for (size_t i = 0; i <= len && ok; i++) {
		if (i < len && text[i] != '.')
			continue;
		switch (part++) {
		case 0:
			ok = mapping_part(s, key, text, start, i - start, "input",
					  device_role_names, DEVICE_ROLE_COUNT);
			break;
		case 1:
			ok = mapping_part(s, key, text, start, i - start, "gesture",
					  device_gesture_names, DEVICE_GESTURE_COUNT);
			break;
		case 2:
			ok = mapping_part(s, key, text, start, i - start, "state",
					  device_state_words, DEVICE_STATE_WORDS);
			break;
		default:
			schema_error(s, key, key_hint,
				     "mapping key '%s' has too many parts", text);
			ok = false;
			break;
		}
		start = i + 1;
	}
	if (!ok)
		return;
	for (int i = 0; i < cfg->n_mapping; i++) {
		if (strcmp(cfg->mapping[i].key, text) == 0) {
			char hint[120];

			snprintf(hint, sizeof(hint),
				 "remove one of them; the first is at line %d",
				 cfg->mapping[i].line);
			schema_error(s, key, hint, "duplicate key '%s' in 'mapping'", text);
			return;
		}
	}
	if (cfg->n_mapping == DEVICE_CONFIG_MAPPING_MAX) {
		schema_error(s, key, "remove overrides that repeat the defaults",
			     "too many mapping overrides; the limit is %d",
			     DEVICE_CONFIG_MAPPING_MAX);
		return;
	}
	m = &cfg->mapping[cfg->n_mapping];
	config_where(s, " in mapping '%s'", text);
	if (is_notification(s, value)) {
		char hint[300];
		size_t used = (size_t)snprintf(hint, sizeof(hint), "use one of:");

		for (size_t i = 0; i < n_words && used < sizeof(hint); i++)
			used += (size_t)snprintf(hint + used, sizeof(hint) - used, "%s %s",
						 i ? "," : "", words[i]);
		schema_error(s, value, hint,
			     "'%s' is a notification repcue sends itself, not an action%s",
			     ydoc_scalar(s->doc, value, NULL), s->where);
		return;
	}
	if (!schema_enum(s, value, "action", words, n_words, &action))
		return;
	memcpy(m->key, text, len + 1);
	snprintf(m->value, sizeof(m->value), "%s", words[action]);
	m->line = ydoc_line(s->doc, key);
	cfg->n_mapping++;
}

static void load_mapping(struct schema *s, int node, struct device_config *cfg)
{
	size_t n;

	s->where[0] = '\0';
	if (ydoc_kind(s->doc, node) != YNODE_MAPPING) {
		schema_error(s, node, "write one override per line, e.g. 'pedal.hold: pause'",
			     "'mapping' must be a mapping of keys to values, not %s",
			     ydoc_kind_name(ydoc_kind(s->doc, node)));
		return;
	}
	n = ydoc_count(s->doc, node);
	for (size_t i = 0; i < n && !schema_full(s); i++) {
		struct mark m = config_mark(s, cfg);

		load_mapping_pair(s, ydoc_key(s->doc, node, i), ydoc_value(s->doc, node, i), cfg);
		config_settle(s, m, cfg, "mapping", ydoc_key(s->doc, node, i));
	}
}

static void load_volume(struct schema *s, int node, struct device_config *cfg)
{
	read_db(s, node, "volume", DEVICE_CONFIG_VOLUME_DB_MIN, DEVICE_CONFIG_VOLUME_DB_MAX, "-6 dB",
		&cfg->volume_db);
}

static void load_beeps(struct schema *s, int node, struct device_config *cfg)
{
	read_db(s, node, "beeps", DEVICE_CONFIG_BEEPS_DB_MIN, DEVICE_CONFIG_BEEPS_DB_MAX, "-3 dB",
		&cfg->beeps_db);
}

static void load_voice(struct schema *s, int node, struct device_config *cfg)
{
	if (schema_word(s, node, "voice", sizeof(cfg->voice), cfg->voice)) {
		cfg->voice_line = ydoc_line(s->doc, node);
		cfg->voice_col = ydoc_col(s->doc, node);
	}
}

/* music: each key on its own, so one bad value leaves the others applied */
static void load_music(struct schema *s, int node, struct device_config *cfg)
{
	struct device_music *mu = &cfg->music;
	int v[N(music_keys)];
	struct mark m;

	if (!section_keys(s, node, cfg, "music", music_keys, N(music_keys), v))
		return;
	m = config_mark(s, cfg);
	if (v[M_ON])
		mu->on_set = config_read_bool(s, v[M_ON], "on", &mu->on);
	config_settle(s, m, cfg, "music.on", v[M_ON]);
	m = config_mark(s, cfg);
	if (v[M_VOLUME])
		mu->volume_set = read_db(s, v[M_VOLUME], "volume", DEVICE_CONFIG_MUSIC_DB_MIN,
					 DEVICE_CONFIG_MUSIC_DB_MAX, "-6 dB", &mu->volume_db);
	config_settle(s, m, cfg, "music.volume", v[M_VOLUME]);
	m = config_mark(s, cfg);
	if (v[M_DUCK])
		mu->duck_set = read_db(s, v[M_DUCK], "duck", DEVICE_CONFIG_DUCK_DB_MIN, DEVICE_CONFIG_DUCK_DB_MAX,
				       "20 dB", &mu->duck_db);
	config_settle(s, m, cfg, "music.duck", v[M_DUCK]);
	m = config_mark(s, cfg);
	if (v[M_ORDER])
		mu->order_set = schema_enum(s, v[M_ORDER], "order", music_orders, N(music_orders), &mu->order);
	config_settle(s, m, cfg, "music.order", v[M_ORDER]);
	m = config_mark(s, cfg);
	if (v[M_SEED])
		mu->seed_set = schema_int(s, v[M_SEED], "seed", 0, DEVICE_CONFIG_SEED_MAX, &mu->seed);
	config_settle(s, m, cfg, "music.seed", v[M_SEED]);
}

/* report: each key on its own, as music */
static void load_report(struct schema *s, int node, struct device_config *cfg)
{
	struct device_report *rp = &cfg->report;
	int v[N(report_keys)];
	struct mark m;

	if (!section_keys(s, node, cfg, "report", report_keys, N(report_keys), v))
		return;
	m = config_mark(s, cfg);
	if (v[P_TARGET])
		rp->target_set = schema_int(s, v[P_TARGET], "target", 0, DEVICE_CONFIG_REPORT_TARGET_MAX,
					    &rp->target);
	config_settle(s, m, cfg, "report.target", v[P_TARGET]);
	m = config_mark(s, cfg);
	if (v[P_WEEKS])
		rp->weeks_set = schema_int(s, v[P_WEEKS], "weeks", 1, DEVICE_CONFIG_REPORT_WEEKS_MAX, &rp->weeks);
	config_settle(s, m, cfg, "report.weeks", v[P_WEEKS]);
	m = config_mark(s, cfg);
	if (v[P_PAPER])
		rp->paper_set = schema_enum(s, v[P_PAPER], "paper", report_papers, N(report_papers), &rp->paper);
	config_settle(s, m, cfg, "report.paper", v[P_PAPER]);
}

static void load_language(struct schema *s, int node, struct device_config *cfg)
{
	if (schema_word(s, node, "language", sizeof(cfg->language), cfg->language) &&
	    !phrasebook_find(cfg->language)) {
		char list[160], hint[200];

		snprintf(hint, sizeof(hint), "use a language the coach speaks: %s (or a variant: en-gb, de-ch)",
			 phrasebook_list(list, sizeof(list)));
		schema_error(s, node, hint, "no phrasebook for language '%s'", cfg->language);
		cfg->language[0] = '\0';
	}
}

/* The top-level settings after 'repcue', in the order they are loaded;
 * each is named by its key when skipped. */
static const struct {
	int key;  /* T_* */
	void (*load)(struct schema *s, int node, struct device_config *cfg);
} sections[] = {
	{ T_AUDIO, load_audio },       { T_ROUTINES, load_routines },
	{ T_INPUTS, config_load_inputs }, { T_TIMING, config_load_timing },
	{ T_MAPPING, load_mapping },   { T_VOLUME, load_volume },
	{ T_BEEPS, load_beeps },       { T_VOICE, load_voice },
	{ T_LANGUAGE, load_language }, { T_MUSIC, load_music },
	{ T_REPORT, load_report },
};

struct config_job {
	struct device_config *cfg;
	bool read_on;    /* the top level was there to read: settings may be skipped one by one */
};

static void load_config(struct schema *s, struct config_job *job)
{
	struct device_config *cfg = job->cfg;
	int v[N(top_keys)];
	struct mark m = config_mark(s, cfg);

	if (!schema_document(s, DEVICE_CONFIG_VERSION,
			     "start with 'repcue: 1' (see hw/config.example.yaml), or delete the file to use the defaults",
			     "a config file", top_keys, N(top_keys), v))
		return;
	job->read_on = true;
	if (s->errors != m.errors && !schema_lookup(s, ydoc_root(s->doc), "repcue")) {
		struct mark none = { -1, s->diags->count, cfg->n_skipped + cfg->n_skipped_dropped };

		config_settle(s, none, cfg, "repcue", ydoc_root(s->doc));
	}
	config_settle_unknown(s, m, cfg, ydoc_root(s->doc), top_keys, N(top_keys), "");
	/* each setting on its own: one with a problem is named and skipped,
	 * the others still apply */
	for (size_t i = 0; i < N(sections); i++) {
		int setting = v[sections[i].key];

		m = config_mark(s, cfg);
		if (setting)
			sections[i].load(s, setting, cfg);
		config_settle(s, m, cfg, top_keys[sections[i].key], setting);
	}
}

static void load_config_job(struct schema *s, void *ctx)
{
	load_config(s, ctx);
}

static int parse(const char *name, const char *buf, size_t len, struct device_config *out,
		 struct diag_list *diags, bool tolerant)
{
	struct config_job job = { .cfg = out };
	int ret;

	device_config_init(out);
	snprintf(out->file, sizeof(out->file), "%s", name);
	ret = schema_parse(name, buf, len, diags, load_config_job, &job);
	if (ret == -EINVAL && tolerant && job.read_on)
		return 0;
	return ret;
}

int config_parse(const char *name, const char *buf, size_t len, struct device_config *out,
		 struct diag_list *diags)
{
	diag_list_init(diags);
	return parse(name, buf, len, out, diags, false);
}

int config_parse_tolerant(const char *name, const char *buf, size_t len, struct device_config *out,
			  struct diag_list *diags)
{
	diag_list_init(diags);
	return parse(name, buf, len, out, diags, true);
}

static int load(const char *path, struct device_config *out, struct diag_list *diags, bool tolerant)
{
	char *buf;
	size_t len;
	int ret;

	diag_list_init(diags);
	device_config_init(out);
	ret = schema_read_file(path, &buf, &len, diags);
	if (ret < 0)
		return ret;
	ret = parse(path, buf, len, out, diags, tolerant);
	free(buf);
	return ret;
}

int config_load(const char *path, struct device_config *out, struct diag_list *diags)
{
	return load(path, out, diags, false);
}

int config_load_tolerant(const char *path, struct device_config *out, struct diag_list *diags)
{
	return load(path, out, diags, true);
}

const char *config_path_choose(const char *cli_path, const char *env_path)
{
	if (cli_path)
		return cli_path;
	if (env_path && env_path[0])
		return env_path;
	return NULL;
}

int config_load_or_default(const char *path, struct device_config *out,
			   struct diag_list *diags)
{
	int ret;

	if (path)
		return config_load(path, out, diags);
	ret = config_load(DEVICE_CONFIG_DEFAULT_PATH, out, diags);
	if (ret == -ENOENT) {
		/* no config file: the built-in defaults */
		diag_list_init(diags);
		device_config_init(out);
		return 0;
	}
	return ret;
}
