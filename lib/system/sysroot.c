// SPDX-License-Identifier: GPL-2.0
/* --sysroot: every platform path built in one place. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "system/sysfs.h"
#include "system/sysroot.h"

static char sysroot[PATH_MAX];

int pp_sysroot_set(const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	struct stat sb;

	/* "DIR/" and "DIR" are one tree; "/" is the running system */
	while (n > 0 && dir[n - 1] == '/')
		n--;
	if (!n) {
		sysroot[0] = '\0';
		return 0;
	}
	if (n >= sizeof(sysroot))
		return -ENAMETOOLONG;
	if (stat(dir, &sb))
		return -errno;
	if (!S_ISDIR(sb.st_mode))
		return -ENOTDIR;
	memcpy(sysroot, dir, n);
	sysroot[n] = '\0';
	return 0;
}

const char *pp_sysroot_get(void)
{
	return sysroot;
}

int pp_sysroot_path(char *buf, size_t len, const char *path)
{
	int n = snprintf(buf, len, "%s%s", sysroot, path);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int pp_sysroot_read(const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];
	int rc = pp_sysroot_path(full, sizeof(full), path);

	return rc ? rc : pp_sysfs_read(full, buf, len);
}

int pp_sysroot_read_u64(const char *path, int base, uint64_t *v)
{
	char full[PATH_MAX];
	int rc = pp_sysroot_path(full, sizeof(full), path);

	return rc ? rc : pp_sysfs_read_u64(full, base, v);
}

char *pp_sysroot_read_text(const char *path, int *err)
{
	char full[PATH_MAX];

	*err = pp_sysroot_path(full, sizeof(full), path);
	return *err ? NULL : pp_read_text(full, err);
}

DIR *pp_sysroot_opendir(const char *path)
{
	char full[PATH_MAX];
	int rc = pp_sysroot_path(full, sizeof(full), path);

	if (rc) {
		errno = -rc;
		return NULL;
	}
	return opendir(full);
}
