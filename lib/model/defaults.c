// SPDX-License-Identifier: GPL-2.0
/*
 * Platform facts the source could not read, derived from the
 * architecture, page size and kernel version: section and memory block
 * size, PMD size, pageblock order, memremap_compat_align(), the supported
 * dax alignments.
 *
 * Pure functions: no I/O, no allocation.  Every rule names the kernel
 * function it mirrors and the kernel versions it holds for; the derivations
 * are in ../shared/reference/kernel-model.md (section numbers below).
 */
#include "model/model.h"

static unsigned int ilog2_u64(uint64_t x)
{
	unsigned int r = 0;

	while (x >>= 1)
		r++;
	return r;
}

/*
 * SECTION_SIZE_BITS, arch/<arch>/include/asm/sparsemem.h (§5.1).  arm64
 * went from 1 GiB to 128 MiB (4K/16K) or 512 MiB (64K) in v5.12,
 * f0b13ee23241 "arm64/sparsemem: reduce SECTION_SIZE_BITS".
 */
uint64_t pp_default_section_size(enum pp_arch arch, uint64_t page_size,
				 uint32_t kver)
{
	switch (arch) {
	case PP_ARCH_ARM64:
		if (kver && kver < PP_KVER(5, 12, 0))
			return SZ_1G;
		return page_size == SZ_64K ? SZ_512M : SZ_128M;
	case PP_ARCH_PPC64:
		return SZ_16M;
	case PP_ARCH_S390X:
		return SZ_256M;
	case PP_ARCH_LOONGARCH64:
		return SZ_512M;
	case PP_ARCH_X86_64:
	case PP_ARCH_RISCV64:
	default:
		return SZ_128M;
	}
}

/*
 * memory_block_size_bytes() when block_size_bytes cannot be read (§6.1).
 * x86_64 probe_memory_block_size(): 128 MiB below 64 GiB of boot memory,
 * 2 GiB on bare metal above it (fe124c95df9e, v5.9; a VM would pick the
 * largest power of two dividing the end of boot memory, which we cannot
 * see from userspace).  pseries uses the LMB size, commonly 256 MiB.
 * Everything else is MIN_MEMORY_BLOCK_SIZE, the section size.
 */
uint64_t pp_default_block_size(enum pp_arch arch, uint64_t page_size,
			       uint32_t kver, uint64_t boot_mem)
{
	switch (arch) {
	case PP_ARCH_X86_64:
		if (boot_mem != PP_UNKNOWN && boot_mem >= SZ_64G)
			return SZ_2G;
		return SZ_128M;
	case PP_ARCH_PPC64:
		return SZ_256M;
	default:
		return pp_default_section_size(arch, page_size, kver);
	}
}

/* HPAGE_PMD_SIZE: one PMD maps PAGE_SIZE * (PAGE_SIZE / 8) bytes. */
uint64_t pp_default_hpage_pmd_size(enum pp_arch arch, uint64_t page_size)
{
	if (arch == PP_ARCH_S390X)
		return SZ_1M;			/* segment table entry */
	if (arch == PP_ARCH_PPC64)
		return SZ_2M;			/* radix; hash 64K is 16M */
	return page_size * (page_size / 8);
}

/*
 * MAX_PAGE_ORDER (MAX_ORDER - 1 before v6.4): arm64 ARCH_FORCE_MAX_ORDER
 * defaults 10/11/13 for 4K/16K/64K pages; 10 elsewhere.
 */
unsigned int pp_max_page_order(enum pp_arch arch, uint64_t page_size)
{
	if (arch == PP_ARCH_ARM64 && page_size == SZ_64K)
		return 13;
	if (arch == PP_ARCH_ARM64 && page_size == 16384)
		return 11;
	return 10;
}

/*
 * include/linux/pageblock-flags.h (§5.3), v5.18+:
 * pageblock_order = min(HUGETLB_PAGE_ORDER, MAX_PAGE_ORDER), where the
 * huge page order is that of the PMD on every arch we model.
 */
