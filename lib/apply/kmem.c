// SPDX-License-Identifier: GPL-2.0
/*
 * System RAM: memmap_on_memory, binding kmem under the auto-online policy
 * (daxctl/device.c reconfig_mode_system_ram()), measuring what it
 * hot-plugged and verifying it against the prediction, and their undo.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apply/apply_ctx.h"
#include "model/model.h"
#include "probe/probe.h"
#include "system/memblock.h"
#include "system/sysfs.h"
#include "util/util.h"

/* The namespace a memmap-on-memory / system-ram operation is about. */
static struct pp_apply_ns *kmem_target(struct apply_ctx *a,
				       struct ndctl_region *region,
				       const struct pp_region_plan *rp,
				       const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct pp_apply_ns *rec = apply_find_rec(a, rname, op->dev, op->start);
	struct ndctl_namespace *ndns;
	struct ndctl_dax *dax;

	if (rec || !op->dev[0])
		return rec;
	/* an interrupted apply's namespace (pp_apply_complete()) */
	ndns = apply_find_ns(region, op->dev);
	if (!ndns)
		return NULL;
	rec = apply_add_rec(a, rname, op->dev, op);
	if (!rec)
		return NULL;
	rec->role = PP_ROLE_KMEM;
	rec->mode = PP_MODE_DEVDAX;
	rec->measured.start = ndctl_namespace_get_resource(ndns);
	apply_predict(a, rec, rp->mom);
	dax = ndctl_namespace_get_dax(ndns);
	if (dax && ndctl_dax_get_resource(dax) != ULLONG_MAX)
		rec->measured.dataoff = ndctl_dax_get_resource(dax) -
					rec->measured.start;
	return rec;
}

void apply_mom_path(struct daxctl_dev *dev, char *path, size_t len)
{
	snprintf(path, len, PP_SYS_DAX_DEVICES "/%s/memmap_on_memory",
		 daxctl_dev_get_devname(dev));
}

int apply_op_mom(struct apply_ctx *a, struct ndctl_region *region,
		 const struct pp_region_plan *rp, const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct pp_apply_ns *rec = kmem_target(a, region, rp, op);
	struct ndctl_namespace *ndns;
	struct daxctl_dev *dev;
	char path[PATH_MAX], buf[16];
	struct undo *u;
	int rc;

	if (!rec)
		return apply_failf(a, -ENOENT, "no kmem namespace to apply it to");
	ndns = apply_find_ns(region, rec->dev);
	dev = ndns ? apply_ns_daxdev(ndns) : NULL;
	if (!dev)
		return apply_failf(a, -ENXIO, "%s has no dax device", rec->dev);
	apply_mom_path(dev, path, sizeof(path));
	rc = pp_sysfs_read(path, buf, sizeof(buf));
	if (rc)
		return apply_failf(a, rc, "%s: %s (needs kernel 6.8)", path,
				   strerror(-rc));
	u = apply_push_undo(a, U_MOM, rname, rec->dev);
	if (!u)
		return apply_fail(a, "journal", -ENOMEM);
	u->value = strtoul(buf, NULL, 10);
	STEP(a, rc, "write memmap_on_memory", pp_sysfs_write(path, "1"));
	if (!rc)
		rec->mom = true;
	return rc;
}

int apply_kmem_range(struct daxctl_dev *dev, uint64_t *ks, uint64_t *ke)
{
	unsigned long long ds = daxctl_dev_get_resource(dev);
	unsigned long long dsz = daxctl_dev_get_size(dev);
	char *iomem;
	int rc;

	if (!ds || ds == ULLONG_MAX || !dsz || dsz == ULLONG_MAX)
		return -ENXIO;
	iomem = pp_read_text(PP_PROC_IOMEM, &rc);
	if (!iomem)
		return rc;
	rc = pp_iomem_kmem_range(iomem, ds, ds + dsz, ks, ke);
	free(iomem);
	return rc;
}

/*
 * What kmem hot-plugged, from /proc/iomem (the System RAM inside the dax
 * device's range) and the memory blocks' state and zone.
 */
static int measure_kmem(struct apply_ctx *a, struct daxctl_dev *dev,
			struct pp_apply_ns *rec)
{
	uint64_t bsz = a->t->plat.block_size.value, total = 0;
	uint64_t ks = 0, ke = 0;
	int rc;

