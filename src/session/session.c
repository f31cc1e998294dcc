#include "session/session.h"
#include "session/data_dir.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "routine/config_load.h"
#include "routine/routine_dir.h"
#include "routine/routine_load.h"
#include "util/env.h"
#include "util/path.h"
#include "util/utf8.h"

#ifndef REPCUE_PKGDATADIR
#define REPCUE_PKGDATADIR "/usr/share/repcue"
#endif

/* A binary in the build tree finds the bundled routines and voices through
 * repcue-data-dir.txt, which CMake writes next to it naming the source
 * tree. install() never copies that file, so an installed binary has none
 * and never looks at a source tree, even one still on the machine. */
static const char *build_tree_data_dir(char *buf, size_t size)
{
	char marker[1100];
	if (env_beside_self("repcue-data-dir.txt", marker, sizeof(marker)) < 0)
		return NULL;
	FILE *f = fopen(marker, "re");
	if (!f)
		return NULL;
	const char *ret = fgets(buf, (int)size, f) ? buf : NULL;
	fclose(f);
	if (ret)
		buf[strcspn(buf, "\r\n")] = '\0';
	return ret && buf[0] ? ret : NULL;
}

const char *repcue_data_dir(const struct repcue_env *env)
{
	static char build_tree[1024];
	static int looked;

	if (env && env->data_dir[0])
		return env->data_dir;
	if (!looked) {
		looked = build_tree_data_dir(build_tree, sizeof(build_tree)) ? 1 : -1;
	}
	return looked > 0 ? build_tree : REPCUE_PKGDATADIR;
}

#ifndef REPCUE_SYSCONFDIR
#define REPCUE_SYSCONFDIR "/etc/repcue"
#endif

const char *session_card_voices_dir(const struct repcue_env *env, char *buf, size_t size)
{
	if (!env || (path_format(buf, size, "%s/repcue/voices", env->boot_dir) < 0 && size))
		buf[0] = '\0';
	return buf;
}

void session_options_from_config(struct session_options *so, const struct device_config *cfg)
{
	so->volume_db = cfg->volume_db;
	so->beeps_db = cfg->beeps_db;
	so->voice = cfg->voice[0] ? cfg->voice : NULL;
	so->language = cfg->language[0] ? cfg->language : NULL;
	so->music_settings = &cfg->music;
}

/* The card's music settings over the defaults: each only where given. */
static void music_settings_apply(struct music_config *cfg, const struct device_music *mu)
{
	if (!mu)
		return;
	if (mu->on_set)
		cfg->enabled = mu->on;
	if (mu->volume_set)
		cfg->volume_db = mu->volume_db;
	if (mu->duck_set)
		cfg->depth_db = mu->duck_db;
	if (mu->order_set)
		cfg->order = mu->order == DEVICE_MUSIC_SHUFFLE ? MUSIC_ORDER_SHUFFLE : MUSIC_ORDER_NAME;
	if (mu->seed_set)
		cfg->seed = (unsigned)mu->seed;
}

const char *session_find_routine(const struct repcue_env *env, const char *name, char *buf, size_t size)
{
	struct routine_search search;
	char packaged[ROUTINE_DIR_PATH_MAX];

	/* a data directory too long to hold is not searched, never a cut path */
	path_format(packaged, sizeof(packaged), "%s/routines", repcue_data_dir(env));
	routine_search_init(&search, NULL, env ? env->boot_dir : NULL,
			    REPCUE_SYSCONFDIR "/routines", packaged[0] ? packaged : NULL);
	routine_search_find(&search, name, buf, size);
	return buf;
}

const char *session_default_routine(const struct repcue_env *env, char *buf, size_t size)
{
	path_format(buf, size, "%s/routines/" SESSION_DEFAULT_ROUTINE ".yaml", repcue_data_dir(env));
	return buf;
}

static void print_diags(FILE *err, const struct diag_list *diags)
{
	for (int i = 0; i < diags->count; i++)
		diag_print(err, &diags->items[i]);
	if (diags->dropped)
		fprintf(err, "... and %d more problems\n", diags->dropped);
}

