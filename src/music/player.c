/* player.c - the tracks of a folder into the ring, and the ring out to the
 * engine (music.h). The only code of the module with a thread. */
#include "music/music.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "music/decode.h"
#include "music/loudness.h"
#include "music/loudness_cache.h"
#include "music/stream_resample.h"
#include "util/spsc.h"

#define TRACKS_MAX 1000
/* The producer sleeps this long when the ring is full (live). */
#define IDLE_NS (20 * 1000 * 1000L)
/* What music_open puts in the ring live before the thread starts: 0.7 s,
 * more than the output's latency; the thread keeps ahead from there. */
#define LIVE_PREFILL_CHUNKS 128
/* Frames decoded per measuring step of the thread. */
#define MEASURE_STEP_FRAMES (16 * MUSIC_DECODE_FRAMES)

struct music_chunk {
	float s[MUSIC_CHUNK];
};

struct track {
	char name[256];
	bool bad;          /* skipped: cannot be decoded */
	bool measured;
	float gain;        /* to the target loudness, within MUSIC_PEAK_MAX */
};

/* Measuring one track: decoded whole once for its loudness and peak, and
 * to see that it plays to the end its header promises; a step at a time,
 * so the thread keeps the ring filled between steps. */
struct measuring {
	struct track *t;           /* NULL: none under way */
	struct music_decoder *dec; /* owned while under way */
	struct music_meter *meter; /* owned while under way */
	int64_t declared, frames;
	uint64_t hash;
	double cpu_s;
};

struct music_player {
	struct music_config cfg;
	char dir[512];
	char cache_dir[512];      /* "" = none */
	bool live;
	struct track *tracks;     /* owned */
	int n_tracks;
	int *order;               /* owned: indices into tracks, play order */
	int pos;                  /* index into order of the track playing */
	/* the producer's side (thread live, music_read offline) */
	struct music_decoder *dec;
	struct music_resampler *rs;
	float in[MUSIC_DECODE_FRAMES];
	long in_len, in_used;
	bool in_last;
	frames_t gap_left;        /* silence still to put before the next track */
	struct music_chunk pending;
	int pending_len;
	bool exhausted;           /* every track is bad: nothing more will come */
	/* the ring */
	struct spsc ring;
	struct music_chunk *storage;  /* owned */
	size_t capacity;
	/* the consumer's side (audio thread) */
	struct music_chunk out;
	int out_pos, out_len;
	/* the thread */
	struct measuring ahead;   /* a track measured a step at a time */
	pthread_t thread;
	bool thread_running;
	atomic_bool stop;
	/* shared with the control thread */
	pthread_mutex_t lock;
	struct music_problems problems;
	struct music_stats stats;
};

void music_config_default(struct music_config *cfg)
{
	*cfg = (struct music_config){
		.enabled = true,
		.volume_db = 0.0f,
		.depth_db = MUSIC_DEPTH_DB,
		.beep_depth_db = MUSIC_BEEP_DEPTH_DB,
		.attack_ms = MUSIC_ATTACK_MS,
		.release_ms = MUSIC_RELEASE_MS,
		.order = MUSIC_ORDER_NAME,
		.seed = 1,
	};
}

static void problem(struct music_player *p, const char *file, const char *what)
{
	pthread_mutex_lock(&p->lock);
	if (p->problems.count == MUSIC_PROBLEMS_MAX) {
		p->problems.dropped++;
	} else {
		struct music_problem *pr = &p->problems.items[p->problems.count++];
		snprintf(pr->file, sizeof(pr->file), "%s", file);
		/* the message is the file's, which names it apart */
		snprintf(pr->message, sizeof(pr->message), "%.170s; skipping it", what);
		snprintf(pr->hint, sizeof(pr->hint),
			 "replace it with a good MP3, Ogg Vorbis, Opus, FLAC or WAV file, or remove it");
	}
	pthread_mutex_unlock(&p->lock);
}

/* Skips t from now on (counted once) and names it in the problems. */
static void mark_bad(struct music_player *p, struct track *t, const char *msg)
{
	if (t->bad)
		return;
	t->bad = true;
	problem(p, t->name, msg);
	pthread_mutex_lock(&p->lock);
	p->stats.playable--;
	pthread_mutex_unlock(&p->lock);
}

