/* music.h - music under the coach: the tracks of a folder, each measured
 * once for loudness and played at one level below speech, decoded and
 * resampled ahead into a lock-free ring the audio callback only reads.
 *
 * Threads: music_open, music_close and music_problems on the control
 * thread; music_read (the engine's engine_music.read) on the audio thread;
 * live, a thread of the player's own decodes ahead. Offline (render) the
 * same code fills the ring inside music_read, synchronously, so a render
 * and a live session that never ran dry take the same samples.
 *
 * Memory is bounded: the ring (MUSIC_RING_CHUNKS_LIVE * MUSIC_CHUNK
 * floats, 512 KiB, 2.7 s at 48 kHz live, unless music_open is asked for
 * more ahead: 64 MiB holds 5:49; 64 KiB offline) and one decode
 * buffer of MUSIC_DECODE_FRAMES frames per channel (at most 8 channels:
 * 32 KiB) plus libsamplerate's state and libebur128's histogram (tens
 * of KiB), whatever the files. */
#ifndef REPCUE_MUSIC_MUSIC_H
#define REPCUE_MUSIC_MUSIC_H

#include <stdbool.h>
#include <stddef.h>

#include "audio/engine.h"

/* Frames per ring element: one engine block, one pop per block. */
#define MUSIC_CHUNK ENGINE_BLOCK
/* Live: 2.7 s kept ahead. That rides out what can hold the decoder back
 * (a slow card's read, a 100 ms CPU-quota period, a track's first
 * measuring step) many times over; 5.5 s (1 MiB) bought nothing more and
 * was a twelfth of the process's resident memory (issue 22: 24 MB). */
#define MUSIC_RING_CHUNKS_LIVE 512
#define MUSIC_RING_CHUNKS_OFFLINE 64
#define MUSIC_DECODE_FRAMES 1024
#define MUSIC_CHANNELS_MAX 8
/* Silence between two tracks. */
#define MUSIC_GAP_MS 1000

/* The level of the music, undisturbed, in LUFS (mono, as played). Speech
 * at SPEECH_PEAK measures about -19 LUFS, so the bed is ~11 LU under it,
 * and ducked by MUSIC_DEPTH_DB ~26 LU under it (>= 20 dB, issue 22). */
#define MUSIC_TARGET_LUFS (-30.0f)
#define MUSIC_DEPTH_DB 15.0f
#define MUSIC_BEEP_DEPTH_DB 5.0f
#define MUSIC_ATTACK_MS 200
#define MUSIC_RELEASE_MS 700
#define MUSIC_FADE_MS 300
#define MUSIC_END_FADE_MS 3000
/* Headroom: no music sample above this. Speech peaks at SPEECH_PEAK 0.6
 * and a beep under speech at ENGINE_DUCK_GAIN 0.3 of TONE_PEAK 0.18; an
 * unforeseen line may begin before the bed is down, so speech + a ducked
 * beep + undisturbed music, 0.6 + 0.054 + 0.2 = 0.85, stays under full
 * scale: the mix does not clip, and no limiter touches the coach. */
#define MUSIC_PEAK_MAX 0.2f

enum music_order {
	MUSIC_ORDER_NAME,     /* by file name, byte order */
	MUSIC_ORDER_SHUFFLE,  /* shuffled by `seed`: the same seed, the same order */
};

/* The settings of the card's config (issue 22); music_config_default()
 * gives the defaults. */
struct music_config {
	bool enabled;
	float volume_db;       /* added to MUSIC_TARGET_LUFS; <= 0 sensible */
	float depth_db;        /* down under a line */
	float beep_depth_db;   /* down under a beep */
	int attack_ms, release_ms;
	enum music_order order;
	unsigned seed;
};

void music_config_default(struct music_config *cfg);

#define MUSIC_PROBLEMS_MAX 32

struct music_problem {
	char file[256];        /* the file's name in the folder */
	char message[200];     /* what is wrong; pair it with file */
	char hint[200];
};

/* Files skipped, for the card's problems.txt. */
struct music_problems {
	struct music_problem items[MUSIC_PROBLEMS_MAX];
	int count;
	int dropped;           /* found after the list was full */
};

struct music_player;

/* Opens the tracks of `dir` (every *.mp3 *.ogg *.oga *.opus *.flac *.wav,
 * not hidden): live starts a decoding thread. Loudness is kept in
 * cache_dir (created; NULL: measured at every start). Returns 0 and a
 * player the caller releases with music_close, or -ENOENT when the folder
 * is missing or holds no track (no music, not an error), or -errno. Files
 * that cannot be played are skipped; music_problems names them.
 *
 * live_ahead (live only): 0 puts about 0.7 s in the ring before returning
 * and keeps MUSIC_RING_CHUNKS_LIVE chunks ahead. N frames puts N frames
 * in the ring before returning and keeps at least that many ahead (the
 * ring doubled until it holds them: its size is a power of two), so a
 * device that pulls faster than real time, such as the tests' capture,
 * takes N frames of music without ever finding the ring dry: a capture
 * then equals the render. */
int music_open(struct music_player **ret, const char *dir, const struct music_config *cfg,
	       const char *cache_dir, bool live, frames_t live_ahead);

/* Stops the thread and frees everything. NULL is a no-op. */
void music_close(struct music_player *p);

/* What the engine plays (read = music_read). */
void music_engine_params(const struct music_player *p, struct engine_music *out);

/* The engine's read: up to n frames of the bed. Live: what the ring holds
 * (never waits); offline: fills the ring first. */
size_t music_read(void *ctx, float *out, size_t n);

/* Copies the problems found so far (skipped files). */
void music_problems(struct music_player *p, struct music_problems *out);

struct music_stats {
	int tracks;              /* files found */
	int playable;            /* not skipped (so far) */
	size_t ring_bytes;       /* the ring's storage */
	double decode_cpu_s;     /* thread CPU spent decoding and resampling */
	double measure_cpu_s;    /* thread CPU spent measuring loudness */
	long long frames_made;   /* frames of bed put in the ring */
	int measured, from_cache;
};

void music_get_stats(struct music_player *p, struct music_stats *out);

#endif
