/* portaudio_probe.c - the check that runs before PortAudio is initialised
 * in this process: a forked child (probe.h) reads ALSA's configuration and
 * runs Pa_Initialize and the device search, because PortAudio 19.6 aborts
 * the process when ALSA lists no devices and blocks for ever on a JACK
 * server that does not answer. Separate because it runs in another
 * process and turns a crash or a hang there into a message naming the
 * cause. */
#include "output/portaudio_internal.h"
#include "output/probe.h"
#include "output/quiet.h"

#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* How many probes timed out in this process, never lowered: a machine
 * once found too slow for the bound stays so (an answer after a longer
 * bound is followed by the open's own probe, which must not be held to
 * the short one again). Atomic: the control thread and a recovery's job
 * thread may probe. */
static atomic_uint probe_timeouts;

unsigned pa_probe_bound(unsigned base_ms)
{
	return output_probe_bound(base_ms, atomic_load(&probe_timeouts));
}

struct probe_arg {
	const char *device;
	const char *alsa_config;
	bool verbose;
};

/* In the child: ALSA first (a configuration it cannot read or that lists
 * nothing makes PortAudio abort), then what pa_open will do. */
static int probe_child(void *arg, char *msg, size_t msg_size)
{
	const struct probe_arg *a = arg;
	int r = output_alsa_check(a->alsa_config, msg, msg_size);

	if (r < 0)
		return r;
	output_quiet(a->verbose);
	PaError e = Pa_Initialize();
	if (e != paNoError) {
		snprintf(msg, msg_size, "PortAudio: %s", Pa_GetErrorText(e));
		return pa_errno(e);
	}
	if (pa_find_device(a->device, msg, msg_size) == paNoDevice)
		return -ENODEV;
	return 0;
}

/* Name of a JACK server socket in /dev/shm ("jack_default_0_0"), the
 * usual reason Pa_Initialize does not answer; "" if there is none. */
static void jack_socket_name(char *out, size_t size)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;

	out[0] = '\0';
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "jack_", 5) == 0 && strncmp(e->d_name, "jack_sem", 8) != 0 &&
		    strncmp(e->d_name, "jack_db", 7) != 0) {
			snprintf(out, size, "/dev/shm/%.100s", e->d_name);
			break;
		}
	}
	closedir(d);
}

/* First line of s, at most size - 1 bytes. */
static void first_line(char *out, size_t size, const char *s)
{
	size_t n = strcspn(s, "\n");

	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Whether PortAudio may be initialised in this process: 0, or -ENODEV
 * with the reason and the fix in msg (the caller falls back as it does
 * without a sound card), or another -errno. */
int pa_probe_devices(const char *device, const char *alsa_config, bool verbose, unsigned timeout_ms,
		     char *msg, size_t msg_size)
{
	struct probe_arg arg = { .device = device ? device : "", .alsa_config = alsa_config, .verbose = verbose };
	struct probe_result pr;
	char line[200], jack[128];

	msg[0] = '\0';
	timeout_ms = pa_probe_bound(timeout_ms);
	int r = output_probe_run(probe_child, &arg, timeout_ms, &pr);
	if (r < 0)
		return r;
	switch (pr.outcome) {
	case PROBE_RETURNED:
		snprintf(msg, msg_size, "%s", pr.msg);
		return pr.rc;
	case PROBE_CRASHED:
		first_line(line, sizeof(line), pr.err);
		snprintf(msg, msg_size,
			 "PortAudio crashed (%s) while listing the sound devices%s%s%s; the usual cause "
			 "is the ALSA configuration: check ~/.asoundrc, /etc/asound.conf and "
			 "ALSA_CONFIG_PATH", pr.sig ? strsignal(pr.sig) : "exited", line[0] ? " (" : "",
			 line, line[0] ? ")" : "");
		return -ENODEV;
	case PROBE_TIMED_OUT:
		/* perhaps only slow: the next probe waits longer (up to the cap) */
		if (timeout_ms < PROBE_PATIENCE_MAX_MS)
			atomic_fetch_add(&probe_timeouts, 1);
		jack_socket_name(jack, sizeof(jack));
		if (jack[0])
			snprintf(msg, msg_size,
				 "PortAudio did not answer within %u ms while listing the sound devices: "
				 "the JACK server behind %s does not answer (stopped, hung, or left behind "
				 "by a crash); restart jackd, or stop it and remove its files in /dev/shm",
				 timeout_ms, jack);
		else
			snprintf(msg, msg_size,
				 "PortAudio did not answer within %u ms while listing the sound devices; "
				 "a sound server or driver that hangs is the usual cause", timeout_ms);
		return -ENODEV;
	case PROBE_BUSY:
		snprintf(msg, msg_size, "an earlier check of the sound devices is still stuck; "
			 "not starting another");
		return -ENODEV;
	case PROBE_FAILED:
		snprintf(msg, msg_size, "cannot check the sound devices: %s", strerror(-pr.rc));
		return pr.rc;
	}
	return -EIO;
}
