/* SPDX-License-Identifier: GPL-2.0 */
/* What a block device holds and whether it is in use. */
#ifndef PMEMPLAN_BLKDEV_H
#define PMEMPLAN_BLKDEV_H

#include <stddef.h>

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
 * What libblkid recognises on a block device: a filesystem, LVM or RAID
 * member ("TYPE"), else a partition table ("PTTYPE"), else "".  Several
 * superblocks at once (blkid_do_safeprobe() -2) is data too, of no single
 * type: "(ambivalent)", in blkid's word.  Returns 0 when the probe ran
 * (sig is set), else -errno.
 */
int pp_bdev_signature(const char *path, char *sig, size_t len);

#endif /* PMEMPLAN_BLKDEV_H */
