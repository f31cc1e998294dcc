/* make_music - writes the test tracks of the music tests: tones, noise and
 * a chord made here (no recorded music), in every format this libsndfile
 * writes (WAV, FLAC, Ogg Vorbis, Opus; MP3 when it can), and the bad files
 * a card may hold: damaged, cut short, empty.
 *
 *   make_music DIR [SECONDS]    prints the names it wrote, one a line */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

static unsigned rng = 12345;

static float noise(void)
{
	rng = rng * 1664525u + 1013904223u;
	return (float)((double)(rng >> 8) / (double)(1u << 24) * 2.0 - 1.0);
}

/* kind 0: chord, 1: stepping tones, 2: noise. Stereo. */
static float *make(int kind, int rate, int frames)
{
	float *buf = malloc(sizeof(float) * 2 * (size_t)frames);
	double f[3] = { 261.63, 329.63, 392.0 };

	for (int i = 0; i < frames; i++) {
		double t = (double)i / rate, v = 0.0;
		if (kind == 0) {
			for (int k = 0; k < 3; k++)
				v += 0.2 * sin(2 * M_PI * f[k] * t);
		} else if (kind == 1) {
			double step = 220.0 * pow(2.0, (double)((int)(t * 2) % 8) / 12.0);
			v = 0.4 * sin(2 * M_PI * step * t);
		} else {
			v = 0.25 * noise();
		}
		buf[2 * i] = (float)v;
		buf[2 * i + 1] = (float)(v * 0.9);
	}
	return buf;
}

static int write_one(const char *dir, const char *name, int format, int kind, int rate, int seconds)
{
	char path[1024];
	SF_INFO info = { .samplerate = rate, .channels = 2, .format = format };

	if (!sf_format_check(&info))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	if (!sf)
		return 0;
	int frames = rate * seconds;
	float *buf = make(kind, rate, frames);
	/* in pieces: libsndfile 1.2.0's Opus writer crashes on one long write */
	sf_count_t w = 0;
	while (w < frames) {
		sf_count_t n = frames - w < 4096 ? frames - w : 4096;
		if (sf_writef_float(sf, buf + 2 * w, n) != n)
			break;
		w += n;
	}
	sf_close(sf);
	free(buf);
	if (w != frames) {
		remove(path);
		return 0;
	}
	printf("%s\n", name);
	return 1;
}

/* The bytes of dir/name (malloc'ed) and their count. */
static unsigned char *slurp(const char *dir, const char *name, long *n)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *in = fopen(path, "rb");
	if (!in || fseek(in, 0, SEEK_END) < 0 || (*n = ftell(in)) < 0 || fseek(in, 0, SEEK_SET) < 0)
		exit(1);
	unsigned char *buf = malloc((size_t)*n);
	if (!buf || fread(buf, 1, (size_t)*n, in) != (size_t)*n)
		exit(1);
	fclose(in);
	return buf;
}

static void spill(const char *dir, const char *name, const unsigned char *buf, long n)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *out = fopen(path, "wb");
	if (!out || fwrite(buf, 1, (size_t)n, out) != (size_t)n || fclose(out) != 0)
		exit(1);
}

/* The first half of a file: a copy to the card interrupted. */
static void truncate_copy(const char *dir, const char *from, const char *to)
{
	long n;
	unsigned char *buf = slurp(dir, from, &n);
	spill(dir, to, buf, n / 2);
	free(buf);
}

/* A good header, then 3000 bytes of garbage mid-way: a frame damaged on
 * the card. */
static void damage_copy(const char *dir, const char *from, const char *to)
{
	long n;
	unsigned char *buf = slurp(dir, from, &n);
	for (long i = n / 2; i < n / 2 + 3000 && i < n; i++)
		buf[i] = (unsigned char)(i * 7919 % 256);
	spill(dir, to, buf, n);
	free(buf);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: make_music DIR [SECONDS] [--bad]\n");
		return 2;
	}
	const char *dir = argv[1];
	int seconds = argc > 2 ? atoi(argv[2]) : 20;
	int bad = argc > 3 && strcmp(argv[3], "--bad") == 0;

	int n = 0;
	n += write_one(dir, "01-chord.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 0, 48000, seconds);
	n += write_one(dir, "02-tones.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 44100, seconds);
	n += write_one(dir, "03-noise.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 2, 44100, seconds);
	n += write_one(dir, "04-chord.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 0, 48000, seconds);
	n += write_one(dir, "05-tones.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 1, 44100, seconds);
	if (bad) {
		char p[1024];
		snprintf(p, sizeof(p), "%s/00-empty.mp3", dir);
		fclose(fopen(p, "wb"));
		snprintf(p, sizeof(p), "%s/00-corrupt.flac", dir);
		FILE *f = fopen(p, "wb");
		fputs("fLaC", f);
		for (int i = 0; i < 20000; i++)
			fputc((int)(noise() * 127 + 128), f);
		fclose(f);
		truncate_copy(dir, "01-chord.wav", "00-truncated.wav");
		damage_copy(dir, "02-tones.flac", "00-damaged-mid.flac");
		printf("00-empty.mp3\n00-corrupt.flac\n00-truncated.wav\n00-damaged-mid.flac\n");
	}
	return n >= 4 ? 0 : 1;
}
