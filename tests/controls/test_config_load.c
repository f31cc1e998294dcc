/* test_config_load.c - the device config loader: the shipped example
 * loads with the default pin map, a full file loads with every value,
 * every file in bad/ yields exactly the problems its header promises
 *
 *   # expect: LINE:COL substring of the message
 *   # hint: substring of that problem's hint        (optional)
 *
 * the default / --config / $REPCUE_CONFIG rules hold, and the mapping
 * words the loader accepts are exactly those input_mapping_set() takes.
 *
 *   test_config_load SOURCE_DIR TEST_DIR      (TEST_DIR holds bad/)
 *   test_config_load --print FILE             (show the diags of FILE) */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "../bad_corpus.h"
#include "core/control.h"
#include "input/mapping.h"
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


static void dump_diags(struct fixture *f)
{
	for (int i = 0; i < f->diags.count; i++)
		diag_print(stderr, &f->diags.items[i]);
}

static int parse_text(struct fixture *f, const char *text)
{
	return config_parse("test.yaml", text, strlen(text), &f->cfg, &f->diags);
}

static void test_example(struct fixture *f, const char *src)
{
	char path[1024];
	int ret;

	snprintf(path, sizeof(path), "%s/hw/config.example.yaml", src);
	ret = config_load(path, &f->cfg, &f->diags);
	CHECK(ret == 0, "the example loads: %d", ret);
	dump_diags(f);
	if (ret)
		return;
	CHECK(strcmp(f->cfg.file, path) == 0, "file recorded");
	CHECK(f->cfg.n_inputs == 4, "four inputs: %d", f->cfg.n_inputs);
	static const char *const pins[] = { "GPIO17", "GPIO27", "GPIO22", "GPIO23" };
	for (int i = 0; i < 4 && i < f->cfg.n_inputs; i++) {
		const struct device_input *in = &f->cfg.inputs[i];

		CHECK(in->kind == DEVICE_INPUT_GPIO && (int)in->role == i &&
		      strcmp(in->line_name, pins[i]) == 0 && in->chip[0] == '\0' &&
		      in->offset == -1 && in->line > 0,
		      "input %d is %s as %s: %s", i, pins[i], device_role_name((enum device_role)i),
		      in->line_name);
	}
	CHECK(f->cfg.audio.device[0] == '\0' && f->cfg.audio.wait_for_device &&
	      f->cfg.audio.latency_frames == 0, "audio");
	CHECK(f->cfg.timing[DEVICE_ROLE_PEDAL].lockout_ms == 50 &&
	      f->cfg.timing[DEVICE_ROLE_PEDAL].double_tap_ms == 400 &&
	      f->cfg.timing[DEVICE_ROLE_PEDAL].hold_ms == 700 &&
	      f->cfg.timing[DEVICE_ROLE_NEXT].lockout_ms == -1, "timing");
	CHECK(f->cfg.n_mapping == 1 && strcmp(f->cfg.mapping[0].key, "pedal.hold") == 0 &&
	      strcmp(f->cfg.mapping[0].value, "pause") == 0, "mapping");
}

