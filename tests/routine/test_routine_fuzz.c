/* test_routine_fuzz.c - bounded mutation fuzzing of the loaders: the seed
 * routines and voice profiles, mutated with byte flips, truncations,
 * deletions and insertions of YAML-significant tokens (fixed seed, so a
 * failure is reproducible by its case number). Every case must return 0
 * or -EINVAL without crashing (run it under ASan/UBSan and valgrind), and
 * every problem must carry a position, a hint and printable text. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/harness.h"
#include "core/plan.h"
#include "routine/routine_load.h"
#include "util/utf8.h"

#define BUF_MAX (64 * 1024)

static const char *const seeds[] = {
	"routines/upper-back-1.yaml", "routines/upper-back-2.yaml",
	"routines/upper-back-3.yaml", "voices/coach.yaml",
};
#define N_SEEDS (sizeof(seeds) / sizeof(seeds[0]))

static const char *const tokens[] = {
	"{", "}", "[", "]", ": ", "- ", "&a ", "*a", "!!int ", "\t", "\n", "'", "\"",
	"\\x07", "\\0", "{rep", "{repz}", "}", "# ", "999999999999999999999", "-1",
	"\xff", "\xc3", "\xe2\x80", "%YAML 1.1\n", "---\n", "...\n", "? ", "|\n", ">-\n",
	"open", "hold", "timed", "2-1-2-0", "0-0-0-0", "at_rep: 99", "every: 0",
	"at_second: 600", "sides: alternate", "    ", "\r\n", "\xef\xbb\xbf", "~", "null",
	"[[[[[[[[[[[[[[[[[[[[", "{a: {b: {c: {d: {e: {f: {g: {h: {i: 1}}}}}}}}}",
};
#define N_TOKENS (sizeof(tokens) / sizeof(tokens[0]))

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
	/* xorshift64*: small, fast and the same everywhere. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static size_t mutate(char *buf, size_t len)
{
	int rounds = 1 + (int)(rng() % 4);

	for (int r = 0; r < rounds; r++) {
		size_t at = len ? rng() % len : 0;

		switch (rng() % 5) {
		case 0: /* flip a byte to anything */
			if (len)
				buf[at] = (char)(rng() & 0xff);
			break;
		case 1: /* truncate */
			len = at;
			break;
		case 2: { /* delete a run */
			size_t n = 1 + rng() % 16;

			if (at + n > len)
				n = len - at;
			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
			break;
		}
		default: { /* insert a token */
			const char *t = tokens[rng() % N_TOKENS];
			size_t n = strlen(t);

			if (len + n > BUF_MAX)
				break;
			memmove(buf + at + n, buf + at, len - at);
			memcpy(buf + at, t, n);
			len += n;
			break;
		}
		}
	}
	return len;
}

static char *read_seed(const char *dir, const char *name, size_t *len)
{
	char path[512];
	char *buf = malloc(BUF_MAX);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!buf || !f) {
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, BUF_MAX, f);
	fclose(f);
	return buf;
}

static struct routine routine;
static struct diag_list diags;

int main(int argc, char **argv)
{
	char *seed[N_SEEDS], *buf = malloc(BUF_MAX);
	size_t seed_len[N_SEEDS];
	long cases = argc > 2 ? atol(argv[2]) : 20000;
	long valid = 0, invalid = 0;

	if (argc < 2 || !buf) {
		fprintf(stderr, "usage: %s SOURCE_DIR [CASES]\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < N_SEEDS; i++) {
		seed[i] = read_seed(argv[1], seeds[i], &seed_len[i]);
		CHECK(seed[i] != NULL, "read %s", seeds[i]);
		if (!seed[i])
			return check_done("routine_fuzz");
	}
	for (long c = 0; c < cases; c++) {
		size_t s = rng() % N_SEEDS, len;
		struct voice_profile vp;
		int ret;
		bool ok_case = true;

		memcpy(buf, seed[s], seed_len[s]);
		len = mutate(buf, seed_len[s]);
		if (s == N_SEEDS - 1)
			ret = voice_profile_parse("fuzz.yaml", buf, len, &vp, &diags);
		else
			ret = routine_parse("fuzz.yaml", buf, len, &routine, &diags);
		ok_case &= ret == 0 || ret == -EINVAL;
		ok_case &= (ret == 0) == (diags.count == 0 && diags.dropped == 0);
		for (int i = 0; i < diags.count; i++) {
			const struct diag *d = &diags.items[i];

			ok_case &= d->line >= 1 && d->col >= 1 && d->message[0] && d->hint[0];
			ok_case &= utf8_first_bad(d->message, strlen(d->message)) == 0 &&
				   utf8_first_bad(d->hint, strlen(d->hint)) == 0;
		}
		if (ret == 0 && s != N_SEEDS - 1)
			ok_case &= routine.n_steps >= 1 && routine.n_steps <= ROUTINE_STEPS_MAX &&
				   plan_routine_expected_s(&routine) > 0;
		CHECK(ok_case, "case %ld (seed %s): ret %d, %d diags%s%s", c, seeds[s], ret,
		      diags.count, diags.count ? ", first: " : "",
		      diags.count ? diags.items[0].message : "");
		if (ret == 0)
			valid++;
		else
			invalid++;
	}
	printf("routine_fuzz: %ld cases, %ld still valid, %ld with problems\n", cases, valid, invalid);
	for (size_t i = 0; i < N_SEEDS; i++)
		free(seed[i]);
	free(buf);
	return check_done("routine_fuzz");
}
