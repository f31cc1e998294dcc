/* portaudio_devices.c - what PortAudio's errors mean as errno values and
 * which device a configured name picks. Used by the bounded calls
 * (portaudio_calls.c) and by the probe child (portaudio_probe.c); a file
 * of its own so that neither of those depends on the other. */
#include "output/portaudio_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int pa_errno(PaError e)
{
	switch (e) {
	case paNoError:
		return 0;
	case paInsufficientMemory:
		return -ENOMEM;
	case paInvalidDevice:
	case paDeviceUnavailable:
	case paNoDevice:
		return -ENODEV;
	case paInvalidChannelCount:
	case paInvalidSampleRate:
	case paSampleFormatNotSupported:
	case paBadIODeviceCombination:
		return -EINVAL;
	case paTimedOut:
		return -ETIMEDOUT;
	default:
		return -EIO;
	}
}

/* Device whose name equals name, else the first containing it (ignoring
 * case); the default output for "". Lists candidates in msg on failure. */
PaDeviceIndex pa_find_device(const char *name, char *msg, size_t msg_size)
{
	int count = Pa_GetDeviceCount();
	PaDeviceIndex sub = paNoDevice;
	size_t used;

	if (count <= 0) {
		snprintf(msg, msg_size, "no audio output device (PortAudio lists none)");
		return paNoDevice;
	}
	if (name[0] == '\0') {
		PaDeviceIndex d = Pa_GetDefaultOutputDevice();

		if (d == paNoDevice)
			snprintf(msg, msg_size, "no default audio output device");
		return d;
	}
	for (PaDeviceIndex i = 0; i < count; i++) {
		const PaDeviceInfo *info = Pa_GetDeviceInfo(i);

		if (!info || info->maxOutputChannels <= 0)
			continue;
		if (strcmp(info->name, name) == 0)
			return i;
		if (sub == paNoDevice && strcasestr(info->name, name))
			sub = i;
	}
	if (sub != paNoDevice)
		return sub;
	used = (size_t)snprintf(msg, msg_size, "no output device matching '%s'; outputs:", name);
	for (PaDeviceIndex i = 0; i < count && used < msg_size; i++) {
		const PaDeviceInfo *info = Pa_GetDeviceInfo(i);

		if (info && info->maxOutputChannels > 0)
			used += (size_t)snprintf(msg + used, msg_size - used, " '%s'", info->name);
	}
	return paNoDevice;
}
