/* test_routine_check.c - `repcue check` as a user meets it: exit status,
 * the "ok" line on stdout and file:line:col problems on stderr. Calls
 * cmd_check() in-process with stdout and stderr sent to temporary files. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "cli/commands.h"

static char out[64 * 1024], err[64 * 1024];

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static struct repcue_env env;

/* Runs cmd_check(argc, argv, &env) and captures what it prints. */
static int run(int argc, char **argv)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	int saved_out = dup(1), saved_err = dup(2), status;

	if (!fo || !fe || saved_out < 0 || saved_err < 0) {
		perror("capture");
		exit(1); /* the test harness cannot work at all */
	}
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	status = cmd_check(argc, argv, &env);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	slurp(fo, out, sizeof(out));
	slurp(fe, err, sizeof(err));
	return status;
}

#define RUN(...) \
	run((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)), (char *[]){ __VA_ARGS__ })

int main(void)
{
	char r1[] = REPCUE_TEST_DATA_DIR "/routines/upper-back-1.yaml";
	char r2[] = REPCUE_TEST_DATA_DIR "/routines/upper-back-2.yaml";
	char r3[] = REPCUE_TEST_DATA_DIR "/routines/upper-back-3.yaml";
	char coach[] = REPCUE_TEST_DATA_DIR "/voices/coach.yaml";
	char calm[] = REPCUE_TEST_DATA_DIR "/voices/calm.yaml";
	char bad[] = ROUTINE_TEST_DIR "/bad/unknown-key-step.yaml";
	char tmpdir[] = "/tmp/repcue-check-XXXXXX", voicedir[64], badvoice[96];
	char missing[] = "/nonexistent/routine.yaml";
	char cmd[] = "check", dd[] = "--", h[] = "-h", help[] = "--help", x[] = "-x";
	char dirpath[] = ROUTINE_TEST_DIR "/bad", path[1024];
	struct dirent *de;
	DIR *d;
	int status, bad_files = 0;

	/* The check command looks for voices/ under repcue_data_dir() (session.c),
	 * which takes the environment's data directory first. */
	repcue_env_empty(&env);
	snprintf(env.data_dir, sizeof(env.data_dir), "%s", REPCUE_TEST_DATA_DIR);
	status = RUN(cmd, r1, r2, r3);
	CHECK(status == 0, "seed routines are valid: %d\n%s", status, err);
	CHECK(strstr(out, "upper-back-1.yaml: ok (8 steps, about 14 minutes)\n") != NULL,
	      "ok line: %s", out);
	CHECK(strstr(out, "upper-back-2.yaml: ok (") && strstr(out, "upper-back-3.yaml: ok ("),
	      "ok lines: %s", out);
	CHECK(err[0] == '\0', "nothing on stderr: %s", err);

	status = RUN(cmd, coach, calm);
	CHECK(status == 0 && strstr(out, "coach.yaml: ok (voice profile 'coach'"),
	      "voice profiles: %d %s %s", status, out, err);

	status = RUN(cmd, bad);
	CHECK(status == 1, "bad file: exit 1, got %d", status);
	CHECK(strstr(err, "unknown-key-step.yaml:10:5: error: unknown key 'tempoo' in step 'Band rows'\n"
		      "  hint: did you mean 'tempo'?\n") != NULL, "diag printed: %s", err);
	CHECK(out[0] == '\0', "no ok line for a bad file: %s", out);

	status = RUN(cmd, r1, bad, r2);
	CHECK(status == 1 && strstr(out, "upper-back-1.yaml: ok") && strstr(out, "upper-back-2.yaml: ok"),
	      "every file is checked: %d %s", status, out);

	/* Files in a directory named voices/ are voice profiles. */
	if (mkdtemp(tmpdir)) {
		FILE *f;

		snprintf(voicedir, sizeof(voicedir), "%s/voices", tmpdir);
		snprintf(badvoice, sizeof(badvoice), "%s/loud.yaml", voicedir);
		CHECK(mkdir(voicedir, 0700) == 0, "mkdir %s", voicedir);
		f = fopen(badvoice, "w");
		if (f) {
			fputs("repcue: 1\nname: loud\nlanguage: en-gb\nrate: 500\n", f);
			fclose(f);
		}
		status = RUN(cmd, badvoice);
		CHECK(status == 1 && strstr(err, "loud.yaml:4:7: error: 'rate' is 500"),
		      "bad voice profile: %d %s", status, err);
		unlink(badvoice);
		rmdir(voicedir);
		rmdir(tmpdir);
	}

	/* A file name is printed escaped, as every diagnostic is: a newline
	 * or an escape sequence in a name cannot forge a line or clear the
	 * terminal. */
	char oddtmp[] = "/tmp/repcue-check-XXXXXX", odd[128];
	if (mkdtemp(oddtmp)) {
		char text[64 * 1024];
		FILE *in = fopen(r1, "rb"), *o;
		size_t n = in ? fread(text, 1, sizeof(text), in) : 0;
		if (in)
			fclose(in);
		snprintf(odd, sizeof(odd), "%s/a\nb\x1b[2J.yaml", oddtmp);
		o = fopen(odd, "wb");
		if (o) {
			fwrite(text, 1, n, o);
			fclose(o);
		}
		status = RUN(cmd, odd);
		CHECK(status == 0 && strstr(out, "/a\\x0ab\\x1b[2J.yaml: ok (") && !strchr(out, '\x1b'),
		      "an odd name printed escaped: %d %s", status, out);
		unlink(odd);
		rmdir(oddtmp);
	}

	status = RUN(cmd, missing);
	CHECK(status == 1 && strstr(err, "/nonexistent/routine.yaml: error: cannot open: No such file"),
	      "missing file: %d %s", status, err);

	status = RUN(cmd, dirpath);
	CHECK(status == 1 && strstr(err, "not a regular file"), "directory: %d %s", status, err);

	status = RUN(cmd);
	CHECK(status == 2 && strstr(err, "repcue check: give the routine files") &&
	      strstr(err, "Try 'repcue check --help'.") && !strstr(err, "usage:"), "no files: %d %s", status, err);
	status = RUN(cmd, x, r1);
	CHECK(status == 2 && strstr(err, "unknown option '-x'"), "unknown option: %d %s", status, err);
	status = RUN(cmd, h);
	CHECK(status == 0 && strstr(out, "usage: repcue check"), "-h: %d %s", status, out);
	status = RUN(cmd, help);
	CHECK(status == 0 && strstr(out, "usage: repcue check"), "--help: %d", status);
	status = RUN(cmd, dd, r1);
	CHECK(status == 0, "'--' ends options: %d %s", status, err);

	d = opendir(dirpath);
	CHECK(d != NULL, "open %s", dirpath);
	while (d && (de = readdir(d))) {
		char *argv[2] = { cmd, path };

		if (!strstr(de->d_name, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirpath, de->d_name);
		status = run(2, argv);
		CHECK(status == 1, "%s: exit 1, got %d", de->d_name, status);
		CHECK(strstr(err, ": error: ") != NULL, "%s: a problem is printed", de->d_name);
		bad_files++;
	}
	if (d)
		closedir(d);
	CHECK(bad_files > 0, "corpus checked");
	return check_done("routine_check");
}
