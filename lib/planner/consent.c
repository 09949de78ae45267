// SPDX-License-Identifier: GPL-2.0
/*
 * Consent, before apply touches anything: pure, the plan and the options
 * only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "planner/consent.h"

bool pp_plan_has_ops(const struct pp_plan *plan)
{
	unsigned int i;

	for (i = 0; i < plan->nr_regions; i++)
		if (plan->regions[i].nr_ops)
			return true;
	return false;
}

int pp_apply_consent(const struct pp_plan *plan, const struct pp_consent *c,
		     char *err, size_t errlen)
{
	unsigned int i, j;

	for (i = 0; i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];

		for (j = 0; j < rp->nr_ops; j++) {
			const struct pp_op *op = &rp->ops[j];

			if (op->kind == PP_OP_INIT_LABELS && !c->force) {
				snprintf(err, errlen,
					 "%s: initialising labels erases the label area; run with --force",
					 rp->r->dev);
				return -EPERM;
			}
			if (!op->destructive || c->force)
				continue;
			if (op->kind == PP_OP_DESTROY &&
			    !pp_name_listed(c->replace, c->nr_replace, op->dev)) {
				snprintf(err, errlen,
					 "%s: destroying %s erases what it holds; name it with --replace=%s or run with --force",
					 rp->r->dev, op->dev, op->dev);
				return -EPERM;
			}
			if (op->kind == PP_OP_RECONFIGURE &&
			    !pp_name_listed(c->reconfigure, c->nr_reconfigure,
					    op->dev)) {
				snprintf(err, errlen,
					 "%s: reconfiguring %s erases what it holds; name it with --reconfigure=%s or run with --force",
					 rp->r->dev, op->dev, op->dev);
				return -EPERM;
			}
		}
	}
	return 0;
}
