/* sheet_layout.h - a printable sheet of one routine, laid out as data.
 *
 * A routine and its plan go in; a list of boxes and single lines of text,
 * in points from the top left of numbered pages, comes out. Pure: no I/O,
 * no cairo, no clock. Text is measured through struct sheet_measure, so
 * the layout itself breaks every line, wraps or ends it with "…", and
 * knows that nothing leaves the page; the adapter (sheet_cairo.c) only
 * draws what it is given, and the unit tests measure with a fixed width.
 * Every word on the sheet is the routine's or the phrasebook's.
 */
#ifndef REPCUE_SHEET_SHEET_LAYOUT_H
#define REPCUE_SHEET_SHEET_LAYOUT_H

#include <stddef.h>

#include "core/plan.h"
#include "core/routine.h"
#include "phrase/phrase.h"

enum sheet_paper {
	SHEET_A4,      /* 210 x 297 mm, the default */
	SHEET_LETTER,  /* US Letter, 8.5 x 11 in */
};

enum sheet_font {
	SHEET_REGULAR,
	SHEET_BOLD,
};

/* What a box is filled with or a line of text is written in; the adapter
 * picks the colours. */
enum sheet_colour {
	SHEET_INK,      /* text */
	SHEET_MUTED,    /* secondary text, the scale */
	SHEET_RULE,     /* thin lines */
	SHEET_HEAD,     /* the table's header row */
	SHEET_PAPER,    /* an unfilled row */
	SHEET_ZEBRA,    /* every other row */
	SHEET_NOTICE,   /* behind the safety line */
	SHEET_WORK_A,   /* work segments of odd exercises */
	SHEET_WORK_B,   /* ... of even ones */
	SHEET_BREAK,    /* rests */
	SHEET_TALK,     /* announcements and countdowns */
	SHEET_ON_DARK,  /* text on a work segment */
	SHEET_MARK,       /* the report: a session that counts, a bar of them */
	SHEET_MARK_LIGHT, /* the report: a session that does not count */
	/* the timeline of a render (timeline_layout.h): a spoken line by its
	 * priority (enum speech_priority, in its order), beeps, presses,
	 * waits for a line being made, lines dropped */
	SHEET_PRIO_CHATTER,
	SHEET_PRIO_FORM,
	SHEET_PRIO_TEMPO,
	SHEET_PRIO_COUNTDOWN,
	SHEET_PRIO_CONTROL,
	SHEET_BEEP,
	SHEET_PRESS,
	SHEET_WAIT,
	SHEET_DROP,
};

enum sheet_item_kind {
	SHEET_BOX,   /* a filled rectangle */
	SHEET_TEXT,  /* one line of text: (x, y) its top left, w its measured
	              * width, h its line height */
};

/* What an item stands for, for the tests (and nothing else). */
enum sheet_role {
	SHEET_ROLE_NONE,
	SHEET_ROLE_ROW,      /* the box of an exercise's row; .index = the step */
	SHEET_ROLE_BAR,      /* the whole timeline */
	SHEET_ROLE_SEGMENT,  /* a plan segment on it; .index = the segment */
	SHEET_ROLE_NAME,     /* a line of an exercise's name; .index = the step */
	SHEET_ROLE_TOTAL,    /* the total time */
	/* the report (report_layout.h); .index = a date as days since 1970-01-01 */
	SHEET_ROLE_WEEK_SESSIONS, /* a week's sessions, as text; .index = its Monday */
	SHEET_ROLE_WEEK_COUNTED,  /* a week's sessions that count, as text; .index = its Monday */
	SHEET_ROLE_DAY,           /* a day's cell of the calendar; .index = the day */
	SHEET_ROLE_DAY_MARK,      /* a mark on it: SHEET_MARK counts, SHEET_MARK_LIGHT not */
	SHEET_ROLE_ROUTINE_ROW,   /* the box of a routine's row; .index = its week's Monday */
	/* the timeline (timeline_layout.h); .index = the event's place in the log */
	SHEET_ROLE_TL_SEGMENT,    /* a segment as it ran, from its start to the next */
	SHEET_ROLE_TL_SAY,        /* the mark of a spoken line */
	SHEET_ROLE_TL_CUT,        /* a line cut short or stopped by a press */
	SHEET_ROLE_TL_WAIT,       /* the session waiting for a line being made */
	SHEET_ROLE_TL_DROP,       /* a line never said */
	SHEET_ROLE_TL_BEEP,
	SHEET_ROLE_TL_PRESS,
	SHEET_ROLE_TL_END,        /* the end of the session */
};

struct sheet_item {
	enum sheet_item_kind kind;
	enum sheet_role role;
	int index;                 /* see enum sheet_role; -1 otherwise */
	int page;                  /* 0-based */
	double x, y, w, h;         /* points from the page's top left */
	enum sheet_colour colour;
	enum sheet_font font;      /* SHEET_TEXT */
	double size;               /* SHEET_TEXT: the font size in points */
	char *text;                /* owned; SHEET_TEXT: one line of UTF-8, else NULL */
};

/* The width in points of text[0..len) set in `font` at size_pt: the one
 * question the layout asks about text. Never negative. */
struct sheet_measure {
	double (*width)(void *ctx, enum sheet_font font, double size_pt, const char *text, size_t len);
	void *ctx;  /* borrowed */
};

struct sheet {
	double page_w, page_h;    /* points */
	double margin;            /* the printable area is the page less this on every side */
	int n_pages;
	struct sheet_item *items; /* owned, n_items of them, in drawing order */
	int n_items;
	int cap_items;
	frames_t total_frames;    /* the session's expected length (plan_expected_frames) */
	int total_minutes;        /* as printed, rounded as `repcue check` does */
	char *description;        /* owned; what an SVG says of itself in its <desc>
	                           * (cairo draws text as outlines, which no search
	                           * or screen reader can read); NULL = none */
};

/* Lays out the sheet of `routine` (valid, as routine_load returns it)
 * from `plan` (plan_build_in of the same routine in `book`: NULL is
 * English) on `paper`, measuring text with `measure`. Everything borrowed.
 * Returns 0, or -ENOMEM; on success the caller owns *sheet and releases
 * it with sheet_finish(). */
int sheet_layout(struct sheet *sheet, const struct routine *routine, const struct plan *plan,
		 const struct phrasebook *book, enum sheet_paper paper,
		 const struct sheet_measure *measure);

/* Releases what sheet_layout allocated; accepts a zeroed or finished sheet. */
void sheet_finish(struct sheet *sheet);

#endif
