/* config_internal.h - what the pieces of the device config loader share:
 * the marks by which config_load_tolerant() names a skipped setting, and
 * the small readers every section uses. config_load.c walks the top level
 * and the audio, routines, mapping and level settings; config_inputs.c
 * the inputs and their timing. */
#ifndef REPCUE_ROUTINE_CONFIG_INTERNAL_H
#define REPCUE_ROUTINE_CONFIG_INTERNAL_H

#include "core/device_config.h"
#include "routine/schema.h"

#include <stdbool.h>
#include <stddef.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Where problems are counted for config_load_tolerant(): a setting whose
 * loading added a problem is named with its line, and left at its
 * default (each loader writes a value only once it is good). */
struct mark {
	int errors, diags, skipped;
};

struct mark config_mark(const struct schema *s, const struct device_config *cfg);

/* Records `setting` as skipped when problems came since m and no setting
 * inside it was recorded already; node gives the line when the problem
 * itself was dropped from the full list. True when it was skipped. */
bool config_settle(const struct schema *s, struct mark m, struct device_config *cfg, const char *setting,
		   int node);

/* Index of the word of words[] equal to text[0..len), or -1. */
int config_find_word(const char *text, size_t len, const char *const *words, size_t n);

/* The problems of a mapping's own keys since m (schema_map(): an
 * unknown key), each named as a setting: prefix and the key as written. */
void config_settle_unknown(struct schema *s, struct mark m, struct device_config *cfg, int map,
			   const char *const *keys, size_t n, const char *prefix);

/* Where the next problems are, appended to their messages (s->where). */
void config_where(struct schema *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* true / false, plain. */
bool config_read_bool(struct schema *s, int node, const char *key, bool *out);

/* The 'inputs' list and the 'timing' mapping (config_inputs.c). */
void config_load_inputs(struct schema *s, int node, struct device_config *cfg);
void config_load_timing(struct schema *s, int node, struct device_config *cfg);

#endif
