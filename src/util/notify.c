#include "util/notify.h"

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>

/* libsystemd's sd_notify handles $NOTIFY_SOCKET (abstract or path
 * sockets, credentials) correctly; no reason to write it again. */
void notify_ready(void) { sd_notify(0, "READY=1"); }
void notify_status(const char *status) { sd_notifyf(0, "STATUS=%s", status); }
void notify_stopping(void) { sd_notify(0, "STOPPING=1"); }
#else
void notify_ready(void) {}
void notify_status(const char *status) { (void)status; }
void notify_stopping(void) {}
#endif
