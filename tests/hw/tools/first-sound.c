/* first-sound - where the sound starts in a raw loopback capture.
 *
 *   first-sound CAPTURE.f32 CHANNELS
 *
 * CAPTURE is what `arecord -f FLOAT_LE -t raw` wrote. Prints one line:
 *   frames=N first=F seconds_with_sound=S peak=P
 * first: the first frame whose first channel exceeds 0.01 (-40 dBFS;
 * repcue's speech peaks at 0.6, the loopback carries exact zeros between
 * lines), -1 if none. seconds_with_sound: 10 ms windows above that level.
 * Exit 0 if there is sound, 1 if the capture is silent, 2 on usage or
 * I/O error. Used by the systemd checks to time the first lobby word. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define RATE 48000
#define LEVEL 0.01f

int main(int argc, char **argv)
{
	FILE *f;
	long channels, frames = 0, first = -1, loud_windows = 0;
	float peak = 0, win_peak = 0, *frame;

	if (argc != 3 || (channels = strtol(argv[2], NULL, 10)) < 1 || channels > 32) {
		fprintf(stderr, "usage: first-sound CAPTURE.f32 CHANNELS\n");
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
		if (a > win_peak)
			win_peak = a;
		if (first < 0 && a > LEVEL)
			first = frames;
		frames++;
		if (frames % (RATE / 100) == 0) {
			loud_windows += win_peak > LEVEL;
			win_peak = 0;
		}
	}
	free(frame);
	fclose(f);
	printf("frames=%ld first=%ld seconds_with_sound=%.2f peak=%.3f\n", frames, first,
	       loud_windows / 100.0, peak);
	return first >= 0 ? 0 : 1;
}
