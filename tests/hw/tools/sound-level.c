/* sound-level - how loud a raw loopback capture is, as a whole.
 *
 *   sound-level CAPTURE.f32 CHANNELS
 *
 * CAPTURE is what `arecord -f FLOAT_LE -t raw` wrote. Prints one line:
 *   frames=N first=F last=L silent_tail=S peak=P peak_db=D energy=E rms_db=R
 * over the first channel. first/last: the first and last frame above 0.001
 * (-60 dBFS), -1 if none; silent_tail: seconds after the last one.
 * energy: the sum of the squares of every sample; rms_db: 10 log10 of that
 * energy over the frames from first to last of the capture, in dBFS.
 * The loopback carries exact zeros between lines, so two captures of the
 * same line differ in energy only by the square of the gain between them,
 * wherever each capture started: the volume check compares energies and
 * peaks, never aligns samples. Exit 0 if there is sound, 1 if the capture
 * is silent, 2 on usage or I/O error. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define RATE 48000
#define LEVEL 0.001f

int main(int argc, char **argv)
{
	FILE *f;
	long channels, frames = 0, first = -1, last = -1;
	float peak = 0, *frame;
	double energy = 0;

	if (argc != 3 || (channels = strtol(argv[2], NULL, 10)) < 1 || channels > 32) {
		fprintf(stderr, "usage: sound-level CAPTURE.f32 CHANNELS\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	frame = calloc((size_t)channels, sizeof(*frame));
	if (!frame) {
		fclose(f);
		return 2;
	}
	while (fread(frame, sizeof(*frame), (size_t)channels, f) == (size_t)channels) {
		float a = fabsf(frame[0]);

		if (a > peak)
			peak = a;
		if (a > LEVEL) {
			if (first < 0)
				first = frames;
			last = frames;
		}
		energy += (double)frame[0] * frame[0];
		frames++;
	}
	free(frame);
	fclose(f);
	printf("frames=%ld first=%ld last=%ld silent_tail=%.2f peak=%.4f peak_db=%.2f energy=%.6g rms_db=%.2f\n",
	       frames, first, last, last >= 0 ? (double)(frames - 1 - last) / RATE : 0.0, peak,
	       peak > 0 ? 20 * log10(peak) : -999.0, energy,
	       last >= 0 ? 10 * log10(energy / (double)(last - first + 1)) : -999.0);
	return first >= 0 ? 0 : 1;
}