unsigned int pp_default_pageblock_order(enum pp_arch arch, uint64_t page_size,
					uint64_t hpage_pmd_size)
{
	unsigned int order = ilog2_u64(hpage_pmd_size / page_size);
	unsigned int max = pp_max_page_order(arch, page_size);

	return order < max ? order : max;
}

/*
 * memremap_compat_align() (§1.6, v5.7): SUBSECTION_SIZE (2 MiB) except
 * powerpc hash MMU, where it is the linear-map page size (16 MiB).  A
 * 16 MiB PMD on ppc64 with 64K pages means hash.
 */
uint64_t pp_default_compat_align(enum pp_arch arch, uint64_t page_size,
				 uint64_t hpage_pmd_size)
{
	if (arch == PP_ARCH_PPC64 && page_size == SZ_64K &&
	    hpage_pmd_size == SZ_16M)
		return SZ_16M;
	return SZ_2M;
}

/*
 * struct page bytes reserved per pfn by map=dev: MAX_STRUCT_PAGE_SIZE in
 * drivers/nvdimm/nd.h (§1.4).  6e9f05dc66f9 raised it to 128 in v6.1;
 * c91d71363084 (v6.2, Cc stable, in 6.1.y from about 6.1.9) put it back to
 * 64.  Debian 12's 6.1 kernels are all past the backport: measured 64.
 */
uint64_t pp_map_dev_struct_page_size(const struct pp_platform *p)
{
	if (p->kver >= PP_KVER(6, 1, 0) && p->kver < PP_KVER(6, 1, 9))
		return 128;
	return 64;
}

/*
 * nd_pfn_default_alignment(): HPAGE_PMD_SIZE when THP is available.
 * ndctl create-namespace takes the dax seed's align as the default.
 */
uint64_t pp_default_dax_align(const struct pp_platform *p)
{
	if (p->nr_supported_align > 1)
		return p->supported_align[1];
	return p->hpage_pmd_size.value;
}

/* nd_supported_alignment(): the align must be one entry of the list. */
bool pp_align_supported(const struct pp_platform *p, uint64_t align)
{
	unsigned int i;

	for (i = 0; i < p->nr_supported_align; i++)
		if (p->supported_align[i] == align)
			return true;
	return false;
}

/*
 * PAGE_SIZE of the distributions' kernels: 4K everywhere but loongarch
 * (CONFIG_PAGE_SIZE_16KB is its default); arm64 16K/64K and ppc64 64K
 * kernels say so through uname or getpagesize().
 */
uint64_t pp_default_page_size(enum pp_arch arch)
{
	return arch == PP_ARCH_LOONGARCH64 ? 16384 : SZ_4K;
}

static void derive_fact(struct pp_fact *f, uint64_t value)
{
	if (f->src != PP_SRC_NONE)
		return;
	f->value = value;
	f->src = PP_SRC_DERIVED;
}

void pp_platform_derive(struct pp_platform *p)
{
	uint64_t boot_mem = p->mem_total.src ? p->mem_total.value : PP_UNKNOWN;
	enum pp_arch arch = p->arch;
	uint64_t ps;

	derive_fact(&p->page_size, pp_default_page_size(arch));
	ps = p->page_size.value;
	derive_fact(&p->section_size,
		    pp_default_section_size(arch, ps, p->kver));
	derive_fact(&p->block_size,
		    pp_default_block_size(arch, ps, p->kver, boot_mem));
	derive_fact(&p->hpage_pmd_size, pp_default_hpage_pmd_size(arch, ps));
	derive_fact(&p->pageblock_order,
		    pp_default_pageblock_order(arch, ps,
					       p->hpage_pmd_size.value));
	derive_fact(&p->struct_page_size, 64);
	derive_fact(&p->compat_align,
		    pp_default_compat_align(arch, ps,
					    p->hpage_pmd_size.value));
	if (!p->nr_supported_align) {
		/* nd_pfn_supported_alignments(): PAGE_SIZE, PMD, (PUD) */
		p->supported_align[p->nr_supported_align++] = ps;
		p->supported_align[p->nr_supported_align++] =
			p->hpage_pmd_size.value;
		if (arch == PP_ARCH_X86_64)
			p->supported_align[p->nr_supported_align++] = SZ_1G;
	}
}
