/* input_trouble.c - the lobby's words for inputs that do not work; see
 * input_trouble.h. */
#include "session/input_trouble.h"

#include <string.h>

#include "core/plan.h"

/* The phrase tables follow the enums they are indexed by. */
_Static_assert(PHRASE_INPUT_PEDAL - PHRASE_INPUT_START_BUTTON == INPUT_ROLE_PEDAL - INPUT_ROLE_START &&
	       PHRASE_WITH_PEDAL - PHRASE_WITH_START_BUTTON == INPUT_ROLE_PEDAL - INPUT_ROLE_START &&
	       PHRASE_WITH_KEYBOARD == PHRASE_WITH_START_BUTTON + INPUT_ROLE_COUNT &&
	       CONTROLS_STARTER_KEYBOARD == 1u << INPUT_ROLE_COUNT,
	       "one phrase per input role, then the keyboard");
_Static_assert(PHRASE_TROUBLE_DEVICE_REFUSED - PHRASE_TROUBLE_NO_SUCH_PIN ==
	       CONTROLS_DEVICE_REFUSED - CONTROLS_NO_SUCH_PIN &&
	       CONTROLS_TROUBLE_COUNT == CONTROLS_DEVICE_REFUSED + 1,
	       "one phrase per trouble");

/* Whether the config file is where the fix goes (a typo), not the
 * hardware (a pedal not plugged in) or something the log explains. */
static bool config_can_fix(enum controls_trouble t)
{
	return t == CONTROLS_NO_SUCH_PIN || t == CONTROLS_NOT_INPUT_DEVICE || t == CONTROLS_UNKNOWN_KEY;
}

/* Appends sentence to out[*used..size) with a space between, if it fits
 * whole. */
static void add(char *out, size_t size, size_t *used, const char *sentence)
{
	size_t n = strlen(sentence) + (*used ? 1 : 0);

	if (!sentence[0] || *used + n >= size)
		return;
	snprintf(out + *used, size - *used, "%s%s", *used ? " " : "", sentence);
	*used += n;
}

char *input_trouble_line(const struct controls_problem *problems, int n, unsigned starters,
			 const char *config_name, bool on_card, const struct phrasebook *book,
			 char *out, size_t size)
{
	char sentence[PLAN_TEXT_MAX], list[PLAN_TEXT_MAX] = "";
	size_t used = 0, listed = 0;
	bool fix_in_config = false;
	int items = 0, item = 0;

	if (!out || size == 0)
		return out;
	out[0] = '\0';
	if (!problems || n <= 0)
		return out;
	for (int i = 0; i < n; i++) {
		const struct controls_problem *p = &problems[i];
		struct placeholder_values v = {
			.input = phrase_text(book, (enum phrase_id)(PHRASE_INPUT_START_BUTTON + p->role)),
			.name = p->input, .book = book,
		};

		if ((unsigned)p->role >= INPUT_ROLE_COUNT || (unsigned)p->trouble >= CONTROLS_TROUBLE_COUNT)
			continue;
		plan_expand(sentence, sizeof(sentence),
			    phrase_text(book, (enum phrase_id)(PHRASE_TROUBLE_NO_SUCH_PIN + p->trouble)), &v);
		add(out, size, &used, sentence);
		fix_in_config |= config_can_fix(p->trouble);
	}
	if (fix_in_config && config_name && config_name[0]) {
		plan_expand(sentence, sizeof(sentence),
			    phrase_text(book, on_card ? PHRASE_CHECK_CONFIG_ON_CARD : PHRASE_CHECK_CONFIG),
			    &(struct placeholder_values){ .name = config_name, .book = book });
		add(out, size, &used, sentence);
	}

	/* what still starts: "the pedal, and the keyboard" */
	for (int r = 0; r <= INPUT_ROLE_COUNT; r++)
		items += (starters >> r) & 1;
	for (int r = 0; r <= INPUT_ROLE_COUNT; r++) {
		if (!((starters >> r) & 1))
			continue;
		item++;
		listed += (size_t)snprintf(list + listed, sizeof(list) - listed, "%s%s",
					   item == 1 ? "" : phrase_text(book, item == items ? PHRASE_LIST_LAST_SEP :
									     PHRASE_LIST_SEP),
					   phrase_text(book, (enum phrase_id)(PHRASE_WITH_START_BUTTON + r)));
		if (listed >= sizeof(list))
			break;
	}
	if (items)
		plan_expand(sentence, sizeof(sentence), phrase_text(book, PHRASE_START_WITH),
			    &(struct placeholder_values){ .name = list, .book = book });
	else
		plan_expand(sentence, sizeof(sentence), phrase_text(book, PHRASE_NOTHING_STARTS),
			    &(struct placeholder_values){ .book = book });
	add(out, size, &used, sentence);
	return out;
}
