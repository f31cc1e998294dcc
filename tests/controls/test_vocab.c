/* test_vocab.c - every vocabulary has one table; this walks them and
 * checks that every place derived from them agrees.
 *
 * Control actions (core/control.h): each user action is bindable in the
 * input mapping and in the device config, has a terminal key of its own
 * that the terminal reads and the key help names, and (unless it is quit)
 * is accepted by --press; each internal notification is refused by all of
 * them.  Device config words (core/device_config.h): every role, gesture
 * and state word with every binding word is accepted by the loader and
 * the mapping alike.  The lists written in the docs (hw/README.md,
 * repcue(1), the README's keys; the step kinds of core/routine.h in
 * routines/README.md and repcue-routine(5)) are checked against the
 * tables too, so adding a row without its docs fails here.
 *
 *   test_vocab SOURCE_DIR */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "core/control.h"
#include "core/routine.h"
#include "input/mapping.h"
#include "input/terminal.h"
#include "routine/config_load.h"

/* What a case parses into, made for the case (fixture_new) and freed after
 * it, so that no case reads what an earlier one left. */
struct fixture {
	struct device_config cfg;
	struct diag_list diags;
};

static struct fixture *fixture_new(void)
{
	return FIXTURE_CALLOC(sizeof(struct fixture));
}


static int parse_mapping(struct fixture *f, const char *key, const char *value)
{
	char text[200];

	snprintf(text, sizeof(text), "repcue: 1\nmapping:\n  %s: %s\n", key, value);
	return config_parse("test.yaml", text, strlen(text), &f->cfg, &f->diags);
}

static bool diags_mention(struct fixture *f, const char *word)
{
	for (int i = 0; i < f->diags.count; i++)
		if (strstr(f->diags.items[i].message, word) || strstr(f->diags.items[i].hint, word))
			return true;
	return false;
}

/* Whether the comma-separated list holds word as a whole item. */
static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static void test_actions(struct fixture *f)
{
	struct input_mapping *map = NULL;
	char user_list[300], script_list[300], keys[300];
	int n_user = 0;

	control_user_action_list(user_list, sizeof(user_list), false);
	control_user_action_list(script_list, sizeof(script_list), true);
	control_key_help(keys, sizeof(keys));
	CHECK(input_mapping_new(&map) == 0, "mapping");
	if (!map)
		return;
	for (int i = CONTROL_NONE + 1; i < CONTROL_ACTION_COUNT; i++) {
		enum control_action a = (enum control_action)i;
		const char *name = control_action_name(a);
		char err[400], press_err[400], spec[64], key[8];
		struct control_event ev[2];
		int k = control_action_key(a), n;

		CHECK(strcmp(name, "none") != 0 && control_action_from_name(name) == a,
		      "action %d has a name of its own: %s", i, name);
		snprintf(spec, sizeof(spec), "%s@1.5", name);
		n = control_parse_presses(spec, ev, 2, press_err, sizeof(press_err));
		if (control_action_is_user(a)) {
			n_user++;
			CHECK(control_user_action_from_name(name) == a && !control_is_notification_name(name),
			      "%s is a user action", name);
			CHECK(list_has(user_list, name), "%s in the user list '%s'", name, user_list);
			CHECK(input_mapping_set(map, "pedal.tap", name, err, sizeof(err)) == 0 &&
			      input_mapping_lookup(map, INPUT_ROLE_PEDAL, GESTURE_TAP,
						   INPUT_SESSION_ACTIVE).control == a,
			      "the mapping binds %s: %s", name, err);
			CHECK(parse_mapping(f, "pedal.tap", name) == 0, "the device config binds %s", name);
			CHECK(k > ' ' ? k >= 'a' && k <= 'z' : k == ' ', "%s has a key: %d", name, k);
			CHECK(terminal_key_action(k) == a, "key %d is %s on the terminal", k, name);
			if (k >= 'a' && k <= 'z')
				CHECK(terminal_key_action(k - 'a' + 'A') == a, "upper-case key of %s", name);
			snprintf(key, sizeof(key), "%c ", k);
			CHECK(strstr(keys, k == ' ' ? "space " : key) != NULL, "key help '%s' has %s", keys, name);
			if (control_action_is_scriptable(a)) {
				CHECK(n == 1 && ev[0].action == a && ev[0].at == 72000,
				      "--press %s: %d (%s)", spec, n, press_err);
				CHECK(list_has(script_list, name), "%s in --press help '%s'", name, script_list);
			} else {
				CHECK(n == -EINVAL && strstr(press_err, "cannot script") && strstr(press_err, name),
				      "--press refuses %s: %s", name, press_err);
				CHECK(!list_has(script_list, name), "%s not in --press help", name);
			}
		} else {
			CHECK(control_user_action_from_name(name) == CONTROL_NONE &&
			      control_is_notification_name(name), "%s is a notification", name);
			CHECK(!list_has(user_list, name), "%s not in the user list", name);
			CHECK(input_mapping_set(map, "pedal.tap", name, err, sizeof(err)) == -EINVAL,
			      "the mapping refuses %s", name);
			CHECK(parse_mapping(f, "pedal.tap", name) == -EINVAL && diags_mention(f, "notification"),
			      "the device config refuses %s as a notification", name);
			CHECK(k == 0, "notification %s has no key", name);
			CHECK(n == -EINVAL && strstr(press_err, "notification"), "--press refuses %s: %s", name,
			      press_err);
		}
	}
	CHECK(n_user >= 8, "%d user actions", n_user);
	/* no key is taken twice, and no other byte acts */
	for (int b = 0; b < 256; b++) {
		enum control_action a = terminal_key_action(b);
		int lower = b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b;

		CHECK(a == CONTROL_NONE || control_action_key(a) == lower,
		      "byte %d acts only if it is the key of its action", b);
	}
	input_mapping_free(map);
}

