/* player_settings.c - the card's settings that need something opened
 * again: the buttons and pedals (inputs:, timing:, mapping:) and the
 * sound device (audio:). The lobby reads config.yaml again at every
 * entry (session/lobby.h); volume, voice and the rest go into the next
 * session's options as they are. These are applied here, between
 * sessions only (a lobby is opened after the session closed; the sound
 * device is opened with every session or lobby anyway), so a
 * person who changed them on a laptop needs no restart.
 *
 * What a setting that does not work does: the one before is kept, said
 * aloud at the lobby and listed in problems.txt with its line and fix.
 * - inputs: the configured ones are closed and the new set opened (a
 *   pin named by both is held by one set at a time); when an input of
 *   the new set does not open (a pin that does not exist, a path that is
 *   no input device), the set before is opened again. A person who
 *   mistyped a pin on the laptop still has the button that worked, and
 *   the mistake is named, not found later by a silent button. A pedal
 *   not plugged in is the hardware, not the setting: that set is used.
 *   The set that failed is not tried again until config.yaml names
 *   another.
 * - the sound device: the one before is kept when the new one does not
 *   open, and that is said through it. A device that is not there
 *   cannot say anything: waiting for it (the service waits for a
 *   device) would leave the person in silence with nothing to tell
 *   them why. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "player/player_internal.h"
#include "core/plan.h"
#include "session/lobby.h"

/* What to write in problems.txt about an input that does not open, in
 * the order of enum controls_trouble (the sentence itself is the
 * lobby's, in English). */
static const char *const trouble_hints[CONTROLS_TROUBLE_COUNT] = {
	[CONTROLS_NO_SUCH_PIN] = "write the pin as GPIO and its number, as in GPIO17, or remove this input",
	[CONTROLS_PIN_REFUSED] = ("another program may hold the pin, or it cannot be read here: "
				  "the coach's log on the Pi says which"),
	[CONTROLS_NOT_INPUT_DEVICE] = "give the pedal's path under /dev/input/by-id",
	[CONTROLS_NOT_PLUGGED_IN] = "plug the pedal in",
	[CONTROLS_UNKNOWN_KEY] = "write the key the pedal sends, as in KEY_B",
	[CONTROLS_DEVICE_REFUSED] = "the coach's log on the Pi says why",
};

static bool same_input(const struct device_input *a, const struct device_input *b)
{
	return a->role == b->role && a->kind == b->kind && a->offset == b->offset &&
	       strcmp(a->chip, b->chip) == 0 && strcmp(a->line_name, b->line_name) == 0 &&
	       strcmp(a->device, b->device) == 0 && strcmp(a->key, b->key) == 0;
}

/* Whether the inputs, their timing or the mapping differ (not where
 * they are written: a line moved in the file opens nothing again). */
static bool inputs_differ(const struct device_config *a, const struct device_config *b)
{
	if (a->n_inputs != b->n_inputs || a->n_mapping != b->n_mapping)
		return true;
	for (int i = 0; i < a->n_inputs; i++)
		if (!same_input(&a->inputs[i], &b->inputs[i]))
			return true;
	for (int r = 0; r < DEVICE_ROLE_COUNT; r++)
		if (a->timing[r].lockout_ms != b->timing[r].lockout_ms ||
		    a->timing[r].double_tap_ms != b->timing[r].double_tap_ms ||
		    a->timing[r].hold_ms != b->timing[r].hold_ms)
			return true;
	for (int i = 0; i < a->n_mapping; i++)
		if (strcmp(a->mapping[i].key, b->mapping[i].key) != 0 ||
		    strcmp(a->mapping[i].value, b->mapping[i].value) != 0)
			return true;
	return false;
}

/* The line of cfg where the input a problem is about is written; 0 when
 * it is not found. */
static int input_line(const struct device_config *cfg, const struct controls_problem *pr)
{
	for (int i = 0; i < cfg->n_inputs; i++) {
		const struct device_input *in = &cfg->inputs[i];
		char chip_line[DEVICE_CONFIG_CHIP_MAX + 16];

		snprintf(chip_line, sizeof(chip_line), "%s line %d", in->chip, in->offset);
		if (in->kind == DEVICE_INPUT_GPIO ?
		    strcmp(in->line_name[0] ? in->line_name : chip_line, pr->input) == 0 :
		    strcmp(pr->trouble == CONTROLS_UNKNOWN_KEY ? in->key : in->device, pr->input) == 0)
			return in->line;
	}
	return 0;
}

