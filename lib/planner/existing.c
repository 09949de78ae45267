// SPDX-License-Identifier: GPL-2.0
/*
 * The namespaces a region already has: what the plan may do with each
 * (keep, reuse, replace, reconfigure in place, by the options), what
 * keeping one counts for, and the best devdax layout of one in place.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "account/account.h"
#include "planner/planner_ctx.h"
#include "util/units.h"
#include "util/util.h"

bool pp_name_listed(const char *const *list, unsigned int n, const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/*
 * Free raw space: what a fresh device or carve-out shows, a namespace with
 * no claim, not busy, on which libblkid found nothing.
 */
bool pl_is_free_raw(const struct pp_namespace *ns)
{
	return !ns->claimed && !ns->busy && ns->sig_probed &&
	       !ns->signature[0] &&
	       (ns->mode == PP_MODE_RAW || ns->mode == PP_MODE_FSDAX) &&
	       !ns->dax;
}

static bool asked_to_change(const struct pp_namespace *ns,
			    const struct pp_plan_opts *o)
{
	return o->force ||
	       pp_name_listed(o->reconfigure, o->nr_reconfigure, ns->dev) ||
	       pp_name_listed(o->replace, o->nr_replace, ns->dev);
}

enum ns_fate pl_fate(const struct pp_namespace *ns,
		     const struct pp_plan_opts *o)
{
	if (ns->busy)
		return NS_KEEP;
	if (pp_name_listed(o->reconfigure, o->nr_reconfigure, ns->dev))
		return NS_RECONFIGURE;
	if (pp_name_listed(o->replace, o->nr_replace, ns->dev))
		return NS_REPLACE;
	if (pl_is_free_raw(ns) && !o->keep)
		return NS_REUSE;
	if (o->force)
		return NS_REPLACE;
	return NS_KEEP;
}

/* An existing namespace: its kmem if it already is, its bytes otherwise. */
void pl_count_kept(struct ctx *c, const struct pp_namespace *ns,
		   struct pp_outcome *out)
{
	struct pp_ns_report nr = { 0 };

	if (ns->mode == PP_MODE_DEVDAX && ns->dax &&
	    ns->dax->mode == PP_DAX_SYSTEM_RAM) {
		/* what show reports for it: measured, or under a what-if
		 * from the info block on its media */
		pp_account_existing_ns(c->p, ns, &nr);
		out->kmem += nr.bytes;
		out->blocks += nr.blocks;
		out->ram_gain += nr.ram_gain;
		out->dram_memmap += nr.dram_memmap;
		out->stranded += ns->size - nr.bytes;
		return;
	}
	if (ns->size >= PP_MIN_DAX_NAMESPACE)
		out->usable += ns->size;
	else
		out->stranded += ns->size;
}

/* The best devdax layout of an existing namespace, in place. */
static void best_in_place(struct ctx *c, const struct pp_namespace *ns,
			  uint64_t max_blocks, struct pp_extent_choice *best)
{
	uint64_t dflt = pp_default_dax_align(c->p);
	/* in place, the size stays: a region align ndctl would refuse is
	 * written first where it can be (labelless.c) */
	const struct pl_where w = { .ways = c->rp->r->ways };
	struct pp_extent_choice cand;
	unsigned int m, i;

	memset(best, 0, sizeof(*best));
	for (m = 0; m < 2; m++)
		for (i = 0; i < c->p->nr_supported_align; i++) {
			pl_score(c->p, &w, ns->start, ns->start + ns->size,
				 ns->start, ns->start + ns->size,
				 m ? PP_MAP_DEV : PP_MAP_MEM,
				 c->p->supported_align[i], max_blocks, c->mom,
				 &cand);
			if (pl_better(best, &cand, dflt))
				*best = cand;
		}
}

/*
 * A namespace kept as it is that breaks a rule the kernel does not check
 * (lib/model/constraints.c): say so, and what lays it out again.
 */
static void unsafe_advice(struct ctx *c, const struct pp_namespace *ns)
{
	struct pp_ns_report nr = { 0 };
	char size[32];
	unsigned int i;

	pp_account_existing_ns(c->p, ns, &nr);
	pp_account_ns_rules(c->p, c->rp->r, ns, &nr);
	for (i = 0; i < nr.nr_viol; i++)
		if (nr.viol[i].rule == PP_RULE_COMPOUND_PAGE)
			break;
	if (i == nr.nr_viol)
		return;
	pl_advise(c->rp, "%s is kept as it is, but the kernel oopses when device_dax binds it (its range is not a multiple of its %s align: 'pmemplan show'); --reconfigure=%s (destructive) lays it out again",
		  ns->dev, pp_human_size(nr.align, size, sizeof(size)),
		  ns->dev);
}

/*
 * A namespace the plan leaves alone.  Say so when it was asked to change
 * it, and say what reconfiguring it in place would gain when it would.
 */
void pl_keep(struct ctx *c, const struct pp_namespace *ns)
{
	const struct pp_outcome *o = &c->rp->predicted;
	uint64_t before = o->kmem, now;
	struct pp_extent_choice best;

	pl_count_kept(c, ns, &c->rp->predicted);
	if (ns->busy && asked_to_change(ns, c->o)) {
		pl_advise(c->rp, "%s is in use (mounted, open or online as System RAM): left as it is",
			  ns->dev);
		return;
	}
	if (ns->busy || ns->start == PP_UNKNOWN ||
	    ns->size < PP_MIN_DAX_NAMESPACE)
		return;
	now = o->kmem - before;
	unsafe_advice(c, ns);
	if (ns->mode == PP_MODE_DEVDAX && !now) {
		/* not bound yet: what binding it as it is would give, from
		 * the info block on its media */
		struct pp_ns_report nr = { 0 };

		pp_account_existing_ns(c->p, ns, &nr);
		now = nr.bytes;
	}
	best_in_place(c, ns, UINT64_MAX, &best);
	if (best.found && best.kmem > now)
		pl_advise(c->rp, "--reconfigure=%s (destructive) would hot-plug %llu MiB of its %llu MiB as devdax map=%s (as it is: %llu MiB)",
			  ns->dev, (unsigned long long)(best.kmem >> 20),
			  (unsigned long long)(ns->size >> 20),
			  pp_map_name(best.map),
			  (unsigned long long)(now >> 20));
}

/* What reconfiguring a namespace in place to devdax for kmem would give. */
int pl_reconfigure_in_place(struct ctx *c, const struct pp_namespace *ns,
			    bool destructive)
{
	struct pp_extent_choice best;
	struct pp_op *op;

	best_in_place(c, ns, c->blocks_left, &best);
	if (!best.found) {
		pl_count_kept(c, ns, &c->rp->predicted);
		pl_advise(c->rp, "%s: kmem would reject it: no whole memory block fits in its %llu MiB after the info block",
			  ns->dev, (unsigned long long)(ns->size >> 20));
		return 0;
	}
	op = pl_add_op(c, PP_OP_RECONFIGURE);
	if (!op)
		return -ENOMEM;
	pp_strscpy(op->dev, sizeof(op->dev), ns->dev);
	op->role = PP_ROLE_KMEM;
	op->start = ns->start;
	op->size = ns->size;
	op->mode = PP_MODE_DEVDAX;
	op->map = best.map;
	op->align = best.align;
	op->destructive = destructive;
	if (pl_bind_ops(c, ns->dev, ns->start, ns->size))
		return -ENOMEM;
	pl_count_kmem(c, &best.acct);
	c->rp->predicted.stranded += ns->size - best.kmem;
	return 0;
}
