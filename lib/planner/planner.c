// SPDX-License-Identifier: GPL-2.0
/*
 * The planner's driver (see planner.h for the objective).  Pure: no I/O.
 *
 * Per region: the baseline, then the plan; where two ways may be best
 * (initialising labels or not, --force used or not) both are planned and
 * the better kept.  Then the sums and the memmap_on_memory choice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "planner/consent.h"
#include "planner/planner_ctx.h"
#include "util/util.h"

static uint64_t region_capacity_stranded(const struct pp_region_plan *rp)
{
	const struct pp_outcome *o = &rp->predicted;
	uint64_t taken = o->kmem + o->usable + o->free;

	return taken < rp->r->size ? rp->r->size - taken : 0;
}

/*
 * A label-capable region without labels (a fresh QEMU NVDIMM with a label
 * area) shows one label-less namespace; initialising the labels makes it
 * divisible.  Only when that namespace may go (free raw space, named with
 * --replace, or --force); whether that needs consent is
 * pp_init_labels_consented().
 */
static bool wants_labels(const struct ctx *c)
{
	const struct pp_region *r = c->rp->r;
	unsigned int i;

	if (r->labelled || !r->label_capable)
		return false;
	for (i = 0; i < r->nr_ns; i++)
		if (pl_fate(&r->ns[i], c->o) == NS_KEEP ||
		    pl_fate(&r->ns[i], c->o) == NS_RECONFIGURE)
			return false;
	return true;
}

/* One way to lay the region out; relabel: initialise its labels first. */
static int plan_variant(struct ctx *c, bool relabel)
{
	struct pp_region_plan *rp = c->rp;
	const struct pp_region *r = rp->r, *orig = rp->r;
	struct pp_region relabelled;
	struct pp_op *op;
	unsigned int i;
	bool *gone;
	int rc = 0;

	if (relabel) {
		op = pl_add_op(c, PP_OP_INIT_LABELS);
		if (!op)
			return -ENOMEM;
		pp_strscpy(op->dev, sizeof(op->dev), r->dev);
		op->destructive = pp_init_labels_destructive(r);
		/* it comes back labelled, empty, with the default align */
		relabelled = *r;
		relabelled.labelled = true;
		relabelled.nr_ns = 0;
		relabelled.align = PP_DEFAULT_REGION_ALIGN;
		r = rp->r = &relabelled;
		rp->region_align = PP_DEFAULT_REGION_ALIGN;
	}
	if (!r->labelled) {
		rc = pl_plan_labelless(c);
		goto out;
	}
	if (c->o->region_align)
		rp->region_align = c->o->region_align;
	gone = calloc(r->nr_ns + 1, sizeof(*gone));
	if (!gone)
		return -ENOMEM;
	for (i = 0; !rc && i < r->nr_ns; i++) {
		switch (pl_fate(&r->ns[i], c->o)) {
		case NS_KEEP:
			pl_keep(c, &r->ns[i]);
			break;
		case NS_RECONFIGURE:
			/* in place: its space stays taken */
			rc = pl_reconfigure_in_place(c, &r->ns[i], true);
			break;
		case NS_REUSE:
		case NS_REPLACE:
			gone[i] = true;
			break;
		}
	}
	if (!rc)
		rc = pl_plan_labelled(c, gone);
	free(gone);
out:
	rp->predicted.stranded = region_capacity_stranded(rp);
	rp->r = orig;
	return rc;
}

/* --region-align=2M: what it would save, said once per region */
static void align_advice(struct ctx *c)
{
	if (!c->align_saving)
		return;
	pl_advise(c->rp, "--region-align=%lluM would strand %llu MiB less here (%llu MiB keeps the media usable on every architecture)",
		  (unsigned long long)(c->p->compat_align.value >> 20),
		  (unsigned long long)(c->align_saving >> 20),
		  (unsigned long long)(c->rp->region_align >> 20));
}

/* Is a better than b by the objective (planner.h)? */
static bool better_outcome(const struct pp_outcome *a,
			   const struct pp_outcome *b)
{
	if (pp_outcome_net(a) != pp_outcome_net(b))
		return pp_outcome_net(a) > pp_outcome_net(b);
	if (a->kmem != b->kmem)
		return a->kmem > b->kmem;
	return a->stranded < b->stranded;
}

