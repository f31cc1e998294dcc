/* evdev_none.c - without libevdev: no real devices, no key names.  The
 * state machine (evdev.c) still builds and takes other sources. */
#include "input/evdev.h"

#include <errno.h>

int evdev_key_code(const char *name)
{
	(void)name;
	return -ENOTSUP;
}

int evdev_libevdev_source(const struct evdev_source_ops **ops, void **sctx)
{
	(void)ops;
	(void)sctx;
	return -ENOTSUP;
}
