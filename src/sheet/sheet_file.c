/* sheet_file.c - see sheet_file.h. */
#include "sheet/sheet_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history/history_logic.h"
#include "util/out_file.h"

int64_t report_local_monday(int64_t week)
{
	time_t day = (time_t)(history_week_monday(week) * 86400);
	struct tm tm;
	if (!gmtime_r(&day, &tm))
		return 0;
	tm.tm_isdst = -1;   /* mktime: the offset of that day, summer or winter time */
	time_t t = mktime(&tm);
	return t == (time_t)-1 ? (int64_t)day : (int64_t)t;
}

/* The sessions of the report, oldest first. */
struct collected {
	struct history_session *s; /* owned */
	int n, cap;
};

static int collect(void *ctx, const struct history_session *s)
{
	struct collected *c = ctx;

	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 64;
		void *more = realloc(c->s, (size_t)cap * sizeof(*c->s));
		if (!more)
			return -ENOMEM;
		c->s = more;
		c->cap = cap;
	}
	c->s[c->n++] = *s;
	return 0;
}

int report_write_file(struct history *h, const struct report_options *opts, const char *path,
		      enum sheet_format format, int *ret_pages, int *ret_sessions, char *msg, size_t msg_size)
{
	struct collected sessions = { 0 };
	struct sheet sheet = { 0 };
	struct sheet_measure measure = { 0 };
	struct out_file out;
	/* the periods shown and the 12 weeks of the oldest one's calendar */
	int64_t first = history_week(opts->now_s, opts->utc_offset_s) -
			(int64_t)REPORT_PERIODS_MAX * opts->weeks - REPORT_CALENDAR_WEEKS;
	/* from 1970 at the earliest: a 32-bit time_t cannot go further back */
	int r = history_each(h, history_week_monday(first) < 7 ? 0 : report_local_monday(first), collect, &sessions);

	if (r < 0) {
		snprintf(msg, msg_size, "cannot read %s: %s", history_db_path(h), strerror(-r));
		free(sessions.s);
		return r;
	}
	r = sheet_measurer_open(&measure, msg, msg_size);
	if (r == 0) {
		r = report_layout(&sheet, sessions.s, sessions.n, opts, &measure);
		if (r < 0)
			snprintf(msg, msg_size, "cannot lay out the report: %s", strerror(-r));
	}
	free(sessions.s);
	if (r < 0) {
		sheet_measurer_close(&measure);
		return r;
	}
	r = out_file_open(&out, path, msg, msg_size);
	if (r == 0) {
		char why[300];
		r = sheet_cairo_write(&sheet, &measure, format, "repcue \xe2\x80\x93 exercise report", out.fd, why,
				      sizeof(why));
		if (r < 0) {
			snprintf(msg, msg_size, "%s: %s", path, why);
			out_file_abandon(&out);
		} else {
			r = out_file_commit(&out, msg, msg_size);
		}
	}
	if (ret_pages)
		*ret_pages = sheet.n_pages;
	if (ret_sessions)
		*ret_sessions = sessions.n;
	sheet_finish(&sheet);
	sheet_measurer_close(&measure);
	return r < 0 ? r : 0;
}

int sheet_write_file(const struct routine *r, const struct phrasebook *book, enum sheet_paper paper,
		     const char *path, enum sheet_format format, int *ret_pages, int *ret_minutes, char *msg,
		     size_t msg_size)
{
	struct plan plan;
	struct sheet sheet = { 0 };
	struct sheet_measure measure = { 0 };
	struct out_file out;
	int ret;

	ret = plan_build_in(&plan, r, book);
	if (ret < 0) {
		snprintf(msg, msg_size, "cannot plan the session: %s", strerror(-ret));
		return ret;
	}
	ret = sheet_measurer_open(&measure, msg, msg_size);
	if (ret == 0) {
		ret = sheet_layout(&sheet, r, &plan, book, paper, &measure);
		if (ret < 0)
			snprintf(msg, msg_size, "cannot lay out the sheet: %s", strerror(-ret));
	}
	plan_finish(&plan);
	if (ret < 0) {
		sheet_measurer_close(&measure);
		return ret;
	}
	ret = out_file_open(&out, path, msg, msg_size);
	if (ret == 0) {
		char why[300];
		ret = sheet_cairo_write(&sheet, &measure, format, r->name, out.fd, why, sizeof(why));
		if (ret < 0) {
			snprintf(msg, msg_size, "%s: %s", path, why);
			out_file_abandon(&out);
		} else {
			ret = out_file_commit(&out, msg, msg_size);
		}
	}
	if (ret_pages)
		*ret_pages = sheet.n_pages;
	if (ret_minutes)
		*ret_minutes = sheet.total_minutes;
	sheet_finish(&sheet);
	sheet_measurer_close(&measure);
	return ret < 0 ? ret : 0;
}

/* Draws a laid-out sheet to path through util/out_file. */
static int draw_to(const struct sheet *sheet, const struct sheet_measure *measure, enum sheet_format format,
		   const char *title, const char *path, char *msg, size_t msg_size)
{
	struct out_file out;
	int ret = out_file_open(&out, path, msg, msg_size);

	if (ret < 0)
		return ret;
	char why[300];
	ret = sheet_cairo_write(sheet, measure, format, title, out.fd, why, sizeof(why));
	if (ret < 0) {
		snprintf(msg, msg_size, "%s: %s", path, why);
		out_file_abandon(&out);
		return ret;
	}
	return out_file_commit(&out, msg, msg_size);
}

int timeline_write_file(const struct plan *plan, const struct routine *routine, const struct seq_log_entry *log,
			int n, frames_t end, const char *path, enum sheet_format format, double *ret_width,
			char *msg, size_t msg_size)
{
	struct sheet sheet = { 0 };
	struct sheet_measure measure = { 0 };
	int ret = sheet_measurer_open(&measure, msg, msg_size);

	if (ret == 0) {
		ret = timeline_layout(&sheet, plan, routine, log, n, end,
				      format == SHEET_PNG ? TIMELINE_PNG_MAX_W : TIMELINE_SVG_MAX_W, &measure, NULL);
		if (ret < 0)
			snprintf(msg, msg_size, "cannot lay out the timeline: %s", strerror(-ret));
	}
	if (ret < 0) {
		sheet_measurer_close(&measure);
		return ret;
	}
	ret = draw_to(&sheet, &measure, format, routine->name, path, msg, msg_size);
	if (ret_width)
		*ret_width = sheet.page_w;
	sheet_finish(&sheet);
	sheet_measurer_close(&measure);
	return ret < 0 ? ret : 0;
}
