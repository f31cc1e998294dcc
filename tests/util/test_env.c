/* test_env - the environment read once (util/env.h) and mkdir_p
 * (util/out_file.h), issue 18 item 2:
 *   - the state directory: $REPCUE_STATE_DIR wins, then the first of
 *     $STATE_DIRECTORY, then $XDG_STATE_HOME/repcue, then
 *     $HOME/.local/state/repcue; a relative $XDG_STATE_HOME is ignored
 *     (the XDG spec); no HOME and nothing else: none;
 *   - the cache directory by the same rule, /var/cache/repcue last;
 *   - the boot directory: $REPCUE_BOOT_DIR, else /boot/firmware or /boot;
 *   - $REPCUE_CACHE_MAX_MB read strictly, $TMPDIR, $REPCUE_CONFIG;
 *   - $JOURNAL_STREAM: two numbers "DEVICE:INODE", else none;
 *   - an over-long value is an error naming the variable, never a cut path;
 *   - mkdir_p makes parents 0755 and the leaf with its mode, accepts an
 *     existing directory, refuses a file in the way.
 * Usage: test_env WORKDIR */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "util/env.h"
#include "util/out_file.h"

static const char *const vars[] = {
	"REPCUE_STATE_DIR", "STATE_DIRECTORY", "XDG_STATE_HOME", "HOME", "REPCUE_CACHE_DIR",
	"CACHE_DIRECTORY", "XDG_CACHE_HOME", "REPCUE_BOOT_DIR", "TMPDIR", "REPCUE_DATA_DIR",
	"REPCUE_CONFIG", "ALSA_CONFIG_PATH", "REPCUE_CACHE_MAX_MB", "REPCUE_TEST_CALL_TIMEOUT_MS",
	"JOURNAL_STREAM",
};

