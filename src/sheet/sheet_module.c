/* sheet_module.c - the drawing module (repcue-draw.so, sheet_cairo.c)
 * loaded the first time a command measures or draws, so that cairo and
 * pango are in the memory of the processes that draw and of no other
 * (sheet_cairo.h). Where it is looked for: next to the executable (the
 * build tree: CMake writes it beside src/repcue; an installed repcue has
 * none beside it in /usr/bin), then where install() put it. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sheet/sheet_cairo.h"
#include "util/env.h"

#ifndef REPCUE_PKGLIBDIR
#define REPCUE_PKGLIBDIR "/usr/lib/repcue"
#endif

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const struct sheet_cairo_module *module;   /* set once, never unloaded */
static char load_error[1200];   /* a path of up to 1024 bytes and words */

static void load(void)
{
	char beside[1024];
	const char *path = REPCUE_PKGLIBDIR "/" SHEET_CAIRO_MODULE_FILE;

	if (env_beside_self(SHEET_CAIRO_MODULE_FILE, beside, sizeof(beside)) == 0 && access(beside, F_OK) == 0)
		path = beside;
	/* RTLD_NOW: a symbol missing is said here, not at the first page */
	void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		snprintf(load_error, sizeof(load_error), "cannot load the drawing module: %s", dlerror());
		return;
	}
	const struct sheet_cairo_module *m = dlsym(handle, SHEET_CAIRO_MODULE_SYMBOL);
	if (!m || m->version != SHEET_CAIRO_MODULE_VERSION) {
		snprintf(load_error, sizeof(load_error), "%s is not the drawing module of this repcue: reinstall repcue",
			 path);
		dlclose(handle);
		return;
	}
	module = m;
}

int sheet_format_of(const char *path)
{
	static const struct { const char *ext; enum sheet_format format; } formats[] = {
		{ ".pdf", SHEET_PDF }, { ".svg", SHEET_SVG }, { ".png", SHEET_PNG },
	};
	size_t len = strlen(path);

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (len > 4 && strcasecmp(path + len - 4, formats[i].ext) == 0)
			return (int)formats[i].format;
	return -1;
}

int sheet_measurer_open(struct sheet_measure *ret_measure, char *msg, size_t msg_size)
{
	pthread_once(&load_once, load);
	if (!module) {
		snprintf(msg, msg_size, "%s", load_error);
		return -ENOENT;
	}
	int r = module->measurer_open(ret_measure);
	if (r < 0)
		snprintf(msg, msg_size, "cannot set up the fonts: %s", strerror(-r));
	return r;
}

void sheet_measurer_close(struct sheet_measure *measure)
{
	/* a measure is only ever opened through a loaded module */
	if (module)
		module->measurer_close(measure);
}

int sheet_cairo_write(const struct sheet *sheet, const struct sheet_measure *measure, enum sheet_format format,
		      const char *title, int fd, char *msg, size_t msg_size)
{
	if (!module) {
		snprintf(msg, msg_size, "no measurer opened: %s", load_error);
		return -ENOENT;
	}
	return module->write(sheet, measure, format, title, fd, msg, msg_size);
}