int session_load_config(const struct repcue_env *env, const char *path, struct device_config *cfg,
			struct diag_list *diags, struct routine_entry *skipped, struct diag_list *card_problems,
			FILE *err)
{
	/* the card's config: read setting by setting (config_load_tolerant) */
	char boot_cfg[ENV_PATH_MAX + 32];
	struct stat st;
	int ret;

	if (skipped)
		skipped->status = 0;
	if (card_problems)
		diag_list_init(card_problems);
	/* a boot directory too long to hold has no config read from it */
	if (!env || path_format(boot_cfg, sizeof(boot_cfg), "%s/repcue/config.yaml", env->boot_dir) < 0)
		boot_cfg[0] = '\0';
	if (!path && boot_cfg[0] && stat(boot_cfg, &st) == 0) {
		/* The card's config, written from a laptop, wins over /etc. A
		 * bad one is skipped like a bad routine file: said aloud, every
		 * problem in the journal, and the coach still starts. */
		ret = config_load_tolerant(boot_cfg, cfg, diags);
		if (ret == 0) {
			/* used, each bad setting left at its default */
			print_diags(err, diags);
			for (int i = 0; i < cfg->n_skipped; i++)
				fprintf(err, "repcue: %s: setting %s on line %d left at its default; the others are used\n",
					boot_cfg, cfg->skipped[i].setting, cfg->skipped[i].line);
			if (card_problems)
				*card_problems = *diags;
			return 0;
		}
		print_diags(err, diags);
		struct routine_entry e = { .status = ret };
		snprintf(e.file, sizeof(e.file), "config.yaml");
		for (int i = 0; i < diags->count; i++)
			if (diags->items[i].line > 0 && (e.line == 0 || diags->items[i].line < e.line))
				e.line = diags->items[i].line;
		if (skipped)
			*skipped = e;
		if (card_problems)
			*card_problems = *diags;
		fprintf(err, "repcue: %s: skipped; using %s instead\n", boot_cfg, DEVICE_CONFIG_DEFAULT_PATH);
	}
	ret = config_load_or_default(path, cfg, diags);
	if (ret < 0)
		print_diags(err, diags);
	return ret;
}

struct week_count {
	int64_t now;
	long off;
	int count;
};

static int count_this_week(void *ctx, const struct history_session *s)
{
	struct week_count *wc = ctx;
	wc->count += history_completed_this_week(s, 1, wc->now, wc->off);
	return 0;
}

/* The history's part of a session: the routine's fingerprint, the resume
 * offer (placed in the lobby line) and the adherence line said last.
 * A history that cannot answer costs nothing but these lines. */
