/* test_registry.c - the one table of output backends (output/registry.c):
 * null always there, the default first, names unique and equal to their
 * ops' names, a backend missing from this build listed with its fix, and
 * the NULL-safe wrappers for the optional wait_for_device method. */
#include "output/output.h"

#include <errno.h>
#include <string.h>

#include "../lib/harness.h"

static void pull(void *ctx, float *out, size_t frames)
{
	(void)ctx;
	memset(out, 0, frames * sizeof(*out));
}

static void test_table(void)
{
	size_t n = 0;

	for (const struct output_backend *b; (b = output_backend_at(n)); n++) {
		CHECK(b->name && b->name[0], "entry %zu has a name", n);
		CHECK(b->description && b->description[0], "%s has a description", b->name);
		if (b->ops)
			CHECK(strcmp(b->ops->name, b->name) == 0, "%s: its ops say '%s'", b->name, b->ops->name);
		else
			CHECK(b->missing && b->missing[0], "%s is missing and says why", b->name);
		CHECK(output_backend_find(b->name) == b, "%s is found by its name (and only once)", b->name);
	}
	CHECK(n >= 2, "portaudio and null at least: %zu", n);
	CHECK(strcmp(output_backend_at(0)->name, "portaudio") == 0, "the default is the sound card");
	CHECK(output_backend_find("null") && output_backend_find("null")->ops == &output_null_ops,
	      "null is always present");
	CHECK(output_backend_find("bogus") == NULL, "unknown");
	CHECK(output_backend_find("NULL") == NULL, "names are exact");
	CHECK(output_backend_find("") == NULL && output_backend_find(NULL) == NULL, "empty");
}

static void test_names(void)
{
	char buf[64], tiny[8];
	int n = output_backend_names(buf, sizeof(buf));

	CHECK(strcmp(buf, "portaudio, null") == 0, "names: '%s'", buf);
	CHECK(n == (int)strlen(buf), "length %d", n);
	CHECK(output_backend_names(tiny, sizeof(tiny)) == n, "a short buffer: the full length");
	CHECK(strcmp(tiny, "portaud") == 0, "truncated, terminated: '%s'", tiny);
	CHECK(output_backend_names(NULL, 0) == n, "size 0");
}

static void test_optional_methods(void)
{
	const struct output_backend *null = output_backend_find("null");
	struct output_config cfg = { .pacing = OUTPUT_PACE_INSTANT, .null_frame_limit = 512 };
	struct output *out = NULL;
	char msg[OUTPUT_MSG_MAX] = "stale";

	CHECK(null->ops->wait_for_device == NULL, "null has no device to wait for");
	CHECK(output_wait_for_device(null->ops, &cfg, 3600 * 1000, msg, sizeof(msg)) == 0,
	      "so waiting for it returns at once");
	CHECK(msg[0] == '\0', "with no message: '%s'", msg);
	CHECK(output_open(null->ops, &cfg, pull, NULL, &out, msg, sizeof(msg)) == 0, "open null: %s", msg);
	CHECK(strcmp(output_name(out), "null") == 0, "its name");
	output_close(out);

	const struct output_backend *pa = output_backend_find("portaudio");
#ifdef REPCUE_HAVE_PORTAUDIO
	CHECK(pa->ops == &output_portaudio_ops, "built with PortAudio: present");
	CHECK(pa->ops->wait_for_device != NULL, "and it can wait for a device");
#else
	CHECK(pa->ops == NULL && strstr(pa->missing, "portaudio19-dev"), "missing, with the fix");
	CHECK(output_open(NULL, &cfg, pull, NULL, &out, msg, sizeof(msg)) == -ENOTSUP,
	      "the default cannot open");
	CHECK(strcmp(msg, pa->missing) == 0, "and says why: %s", msg);
	CHECK(output_wait_for_device(NULL, &cfg, 0, msg, sizeof(msg)) == -ENOTSUP, "nor wait");
	CHECK(strcmp(msg, pa->missing) == 0, "and says why: %s", msg);
#endif
}

int main(void)
{
	RUN_CASE(test_table, ());
	RUN_CASE(test_names, ());
	RUN_CASE(test_optional_methods, ());
	return check_done("output.registry");
}