/*
 * Plan the region two ways, way(c, false) then way(c, true), each from the
 * same start, and keep the second only when it gives more net memory (see
 * planner.h), or as much and hot-plugs more, or as much again and strands
 * less.  When the second fails the first stays.
 */
static int keep_better(struct ctx *c, int (*way)(struct ctx *c, bool second))
{
	struct pp_region_plan *rp = c->rp, saved = *rp, first;
	uint64_t left = c->blocks_left, left_first;
	int rc;

	saved.ops = NULL;	/* each way allocates its own */
	saved.nr_ops = 0;
	rc = way(c, false);
	if (rc)
		return rc;
	first = *rp;
	left_first = c->blocks_left;
	*rp = saved;
	c->blocks_left = left;
	c->cap_ops = 0;
	rc = way(c, true);
	if (!rc && better_outcome(&rp->predicted, &first.predicted)) {
		/* the analyzer loses track that both plans started from
		 * saved.ops == NULL: first.ops is the first plan's own array */
		free(first.ops); /* NOLINT(clang-analyzer-unix.Malloc) */
		return 0;
	}
	free(rp->ops);
	*rp = first;
	c->blocks_left = left_first;
	c->cap_ops = first.nr_ops;	/* ops is exactly that large or more */
	return rc;
}

/* The region as it is, or with its labels initialised first. */
static int plan_relabelled_or_not(struct ctx *c, bool relabel)
{
	int rc = plan_variant(c, relabel);

	/* said only when initialising labels is the plan kept */
	if (!rc && relabel)
		align_advice(c);
	return rc;
}

/*
 * Without consent, the best plan that needs none: initialising the labels
 * would lose data and the options do not permit it.  Plan it all the same
 * to say what it would gain, then plan the region as it is.
 */
static int labels_unconsented(struct ctx *c)
{
	struct pp_region_plan *rp = c->rp, saved = *rp;
	const struct pp_region *r = rp->r;
	uint64_t left = c->blocks_left, kmem, stranded;
	char also[PP_NAME_MAX + 16] = "";
	unsigned int i, n = 0;
	int rc, relabel_rc;

	saved.ops = NULL;	/* each way allocates its own */
	saved.nr_ops = 0;
	rc = relabel_rc = plan_variant(c, true);
	kmem = rp->predicted.kmem;
	stranded = rp->predicted.stranded;
	free(rp->ops);
	*rp = saved;
	c->blocks_left = left;
	c->cap_ops = 0;
	c->align_saving = 0;
	if (rc == -ENOMEM)
		return rc;
	rc = plan_variant(c, false);
	align_advice(c);
	if (rc || relabel_rc || kmem < rp->predicted.kmem ||
	    (kmem == rp->predicted.kmem &&
	     stranded >= rp->predicted.stranded))
		return rc;
	/* naming the namespace is consent too when no index is lost */
	for (i = 0; i < r->nr_ns; i++)
		if (!pl_is_free_raw(&r->ns[i]) && !n++)
			snprintf(also, sizeof(also), " or --replace=%s",
				 r->ns[i].dev);
	if (r->label_index != PP_LABEL_INDEX_NONE || n != 1)
		also[0] = '\0';
	pl_advise(rp, "--force%s (destructive: %s) would initialise the labels and hot-plug %llu MiB, stranding %llu MiB (as planned: %llu MiB, %llu MiB)",
		  also, pp_init_labels_why(r),
		  (unsigned long long)(kmem >> 20),
		  (unsigned long long)(stranded >> 20),
		  (unsigned long long)(rp->predicted.kmem >> 20),
		  (unsigned long long)(rp->predicted.stranded >> 20));
	return 0;
}

static int plan_region(struct ctx *c)
{
	struct pp_region_plan *rp = c->rp;
	const struct pp_region *r = rp->r;
	int rc;

	rp->bound = pp_kmem_bound(c->p, r->start, r->start + r->size);
	pl_baseline(c);
	rp->region_align = r->align != PP_UNKNOWN ? r->align :
			   PP_DEFAULT_REGION_ALIGN;
	c->align_saving = 0;
	if (!wants_labels(c)) {
		rc = plan_variant(c, false);
		align_advice(c);
		return rc;
	}
	if (!pp_init_labels_consented(r, c->o->force, c->o->replace,
				      c->o->nr_replace))
		return labels_unconsented(c);
	/*
	 * Labels make the region divisible, but cost the label-less
	 * namespace and may trim the end to the 16 MiB region align: plan
	 * both and initialise labels only when that is strictly better.
	 */
	return keep_better(c, plan_relabelled_or_not);
}