static void test_full(struct fixture *f)
{
	static const char text[] =
		"repcue: 1\n"
		"audio: {device: USB Audio, latency: 512, wait_for_device: false}\n"
		"routines:\n"
		"  dir: /home/pi/routines\n"
		"  default: upper-back-2\n"
		"inputs:\n"
		"  - {role: repeat, gpio: {chip: gpiochip0, line: 22}}\n"
		"  - {role: next, gpio: {name: GPIO27, chip: pinctrl-rp1}}\n"
		"  - role: pedal\n"
		"    evdev: {device: /dev/input/by-id/usb-pedal-event-kbd, key: KEY_B}\n"
		"  - role: next\n"
		"    evdev: {device: /dev/input/by-id/usb-pedal-event-kbd, key: pagedown}\n"
		"timing:\n"
		"  next: {lockout_ms: 20}\n"
		"  pedal: {double_tap_ms: 0, hold_ms: 1000}\n"
		"mapping:\n"
		"  pedal.hold: start\n"
		"  next.hold.resting: none\n"
		"  repeat.double-tap.idle: choose-routine\n";
	int ret = parse_text(f, text);

	CHECK(ret == 0, "full config loads: %d", ret);
	dump_diags(f);
	if (ret)
		return;
	CHECK(strcmp(f->cfg.audio.device, "USB Audio") == 0 && f->cfg.audio.latency_frames == 512 &&
	      !f->cfg.audio.wait_for_device, "audio");
	CHECK(strcmp(f->cfg.routines.dir, "/home/pi/routines") == 0 &&
	      strcmp(f->cfg.routines.default_routine, "upper-back-2") == 0, "routines");
	CHECK(f->cfg.n_inputs == 4, "inputs %d", f->cfg.n_inputs);
	CHECK(f->cfg.inputs[0].role == DEVICE_ROLE_REPEAT && strcmp(f->cfg.inputs[0].chip, "gpiochip0") == 0 &&
	      f->cfg.inputs[0].offset == 22 && f->cfg.inputs[0].line_name[0] == '\0' &&
	      f->cfg.inputs[0].line == 7, "chip + line");
	CHECK(strcmp(f->cfg.inputs[1].line_name, "GPIO27") == 0 &&
	      strcmp(f->cfg.inputs[1].chip, "pinctrl-rp1") == 0 && f->cfg.inputs[1].offset == -1,
	      "name on a chip");
	CHECK(f->cfg.inputs[2].kind == DEVICE_INPUT_EVDEV && f->cfg.inputs[2].role == DEVICE_ROLE_PEDAL &&
	      strcmp(f->cfg.inputs[2].key, "KEY_B") == 0 && f->cfg.inputs[2].line == 9, "pedal key");
	CHECK(f->cfg.inputs[3].kind == DEVICE_INPUT_EVDEV && strcmp(f->cfg.inputs[3].key, "pagedown") == 0 &&
	      strcmp(f->cfg.inputs[3].device, f->cfg.inputs[2].device) == 0, "second key, same device");
	CHECK(f->cfg.timing[DEVICE_ROLE_NEXT].lockout_ms == 20 &&
	      f->cfg.timing[DEVICE_ROLE_NEXT].double_tap_ms == -1 &&
	      f->cfg.timing[DEVICE_ROLE_PEDAL].double_tap_ms == 0 &&
	      f->cfg.timing[DEVICE_ROLE_PEDAL].hold_ms == 1000 &&
	      f->cfg.timing[DEVICE_ROLE_START].lockout_ms == -1, "timing, unset = -1");
	CHECK(f->cfg.n_mapping == 3 && f->cfg.mapping[1].line == 18 &&
	      strcmp(f->cfg.mapping[2].value, "choose-routine") == 0, "mapping");
}

static void test_minimal(struct fixture *f)
{
	int ret = parse_text(f, "repcue: 1\n");

	CHECK(ret == 0 && f->cfg.n_inputs == 0 && f->cfg.n_mapping == 0 &&
	      f->cfg.timing[0].hold_ms == -1 && !f->cfg.audio.wait_for_device,
	      "a version line alone is a valid config: %d", ret);
	dump_diags(f);
}

/* --config must exist; the default may be missing. */
static void test_paths(struct fixture *f)
{
	int ret;

	CHECK(config_path_choose("a.yaml", "b.yaml") &&
	      strcmp(config_path_choose("a.yaml", "b.yaml"), "a.yaml") == 0, "--config first");
	CHECK(strcmp(config_path_choose(NULL, "b.yaml"), "b.yaml") == 0, "then $REPCUE_CONFIG");
	CHECK(config_path_choose(NULL, "") == NULL && config_path_choose(NULL, NULL) == NULL,
	      "else the default");
	ret = config_load_or_default("/nonexistent/repcue/config.yaml", &f->cfg, &f->diags);
	CHECK(ret == -ENOENT && f->diags.count == 1 && f->diags.items[0].line == 0 &&
	      strstr(f->diags.items[0].message, "cannot open"), "explicit missing file: %d", ret);
	if (access(DEVICE_CONFIG_DEFAULT_PATH, F_OK) != 0) {
		ret = config_load_or_default(NULL, &f->cfg, &f->diags);
		CHECK(ret == 0 && f->diags.count == 0 && f->cfg.file[0] == '\0' && f->cfg.n_inputs == 0,
		      "missing default file: built-in defaults: %d", ret);
	} else {
		printf("note: %s exists; the missing-default case is not run\n",
		       DEVICE_CONFIG_DEFAULT_PATH);
	}
}

/* Everything the loader lets through must apply with input_mapping_set,
 * and every word input_mapping_set knows must load. */