static void add_stat(struct music_player *p, double *field, double v)
{
	pthread_mutex_lock(&p->lock);
	*field += v;
	pthread_mutex_unlock(&p->lock);
}

static bool is_music_name(const char *name)
{
	static const char *const exts[] = { ".mp3", ".ogg", ".oga", ".opus", ".flac", ".wav" };
	const char *dot = strrchr(name, '.');

	if (name[0] == '.' || !dot)
		return false;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcasecmp(dot, exts[i]) == 0)
			return true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct track *)a)->name, ((const struct track *)b)->name);
}

/* xorshift64*: a shuffle that is the same for a seed on every machine. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static int scan(struct music_player *p)
{
	DIR *d = opendir(p->dir);

	if (!d)
		return -errno;
	p->tracks = calloc(TRACKS_MAX, sizeof(*p->tracks));
	if (!p->tracks) {
		closedir(d);
		return -ENOMEM;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL && p->n_tracks < TRACKS_MAX) {
		if (!is_music_name(de->d_name) || strlen(de->d_name) >= sizeof(p->tracks[0].name))
			continue;
		snprintf(p->tracks[p->n_tracks++].name, sizeof(p->tracks[0].name), "%s", de->d_name);
	}
	closedir(d);
	if (p->n_tracks == 0)
		return -ENOENT;
	qsort(p->tracks, (size_t)p->n_tracks, sizeof(*p->tracks), by_name);
	p->order = malloc(sizeof(int) * (size_t)p->n_tracks);
	if (!p->order)
		return -ENOMEM;
	for (int i = 0; i < p->n_tracks; i++)
		p->order[i] = i;
	if (p->cfg.order == MUSIC_ORDER_SHUFFLE) {
		uint64_t s = (uint64_t)p->cfg.seed * 0x9E3779B97F4A7C15ull + 1;
		for (int i = p->n_tracks - 1; i > 0; i--) {
			int j = (int)(next_random(&s) % (uint64_t)(i + 1));
			int t = p->order[i];
			p->order[i] = p->order[j];
			p->order[j] = t;
		}
	}
	return 0;
}

static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void track_path(const struct music_player *p, const struct track *t, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", p->dir, t->name);
}

/* The track's gain from its loudness and peak. */
static void set_gain(struct music_player *p, struct track *t, double lufs, double peak)
{
	double gain = isfinite(lufs) ? pow(10.0, (MUSIC_TARGET_LUFS + p->cfg.volume_db - lufs) / 20.0) : 1.0;

	if (peak > 0.0 && gain * peak > MUSIC_PEAK_MAX)
		gain = MUSIC_PEAK_MAX / peak;
	t->gain = (float)gain;
	t->measured = true;
}

static void measuring_end(struct measuring *m)
{
	music_meter_free(m->meter);
	music_decoder_close(m->dec);
	*m = (struct measuring){ 0 };
}

/* Starts on t: true if it must be decoded (m under way); false if it is
 * settled already (measured, from the cache, or bad). */
static bool measuring_begin(struct music_player *p, struct track *t, struct measuring *m)
{
	char path[1024], msg[256];
	double lufs, peak, c0 = cpu_now();
	int rate;
	struct stat st;

	*m = (struct measuring){ 0 };
	if (t->bad || t->measured)
		return false;
	track_path(p, t, path, sizeof(path));
	if (stat(path, &st) == 0 && st.st_size == 0) {
		mark_bad(p, t, "is empty (0 bytes)");
		return false;
	}
	int r = music_file_hash(path, &m->hash);
	if (r < 0) {
		snprintf(msg, sizeof(msg), "cannot be read: %s", strerror(-r));
		mark_bad(p, t, msg);
		return false;
	}
	if (p->cache_dir[0] && music_loudness_load(p->cache_dir, m->hash, &lufs, &peak)) {
		set_gain(p, t, lufs, peak);
		pthread_mutex_lock(&p->lock);
		p->stats.from_cache++;
		p->stats.measure_cpu_s += cpu_now() - c0;
		pthread_mutex_unlock(&p->lock);
		return false;
	}
	if (music_decoder_open(&m->dec, path, &rate, &m->declared, msg, sizeof(msg)) < 0) {
		mark_bad(p, t, msg);
		return false;
	}
	m->meter = music_meter_new(rate);
	if (!m->meter) {
		music_decoder_close(m->dec);
		*m = (struct measuring){ 0 };
		mark_bad(p, t, "cannot be measured (out of memory)");
		return false;
	}
	m->t = t;
	m->cpu_s = cpu_now() - c0;
	return true;
}