static int prepare_history(struct session *s, const struct session_options *opts, char *lobby, size_t size)
{
	struct history_session_info *i = &s->history_info;
	struct history_session last;
	char line[PLAN_TEXT_MAX];

	char real[PATH_MAX];
	/* one routine, one name, however it was given on the command line */
	if (!realpath(s->routine_path, real) || strlen(real) >= sizeof(i->routine))
		snprintf(real, sizeof(real), "%s", s->routine_path);
	memcpy(i->routine, real, sizeof(i->routine) - 1);
	i->routine[sizeof(i->routine) - 1] = '\0';
	snprintf(i->name, sizeof(i->name), "%s", s->routine->name);
	i->level = s->routine->level;
	snprintf(i->voice, sizeof(i->voice), "%s", s->routine->voice);
	if (routine_file_hash(s->routine_path, i->hash, sizeof(i->hash)) < 0)
		i->hash[0] = '\0';
	s->offer = (struct history_offer){ .kind = HISTORY_OFFER_NONE, .segment = -1 };
	if (opts->history && (opts->lobby || opts->lobby_line) && !opts->no_resume &&
	    history_last_session(opts->history, i->routine, &last) == 0)
		history_offer(&last, i->hash, &s->plan, s->routine, &s->offer);
	history_offer_line_in(&s->offer, s->book, lobby, size);
	if (!opts->adherence)
		return 0;
	time_t now = time(NULL);
	struct tm tm;
	long off = localtime_r(&now, &tm) ? tm.tm_gmtoff : 0;
	struct week_count wc = { .now = now, .off = off };
	/* a day early: the week's Monday in its own offset is found per session */
	int n = opts->history ? history_each(opts->history, history_week_start(history_week(now, off), off) - 86400,
					     count_this_week, &wc) : 0;
	if (n >= 0) {
		history_adherence_line_in(wc.count + 1, s->book, line, sizeof(line));
		if (plan_add_closing(&s->plan, line) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Music is never a reason not to start: without it the session goes on. */
static void open_music(struct session *s, const struct session_options *opts, FILE *err)
{
	struct music_config cfg;
	char cache[600] = "";

	if (opts->music)
		cfg = *opts->music;
	else
		music_config_default(&cfg);
	music_settings_apply(&cfg, opts->music_settings); /* on: false opens no music */
	/* Loudness lasts beside the speech cache; not in a temporary one. */
	if (s->have_disk && !s->disk.temporary)
		snprintf(cache, sizeof(cache), "%s/music", s->disk.dir);
	int r = music_open(&s->music, opts->music_dir, &cfg, cache[0] ? cache : NULL, opts->live,
			   frames_from_s(opts->music_ahead_s));
	if (r < 0) {
		s->music = NULL;
		if (r != -ENOENT)
			fprintf(err, "repcue: music off (%s: %s)\n", opts->music_dir, strerror(-r));
		return;
	}
	struct engine_music em;
	music_engine_params(s->music, &em);
	engine_set_music(s->engine, &em);
	s->engine->mute_coach = opts->music_only;
}

void session_music_problems(const struct session *s, struct music_problems *out)
{
	if (s->music)
		music_problems(s->music, out);
	else
		memset(out, 0, sizeof(*out));
}

int session_load_routine(const struct session_options *opts, const char *routine_path, const char *outcome,
			 struct routine *r, struct voice_profile *ret_voice, struct diag_list *diags, FILE *err)
{
	char voices_dir[1024], card_voices[1024], voice_path[1200];
	int ret;

	if (path_format(voices_dir, sizeof(voices_dir), "%s/voices", repcue_data_dir(opts->env)) < 0) {
		fprintf(err, "repcue: the data directory's path is too long (over %zu bytes): %s\n",
			sizeof(voices_dir) - sizeof("/voices"), repcue_data_dir(opts->env));
		return -ENAMETOOLONG;
	}
	struct routine_load_options load_opts = {
		.voices_dir = voices_dir,
		.card_voices_dir = session_card_voices_dir(opts->env, card_voices, sizeof(card_voices)),
	};
	ret = routine_load_with(routine_path, &load_opts, r, diags);
	if (ret < 0) {
		print_diags(err, diags);
		char shown[600];
		utf8_escape(shown, sizeof(shown), routine_path, strlen(routine_path));
		fprintf(err, "repcue: %s: %s; fix the problems above "
			"(repcue check %s lists them all)\n", shown, outcome, shown);
		return ret;
	}
	/* the settings' voice, else the routine's; the card's copy first */
	const char *voice = opts->voice && opts->voice[0] ? opts->voice : r->voice;
	if (voice_profile_path(&load_opts, voice, voice_path, sizeof(voice_path)) < 0) {
		fprintf(err, "repcue: the voice profile's path is too long: %s/%s.yaml\n", voices_dir, voice);
		return -ENAMETOOLONG;
	}
	ret = voice_profile_load(voice_path, ret_voice, diags);
	if (ret < 0 && voice != r->voice) {
		/* a setting that does not work costs only itself: the routine's
		 * own voice (the lobby names the setting, lobby.c) */
		print_diags(err, diags);
		fprintf(err, "repcue: the voice of the settings (%s) cannot be used; speaking with %s\n", voice,
			r->voice);
		voice = r->voice;
		if (voice_profile_path(&load_opts, voice, voice_path, sizeof(voice_path)) == 0)
			ret = voice_profile_load(voice_path, ret_voice, diags);
	}
	if (ret < 0) {
		print_diags(err, diags);
		return ret;
	}
	/* the settings' language (checked to have a phrasebook), else the
	 * voice's: it loaded, so its language has one */
	if (opts->language && opts->language[0] && phrasebook_find(opts->language))
		snprintf(ret_voice->language, sizeof(ret_voice->language), "%s", opts->language);
	return 0;
}

int session_open(struct session *s, const char *routine_path,
		 const struct session_options *opts, FILE *err)
{
	static const struct session_options defaults = { 0 };
	struct diag_list *diags = malloc(sizeof(*diags));
	char msg[256];
	int ret;

	if (!opts)
		opts = &defaults;
	memset(s, 0, sizeof(*s));
	if (path_format(s->routine_path, sizeof(s->routine_path), "%s", routine_path) < 0) {
		char shown[600];
		fprintf(err, "repcue: %s: the routine's path is too long (at most %zu bytes): move or rename it\n",
			utf8_escape(shown, sizeof(shown), routine_path, strlen(routine_path)),
			sizeof(s->routine_path) - 1);
		free(diags);
		return -ENAMETOOLONG;
	}
	s->routine = calloc(1, sizeof(*s->routine));
	s->engine = calloc(1, sizeof(*s->engine));
	if (!diags || !s->routine || !s->engine) {
		fprintf(err, "repcue: out of memory\n");
		ret = -ENOMEM;
		goto fail;
	}
	ret = session_load_routine(opts, routine_path, "not started", s->routine, &s->voice, diags, err);
	if (ret < 0)
		goto fail;
	s->book = phrasebook_find(s->voice.language);
	ret = plan_build_in(&s->plan, s->routine, s->book);
	if (ret < 0) {
		char shown[600];
		fprintf(err, "repcue: %s: cannot plan the session: %s\n",
			utf8_escape(shown, sizeof(shown), routine_path, strlen(routine_path)), strerror(-ret));
		goto fail;
	}
	int lobby_text = -1;
	char offer[PLAN_TEXT_MAX] = "";
	if ((opts->history || opts->adherence) && prepare_history(s, opts, offer, sizeof(offer)) < 0) {
		fprintf(err, "repcue: out of memory\n");
		ret = -ENOMEM;
		goto fail;
	}
	if (opts->lobby || opts->lobby_line) {
		/* lobby: room for all four parts at their longest, so none is cut */
		char line[PLAN_TEXT_MAX] = "", notice[PLAN_TEXT_MAX] = "";
		char lobby[PLAN_TEXT_MAX * 4 + ROUTINE_NAME_MAX];
		/* composed now that the routine's name and language are known */
		if (opts->lobby)
			opts->lobby->compose(opts->lobby->ctx, s->book, s->routine_path, s->routine->name, line, notice,
					     sizeof(line));
		else
			snprintf(line, sizeof(line), "%s", opts->lobby_line);
		/* [notice] then "Name. Last time you stopped at ..." (tap or
		 * hold), or [the routine changed] and the lobby line */
		snprintf(lobby, sizeof(lobby), "%s%s%s%s%s%s", notice, notice[0] ? " " : "",
			 s->offer.kind == HISTORY_OFFER_RESUME ? s->routine->name : "",
			 s->offer.kind == HISTORY_OFFER_RESUME ? ". " : "", offer,
			 s->offer.kind == HISTORY_OFFER_RESUME ? "" : line);
		if (s->offer.kind == HISTORY_OFFER_CHANGED) {
			size_t o = strlen(lobby);
			snprintf(lobby + o, sizeof(lobby) - o, " %s", line);
		}
		lobby_text = plan_intern(&s->plan, lobby);
		if (lobby_text < 0) {
			fprintf(err, "repcue: out of memory\n");
			ret = lobby_text;
			goto fail;
		}
	}
	ret = speech_open(&s->speech, &s->voice, msg, sizeof(msg));
	if (ret < 0) {
		fprintf(err, "repcue: speech: %s\n", msg);
		goto fail;
	}
	const char *cache_dir = opts->cache_dir ? opts->cache_dir : opts->env ? opts->env->cache_dir : "";
	if (cache_dir[0]) {
		ret = line_cache_open(&s->disk, cache_dir, opts->env ? opts->env->cache_max_bytes : 0, &s->voice,
				      speech_engine_version());
		s->have_disk = ret == 0;
		if (ret < 0)
			fprintf(err, "repcue: speech cache off (%s: %s); lines are synthesized at every start\n",
				cache_dir, strerror(-ret));
	}
	if (!s->have_disk) {
		/* Lines dropped from memory to stay in budget come back from
		 * disk rather than from eSpeak NG again: with no lasting cache,
		 * a temporary one for this session. */
		s->have_disk = line_cache_open_temp(&s->disk, opts->env ? opts->env->tmp_dir : NULL, &s->voice,
						    speech_engine_version()) == 0;
	}
	ret = line_store_init(&s->lines, &s->plan, s->speech, s->have_disk ? &s->disk : NULL,
			     !opts->live, opts->budget_bytes);
	if (ret == 0)
		ret = tone_bank_init(&s->tones);
	if (ret < 0) {
		fprintf(err, "repcue: out of memory\n");
		goto fail;
	}
	engine_init(s->engine, &s->plan, line_store_source(&s->lines), &s->tones);
	engine_set_levels(s->engine, engine_levels(opts->volume_db, opts->beeps_db));
	if (s->offer.kind == HISTORY_OFFER_RESUME)
		seq_start_at(&s->engine->seq, s->offer.segment);
	if (lobby_text >= 0) {
		seq_wait_in_lobby(&s->engine->seq, lobby_text);
		line_store_say_first(&s->lines, lobby_text);
	}
	if (opts->music_dir)
		open_music(s, opts, err);
	free(diags);
	return 0;
fail:
	free(diags);
	session_close(s);
	return ret;
}

void session_close(struct session *s)
{
	music_close(s->music);
	if (s->lines.lines)
		line_store_finish(&s->lines);
	if (s->have_disk)
		line_cache_close(&s->disk);
	tone_bank_finish(&s->tones);
	speech_close(s->speech);
	plan_finish(&s->plan);
	free(s->engine);
	free(s->routine);
	memset(s, 0, sizeof(*s));
}

void session_format_time(frames_t at, char *buf, size_t size)
{
	int64_t ms = at * 1000 / SESSION_RATE_HZ;

	snprintf(buf, size, "%02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%03" PRId64,
		 ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

static void describe_segment(const struct session *s, int index, char *buf, size_t size)
{
	const struct plan_segment *seg = &s->plan.segments[index];
	static const char *const kinds[] = {
		[SEG_SPEECH] = "speech", [SEG_COUNTDOWN] = "countdown",
		[SEG_WORK] = "work", [SEG_REST] = "rest",
	};
	size_t o = (size_t)snprintf(buf, size, "segment %d %s", index, kinds[seg->kind]);

	if (seg->step >= 0 && o < size)
		o += (size_t)snprintf(buf + o, size - o, ": %s", s->routine->steps[seg->step].name);
	if (seg->set > 0 && o < size)
		o += (size_t)snprintf(buf + o, size - o, ", set %d", seg->set);
	if (seg->side != SIDE_NONE && o < size)
		snprintf(buf + o, size - o, ", %s", side_name(seg->side));
}

void session_print_log(struct session *s, FILE *out)
{
	struct seq_log_entry log[SEQ_LOG_MAX];
	int n = seq_take_log(&s->engine->seq, log, SEQ_LOG_MAX);

	for (int i = 0; i < n; i++)
		session_print_entry(s, &log[i], out);
}

void session_print_entry(const struct session *s, const struct seq_log_entry *e, FILE *out)
{
	char when[32], what[PLAN_TEXT_MAX + 64];

	if (!out)
		return;
	session_format_time(e->at, when, sizeof(when));
	switch (e->kind) {
	case LOG_SEGMENT:
		describe_segment(s, e->arg, what, sizeof(what));
		break;
	case LOG_SAY:
		snprintf(what, sizeof(what), "say \"%s\"", s->plan.texts[e->arg]);
		break;
	case LOG_CUT:
		snprintf(what, sizeof(what), "cut \"%s\" (at a word boundary)", s->plan.texts[e->arg]);
		break;
	case LOG_STOP:
		snprintf(what, sizeof(what), "stop \"%s\" (faded out for a press)", s->plan.texts[e->arg]);
		break;
	case LOG_WAIT:
		snprintf(what, sizeof(what), "wait for \"%s\" (not synthesized yet; the session waits between lines)",
			 s->plan.texts[e->arg]);
		break;
	case LOG_DROP:
		snprintf(what, sizeof(what), "drop \"%s\" (no room to say it in time)", s->plan.texts[e->arg]);
		break;
	case LOG_BEEP:
		snprintf(what, sizeof(what), "beep %s", tone_name((enum tone)e->arg));
		break;
	case LOG_CONTROL:
		snprintf(what, sizeof(what), "press %s%s", control_action_name((enum control_action)e->arg),
			 e->arg2 ? "" : " (nothing to do)");
		break;
	case LOG_END:
		snprintf(what, sizeof(what), "end of session");
		break;
	}
	fprintf(out, "%s  %9" PRId64 "  %s\n", when, e->at, what);
}

void session_status(const struct engine *e, struct session_status *out)
{
	seq_get_status(&e->seq, &out->seq);
	out->now = out->seq.now;
	out->pending_presses = out->seq.pending_controls;
}

int session_render(struct engine *e, const struct session_render_opts *opts)
{
	struct seq_log_entry log[SEQ_LOG_MAX];
	float block[ENGINE_BLOCK];

	for (int i = 0; i < opts->n_presses; i++)
		seq_push_control(&e->seq, opts->presses[i]);
	while (!engine_finished(e)) {
		struct session_status st;

		session_status(e, &st);
		/* Paused with no press left to resume it: it would never end. */
		if (opts->stop_when_stuck && st.seq.paused && st.pending_presses == 0)
			return -EDEADLK;
		if (opts->limit > 0 && st.now >= opts->limit)
			return -ETIME;
		engine_render_block(e, block);
		int n = seq_take_log(&e->seq, log, SEQ_LOG_MAX);
		int ret = opts->on_block ? opts->on_block(opts->ctx, st.now, block, log, n) : 0;
		if (ret != 0)
			return ret;
	}
	return 0;
}
