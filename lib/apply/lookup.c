// SPDX-License-Identifier: GPL-2.0
/*
 * Finding objects again.  libndctl frees its objects on delete and on
 * region disable, so nothing is held across steps: regions and namespaces
 * are looked up by their libnvdimm device name each time, and a
 * namespace's dax-bus device only through the namespace
 * (ndctl_namespace_get_dax() -> ndctl_dax_get_daxctl_region()), never by
 * name.  Also the result's record of each namespace apply made or bound.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/ndctl.h>	/* ND_DEVICE_*: <ndctl/ndctl.h> needs ccan */
#include "apply/apply_ctx.h"
#include "system/libctx.h"
#include "util/util.h"

struct ndctl_region *apply_find_region(struct apply_ctx *a, const char *name)
{
	struct ndctl_region *region;
	struct ndctl_bus *bus;

	ndctl_bus_foreach(a->ctx, bus)
		ndctl_region_foreach(bus, region)
			if (!strcmp(ndctl_region_get_devname(region), name))
				return region;
	return NULL;
}

struct ndctl_namespace *apply_find_ns(struct ndctl_region *region,
				      const char *name)
{
	struct ndctl_namespace *ndns;

	if (!region)
		return NULL;
	ndctl_namespace_foreach(region, ndns)
		if (!strcmp(ndctl_namespace_get_devname(ndns), name))
			return ndns;
	return NULL;
}

/* The namespace an undo entry is about, or NULL. */
struct ndctl_namespace *apply_undo_ns(struct apply_ctx *a,
				      const struct undo *u)
{
	return apply_find_ns(apply_find_region(a, u->region), u->dev);
}

/* The dax-bus device of a devdax namespace (the one with a size). */
struct daxctl_dev *apply_ns_daxdev(struct ndctl_namespace *ndns)
{
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	struct daxctl_dev *dev;

	if (!dax || pp_libctx_daxdev(dax, &dev))
		return NULL;
	return dev;
}

struct pp_apply_ns *apply_find_rec(struct apply_ctx *a, const char *region,
				   const char *dev, uint64_t start)
{
	unsigned int i;

	for (i = 0; i < a->res->nr_ns; i++) {
		struct pp_apply_ns *rec = &a->res->ns[i];

		if (strcmp(rec->region, region))
			continue;
		if (dev[0] ? !strcmp(rec->dev, dev) :
		    rec->role == PP_ROLE_KMEM && rec->predicted.start == start)
			return rec;
	}
	return NULL;
}

/* A new record for namespace dev of region, as op plans it. */
struct pp_apply_ns *apply_add_rec(struct apply_ctx *a, const char *region,
				  const char *dev, const struct pp_op *op)
{
	struct pp_apply_result *res = a->res;
	struct pp_apply_ns *v = realloc(res->ns,
					(res->nr_ns + 1) * sizeof(*v));

	if (!v)
		return NULL;
	res->ns = v;
	v = &res->ns[res->nr_ns++];
	memset(v, 0, sizeof(*v));
	pp_strscpy(v->region, sizeof(v->region), region);
	pp_strscpy(v->dev, sizeof(v->dev), dev);
	v->role = op->role;
	v->mode = op->mode;
	v->map = op->map;
	v->align = op->align;
	v->size = op->size;
	v->zone = op->zone;
	v->predicted.start = op->start;
	return v;
}

/*
 * The region has no namespace with a size: after rollback a disable and
 * enable brings back exactly one fresh seed of each kind, instead of the
 * zero-size namespace devices a create and delete leave behind.
 */
bool apply_region_empty(struct ndctl_region *region)
{
	struct ndctl_namespace *ndns;

	if (!ndctl_region_is_enabled(region) ||
	    ndctl_region_get_nstype(region) != ND_DEVICE_NAMESPACE_PMEM)
		return false;
	ndctl_namespace_foreach(region, ndns)
		if (ndctl_namespace_get_size(ndns))
			return false;
	return true;
}
