// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline: what ndctl's and daxctl's defaults would give on a region,
 * to print beside the plan.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "planner/planner_ctx.h"

/*
 * What "ndctl create-namespace -m devdax" (or, label-less, "-f -e
 * namespaceX.0") then "daxctl reconfigure-device -m system-ram" with their
 * defaults give on the namespace [start, start + size).
 */
static void ndctl_defaults(struct ctx *c, uint64_t start, uint64_t size)
{
	const struct pp_platform *p = c->p;
	struct pp_outcome *bl = &c->rp->baseline;
	uint64_t align = pp_default_dax_align(p);
	struct pp_ns_account a;

	if (!pp_is_aligned(start, align))
		align = p->page_size.value;	/* ndctl falls back to 4K */
	pp_account_namespace(p, start, size, PP_MAP_DEV, align, false, &a);
	if (a.pfn_err || a.kmem_err) {
		bl->error = -EINVAL;
		snprintf(bl->error_msg, sizeof(bl->error_msg),
			 "daxctl: Invalid argument (kmem: \"rejecting DAX region without any memory after alignment\")");
		return;
	}
	if (p->mem_available.src && a.dram_memmap > p->mem_available.value) {
		bl->error = -ENOMEM;
		snprintf(bl->error_msg, sizeof(bl->error_msg),
			 "struct pages need %llu MiB of DRAM, %llu MiB available: the kernel runs out of memory (\"System is deadlocked on memory\")",
			 (unsigned long long)(a.dram_memmap >> 20),
			 (unsigned long long)(p->mem_available.value >> 20));
		return;
	}
	if (!strncmp(p->auto_online_blocks, "online", 6)) {
		bl->error = -EBUSY;
		snprintf(bl->error_msg, sizeof(bl->error_msg),
			 "daxctl: \"kernel policy will auto-online memory, aborting\" (with -f the blocks go to ZONE_NORMAL)");
		return;
	}
	bl->kmem += a.kmem.end - a.kmem.start;
	bl->blocks += a.kmem.blocks;
	bl->ram_gain += a.ram_gain;
	bl->dram_memmap += a.dram_memmap;
}

/*
 * The baseline: every existing namespace stays; ndctl takes the largest
 * free extent (max_available_extent, aligned) wherever first fit puts it,
 * or, label-less, reconfigures the free io namespace.
 */
void pl_baseline(struct ctx *c)
{
	const struct pp_region *r = c->rp->r;
	struct pp_outcome *bl = &c->rp->baseline;
	uint64_t ralign = r->align != PP_UNKNOWN ? r->align :
			  PP_DEFAULT_REGION_ALIGN;
	uint64_t size = 0, start = PP_UNKNOWN, taken;
	struct pp_extent *holes;
	unsigned int i, nh;

	for (i = 0; i < r->nr_ns; i++) {
		const struct pp_namespace *ns = &r->ns[i];

		/* ndctl's defaults on what the user lets go, whichever
		 * variant is being planned */
		if (!r->labelled && pl_is_free_raw(ns) && !c->asked->keep) {
			if (r->align != PP_UNKNOWN && r->size % r->align) {
				bl->error = -EINVAL;
				snprintf(bl->error_msg, sizeof(bl->error_msg),
					 "ndctl refuses: \"align setting is %#llx size %#llx is misaligned\"",
					 (unsigned long long)r->align,
					 (unsigned long long)r->size);
				continue;
			}
			ndctl_defaults(c, ns->start, ns->size);
			continue;
		}
		pl_count_kept(c, ns, bl);
	}
	if (r->labelled) {
		if (pp_free_extents(r, NULL, ralign, 0, &holes, &nh))
			return;
		for (i = 0; i < nh; i++)
			if (holes[i].end - holes[i].start > size)
				size = holes[i].end - holes[i].start;
		size = pp_align_down(size, ralign * r->ways);
		if (size < PP_MIN_DAX_NAMESPACE)
			size = 0;
		for (i = 0; i < nh; i++) {
			uint64_t n = holes[i].end - holes[i].start;

			if (size && start == PP_UNKNOWN && n >= size) {
				start = holes[i].start;	/* first fit */
				n -= size;
			}
			if (n >= PP_MIN_DAX_NAMESPACE)
				bl->free += n;
		}
		free(holes);
		if (size)
			ndctl_defaults(c, start, size);
	}
	taken = bl->kmem + bl->usable + bl->free;
	bl->stranded = taken < r->size ? r->size - taken : 0;
}