/* Decodes up to `frames` more: true while there is more to do; false
 * once the track is settled (its gain set, or skipped). */
static bool measuring_step(struct music_player *p, struct measuring *m, int64_t frames)
{
	char msg[256] = "";
	float buf[MUSIC_DECODE_FRAMES];
	double c0 = cpu_now();
	long n = 1;

	for (int64_t done = 0; done < frames;) {
		n = music_decoder_read(m->dec, buf, MUSIC_DECODE_FRAMES, msg, sizeof(msg));
		if (n <= 0)
			break;
		m->frames += n;
		done += n;
		if (music_meter_add(m->meter, buf, (size_t)n) < 0) {
			snprintf(msg, sizeof(msg), "cannot be measured (out of memory)");
			n = -ENOMEM;
			break;
		}
	}
	m->cpu_s += cpu_now() - c0;
	if (n > 0)
		return true;
	double lufs = 0.0, peak = 0.0;
	if (n == 0 && m->declared >= 0 && m->frames < m->declared) {
		snprintf(msg, sizeof(msg), "is damaged or cut short: %lld of its %lld frames decode",
			 (long long)m->frames, (long long)m->declared);
		n = -EIO;
	} else if (n == 0 && m->frames == 0) {
		snprintf(msg, sizeof(msg), "holds no sound");
		n = -EIO;
	} else if (n == 0 && music_meter_result(m->meter, &lufs, &peak) < 0) {
		snprintf(msg, sizeof(msg), "cannot be measured");
		n = -EIO;
	}
	if (n < 0) {
		mark_bad(p, m->t, msg);
	} else {
		set_gain(p, m->t, lufs, peak);
		if (p->cache_dir[0])
			music_loudness_store(p->cache_dir, m->hash, lufs, peak);
	}
	pthread_mutex_lock(&p->lock);
	p->stats.measured++;
	p->stats.measure_cpu_s += m->cpu_s;
	pthread_mutex_unlock(&p->lock);
	measuring_end(m);
	return false;
}

/* The track's gain, measured now or from the cache; false: skip it. */
static bool prepare(struct music_player *p, struct track *t)
{
	struct measuring m;

	if (p->ahead.t == t) {
		/* the thread was measuring it ahead: finish that */
		while (measuring_step(p, &p->ahead, INT64_MAX))
			;
	} else if (measuring_begin(p, t, &m)) {
		while (measuring_step(p, &m, INT64_MAX))
			;
	}
	return !t->bad;
}

static void close_track(struct music_player *p)
{
	music_decoder_close(p->dec);
	music_resampler_free(p->rs);
	p->dec = NULL;
	p->rs = NULL;
	p->in_len = p->in_used = 0;
	p->in_last = false;
}

/* Opens the next playable track in order (wrapping); false when none is. */
static bool open_next(struct music_player *p)
{
	char path[1024], msg[256];

	for (int tries = 0; tries < p->n_tracks; tries++) {
		struct track *t = &p->tracks[p->order[p->pos]];
		if (!prepare(p, t)) {
			p->pos = (p->pos + 1) % p->n_tracks;
			continue;
		}
		int rate;
		int64_t frames;
		track_path(p, t, path, sizeof(path));
		if (music_decoder_open(&p->dec, path, &rate, &frames, msg, sizeof(msg)) < 0) {
			mark_bad(p, t, msg);
			p->pos = (p->pos + 1) % p->n_tracks;
			continue;
		}
		if (rate != SESSION_RATE_HZ && !(p->rs = music_resampler_new(rate))) {
			music_decoder_close(p->dec);
			p->dec = NULL;
			return false; /* out of memory: try again later */
		}
		return true;
	}
	p->exhausted = true;
	return false;
}

