/* data_dir.h - where the packaged routines/ and voices/ are. */
#ifndef REPCUE_DATA_DIR_H
#define REPCUE_DATA_DIR_H

struct repcue_env;

/* Directory holding the packaged routines/ and voices/: env->data_dir
 * ($REPCUE_DATA_DIR; env may be NULL), else the one named by repcue-data-dir.txt next to a build-tree binary,
 * else REPCUE_PKGDATADIR (/usr/share/repcue). Never a source tree baked
 * into an installed binary. */
const char *repcue_data_dir(const struct repcue_env *env);

#endif
