/* press_script.c - the press-script tokenizer; see press_script.h. */
#include "core/press_script.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int press_script_init(struct press_script *ps, const char *spec)
{
	ps->save = NULL;
	ps->started = false;
	if (strlen(spec) >= sizeof(ps->buf)) {
		ps->buf[0] = '\0';
		return -E2BIG;
	}
	strcpy(ps->buf, spec);
	return 0;
}

int press_script_next(struct press_script *ps, struct press_token *tok)
{
	char *item = strtok_r(ps->started ? NULL : ps->buf, ",", &ps->save);
	char *at, *end;

	ps->started = true;
	if (!item)
		return 0;
	*tok = (struct press_token){ .name = item, .when = "", .seconds = NAN };
	at = strchr(item, '@');
	if (!at)
		return -EINVAL;
	*at = '\0';
	tok->when = at + 1;
	double seconds = strtod(at + 1, &end);
	if (end == at + 1 || (*end != '\0' && *end != ':'))
		return 1;
	tok->seconds = seconds;
	if (*end == ':') {
		tok->has_held = true;
		tok->held_ms = strtod(end + 1, &end);
		if (*end != '\0')
			tok->held_ms = NAN;
	}
	return 1;
}