/* Up to `want` frames of the current track at SESSION_RATE_HZ, with its
 * gain; 0 at its end. */
static long track_frames(struct music_player *p, float *out, long want)
{
	char msg[256];
	struct track *t = &p->tracks[p->order[p->pos]];

	for (;;) {
		if (p->in_used == p->in_len && !p->in_last) {
			long n = music_decoder_read(p->dec, p->in, MUSIC_DECODE_FRAMES, msg, sizeof(msg));
			if (n < 0) {
				/* A damaged frame mid-track: the track ends here
				 * and is not played again. */
				mark_bad(p, t, msg);
				n = 0;
			}
			p->in_len = n;
			p->in_used = 0;
			p->in_last = n == 0;
		}
		long made;
		if (!p->rs) {
			made = p->in_len - p->in_used < want ? p->in_len - p->in_used : want;
			memcpy(out, p->in + p->in_used, (size_t)made * sizeof(float));
			p->in_used += made;
		} else {
			long used = 0;
			made = music_resampler_run(p->rs, p->in + p->in_used, p->in_len - p->in_used, &used,
						   out, want, p->in_last);
			if (made < 0)
				made = 0, p->in_last = true, p->in_used = p->in_len;
			else
				p->in_used += used;
		}
		if (made > 0) {
			for (long i = 0; i < made; i++)
				out[i] *= t->gain;
			return made;
		}
		if (p->in_last && p->in_used == p->in_len)
			return 0;
	}
}

/* Fills p->pending to a whole chunk. false: nothing more will come. */
static bool produce(struct music_player *p)
{
	double c0 = cpu_now();

	while (p->pending_len < MUSIC_CHUNK) {
		float *dst = p->pending.s + p->pending_len;
		long room = MUSIC_CHUNK - p->pending_len;
		if (p->gap_left > 0) {
			long n = p->gap_left < room ? (long)p->gap_left : room;
			memset(dst, 0, (size_t)n * sizeof(float));
			p->pending_len += (int)n;
			p->gap_left -= n;
			continue;
		}
		if (!p->dec && !open_next(p))
			break;
		long n = track_frames(p, dst, room);
		if (n == 0) {
			close_track(p);
			p->pos = (p->pos + 1) % p->n_tracks;
			p->gap_left = frames_from_ms(MUSIC_GAP_MS);
			continue;
		}
		p->pending_len += (int)n;
	}
	add_stat(p, &p->stats.decode_cpu_s, cpu_now() - c0);
	return p->pending_len == MUSIC_CHUNK;
}

/* Puts chunks in the ring until it holds `want` (or is full). */
static void fill(struct music_player *p, size_t want)
{
	if (want > p->capacity)
		want = p->capacity;
	while (!p->exhausted && spsc_count(&p->ring) < want) {
		if (!produce(p))
			return;
		if (!spsc_push(&p->ring, &p->pending))
			return;
		p->pending_len = 0;
		pthread_mutex_lock(&p->lock);
		p->stats.frames_made += MUSIC_CHUNK;
		pthread_mutex_unlock(&p->lock);
	}
}

static void *run(void *arg)
{
	struct music_player *p = arg;
	int next_check = 0;

	while (!atomic_load(&p->stop)) {
		fill(p, p->capacity);
		if (p->exhausted)
			break;
		/* Between fills, measure the tracks ahead a step (about 0.4 s
		 * of audio) at a time, the next to play first: a bad file is
		 * named early, a good one starts without a wait, and the ring
		 * never waits on a whole file. */
		if (p->ahead.t) {
			measuring_step(p, &p->ahead, MEASURE_STEP_FRAMES);
			continue;
		}
		if (next_check < p->n_tracks) {
			measuring_begin(p, &p->tracks[p->order[next_check++]], &p->ahead);
			continue;
		}
		struct timespec idle = { 0, IDLE_NS };
		nanosleep(&idle, NULL);
	}
	return NULL;
}

