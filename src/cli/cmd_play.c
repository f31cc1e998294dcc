/* repcue play - coach a session live through the sound card, steered by
 * terminal keys, buttons and pedals. With no sound device at all it says
 * so and renders the session to a WAV file instead. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/play.h"
#include "session/controls.h"
#include "core/status.h"
#include "history/history.h"
#include "input/input.h"
#include "core/watchdog.h"
#include "input/terminal.h"
#include "routine/config_load.h"
#include "routine/routine_dir.h"
#include "routine/routine_load.h"
#include "session/live.h"
#include "util/cleanup.h"
#include "util/notify.h"
#include "util/number.h"
#include "util/utf8.h"

#define STATUS_EVERY_MS 100
#define DEVICE_WAIT_STEP_MS 1000
#define SKIP_LINES_MAX 3          /* files named aloud per lobby entry; the rest counted */

#ifndef REPCUE_SYSCONFDIR
#define REPCUE_SYSCONFDIR "/etc/repcue"
#endif
#define HISTORY_FLUSH_WAIT_MS 3000

static int signal_pipe[2] = { -1, -1 };
/* Set while the session is being prepared (waiting for a device, loading,
 * making the first lines): no loop is there to read the pipe, so a signal
 * ends the process at once, removing its temporaries (util/cleanup.h) and
 * restoring the terminal. */
static volatile sig_atomic_t starting;

static void on_signal(int sig)
{
	int saved = errno;

	if (starting) {
		terminal_restore();
		cleanup_and_raise(sig);
	}
	unsigned char b = (unsigned char)sig;
	if (write(signal_pipe[1], &b, 1) < 0) {
		/* the pipe is full: a signal is already pending */
	}
	errno = saved;
}

static int install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return 0;
}

static bool signalled(int timeout_ms)
{
	struct pollfd p = { .fd = signal_pipe[0], .events = POLLIN };
	return poll(&p, 1, timeout_ms) > 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: repcue play [ROUTINE] [options]\n"
		"  ROUTINE              a routine file, or a name (upper-back-3) looked up in\n"
		"                       <boot>/repcue/routines, " REPCUE_SYSCONFDIR "/routines, then the package\n"
		"  --device NAME        sound device (name or part of it); default: the default output\n"
		"  --latency FRAMES     suggested output latency (default: one 256-frame period)\n"
		"  --wait-for-device    wait for a sound device instead of rendering to a file\n"
		"  --fallback-wav FILE  where the session goes when there is no sound device\n"
		"                       (default: $XDG_STATE_HOME/repcue/repcue-session.wav,\n"
		"                       that is ~/.local/state/repcue/repcue-session.wav)\n"
		"  --press next@95.5,.. scripted presses at session seconds (as in render)\n"
		"  --simulate start@1:900,..  buttons pressed by a script (seconds from when\n"
		"                       the coach is ready, ms held), through the real gesture decoder\n"
		"  --no-keys            ignore the terminal keys\n"
		"  --transcript         print every line and beep (default when stdout is not a terminal)\n"
		"  --speech-budget-mb N memory for spoken lines (default 8)\n");
	/* one line per backend, from the table (output/registry.c) */
	for (size_t i = 0; output_backend_at(i); i++)
		fprintf(f, "  --output %-12s%s\n", output_backend_at(i)->name,
			output_backend_at(i)->description);
	fprintf(f,
		"  --config FILE        device config: buttons, pedal, sound device (default\n"
		"                       $REPCUE_CONFIG, else <boot>/repcue/config.yaml on the SD card,\n"
		"                       else /etc/repcue/config.yaml if present;\n"
		"                       none = built-in defaults, keyboard only)\n"
		"  --wait-for-start     wait for the start button; hold start to choose a routine\n"
		"                       (the service runs this way, and returns here after a session)\n"
		"  --verbose            let ALSA and JACK print their own messages\n"
		"keys: %s\n", control_key_help((char[200]){ 0 }, 200));
}

/* "Band rows, set 2 of 3, left: rep 5 of 12" (core/status.c) */
static void format_status(const struct session *s, const struct live_status *st, char *buf, size_t size)
{
	struct seq_status ss = {
		.segment = st->segment, .seg_offset = st->seg_offset, .seg_left = st->seg_left,
		.paused = st->paused, .lobby = st->lobby, .finished = st->finished,
	};

	status_format(s->routine, &s->plan, &ss, buf, size);
}

/* STATUS= for systemctl status: what the service does or waits for.
 * Whole seconds are left out of it, so it changes with the step, not
 * ten times a second. */