/* plan(c) under the options o instead of c->o. */
static int plan_under(struct ctx *c, const struct pp_plan_opts *o,
		      int (*plan)(struct ctx *c))
{
	const struct pp_plan_opts *asked = c->o;
	int rc;

	c->o = o;
	rc = plan(c);
	c->o = asked;
	return rc;
}

/* The region without --force, or with it. */
static int plan_forced_or_not(struct ctx *c, bool forced)
{
	struct pp_plan_opts unforced = *c->o;

	if (forced)
		return plan_region(c);
	unforced.force = false;
	return plan_under(c, &unforced, plan_region);
}

/*
 * --force permits replacing namespaces, it does not ask for it: plan the
 * region without it too, and keep that plan unless forcing hot-plugs more
 * or strands less.  So a second "apply --force" finds nothing to do.
 */
static int plan_region_forced(struct ctx *c)
{
	if (!c->o->force)
		return plan_region(c);
	return keep_better(c, plan_forced_or_not);
}

/* The region with its free raw namespaces kept, or reused. */
static int plan_reused_or_kept(struct ctx *c, bool reused)
{
	struct pp_plan_opts kept = *c->o;

	if (reused)
		return plan_region_forced(c);
	kept.keep = true;
	return plan_under(c, &kept, plan_region_forced);
}

/*
 * Free raw space may be reused without being named, but only for a gain:
 * a plan that destroys a free raw namespace and makes nothing better of
 * its space (too small for a memory block after the info block) is churn.
 * Plan the region keeping them too, and reuse only when that hot-plugs
 * more or strands less.
 */
static int plan_region_best(struct ctx *c)
{
	if (c->o->keep)
		return plan_region_forced(c);
	return keep_better(c, plan_reused_or_kept);
}

static void add_outcome(struct pp_outcome *sum, const struct pp_outcome *o)
{
	sum->kmem += o->kmem;
	sum->blocks += o->blocks;
	sum->stranded += o->stranded;
	sum->usable += o->usable;
	sum->free += o->free;
	sum->dram_memmap += o->dram_memmap;
	sum->ram_gain += o->ram_gain;
	sum->devdax_dram += o->devdax_dram;
	if (o->error && !sum->error) {
		sum->error = o->error;
		memcpy(sum->error_msg, o->error_msg, sizeof(sum->error_msg));
	}
}

/*
 * memmap_on_memory: what --memmap allows against what the kernel can do.
 * Sets *choose when --memmap=auto leaves the choice to net memory.
 */
static int choose_mom(const struct pp_platform *p, const struct pp_plan_opts *o,
		      struct pp_plan *plan, bool *choose, char *err,
		      size_t errlen)
{
	enum pp_mom_verdict v = pp_mom_supported(p, p->memmap_on_memory);

	plan->mom = o->memmap != PP_MEMMAP_DRAM && v == PP_MOM_OK;
	*choose = o->memmap == PP_MEMMAP_AUTO && v == PP_MOM_OK;
	snprintf(plan->mom_why, sizeof(plan->mom_why), "%s",
		 o->memmap == PP_MEMMAP_DRAM ? "--memmap=dram" :
		 pp_mom_verdict_str(v));
	if (o->memmap == PP_MEMMAP_PMEM && v != PP_MOM_OK) {
		snprintf(err, errlen,
			 "--memmap=pmem: memmap_on_memory cannot be used: %s (use --memmap=auto or dram)",
			 pp_mom_verdict_str(v));
		return -EINVAL;
	}
	return 0;
}

