// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace operations and their undo: region align, destroy, create
 * and reconfigure, following ndctl 76.1 (ndctl/namespace.c
 * setup_namespace(), namespace_prep_reconfig(), namespace_destroy())
 * through the same library calls; see ../shared/reference/ndctl-notes.md
 * section 1.3-1.6.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apply/apply_ctx.h"
#include "util/util.h"

static const char *role_name(enum pp_role role)
{
	switch (role) {
	case PP_ROLE_KMEM:
		return PP_APPLY_NAME_KMEM;
	case PP_ROLE_SPACER:
		return PP_APPLY_NAME_SPACER;
	case PP_ROLE_FILLER:
		return PP_APPLY_NAME_FILLER;
	default:
		return PP_APPLY_NAME_LEFTOVER;
	}
}


static struct ndctl_namespace *find_ns_uuid(struct ndctl_region *region,
					    const uuid_t uu)
{
	struct ndctl_namespace *ndns;
	uuid_t cur;

	ndctl_namespace_foreach(region, ndns) {
		ndctl_namespace_get_uuid(ndns, cur);
		if (!uuid_compare(cur, uu))
			return ndns;
	}
	return NULL;
}

int apply_op_region_align(struct apply_ctx *a, struct ndctl_region *region,
			  const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	unsigned long old = ndctl_region_get_align(region);
	struct undo *u;
	int rc;

	if (old == ULONG_MAX)
		return apply_failf(a, -EOPNOTSUPP,
				   "this kernel has no region align (needs 5.7)");
	u = apply_push_undo(a, U_REGION_ALIGN, rname, "");
	if (!u)
		return apply_fail(a, "journal", -ENOMEM);
	u->value = old;
	STEP(a, rc, "write align", ndctl_region_set_align(region, op->align));
	return rc;
}

int apply_op_destroy(struct apply_ctx *a, struct ndctl_region *region,
		     const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct ndctl_namespace *ndns;
	const char *alt;
	struct undo *u;
	int rc;

	rc = apply_check_op_target(a, region, op, &ndns);
	if (rc)
		return rc;
	u = apply_push_undo(a, U_NS_DESTROYED, rname, op->dev);
	if (!u)
		return apply_fail(a, "journal", -ENOMEM);
	ndctl_namespace_get_uuid(ndns, u->uuid);
	alt = ndctl_namespace_get_alt_name(ndns);
	pp_strscpy(u->name, sizeof(u->name), alt);
	u->size = ndctl_namespace_get_size(ndns);
	u->start = ndctl_namespace_get_resource(ndns);
	u->sector = ndctl_namespace_get_sector_size(ndns);
	u->enforce = ndctl_namespace_get_enforce_mode(ndns);
	u->was_enabled = ndctl_namespace_is_active(ndns);
	STEP(a, rc, "disable", ndctl_namespace_disable_safe(ndns));
	if (!rc)
		STEP(a, rc, "delete", ndctl_namespace_delete(ndns));
	return rc;
}

