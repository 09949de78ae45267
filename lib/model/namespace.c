// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel arithmetic for one namespace, namespace -> info block ->
 * device-dax -> kmem: nd_pfn_init()'s layout, dax_kmem_range()'s whole
 * memory blocks, where every byte goes, and the bound of any layout.
 *
 * Pure functions: no I/O, no allocation.  Every rule names the kernel
 * function it mirrors and the kernel versions it holds for; the derivations
 * are in ../shared/reference/kernel-model.md (section numbers below).
 */
#include <errno.h>
#include "model/model.h"

/*
 * drivers/nvdimm/pfn_devs.c nd_pfn_init(), v5.7+ (§1.2; same arithmetic
 * v5.3-v5.6 with compat = 2 MiB).  Returns -EINVAL when the start is not
 * compat-aligned ("start misaligned"), -ENXIO when nothing is left
 * ("unable to satisfy requested alignment").
 */
int pp_pfn_layout(const struct pp_platform *p, uint64_t start, uint64_t size,
		  enum pp_map map, uint64_t align, struct pp_pfn_layout *out)
{
	uint64_t compat = p->compat_align.value;
	uint64_t a = align > compat ? align : compat;
	uint64_t npfns, base;

	out->align = a;
	out->memmap = 0;
	out->dataoff = 0;
	out->end_trunc = 0;
	if (size <= SZ_8K || !pp_is_aligned(start, compat))
		return -EINVAL;

	out->end_trunc = start + size - pp_align_down(start + size, a);
	npfns = (size - SZ_8K) / p->page_size.value;
	if (map == PP_MAP_DEV) {
		/* page_map_size = MAX_STRUCT_PAGE_SIZE * npfns */
		out->memmap = pp_map_dev_struct_page_size(p) * npfns;
		base = start + SZ_8K + out->memmap;
	} else if (map == PP_MAP_MEM) {
		base = start + SZ_8K;
	} else {
		return -ENXIO;
	}
	out->dataoff = pp_align_up(base, a) - start;
	if (out->dataoff >= size - out->end_trunc)
		return -ENXIO;
	return 0;
}

/*
 * drivers/dax/kmem.c dax_kmem_range() (v5.10+, §3.1): only whole memory
 * blocks are hot-plugged.  v5.15+ dev_dax_kmem_probe() rejects a device
 * with nothing left: "rejecting DAX region without any memory after
 * alignment" (-EINVAL); v5.10-v5.14 bound with no memory added, earlier
 * kernels failed request_mem_region() (-EBUSY).  We report -EINVAL.
 */
int pp_kmem_range(const struct pp_platform *p, uint64_t lo, uint64_t hi,
		  struct pp_kmem_range *out)
{
	uint64_t b = p->block_size.value;

	out->start = pp_align_up(lo, b);
	out->end = pp_align_down(hi, b);
	if (hi <= lo || out->end <= out->start) {
		out->start = out->end = 0;
		out->blocks = 0;
		return -EINVAL;
	}
	out->blocks = (out->end - out->start) / b;
	return 0;
}

/*
 * What kmem makes of the device-dax range [dax_start, dax_end) of out:
 * dev_dax_kmem_probe() hot-plugs dax_kmem_range() of each range, the
 * block-aligned middle; the rest is the head and the tail gap.
 */
static void account_dax(const struct pp_platform *p, bool memmap_on_memory,
			struct pp_ns_account *out)
{
	uint64_t ps = p->page_size.value;
	bool force = p->memmap_on_memory == PP_MOM_FORCE;

	out->kmem_err = pp_kmem_range(p, out->dax_start, out->dax_end,
				      &out->kmem);
	if (out->kmem_err) {
		/* all of the device-dax range is lost to alignment */
		out->head_gap = out->dax_end - out->dax_start;
		return;
	}
	out->head_gap = out->kmem.start - out->dax_start;
	out->tail_gap = out->dax_end - out->kmem.end;
	/* create_altmaps_and_memory_blocks(): per-block altmap (v6.8+) */
	if (memmap_on_memory)
		out->mom_bytes = out->kmem.blocks * pp_mom_pages(p, force) * ps;
	out->ram_gain = out->kmem.end - out->kmem.start - out->mom_bytes;
	out->dram_memmap = memmap_on_memory ? 0 :
			   out->kmem.blocks * pp_block_memmap_bytes(p);
}

void pp_account_namespace(const struct pp_platform *p, uint64_t start,
			  uint64_t size, enum pp_map map, uint64_t align,
			  bool memmap_on_memory, struct pp_ns_account *out)
{
	*out = (struct pp_ns_account){ .capacity = size };
	out->pfn_err = pp_pfn_layout(p, start, size, map, align, &out->pfn);
	if (out->pfn_err) {
		out->kmem_err = -EINVAL;
		return;
	}
	out->info_block = out->pfn.dataoff - out->pfn.memmap;
	out->dax_start = start + out->pfn.dataoff;
	out->dax_end = start + size - out->pfn.end_trunc;
	account_dax(p, memmap_on_memory, out);
}

/*
 * A dax device without an info block: a CXL ram region's (dax_cxl,
 * drivers/dax/cxl.c cxl_dax_region_probe()) or any range of a dax
 * region that daxctl create-device carved.  The whole range is
 * device-dax; kmem takes its block-aligned middle.
 */
void pp_account_dax_range(const struct pp_platform *p, uint64_t start,
			  uint64_t size, bool memmap_on_memory,
			  struct pp_ns_account *out)
{
	*out = (struct pp_ns_account){ .capacity = size };
	out->dax_start = start;
	out->dax_end = start + size;
	account_dax(p, memmap_on_memory, out);
}

uint64_t pp_kmem_bound(const struct pp_platform *p, uint64_t start,
		       uint64_t end)
{
	uint64_t b = p->block_size.value;
	uint64_t compat = p->compat_align.value;
	uint64_t lo, hi;

	/* minimal dataoff: map=mem at the smallest effective alignment */
	lo = pp_align_up(pp_align_up(start + SZ_8K, compat), b);
	hi = pp_align_down(end, b);
	return hi > lo ? hi - lo : 0;
}
