// SPDX-License-Identifier: GPL-2.0
/*
 * One row of the fleet report: the same plan as "pmemplan plan" with the
 * same options (completed as apply completes it), beside show's report of
 * today, and what apply would refuse before touching the machine.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "account/account.h"
#include "planner/consent.h"
#include "planner/fleet.h"

static void fill(struct pp_fleet_host *h, const struct pp_topology *t,
		 const struct pp_report *rep, const struct pp_plan *plan)
{
	unsigned int i, j;

	h->arch = pp_arch_name(t->plat.arch);
	snprintf(h->kernel, sizeof(h->kernel), "%s", t->plat.kernel);
	h->capacity = plan->capacity;
	h->kmem_now = rep->kmem;
	h->net_now = rep->net_gain;
	h->kmem_planned = plan->predicted.kmem;
	h->net_planned = pp_outcome_net(&plan->predicted);
	h->ram_added = h->net_planned > h->net_now ?
		       h->net_planned - h->net_now : 0;
	h->bound = plan->bound;
	h->nr_ops = h->nr_destructive = 0;
	for (i = 0; i < plan->nr_regions; i++) {
		h->nr_ops += plan->regions[i].nr_ops;
		for (j = 0; j < plan->regions[i].nr_ops; j++)
			h->nr_destructive +=
				plan->regions[i].ops[j].destructive;
	}
	/* a CXL ram region to divide: one operation a device, as the
	 * Ansible collection counts them; taking a devdax device down is
	 * the one that may lose data (it needs --force) */
	for (i = 0; i < plan->nr_cxl; i++) {
		if (!pp_cxl_plan_has_work(&plan->cxl[i]))
			continue;
		h->nr_ops += plan->cxl[i].nr_dev;
		h->nr_destructive += !!plan->cxl[i].busy[0];
	}
	h->nr_unsafe = rep->nr_unsafe;
	h->model_error = rep->model_error;
	snprintf(h->shortfall, sizeof(h->shortfall), "%s", plan->shortfall);
}

int pp_fleet_plan_host(const struct pp_topology *t,
		       const struct pp_plan_opts *o, struct pp_fleet_host *h,
		       char *err, size_t errlen)
{
	const struct pp_consent c = {
		.force = o->force,
		.reconfigure = o->reconfigure,
		.nr_reconfigure = o->nr_reconfigure,
		.replace = o->replace,
		.nr_replace = o->nr_replace,
	};
	struct pp_report rep;
	struct pp_plan plan;
	int rc;

	h->refused[0] = '\0';
	if (pp_report_build(t, &rep)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = pp_plan_build(t, o, &plan, err, errlen);
	if (rc)
		goto out_rep;
	/* apply's order (cmd/apply.c): complete an interrupted apply, check
	 * the layouts, then consent, which only a plan with work needs */
	if (pp_apply_complete(t, &plan, o->zone) < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
		goto out_plan;
	}
	fill(h, t, &rep, &plan);
	if (!pp_plan_check_layouts(&t->plat, &plan, h->refused,
				   sizeof(h->refused)))
		h->refused[0] = '\0';
	if (!h->refused[0] && pp_plan_has_ops(&plan) &&
	    !pp_apply_consent(&plan, &c, h->refused, sizeof(h->refused)))
		h->refused[0] = '\0';
out_plan:
	pp_plan_free(&plan);
out_rep:
	pp_report_free(&rep);
	return rc;
}

void pp_fleet_totals_add(struct pp_fleet_totals *tot,
			 const struct pp_fleet_host *h)
{
	tot->hosts++;
	tot->refused += !!h->refused[0];
	tot->short_of_size += !!h->shortfall[0];
	tot->unsafe += !!h->nr_unsafe;
	tot->ops += h->nr_ops;
	tot->capacity += h->capacity;
	tot->kmem_now += h->kmem_now;
	tot->kmem_planned += h->kmem_planned;
	tot->bound += h->bound;
	tot->ram_added += h->ram_added;
}
