/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --sysroot DIR (as lsmem and lsblk have it): the platform facts and the
 * memory blocks read from DIR/sys and DIR/proc instead of /sys and /proc.
 * Every such read goes through the helpers below, which prefix the
 * sysroot; with none set they read the running system.  libndctl and
 * libdaxctl always read the real /sys: regions, namespaces and dax
 * devices are not covered.
 */
#ifndef PMEMPLAN_SYSROOT_H
#define PMEMPLAN_SYSROOT_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Read from dir from now on; NULL, "" or "/" for the running system.
 * Returns 0, -ENAMETOOLONG, -ENOTDIR, or the -errno of stat(dir).
 */
int pp_sysroot_set(const char *dir);

/* The sysroot, "" when none is set. */
const char *pp_sysroot_get(void);

/* The sysroot prefixed to an absolute path; 0 or -ENAMETOOLONG. */
int pp_sysroot_path(char *buf, size_t len, const char *path);

/* pp_sysfs_read(), pp_sysfs_read_u64(), pp_read_text() and opendir() of
 * a path under the sysroot. */
int pp_sysroot_read(const char *path, char *buf, size_t len);
int pp_sysroot_read_u64(const char *path, int base, uint64_t *v);
char *pp_sysroot_read_text(const char *path, int *err);
DIR *pp_sysroot_opendir(const char *path);

#endif /* PMEMPLAN_SYSROOT_H */
