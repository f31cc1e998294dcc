/* press_script.h - the one tokenizer of press scripts,
 * "NAME@SECONDS[:MS],...": render's and play's --press (NAME an action,
 * control_parse_presses) and the --simulate of play and hw-test (NAME a
 * button's role, controls_simulate). Each caller checks the names and
 * limits that are its own and words its own messages; the splitting and
 * the numbers are read here, the same way for both.
 *
 * Usage:
 *     struct press_script ps;
 *     struct press_token t;
 *     if (press_script_init(&ps, spec) < 0) ... too long
 *     while ((r = press_script_next(&ps, &t)) > 0) ... t.name, t.seconds
 *     if (r < 0) ... an item without '@' (t.name is the whole item)
 */
#ifndef REPCUE_CORE_PRESS_SCRIPT_H
#define REPCUE_CORE_PRESS_SCRIPT_H

#include <stdbool.h>

/* The longest script in characters. */
#define PRESS_SCRIPT_CHARS_MAX 1023

/* A script being read: a copy cut into items in place. */
struct press_script {
	char buf[PRESS_SCRIPT_CHARS_MAX + 1];
	char *save;     /* strtok_r's place */
	bool started;
};

/* One item. The strings point into the struct press_script and last
 * until it is read again or goes away. */
struct press_token {
	const char *name;  /* before the first '@' */
	const char *when;  /* after it, as written: "95.5", "1:900" */
	double seconds;    /* the number in when before the end or ':'; NAN
	                    * when there is none, or something else follows */
	bool has_held;     /* when has ":MS" */
	double held_ms;    /* the number after ':' up to the end; NAN when
	                    * it is not one; 0 without has_held */
};

/* Copies spec. 0, or -E2BIG when it is over PRESS_SCRIPT_CHARS_MAX
 * characters. */
int press_script_init(struct press_script *ps, const char *spec);

/* The next item (items are split at ',', empty ones skipped): 1 with *tok
 * filled, 0 at the end, -EINVAL for an item without '@' (then tok->name
 * is the whole item, tok->when ""). */
int press_script_next(struct press_script *ps, struct press_token *tok);

#endif
