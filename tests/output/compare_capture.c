/* compare-capture - check that a raw capture of a live session equals a
 * reference (a rendered WAV, or raw samples) sample for sample, after the
 * leading silence a callback stream prepends.
 *
 *   compare-capture [--format f32|s16] [--channels N] [--max-offset FRAMES]
 *                   [--ref-format f32|s16] CAPTURE REFERENCE
 *
 * CAPTURE is raw interleaved little-endian samples (ALSA file plugin,
 * format "raw"); default f32, 2 channels. REFERENCE ending in .wav is read
 * with libsndfile; anything else is raw mono in --ref-format (default f32).
 * A mono reference must match every capture channel. A 16-bit reference is
 * compared after putting the capture through pcm16_from_float, the WAV
 * writer's own conversion, so `repcue play` and `repcue render` of the same
 * routine compare exactly. The offset is the first non-silent capture frame
 * minus the first non-silent reference frame; capture frames past the end
 * of the reference must be silent.
 *
 * Prints one line; exit 0 match, 1 mismatch, 2 usage or I/O error. */
#include "output/pcm16.h"

#include <errno.h>
#include <sndfile.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct samples {
	double *v;        /* owned: frames * channels */
	size_t frames;
	unsigned channels;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Raw file as doubles; f32 values quantized to 16 bit when as_pcm16. */
static int load_raw(const char *path, bool s16, unsigned channels, bool as_pcm16,
		    struct samples *ret)
{
	FILE *f = fopen(path, "rb");
	size_t width = s16 ? 2 : 4, cap = 0, n = 0;
	unsigned char b[4];

