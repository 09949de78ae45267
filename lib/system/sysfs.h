/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading and writing sysfs attributes and whole /proc files, for the
 * probe and for apply.
 */
#ifndef PMEMPLAN_SYSFS_H
#define PMEMPLAN_SYSFS_H

#include <stddef.h>
#include <stdint.h>
#include "util/util.h"

/*
 * One sysfs attribute into buf, trailing whitespace stripped (sysfs
 * show() routines end in "\n").  Returns 0 or -errno: -ENOENT for an
 * attribute this kernel lacks, -EACCES for a 0400 one read as non-root,
 * -ENXIO for an attribute of an unbound device (pfn "resource").
 */
int pp_sysfs_read(const char *path, char *buf, size_t len);

/* Write val to a sysfs attribute in one write(); 0 or -errno. */
int pp_sysfs_write(const char *path, const char *val);

/*
 * The same with path relative to the directory open as dfd (openat(2)):
 * for walks over many attributes of one directory, each of them then
 * spares the kernel resolving the directory again.
 */
int pp_sysfs_read_at(int dfd, const char *path, char *buf, size_t len);
int pp_sysfs_write_at(int dfd, const char *path, const char *val);

/*
 * A whole /proc file.  st_size is 0 there, so grow until read() returns
 * 0.  Returns the NUL-terminated text (free() it) or NULL with *err set.
 */
char *pp_read_text(const char *path, int *err);

/* An attribute that is one number in base (0: C prefixes); 0 or -errno. */
int pp_sysfs_read_u64(const char *path, int base, uint64_t *v);

#endif /* PMEMPLAN_SYSFS_H */