static void clear(void)
{
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

static struct repcue_env env;
static char msg[300];

static int read_env(void)
{
	return repcue_env_read(&env, msg, sizeof(msg));
}

/* A case: the variables set ("NAME=value", NULL-ended; the rest unset)
 * and the directories they give. */
struct dir_case {
	const char *set[5];
	const char *state, *cache;
};

static const struct dir_case dir_cases[] = {
	{ { NULL }, "", "/var/cache/repcue" },
	{ { "HOME=/x/home", NULL }, "/x/home/.local/state/repcue", "/x/home/.cache/repcue" },
	{ { "HOME=/x/home", "XDG_STATE_HOME=/x/xdg", "XDG_CACHE_HOME=/x/cache", NULL },
	  "/x/xdg/repcue", "/x/cache/repcue" },
	/* the XDG spec: a relative path is invalid and ignored */
	{ { "HOME=/x/home", "XDG_STATE_HOME=relative/xdg", "XDG_CACHE_HOME=cache", NULL },
	  "/x/home/.local/state/repcue", "/x/home/.cache/repcue" },
	{ { "HOME=/x/home", "XDG_STATE_HOME=", NULL }, "/x/home/.local/state/repcue", "/x/home/.cache/repcue" },
	{ { "XDG_STATE_HOME=relative/xdg", NULL }, "", "/var/cache/repcue" },  /* no HOME */
	{ { "HOME=relative", NULL }, "", "/var/cache/repcue" },
	{ { "HOME=/x/home", "XDG_STATE_HOME=/x/xdg", "STATE_DIRECTORY=/var/lib/repcue:/var/lib/other",
	    "CACHE_DIRECTORY=/var/cache/repcue:/var/cache/b", NULL },
	  "/var/lib/repcue", "/var/cache/repcue" },
	{ { "HOME=/x/home", "XDG_STATE_HOME=/x/xdg", "STATE_DIRECTORY=/var/lib/repcue", "REPCUE_STATE_DIR=/x/state",
	    NULL }, "/x/state", "/x/home/.cache/repcue" },
	{ { "REPCUE_STATE_DIR=/x/state", "XDG_STATE_HOME=relative", "REPCUE_CACHE_DIR=/x/mine",
	    "CACHE_DIRECTORY=/var/cache/repcue", NULL }, "/x/state", "/x/mine" },
};

static void set_all(const char *const *set)
{
	clear();
	for (; *set; set++) {
		char name[64];
		const char *eq = strchr(*set, '=');
		snprintf(name, sizeof(name), "%.*s", (int)(eq - *set), *set);
		setenv(name, eq + 1, 1);
	}
}

static void test_dirs(void)
{
	for (size_t i = 0; i < sizeof(dir_cases) / sizeof(dir_cases[0]); i++) {
		const struct dir_case *c = &dir_cases[i];
		set_all(c->set);
		CHECK(read_env() == 0, "case %zu: %s", i, msg);
		CHECK(strcmp(env.state_dir, c->state) == 0, "case %zu: state '%s', want '%s'", i, env.state_dir,
		      c->state);
		CHECK(strcmp(env.cache_dir, c->cache) == 0, "case %zu: cache '%s', want '%s'", i, env.cache_dir,
		      c->cache);
	}
}

static void test_values(void)
{
	clear();
	CHECK(read_env() == 0, "%s", msg);
	CHECK(env.cache_max_bytes == (uint64_t)ENV_CACHE_DEFAULT_MAX_MB << 20, "default bound");
	CHECK_STR(env.tmp_dir, "/tmp");
	CHECK_STR(env.config, "");
	CHECK_STR(env.data_dir, "");
	setenv("REPCUE_CACHE_MAX_MB", "1", 1);
	read_env();
	CHECK(env.cache_max_bytes == 1 << 20, "REPCUE_CACHE_MAX_MB=1");
	for (const char *bad = "0\0-1\0abc\0" "12x\0\0"; *bad || bad[1]; bad += strlen(bad) + 1) {
		setenv("REPCUE_CACHE_MAX_MB", bad, 1);
		read_env();
		CHECK(env.cache_max_bytes == (uint64_t)ENV_CACHE_DEFAULT_MAX_MB << 20, "'%s' gives the default", bad);
		if (!*bad)
			break;
	}
	setenv("TMPDIR", "/x/tmp", 1);
	setenv("REPCUE_CONFIG", "/x/config.yaml", 1);
	setenv("REPCUE_TEST_CALL_TIMEOUT_MS", "60000", 1);
	read_env();
	CHECK_STR(env.tmp_dir, "/x/tmp");
	CHECK_STR(env.config, "/x/config.yaml");
	CHECK_EQ_INT(env.call_timeout_ms, 60000);
	setenv("REPCUE_TEST_CALL_TIMEOUT_MS", "-5", 1);
	read_env();
	CHECK_EQ_INT(env.call_timeout_ms, 0);
	/* systemd.exec(5): "DEVICE:INODE" of the journal stream */
	CHECK(!env.journal_stream, "JOURNAL_STREAM unset");
	setenv("JOURNAL_STREAM", "8:123456", 1);
	read_env();
	CHECK(env.journal_stream && env.journal_dev == 8 && env.journal_ino == 123456, "JOURNAL_STREAM=8:123456");
	for (const char *bad = "8\0:5\0" "8:\0" "8:x\0-1:5\0" "8:5:6\0 8:5\0"; *bad; bad += strlen(bad) + 1) {
		setenv("JOURNAL_STREAM", bad, 1);
		read_env();
		CHECK(!env.journal_stream, "JOURNAL_STREAM='%s' is not a stream", bad);
	}
}

static void test_boot_dir(void)
{
	struct stat st;
	const char *want = stat("/boot/firmware/config.txt", &st) == 0 ? "/boot/firmware" : "/boot";

	clear();
	setenv("REPCUE_BOOT_DIR", "/media/card", 1);
	read_env();
	CHECK_STR(env.boot_dir, "/media/card");
	setenv("REPCUE_BOOT_DIR", "", 1);
	read_env();
	CHECK_STR(env.boot_dir, want);
	unsetenv("REPCUE_BOOT_DIR");
	read_env();
	CHECK_STR(env.boot_dir, want);
}

static void test_too_long(void)
{
	char *big = malloc(ENV_PATH_MAX + 10);

	REQUIRE(big);
	memset(big, 'a', ENV_PATH_MAX + 9);
	big[0] = '/';
	big[ENV_PATH_MAX + 9] = '\0';
	clear();
	setenv("HOME", "/x/home", 1);
	setenv("REPCUE_STATE_DIR", big, 1);
	CHECK(read_env() == -ENAMETOOLONG, "an over-long REPCUE_STATE_DIR is an error");
	CHECK(strstr(msg, "$REPCUE_STATE_DIR: the path is too long") != NULL, "the message names it: %s", msg);
	CHECK_STR(env.state_dir, "");
	unsetenv("REPCUE_STATE_DIR");
	/* HOME fits, HOME/.local/state/repcue does not */
	big[ENV_PATH_MAX - 10] = '\0';
	setenv("HOME", big, 1);
	CHECK(read_env() == -ENAMETOOLONG, "HOME too long for the state directory");
	CHECK(strstr(msg, "$HOME: the path is too long") != NULL, "%s", msg);
	CHECK(env.state_dir[0] == '\0' && strcmp(env.cache_dir, "/var/cache/repcue") == 0,
	      "nothing cut: state '%.20s', cache '%.20s'", env.state_dir, env.cache_dir);
	free(big);
}

static void test_mkdir_p(const char *work)
{
	char dir[600], file[700];
	struct stat st;
	mode_t old = umask(022);

	snprintf(dir, sizeof(dir), "%s/a/b//c/", work);
	CHECK(mkdir_p(dir, 0700) == 0, "make %s", dir);
	snprintf(dir, sizeof(dir), "%s/a/b/c", work);
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700,
	      "the leaf has the mode asked for: %o", (unsigned)(st.st_mode & 07777));
	snprintf(dir, sizeof(dir), "%s/a/b", work);
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 07777) == 0755, "a parent is 0755: %o",
	      (unsigned)(st.st_mode & 07777));
	snprintf(dir, sizeof(dir), "%s/a/b/c", work);
	CHECK(mkdir_p(dir, 0700) == 0, "an existing directory is fine");
	snprintf(file, sizeof(file), "%s/a/file", work);
	FILE *f = fopen(file, "w");
	if (f)
		fclose(f);
	CHECK(mkdir_p(file, 0755) == -ENOTDIR, "a file in the way");
	snprintf(dir, sizeof(dir), "%s/a/file/sub", work);
	CHECK(mkdir_p(dir, 0755) == -ENOTDIR, "a file as a parent");
	CHECK(mkdir_p("", 0755) == -ENOENT, "no name");
	umask(old);
}