static void service_status(const struct session *s, const struct live_status *st, char *buf, size_t size)
{
	if (st->health.state == OUTPUT_LOST)
		snprintf(buf, size, "Sound device lost: waiting for it to come back (%s)", s->routine->name);
	else if (st->lobby)
		snprintf(buf, size, "Waiting for the start button: %s", s->routine->name);
	else if (st->finished)
		snprintf(buf, size, "Session complete: %s", s->routine->name);
	else if (st->paused)
		snprintf(buf, size, "Paused: %s", s->routine->name);
	else if (st->segment < s->plan.n_segments && s->plan.segments[st->segment].step >= 0)
		snprintf(buf, size, "Playing %s: %s", s->routine->name,
			 s->routine->steps[s->plan.segments[st->segment].step].name);
	else
		snprintf(buf, size, "Playing %s", s->routine->name);
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static FILE *quiet_stderr(int *saved)
{
	int copy = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	FILE *log = copy >= 0 ? fdopen(copy, "w") : NULL;

	if (!log || null < 0 || dup2(null, STDERR_FILENO) < 0) {
		if (log)
			fclose(log);
		else if (copy >= 0)
			close(copy);
		if (null >= 0)
			close(null);
		return stderr;
	}
	close(null);
	setvbuf(log, NULL, _IOLBF, 0);
	fcntl(copy, F_SETFD, FD_CLOEXEC);
	*saved = copy;
	return log;
}

static void restore_stderr(FILE *log, int saved)
{
	if (log == stderr)
		return;
	fflush(log);
	dup2(saved, STDERR_FILENO);
	fclose(log);
}

/* Where the session goes when there is no sound device and no
 * --fallback-wav: $XDG_STATE_HOME/repcue/repcue-session.wav (by default
 * ~/.local/state/repcue/), never the current directory, which may be a
 * source tree or somebody else's files. One file, replaced each time, so
 * it cannot fill the disk; the message says where it is. 0 or -errno. */
static int default_fallback_wav(char *buf, size_t size)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[1024];
	int n;

	/* the XDG spec: a relative path is invalid and must be ignored */
	if (state && state[0] == '/')
		n = snprintf(dir, sizeof(dir), "%s/repcue", state);
	else if (home && home[0] == '/')
		n = snprintf(dir, sizeof(dir), "%s/.local/state/repcue", home);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -ENAMETOOLONG;
	/* mkdir -p, private as the spec asks for state */
	for (char *p = dir + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST)
				return -errno;
			*p = c;
			if (c == '\0')
				break;
		}
	}
	n = snprintf(buf, size, "%s/repcue-session.wav", dir);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int render_instead(const char *routine, const char *wav, const struct control_event *presses, int n_presses)
{
	char path[1100];

	if (!wav) {
		int r = default_fallback_wav(path, sizeof(path));

		if (r < 0) {
			fprintf(stderr, "repcue: no sound device, and no place for the session's WAV file "
				"($XDG_STATE_HOME or $HOME/.local/state: %s); give --fallback-wav FILE\n",
				strerror(-r));
			return 1;
		}
		wav = path;
	}

	fprintf(stderr, "repcue: no sound device: rendering the session to %s instead, with its transcript\n",
		utf8_escape((char[1200]){ 0 }, 1200, wav, strlen(wav)));
	return render_run(&(struct render_request){
		.routine_path = routine, .out_path = wav, .presses = presses, .n_presses = n_presses,
	});
}


static enum input_session_state input_state(const struct session *s, const struct live_status *st)
{
	if (st->paused)
		return INPUT_SESSION_PAUSED;
	if (st->segment < s->plan.n_segments && s->plan.segments[st->segment].kind == SEG_REST)
		return INPUT_SESSION_RESTING;
	return INPUT_SESSION_ACTIVE;
}

/* The routines the start button chooses from, read again at every entry
 * to the lobby: the card may have been in a laptop since the last one. */
struct lobby {
	struct routine_search search;
	char voices_dir[ROUTINE_DIR_PATH_MAX];
	char fallback[ROUTINE_DIR_PATH_MAX + 64];   /* the packaged default routine */
	struct routine_list list, prev;
	int valid[ROUTINE_LIST_MAX];                /* indices of valid entries */
	int n_valid;
	struct routine scratch;
	struct diag_list diags;
	/* Said before the next lobby line, as phrases: the lobby speaks with
	 * the voice of the routine it then offers, in that voice's language,
	 * which is known only once that routine is picked. */
	struct lobby_note {
		enum phrase_id id;          /* PHRASE_SKIP_ROUTINE_AT etc.: about `skipped` */
		struct routine_entry skipped;
		int number;
	} notes[SKIP_LINES_MAX + 3];
	int n_notes;
};

/* The bytes the notes may take before the lobby line: they are said
 * while the person waits, so a handful of short lines at most. */
#define LOBBY_NOTES_TEXT_MAX (PLAN_TEXT_MAX / 2)

static void lobby_say(struct lobby *lb, enum phrase_id id, const struct routine_entry *skipped, int number)
{
	if (lb->n_notes == (int)(sizeof(lb->notes) / sizeof(lb->notes[0])))
		return;
	struct lobby_note *n = &lb->notes[lb->n_notes++];
	n->id = id;
	n->number = number;
	if (skipped)
		n->skipped = *skipped;
}