/* The other words of an override (core/device_config.h): every role,
 * gesture and state word is accepted by both the loader and the mapping,
 * and the input module names them the same. */
static void test_device_words(struct fixture *f)
{
	struct input_mapping *map = NULL;
	const char *binding[DEVICE_BINDING_WORDS_MAX];
	size_t n_binding = device_binding_words(binding, DEVICE_BINDING_WORDS_MAX);
	int tried = 0;

	CHECK(input_mapping_new(&map) == 0, "mapping");
	if (!map)
		return;
	for (int r = 0; r < DEVICE_ROLE_COUNT; r++)
		CHECK(strcmp(input_role_name((enum input_role)r), device_role_names[r]) == 0,
		      "role %d", r);
	for (int g = 0; g < DEVICE_GESTURE_COUNT; g++)
		CHECK(strcmp(gesture_kind_name((enum gesture_kind)g), device_gesture_names[g]) == 0,
		      "gesture %d", g);
	for (int st = 0; st < DEVICE_STATE_COUNT; st++)
		CHECK(strcmp(input_session_state_name((enum input_session_state)st),
			     device_state_name((enum device_state)st)) == 0, "state %d", st);
	for (int c = 0; c < DEVICE_COMMAND_COUNT; c++)
		CHECK(strcmp(input_command_name((enum input_command)c), device_command_names[c]) == 0,
		      "command %d", c);
	for (int r = 0; r < DEVICE_ROLE_COUNT; r++) {
		for (int g = 0; g < DEVICE_GESTURE_COUNT; g++) {
			for (size_t w = 0; w < DEVICE_STATE_WORDS; w++) {
				char key[64], err[400];
				struct input_binding b;

				snprintf(key, sizeof(key), "%s.%s.%s", device_role_names[r],
					 device_gesture_names[g], device_state_words[w]);
				for (size_t a = 0; a < n_binding; a++) {
					CHECK(input_mapping_set(map, key, binding[a], err, sizeof(err)) == 0,
					      "mapping %s: %s: %s", key, binding[a], err);
					CHECK(parse_mapping(f, key, binding[a]) == 0, "loader %s: %s", key, binding[a]);
					tried++;
				}
				b = input_mapping_lookup(map, (enum input_role)r, (enum gesture_kind)g,
							 (enum input_session_state)device_state_of_word[w]);
				CHECK(b.control == CONTROL_NONE && b.command == INPUT_COMMAND_NONE,
				      "%s: none (the last binding word) is what it holds", key);
			}
		}
	}
	CHECK(tried > 500, "tried %d", tried);
	input_mapping_free(map);
}

