// SPDX-License-Identifier: GPL-2.0
/*
 * Labelled regions: destroy what the plan reuses, one kmem namespace per
 * free extent (extent.c), then replay the creates the way the kernel's
 * first-fit allocation (scan_allocate(), namespace_devs.c) will place them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "planner/planner_ctx.h"
#include "util/util.h"

/*
 * Say before anything is created that a free extent yields nothing (kmem
 * would reject a namespace there) and how large one would have to be.
 */
static void too_small(struct ctx *c, uint64_t f0, uint64_t f1)
{
	uint64_t b = c->p->block_size.value, gran = c->rp->region_align;
	uint64_t k = pp_align_up(f0 + c->p->compat_align.value, b);
	uint64_t need = c->rp->r->start +
			pp_align_up(k + b - c->rp->r->start, gran) - f0;

	pl_advise(c->rp, "the %llu MiB free at %#llx would yield nothing: kmem would reject it (no whole %llu MiB memory block after the info block); a devdax namespace there needs %llu MiB",
		  (unsigned long long)((f1 - f0) >> 20), (unsigned long long)f0,
		  (unsigned long long)(b >> 20),
		  (unsigned long long)(need >> 20));
}

void pl_spacer_claim(const struct ctx *c, uint64_t start, uint64_t size,
		     enum pp_ns_mode *mode, enum pp_map *map, uint64_t *align)
{
	const struct pp_platform *p = c->p;
	struct pp_shape s = {
		.start = start, .size = size, .mode = PP_MODE_FSDAX,
		.map = PP_MAP_DEV, .region_align = c->rp->region_align,
		.ways = c->rp->r->ways, .dataoff = PP_UNKNOWN,
		.data_end = PP_UNKNOWN,
	};
	unsigned int i;

	*mode = PP_MODE_FSDAX;
	*map = PP_MAP_DEV;
	*align = 0;
	if (size >= PP_MIN_DAX_NAMESPACE) {
		/* the seed's default, as ndctl would take it */
		if (pp_shape_ok(p, &s))
			return;
		for (i = p->nr_supported_align; i-- > 0;) {
			s.align = p->supported_align[i];
			if (pp_shape_ok(p, &s)) {
				*align = s.align;
				return;
			}
		}
	}
	*mode = PP_MODE_RAW;
	*map = PP_MAP_NONE;
}

/*
 * A spacer before or after the kmem namespace: usable fsdax where the
 * kernel and ndctl take it (pl_spacer_claim()), a raw filler otherwise.
 */
static int create_spacer(struct ctx *c, uint64_t start, uint64_t size)
{
	enum pp_ns_mode mode;
	enum pp_map map;
	uint64_t align;
	int rc;

	pl_spacer_claim(c, start, size, &mode, &map, &align);
	rc = pl_create(c, mode == PP_MODE_FSDAX ? PP_ROLE_SPACER :
		       PP_ROLE_FILLER, start, size, mode, map, align);
	if (!rc && size >= PP_MIN_DAX_NAMESPACE)
		c->rp->predicted.usable += size;
	return rc;
}

static int plan_extent_ops(struct ctx *c, uint64_t f0, uint64_t f1)
{
	const struct pp_region *r = c->rp->r;
	uint64_t gran = c->rp->region_align;
	struct pp_extent_choice ch;
	uint64_t devdax;
	int rc;

	pl_plan_extent_maps(c->p, r->start, f0, f1, gran, r->ways,
			    c->blocks_left, c->mom, MAP_MEM_BIT | MAP_DEV_BIT,
			    &ch);
	if (!ch.found) {
		if (f1 - f0 >= PP_MIN_DAX_NAMESPACE)
			c->rp->predicted.free += f1 - f0;
		else
			c->rp->predicted.stranded += f1 - f0;
		if (f1 - f0 >= PP_MIN_DAX_NAMESPACE && c->blocks_left)
			too_small(c, f0, f1);
		return 0;
	}
	if (gran > c->p->compat_align.value) {
		struct pp_extent_choice fine;

		pl_plan_extent_maps(c->p, r->start, f0, f1,
				    c->p->compat_align.value, r->ways,
				    c->blocks_left, c->mom,
				    MAP_MEM_BIT | MAP_DEV_BIT, &fine);
		if (fine.found && fine.kmem >= ch.kmem &&
		    fine.stranded < ch.stranded)
			c->align_saving += ch.stranded - fine.stranded;
	}
	/* device_dax's memmap while the namespace is devdax: map=dev if the
	 * DRAM cannot carry it, at the cost of a struct-page reserve */
	devdax = ch.map == PP_MAP_MEM ?
		 pp_devdax_memmap_bytes(c->p, ch.size, ch.align) : 0;
	if (devdax && c->dram_budget && devdax > c->dram_budget) {
		struct pp_extent_choice dev;

		pl_plan_extent_maps(c->p, r->start, f0, f1, gran, r->ways,
				    c->blocks_left, c->mom, MAP_DEV_BIT, &dev);
		if (dev.found) {
			pl_advise(c->rp, "device_dax would need %llu MiB of DRAM for the struct pages of a map=mem namespace: map=dev instead, %llu MiB of pmem for them",
				  (unsigned long long)(devdax >> 20),
				  (unsigned long long)
				  (dev.acct.pfn.memmap >> 20));
			ch = dev;
			devdax = 0;
		}
	}
	c->rp->predicted.devdax_dram += devdax;
	if (ch.head) {
		rc = create_spacer(c, f0, ch.head);
		if (rc)
			return rc;
	}
	rc = pl_create(c, PP_ROLE_KMEM, ch.start, ch.size, PP_MODE_DEVDAX,
		       ch.map, ch.align);
	if (!rc)
		rc = pl_bind_ops(c, "", ch.start, ch.size);
	if (!rc && ch.tail >= PP_MIN_DAX_NAMESPACE)
		rc = create_spacer(c, ch.start + ch.size, ch.tail);
	if (rc)
		return rc;
	pl_count_kmem(c, &ch.acct);
	c->rp->predicted.stranded += ch.stranded;
	return 0;
}