/* The notes in the language of `book`, emptied, then the lobby phrase
 * into out: "<notes> <lobby line>", {name} kept for session_open. */
static void lobby_compose(struct lobby *lb, const struct phrasebook *book, enum phrase_id lobby,
			  int number, int total, char *out, size_t size)
{
	char notes[LOBBY_NOTES_TEXT_MAX] = "", line[PLAN_TEXT_MAX];
	size_t o = 0;

	for (int i = 0; lb && i < lb->n_notes; i++) {
		const struct lobby_note *n = &lb->notes[i];
		struct placeholder_values v = { .number = n->number, .book = book };
		if (n->id == PHRASE_SKIP_ROUTINE_AT || n->id == PHRASE_SKIP_CONFIG_AT)
			routine_entry_skip_line_in(&n->skipped, n->id == PHRASE_SKIP_CONFIG_AT, book,
						   line, sizeof(line));
		else
			plan_expand(line, sizeof(line), phrase_text(book, n->id), &v);
		if (o + strlen(line) + 2 < sizeof(notes))
			o += (size_t)snprintf(notes + o, sizeof(notes) - o, "%s%s", o ? " " : "", line);
	}
	if (lb)
		lb->n_notes = 0;
	/* {name} stays a placeholder: the session fills in the routine's name */
	struct placeholder_values v = { .name = "{name}", .number = number, .total = total, .book = book };
	plan_expand(line, sizeof(line), phrase_text(book, lobby), &v);
	snprintf(out, size, "%s%s%s", notes, notes[0] ? " " : "", line);
}

/* The phrasebook of the voice `routine` names (NULL, English, when it
 * cannot be read: session_open then says why). */
