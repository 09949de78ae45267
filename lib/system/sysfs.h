/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few system reads and writes probe.c and apply.c share: sysfs
 * attributes, whole /proc files, the busy test of a block device.
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
 * A whole /proc file.  st_size is 0 there, so grow until read() returns
 * 0.  Returns the NUL-terminated text (free() it) or NULL with *err set.
 */
char *pp_read_text(const char *path, int *err);

/*
 * Is a block device in use?  The test ndctl_namespace_disable_safe()
 * makes before tearing a namespace down: an exclusive open fails with
 * EBUSY while the device is mounted, a dm/md member, or held O_EXCL by
 * someone else (a plain open() by a process does not count).  Read-only,
 * so that closing it sends no udev change event.  Returns 1 busy, 0 not,
 * -errno when it cannot be told (no permission: not root).
 */
int pp_bdev_busy(const char *path);

/*
 * Walk the memory blocks of [start, end) (block aligned) and report how
 * many exist, how many are online, and the zone of the online ones.
 * memoryN covers [N * B, (N + 1) * B) (drivers/base/memory.c
 * memory_block_id()); valid_zones of an online block names the one zone
 * it is in (valid_zones_show(), or "none" if it spans zones).
 */
void pp_walk_blocks(uint64_t start, uint64_t end, uint64_t bsz,
		    uint64_t *total, uint64_t *online, char *zone, size_t zlen);

#endif /* PMEMPLAN_SYSFS_H */
