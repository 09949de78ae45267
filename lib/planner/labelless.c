// SPDX-License-Identifier: GPL-2.0
/*
 * Label-less regions (e820 carve-outs, NVDIMMs without a label area): one
 * io namespace spans the region, so only its mode can change; for a
 * carve-out, the memmap= that would lose less.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "planner/planner_ctx.h"
#include "util/util.h"

/*
 * "memmap=nn!ss" advice for e820 carve-outs (x86 only: no memmap= on other
 * architectures).  Keep the end; start one map=mem info block before a
 * block boundary, so the carve-out loses only that (§9(b), measured in
 * §13: memmap=2050M!5118M hot-plugs 2048 MiB where 2G!5G gives 1920 MiB).
 * The carve-out must stay inside one firmware "System RAM" range.
 */
static void carveout_advice(struct ctx *c, uint64_t kmem_now)
{
	const struct pp_platform *p = c->p;
	const struct pp_region *r = c->rp->r;
	uint64_t b = p->block_size.value, d = p->compat_align.value;
	uint64_t end = r->start + r->size, k1 = pp_align_down(end, b);
	uint64_t k0 = pp_align_up(r->start + d, b), k, lo;
	unsigned int f;

	if (r->kind != PP_REGION_E820 || p->arch != PP_ARCH_X86_64 ||
	    k1 <= k0)
		return;
	/* the lowest block boundary whose carve-out fits the firmware map */
	for (k = k0 >= b ? k0 - b : k0; k <= k0; k += b) {
		bool fits = !p->nr_fwmap;

		lo = k - d;
		for (f = 0; f < p->nr_fwmap; f++)
			if (!strcmp(p->fwmap[f].type, "System RAM") &&
			    p->fwmap[f].start <= lo && k1 <= p->fwmap[f].end)
				fits = true;
		if (fits)
			break;
	}
	if (k > k0 || (k1 - k == kmem_now && lo == r->start && k1 == end))
		return;
	pl_advise(c->rp, "memmap=%lluM!%lluM instead of this carve-out hot-plugs %llu MiB (now %llu MiB) from %llu MiB of RAM (now %llu MiB)%s",
		  (unsigned long long)((k1 - lo) >> 20),
		  (unsigned long long)(lo >> 20),
		  (unsigned long long)((k1 - k) >> 20),
		  (unsigned long long)(kmem_now >> 20),
		  (unsigned long long)((k1 - lo) >> 20),
		  (unsigned long long)(r->size >> 20),
		  p->nr_fwmap ? "" :
		  "; not checked against the firmware memory map");
}

/* Label-less: the io namespace spans the region; only its mode moves. */
int pl_plan_labelless(struct ctx *c)
{
	struct pp_region_plan *rp = c->rp;
	const struct pp_region *r = rp->r;
	unsigned int i, before;
	int rc = 0;

	for (i = 0; !rc && i < r->nr_ns; i++) {
		enum ns_fate f = pl_fate(&r->ns[i], c->o);
		struct pp_op *op;
		uint64_t a = r->align;

		if (f == NS_KEEP) {
			pl_keep(c, &r->ns[i]);
			continue;
		}
		before = rp->nr_ops;
		rc = pl_reconfigure_in_place(c, &r->ns[i],
					     !pl_is_free_raw(&r->ns[i]));
		if (rc || rp->nr_ops == before || a == PP_UNKNOWN ||
		    !(r->size % a))
			continue;
		/* ndctl refuses a namespace that is not a multiple of the
		 * region align; keep the region usable with ndctl too */
		while (r->size % a)
			a >>= 1;
		op = pl_insert_op(c, before, PP_OP_REGION_ALIGN);
		if (!op)
			return -ENOMEM;
		pp_strscpy(op->dev, sizeof(op->dev), r->dev);
		op->align = a;
		rp->region_align = a;
	}
	if (!rc)
		carveout_advice(c, rp->predicted.kmem);
	return rc;
}