size_t music_read(void *ctx, float *out, size_t n)
{
	struct music_player *p = ctx;
	size_t got = 0;

	if (!p->live)
		fill(p, (n + MUSIC_CHUNK - 1) / MUSIC_CHUNK + 1);
	while (got < n) {
		if (p->out_pos == p->out_len) {
			if (!spsc_pop(&p->ring, &p->out))
				break;
			p->out_pos = 0;
			p->out_len = MUSIC_CHUNK;
		}
		size_t k = (size_t)(p->out_len - p->out_pos);
		if (k > n - got)
			k = n - got;
		memcpy(out + got, p->out.s + p->out_pos, k * sizeof(float));
		p->out_pos += (int)k;
		got += k;
	}
	return got;
}

int music_open(struct music_player **ret, const char *dir, const struct music_config *cfg,
	       const char *cache_dir, bool live, frames_t live_ahead)
{
	struct music_player *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return -ENOMEM;
	pthread_mutex_init(&p->lock, NULL);
	p->cfg = *cfg;
	p->live = live;
	snprintf(p->dir, sizeof(p->dir), "%s", dir);
	if (cache_dir)
		snprintf(p->cache_dir, sizeof(p->cache_dir), "%s", cache_dir);
	if (!cfg->enabled) {
		r = -ENOENT;
		goto fail;
	}
	r = scan(p);
	if (r < 0)
		goto fail;
	p->stats.tracks = p->stats.playable = p->n_tracks;
	size_t ahead_chunks = live_ahead > 0 ? (size_t)((live_ahead + MUSIC_CHUNK - 1) / MUSIC_CHUNK) : 0;
	p->capacity = !live ? MUSIC_RING_CHUNKS_OFFLINE : MUSIC_RING_CHUNKS_LIVE;
	while (p->capacity < ahead_chunks)
		p->capacity *= 2; /* the ring's size is a power of two (spsc.h) */
	p->storage = malloc(p->capacity * sizeof(*p->storage));
	if (!p->storage) {
		r = -ENOMEM;
		goto fail;
	}
	r = spsc_init(&p->ring, p->storage, sizeof(*p->storage), p->capacity);
	if (r < 0)
		goto fail;
	p->stats.ring_bytes = p->capacity * sizeof(*p->storage);
	if (!live) {
		/* Offline, every file is measured now: a render names every
		 * file it skips, however short the session. */
		for (int i = 0; i < p->n_tracks; i++)
			prepare(p, &p->tracks[i]);
	} else {
		/* Live, the first track is made ready here (a warm start is
		 * then its render, sample for sample, as for speech); the
		 * thread measures the others, the next to play first. */
		fill(p, ahead_chunks > 0 ? ahead_chunks : LIVE_PREFILL_CHUNKS);
		r = -pthread_create(&p->thread, NULL, run, p);
		if (r < 0)
			goto fail;
		p->thread_running = true;
	}
	*ret = p;
	return 0;
fail:
	music_close(p);
	return r;
}

void music_close(struct music_player *p)
{
	if (!p)
		return;
	if (p->thread_running) {
		atomic_store(&p->stop, true);
		pthread_join(p->thread, NULL);
	}
	close_track(p);
	measuring_end(&p->ahead);
	free(p->storage);
	free(p->order);
	free(p->tracks);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void music_engine_params(const struct music_player *p, struct engine_music *out)
{
	*out = (struct engine_music){
		.read = music_read,
		.ctx = (void *)p,
		.depth_db = p->cfg.depth_db,
		.beep_depth_db = p->cfg.beep_depth_db,
		.attack = frames_from_ms(p->cfg.attack_ms),
		.release = frames_from_ms(p->cfg.release_ms),
		.fade = frames_from_ms(MUSIC_FADE_MS),
		.end_fade = frames_from_ms(MUSIC_END_FADE_MS),
	};
}

void music_problems(struct music_player *p, struct music_problems *out)
{
	pthread_mutex_lock(&p->lock);
	*out = p->problems;
	pthread_mutex_unlock(&p->lock);
}

void music_get_stats(struct music_player *p, struct music_stats *out)
{
	pthread_mutex_lock(&p->lock);
	*out = p->stats;
	pthread_mutex_unlock(&p->lock);
}