int apply_op_create(struct apply_ctx *a, struct ndctl_region *region,
		    const struct pp_region_plan *rp, const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct ndctl_namespace *ndns;
	struct pp_apply_ns *rec;
	struct undo *u;
	uuid_t uu;
	int rc;

	ndns = ndctl_region_get_namespace_seed(region);
	if (!ndns || !ndctl_namespace_is_configuration_idle(ndns))
		return apply_failf(a, -ENXIO, "no idle namespace seed in %s", rname);
	rec = apply_add_rec(a, rname, ndctl_namespace_get_devname(ndns), op);
	if (!rec)
		return apply_fail(a, "result", -ENOMEM);
	snprintf(a->desc + strlen(a->desc), sizeof(a->desc) - strlen(a->desc),
		 " (%s)", rec->dev);
	rec->created = true;
	if (op->mode != PP_MODE_RAW)
		apply_predict(a, rec, rp->mom);

	u = apply_push_undo(a, U_NS_CREATED, rname, rec->dev);
	if (!u)
		return apply_fail(a, "journal", -ENOMEM);
	uuid_generate(uu);
	STEP(a, rc, "set uuid", ndctl_namespace_set_uuid(ndns, uu));
	if (!rc)
		STEP(a, rc, "set name", ndctl_namespace_set_alt_name(ndns,
						role_name(op->role)));
	if (!rc)
		STEP(a, rc, "set size", ndctl_namespace_set_size(ndns,
								 op->size));
	if (rc)
		return rc;
	/* first fit put it where the plan said, or the plan is wrong */
	STEP(a, rc, "verify placement", 0);
	if (rc)
		return rc;
	rec->measured.start = ndctl_namespace_get_resource(ndns);
	if (rec->measured.start != op->start)
		return apply_failf(a, -EDOM,
				   "verify: the kernel placed it at %#llx, planned %#llx",
				   (unsigned long long)rec->measured.start,
				   (unsigned long long)op->start);
	rc = apply_setup_claim(a, region, ndns, op, rec);
	/* a kmem namespace is verified once its blocks are */
	if (!rc && op->role != PP_ROLE_KMEM)
		rec->verified = true;
	return rc;
}

/*
 * In place, as ndctl --reconfig: namespace_prep_reconfig() (disable safe,
 * enforce raw, zero the info block) then setup_namespace() on the same
 * namespace.  A labelled namespace keeps its uuid, name, size and so its
 * place; a label-less one has nothing else.
 */
int apply_op_reconfigure(struct apply_ctx *a, struct ndctl_region *region,
			 const struct pp_region_plan *rp,
			 const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct ndctl_namespace *ndns;
	struct pp_apply_ns *rec;
	struct undo *u;
	int rc;

	rc = apply_check_op_target(a, region, op, &ndns);
	if (rc)
		return rc;
	rec = apply_add_rec(a, rname, op->dev, op);
	if (!rec)
		return apply_fail(a, "result", -ENOMEM);
	rec->measured.start = ndctl_namespace_get_resource(ndns);
	apply_predict(a, rec, rp->mom);

	u = apply_push_undo(a, U_NS_RECONF, rname, op->dev);
	if (!u)
		return apply_fail(a, "journal", -ENOMEM);
	u->enforce = ndctl_namespace_get_enforce_mode(ndns);
	u->was_enabled = ndctl_namespace_is_active(ndns);
	STEP(a, rc, "disable", ndctl_namespace_disable_safe(ndns));
	if (!rc)
		STEP(a, rc, "enforce raw",
		     apply_set_enforce(ndns, NDCTL_NS_MODE_RAW));
	if (rc)
		return rc;
	u->info = malloc(INFO_BLOCK_SIZE);
	if (!u->info)
		return apply_fail(a, "zero info block", -ENOMEM);
	STEP(a, rc, "zero info block", apply_ns_head(ndns, u->info, true, NULL));
	if (rc) {
		/* nothing was saved, so nothing to write back */
		free(u->info);
		u->info = NULL;
		return rc;
	}
	if (rec->measured.start != op->start)
		return apply_failf(a, -EDOM, "verify: it is at %#llx, planned %#llx",
				   (unsigned long long)rec->measured.start,
				   (unsigned long long)op->start);
	return apply_setup_claim(a, region, ndns, op, rec);
}

int apply_undo_claim(struct apply_ctx *a, struct undo *u)
{
	struct ndctl_region *region = apply_find_region(a, u->region);
	struct ndctl_namespace *ndns;
	struct ndctl_dax *dax;
	struct ndctl_pfn *pfn;

	if (!region)
		return -ENODEV;
	if (u->pfn) {
		ndctl_pfn_foreach(region, pfn) {
			if (strcmp(ndctl_pfn_get_devname(pfn), u->dev))
				continue;
			ndns = ndctl_pfn_get_namespace(pfn);
			if (ndns && ndctl_pfn_is_enabled(pfn) &&
			    apply_check_target(a, ndns, true))
				return -EBUSY;
			return ndctl_pfn_delete(pfn);
		}
		return 0;
	}
	ndctl_dax_foreach(region, dax) {
		if (strcmp(ndctl_dax_get_devname(dax), u->dev))
			continue;
		ndns = ndctl_dax_get_namespace(dax);
		if (ndns && ndctl_dax_is_enabled(dax) &&
		    apply_check_target(a, ndns, true))
			return -EBUSY;
		return ndctl_dax_delete(dax);
	}
	return 0;
}