/* The inputs of c (configured by cfg) that do not work because of the
 * setting, into list, each sentence followed by `after`; a pedal not
 * plugged in is the hardware, not a setting. The number added. */
static int input_problems(const struct controls *c, const struct device_config *cfg, struct diag_list *list,
			  const char *after)
{
	struct controls_problem problems[DEVICE_CONFIG_INPUTS_MAX];
	const struct phrasebook *en = phrasebooks[0];
	int n = controls_problems(c, problems, DEVICE_CONFIG_INPUTS_MAX), added = 0;

	for (int i = 0; i < n; i++) {
		const struct controls_problem *pr = &problems[i];
		char sentence[PLAN_TEXT_MAX];

		if (pr->trouble == CONTROLS_NOT_PLUGGED_IN || (unsigned)pr->trouble >= CONTROLS_TROUBLE_COUNT ||
		    (unsigned)pr->role >= INPUT_ROLE_COUNT)
			continue;
		plan_expand(sentence, sizeof(sentence),
			    phrase_text(en, (enum phrase_id)(PHRASE_TROUBLE_NO_SUCH_PIN + pr->trouble)),
			    &(struct placeholder_values){
				.input = phrase_text(en, (enum phrase_id)(PHRASE_INPUT_START_BUTTON + pr->role)),
				.name = pr->input, .book = en });
		diag_add(list, cfg->file, input_line(cfg, pr), 0, trouble_hints[pr->trouble], "%s%s", sentence, after);
		added++;
	}
	return added;
}

/* The settings that do not work now, into the lobby's list; problems.txt
 * brought up to date when the list changed. */
static void note_failures(struct player *p)
{
	static struct diag_list now;   /* large; the player runs on one thread */
	const struct device_config *cfg = &p->applied;
	struct diag_list *kept = &p->lobby->setting_failures;

	diag_list_init(&now);
	input_problems(p->controls, cfg, &now, "");
	for (int i = 0; i < p->rejected_problems.count && now.count < DIAG_MAX; i++)
		now.items[now.count++] = p->rejected_problems.items[i];
	if (p->device_failed[0])
		diag_add(&now, cfg->file, cfg->audio.device_line, 0,
			 "write a part of the sound device's name as the coach's log on the Pi lists them, or "
			 "remove 'device' to use the default", "sound device '%s' does not work here; the coach "
			 "plays through the one it used before", p->device_failed);
	if (now.count == kept->count && now.dropped == kept->dropped &&
	    memcmp(now.items, kept->items, sizeof(now.items[0]) * (size_t)now.count) == 0)
		return;
	*kept = now;
	lobby_write_problems(p->lobby, p->log);
}

/* The sound settings of want for the next open, unless the command line
 * fixed them; a device that changed is tried at the next open
 * (player_settings_device_failed()). */
static void apply_audio(struct player *p, const struct device_config *want)
{
	struct output_config *out = &p->set.lo.output;
	bool device = !p->set.pinned.device && strcmp(want->audio.device, p->applied.audio.device) != 0;
	bool latency = !p->set.pinned.latency && want->audio.latency_frames != p->applied.audio.latency_frames;

	if (!p->set.pinned.wait_for_device)
		p->set.wait_for_device = want->audio.wait_for_device;
	if (latency)
		out->latency_frames = (unsigned)want->audio.latency_frames;
	if (!device) {
		p->applied.audio = want->audio;
		return;
	}
	/* the one before, kept until the new one has opened */
	snprintf(p->device_before, sizeof(p->device_before), "%s", p->device);
	p->trial_notes = p->lobby->n_notes;
	memcpy(p->notes_before, p->lobby->notes, sizeof(p->notes_before));
	snprintf(p->device, sizeof(p->device), "%s", want->audio.device);
	out->device = p->device[0] ? p->device : NULL;
	p->device_trial = true;
	p->device_failed[0] = '\0';
	fprintf(p->log, "repcue: %s: sound device %s from this lobby on\n", want->file,
		p->device[0] ? p->device : "(the default)");
	p->applied.audio = want->audio;
}