	rc = apply_kmem_range(dev, &ks, &ke);
	if (rc)
		return rc;
	rec->measured.kmem_start = ks;
	rec->measured.kmem_end = ke;
	rec->measured.blocks = bsz ? (ke - ks) / bsz : 0;
	if (bsz)
		pp_walk_blocks(ks, ke, bsz, &total, &rec->measured.online,
			       rec->zone_seen, sizeof(rec->zone_seen));
	return 0;
}

static int verify_kmem(struct apply_ctx *a, struct daxctl_dev *dev,
		       struct pp_apply_ns *rec)
{
	const char *want = rec->zone == PP_ZONE_NORMAL ? "Normal" : "Movable";
	int rc = measure_kmem(a, dev, rec);

	if (rc == -ENOENT)
		return apply_failf(a, -EDOM, "verify: no System RAM (kmem) for %s in /proc/iomem",
				   rec->dax);
	if (rc)
		return apply_failf(a, rc, "verify: cannot measure kmem: %s",
				   strerror(-rc));
	if (rec->measured.kmem_start != rec->predicted.kmem_start ||
	    rec->measured.kmem_end != rec->predicted.kmem_end)
		return apply_failf(a, -EDOM,
			"verify: kmem %#llx-%#llx, predicted %#llx-%#llx",
			(unsigned long long)rec->measured.kmem_start,
			(unsigned long long)rec->measured.kmem_end - 1,
			(unsigned long long)rec->predicted.kmem_start,
			(unsigned long long)rec->predicted.kmem_end - 1);
	if (rec->measured.online != rec->measured.blocks)
		return apply_failf(a, -EDOM, "verify: %llu of %llu memory blocks online",
				   (unsigned long long)rec->measured.online,
				   (unsigned long long)rec->measured.blocks);
	if (strcmp(rec->zone_seen, want))
		return apply_failf(a, -EDOM, "verify: the blocks are in zone %s, not %s",
				   rec->zone_seen[0] ? rec->zone_seen : "(none)",
				   want);
	return 0;
}

/*
 * kmem and the auto-online policy.  With auto_online_blocks "online"
 * (Debian's 6.12) the kernel onlines every hot-plugged block itself, into
 * ZONE_NORMAL, where it can never be unplugged, and daxctl refuses.  So:
 * write "offline" there, unbind device_dax, bind kmem, online the blocks
 * in the requested zone ourselves, and write the policy back at once (the
 * journal writes it back too on any failure in between).  A rollback
 * (undoing) makes the same calls without steps or journal, and leaves the
 * blocks offline when online is false.
 */
int apply_bind_kmem(struct apply_ctx *a, const char *owner,
		    struct daxctl_dev *dev, uint64_t blocks,
		    enum pp_zone zone, bool online, bool undoing)
{
	struct pp_apply_result *res = a->res;
	struct daxctl_memory *mem;
	char policy[32], what[64];
	bool switched = false;
	struct undo *u;
	int rc = 0;

	if (pp_sysfs_read(PP_AUTO_ONLINE, policy, sizeof(policy)))
		policy[0] = '\0';
	if (!undoing && !res->policy[0])
		pp_strscpy(res->policy, sizeof(res->policy), policy);
	if (!strncmp(policy, "online", 6)) {
		if (!undoing) {
			u = apply_push_undo(a, U_POLICY, owner, "");
			if (!u)
				return apply_fail(a, "journal", -ENOMEM);
			pp_strscpy(u->policy, sizeof(u->policy), policy);
		}
		APPLY_CALL(a, undoing, rc, "auto_online_blocks: offline",
			   pp_sysfs_write(PP_AUTO_ONLINE, "offline"));
		if (rc)
			return rc;
		if (!undoing)
			res->policy_switched = true;
		switched = true;
	}
	if (!daxctl_dev_get_memory(dev)) {
		APPLY_CALL(a, undoing, rc, "unbind device_dax",
			   daxctl_dev_disable(dev));
		if (!rc)
			APPLY_CALL(a, undoing, rc, "bind kmem",
				   daxctl_dev_enable_ram(dev));
		if (rc)
			goto out;
	}
	mem = daxctl_dev_get_memory(dev);
	if (!mem) {
		rc = undoing ? -ENXIO :
		     apply_failf(a, -ENXIO, "%s: bound to kmem, but no memory blocks",
				 daxctl_dev_get_devname(dev));
		goto out;
	}
	snprintf(what, sizeof(what), "online %llu blocks %s",
		 (unsigned long long)blocks,
		 zone == PP_ZONE_NORMAL ? "normal" : "movable");
	/* as daxctl reconfigure-device does: libdaxctl onlines them */
	if (online)
		APPLY_CALL(a, undoing, rc, what, zone == PP_ZONE_NORMAL ?
			   daxctl_memory_online_no_movable(mem) :
			   daxctl_memory_online(mem));
out:
	if (switched && (!rc || undoing)) {
		int err = pp_sysfs_write(PP_AUTO_ONLINE, policy);

		if (err && !undoing)
			return apply_fail(a, "restore auto_online_blocks", err);
		rc = rc ?: err;
	}
	return rc;
}