	if (!f) {
		fprintf(stderr, "compare-capture: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ret->v = NULL;
	while (fread(b, width, 1, f) == 1) {
		double x;

		if (n == cap) {
			double *nv = realloc(ret->v, (cap = cap ? cap * 2 : 65536) * sizeof(double));

			if (!nv) {
				fclose(f);
				return -1;
			}
			ret->v = nv;
		}
		if (s16) {
			x = (int16_t)(b[0] | b[1] << 8);
		} else {
			uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
				     (uint32_t)b[3] << 24;
			float fl;

			memcpy(&fl, &u, sizeof(fl));
			x = as_pcm16 ? (double)pcm16_from_float(fl) : (double)fl;
		}
		ret->v[n++] = x;
	}
	fclose(f);
	ret->channels = channels;
	ret->frames = n / channels;
	return 0;
}

/* WAV reference; *pcm16 tells whether to compare in the 16-bit domain. */
static int load_wav(const char *path, bool *pcm16, struct samples *ret)
{
	SF_INFO info = { 0 };
	SNDFILE *sf = sf_open(path, SFM_READ, &info);
	size_t total;

	if (!sf) {
		fprintf(stderr, "compare-capture: %s: %s\n", path, sf_strerror(NULL));
		return -1;
	}
	*pcm16 = (info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16;
	total = (size_t)info.frames * (size_t)info.channels;
	ret->v = calloc(total ? total : 1, sizeof(double));
	ret->channels = (unsigned)info.channels;
	ret->frames = (size_t)info.frames;
	if (!ret->v) {
		sf_close(sf);
		return -1;
	}
	if (*pcm16) {
		short *s = calloc(total ? total : 1, sizeof(short));

		if (!s || sf_readf_short(sf, s, info.frames) != info.frames) {
			free(s);
			sf_close(sf);
			return -1;
		}
		for (size_t i = 0; i < total; i++)
			ret->v[i] = s[i];
		free(s);
	} else {
		sf_command(sf, SFC_SET_NORM_DOUBLE, NULL, SF_TRUE);
		if (sf_readf_double(sf, ret->v, info.frames) != info.frames) {
			sf_close(sf);
			return -1;
		}
	}
	sf_close(sf);
	return 0;
}

static long first_sound(const struct samples *s)
{
	for (size_t i = 0; i < s->frames * s->channels; i++)
		if (s->v[i] != 0.0)
			return (long)(i / s->channels);
	return -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: compare-capture [--format f32|s16] [--channels N] "
		"[--max-offset FRAMES] [--ref-format f32|s16] CAPTURE REFERENCE\n");
	return 2;
}

int main(int argc, char **argv)
{
	bool cap_s16 = false, ref_s16 = false, pcm16 = false;
	unsigned channels = 2;
	long max_offset = 48000;
	struct samples cap, ref;
	const char *cap_path, *ref_path;
	long cap_first, ref_first, offset;
	int i;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "--format") == 0)
			cap_s16 = strcmp(argv[i + 1], "s16") == 0;
		else if (strcmp(argv[i], "--ref-format") == 0)
			ref_s16 = strcmp(argv[i + 1], "s16") == 0;
		else if (strcmp(argv[i], "--channels") == 0)
			channels = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--max-offset") == 0)
			max_offset = atol(argv[i + 1]);
		else
			return usage();
	}
	if (argc - i != 2 || channels == 0)
		return usage();
	cap_path = argv[i];
	ref_path = argv[i + 1];

	if (ends_with(ref_path, ".wav")) {
		if (load_wav(ref_path, &pcm16, &ref) < 0)
			return 2;
	} else {
		pcm16 = ref_s16;
		if (load_raw(ref_path, ref_s16, 1, false, &ref) < 0)
			return 2;
	}
	if (cap_s16 && !pcm16) {
		fprintf(stderr, "compare-capture: a 16-bit capture needs a 16-bit reference\n");
		return 2;
	}
	if (load_raw(cap_path, cap_s16, channels, pcm16 && !cap_s16, &cap) < 0)
		return 2;
	if (ref.channels != 1 && ref.channels != cap.channels) {
		fprintf(stderr, "compare-capture: reference has %u channels, capture %u\n",
			ref.channels, cap.channels);
		return 2;
	}

	cap_first = first_sound(&cap);
	ref_first = first_sound(&ref);
	if (ref_first < 0 || cap_first < 0) {
		printf("compare-capture: %s is silent\n", ref_first < 0 ? ref_path : cap_path);
		return 1;
	}
	offset = cap_first - ref_first;
	if (offset < 0 || offset > max_offset) {
		printf("compare-capture: mismatch: capture sound starts at frame %ld, reference at %ld\n",
		       cap_first, ref_first);
		return 1;
	}
	for (size_t f = 0; f < ref.frames; f++) {
		size_t cf = f + (size_t)offset;

		if (cf >= cap.frames) {
			printf("compare-capture: mismatch: capture ends at frame %zu, reference frame %zu "
			       "of %zu (offset %ld)\n", cap.frames, f, ref.frames, offset);
			return 1;
		}
		for (unsigned c = 0; c < cap.channels; c++) {
			double r = ref.v[f * ref.channels + (ref.channels == 1 ? 0 : c)];
			double x = cap.v[cf * cap.channels + c];

			if (r != x) {
				printf("compare-capture: mismatch at reference frame %zu (capture frame %zu) "
				       "channel %u: reference %.9g, capture %.9g (offset %ld)\n",
				       f, cf, c, r, x, offset);
				return 1;
			}
		}
	}
	for (size_t k = (ref.frames + (size_t)offset) * cap.channels; k < cap.frames * cap.channels; k++) {
		if (cap.v[k] != 0.0) {
			printf("compare-capture: mismatch: sound after the reference ends, capture frame %zu\n",
			       k / cap.channels);
			return 1;
		}
	}
	printf("compare-capture: match: offset %ld frames of leading silence, %zu frames compared "
	       "(%s), %zu trailing frames silent\n", offset, ref.frames,
	       pcm16 ? "16-bit" : "float", cap.frames - ref.frames - (size_t)offset);
	free(cap.v);
	free(ref.v);
	return 0;
}