/* The plan with struct pages on the device (mom) or in DRAM. */
static int build(const struct pp_topology *t, const struct pp_plan_opts *o,
		 bool mom, struct pp_plan *plan, char *err, size_t errlen)
{
	const struct pp_platform *p = &t->plat;
	struct ctx c = {
		.p = p, .o = o, .asked = o, .blocks_left = UINT64_MAX
	};
	uint64_t b = p->block_size.value, per_block;
	unsigned int i, j;
	int rc;

	memset(plan, 0, sizeof(*plan));
	plan->mom = c.mom = mom;
	if (o->size)
		c.blocks_left = o->size / b;
	/* kmem's struct pages come out of DRAM (§13: a panic otherwise) */
	per_block = pp_block_memmap_bytes(p);
	if (p->mem_available.src) {
		unsigned int pct = o->dram_percent ? o->dram_percent :
				   PP_DEFAULT_DRAM_PERCENT;

		/*
		 * device_dax's memmap of a map=mem namespace is DRAM too,
		 * with or without memmap_on_memory, while the namespace is
		 * devdax: it is freed when kmem takes the device over, so
		 * it is held to the same budget, not added to kmem's.
		 */
		c.dram_budget = p->mem_available.value / 100 * pct;
		if (!c.mom) {
			plan->dram_budget = c.dram_budget;
			/* 0 only for a snapshot's block smaller than its
			 * derived page: no struct pages to budget */
			if (per_block &&
			    plan->dram_budget / per_block < c.blocks_left)
				c.blocks_left = plan->dram_budget / per_block;
		}
	}
	plan->regions = calloc(t->nr_regions ? t->nr_regions : 1,
			       sizeof(*plan->regions));
	if (!plan->regions) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	plan->nr_regions = t->nr_regions;
	for (i = 0; i < t->nr_regions; i++) {
		struct pp_region_plan *rp = &plan->regions[i];

		rp->r = &t->regions[i];
		rp->mom = c.mom;
		if (rp->r->start == PP_UNKNOWN) {
			snprintf(err, errlen,
				 "%s: physical addresses are unknown: run as root, or plan from a snapshot taken as root",
				 rp->r->dev);
			pp_plan_free(plan);
			return -EINVAL;
		}
		for (j = 0; j < rp->r->nr_ns; j++)
			if (rp->r->ns[j].start == PP_UNKNOWN)
				break;
		if (j < rp->r->nr_ns) {
			/* its free extents would wrap around the start */
			snprintf(err, errlen,
				 "%s: the physical address of %s is unknown: run as root, or plan from a snapshot taken as root",
				 rp->r->dev, rp->r->ns[j].dev);
			pp_plan_free(plan);
			return -EINVAL;
		}
		c.rp = rp;
		c.cap_ops = 0;
		rc = plan_region_best(&c);
		if (rc) {
			if (rc == -EDOM)
				snprintf(err, errlen,
					 "%s: internal error: the planned layout does not follow first-fit allocation",
					 rp->r->dev);
			else if (rc == -ENOMEM)
				snprintf(err, errlen, "out of memory");
			pp_plan_free(plan);
			return rc;
		}
		add_outcome(&plan->predicted, &rp->predicted);
		add_outcome(&plan->baseline, &rp->baseline);
		plan->bound += rp->bound;
		plan->capacity += rp->r->size;
	}
	if (plan->mom) {
		bool force = p->memmap_on_memory == PP_MOM_FORCE;
		uint64_t ps = p->page_size.value;

		/* memory_block_memmap_on_memory_pages(), mm/memory_hotplug.c */
		plan->mom_per_block = pp_mom_pages(p, force) * ps;
		plan->mom_padding = plan->mom_per_block -
				    pp_mom_pages(p, false) * ps;
		plan->dram_saved = plan->predicted.blocks * per_block;
	}
	if (o->size && plan->predicted.kmem < o->size) {
		snprintf(plan->shortfall, sizeof(plan->shortfall),
			 "--size: only %llu MiB of kmem fit, not %llu MiB",
			 (unsigned long long)(plan->predicted.kmem >> 20),
			 (unsigned long long)(o->size >> 20));
	}
	return 0;
}

/* Bytes as MiB with two decimals (the per-block costs are KiB-sized). */
static void mib_text(uint64_t bytes, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%02llu MiB",
		 (unsigned long long)(bytes >> 20),
		 (unsigned long long)(((bytes & (SZ_1M - 1)) * 100) >> 20));
}

/*
 * --memmap=auto where the kernel can place struct pages on the device:
 * plan both placements and keep the one with the larger net memory
 * (MemTotal growth less the DRAM the struct pages take), the device on a
 * tie because it saves DRAM.  The choice is made once per plan, not per
 * region or namespace: every memory block of one machine costs the same
 * (one page size, block size and memmap_on_memory mode, so the same
 * pp_block_memmap_bytes() in DRAM or pp_mom_pages() on the device), so the
 * placement that wins for one block wins for all.  Only the DRAM budget
 * could argue for a split; when DRAM cannot carry the struct pages of
 * every block the device can hot-plug, the plan uses the device.
 */
