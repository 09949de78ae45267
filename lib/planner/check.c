// SPDX-License-Identifier: GPL-2.0
/*
 * The last check before apply writes anything: every namespace the plan
 * creates or reconfigures against the rules of lib/model/constraints.c,
 * the kernel's (some of which it does not check, and oopses on) and what
 * "ndctl create-namespace" would refuse.  The planner never plans such a
 * layout; this holds apply to the same rules whatever built the plan.
 * Pure.
 */
#include <errno.h>
#include <stdio.h>
#include "planner/consent.h"

static void describe(char *buf, size_t len, const struct pp_region_plan *rp,
		     const struct pp_op *op)
{
	char what[64];

	if (op->kind == PP_OP_RECONFIGURE)
		snprintf(what, sizeof(what), "reconfigure-namespace %s",
			 op->dev);
	else
		snprintf(what, sizeof(what), "create-namespace %s",
			 pp_role_name(op->role));
	snprintf(buf, len, "%s: %s %s %llu MiB at %#llx%s%s", rp->r->dev, what,
		 pp_mode_name(op->mode), (unsigned long long)(op->size >> 20),
		 (unsigned long long)op->start,
		 op->map != PP_MAP_NONE ? ", map=" : "",
		 op->map != PP_MAP_NONE ? pp_map_name(op->map) : "");
}

int pp_plan_check_layouts(const struct pp_platform *p,
			  const struct pp_plan *plan, char *err,
			  size_t errlen)
{
	unsigned int i, j;

	for (i = 0; i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];
		/* the region align each namespace is created under: ndctl
		 * checks sizes against it; init-labels resets it */
		uint64_t ralign = rp->r->align;

		for (j = 0; j < rp->nr_ops; j++) {
			const struct pp_op *op = &rp->ops[j];
			struct pp_violation v;
			struct pp_shape s = {
				.start = op->start, .size = op->size,
				.mode = op->mode, .map = op->map,
				.align = op->align, .region_align = ralign,
				.ways = rp->r->ways,
				/* a reconfigure zeroes the info block */
				.dataoff = PP_UNKNOWN, .data_end = PP_UNKNOWN,
			};
			char what[160];

			if (op->kind == PP_OP_INIT_LABELS)
				ralign = PP_DEFAULT_REGION_ALIGN;
			if (op->kind == PP_OP_REGION_ALIGN)
				ralign = op->align;
			if (op->kind != PP_OP_CREATE &&
			    op->kind != PP_OP_RECONFIGURE)
				continue;
			if (!pp_shape_check(p, &s, &v, 1))
				continue;
			describe(what, sizeof(what), rp, op);
			snprintf(err, errlen, "%s: %s [%s%s]; refusing", what,
				 v.why, pp_rule_is_ndctl(v.rule) ? "" :
				 "kernel: ", pp_rule_name(v.rule));
			return -EDOM;
		}
	}
	return 0;
}