int apply_undo_created(struct apply_ctx *a, struct undo *u)
{
	struct ndctl_region *region = apply_find_region(a, u->region);
	struct ndctl_namespace *ndns = apply_find_ns(region, u->dev);
	const char *alt;
	int rc;

	if (!ndns)
		return 0;
	if (ndctl_namespace_is_active(ndns)) {
		if (apply_check_target(a, ndns, true))
			return -EBUSY;
		rc = ndctl_namespace_disable_invalidate(ndns);
		if (rc < 0)
			return rc;
	}
	alt = ndctl_namespace_get_alt_name(ndns);
	if (alt && *alt) {
		rc = ndctl_namespace_set_alt_name(ndns, "");
		if (rc < 0)
			return rc;
	}
	return ndctl_namespace_delete(ndns);
}

int apply_undo_reconf(struct apply_ctx *a, struct undo *u)
{
	struct ndctl_namespace *ndns = apply_undo_ns(a, u);
	enum ndctl_namespace_mode mode;
	int rc;

	if (!ndns)
		return -ENOENT;
	if (ndctl_namespace_is_active(ndns)) {
		if (apply_check_target(a, ndns, true))
			return -EBUSY;
		rc = ndctl_namespace_disable_invalidate(ndns);
		if (rc < 0)
			return rc;
	}
	if (u->info) {
		rc = apply_ns_head(ndns, NULL, false, u->info);
		if (rc < 0)
			return rc;
	}
	mode = u->enforce == NDCTL_NS_MODE_UNKNOWN ? NDCTL_NS_MODE_RAW :
	       u->enforce;
	apply_set_enforce(ndns, mode);
	if (u->was_enabled) {
		rc = ndctl_namespace_enable(ndns);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int apply_undo_destroyed(struct apply_ctx *a, struct undo *u)
{
	struct ndctl_region *region = apply_find_region(a, u->region);
	struct ndctl_namespace *ndns;
	int rc;

	if (!region)
		return -ENODEV;
	ndns = find_ns_uuid(region, u->uuid);
	if (!ndns) {
		/*
		 * Re-create it: same uuid, name and size, placed by first
		 * fit; on its own device, which a delete leaves behind idle,
		 * so that it keeps its name, else on the seed.
		 */
		ndns = apply_find_ns(region, u->dev);
		if (!ndns || ndctl_namespace_get_size(ndns) ||
		    !ndctl_namespace_is_configuration_idle(ndns))
			ndns = ndctl_region_get_namespace_seed(region);
		if (!ndns)
			return -ENXIO;
		rc = ndctl_namespace_set_uuid(ndns, u->uuid);
		if (!rc)
			rc = ndctl_namespace_set_alt_name(ndns, u->name);
		if (!rc)
			rc = ndctl_namespace_set_size(ndns, u->size);
		if (!rc && u->sector &&
		    ndctl_namespace_get_sector_size(ndns) != u->sector)
			rc = ndctl_namespace_set_sector_size(ndns, u->sector);
		if (rc < 0)
			return rc;
		if (ndctl_namespace_get_resource(ndns) != u->start)
			return -EDOM;
		if (u->enforce != NDCTL_NS_MODE_UNKNOWN)
			apply_set_enforce(ndns, u->enforce);
	}
	if (u->was_enabled && !ndctl_namespace_is_active(ndns)) {
		rc = ndctl_namespace_enable(ndns);
		if (rc < 0)
			return rc;
	}
	return 0;
}
