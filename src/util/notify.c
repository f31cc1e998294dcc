#include "util/notify.h"

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>

/* libsystemd's sd_notify handles $NOTIFY_SOCKET (abstract or path
 * sockets, credentials) correctly; no reason to write it again. */
void notify_ready(void) { sd_notify(0, "READY=1"); }
void notify_status(const char *status) { sd_notifyf(0, "STATUS=%s", status); }
void notify_stopping(void) { sd_notify(0, "STOPPING=1"); }
void notify_watchdog(void) { sd_notify(0, "WATCHDOG=1"); }

int64_t notify_watchdog_ms(void)
{
	uint64_t usec = 0;
	/* also checks $WATCHDOG_PID, so a child never pings for us */
	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return (int64_t)(usec / 1000);
}
#else
void notify_ready(void) {}
void notify_status(const char *status) { (void)status; }
void notify_stopping(void) {}
void notify_watchdog(void) {}
int64_t notify_watchdog_ms(void) { return 0; }
#endif
