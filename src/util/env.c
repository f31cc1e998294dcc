/* env.c - the one place that reads the environment (env.h). */
#include "util/env.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* One step of a directory rule: a variable, and what follows its value. */
struct rule {
	const char *var;
	const char *suffix;    /* "/repcue"... */
	bool absolute;         /* only an absolute path counts (XDG, HOME) */
	bool first;            /* a ':'-separated list (systemd): its first */
};

static const struct rule state_rule[] = {
	{ "REPCUE_STATE_DIR", "", false, false },
	{ "STATE_DIRECTORY", "", false, true },
	{ "XDG_STATE_HOME", "/repcue", true, false },
	{ "HOME", "/.local/state/repcue", true, false },
	{ NULL, NULL, false, false },
};

static const struct rule cache_rule[] = {
	{ "REPCUE_CACHE_DIR", "", false, false },
	{ "CACHE_DIRECTORY", "", false, true },
	{ "XDG_CACHE_HOME", "/repcue", true, false },
	{ "HOME", "/.cache/repcue", true, false },
	{ NULL, NULL, false, false },
};

/* dst from the first variable of the rule that is set, and which step
 * that was (NULL: none); an over-long path is the error (dst then ""),
 * never a cut one. */
static const struct rule *first_of(struct reader *r, char *dst, const struct rule *rule)
{
	for (; rule->var; rule++) {
		const char *v = rule->absolute ? abs_var(rule->var) : var(rule->var);
		if (!v)
			continue;
		int len = (int)(rule->first ? strcspn(v, ":") : strlen(v));
		if (path_format(dst, ENV_PATH_MAX, "%.*s%s", len, v, rule->suffix) == 0)
			return rule;
		if (r->ret == 0 && r->msg_size)
			snprintf(r->msg, r->msg_size,
				 "$%s: the path is too long (%zu bytes; at most %d here): shorten it", rule->var,
				 (size_t)len + strlen(rule->suffix), ENV_PATH_MAX - 1);
		r->ret = -ENAMETOOLONG;
		return NULL;
	}
	return NULL;
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

/* "DEVICE:INODE", two decimal numbers, else false */
static bool journal_stream(const char *v, uint64_t *dev, uint64_t *ino)
{
	char *end;

	if (!v || !(*v >= '0' && *v <= '9'))
		return false;
	errno = 0;
	*dev = strtoull(v, &end, 10);
	if (errno || *end != ':' || !(end[1] >= '0' && end[1] <= '9'))
		return false;
	*ino = strtoull(end + 1, &end, 10);
	return !errno && *end == '\0';
}

int repcue_env_read(struct repcue_env *env, char *msg, size_t msg_size)
{
	struct reader r = { msg, msg_size, 0 };
	const struct {
		char *dst;
		const char *var;
	} plain[] = {
		{ env->boot_dir, "REPCUE_BOOT_DIR" }, { env->tmp_dir, "TMPDIR" },
		{ env->data_dir, "REPCUE_DATA_DIR" }, { env->config, "REPCUE_CONFIG" },
		{ env->alsa_config, "ALSA_CONFIG_PATH" },
	};

	repcue_env_empty(env);
	if (msg_size)
		msg[0] = '\0';
	const struct rule *state = first_of(&r, env->state_dir, state_rule);
	/* XDG_STATE_HOME and HOME are the only steps that take absolute paths */
	env->state_dir_personal = state && state->absolute;
	first_of(&r, env->cache_dir, cache_rule);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		first_of(&r, plain[i].dst, (const struct rule[]){ { plain[i].var, "", false, false }, { 0 } });
	/* what an unset (or over-long) variable leaves: the defaults */
	if (!env->cache_dir[0])
		snprintf(env->cache_dir, sizeof(env->cache_dir), "/var/cache/repcue");
	if (!env->boot_dir[0])
		boot_default(env->boot_dir);
	if (!env->tmp_dir[0])
		snprintf(env->tmp_dir, sizeof(env->tmp_dir), "/tmp");
	env->cache_max_bytes = cache_max_bytes(var("REPCUE_CACHE_MAX_MB"));
	env->call_timeout_ms = call_timeout_ms(var("REPCUE_TEST_CALL_TIMEOUT_MS"));
	env->journal_stream = journal_stream(var("JOURNAL_STREAM"), &env->journal_dev, &env->journal_ino);
	return r.ret;
}

int env_self_exe(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size);

	if (n < 0)
		return -errno;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

int env_beside_self(const char *name, char *buf, size_t size)
{
	int r = env_self_exe(buf, size);
	if (r < 0)
		return r;
	char *slash = strrchr(buf, '/');
	if (!slash)
		return -ENOENT;
	return path_format(slash + 1, size - (size_t)(slash + 1 - buf), "%s", name);
}
