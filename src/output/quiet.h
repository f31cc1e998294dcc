/* quiet.h - keep ALSA and JACK from printing into the user's terminal.
 * Both libraries print through process-wide handlers; PortAudio calls into
 * them while enumerating devices, so install before Pa_Initialize. */
#ifndef REPCUE_OUTPUT_QUIET_H
#define REPCUE_OUTPUT_QUIET_H

#include <stdbool.h>

/* verbose false: route ALSA's snd_lib_error and, if libjack is loaded (by
 * PortAudio's JACK host API), JACK's error and info functions to no-ops.
 * verbose true: leave the libraries' defaults. Idempotent; not thread-safe
 * against another thread changing the same handlers. */
void output_quiet(bool verbose);

#endif
