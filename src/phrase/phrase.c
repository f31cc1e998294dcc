/* phrase.c - the table of languages and the lookups. Adding a language is
 * a new phrases_<language>.c and one line in `phrasebooks` below. */
#include "phrase/phrase.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *const phrase_slot_names[SLOT_COUNT] = {
	[SLOT_REP] = "rep", [SLOT_REPS] = "reps", [SLOT_SET] = "set",
	[SLOT_SETS] = "sets", [SLOT_SIDE] = "side", [SLOT_NAME] = "name",
	[SLOT_SECONDS] = "seconds", [SLOT_STEP] = "step", [SLOT_STEPS] = "steps",
	[SLOT_EACH] = "each", [SLOT_NUMBER] = "number",
	[SLOT_TOTAL] = "total", [SLOT_INPUT] = "input",
};

/* The table of languages: one line each. */
extern const struct phrasebook phrasebook_en, phrasebook_de;
const struct phrasebook *const phrasebooks[] = {
	&phrasebook_en,
	&phrasebook_de,
	NULL
};

int phrase_slot_find(const char *key, size_t len)
{
	for (int i = 0; i < SLOT_COUNT; i++)
		if (strlen(phrase_slot_names[i]) == len && memcmp(key, phrase_slot_names[i], len) == 0)
			return i;
	return -1;
}

int phrase_placeholder_parse(const char *key, size_t len, struct phrase_forms *ret_forms)
{
	const char *bar = memchr(key, '|', len), *end = key + len, *bar2;

	*ret_forms = (struct phrase_forms){ 0 };
	if (!bar)
		return phrase_slot_find(key, len);
	bar2 = memchr(bar + 1, '|', (size_t)(end - bar - 1));
	/* exactly two forms, neither empty */
	if (!bar2 || bar2 == bar + 1 || bar2 + 1 == end || memchr(bar2 + 1, '|', (size_t)(end - bar2 - 1)))
		return -1;
	*ret_forms = (struct phrase_forms){
		.one = bar + 1, .one_len = (size_t)(bar2 - bar - 1),
		.many = bar2 + 1, .many_len = (size_t)(end - bar2 - 1),
	};
	return phrase_slot_find(key, (size_t)(bar - key));
}

const char *phrase_form(const struct phrase_forms *forms, int number, size_t *ret_len)
{
	*ret_len = number == 1 ? forms->one_len : forms->many_len;
	return number == 1 ? forms->one : forms->many;
}

const struct phrasebook *phrasebook_find(const char *voice_language)
{
	size_t len = strcspn(voice_language, "-_");

	for (int i = 0; phrasebooks[i]; i++)
		if (len > 0 && strlen(phrasebooks[i]->language) == len &&
		    strncasecmp(voice_language, phrasebooks[i]->language, len) == 0)
			return phrasebooks[i];
	return NULL;
}

char *phrasebook_list(char *buf, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (int i = 0; phrasebooks[i] && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s (%s)", i ? ", " : "",
				      phrasebooks[i]->language, phrasebooks[i]->name);
	return buf;
}

const char *phrase_text(const struct phrasebook *book, enum phrase_id id)
{
	if ((unsigned)id >= PHRASE_COUNT)
		return "";
	/* a phrase missing from a book (tests/phrase fails on it) is said in
	 * English rather than crash a session */
	if (book && book->text[id])
		return book->text[id];
	return phrasebooks[0]->text[id];
}
