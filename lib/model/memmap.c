// SPDX-License-Identifier: GPL-2.0
/*
 * Where the struct pages of hot-plugged pmem go: DRAM by default, the
 * memory block itself with memmap_on_memory, and device_dax's own memmap
 * while a map=mem namespace is still devdax.
 *
 * Pure functions: no I/O, no allocation.  Every rule names the kernel
 * function it mirrors and the kernel versions it holds for; the derivations
 * are in ../shared/reference/kernel-model.md (section numbers below).
 */
#include "model/model.h"

/* mm/memory_hotplug.c memory_block_memmap_size() (v6.6+, §4.2) */
uint64_t pp_block_memmap_bytes(const struct pp_platform *p)
{
	return p->block_size.value / p->page_size.value *
	       p->struct_page_size.value;
}

/*
 * memory_block_memmap_on_memory_pages(): PFN_UP(memmap size), padded to
 * whole pageblocks in force mode (the "altmap reserve").
 */
uint64_t pp_mom_pages(const struct pp_platform *p, bool force)
{
	uint64_t ps = p->page_size.value;
	uint64_t pages = (pp_block_memmap_bytes(p) + ps - 1) / ps;
	uint64_t pb = 1ULL << p->pageblock_order.value;

	return force ? pp_align_up(pages, pb) : pages;
}

/*
 * mhp_supports_memmap_on_memory(), v6.8 form (the first in which kmem can
 * pass MHP_MEMMAP_ON_MEMORY for a multi-block range, §3.2 and §4.2), with
 * the generic arch_supports_memmap_on_memory() (vmemmap spans whole PMDs)
 * and powerpc's (radix 64K: true; 4K: PMD check).
 */
enum pp_mom_verdict pp_mom_supported(const struct pp_platform *p,
				     enum pp_mom_param mode)
{
	uint64_t vmemmap = pp_block_memmap_bytes(p);
	uint64_t pages = pp_mom_pages(p, mode == PP_MOM_FORCE);
	uint64_t pb = 1ULL << p->pageblock_order.value;
	uint64_t ps = p->page_size.value;

	if (p->kver && p->kver < PP_KVER(6, 8, 0))
		return PP_MOM_NO_KERNEL;
	if (mode != PP_MOM_ON && mode != PP_MOM_FORCE)
		return PP_MOM_DISABLED;
	if (!pp_is_aligned(vmemmap, ps) || !pp_is_aligned(pages, pb))
		return PP_MOM_UNALIGNED;
	if (pages >= p->block_size.value / ps)
		return PP_MOM_WHOLE_BLOCK;
	if (p->arch == PP_ARCH_PPC64) {
		if (p->compat_align.value == SZ_16M)	/* hash MMU */
			return PP_MOM_ARCH;
		if (ps == SZ_64K)
			return PP_MOM_OK;
	}
	if (!pp_is_aligned(vmemmap, p->hpage_pmd_size.value))
		return PP_MOM_ARCH;
	return PP_MOM_OK;
}

const char *pp_mom_verdict_str(enum pp_mom_verdict v)
{
	switch (v) {
	case PP_MOM_OK:
		return "supported";
	case PP_MOM_NO_KERNEL:
		return "kernel older than 6.8: kmem cannot place struct pages on the device";
	case PP_MOM_DISABLED:
		return "memory_hotplug.memmap_on_memory is not enabled";
	case PP_MOM_UNALIGNED:
		return "per-block memmap is not pageblock aligned (needs memory_hotplug.memmap_on_memory=force)";
	case PP_MOM_ARCH:
		return "the architecture cannot map a partial vmemmap PMD";
	case PP_MOM_WHOLE_BLOCK:
		return "the memmap would fill the whole memory block";
	}
	return "unknown";
}

/*
 * device_dax maps a map=mem namespace with struct pages in DRAM while it is
 * in devdax mode.  Since v5.19 ("mm/sparse-vmemmap: improve memory savings
 * for compound devmaps", Joao Martins) compound pages of PMD size share
 * their tail vmemmap pages: 2 of the 8 vmemmap pages per 2 MiB remain, a
 * quarter; PUD-sized ones need almost none.  §13 measured 165 MiB for
 * 40 GiB at align 2M on 6.1 (N/248), this gives N/256.
 */
uint64_t pp_devdax_memmap_bytes(const struct pp_platform *p, uint64_t size,
				uint64_t align)
{
	uint64_t full = size / p->page_size.value * p->struct_page_size.value;

	if (p->kver && p->kver < PP_KVER(5, 19, 0))
		return full;
	if (align >= SZ_1G)
		return full / 512;
	if (align >= p->hpage_pmd_size.value)
		return full / 4;
	return full;
}
