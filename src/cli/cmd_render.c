/* repcue render - a whole session to a WAV file, far faster than real time,
 * with a transcript of every line and beep at its sample. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/misuse.h"
#include "core/control.h"
#include "history/history.h"
#include "output/wav.h"
#include "routine/config_load.h"
#include "session/session.h"
#include "sheet/sheet_file.h"
#include "util/cleanup.h"
#include "util/clock.h"
#include "util/out_file.h"
#include "util/utf8.h"

/* A bound so no input can make render run forever: beyond the plan's own
 * length and the last press, no valid routine needs more (its speech is a
 * few hours at most, even at every limit of the format). Reaching it is
 * an error, never a silent end. */
#define RENDER_SLACK_S (6 * 3600)

static void usage(FILE *f)
{
	char actions[160];

	fprintf(f, "usage: repcue render [ROUTINE.yaml] -o SESSION.wav [--press ACTION@SECONDS,...] [--quiet]\n"
		   "                     [--with-history] [--config FILE] [--music DIR [--music-only]]\n"
		   "                     [--timeline FILE.svg|FILE.png]\n"
		   "  Renders the whole session offline and prints a transcript:\n"
		   "  session time, sample index, and what was said or which beep.\n"
		   "  --press next@95.5,pause@120,pause@130  injects presses exactly as a button would\n"
		   "  (actions: %s)\n"
		   "  --quiet  no transcript\n"
		   "  --with-history  end as `play` would, with the sessions this week from the\n"
		   "           history (read only; a render is not a session and is not recorded)\n"
		   "  --config FILE  the settings of a device config (volume, beeps, voice, language), e.g. the\n"
		   "           card's repcue/config.yaml: the samples `repcue play` plays with it\n"
		   "  --music DIR  music under the coach from DIR (MP3, Ogg, Opus, FLAC, WAV), by name\n"
		   "  --music-only  the music bed alone, as it sounds under the session (for checks)\n"
		   "  --timeline FILE.svg|FILE.png  also draws the session as it ran: segments, every\n"
		   "           line (coloured by priority), beeps, presses and waits on a time axis\n"
		   "           (SVG: a wide page to zoom into)\n"
		   "  -o - (or /dev/stdout) writes the WAV to stdout; the transcript then goes to stderr\n",
		control_user_action_list(actions, sizeof(actions), true));
}

static double seconds_since(int64_t t0_ns)
{
	return (double)(clock_now_ns() - t0_ns) / 1e9;
}

/* Where render's blocks go: the WAV, the transcript (NULL = none) and,
 * for --timeline, every event kept. */
struct render_sink {
	struct session *s;
	struct wav_writer *wav;
	FILE *transcript;
	bool keep;                  /* keep the events (--timeline) */
	struct seq_log_entry *kept; /* owned; n_kept of them, in order */
	int n_kept, cap_kept;
	char msg[512]; /* why writing failed */
};

/* The events of a block kept for the timeline: what the transcript
 * prints, the sequencer's own record. */
static int keep_events(struct render_sink *sink, const struct seq_log_entry *log, int n)
{
	if (sink->n_kept + n > sink->cap_kept) {
		int cap = sink->cap_kept ? sink->cap_kept : 1024;
		while (cap < sink->n_kept + n)
			cap *= 2;
		void *more = realloc(sink->kept, (size_t)cap * sizeof(*sink->kept));
		if (!more) {
			snprintf(sink->msg, sizeof(sink->msg), "out of memory keeping the timeline");
			return -ENOMEM;
		}
		sink->kept = more;
		sink->cap_kept = cap;
	}
	memcpy(sink->kept + sink->n_kept, log, (size_t)n * sizeof(*log));
	sink->n_kept += n;
	return 0;
}

static int write_block(void *ctx, frames_t at, const float *block, const struct seq_log_entry *log, int n)
{
	struct render_sink *sink = ctx;

	(void)at;
	for (int i = 0; i < n; i++)
		session_print_entry(sink->s, &log[i], sink->transcript);
	if (sink->keep && n > 0 && keep_events(sink, log, n) < 0)
		return -ENOMEM;
	return wav_writer_write(sink->wav, block, ENGINE_BLOCK, sink->msg, sizeof(sink->msg)) < 0 ? -EIO : 0;
}

/* The music files skipped: named on stderr (play puts them in the card's
 * problems.txt). */
static void report_music(struct session *s)
{
	struct music_problems mp;

	session_music_problems(s, &mp);
	for (int i = 0; i < mp.count; i++)
		fprintf(stderr, "repcue render: music: %s: %s\n  hint: %s\n", mp.items[i].file,
			mp.items[i].message, mp.items[i].hint);
	if (mp.dropped)
		fprintf(stderr, "repcue render: music: %d more files skipped\n", mp.dropped);
}

