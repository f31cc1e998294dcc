#include "session.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "routine/routine_load.h"
#include "util/utf8.h"

#ifndef REPCUE_SOURCE_DIR
#define REPCUE_SOURCE_DIR "."
#endif
#ifndef REPCUE_INSTALL_DATA_DIR
#define REPCUE_INSTALL_DATA_DIR "/usr/local/share/repcue"
#endif

const char *repcue_data_dir(void)
{
	const char *env = getenv("REPCUE_DATA_DIR");
	char probe[1024];

	if (env && env[0])
		return env;
	snprintf(probe, sizeof(probe), "%s/routines", REPCUE_SOURCE_DIR);
	if (access(probe, R_OK) == 0)
		return REPCUE_SOURCE_DIR;
	return REPCUE_INSTALL_DATA_DIR;
}

const char *session_default_routine(char *buf, size_t size)
{
	snprintf(buf, size, "%s/routines/upper-back-1.yaml", repcue_data_dir());
	return buf;
}

static void print_diags(FILE *err, const struct diag_list *diags)
{
	for (int i = 0; i < diags->count; i++)
		diag_print(err, &diags->items[i]);
	if (diags->dropped)
		fprintf(err, "... and %d more problems\n", diags->dropped);
}

int session_open(struct session *s, const char *routine_path,
		 const struct session_options *opts, FILE *err)
{
	static const struct session_options defaults = { 0 };
	struct diag_list *diags = malloc(sizeof(*diags));
	char voices_dir[1024], voice_path[1200], msg[256];
	int ret;

	if (!opts)
		opts = &defaults;
	memset(s, 0, sizeof(*s));
	snprintf(s->routine_path, sizeof(s->routine_path), "%s", routine_path);
	s->routine = calloc(1, sizeof(*s->routine));
	s->engine = calloc(1, sizeof(*s->engine));
	if (!diags || !s->routine || !s->engine) {
		fprintf(err, "repcue: out of memory\n");
		ret = -ENOMEM;
		goto fail;
	}
	snprintf(voices_dir, sizeof(voices_dir), "%s/voices", repcue_data_dir());
	struct routine_load_options load_opts = { .voices_dir = voices_dir };
	ret = routine_load_with(routine_path, &load_opts, s->routine, diags);
	if (ret < 0) {
		print_diags(err, diags);
		char shown[600];
		utf8_escape(shown, sizeof(shown), routine_path, strlen(routine_path));
		fprintf(err, "repcue: %s: not started; fix the problems above "
			"(repcue check %s lists them all)\n", shown, shown);
		goto fail;
	}
	snprintf(voice_path, sizeof(voice_path), "%s/%s.yaml", voices_dir, s->routine->voice);
	ret = voice_profile_load(voice_path, &s->voice, diags);
	if (ret < 0) {
		print_diags(err, diags);
		goto fail;
	}
	ret = plan_build(&s->plan, s->routine);
	if (ret < 0) {
		char shown[600];
		fprintf(err, "repcue: %s: cannot plan the session: %s\n",
			utf8_escape(shown, sizeof(shown), routine_path, strlen(routine_path)), strerror(-ret));
		goto fail;
	}
	int lobby_text = -1;
	if (opts->lobby_line) {
		char line[PLAN_TEXT_MAX];
		struct placeholder_values v = { .name = s->routine->name };
		plan_expand(line, sizeof(line), opts->lobby_line, &v);
		lobby_text = plan_intern(&s->plan, line);
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
	char cache_dir[512];
	if (opts->cache_dir)
		snprintf(cache_dir, sizeof(cache_dir), "%s", opts->cache_dir);
	else
		cue_cache_default_dir(cache_dir, sizeof(cache_dir));
	if (cache_dir[0]) {
		ret = cue_cache_open(&s->disk, cache_dir, &s->voice, speech_engine_version());
		s->have_disk = ret == 0;
		if (ret < 0)
			fprintf(err, "repcue: speech cache off (%s: %s); lines are synthesized at every start\n",
				cache_dir, strerror(-ret));
	}
	if (!s->have_disk) {
		/* Lines dropped from memory to stay in budget come back from
		 * disk rather than from eSpeak NG again: with no lasting cache,
		 * a temporary one for this session. */
		const char *tmp = getenv("TMPDIR");
		snprintf(s->temp_cache, sizeof(s->temp_cache), "%s/repcue-cache-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
		if (mkdtemp(s->temp_cache) &&
		    cue_cache_open(&s->disk, s->temp_cache, &s->voice, speech_engine_version()) == 0)
			s->have_disk = true;
		else
			s->temp_cache[0] = '\0';
	}
	ret = cue_store_init(&s->cues, &s->plan, s->speech, s->have_disk ? &s->disk : NULL,
			     !opts->live, opts->budget_bytes);
	if (ret == 0)
		ret = tone_bank_init(&s->tones);
	if (ret < 0) {
		fprintf(err, "repcue: out of memory\n");
		goto fail;
	}
	engine_init(s->engine, &s->plan, cue_store_source(&s->cues), &s->tones);
	if (lobby_text >= 0)
		seq_wait_in_lobby(&s->engine->seq, lobby_text);
	free(diags);
	return 0;
fail:
	free(diags);
	session_close(s);
	return ret;
}

/* Empties and removes the session's temporary cache directory. */
static void remove_temp_cache(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[600];

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path))
			unlink(path);
	closedir(d);
	rmdir(dir);
}

