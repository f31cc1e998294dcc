/* notify.h - tell systemd how the service is doing (sd_notify), when run
 * by systemd with Type=notify; no-ops otherwise or without libsystemd. */
#ifndef REPCUE_UTIL_NOTIFY_H
#define REPCUE_UTIL_NOTIFY_H

void notify_ready(void);
void notify_status(const char *status);
void notify_stopping(void);

#endif
