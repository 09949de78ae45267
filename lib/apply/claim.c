// SPDX-License-Identifier: GPL-2.0
/*
 * A namespace's personality: its info block (ndctl zero_info_block()),
 * the enforce mode and the dax / pfn claim (ndctl setup_namespace()), and
 * the check that the kernel laid the claim out as nd_pfn_init() was
 * predicted to (data offset, dax range).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "apply/apply_ctx.h"
#include "model/model.h"
#include "util/util.h"

/*
 * ndctl zero_info_block(): enable the namespace in raw mode (force_raw),
 * open its block device O_RDWR|O_DIRECT|O_EXCL and read the first 8 KiB
 * into save; write zeros there when they are not zero already (zero), or
 * write restore back; disable it again.
 */
int apply_ns_head(struct ndctl_namespace *ndns, void *save, bool zero,
		  const void *restore)
{
	const char *bdev;
	char path[PATH_MAX];
	void *buf = NULL, *zeros = NULL;
	ssize_t n;
	int fd, rc;

	rc = ndctl_namespace_set_raw_mode(ndns, 1);
	if (rc < 0)
		return rc;
	rc = ndctl_namespace_enable(ndns);
	if (rc < 0)
		goto out_raw;
	bdev = ndctl_namespace_get_block_device(ndns);
	if (!bdev || !*bdev) {
		rc = -ENXIO;
		goto out_disable;
	}
	if (posix_memalign(&buf, 4096, INFO_BLOCK_SIZE) ||
	    posix_memalign(&zeros, 4096, INFO_BLOCK_SIZE)) {
		rc = -ENOMEM;
		goto out_disable;
	}
	memset(zeros, 0, INFO_BLOCK_SIZE);
	snprintf(path, sizeof(path), "/dev/%s", bdev);
	fd = open(path, O_RDWR | O_DIRECT | O_EXCL | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out_disable;
	}
	n = pread(fd, buf, INFO_BLOCK_SIZE, 0);
	if (n != INFO_BLOCK_SIZE) {
		rc = n < 0 ? -errno : -EIO;
		goto out_close;
	}
	if (save)
		memcpy(save, buf, INFO_BLOCK_SIZE);
	rc = 0;
	n = INFO_BLOCK_SIZE;
	if (restore && memcmp(buf, restore, INFO_BLOCK_SIZE)) {
		memcpy(buf, restore, INFO_BLOCK_SIZE);
		n = pwrite(fd, buf, INFO_BLOCK_SIZE, 0);
	} else if (zero && memcmp(buf, zeros, INFO_BLOCK_SIZE)) {
		n = pwrite(fd, zeros, INFO_BLOCK_SIZE, 0);
	}
	if (n != INFO_BLOCK_SIZE)
		rc = n < 0 ? -errno : -EIO;
	if (!rc && fsync(fd))
		rc = -errno;
out_close:
	close(fd);
out_disable:
	ndctl_namespace_disable(ndns);
out_raw:
	ndctl_namespace_set_raw_mode(ndns, 0);
	free(buf);
	free(zeros);
	return rc;
}

static enum ndctl_namespace_mode nd_mode(enum pp_ns_mode m)
{
	switch (m) {
	case PP_MODE_FSDAX:
		return NDCTL_NS_MODE_FSDAX;
	case PP_MODE_DEVDAX:
		return NDCTL_NS_MODE_DEVDAX;
	case PP_MODE_SECTOR:
		return NDCTL_NS_MODE_SECTOR;
	default:
		return NDCTL_NS_MODE_RAW;
	}
}

/*
 * holder_class ("enforce mode"): ndctl ignores the result, and so must
 * we: for a label-less namespace the kernel takes the new class and then
 * fails the label update with ENXIO (namespace_devs.c
 * nd_namespace_label_update()), and kernels before 4.13 lack it.
 */
int apply_set_enforce(struct ndctl_namespace *ndns,
		      enum ndctl_namespace_mode mode)
{
	ndctl_namespace_set_enforce_mode(ndns, mode);
	return 0;
}

static enum ndctl_pfn_loc nd_loc(enum pp_map map)
{
	return map == PP_MAP_MEM ? NDCTL_PFN_LOC_RAM : NDCTL_PFN_LOC_PMEM;
}

/* The prediction for a namespace with its info block as configured. */
void apply_predict(struct apply_ctx *a, struct pp_apply_ns *rec, bool mom)
{
	struct pp_ns_account acct;

	pp_account_namespace(&a->t->plat, rec->predicted.start, rec->size,
			     rec->map, rec->align, mom, &acct);
	rec->predicted.dataoff = acct.pfn.dataoff;
	rec->predicted.dax_start = acct.dax_start;
	rec->predicted.dax_end = acct.dax_end;
	if (rec->role == PP_ROLE_KMEM && !acct.kmem_err) {
		rec->predicted.kmem_start = acct.kmem.start;
		rec->predicted.kmem_end = acct.kmem.end;
		rec->predicted.blocks = acct.kmem.blocks;
	}
}

/*
 * After the claim is enabled: the data offset (dax or pfn resource minus
 * the namespace start) and, for devdax, the dax-bus device's range must be
 * what nd_pfn_init() was predicted to write.
 */
static int verify_layout(struct apply_ctx *a, struct ndctl_namespace *ndns,
			 struct pp_apply_ns *rec)
{
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	struct ndctl_pfn *pfn = ndctl_namespace_get_pfn(ndns);
	unsigned long long res = ULLONG_MAX;
	struct daxctl_dev *dev;
	uuid_t uu;