static const struct phrasebook *routine_book(struct lobby *lb, const char *routine)
{
	struct routine_load_options opts = { .voices_dir = lb->voices_dir };
	struct voice_profile vp;
	char path[ROUTINE_DIR_PATH_MAX + ROUTINE_NAME_MAX + 8];

	if (routine_load_with(routine, &opts, &lb->scratch, &lb->diags) < 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s.yaml", lb->voices_dir, lb->scratch.voice);
	if (voice_profile_load(path, &vp, &lb->diags) < 0)
		return NULL;
	return phrasebook_find(vp.language);
}

/* Lists and checks every routine file; a bad file not reported before is
 * named aloud at the next lobby line and all its problems go to the log
 * (the journal) as file:line:col. */
static void lobby_refresh(struct lobby *lb, FILE *log)
{
	struct diag_list *dir_problems = &lb->diags;
	int skipped = 0, unsaid = 0;

	lb->prev = lb->list;
	routine_list_scan(&lb->search, &lb->list, dir_problems);
	for (int i = 0; i < dir_problems->count; i++)
		diag_print(log, &dir_problems->items[i]);
	if (lb->list.dropped)
		fprintf(log, "repcue: %d more routine files than the %d the chooser offers; those are left out\n",
			lb->list.dropped, ROUTINE_LIST_MAX);
	lb->n_valid = 0;
	for (int i = 0; i < lb->list.count; i++) {
		struct routine_entry *e = &lb->list.items[i];
		if (routine_entry_check(e, lb->voices_dir, &lb->scratch, &lb->diags) == 0) {
			lb->valid[lb->n_valid++] = i;
			continue;
		}
		if (routine_entry_reported(&lb->prev, e))
			continue;
		for (int k = 0; k < lb->diags.count; k++)
			diag_print(log, &lb->diags.items[k]);
		fprintf(log, "repcue: %s: skipped; the other routines stay available\n", e->path);
		if (skipped++ < SKIP_LINES_MAX)
			lobby_say(lb, PHRASE_SKIP_ROUTINE_AT, e, 0);
		else
			unsaid++;
	}
	if (unsaid)
		lobby_say(lb, PHRASE_MORE_BAD, NULL, unsaid);
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (strcmp(a, b) == 0)
		return true;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Index in lb->valid of the routine at path, -1 if it is not a valid
 * routine of the list. */
static int lobby_find(const struct lobby *lb, const char *path)
{
	for (int i = 0; i < lb->n_valid; i++)
		if (same_file(lb->list.items[lb->valid[i]].path, path))
			return i;
	return -1;
}

/* Whether path is in the list but was found bad. */
static bool lobby_bad(const struct lobby *lb, const char *path)
{
	for (int i = 0; i < lb->list.count; i++)
		if (lb->list.items[i].status != 0 && same_file(lb->list.items[i].path, path))
			return true;
	return false;
}

/* The routine to wait with after a refresh: want if still valid (or not
 * from the list at all), else the first valid one, else the packaged
 * default, which is then said. */
static const char *lobby_pick(struct lobby *lb, const char *want)
{
	if (want && !lobby_bad(lb, want) && (lobby_find(lb, want) >= 0 || access(want, R_OK) == 0))
		return want;
	if (lb->n_valid > 0)
		return lb->list.items[lb->valid[0]].path;
	lobby_say(lb, PHRASE_NO_ROUTINE, NULL, 0);
	return lb->fallback;
}

struct player {
	struct live_options lo;
	const char *lobby_line;   /* NULL: start at once */
	struct live *live;
	char routine[512];
	FILE *log;
	struct lobby *lobby;      /* NULL: no lobby (not --wait-for-start) */
	/* the history: records from the transcript, the resume offer */
	struct history *history;          /* owned; NULL = none */
	struct history_tracker tracker;   /* of the open session */
	bool no_resume;                   /* the next session starts over */
	enum phrase_id notice;            /* said in the next lobby, then cleared;
	                                   * PHRASE_COUNT: none */
};

/* --- history hooks: records go through the history's queue, never to disk here --- */

static void history_push_all(struct player *p, const struct history_event *ev, int n)
{
	for (int i = 0; i < n; i++)
		history_push(p->history, &ev[i]);
}

static void history_entry(void *ctx, const struct seq_log_entry *e)
{
	struct player *p = ctx;
	struct history_event ev[HISTORY_TRACK_MAX];

	history_push_all(p, ev, history_track(&p->tracker, e, time(NULL), ev, HISTORY_TRACK_MAX));
}

static void history_start(struct player *p)
{
	char dir[HISTORY_PATH_MAX], msg[HISTORY_MSG_MAX], csv[HISTORY_PATH_MAX];
	bool moved = false;

	history_state_dir(dir, sizeof(dir));
	if (history_open(&p->history, dir, 0, &moved, msg, sizeof(msg)) < 0) {
		fprintf(p->log, "repcue: %s; coaching goes on without a history\n", msg);
		p->notice = PHRASE_HISTORY_OFF;
		return;
	}
	if (moved) {
		fprintf(p->log, "repcue: %s\n", msg);
		p->notice = PHRASE_HISTORY_MOVED;
	}
	if (history_csv_path(csv, sizeof(csv)) == 0)
		history_set_csv(p->history, csv);
}

/* A write problem of the history thread: logged once, said in the next lobby. */
static void history_check(struct player *p)
{
	char msg[HISTORY_MSG_MAX];

	if (history_take_problem(p->history, msg, sizeof(msg))) {
		fprintf(p->log, "repcue: %s; coaching goes on\n", msg);
		p->notice = PHRASE_HISTORY_UNSAVED;
	}
}

static void history_stopped(struct player *p, frames_t at)
{
	struct history_event ev[HISTORY_TRACK_MAX];

	if (p->history && p->live)
		history_push_all(p, ev, history_track_stop(&p->tracker, at, time(NULL), ev, HISTORY_TRACK_MAX));
}

static void print_summary(const struct player *p, const struct live_status *st)
{
	const struct cue_store *cues = &live_session(p->live)->cues;

	fflush(stdout);  /* the transcript before the summary, should both go to one file */

	fprintf(p->log, "repcue: %s at %lld frames; lines: %d synthesized, %d from the cache, peak %.1f MB in memory\n",
		st->end_at >= 0 ? "session complete" : "stopped", (long long)(st->end_at >= 0 ? st->end_at : st->now),
		cues->synthesized, cues->from_disk, (double)cues->peak_bytes / (1 << 20));
}

/* What the lobby says while it waits for start: phrase `id` (PHRASE_COUNT:
 * no lobby, start at once) with {number} of {total}. */
struct lobby_say {
	enum phrase_id id;
	int number, total;
};
static const struct lobby_say no_lobby = { .id = PHRASE_COUNT };

static int open_session(struct player *p, const char *routine, struct lobby_say say)
{
	struct live_options lo = p->lo;
	char line[PLAN_TEXT_MAX], notice[PLAN_TEXT_MAX];
	const char *lobby_line = NULL;

	if (say.id != PHRASE_COUNT) {
		/* lines waiting to be said (skipped files) go before the lobby
		 * line, all in the language of the routine's voice */
		const struct phrasebook *book = p->lobby ? routine_book(p->lobby, routine) : NULL;
		lobby_compose(p->lobby, book, say.id, say.number, say.total, line, sizeof(line));
		lobby_line = line;
		snprintf(notice, sizeof(notice), "%s", p->notice != PHRASE_COUNT ? phrase_text(book, p->notice) : "");
	}
	snprintf(p->routine, sizeof(p->routine), "%s", routine);
	lo.session.lobby_line = lobby_line;
	lo.session.history = p->history;
	lo.session.adherence = p->history != NULL;
	lo.session.no_resume = p->no_resume;
	lo.session.notice_line = lobby_line && p->notice != PHRASE_COUNT ? notice : NULL;
	if (p->history) {
		lo.on_entry = history_entry;
		lo.entry_ctx = p;
	}
	p->no_resume = false;
	/* the offer and the count this week need the last session's records;
	 * a disk that hangs must not keep the next session from starting */
	if (p->history && history_flush(p->history, HISTORY_FLUSH_WAIT_MS) < 0)
		fprintf(p->log, "repcue: the history is slow to write; the resume offer may be out of date\n");
	starting = 1;
	int r = live_open(&p->live, routine, &lo, p->log);
	if (r < 0) {
		p->live = NULL;
		starting = 0;
		return r;
	}
	if (lobby_line)
		p->notice = PHRASE_COUNT;
	if (p->history) {
		const struct session *s = live_session(p->live);
		struct history_event ev[HISTORY_TRACK_MAX];
		int resume = s->offer.kind == HISTORY_OFFER_RESUME ? s->offer.segment : -1;
		if (s->offer.kind != HISTORY_OFFER_NONE) {
			char offer_line[PLAN_TEXT_MAX];
			history_offer_line_in(&s->offer, s->book, offer_line, sizeof(offer_line));
			fprintf(p->log, "repcue: %s\n", offer_line);
		}
		history_push_all(p, ev, history_tracker_init(&p->tracker, &s->plan, s->routine, &s->history_info,
							       lobby_line != NULL, resume, time(NULL), ev,
							       HISTORY_TRACK_MAX));
	}
	r = live_start(p->live, p->log);
	if (r < 0) {
		live_close(p->live);
		p->live = NULL;
	}
	starting = 0;
	return r;
}

/* open_session() for the lobby: a routine that fails to open although it
 * checked fine (its voice, speech) gives way to the packaged default,
 * which is said. */
static int open_lobby(struct player *p, const char *routine, struct lobby_say say)
{
	int r = open_session(p, routine, say);
	if (r < 0 && r != -ENODEV && !same_file(routine, p->lobby->fallback)) {
		fprintf(p->log, "repcue: %s cannot be played; playing %s instead\n", routine, p->lobby->fallback);
		lobby_say(p->lobby, PHRASE_CANNOT_PLAY, NULL, 0);
		r = open_session(p, p->lobby->fallback, say);
	}
	return r;
}

int play_options_parse(struct play_options *o, int argc, char **argv)
{
	static const struct option options[] = {
		{ "device", required_argument, NULL, 'D' },
		{ "latency", required_argument, NULL, 'L' },
		{ "wait-for-device", no_argument, NULL, 'W' },
		{ "wait-for-start", no_argument, NULL, 'S' },
		{ "config", required_argument, NULL, 'C' },
		{ "fallback-wav", required_argument, NULL, 'F' },
		{ "press", required_argument, NULL, 'p' },
		{ "simulate", required_argument, NULL, 'M' },
		{ "no-keys", no_argument, NULL, 'K' },
		{ "transcript", no_argument, NULL, 'T' },
		{ "speech-budget-mb", required_argument, NULL, 'B' },
		{ "output", required_argument, NULL, 'O' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct live_options *lo = &o->lo;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		uint64_t number;
		char shown[64];

		switch (opt) {
		case 'D': lo->output.device = optarg; break;
		case 'L':
			if (number_parse_u64(optarg, 0, 48000, &number) < 0) {
				fprintf(stderr, "repcue play: --latency '%s': give frames from 0 to 48000\n",
					utf8_escape(shown, sizeof(shown), optarg, strlen(optarg)));
				return 2;
			}
			lo->output.latency_frames = (unsigned)number;
			break;
		case 'W': o->wait_for_device = true; break;
		case 'S': o->wait_for_start = true; break;
		case 'C': o->config_arg = optarg; break;
		case 'F': o->fallback_wav = optarg; break;
		case 'p': o->press_spec = optarg; break;
		case 'M':
			if (!controls_simulation_valid(optarg)) {
				fprintf(stderr, "repcue play: bad --simulate '%s': write ROLE@SECONDS[:MS held],... "
					"with roles start next repeat pedal\n",
					utf8_escape((char[200]){ 0 }, 200, optarg, strlen(optarg)));
				return 2;
			}
			o->simulate = optarg;
			break;
		case 'K': o->keys = false; break;
		case 'T': o->transcript = true; break;
		case 'B':
			if (number_parse_u64(optarg, 1, 1024, &number) < 0) {
				fprintf(stderr, "repcue play: --speech-budget-mb '%s': give megabytes from 1 to 1024\n",
					utf8_escape(shown, sizeof(shown), optarg, strlen(optarg)));
				return 2;
			}
			lo->session.budget_bytes = (size_t)number << 20;
			break;
		case 'O': {
			const struct output_backend *b = output_backend_find(optarg);
			char names[128];

			if (!b) {
				output_backend_names(names, sizeof(names));
				fprintf(stderr, "repcue play: no output '%s': give one of %s\n",
					utf8_escape(shown, sizeof(shown), optarg, strlen(optarg)), names);
				return 2;
			}
			if (!b->ops) {
				fprintf(stderr, "repcue play: --output %s: %s\n", b->name, b->missing);
				return 2;
			}
			lo->backend = b->ops;
			break;
		}
		case 'v': lo->output.verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		return 2;
	}
	o->routine = optind < argc ? argv[optind] : NULL;
	return -1;
}


void play_options_init(struct play_options *o)
{
	*o = (struct play_options){ .keys = true, .transcript = !isatty(STDOUT_FILENO) };
}

int cmd_play(int argc, char **argv)
{
	struct play_options o;

	play_options_init(&o);
	int r = play_options_parse(&o, argc, argv);
	return r >= 0 ? r : play_run(&o);
}

int play_run(const struct play_options *o)
{
	struct player p = { .log = stderr, .lo = o->lo, .notice = PHRASE_COUNT };
	struct live_options *lo = &p.lo;
	const char *fallback_wav = o->fallback_wav, *press_spec = o->press_spec, *config_arg = o->config_arg;
	const char *simulate = o->simulate;
	bool wait_for_device = o->wait_for_device, wait_for_start = o->wait_for_start, keys = o->keys;
	bool transcript = o->transcript;
	struct control_event presses[SESSION_PRESSES_MAX];
	char routine_buf[1024], msg[512];

	/* The device config: sound device, routines, buttons and pedals.
	 * Options on the command line win over it. */
	static struct device_config cfg;
	static struct diag_list diags;
	struct routine_entry config_skipped = { 0 };
	const char *config_path = config_path_choose(config_arg, getenv("REPCUE_CONFIG"));
	if (config_arg && strcmp(config_arg, "none") == 0) {
		device_config_init(&cfg);
	} else if (session_load_config(config_path, &cfg, &diags, &config_skipped, stderr) < 0) {
		fprintf(stderr, "repcue play: fix the device config above, or start without it (--config none)\n");
		return 1;
	}
	if (!lo->output.device && cfg.audio.device[0])
		lo->output.device = cfg.audio.device;
	if (!lo->output.latency_frames && cfg.audio.latency_frames > 0)
		lo->output.latency_frames = (unsigned)cfg.audio.latency_frames;
	wait_for_device |= cfg.audio.wait_for_device;
	/* Test support: under valgrind or on a loaded machine a backend call
	 * (opening the stream) can take longer than the 2 s default; the
	 * tests that run repcue that way set a wider bound here, and say so. */
	const char *call_timeout = getenv("REPCUE_TEST_CALL_TIMEOUT_MS");
	if (call_timeout) {
		char *end;
		unsigned long ms = strtoul(call_timeout, &end, 10);
		if (*end == '\0' && ms > 0 && ms <= 600000)
			lo->output.call_timeout_ms = (unsigned)ms;
	}

	/* Where routines are found: the card's boot partition, /etc, the
	 * package (routine/routine_dir.h); routines.dir replaces that. */
	static struct lobby lobby;
	char boot[ROUTINE_DIR_PATH_MAX], packaged[ROUTINE_DIR_PATH_MAX];
	snprintf(packaged, sizeof(packaged), "%s/routines", repcue_data_dir());
	routine_search_init(&lobby.search, cfg.routines.dir, routine_boot_dir(getenv("REPCUE_BOOT_DIR"), boot, sizeof(boot)),
			    REPCUE_SYSCONFDIR "/routines", packaged);
	snprintf(lobby.voices_dir, sizeof(lobby.voices_dir), "%s/voices", repcue_data_dir());
	session_default_routine(lobby.fallback, sizeof(lobby.fallback));
	if (config_skipped.status != 0)
		lobby_say(&lobby, PHRASE_SKIP_CONFIG_AT, &config_skipped, 0);

	/* A routine by name (upper-back-3) is looked up along that path; a
	 * name with a '/' or a .yaml file that exists is a path. */
	const char *routine = o->routine;
	if (!routine && cfg.routines.default_routine[0])
		routine = cfg.routines.default_routine;
	if (!routine)
		routine = SESSION_DEFAULT_ROUTINE;
	bool found = routine_search_find(&lobby.search, routine, routine_buf, sizeof(routine_buf)) == 0;
	if (!found && wait_for_start)
		fprintf(stderr, "repcue play: no routine '%s' on the routine path; waiting with another one\n", routine);
	if (!found && !wait_for_start) {
		fprintf(stderr, "repcue play: no routine '%s': not a file, and not in", routine);
		for (int i = 0; i < lobby.search.n_dirs; i++)
			fprintf(stderr, "%s %s", i ? "," : "", lobby.search.dirs[i]);
		if (lobby.search.n_dirs == 0 || strcmp(lobby.search.dirs[lobby.search.n_dirs - 1], packaged) != 0)
			fprintf(stderr, "%s%s", lobby.search.n_dirs ? ", " : " ", packaged);
		fprintf(stderr, "\n");
		return 1;
	}
	routine = routine_buf;

	if (press_spec) {
		lo->n_presses = control_parse_presses(press_spec, presses, SESSION_PRESSES_MAX, msg, sizeof(msg));
		if (lo->n_presses < 0) {
			fprintf(stderr, "repcue play: %s\n", msg);
			return 2;
		}
		lo->presses = presses;
	}

	/* PortAudio 19.6 prints its own failures ("Expression ... failed")
	 * straight to stderr and offers no hook to stop it; so, unless
	 * --verbose, our messages go to a copy of stderr and fd 2 itself
	 * goes to /dev/null while the sound device is in use. */
	int saved_stderr = STDERR_FILENO;
	FILE *log = stderr;
	if (!lo->output.verbose)
		log = quiet_stderr(&saved_stderr);
	p.log = log;
	int status_code = 0;
	struct controls *controls = NULL;
	cleanup_describe("repcue play", saved_stderr);
	starting = 1;
	if (install_signals() < 0) {
		fprintf(log, "repcue play: cannot set up signal handling\n");
		status_code = 1;
		goto out;
	}
	if (controls_open(&cfg, keys && isatty(STDIN_FILENO), &controls, log) < 0) {
		fprintf(log, "repcue play: cannot set up the controls\n");
		status_code = 1;
		goto out;
	}
	history_start(&p);
	/* Ready as soon as the inputs listen: waiting for a sound device is
	 * a state of a running service, not a failure to start. */
	notify_ready();

	struct watchdog wd;
	watchdog_init(&wd, notify_watchdog_ms(), monotonic_ms());
	if (wait_for_device) {
		bool said = false;
		/* 0 at once for a backend with no device to wait for (null) */
		while (output_wait_for_device(lo->backend, &lo->output, DEVICE_WAIT_STEP_MS, msg, sizeof(msg)) < 0) {
			if (!said) {
				fprintf(log, "repcue: %s; waiting for a sound device\n", msg);
				notify_status("No sound device: waiting for one");
				said = true;
			}
			/* no sound is expected yet: this loop is the heartbeat */
			if (watchdog_should_ping(&wd, monotonic_ms(), 0, WATCHDOG_AUDIO_NONE))
				notify_watchdog();
			if (signalled(0))
				goto out;
		}
	}
	if (wait_for_start)
		notify_status("Preparing the lobby");

	const struct lobby_say ready_line = { .id = wait_for_start ? PHRASE_LOBBY_READY : PHRASE_COUNT };
	int r;
	if (wait_for_start) {
		p.lobby = &lobby;
		lobby_refresh(&lobby, log);
		routine = lobby_pick(&lobby, routine);
		r = open_lobby(&p, routine, ready_line);
	} else {
		r = open_session(&p, routine, no_lobby);
	}
	if (r == -ENODEV && !wait_for_device) {
		controls_close(controls);
		controls = NULL;
		restore_stderr(log, saved_stderr);
		log = stderr;
		return render_instead(routine, fallback_wav, lo->presses, lo->n_presses);
	}
	if (r < 0) {
		status_code = 1;
		goto out;
	}
	/* The script's clock starts once the first session (or the lobby) is
	 * ready, as a person's would: never while it is still being prepared,
	 * which takes seconds with a cold speech cache on a busy machine. */
	if (simulate && controls_simulate(controls, simulate) < 0) {
		fprintf(log, "repcue play: cannot simulate presses\n");
		status_code = 1;
		goto out;
	}

	bool tty_status = isatty(saved_stderr) && !transcript;
	struct live_status st = { 0 };
	char status[256], last_status[256] = "", last_service_status[256] = "";
	frames_t finished_at = -1;
	for (;;) {
		struct pollfd fds[CONTROLS_MAX_FDS + 1];
		int n = controls_pollfds(controls, fds, CONTROLS_MAX_FDS);
		if (n < 0)
			n = 0;
		fds[n] = (struct pollfd){ .fd = signal_pipe[0], .events = POLLIN };
		int timeout = controls_timeout_ms(controls);
		if (timeout < 0 || timeout > STATUS_EVERY_MS)
			timeout = STATUS_EVERY_MS;
		if (poll(fds, (nfds_t)n + 1, timeout) < 0 && errno != EINTR)
			break;
		if (fds[n].revents & POLLIN)
			break; /* SIGINT, SIGTERM, SIGHUP */
		bool quit = false, choose = false;
		struct input_action a;
		controls_dispatch(controls, fds, n);
		while (controls_next(controls, input_state(live_session(p.live), &st), &a)) {
			if (a.status == INPUT_STATUS_DISCONNECTED || a.status == INPUT_STATUS_CONNECTED ||
			    a.status == INPUT_STATUS_FAILED) {
				char name[64];
				fprintf(log, "repcue: %s %s\n", controls_input_name(controls, &a, name, sizeof(name)),
					a.status == INPUT_STATUS_CONNECTED ? "connected" :
					a.status == INPUT_STATUS_DISCONNECTED ? "disconnected" : "failed; ignoring it");
				/* Only hot-plug devices (USB pedals) come and go. */
				if (a.status == INPUT_STATUS_DISCONNECTED)
					live_push(p.live, CONTROL_PEDAL_GONE);
				else if (a.status == INPUT_STATUS_CONNECTED)
					live_push(p.live, CONTROL_PEDAL_BACK);
			} else if (a.control == CONTROL_QUIT) {
				quit = true;
			} else if (a.command == INPUT_COMMAND_CHOOSE_ROUTINE) {
				choose = true;
			} else if (a.command == INPUT_COMMAND_CONFIRM) {
				live_push(p.live, CONTROL_START);
			} else if (a.control != CONTROL_NONE) {
				live_push(p.live, a.control);
			}
		}
		if (quit)
			break;
		live_poll(p.live, transcript ? stdout : NULL, log, &st);
		history_check(&p);
		if (choose && st.lobby && live_session(p.live)->offer.kind == HISTORY_OFFER_RESUME) {
			/* Hold start on a resume offer: this routine from the start. */
			char again[512];
			snprintf(again, sizeof(again), "%s", p.routine);
			live_fade_out(p.live);
			live_close(p.live);
			p.live = NULL;
			p.no_resume = true;
			if (open_lobby(&p, again, ready_line) < 0) {
				status_code = 1;
				break;
			}
			finished_at = -1;
			continue;
		}
		if (choose && st.lobby && p.lobby) {
			/* Hold start in the lobby: the list read again, then the
			 * next routine, said aloud. */
			struct lobby_say line = ready_line;
			char current[sizeof(p.routine)];
			const char *next;
			snprintf(current, sizeof(current), "%s", p.routine);
			lobby_refresh(&lobby, log);
			if (lobby.n_valid > 0) {
				int choice = (lobby_find(&lobby, current) + 1) % lobby.n_valid;
				next = lobby.list.items[lobby.valid[choice]].path;
				line = (struct lobby_say){ PHRASE_LOBBY_CHOICE, choice + 1, lobby.n_valid };
			} else {
				next = lobby_pick(&lobby, NULL);
			}
			live_fade_out(p.live);
			live_close(p.live);
			p.live = NULL;
			if (open_lobby(&p, next, line) < 0) {
				status_code = 1;
				break;
			}
			finished_at = -1;
			continue;
		}
		/* WATCHDOG=1 only while the device pulls samples: a wedged
		 * device or a stuck audio thread gets the service restarted.
		 * While the output reopens a lost device this loop is the work,
		 * for a grace of a few intervals (core/watchdog.h). */
		if (watchdog_should_ping(&wd, monotonic_ms(), st.health.frames_pulled,
					 st.health.state == OUTPUT_LOST ? WATCHDOG_AUDIO_LOST : WATCHDOG_AUDIO_PLAYING))
			notify_watchdog();
		service_status(live_session(p.live), &st, status, sizeof(status));
		if (strcmp(status, last_service_status) != 0) {
			notify_status(status);
			snprintf(last_service_status, sizeof(last_service_status), "%s", status);
		}
		if (tty_status) {
			format_status(live_session(p.live), &st, status, sizeof(status));
			if (strcmp(status, last_status) != 0) {
				fprintf(log, "\r\033[K%s", status);
				snprintf(last_status, sizeof(last_status), "%s", status);
			}
		}
		if (st.finished) {
			/* let the last samples leave the device before closing it */
			if (finished_at < 0) {
				finished_at = st.now;
			} else if (st.now - finished_at >= frames_from_ms(500) || st.health.state != OUTPUT_PLAYING) {
				print_summary(&p, &st);
				/* a scripted run (--press, --simulate) is one session */
				if (!wait_for_start || lo->n_presses > 0 || simulate)
					break;
				/* the service: back to waiting for the start button,
				 * with the routine list read again */
				char again[512];
				snprintf(again, sizeof(again), "%s", p.routine);
				live_close(p.live);
				p.live = NULL;
				lobby_refresh(&lobby, log);
				if (open_lobby(&p, lobby_pick(&lobby, again), ready_line) < 0) {
					status_code = 1;
					break;
				}
				finished_at = -1;
			}
		}
	}
	if (tty_status)
		fputc('\n', log);
	if (p.live && !st.finished) {
		print_summary(&p, &st);
		history_stopped(&p, st.now);
	}
out:
	notify_stopping();
	controls_close(controls); /* restores the terminal */
	/* Quit, a signal or an error: fade out whatever is sounding first. */
	live_fade_out(p.live);
	live_close(p.live);
	history_close(p.history); /* writes what is still queued */
	restore_stderr(log, saved_stderr);
	return status_code;
}
