/* notify.h - tell systemd how the service is doing (sd_notify), when run
 * by systemd with Type=notify; no-ops otherwise or without libsystemd. */
#ifndef REPCUE_UTIL_NOTIFY_H
#define REPCUE_UTIL_NOTIFY_H

#include <stdint.h>

void notify_ready(void);
/* STATUS=: what the service does or waits for, one short line. */
void notify_status(const char *status);
void notify_stopping(void);
/* The watchdog interval systemd asks for (WatchdogSec=, through
 * $WATCHDOG_USEC for this very process), in ms; 0 when there is none. */
int64_t notify_watchdog_ms(void);
/* WATCHDOG=1: the service is alive (see core/watchdog.h for when). */
void notify_watchdog(void);

#endif
