/* env.c - the one place that reads the environment (env.h). */
#include "util/env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/path.h"

/* A variable's value, or NULL when unset or empty. */
static const char *var(const char *name)
{
	const char *v = getenv(name);
	return v && v[0] ? v : NULL;
}

/* Same, and only an absolute path (the XDG spec: a relative one is
 * invalid and ignored). */
static const char *abs_var(const char *name)
{
	const char *v = var(name);
	return v && v[0] == '/' ? v : NULL;
}

struct reader {
	char *msg;
	size_t msg_size;
	int ret;
};

/* Formats a path from `name`'s value; an over-long one is the error. */
static void put(struct reader *r, char *dst, const char *name, const char *fmt, const char *value, int len)
{
	if (path_format(dst, ENV_PATH_MAX, fmt, len, value) == 0)
		return;
	if (r->ret == 0 && r->msg_size)
		snprintf(r->msg, r->msg_size, "$%s: the path is too long (%d bytes; at most %d here): shorten it",
			 name, snprintf(NULL, 0, fmt, len, value), ENV_PATH_MAX - 1);
	r->ret = -ENAMETOOLONG;
}

static void boot_default(char *dst)
{
	struct stat st;
	snprintf(dst, ENV_PATH_MAX, "%s", stat("/boot/firmware/config.txt", &st) == 0 ? "/boot/firmware" : "/boot");
}

void repcue_env_empty(struct repcue_env *env)
{
	memset(env, 0, sizeof(*env));
	snprintf(env->cache_dir, sizeof(env->cache_dir), "/var/cache/repcue");
	boot_default(env->boot_dir);
	snprintf(env->tmp_dir, sizeof(env->tmp_dir), "/tmp");
	env->cache_max_bytes = (uint64_t)ENV_CACHE_DEFAULT_MAX_MB << 20;
}

static uint64_t cache_max_bytes(const char *v)
{
	char *end;

	if (v && v[0] != '-') {
		errno = 0;
		unsigned long long mb = strtoull(v, &end, 10);
		if (!*end && !errno && mb >= 1 && mb <= (UINT64_MAX >> 20))
			return (uint64_t)mb << 20;
	}
	return (uint64_t)ENV_CACHE_DEFAULT_MAX_MB << 20;
}

static unsigned call_timeout_ms(const char *v)
{
	char *end;

	if (!v)
		return 0;
	errno = 0;
	unsigned long ms = strtoul(v, &end, 10);
	return *end == '\0' && !errno && v[0] != '-' && ms > 0 && ms <= 600000 ? (unsigned)ms : 0;
}

int repcue_env_read(struct repcue_env *env, char *msg, size_t msg_size)
{
	struct reader r = { msg, msg_size, 0 };
	const char *v, *home = abs_var("HOME");

	repcue_env_empty(env);
	if (msg_size)
		msg[0] = '\0';

	if ((v = var("REPCUE_STATE_DIR")))
		put(&r, env->state_dir, "REPCUE_STATE_DIR", "%.*s", v, (int)strlen(v));
	else if ((v = var("STATE_DIRECTORY")))
		/* systemd may list several, separated by ':': ours is the first */
		put(&r, env->state_dir, "STATE_DIRECTORY", "%.*s", v, (int)strcspn(v, ":"));
	else if ((v = abs_var("XDG_STATE_HOME")))
		put(&r, env->state_dir, "XDG_STATE_HOME", "%.*s/repcue", v, (int)strlen(v));
	else if (home)
		put(&r, env->state_dir, "HOME", "%.*s/.local/state/repcue", home, (int)strlen(home));

	if ((v = var("REPCUE_CACHE_DIR")))
		put(&r, env->cache_dir, "REPCUE_CACHE_DIR", "%.*s", v, (int)strlen(v));
	else if ((v = var("CACHE_DIRECTORY")))
		put(&r, env->cache_dir, "CACHE_DIRECTORY", "%.*s", v, (int)strcspn(v, ":"));
	else if ((v = abs_var("XDG_CACHE_HOME")))
		put(&r, env->cache_dir, "XDG_CACHE_HOME", "%.*s/repcue", v, (int)strlen(v));
	else if (home)
		put(&r, env->cache_dir, "HOME", "%.*s/.cache/repcue", home, (int)strlen(home));
	if (!env->cache_dir[0])
		snprintf(env->cache_dir, sizeof(env->cache_dir), "/var/cache/repcue");

	if ((v = var("REPCUE_BOOT_DIR")))
		put(&r, env->boot_dir, "REPCUE_BOOT_DIR", "%.*s", v, (int)strlen(v));
	if (!env->boot_dir[0])
		boot_default(env->boot_dir);
	if ((v = var("TMPDIR")))
		put(&r, env->tmp_dir, "TMPDIR", "%.*s", v, (int)strlen(v));
	if (!env->tmp_dir[0])
		snprintf(env->tmp_dir, sizeof(env->tmp_dir), "/tmp");
	if ((v = var("REPCUE_DATA_DIR")))
		put(&r, env->data_dir, "REPCUE_DATA_DIR", "%.*s", v, (int)strlen(v));
	if ((v = var("REPCUE_CONFIG")))
		put(&r, env->config, "REPCUE_CONFIG", "%.*s", v, (int)strlen(v));
	if ((v = var("ALSA_CONFIG_PATH")))
		put(&r, env->alsa_config, "ALSA_CONFIG_PATH", "%.*s", v, (int)strlen(v));

	env->cache_max_bytes = cache_max_bytes(var("REPCUE_CACHE_MAX_MB"));
	env->call_timeout_ms = call_timeout_ms(var("REPCUE_TEST_CALL_TIMEOUT_MS"));
	return r.ret;
}
