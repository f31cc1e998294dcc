/* input_trouble.h - what the lobby says about configured inputs that do
 * not work (input/controls.h: controls_problems), so a person without a
 * screen learns why the start button does nothing, how to fix it, and
 * what starts a session meanwhile. Pure: text from data, no I/O. */
#ifndef REPCUE_SESSION_INPUT_TROUBLE_H
#define REPCUE_SESSION_INPUT_TROUBLE_H

#include <stdbool.h>
#include <stddef.h>

#include "phrase/phrase.h"
#include "input/controls.h"

/* In the language of book (NULL: English): one sentence per problem
 * ("The start button is not working: pin GPIO71 does not exist."), once
 * where to fix those the config can fix ("Check config.yaml on the
 * card.": config_name is the file's name, on_card whether it is on the SD
 * card), and what starts a session now (starters as controls_starters():
 * "You can start with the pedal, and the keyboard." or "Nothing else can
 * start a session."). Sentences that do not fit are left out whole. ""
 * when n is 0. Writes into out (size bytes, always terminated); returns
 * out. */
char *input_trouble_line(const struct controls_problem *problems, int n, unsigned starters,
			 const char *config_name, bool on_card, const struct phrasebook *book,
			 char *out, size_t size);

#endif
