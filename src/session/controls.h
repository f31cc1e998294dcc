/* controls.h - moved to input/controls.h (the configured inputs are the
 * input module's); kept so that the files of the play layer that include
 * it by this name build unchanged until they are rewritten. New code
 * includes input/controls.h. */
#ifndef REPCUE_SESSION_CONTROLS_H
#define REPCUE_SESSION_CONTROLS_H

#include "input/controls.h"

#endif
