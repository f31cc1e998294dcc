/* test_input_trouble.c - what the lobby says about inputs that do not
 * work (session/input_trouble.h; issue 17 item 8): the input, why and
 * the fix, once where to fix it, and what still starts a session, in
 * English and German; nothing when all is well; a short buffer keeps
 * whole sentences. Pure: no hardware. */
#include <string.h>

#include "../lib/harness.h"
#include "core/plan.h"
#include "session/input_trouble.h"

static const struct controls_problem typo = {
	.role = INPUT_ROLE_START, .trouble = CONTROLS_NO_SUCH_PIN, .input = "GPIO71",
};
static const struct controls_problem not_a_device = {
	.role = INPUT_ROLE_PEDAL, .trouble = CONTROLS_NOT_INPUT_DEVICE, .input = "/dev/null",
};
static const struct controls_problem unplugged = {
	.role = INPUT_ROLE_PEDAL, .trouble = CONTROLS_NOT_PLUGGED_IN, .input = "/dev/input/by-id/usb-pedal",
};

static void expect(const char *got, const char *want)
{
	CHECK(strcmp(got, want) == 0, "\n  got:  '%s'\n  want: '%s'", got, want);
}

int main(void)
{
	const struct phrasebook *de = phrasebook_find("de");
	char out[PLAN_TEXT_MAX], tiny[40];

	expect(input_trouble_line(&typo, 1, 1u << INPUT_ROLE_PEDAL | CONTROLS_STARTER_KEYBOARD, "config.yaml",
				  true, NULL, out, sizeof(out)),
	       "The start button is not working: pin GPIO71 does not exist. Check config.yaml on the card. "
	       "You can start with the pedal, and the keyboard.");
	expect(input_trouble_line(&typo, 1, 0, "config.yaml", false, NULL, out, sizeof(out)),
	       "The start button is not working: pin GPIO71 does not exist. Check the config file config.yaml. "
	       "Nothing else can start a session.");
	expect(input_trouble_line((const struct controls_problem[]){ typo, not_a_device }, 2,
				  CONTROLS_STARTER_KEYBOARD, "config.yaml", true, NULL, out, sizeof(out)),
	       "The start button is not working: pin GPIO71 does not exist. The pedal is not working: "
	       "/dev/null is not an input device. Check config.yaml on the card. You can start with the keyboard.");
	/* a pedal not plugged in is no typo: no config to check */
	expect(input_trouble_line(&unplugged, 1, 1u << INPUT_ROLE_START, "config.yaml", true, NULL, out,
				  sizeof(out)),
	       "The pedal is not plugged in. You can start with the start button.");
	expect(input_trouble_line(&typo, 1, 1u << INPUT_ROLE_PEDAL | CONTROLS_STARTER_KEYBOARD, "config.yaml",
				  true, de, out, sizeof(out)),
	       "Der Startknopf funktioniert nicht: Pin GPIO71 gibt es nicht. Prüf config.yaml auf der Karte. "
	       "Du kannst mit dem Pedal und der Tastatur starten.");
	expect(input_trouble_line(&unplugged, 1, 0, NULL, false, de, out, sizeof(out)),
	       "Das Pedal ist nicht eingesteckt. Sonst kann nichts ein Training starten.");
	expect(input_trouble_line(NULL, 0, CONTROLS_STARTER_KEYBOARD, "config.yaml", true, NULL, out, sizeof(out)),
	       "");
	/* whole sentences only */
	expect(input_trouble_line(&typo, 1, 0, "config.yaml", true, NULL, tiny, sizeof(tiny)),
	       "Check config.yaml on the card.");
	return check_done("input_trouble");
}