/* The inputs, their timing and mapping of want as p->applied's. */
static void take_inputs(struct device_config *to, const struct device_config *want)
{
	memcpy(to->inputs, want->inputs, sizeof(want->inputs));
	to->n_inputs = want->n_inputs;
	memcpy(to->timing, want->timing, sizeof(want->timing));
	memcpy(to->mapping, want->mapping, sizeof(want->mapping));
	to->n_mapping = want->n_mapping;
}

/* Opens want's inputs in place of those in use; when one of them does
 * not work (or opening fails), opens those in use again and remembers
 * want's as rejected, its problems for problems.txt and the lobby. */
static void apply_inputs(struct player *p, const struct device_config *want)
{
	const char *file = want->file[0] ? want->file : "the settings";

	if (!inputs_differ(&p->applied, want)) {
		p->inputs_rejected = false;   /* back to what works: nothing to say */
		diag_list_init(&p->rejected_problems);
		return;
	}
	if (p->inputs_rejected && !inputs_differ(&p->rejected, want))
		return;   /* the set that failed, unchanged: not tried again */
	fprintf(p->log, "repcue: %s: the buttons and pedals changed; opening them again\n", file);
	diag_list_init(&p->rejected_problems);
	int r = controls_reconfigure(p->controls, want, p->log);
	int bad = r < 0 ? 0 : input_problems(p->controls, want, &p->rejected_problems,
					     " The buttons and pedals from before are kept.");
	if (r == 0 && bad == 0) {
		take_inputs(&p->applied, want);
		p->inputs_rejected = false;
		return;
	}
	if (r < 0)
		diag_add(&p->rejected_problems, want->file, want->n_inputs ? want->inputs[0].line : 0, 0,
			 "the coach's log on the Pi says why", "the buttons and pedals cannot be opened again (%s). "
			 "The buttons and pedals from before are kept.", strerror(-r));
	fprintf(p->log, "repcue: %s: the new buttons and pedals do not all work (see above); opening the ones "
		"before again\n", file);
	int back = controls_reconfigure(p->controls, &p->applied, p->log);
	if (back < 0)
		fprintf(p->log, "repcue: cannot open the buttons and pedals before again: %s\n", strerror(-back));
	p->inputs_rejected = true;
	take_inputs(&p->rejected, want);
	/* said once, at this lobby: the setting and the line of the first
	 * input that failed */
	struct routine_entry e = { .status = -EINVAL,
				   .line = p->rejected_problems.count ? p->rejected_problems.items[0].line : 0 };
	snprintf(e.file, sizeof(e.file), "%s", "inputs");
	lobby_say(p->lobby, PHRASE_SETTING_FAILED_AT, &e, 0);
}

void player_settings_apply(struct player *p)
{
	const struct device_config *want;

	if (!p->lobby)
		return;
	want = &p->lobby->settings;
	apply_inputs(p, want);
	snprintf(p->applied.file, sizeof(p->applied.file), "%s", want->file);
	apply_audio(p, want);
	note_failures(p);
}

bool player_settings_device_failed(struct player *p)
{
	struct output_config *out = &p->set.lo.output;

	if (!p->device_trial)
		return false;
	p->device_trial = false;
	snprintf(p->device_failed, sizeof(p->device_failed), "%s", p->device[0] ? p->device : "(the default)");
	fprintf(p->log, "repcue: %s: the sound device %s does not work (see above); playing through %s as "
		"before\n", p->applied.file, p->device_failed, p->device_before[0] ? p->device_before : "the default");
	snprintf(p->device, sizeof(p->device), "%s", p->device_before);
	out->device = p->device[0] ? p->device : NULL;
	/* the failed open said the lobby's notes: they are said again, and
	 * the setting that failed with them */
	p->lobby->n_notes = p->trial_notes;
	memcpy(p->lobby->notes, p->notes_before, sizeof(p->notes_before));
	struct routine_entry e = { .status = -EINVAL, .line = p->applied.audio.device_line };
	snprintf(e.file, sizeof(e.file), "%s", "audio.device");
	lobby_say(p->lobby, PHRASE_SETTING_FAILED_AT, &e, 0);
	note_failures(p);
	return true;
}