void session_close(struct session *s)
{
	if (s->temp_cache[0])
		remove_temp_cache(s->temp_cache);
	if (s->cues.lines)
		cue_store_finish(&s->cues);
	tone_bank_finish(&s->tones);
	speech_close(s->speech);
	plan_finish(&s->plan);
	free(s->engine);
	free(s->routine);
	memset(s, 0, sizeof(*s));
}

int session_parse_presses(const char *spec, struct control_event *out, int max,
			  char *err, size_t err_size)
{
	char buf[1024];
	int n = 0;
	char *save = NULL;

	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err, err_size, "--press list is too long (at most %zu characters)", sizeof(buf) - 1);
		return -EINVAL;
	}
	strcpy(buf, spec);
	for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *at = strchr(item, '@');
		char *end = NULL;
		char shown[80], when[40];
		if (!at) {
			snprintf(err, err_size, "--press item '%s' needs ACTION@SECONDS, e.g. next@95.5",
				 utf8_escape(shown, sizeof(shown), item, strlen(item)));
			return -EINVAL;
		}
		*at = '\0';
		enum control_action action = control_user_action_from_name(item);
		double seconds = strtod(at + 1, &end);
		if (!control_action_is_scriptable(action)) {
			char list[160];
			bool notice = false;  /* "pedal-gone": repcue's own, not a press */
			for (int a = CONTROL_NONE + 1; a < CONTROL_ACTION_COUNT; a++)
				notice |= !control_action_is_user((enum control_action)a) &&
					  strcmp(item, control_action_name((enum control_action)a)) == 0;
			snprintf(err, err_size, "--press: %s '%s'; use one of: %s",
				 action != CONTROL_NONE ? "cannot script" :
				 notice ? "not an action but a notification repcue sends itself:" :
				 "unknown action",
				 utf8_escape(shown, sizeof(shown), item, strlen(item)),
				 control_user_action_list(list, sizeof(list), true));
			return -EINVAL;
		}
		if (end == at + 1 || *end != '\0' || !isfinite(seconds) || seconds < 0 || seconds > 86400) {
			snprintf(err, err_size, "--press %s@%s: the time must be session seconds between 0 and 86400",
				 item, utf8_escape(when, sizeof(when), at + 1, strlen(at + 1)));
			return -EINVAL;
		}
		if (n == max) {
			snprintf(err, err_size, "--press: at most %d presses", max);
			return -EINVAL;
		}
		out[n++] = (struct control_event){
			.action = action, .at = (frames_t)llround(seconds * SESSION_RATE_HZ),
		};
	}
	return n;
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
