// SPDX-License-Identifier: GPL-2.0
/*
 * Completing a half-applied plan: an interrupted apply leaves its kmem
 * namespace in devdax mode, not (or not yet online) System RAM; finish it
 * instead of planning around it.  Pure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "planner/consent.h"
#include "util/util.h"

static bool plan_touches(const struct pp_region_plan *rp, const char *dev)
{
	unsigned int i;

	for (i = 0; i < rp->nr_ops; i++)
		if (!strcmp(rp->ops[i].dev, dev))
			return true;
	return false;
}

/* Insert n operations at the front of rp's list. */
static int prepend_ops(struct pp_region_plan *rp, const struct pp_op *ops,
		       unsigned int n)
{
	struct pp_op *v = malloc((rp->nr_ops + n) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	memcpy(v, ops, n * sizeof(*v));
	if (rp->nr_ops)
		memcpy(v + n, rp->ops, rp->nr_ops * sizeof(*v));
	free(rp->ops);
	rp->ops = v;
	rp->nr_ops += n;
	return 0;
}

int pp_apply_complete(const struct pp_topology *t, struct pp_plan *plan,
		      enum pp_zone zone)
{
	const struct pp_platform *p = &t->plat;
	unsigned int i, j, done = 0;

	for (i = 0; i < plan->nr_regions; i++) {
		struct pp_region_plan *rp = &plan->regions[i];
		const struct pp_region *r = rp->r;

		for (j = 0; j < r->nr_ns; j++) {
			const struct pp_namespace *ns = &r->ns[j];
			const struct pp_dax *d = ns->dax;
			struct pp_op ops[2];
			struct pp_ns_account a;
			unsigned int n = 0, k;
			uint64_t bytes;

			if (strcmp(ns->name, PP_APPLY_NAME_KMEM) ||
			    ns->mode != PP_MODE_DEVDAX || !d ||
			    ns->start == PP_UNKNOWN || ns->map == PP_MAP_NONE ||
			    ns->align == PP_UNKNOWN ||
			    plan_touches(rp, ns->dev))
				continue;
			/* bound with every block offline: only onlining left */
			if (d->mode == PP_DAX_SYSTEM_RAM &&
			    (d->online_blocks != 0 || !d->total_blocks ||
			     d->total_blocks == PP_UNKNOWN))
				continue;
			pp_account_namespace(p, ns->start, ns->size, ns->map,
					     ns->align, rp->mom, &a);
			if (a.pfn_err || a.kmem_err)
				continue;
			if (plan->dram_budget &&
			    plan->predicted.dram_memmap + a.dram_memmap >
			    plan->dram_budget)
				continue;
			memset(ops, 0, sizeof(ops));
			if (rp->mom && d->mode != PP_DAX_SYSTEM_RAM &&
			    d->memmap_on_memory == 0)
				ops[n++].kind = PP_OP_MEMMAP_ON_MEMORY;
			ops[n++].kind = PP_OP_KMEM;
			for (k = 0; k < n; k++) {
				pp_strscpy(ops[k].dev, sizeof(ops[k].dev),
					   ns->dev);
				ops[k].role = PP_ROLE_KMEM;
				ops[k].start = ns->start;
				ops[k].size = ns->size;
				ops[k].mode = PP_MODE_DEVDAX;
				ops[k].map = ns->map;
				ops[k].align = ns->align;
				ops[k].zone = zone;
			}
			if (prepend_ops(rp, ops, n))
				return -ENOMEM;
			/* the planner counted it as usable pmem */
			bytes = a.kmem.end - a.kmem.start;
			if (ns->size >= PP_MIN_DAX_NAMESPACE) {
				rp->predicted.usable -= ns->size;
				plan->predicted.usable -= ns->size;
			} else {
				rp->predicted.stranded -= ns->size;
				plan->predicted.stranded -= ns->size;
			}
			rp->predicted.kmem += bytes;
			rp->predicted.blocks += a.kmem.blocks;
			rp->predicted.stranded += ns->size - bytes;
			rp->predicted.ram_gain += a.ram_gain;
			rp->predicted.dram_memmap += a.dram_memmap;
			plan->predicted.kmem += bytes;
			plan->predicted.blocks += a.kmem.blocks;
			plan->predicted.stranded += ns->size - bytes;
			plan->predicted.ram_gain += a.ram_gain;
			plan->predicted.dram_memmap += a.dram_memmap;
			done++;
		}
	}
	return (int)done;
}