/* What a build-tree binary finds beside it: this test's own folder, the
 * name appended; a name that does not fit is refused, never cut. */
static void test_beside_self(void)
{
	char exe[1024], beside[1024], want[1100];

	REQUIRE(env_self_exe(exe, sizeof(exe)) == 0, "the test's executable");
	CHECK(strstr(exe, "test_env") != NULL, "%s is this test", exe);
	*strrchr(exe, '/') = '\0';
	snprintf(want, sizeof(want), "%s/repcue-draw.so", exe);
	CHECK_EQ_INT(env_beside_self("repcue-draw.so", beside, sizeof(beside)), 0);
	CHECK_STR(beside, want);
	char small[16];
	CHECK_EQ_INT(env_beside_self("repcue-draw.so", small, sizeof(small)), -ENAMETOOLONG);
	char name[1100];
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	CHECK_EQ_INT(env_beside_self(name, beside, sizeof(beside)), -ENAMETOOLONG);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_env WORKDIR\n");
		return 2;
	}
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", argv[1], argv[1]);
	REQUIRE(system(cmd) == 0, "%s", cmd);
	RUN_CASE(test_dirs, ());
	RUN_CASE(test_values, ());
	RUN_CASE(test_boot_dir, ());
	RUN_CASE(test_too_long, ());
	RUN_CASE(test_beside_self, ());
	RUN_CASE(test_mkdir_p, (argv[1]));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", argv[1]);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", argv[1]);
	return check_done("test_env");
}