/* --timeline: the events kept, drawn (sheet/sheet_file.h). 0 or -errno
 * (said). */
static int write_timeline(const struct session *s, const struct render_sink *sink, frames_t frames,
			  const char *path)
{
	char msg[700];
	double width = 0;
	int r = timeline_write_file(&s->plan, s->routine, sink->kept, sink->n_kept, frames, path,
				    (enum sheet_format)sheet_format_of(path), &width, msg, sizeof(msg));
	if (r < 0)
		fprintf(stderr, "repcue render: %s\n", msg);
	else
		fprintf(stderr, "repcue: wrote %s: the timeline, %d events, %.0f points wide\n",
			utf8_escape((char[600]){ 0 }, 600, path, strlen(path)), sink->n_kept, width);
	return r;
}

int cmd_render(int argc, char **argv, const struct repcue_env *env)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "press", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "with-history", no_argument, NULL, 'H' },
		{ "config", required_argument, NULL, 'c' },
		{ "music", required_argument, NULL, 'm' },
		{ "music-only", no_argument, NULL, 'M' },
		{ "timeline", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *out_path = NULL, *press_spec = NULL, *config_path = NULL, *music_dir = NULL;
	const char *timeline_path = NULL;
	bool quiet = false, with_history = false, music_only = false;
	char routine_buf[1024], msg[512];
	struct control_event presses[SESSION_PRESSES_MAX];
	int n_presses = 0, opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:p:qh", options, NULL)) != -1) {
		switch (opt) {
		case 'o': out_path = optarg; break;
		case 'p': press_spec = optarg; break;
		case 'q': quiet = true; break;
		case 'H': with_history = true; break;
		case 'c': config_path = optarg; break;
		case 'm': music_dir = optarg; break;
		case 'M': music_only = true; break;
		case 'T': timeline_path = optarg; break;
		case 'h': usage(stdout); return 0;
		default: return cli_bad_option("render", opt, argv);
		}
	}
	if (!out_path)
		return cli_misuse("render", "give the WAV to write with -o SESSION.wav (- for stdout)");
	if (music_only && !music_dir)
		return cli_misuse("render", "--music-only needs --music DIR");
	if (timeline_path && sheet_format_of(timeline_path) != SHEET_SVG && sheet_format_of(timeline_path) != SHEET_PNG)
		return cli_misuse("render", "'%s': say the timeline's format by the file's extension: .svg or .png",
				  utf8_escape((char[600]){ 0 }, 600, timeline_path, strlen(timeline_path)));
	if (argc - optind > 1)
		return cli_misuse("render", "one routine at a time; '%s' is one too many",
				  utf8_escape((char[200]){ 0 }, 200, argv[optind + 1], strlen(argv[optind + 1])));
	if (press_spec) {
		n_presses = control_parse_presses(press_spec, presses, SESSION_PRESSES_MAX, msg, sizeof(msg));
		if (n_presses < 0) {
			return cli_misuse("render", "%s", msg);
		}
	}
	/* the settings as play takes them from the card: each bad one named
	 * and left at its default, the others used */
	static struct device_config cfg;
	static struct diag_list diags;
	struct session_options settings = { 0 };
	if (config_path) {
		int r = config_load_tolerant(config_path, &cfg, &diags);
		for (int i = 0; i < diags.count; i++)
			diag_print(stderr, &diags.items[i]);
		if (r < 0) {
			fprintf(stderr, "repcue render: %s cannot be used; fix the problems above\n",
				utf8_escape((char[1200]){ 0 }, 1200, config_path, strlen(config_path)));
			return 1;
		}
		session_options_from_config(&settings, &cfg);
	}
	const char *routine_path = optind < argc ? session_find_routine(env, argv[optind], routine_buf, sizeof(routine_buf))
						 : session_default_routine(env, routine_buf, sizeof(routine_buf));
	struct render_request rq = {
		.env = env, .routine_path = routine_path, .out_path = out_path,
		.presses = presses, .n_presses = n_presses, .quiet = quiet, .with_history = with_history,
		.settings = &settings,
		.music_dir = music_dir, .music_only = music_only, .timeline_path = timeline_path,
	};
	return render_run(&rq);
}