static int choose_by_net(const struct pp_topology *t,
			 const struct pp_plan_opts *o, struct pp_plan *plan,
			 char *err, size_t errlen)
{
	const struct pp_platform *p = &t->plat;
	uint64_t net_dev, net_dram;
	struct pp_plan dram;
	char a[32], b[32];
	int rc;

	rc = build(t, o, false, &dram, err, errlen);
	if (rc)
		return rc;
	rc = build(t, o, true, plan, err, errlen);
	if (rc) {
		pp_plan_free(&dram);
		return rc;
	}
	net_dev = pp_outcome_net(&plan->predicted);
	net_dram = pp_outcome_net(&dram.predicted);
	if (dram.predicted.blocks < plan->predicted.blocks) {
		snprintf(plan->mom_why, sizeof(plan->mom_why),
			 "DRAM for struct pages (at most %llu MiB) cannot carry those of %llu memory blocks (%llu MiB)",
			 (unsigned long long)(dram.dram_budget >> 20),
			 (unsigned long long)plan->predicted.blocks,
			 (unsigned long long)((plan->predicted.blocks *
					       pp_block_memmap_bytes(p)) >> 20));
		pp_plan_free(&dram);
		return 0;
	}
	if (net_dram > net_dev) {
		mib_text(net_dram, a, sizeof(a));
		mib_text(net_dev, b, sizeof(b));
		pp_plan_free(plan);
		*plan = dram;
		snprintf(plan->mom_why, sizeof(plan->mom_why),
			 "more net memory: %s in DRAM, %s on the device (memmap_on_memory)",
			 a, b);
		return 0;
	}
	pp_plan_free(&dram);
	snprintf(plan->mom_why, sizeof(plan->mom_why), "%s",
		 net_dev == net_dram ?
		 "supported; as much net memory as in DRAM, and saves the DRAM" :
		 "supported; more net memory than in DRAM");
	return 0;
}

static int plan_build(const struct pp_topology *t,
		      const struct pp_plan_opts *o, struct pp_plan *plan,
		      char *err, size_t errlen)
{
	const struct pp_platform *p = &t->plat;
	uint64_t b = p->block_size.value;
	char why[sizeof(plan->mom_why)];
	bool choose;
	int rc;

	memset(plan, 0, sizeof(*plan));
	if (err && errlen)
		err[0] = '\0';
	if (o->size && o->size % b) {
		snprintf(err, errlen,
			 "--size=%llu is not a whole number of %llu MiB memory blocks: did you intend --size=%lluM?",
			 (unsigned long long)o->size,
			 (unsigned long long)(b >> 20),
			 (unsigned long long)(pp_align_up(o->size, b) >> 20));
		return -EINVAL;
	}
	if (o->region_align && (!pp_is_pow2(o->region_align) ||
				o->region_align < p->compat_align.value)) {
		snprintf(err, errlen,
			 "--region-align=%llu must be a power of two of at least %llu KiB (memremap_compat_align)",
			 (unsigned long long)o->region_align,
			 (unsigned long long)(p->compat_align.value >> 10));
		return -EINVAL;
	}
	rc = choose_mom(p, o, plan, &choose, err, errlen);
	if (rc)
		return rc;
	if (choose)
		return choose_by_net(t, o, plan, err, errlen);
	memcpy(why, plan->mom_why, sizeof(why));
	rc = build(t, o, plan->mom, plan, err, errlen);
	if (!rc)
		memcpy(plan->mom_why, why, sizeof(why));
	return rc;
}

/* The nvdimm regions, then the CXL ram regions (cxl.c) beside them. */
int pp_plan_build(const struct pp_topology *t, const struct pp_plan_opts *o,
		  struct pp_plan *plan, char *err, size_t errlen)
{
	int rc = plan_build(t, o, plan, err, errlen);

	if (!rc)
		rc = pl_plan_cxl(t, o, plan);
	if (rc == -ENOMEM)
		pp_plan_free(plan);
	return rc;
}

void pp_plan_free(struct pp_plan *plan)
{
	unsigned int i;

	for (i = 0; i < plan->nr_regions; i++)
		free(plan->regions[i].ops);
	free(plan->regions);
	free(plan->cxl);
	free(plan->cxl_free);
	memset(plan, 0, sizeof(*plan));
}