static char *slurp(const char *src, const char *rel)
{
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", src, rel);
	f = fopen(path, "rb");
	CHECK(f != NULL, "open %s", path);
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The words between quote marks q (` or *) from the text after anchor up
 * to stop, joined as "a, b, c" into out. */
static void doc_words(const char *doc, const char *anchor, char stop, char q,
		      char *out, size_t size)
{
	const char *p = doc ? strstr(doc, anchor) : NULL;
	const char *end;
	size_t used = 0;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen(anchor);
	end = strchr(p, stop);
	if (!end)
		return;
	while ((p = memchr(p, q, (size_t)(end - p)))) {
		const char *w = p + 1, *e = memchr(w, q, (size_t)(end - w));

		if (!e)
			break;
		used += (size_t)snprintf(out + used, size - used, "%s%.*s", used ? ", " : "",
					 (int)(e - w), w);
		if (used >= size)
			break;
		p = e + 1;
	}
}

static void test_docs(const char *src)
{
	char *hw = slurp(src, "hw/README.md");
	char *man = slurp(src, "src/man/repcue.1.scd");
	char *readme = slurp(src, "README.md");
	char want[300], got[300];
	size_t used;

	/* hw/README: the words an override may bind, and the notifications */
	control_user_action_list(want, sizeof(want), false);
	used = strlen(want);
	for (int c = INPUT_COMMAND_CHOOSE_ROUTINE; c <= INPUT_COMMAND_CONFIRM; c++)
		used += (size_t)snprintf(want + used, sizeof(want) - used, ", %s",
					 input_command_name((enum input_command)c));
	snprintf(want + used, sizeof(want) - used, ", none");
	doc_words(hw, "with an\naction (", ')', '`', got, sizeof(got));
	CHECK(strcmp(got, want) == 0, "hw/README.md's actions are the table's:\n  doc:   %s\n  table: %s",
	      got, want);
	used = 0;
	want[0] = '\0';
	for (int i = CONTROL_NONE + 1; i < CONTROL_ACTION_COUNT; i++)
		if (!control_action_is_user((enum control_action)i))
			used += (size_t)snprintf(want + used, sizeof(want) - used, "%s%s", used ? ", " : "",
						 control_action_name((enum control_action)i));
	doc_words(hw, "itself (", ')', '`', got, sizeof(got));
	CHECK(strcmp(got, want) == 0, "hw/README.md's notifications are the table's:\n  doc:   %s\n  table: %s",
	      got, want);

	/* hw/README: the roles in the example config and the state words */
	{
		size_t used2 = 0;
		char roles[100] = "";

		for (int r = 0; r < DEVICE_ROLE_COUNT; r++)
			used2 += (size_t)snprintf(roles + used2, sizeof(roles) - used2, "%s%s",
						  r ? " | " : "# ", device_role_names[r]);
		CHECK(hw && strstr(hw, roles), "hw/README.md's example config lists the roles '%s'", roles);
	}
	used = 0;
	want[0] = '\0';
	for (size_t w = 0; w < DEVICE_STATE_WORDS; w++)
		used += (size_t)snprintf(want + used, sizeof(want) - used, "%s%s", used ? ", " : "",
					 device_state_words[w]);
	doc_words(hw, "(states: ", '\n', '`', got, sizeof(got));
	CHECK(strcmp(got, want) == 0, "hw/README.md's states are the table's:\n  doc:   %s\n  table: %s",
	      got, want);

	/* repcue(1): --press's actions and the terminal keys */
	control_user_action_list(want, sizeof(want), true);
	doc_words(man, "would. Actions: ", '.', '*', got, sizeof(got));
	CHECK(strcmp(got, want) == 0, "repcue.1's --press actions are the table's:\n  doc:   %s\n  table: %s",
	      got, want);

	/* every key in the man page, the README and hw/README, each in its
	 * own sentence: from its anchor up to the stop character */
	static const struct {
		const char *what, *anchor, *fmt;
		char stop;
	} places[] = {
		{ "repcue.1", "Terminal keys:", "*%s*", '.' },
		{ "README.md", "keys `space`", "`%s`", ';' },
		{ "hw/README.md", "(space =", "%s =", ')' },
	};
	const char *docs[] = { man, readme, hw };
	for (int i = CONTROL_NONE + 1; i < CONTROL_ACTION_COUNT; i++) {
		int k = control_action_key((enum control_action)i);
		char letter[2] = { (char)k, '\0' };

		if (!k)
			continue;
		for (size_t d = 0; d < sizeof(places) / sizeof(places[0]); d++) {
			const char *from = docs[d] ? strstr(docs[d], places[d].anchor) : NULL;
			const char *to = from ? strchr(from, places[d].stop) : NULL;
			const char *at;
			char token[16];

			snprintf(token, sizeof(token), places[d].fmt, k == ' ' ? "space" : letter);
			at = from ? strstr(from, token) : NULL;
			CHECK(at && to && at < to, "%s names key %s of %s", places[d].what, token,
			      control_action_name((enum control_action)i));
		}
	}
	/* the step kinds (core/routine.h) in the routine format's docs */
	{
		char *routines = slurp(src, "routines/README.md");
		char *man5 = slurp(src, "src/man/repcue-routine.5.scd");
		size_t u = 0;

		want[0] = '\0';
		for (size_t k = 0; k < STEP_KIND_COUNT; k++)
			u += (size_t)snprintf(want + u, sizeof(want) - u, "%s%s", k ? " | " : "# ",
					      step_kinds[k].word);
		CHECK(routines && strstr(routines, want), "routines/README.md's example lists the kinds '%s'",
		      want);
		u = 0;
		want[0] = '\0';
		for (size_t k = 0; k < STEP_KIND_COUNT; k++)
			u += (size_t)snprintf(want + u, sizeof(want) - u, "%s%s", k ? ", " : "",
					      step_kinds[k].word);
		doc_words(routines, "| `kind` | ", '|', '`', got, sizeof(got));
		CHECK(strcmp(got, want) == 0, "routines/README.md's kind row: '%s', the table: '%s'", got, want);
		for (size_t k = 0; k < STEP_KIND_COUNT; k++) {
			char token[40];
			const char *from = man5 ? strstr(man5, "\n*kind*\n") : NULL;
			const char *to = from ? strstr(from + 1, "\n\n") : NULL;
			const char *at;

			snprintf(token, sizeof(token), "*%s*", step_kinds[k].word);
			at = from ? strstr(from, token) : NULL;
			CHECK(at && to && at < to, "repcue-routine.5 describes kind %s", step_kinds[k].word);
		}
		free(routines);
		free(man5);
	}
	free(hw);
	free(man);
	free(readme);
}

/* A case on a fixture of its own, made inside the case (its checks count
 * in it) and freed after. */
#define RUN_FIXTURE(fn)                                                            \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_new()));                                \
		free(f_);                                                          \
	} while (0)

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_vocab SOURCE_DIR\n");
		return 2;
	}
	RUN_FIXTURE(test_actions);
	RUN_FIXTURE(test_device_words);
	RUN_CASE(test_docs, (argv[1]));
	return check_done("vocab");
}
