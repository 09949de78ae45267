// SPDX-License-Identifier: GPL-2.0
/* sysfs attributes and /proc files: read, written, read whole. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parse/parse.h"
#include "system/sysfs.h"

int pp_sysfs_read(const char *path, char *buf, size_t len)
{
	return pp_sysfs_read_at(AT_FDCWD, path, buf, len);
}

int pp_sysfs_read_at(int dfd, const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, rc = 0;

	fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		rc = -errno;
	close(fd);
	if (rc)
		return rc;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

char *pp_read_text(const char *path, int *err)
{
	size_t len = 0, cap = 16384;
	char *buf, *p;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	buf = malloc(cap);
	if (!buf) {
		*err = -ENOMEM;
		goto err_close;
	}
	for (;;) {
		if (cap - len < 2) {
			p = realloc(buf, cap * 2);
			if (!p) {
				*err = -ENOMEM;
				goto err_free;
			}
			buf = p;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = -errno;
			goto err_free;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	*err = 0;
	return buf;

err_free:
	free(buf);
err_close:
	close(fd);
	return NULL;
}

int pp_sysfs_write(const char *path, const char *val)
{
	return pp_sysfs_write_at(AT_FDCWD, path, val);
}

int pp_sysfs_write_at(int dfd, const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, rc = 0;

	fd = openat(dfd, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

int pp_sysfs_read_u64(const char *path, int base, uint64_t *v)
{
	char buf[64];
	int rc;

	rc = pp_sysfs_read(path, buf, sizeof(buf));
	if (rc)
		return rc;
	return pp_parse_u64(buf, base, v);
}
