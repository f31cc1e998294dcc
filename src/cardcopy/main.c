/* repcue-card-copy - run by repcue-card.service (as root, when the coach's
 * card outbox changed): copies what the coach wrote for the person onto
 * the SD card's repcue folder.  See card_copy.h for why and how. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cardcopy/card_copy.h"

/* The card folder when none is given: <boot>/repcue, where <boot> is
 * /boot/firmware when it holds config.txt (Raspberry Pi OS bookworm and
 * trixie), else /boot: the rule of repcue play and the postinst. */
static const char *default_card_dir(void)
{
	return access("/boot/firmware/config.txt", F_OK) == 0 ? "/boot/firmware/repcue" : "/boot/repcue";
}

int main(int argc, char **argv)
{
	const char *to = argc == 3 ? argv[2] : default_card_dir();

	if (argc < 2 || argc > 3 || argv[1][0] != '/' || to[0] != '/') {
		fprintf(stderr, "usage: repcue-card-copy FROM_DIR [CARD_DIR]   (absolute paths)\n"
			"Copies %s", card_files[0].name);
		for (size_t i = 1; i < card_files_count; i++)
			fprintf(stderr, "%s%s", i + 1 < card_files_count ? ", " : " and ", card_files[i].name);
		fprintf(stderr, " from FROM_DIR into CARD_DIR (default %s) when they changed,\n"
			"and the routines' sheets, FROM_DIR/%s/NAME.pdf, into CARD_DIR/%s/.\n",
			default_card_dir(), CARD_SHEETS_FOLDER, CARD_SHEETS_FOLDER);
		return 2;
	}
	return card_copy(argv[1], to, stderr) == 0 ? 0 : 1;
}