static void test_mapping_vocabulary(struct fixture *f)
{
	static const char *const roles[] = { "start", "next", "repeat", "pedal" };
	static const char *const gestures[] = { "tap", "double-tap", "hold" };
	static const char *const states[] = { "", ".active", ".idle", ".running", ".resting",
					      ".paused" };
	const char *actions[40];
	struct input_mapping *map;
	size_t n_actions = 0;
	int tried = 0;

	for (int a = CONTROL_NONE + 1; a < CONTROL_ACTION_COUNT; a++)
		if (control_action_is_user((enum control_action)a))
			actions[n_actions++] = control_action_name((enum control_action)a);
	actions[n_actions++] = "choose-routine";
	actions[n_actions++] = "confirm";
	actions[n_actions++] = "none";
	CHECK(input_mapping_new(&map) == 0, "mapping");
	for (int r = 0; r < 4; r++) {
		CHECK(strcmp(input_role_name((enum input_role)r), roles[r]) == 0 &&
		      strcmp(device_role_name((enum device_role)r), roles[r]) == 0,
		      "role %d has the same word in both modules", r);
		for (int g = 0; g < 3; g++) {
			for (int s = 0; s < 6; s++) {
				for (size_t a = 0; a < n_actions; a++) {
					char key[64], text[200], err[300];
					int lr, mr;

					snprintf(key, sizeof(key), "%s.%s%s", roles[r], gestures[g],
						 states[s]);
					snprintf(text, sizeof(text), "repcue: 1\nmapping:\n  %s: %s\n",
						 key, actions[a]);
					lr = parse_text(f, text);
					mr = input_mapping_set(map, key, actions[a], err, sizeof(err));
					CHECK(lr == 0 && mr == 0, "%s: %s: loader %d, mapping %d (%s)",
					      key, actions[a], lr, mr, err);
					tried++;
				}
			}
		}
	}
	/* and the words one module refuses, the other refuses too */
	static const char *const bad[][2] = {
		{ "pedal.hodl", "pause" }, { "pedl.hold", "pause" },
		{ "next.hold.restin", "none" }, { "pedal.hold", "paws" },
		{ "pedal", "next" }, { "pedal.tap.active.x", "next" },
		/* internal notifications are no user actions (issue 11 item 10) */
		{ "next.tap", "pedal-gone" }, { "next.tap", "pedal-back" }, { "pedal.hold", "output-back" },
		{ "pedal.hold", "resume" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[200], err[300];

		snprintf(text, sizeof(text), "repcue: 1\nmapping:\n  %s: %s\n", bad[i][0], bad[i][1]);
		CHECK(parse_text(f, text) == -EINVAL &&
		      input_mapping_set(map, bad[i][0], bad[i][1], err, sizeof(err)) == -EINVAL,
		      "%s: %s refused by both", bad[i][0], bad[i][1]);
	}
	input_mapping_free(map);
	CHECK(tried > 500, "tried %d overrides", tried);
}

/* Each file loaded into a fixture of its own. */
static void test_bad_file(const char *path, const char *base)
{
	struct expect ex[EXPECT_MAX];
	int n = read_expects(path, ex), ret;
	struct fixture *f;

	CHECK(n > 0, "%s has '# expect:' lines", base);
	if (n <= 0)
		return;
	f = fixture_new();
	ret = config_load(path, &f->cfg, &f->diags);
	CHECK(ret == -EINVAL, "%s: returns -EINVAL, got %d", base, ret);
	check_expects(base, &f->diags, ex, n);
	free(f);
}

static void test_corpus(const char *dir)
{
	int files = for_each_bad_file(dir, test_bad_file);
	CHECK(files >= 15, "corpus has %d files", files);
}

/* A case on a fixture of its own, made inside the case (its checks count
 * in it) and freed after; RUN_FIXTURE_ARG passes one more argument. */
#define RUN_FIXTURE(fn)                                                            \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_new()));                                \
		free(f_);                                                          \
	} while (0)
#define RUN_FIXTURE_ARG(fn, arg)                                                   \
	do {                                                                       \
		struct fixture *f_ = NULL;                                         \
		RUN_CASE(fn, (f_ = fixture_new(), arg));                           \
		free(f_);                                                          \
	} while (0)

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--print") == 0) {
		struct fixture *f = fixture_new();
		int ret = config_load(argv[2], &f->cfg, &f->diags);

		for (int i = 0; i < f->diags.count; i++)
			printf("%d:%d %s | %s\n", f->diags.items[i].line, f->diags.items[i].col,
			       f->diags.items[i].message, f->diags.items[i].hint);
		free(f);
		return ret == 0 ? 0 : 1;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: test_config_load SOURCE_DIR TEST_DIR\n");
		return 2;
	}
	RUN_FIXTURE_ARG(test_example, argv[1]);
	RUN_FIXTURE(test_full);
	RUN_FIXTURE(test_minimal);
	RUN_FIXTURE(test_paths);
	RUN_FIXTURE(test_mapping_vocabulary);
	RUN_CASE(test_corpus, (argv[2]));
	return check_done("config_load");
}