int apply_op_kmem(struct apply_ctx *a, struct ndctl_region *region,
		  const struct pp_region_plan *rp, const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct pp_apply_ns *rec = kmem_target(a, region, rp, op);
	struct pp_apply_result *res = a->res;
	struct ndctl_namespace *ndns;
	struct daxctl_dev *dev;
	struct pp_ns_account acct;
	struct undo *u;
	int rc;

	if (!rec)
		return apply_failf(a, -ENOENT, "no kmem namespace to bind");
	ndns = apply_find_ns(region, rec->dev);
	dev = ndns ? apply_ns_daxdev(ndns) : NULL;
	if (!dev)
		return apply_failf(a, -ENXIO, "%s has no dax device", rec->dev);
	pp_strscpy(rec->dax, sizeof(rec->dax), daxctl_dev_get_devname(dev));
	snprintf(a->desc + strlen(a->desc), sizeof(a->desc) - strlen(a->desc),
		 " (%s)", rec->dax);
	if (!rec->predicted.blocks)
		return apply_failf(a, -EDOM, "kmem would reject it: no whole memory block");

	u = apply_push_undo(a, U_KMEM, rname, rec->dev);
	if (!u)
		return apply_fail(a, "journal", -ENOMEM);
	u->was_kmem = daxctl_dev_get_memory(dev) != NULL;
	u->was_enabled = daxctl_dev_is_enabled(dev);

	rc = apply_bind_kmem(a, rname, dev, rec->predicted.blocks, rec->zone,
			     true, false);
	if (rc)
		return rc;
	rec->kmem = true;
	STEP(a, rc, "verify kmem", 0);
	if (!rc)
		rc = verify_kmem(a, dev, rec);
	if (rc)
		return rc;
	pp_account_namespace(&a->t->plat, rec->predicted.start, rec->size,
			     rec->map, rec->align, rec->mom, &acct);
	res->ram_gain_predicted += acct.ram_gain;
	res->dram_memmap_predicted += acct.dram_memmap;
	rec->verified = rec->measured.start == rec->predicted.start &&
			(!rec->measured.dataoff ||
			 rec->measured.dataoff == rec->predicted.dataoff);
	return 0;
}

int apply_undo_kmem(struct apply_ctx *a, struct undo *u)
{
	struct ndctl_namespace *ndns = apply_undo_ns(a, u);
	struct daxctl_memory *mem;
	struct daxctl_dev *dev;
	int rc;

	dev = ndns ? apply_ns_daxdev(ndns) : NULL;
	if (!dev)
		return 0;
	mem = daxctl_dev_get_memory(dev);
	if (mem) {
		rc = daxctl_memory_offline(mem);
		if (rc < 0)
			return rc;
		rc = daxctl_memory_is_online(mem);
		if (rc > 0)
			return -EBUSY;	/* blocks that will not go */
		if (u->was_kmem)
			return 0;
		rc = daxctl_dev_disable(dev);
		if (rc < 0)
			return rc;
	}
	if (u->was_enabled && !daxctl_dev_is_enabled(dev))
		return daxctl_dev_enable_devdax(dev);
	return 0;
}

int apply_undo_mom(struct apply_ctx *a, struct undo *u)
{
	struct ndctl_namespace *ndns = apply_undo_ns(a, u);
	struct daxctl_dev *dev = ndns ? apply_ns_daxdev(ndns) : NULL;
	char path[PATH_MAX], buf[16];

	if (!dev)
		return 0;
	apply_mom_path(dev, path, sizeof(path));
	if (pp_sysfs_read(path, buf, sizeof(buf)) ||
	    strtoul(buf, NULL, 10) == u->value)
		return 0;
	return pp_sysfs_write(path, u->value ? "1" : "0");
}
