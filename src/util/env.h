/* env.h - the process environment, read once in main() and passed down.
 *
 * Only env.c reads the environment. main() fills one struct repcue_env before any
 * command runs; commands hand it (or the fields they need) to the modules,
 * which never read the environment themselves. Every directory rule lives
 * here, once:
 *
 *   state  $REPCUE_STATE_DIR, else the first of $STATE_DIRECTORY (systemd
 *          StateDirectory=, ':'-separated), else $XDG_STATE_HOME/repcue,
 *          else $HOME/.local/state/repcue; none when all are unset. As the
 *          XDG spec says, a relative $XDG_STATE_HOME (or $XDG_CACHE_HOME,
 *          or $HOME) is invalid and ignored.
 *   cache  $REPCUE_CACHE_DIR, else the first of $CACHE_DIRECTORY, else
 *          $XDG_CACHE_HOME/repcue, else $HOME/.cache/repcue, else
 *          /var/cache/repcue
 *   boot   $REPCUE_BOOT_DIR, else /boot/firmware if it holds config.txt,
 *          else /boot
 *
 * An over-long value is an error naming the variable, never a cut path. */
#ifndef REPCUE_UTIL_ENV_H
#define REPCUE_UTIL_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENV_PATH_MAX 1024
/* 256 MB: about 45 minutes of speech, a small share of an SD card. */
#define ENV_CACHE_DEFAULT_MAX_MB 256

struct repcue_env {
	char state_dir[ENV_PATH_MAX];  /* the history and play's fallback WAV; "" none */
	bool state_dir_personal;       /* state_dir is the user's own ($XDG_STATE_HOME or
	                                * $HOME), not one named for repcue or by systemd */
	char cache_dir[ENV_PATH_MAX];  /* the speech cache */
	char boot_dir[ENV_PATH_MAX];   /* the card's boot partition */
	char tmp_dir[ENV_PATH_MAX];    /* $TMPDIR, else /tmp */
	char data_dir[ENV_PATH_MAX];   /* $REPCUE_DATA_DIR; "" = where the binary says */
	char config[ENV_PATH_MAX];     /* $REPCUE_CONFIG; "" none */
	char alsa_config[ENV_PATH_MAX]; /* $ALSA_CONFIG_PATH (only for messages; ALSA reads it) */
	uint64_t cache_max_bytes;      /* $REPCUE_CACHE_MAX_MB (whole MB, >= 1), else the default */
	unsigned call_timeout_ms;      /* $REPCUE_TEST_CALL_TIMEOUT_MS (1..600000), else 0 */
	/* $JOURNAL_STREAM ("DEVICE:INODE", systemd.exec(5)): the stream a
	 * service's stderr was connected to, the journal; journal_stream
	 * false when unset or not two numbers. A child may inherit the
	 * variable with another stderr: compare with fstat() of fd 2. */
	bool journal_stream;
	uint64_t journal_dev, journal_ino;
};

/* Fills *env from the process environment by the rules above. 0, or
 * -ENAMETOOLONG with a message naming the variable in msg (env then holds
 * the defaults for that field, never a cut path). */
int repcue_env_read(struct repcue_env *env, char *msg, size_t msg_size);

/* An environment with nothing set (for tests and tools): every rule's
 * last default, state_dir "". */
void repcue_env_empty(struct repcue_env *env);

/* The path of the running executable (/proc/self/exe) into buf: 0, or
 * -errno (-ENAMETOOLONG when it does not fit). */
int env_self_exe(char *buf, size_t size);

/* The path of the file `name` in the running executable's folder (what a
 * build-tree binary finds beside it: repcue-data-dir.txt, repcue-draw.so)
 * into buf: 0, or -errno (-ENAMETOOLONG when it does not fit). Whether
 * the file is there is the caller's to find out. */
int env_beside_self(const char *name, char *buf, size_t size);

#endif
