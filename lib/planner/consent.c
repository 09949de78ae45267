// SPDX-License-Identifier: GPL-2.0
/*
 * Consent, before apply touches anything: pure, the plan and the options
 * only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "planner/consent.h"
#include "planner/planner_ctx.h"

bool pp_plan_has_ops(const struct pp_plan *plan)
{
	unsigned int i;

	for (i = 0; i < plan->nr_regions; i++)
		if (plan->regions[i].nr_ops)
			return true;
	for (i = 0; i < plan->nr_cxl; i++)
		if (pp_cxl_plan_has_work(&plan->cxl[i]))
			return true;
	return false;
}

/*
 * Consent is about data, not steps.  Initialising labels rewrites the
 * label area (ndctl_dimm_init_labels() writes both index blocks) and
 * gives up every namespace of the region.  It loses nothing when no DIMM
 * holds a valid label index (a label area never written: nothing there
 * to lose; unknown counts as one) and every namespace is free raw space
 * (pl_is_free_raw(): no claim, not busy, no signature libblkid knows).
 */
bool pp_init_labels_destructive(const struct pp_region *r)
{
	unsigned int i;

	if (r->label_index != PP_LABEL_INDEX_NONE)
		return true;
	for (i = 0; i < r->nr_ns; i++)
		if (!pl_is_free_raw(&r->ns[i]))
			return true;
	return false;
}

/*
 * Without --force, a label area with no valid index may still be
 * initialised when every namespace that may hold data is named with
 * --replace: the user consented to losing exactly those.
 */
bool pp_init_labels_consented(const struct pp_region *r, bool force,
			      const char *const *replace,
			      unsigned int nr_replace)
{
	unsigned int i;

	if (force || !pp_init_labels_destructive(r))
		return true;
	if (r->label_index != PP_LABEL_INDEX_NONE)
		return false;
	for (i = 0; i < r->nr_ns; i++)
		if (!pl_is_free_raw(&r->ns[i]) &&
		    !pp_name_listed(replace, nr_replace, r->ns[i].dev))
			return false;
	return true;
}

/* Why initialising r's labels is destructive, for a message. */
const char *pp_init_labels_why(const struct pp_region *r)
{
	unsigned int i;

	if (r->label_index == PP_LABEL_INDEX_VALID)
		return "its label area holds a label index";
	if (r->label_index == PP_LABEL_INDEX_UNKNOWN)
		return "its label area was not read";
	for (i = 0; i < r->nr_ns; i++)
		if (!pl_is_free_raw(&r->ns[i]))
			return "a namespace may hold data";
	return "nothing is lost";
}

int pp_apply_consent(const struct pp_plan *plan, const struct pp_consent *c,
		     char *err, size_t errlen)
{
	unsigned int i, j;

	for (i = 0; i < plan->nr_cxl; i++) {
		const struct pp_cxl_plan *cp = &plan->cxl[i];

		if (!pp_cxl_plan_has_work(cp) || !cp->busy[0] || c->force)
			continue;
		snprintf(err, errlen,
			 "CXL %s: re-dividing it takes down %s, a devdax device an application may be using; run with --force",
			 cp->c->dev, cp->busy);
		return -EPERM;
	}
	for (i = 0; i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];

		for (j = 0; j < rp->nr_ops; j++) {
			const struct pp_op *op = &rp->ops[j];

			if (op->kind == PP_OP_INIT_LABELS &&
			    !pp_init_labels_consented(rp->r, c->force,
						      c->replace,
						      c->nr_replace)) {
				snprintf(err, errlen,
					 "%s: initialising labels erases what it holds (%s); run with --force",
					 rp->r->dev, pp_init_labels_why(rp->r));
				return -EPERM;
			}
			if (op->kind == PP_OP_INIT_LABELS)
				continue;
			if (!op->destructive || c->force)
				continue;
			if (op->kind == PP_OP_DESTROY &&
			    !pp_name_listed(c->replace, c->nr_replace, op->dev)) {
				snprintf(err, errlen,
					 "%s: destroying %s erases what it holds; name it with --replace=%s or run with --force",
					 rp->r->dev, op->dev, op->dev);
				return -EPERM;
			}
			/* --replace of a label-less namespace: in place */
			if (op->kind == PP_OP_RECONFIGURE &&
			    !pp_name_listed(c->reconfigure, c->nr_reconfigure,
					    op->dev) &&
			    !pp_name_listed(c->replace, c->nr_replace,
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
