// SPDX-License-Identifier: GPL-2.0
/*
 * What a namespace holds, checked just before changing it: in use (what
 * ndctl_namespace_disable_safe() refuses) or holding data (an info block,
 * or a signature libblkid recognises).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "apply/apply_ctx.h"
#include "system/blkdev.h"

/* ------------------------------------------------------------------ */
/* What a namespace holds, checked just before changing it             */
/* ------------------------------------------------------------------ */

static int bdev_busy(const char *bdev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/dev/%s", bdev);
	return pp_bdev_busy(path);
}

/* libblkid: a filesystem, LVM/RAID member or partition table, or "". */
static int bdev_signature(const char *bdev, char *sig, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/dev/%s", bdev);
	return pp_bdev_signature(path, sig, len);
}

/*
 * Just before a namespace is changed: refuse when it is in use (what
 * ndctl_namespace_disable_safe() refuses: its block device, or its
 * claim's, held exclusively -- mounted, a dm/md member, opened O_EXCL --
 * or its dax device online as System RAM), and, unless may_hold_data,
 * when it now holds an info block or a signature libblkid recognises.
 */
int apply_check_target(struct apply_ctx *a, struct ndctl_namespace *ndns,
		       bool may_hold_data)
{
	const char *name = ndctl_namespace_get_devname(ndns);
	struct ndctl_pfn *pfn = ndctl_namespace_get_pfn(ndns);
	struct ndctl_btt *btt = ndctl_namespace_get_btt(ndns);
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	const char *bdev = NULL;
	char sig[32] = "";
	int rc;

	if (pfn && ndctl_pfn_is_enabled(pfn)) {
		bdev = ndctl_pfn_get_block_device(pfn);
	} else if (btt && ndctl_btt_is_enabled(btt)) {
		bdev = ndctl_btt_get_block_device(btt);
	} else if (dax && ndctl_dax_is_enabled(dax)) {
		struct daxctl_dev *dev = apply_ns_daxdev(ndns);

		if (dev && daxctl_dev_has_online_memory(dev) > 0)
			return apply_refuse(a, "%s is online as System RAM (%s); refusing",
					    name, daxctl_dev_get_devname(dev));
	} else if (ndctl_namespace_is_enabled(ndns)) {
		bdev = ndctl_namespace_get_block_device(ndns);
	}
	if (bdev && *bdev) {
		rc = bdev_busy(bdev);
		if (rc == 1)
			return apply_refuse(a, "%s is in use (/dev/%s is mounted or held open); refusing",
					    name, bdev);
		if (rc < 0)
			return apply_refuse(a, "%s: cannot tell whether /dev/%s is in use: %s; refusing",
					    name, bdev, strerror(-rc));
	}
	if (may_hold_data)
		return 0;
	if (pfn || btt || dax)
		return apply_refuse(a, "%s now holds an info block (%s); name it with --replace/--reconfigure or run with --force",
				    name, pfn ? "fsdax" : btt ? "sector" : "devdax");
	if (bdev && *bdev) {
		rc = bdev_signature(bdev, sig, sizeof(sig));
		if (rc)
			return apply_refuse(a, "%s: cannot read /dev/%s to look for data: %s; refusing",
					    name, bdev, strerror(-rc));
		if (sig[0])
			return apply_refuse(a, "%s now holds data (%s signature on /dev/%s); name it with --replace/--reconfigure or run with --force",
					    name, sig, bdev);
	}
	return 0;
}

int apply_check_op_target(struct apply_ctx *a, struct ndctl_region *region,
			  const struct pp_op *op,
			  struct ndctl_namespace **ndns)
{
	*ndns = apply_find_ns(region, op->dev);
	if (!*ndns)
		return apply_failf(a, -ENOENT, "%s is gone", op->dev);
	return apply_check_target(a, *ndns, op->destructive);
}
