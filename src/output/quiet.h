/* quiet.h - keep ALSA and JACK from printing into the user's terminal.
 * Both libraries print through process-wide handlers; PortAudio calls into
 * them while enumerating devices, so install before Pa_Initialize. */
#ifndef REPCUE_OUTPUT_QUIET_H
#define REPCUE_OUTPUT_QUIET_H

#include <stdbool.h>
#include <stddef.h>

/* verbose false: route ALSA's snd_lib_error and, if libjack is loaded (by
 * PortAudio's JACK host API), JACK's error and info functions to no-ops.
 * verbose true: leave the libraries' defaults. Idempotent; not thread-safe
 * against another thread changing the same handlers. */
void output_quiet(bool verbose);

#endif

/* Checks that ALSA can read its configuration and lists at least one PCM
 * device or sound card, without opening any: PortAudio 19.6 aborts the
 * process when it lists none (an empty, missing or unreadable ALSA
 * configuration). alsa_config: $ALSA_CONFIG_PATH, or NULL/"" when unset
 * (util/env.h reads it). Returns 0, or -ENODEV with a message naming the file
 * and the fix in msg. Changes ALSA's global configuration state and error
 * handler: meant for a probe child (probe.h). */
int output_alsa_check(const char *alsa_config, char *msg, size_t msg_size);
