/* status.h - the one-line status of a session ("Band rows, set 2 of 3,
 * left: rep 5 of 12"), for the terminal and systemd's STATUS=. Pure. */
#ifndef REPCUE_CORE_STATUS_H
#define REPCUE_CORE_STATUS_H

#include <stddef.h>

#include "core/plan.h"
#include "core/routine.h"
#include "core/sequencer.h"

/* Writes the status of `st` (a snapshot of a session on plan `p` made
 * from routine `r`) into buf. Times count down to 0 s, never below, and
 * include rest added by more-rest. */
void status_format(const struct routine *r, const struct plan *p, const struct seq_status *st,
		   char *buf, size_t size);

#endif
