/* card_copy.h - brings the files the coach writes for the person (its
 * card outbox) onto the SD card's folder, as root, and nothing else.
 *
 * Why a copier at all: the service runs as a dynamic user with the boot
 * partition read-only (systemd/repcue.service), and Raspberry Pi OS mounts
 * that FAT partition root-owned, so the coach cannot write the card; it
 * writes into its own state directory (`repcue play --card-out DIR`), and
 * repcue-card.path starts repcue-card.service, which runs this as root
 * when that folder changes.  Root code does one narrow thing: copies the
 * few names of card_files[] that changed, each a bounded plain file, into
 * a card folder that already exists, temp + fsync + rename + fsync of the
 * directory (util/out_file), never following a link on either side. */
#ifndef REPCUE_CARDCOPY_CARD_COPY_H
#define REPCUE_CARDCOPY_CARD_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The files the coach writes back, and the largest each may be: the only
 * names ever copied.  problems.txt is PROBLEMS_FILE_NAME (session/
 * problems_text.h) and history.csv HISTORY_CSV_NAME (history/history.h);
 * tests/cardcopy checks that they agree. */
struct card_file {
	const char *name;
	size_t max_bytes;
};
extern const struct card_file card_files[];
extern const size_t card_files_count;

/* The sheets of the routines (sheet/card_sheets.h): every plain file of
 * the outbox's sheets/ folder with a safe name (card_sheet_name_safe()),
 * each at most CARD_SHEET_BYTES_MAX, at most CARD_SHEETS_MAX of them, go
 * into <card>/repcue/sheets/ (made when missing), and a sheet there whose
 * file the outbox no longer has is removed. Nothing else in that folder
 * is touched. */
#define CARD_SHEETS_FOLDER "sheets"
#define CARD_SHEETS_MAX 128            /* the lobby offers at most 64 routines */
#define CARD_SHEET_FILE_MAX 96         /* bytes of NAME.pdf */
#define CARD_SHEET_BYTES_MAX (4u << 20) /* a sheet is tens of KB; a long routine a few pages */

/* Whether name is a sheet's file name the copier accepts: NAME.pdf, no
 * leading dot or space, no control character or any of \ / : * ? " < > |,
 * at most CARD_SHEET_FILE_MAX bytes. */
bool card_sheet_name_safe(const char *name);

/* Copies each of card_files[] that exists in from_dir and differs from its
 * copy in to_dir.  A missing from_dir is nothing to do (the coach has not
 * written yet); a missing to_dir is refused (it is the card's folder and
 * is never created: an unmounted card leaves only its empty mount point).
 * One line per file copied or refused goes to log.  Returns the number of
 * files that could not be copied (0: all done; the sheets too), or -errno when to_dir or
 * from_dir cannot be used at all. */
int card_copy(const char *from_dir, const char *to_dir, FILE *log);

#endif