/*
 * scan_allocate() is first fit: a new namespace lands in the lowest hole
 * that holds it.  Replay the creates; where one would land lower than
 * planned, first fill that hole with a leftover namespace (usable pmem).
 */
static int place_first_fit(struct ctx *c, struct pp_extent *holes,
			   unsigned int nr_holes)
{
	struct pp_region_plan *rp = c->rp;
	unsigned int i, h;

	for (i = 0; i < rp->nr_ops; i++) {
		struct pp_op *op = &rp->ops[i];

		if (op->kind != PP_OP_CREATE)
			continue;
		for (h = 0; h < nr_holes; h++)
			if (holes[h].end - holes[h].start >= op->size)
				break;
		if (h < nr_holes && holes[h].start < op->start) {
			/* insert a leftover before op i, retry op i */
			uint64_t n = holes[h].end - holes[h].start;

			op = pl_insert_op(c, i, PP_OP_CREATE);
			if (!op)
				return -ENOMEM;
			op->start = holes[h].start;
			op->size = n;
			if (n >= PP_MIN_DAX_NAMESPACE) {
				/* it was free space: now usable, fsdax where
				 * the kernel and ndctl take it */
				pl_spacer_claim(c, op->start, n, &op->mode,
						&op->map, &op->align);
				op->role = op->mode == PP_MODE_FSDAX ?
					   PP_ROLE_LEFTOVER : PP_ROLE_FILLER;
				rp->predicted.free -= n;
				rp->predicted.usable += n;
			} else {
				op->role = PP_ROLE_FILLER;
				op->mode = PP_MODE_RAW;
			}
			i--;
			continue;
		}
		if (h == nr_holes || holes[h].start != op->start)
			return -EDOM;	/* a planner bug: never plan it */
		holes[h].start += op->size;
	}
	return 0;
}

/* A labelled region, gone[i] set for each namespace whose space it reuses. */
int pl_plan_labelled(struct ctx *c, bool *gone)
{
	struct pp_region_plan *rp = c->rp;
	const struct pp_region *r = rp->r;
	struct pp_extent *holes;
	unsigned int i, nh;
	uint64_t cur = r->align != PP_UNKNOWN ? r->align :
		       PP_DEFAULT_REGION_ALIGN;
	int rc;

	if (rp->region_align != cur) {
		struct pp_op *op = pl_add_op(c, PP_OP_REGION_ALIGN);

		if (!op)
			return -ENOMEM;
		pp_strscpy(op->dev, sizeof(op->dev), r->dev);
		op->align = rp->region_align;
	}
	for (i = 0; i < r->nr_ns; i++) {
		struct pp_op *op;

		if (!gone[i])
			continue;
		op = pl_add_op(c, PP_OP_DESTROY);
		if (!op)
			return -ENOMEM;
		pp_strscpy(op->dev, sizeof(op->dev), r->ns[i].dev);
		op->start = r->ns[i].start;
		op->size = r->ns[i].size;
		op->destructive = !pl_is_free_raw(&r->ns[i]);
	}
	rc = pp_free_extents(r, gone, rp->region_align, 0, &holes, &nh);
	if (rc)
		return rc;
	for (i = 0; !rc && i < nh; i++)
		rc = plan_extent_ops(c, holes[i].start, holes[i].end);
	if (!rc)
		rc = place_first_fit(c, holes, nh);
	free(holes);
	return rc;
}