	/* ndctl list's "raw_uuid": a label-less namespace has none */
	ndctl_namespace_get_uuid(ndns, uu);
	if (!uuid_is_null(uu))
		uuid_unparse(uu, rec->uuid);
	if (dax) {
		res = ndctl_dax_get_resource(dax);
		ndctl_dax_get_uuid(dax, uu);
		uuid_unparse(uu, rec->claim_uuid);
	} else if (pfn) {
		res = ndctl_pfn_get_resource(pfn);
		ndctl_pfn_get_uuid(pfn, uu);
		uuid_unparse(uu, rec->claim_uuid);
		/* the seed's default align when the plan set none */
		if (!rec->align && ndctl_pfn_get_align(pfn)) {
			rec->align = ndctl_pfn_get_align(pfn);
			apply_predict(a, rec, false);
		}
	}
	if (res == ULLONG_MAX || res < rec->measured.start)
		return apply_failf(a, -ENXIO, "verify: no data offset readable");
	rec->measured.dataoff = res - rec->measured.start;
	if (rec->measured.dataoff != rec->predicted.dataoff)
		return apply_failf(a, -EDOM,
				   "verify: data offset %#llx, predicted %#llx",
				   (unsigned long long)rec->measured.dataoff,
				   (unsigned long long)rec->predicted.dataoff);
	if (!dax)
		return 0;
	dev = apply_ns_daxdev(ndns);
	if (!dev)
		return apply_failf(a, -ENXIO, "verify: %s has no dax device",
				   ndctl_namespace_get_devname(ndns));
	pp_strscpy(rec->dax, sizeof(rec->dax), daxctl_dev_get_devname(dev));
	rec->measured.dax_start = daxctl_dev_get_resource(dev);
	rec->measured.dax_end = rec->measured.dax_start +
				daxctl_dev_get_size(dev);
	if (rec->measured.dax_start != rec->predicted.dax_start ||
	    rec->measured.dax_end != rec->predicted.dax_end)
		return apply_failf(a, -EDOM,
			"verify: %s is %#llx-%#llx, predicted %#llx-%#llx",
			rec->dax,
			(unsigned long long)rec->measured.dax_start,
			(unsigned long long)rec->measured.dax_end - 1,
			(unsigned long long)rec->predicted.dax_start,
			(unsigned long long)rec->predicted.dax_end - 1);
	return 0;
}

/*
 * The personality: setup_namespace() from "enforce mode" on.  devdax and
 * fsdax through the region's dax / pfn seed (uuid, location, align,
 * namespace, enable), raw by enabling the namespace itself.
 */
int apply_setup_claim(struct apply_ctx *a, struct ndctl_region *region,
		      struct ndctl_namespace *ndns, const struct pp_op *op,
		      struct pp_apply_ns *rec)
{
	const char *rname = ndctl_region_get_devname(region);
	struct ndctl_dax *dax;
	struct ndctl_pfn *pfn;
	struct undo *u;
	uuid_t uu;
	int rc;

	STEP(a, rc, "enforce mode", apply_set_enforce(ndns, nd_mode(op->mode)));
	if (rc)
		return rc;
	if (op->mode == PP_MODE_RAW) {
		STEP(a, rc, "enable", ndctl_namespace_enable(ndns));
		return rc;
	}
	uuid_generate(uu);
	if (op->mode == PP_MODE_DEVDAX) {
		dax = ndctl_region_get_dax_seed(region);
		if (!dax)
			return apply_failf(a, -ENXIO, "no dax seed: kernel without devdax support?");
		u = apply_push_undo(a, U_CLAIM, rname,
				    ndctl_dax_get_devname(dax));
		if (!u)
			return apply_fail(a, "journal", -ENOMEM);
		STEP(a, rc, "dax uuid", ndctl_dax_set_uuid(dax, uu));
		if (!rc)
			STEP(a, rc, "dax map",
			     ndctl_dax_set_location(dax, nd_loc(op->map)));
		if (!rc)
			STEP(a, rc, "dax align",
			     ndctl_dax_set_align(dax, op->align));
		if (!rc)
			STEP(a, rc, "dax namespace",
			     ndctl_dax_set_namespace(dax, ndns));
		if (!rc)
			STEP(a, rc, "enable devdax", ndctl_dax_enable(dax));
	} else {
		pfn = ndctl_region_get_pfn_seed(region);
		if (!pfn)
			return apply_failf(a, -ENXIO, "no pfn seed: kernel without fsdax support?");
		u = apply_push_undo(a, U_CLAIM, rname,
				    ndctl_pfn_get_devname(pfn));
		if (!u)
			return apply_fail(a, "journal", -ENOMEM);
		u->pfn = true;
		STEP(a, rc, "pfn uuid", ndctl_pfn_set_uuid(pfn, uu));
		if (!rc)
			STEP(a, rc, "pfn map",
			     ndctl_pfn_set_location(pfn, nd_loc(op->map)));
		if (!rc && op->align && ndctl_pfn_has_align(pfn))
			STEP(a, rc, "pfn align",
			     ndctl_pfn_set_align(pfn, op->align));
		if (!rc)
			STEP(a, rc, "pfn namespace",
			     ndctl_pfn_set_namespace(pfn, ndns));
		if (!rc)
			STEP(a, rc, "enable fsdax", ndctl_pfn_enable(pfn));
	}
	if (rc)
		return rc;
	STEP(a, rc, "verify data offset", 0);
	if (!rc)
		rc = verify_layout(a, ndns, rec);
	return rc;
}