int render_run(const struct render_request *rq)
{
	const char *routine_path = rq->routine_path, *out_path = rq->out_path;
	const struct control_event *presses = rq->presses;
	int n_presses = rq->n_presses;
	bool quiet = rq->quiet;
	char msg[512];

	/* From here a signal removes the unfinished WAV and cache files and
	 * ends the process at once, in every phase (util/cleanup.h). */
	if (cleanup_install("repcue render") < 0) {
		fprintf(stderr, "repcue render: cannot set up signal handling\n");
		return 1;
	}
	out_file_sweep(out_path);
	if (rq->timeline_path)
		out_file_sweep(rq->timeline_path);
	/* the WAV owns stdout when it goes there */
	FILE *transcript = quiet ? NULL : out_file_named_fd(out_path) == STDOUT_FILENO ? stderr : stdout;
	int64_t t0 = clock_now_ns();
	struct session s;
	/* A render is not a session: no "your first session this week". With
	 * --with-history, what `repcue play` says, to the sample: the same
	 * count of sessions this week at the end, read from the history
	 * (never written here). */
	char history_msg[HISTORY_MSG_MAX];
	struct history *history = NULL;
	int hr = -1;
	if (rq->with_history)
		hr = history_open(&history, rq->env->state_dir, HISTORY_READ_ONLY, NULL, history_msg,
				  sizeof(history_msg));
	struct session_options so = { .env = rq->env, .history = history, .adherence = hr == 0 || hr == -ENOENT };
	if (rq->settings) {
		so.volume_db = rq->settings->volume_db;
		so.beeps_db = rq->settings->beeps_db;
		so.voice = rq->settings->voice;
		so.language = rq->settings->language;
		so.music_settings = rq->settings->music_settings;
	}
	so.music_dir = rq->music_dir;
	so.music_only = rq->music_only;
	int opened = session_open(&s, routine_path, &so, stderr);
	history_close(history);
	if (opened < 0)
		return 1;

	struct wav_writer *wav;
	if (wav_writer_open(out_path, SESSION_RATE_HZ, 1, &wav, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "repcue render: %s\n", msg);
		session_close(&s);
		return 1;
	}
	frames_t limit = s.plan.nominal_frames + frames_from_s(RENDER_SLACK_S);
	for (int i = 0; i < n_presses; i++)
		if (presses[i].at + s.plan.nominal_frames + frames_from_s(RENDER_SLACK_S) > limit)
			limit = presses[i].at + s.plan.nominal_frames + frames_from_s(RENDER_SLACK_S);
	struct render_sink sink = { .s = &s, .wav = wav, .transcript = transcript, .keep = rq->timeline_path != NULL };
	struct session_render_opts ro = {
		.presses = presses, .n_presses = n_presses, .limit = limit, .stop_when_stuck = true,
		.on_block = write_block, .ctx = &sink,
	};
	int rendered = session_render(s.engine, &ro);
	struct session_status st;
	session_status(s.engine, &st);
	if (rendered == -EDEADLK || rendered == -ETIME) {
		char when[32];

		session_format_time(st.now, when, sizeof(when));
		if (rendered == -EDEADLK)
			fprintf(stderr, "repcue render: the session is paused at %s and no later press "
				"resumes it; add one, e.g. --press ...,pause@SECONDS\n", when);
		else
			fprintf(stderr, "repcue render: the session has not ended after %s of session "
				"audio; nothing written (check the --press list)\n", when);
	} else if (rendered < 0) {
		fprintf(stderr, "repcue render: %s\n", sink.msg);
	}
	if (rendered != 0) {
		wav_writer_discard(wav);
		free(sink.kept);
		session_close(&s);
		return 1;
	}
	frames_t frames = st.now;
	report_music(&s);
	int speech_error = atomic_load(&s.lines.error);
	if (speech_error) {
		fprintf(stderr, "repcue render: speech synthesis failed (%s): some lines are missing\n",
			strerror(-speech_error));
		wav_writer_discard(wav);
		free(sink.kept);
		session_close(&s);
		return 1;
	}
	if (wav_writer_close(wav, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "repcue render: %s\n", msg);
		free(sink.kept);
		session_close(&s);
		return 1;
	}
	if (rq->timeline_path && write_timeline(&s, &sink, frames, rq->timeline_path) < 0) {
		free(sink.kept);
		session_close(&s);
		return 1;
	}
	free(sink.kept);
	/* The transcript (stdout) first: when both go to one file, the
	 * summary must come after it, not in the middle. */
	fflush(stdout);
	double total_s = seconds_since(t0);
	double audio_s = (double)frames / SESSION_RATE_HZ;
	fprintf(stderr, "repcue: wrote %s: %d:%02d of session audio (%lld frames at %d Hz) in %.2f s, "
		"%.0fx real time; lines: %d synthesized, %d from the cache, peak %.1f MB in memory\n",
		out_path, (int)audio_s / 60, (int)audio_s % 60, (long long)frames, SESSION_RATE_HZ,
		total_s, audio_s / total_s, s.lines.synthesized, s.lines.from_disk,
		(double)s.lines.peak_bytes / (1 << 20));
	session_close(&s);
	return 0;
}
