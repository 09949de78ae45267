// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel model against numbers the kernel itself produced
 * (../shared/reference/kernel-model.md §13, Debian 6.1 and 6.12 under
 * QEMU), the worked examples of §9 and the published reports.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "model/model.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

static struct pp_platform mk(enum pp_arch arch, uint64_t page,
			     uint64_t block, uint32_t kver)
{
	struct pp_platform p = { .arch = arch, .kver = kver };

	p.page_size = (struct pp_fact){ page, PP_SRC_OVERRIDE };
	if (block)
		p.block_size = (struct pp_fact){ block, PP_SRC_OVERRIDE };
	pp_platform_derive(&p);
	return p;
}

static struct pp_platform x86(uint64_t block)
{
	return mk(PP_ARCH_X86_64, SZ_4K, block, PP_KVER(6, 1, 0x70));
}

/* namespace [S, S+N) devdax -> expected dataoff and kmem [k0, k1) */
static void expect_ns(const struct pp_platform *p, uint64_t s, uint64_t n,
		      enum pp_map map, uint64_t align, uint64_t dataoff,
		      uint64_t k0, uint64_t k1)
{
	struct pp_ns_account a;

	pp_account_namespace(p, s, n, map, align, false, &a);
	assert_int_equal(a.pfn_err, 0);
	assert_int_equal(a.pfn.dataoff, dataoff);
	if (k1 == k0) {
		assert_int_equal(a.kmem_err, -EINVAL);
		return;
	}
	assert_int_equal(a.kmem_err, 0);
	assert_int_equal(a.kmem.start, k0);
	assert_int_equal(a.kmem.end, k1);
	assert_int_equal(a.kmem.blocks, (k1 - k0) / p->block_size.value);
	assert_int_equal(a.capacity - (a.kmem.end - a.kmem.start),
			 a.pfn.dataoff + a.head_gap + a.tail_gap +
			 a.pfn.end_trunc);
}

/* §13 row 1: 1 GiB guest, 4098M labelled NVDIMM, ndctl defaults */
static void measured_4g_nvdimm(void **state)
{
	struct pp_platform p = x86(SZ_128M);

	(void)state;
	expect_ns(&p, 0x100000000, GiB(4), PP_MAP_DEV, SZ_2M,
		  0x104200000 - 0x100000000, 0x108000000, 0x200000000);
}

/* §13 row 2: the same NVDIMM placed at addr=0x10a000000 */
static void measured_unaligned_region(void **state)
{
	struct pp_platform p = x86(SZ_128M);

	(void)state;
	expect_ns(&p, 0x10a000000, GiB(4), PP_MAP_DEV, SZ_2M,
		  0x10e200000 - 0x10a000000, 0x110000000, 0x208000000);
}

/* §13 row 3: 40 GiB, map=dev loses 642 MiB; map=mem gives 40832 MiB */
static void measured_40g(void **state)
{
	struct pp_platform p = x86(SZ_128M);
	struct pp_ns_account a;

	(void)state;
	expect_ns(&p, 0x140000000, GiB(40), PP_MAP_DEV, SZ_2M, MiB(642),
		  0x170000000, 0xb40000000);
	assert_int_equal(0xb40000000 - 0x170000000, MiB(40192));
	pp_account_namespace(&p, 0x140000000, GiB(40), PP_MAP_MEM, SZ_2M,
			     false, &a);
	assert_int_equal(a.kmem.end - a.kmem.start, MiB(40832));
	/* 319 blocks of struct pages in DRAM: 2 MiB per 128 MiB block */
	assert_int_equal(a.dram_memmap, a.kmem.blocks * MiB(2));
}

/* §13 rows 4-5: 66 GiB guest, 2 GiB blocks, 8194M NVDIMM */
static void measured_2g_blocks(void **state)
{
	struct pp_platform p = x86(SZ_2G);

	(void)state;
	expect_ns(&p, 0x1150000000, GiB(8), PP_MAP_DEV, SZ_2M,
		  0x1158200000 - 0x1150000000, 0x1180000000, 0x1300000000);
}

/* §13 row 6: memmap=2G!4G, e820, 34 MiB of metadata, 1920 MiB kmem */
static void measured_e820(void **state)
{
	struct pp_platform p = x86(SZ_128M);

	(void)state;
	expect_ns(&p, 0x100000000, GiB(2), PP_MAP_DEV, SZ_2M, MiB(34),
		  0x108000000, 0x180000000);
}

/* §13 row 7: region align 2M, 126M spacer, then a 3970M map=mem kmem ns */
static void measured_spacer(void **state)
{
	struct pp_platform p = x86(SZ_128M);

	(void)state;
	expect_ns(&p, 0x107e00000, MiB(3970), PP_MAP_MEM, SZ_2M, SZ_2M,
		  0x108000000, 0x200000000);
}

/* §13: map=dev of 1 GiB is 18 MiB; align 4K still gets a 2 MiB offset */
static void measured_small(void **state)
{
	struct pp_platform p = x86(SZ_128M);

	(void)state;
	expect_ns(&p, 0x120000000, GiB(1), PP_MAP_DEV, SZ_2M, MiB(18),
		  0x128000000, 0x160000000);
	expect_ns(&p, 0x120000000, GiB(1), PP_MAP_MEM, SZ_4K, SZ_2M,
		  0x128000000, 0x160000000);
	/* 48 MiB devdax: "too small after alignment", kmem rejects it */
	expect_ns(&p, 0x110000000, MiB(48), PP_MAP_DEV, SZ_2M, SZ_2M, 0, 0);
}

/* §13, the 2021 carve-out thread: memmap=2050M!5118M gives 2048 MiB */
static void measured_carveout_fix(void **state)
{
	struct pp_platform p = x86(SZ_128M);

	(void)state;
	expect_ns(&p, 0x13fe00000, MiB(2050), PP_MAP_MEM, SZ_2M, SZ_2M,
		  0x140000000, 0x1c0000000);
	expect_ns(&p, 0x140000000, GiB(2), PP_MAP_MEM, SZ_2M, SZ_2M,
		  0x148000000, 0x1c0000000);
	assert_int_equal(pp_kmem_bound(&p, 0x13fe00000, 0x1c0000000),
			 MiB(2048));
}

/* Published: 126 MiB of a 2 GiB carve-out on x86, 1022 MiB on arm64 */
static void published_carveout_loss(void **state)
{
	struct pp_platform x = x86(SZ_128M);
	struct pp_platform arm = mk(PP_ARCH_ARM64, SZ_4K, 0, PP_KVER(5, 10, 0));
	struct pp_ns_account a;

	(void)state;
	assert_int_equal(arm.block_size.value, SZ_1G);
	assert_int_equal(arm.block_size.src, PP_SRC_DERIVED);
	pp_account_namespace(&x, 0x100000000, GiB(2), PP_MAP_MEM, SZ_2M,
			     false, &a);
	assert_int_equal(a.head_gap, MiB(126));
	assert_int_equal(a.kmem.end - a.kmem.start, MiB(1920));
	pp_account_namespace(&arm, 0x100000000, GiB(2), PP_MAP_MEM, SZ_2M,
			     false, &a);
	assert_int_equal(a.head_gap, MiB(1022));
	assert_int_equal(a.kmem.end - a.kmem.start, GiB(1));
	/* x86 bare metal, 2 GiB blocks: nothing left, kmem rejects it */
	x = x86(SZ_2G);
	pp_account_namespace(&x, 0x100000000, GiB(2), PP_MAP_MEM, SZ_2M,
			     false, &a);
	assert_int_equal(a.kmem_err, -EINVAL);
}

/* Published: 4 GiB QEMU NVDIMM on old arm64 (1 GiB blocks) yields 2 GiB */
static void published_old_arm64(void **state)
{
	struct pp_platform p = mk(PP_ARCH_ARM64, SZ_4K, 0, PP_KVER(5, 4, 0));
	struct pp_ns_account a;

	(void)state;
	pp_account_namespace(&p, 0x240000000, 0xff000000, PP_MAP_DEV, SZ_2M,
			     false, &a);
	assert_int_equal(a.pfn.dataoff, MiB(64));
	assert_int_equal(a.kmem.start, 0x280000000);
	assert_int_equal(a.kmem.end, 0x300000000);
	/* v5.12+: 128 MiB sections, 3840 MiB of the same namespace */
	p = mk(PP_ARCH_ARM64, SZ_4K, 0, PP_KVER(6, 12, 0));
	pp_account_namespace(&p, 0x240000000, 0xff000000, PP_MAP_DEV, SZ_2M,
			     false, &a);
	assert_int_equal(a.kmem.end - a.kmem.start, MiB(3840));
}

/* §9(a): 2 GiB at 0x240000000, 1 GiB blocks, dataoff per page size */
static void worked_arm64_page_sizes(void **state)
{
	struct pp_platform p64 = mk(PP_ARCH_ARM64, SZ_64K, SZ_1G,
				    PP_KVER(5, 4, 0));
	struct pp_platform p16 = mk(PP_ARCH_ARM64, 16384, SZ_1G,
				    PP_KVER(5, 4, 0));
	struct pp_platform p4 = mk(PP_ARCH_ARM64, SZ_4K, SZ_1G,
				   PP_KVER(5, 4, 0));

	(void)state;
	expect_ns(&p64, 0x240000000, GiB(2), PP_MAP_DEV, SZ_64K, MiB(4),
		  0x280000000, 0x2c0000000);
	expect_ns(&p16, 0x240000000, GiB(2), PP_MAP_DEV, 16384, MiB(10),
		  0x280000000, 0x2c0000000);
	expect_ns(&p4, 0x240000000, GiB(2), PP_MAP_DEV, SZ_2M, MiB(34),
		  0x280000000, 0x2c0000000);
	/* the 64K default align is 512M: dataoff 512 MiB, same kmem */
	expect_ns(&p64, 0x240000000, GiB(2), PP_MAP_DEV, SZ_512M, SZ_512M,
		  0x280000000, 0x2c0000000);
}

/* Published: 1 TiB namespace at align 16M has dataoff 17196646400 */
static void published_1t(void **state)
{
	struct pp_platform p = x86(SZ_2G);
	struct pp_pfn_layout l;

	(void)state;
	assert_int_equal(pp_pfn_layout(&p, 0x10000000000, 1ULL << 40,
				       PP_MAP_DEV, SZ_16M, &l), 0);
	assert_int_equal(l.dataoff, 17196646400ULL);
	assert_int_equal(l.align, SZ_16M);
}

/* Published + §13 ppc64: 64K pages, 256 MiB blocks: 4 + 28 pages */
static void published_ppc64_altmap(void **state)
{
	struct pp_platform p = mk(PP_ARCH_PPC64, SZ_64K, SZ_256M,
				  PP_KVER(6, 12, 0));
	struct pp_ns_account a;

	(void)state;
	assert_int_equal(p.pageblock_order.value, 5);
	assert_int_equal(pp_block_memmap_bytes(&p), 256 * 1024);
	assert_int_equal(pp_mom_pages(&p, false), 4);
	assert_int_equal(pp_mom_pages(&p, true), 32);
	assert_int_equal(pp_mom_supported(&p, PP_MOM_ON), PP_MOM_UNALIGNED);
	assert_int_equal(pp_mom_supported(&p, PP_MOM_FORCE), PP_MOM_OK);
	/* 4 GiB map=mem at 0x80000000: 15 of 16 blocks, +3810 MiB */
	p.memmap_on_memory = PP_MOM_FORCE;
	pp_account_namespace(&p, 0x80000000, GiB(4), PP_MAP_MEM, SZ_64K,
			     true, &a);
	assert_int_equal(a.pfn.dataoff, SZ_2M);
	assert_int_equal(a.kmem.start, 0x90000000);
	assert_int_equal(a.kmem.end, 0x180000000);
	assert_int_equal(a.ram_gain, MiB(3810));
	assert_int_equal(a.dram_memmap, 0);
	/* 4K pages on ppc64: no waste, 4 MiB per 256 MiB block */
	p = mk(PP_ARCH_PPC64, SZ_4K, SZ_256M, PP_KVER(6, 12, 0));
	assert_int_equal(p.pageblock_order.value, 9);
	assert_int_equal(pp_mom_pages(&p, true) * SZ_4K, MiB(4));
	assert_int_equal(pp_mom_pages(&p, false), pp_mom_pages(&p, true));
}

/*
 * Net memory (MemTotal growth less struct pages in DRAM), §13 ppc64le:
 * 4 GiB map=mem at 0x80000000, 15 blocks.  memmap_on_memory=force: +3810
 * MiB, no DRAM; in DRAM: +3840 MiB for 15 x 256 KiB = 3.75 MiB of DRAM, a
 * net 3836.25 MiB, so DRAM gives more.  On 4K pages (§13: "wastes 0 pages
 * and gives 4 MiB per 256 MiB block") the two tie.
 */
static void net_memory_ppc64(void **state)
{
	struct pp_platform p = mk(PP_ARCH_PPC64, SZ_64K, SZ_256M,
				  PP_KVER(6, 12, 0));
	struct pp_ns_account dev, dram;

	(void)state;
	p.memmap_on_memory = PP_MOM_FORCE;
	pp_account_namespace(&p, 0x80000000, GiB(4), PP_MAP_MEM, SZ_64K,
			     true, &dev);
	pp_account_namespace(&p, 0x80000000, GiB(4), PP_MAP_MEM, SZ_64K,
			     false, &dram);
	assert_int_equal(dev.kmem.blocks, 15);
	assert_int_equal(dram.kmem.blocks, 15);
	assert_int_equal(dev.ram_gain - dev.dram_memmap, MiB(3810));
	assert_int_equal(dram.ram_gain, MiB(3840));
	assert_int_equal(dram.dram_memmap, 15 * 256 * 1024);
	assert_int_equal(dram.ram_gain - dram.dram_memmap,
			 MiB(3836) + MiB(1) / 4);
	/* 28 of every 4096 pages are pageblock padding: 1.75 MiB a block */
	assert_int_equal((pp_mom_pages(&p, true) - pp_mom_pages(&p, false)) *
			 SZ_64K, MiB(1) + MiB(3) / 4);
	/* 4K pages, 256 MiB blocks: 4 MiB a block either way */
	p = mk(PP_ARCH_PPC64, SZ_4K, SZ_256M, PP_KVER(6, 12, 0));
	p.memmap_on_memory = PP_MOM_FORCE;
	pp_account_namespace(&p, 0x80000000, GiB(4), PP_MAP_MEM, SZ_2M,
			     true, &dev);
	pp_account_namespace(&p, 0x80000000, GiB(4), PP_MAP_MEM, SZ_2M,
			     false, &dram);
	assert_int_equal(dev.kmem.blocks, dram.kmem.blocks);
	assert_int_equal(dev.ram_gain - dev.dram_memmap,
			 dram.ram_gain - dram.dram_memmap);
}

/* §13 6.12: 2 GiB map=mem namespaces, one with memmap_on_memory */
static void measured_612_mom(void **state)
{
	struct pp_platform p = mk(PP_ARCH_X86_64, SZ_4K, SZ_128M,
				  PP_KVER(6, 12, 0));
	struct pp_ns_account with, without;

	(void)state;
	p.memmap_on_memory = PP_MOM_ON;
	assert_int_equal(pp_mom_supported(&p, PP_MOM_ON), PP_MOM_OK);
	pp_account_namespace(&p, 0x100000000, GiB(2), PP_MAP_MEM, SZ_2M,
			     true, &with);
	pp_account_namespace(&p, 0x180000000, GiB(2), PP_MAP_MEM, SZ_2M,
			     false, &without);
	assert_int_equal(with.kmem.blocks, 15);
	assert_int_equal(without.kmem.blocks, 15);
	/* MemTotal grew by 3 901 440 kB */
	assert_int_equal(with.ram_gain + without.ram_gain, 3901440ULL * 1024);
	/* net memory: 1890 MiB each, on the device or with 30 MiB of DRAM */
	assert_int_equal(with.ram_gain - with.dram_memmap, MiB(1890));
	assert_int_equal(without.ram_gain - without.dram_memmap, MiB(1890));
	assert_int_equal(without.dram_memmap, MiB(30));
	/* on 6.1 the kernel cannot do it for a multi-block range */
	p.kver = PP_KVER(6, 1, 0x70);
	assert_int_equal(pp_mom_supported(&p, PP_MOM_ON), PP_MOM_NO_KERNEL);
}

/* §4.4 cost table */
static void mom_cost_table(void **state)
{
	struct pp_platform p;

	(void)state;
	p = mk(PP_ARCH_X86_64, SZ_4K, SZ_2G, PP_KVER(6, 12, 0));
	assert_int_equal(pp_block_memmap_bytes(&p), MiB(32));
	assert_int_equal(pp_mom_supported(&p, PP_MOM_ON), PP_MOM_OK);
	p = mk(PP_ARCH_ARM64, 16384, 0, PP_KVER(6, 12, 0));
	assert_int_equal(p.block_size.value, SZ_128M);
	assert_int_equal(p.pageblock_order.value, 11);
	assert_int_equal(pp_mom_pages(&p, false), 32);
	assert_int_not_equal(pp_mom_supported(&p, PP_MOM_ON), PP_MOM_OK);
	assert_int_not_equal(pp_mom_supported(&p, PP_MOM_FORCE), PP_MOM_OK);
	p = mk(PP_ARCH_ARM64, SZ_64K, 0, PP_KVER(6, 12, 0));
	assert_int_equal(p.block_size.value, SZ_512M);
	assert_int_equal(p.pageblock_order.value, 13);
	assert_int_equal(pp_mom_pages(&p, false), 8);
	assert_int_equal(pp_mom_supported(&p, PP_MOM_FORCE),
			 PP_MOM_WHOLE_BLOCK);
	/* ppc64 hash, 16 MiB PMD: compat align 16M, no memmap_on_memory */
	p = (struct pp_platform){ .arch = PP_ARCH_PPC64,
				  .kver = PP_KVER(6, 12, 0) };
	p.page_size = (struct pp_fact){ SZ_64K, PP_SRC_SYSFS };
	p.hpage_pmd_size = (struct pp_fact){ SZ_16M, PP_SRC_SYSFS };
	pp_platform_derive(&p);
	assert_int_equal(p.compat_align.value, SZ_16M);
	assert_int_equal(p.pageblock_order.value, 8);
	assert_int_equal(pp_mom_supported(&p, PP_MOM_FORCE), PP_MOM_ARCH);
}

/* Defaults per architecture, and facts from sysfs are never replaced */
static void derived_defaults(void **state)
{
	struct pp_platform p;

	(void)state;
	p = mk(PP_ARCH_X86_64, SZ_4K, 0, PP_KVER(6, 1, 0));
	assert_int_equal(p.section_size.value, SZ_128M);
	assert_int_equal(p.block_size.value, SZ_128M);
	assert_int_equal(p.pageblock_order.value, 9);
	assert_int_equal(p.compat_align.value, SZ_2M);
	assert_int_equal(p.nr_supported_align, 3);
	assert_int_equal(pp_default_dax_align(&p), SZ_2M);
	p = (struct pp_platform){ .arch = PP_ARCH_X86_64 };
	p.mem_total = (struct pp_fact){ GiB(66), PP_SRC_PROC };
	p.block_size = (struct pp_fact){ SZ_256M, PP_SRC_SYSFS };
	pp_platform_derive(&p);
	assert_int_equal(p.block_size.value, SZ_256M);
	assert_int_equal(p.block_size.src, PP_SRC_SYSFS);
	p.block_size.src = PP_SRC_NONE;
	pp_platform_derive(&p);
	assert_int_equal(p.block_size.value, SZ_2G);
	p = mk(PP_ARCH_S390X, SZ_4K, 0, PP_KVER(6, 1, 0));
	assert_int_equal(p.pageblock_order.value, 8);
	assert_int_equal(p.section_size.value, SZ_256M);
	/* v6.1.0 had MAX_STRUCT_PAGE_SIZE 128 until c91d71363084 */
	p = mk(PP_ARCH_X86_64, SZ_4K, 0, PP_KVER(6, 1, 0));
	assert_int_equal(pp_map_dev_struct_page_size(&p), 128);
	p.kver = PP_KVER(6, 1, 158);
	assert_int_equal(pp_map_dev_struct_page_size(&p), 64);
}

/* nd_pfn_init() refusals */
static void pfn_refusals(void **state)
{
	struct pp_platform p = x86(SZ_128M);
	struct pp_pfn_layout l;

	(void)state;
	/* start not compat-aligned: "start misaligned" */
	assert_int_equal(pp_pfn_layout(&p, 0x100100000, GiB(1), PP_MAP_MEM,
				       SZ_2M, &l), -EINVAL);
	/* 1G alignment on a 1 GiB namespace: nothing after the info block */
	assert_int_equal(pp_pfn_layout(&p, 0x100000000, GiB(1), PP_MAP_MEM,
				       SZ_1G, &l), -ENXIO);
	/* end_trunc: end not aligned to the effective 2 MiB */
	assert_int_equal(pp_pfn_layout(&p, 0x100000000, MiB(33), PP_MAP_MEM,
				       SZ_2M, &l), 0);
	assert_int_equal(l.end_trunc, MiB(1));
	assert_true(pp_align_supported(&p, SZ_1G));
	assert_false(pp_align_supported(&p, SZ_16M));
}

/* the design's bound: [ALIGN(R0 + minimal dataoff, B), ALIGN_DOWN(R1, B)) */
static void bound(void **state)
{
	struct pp_platform p = x86(SZ_128M);

	(void)state;
	assert_int_equal(pp_kmem_bound(&p, 0x100000000, 0x200000000),
			 MiB(3968));
	assert_int_equal(pp_kmem_bound(&p, 0x10a000000, 0x20a000000),
			 MiB(3968));
	assert_int_equal(pp_kmem_bound(&p, 0x100000000, 0x104000000), 0);
}

/*
 * device_dax's struct pages for a map=mem namespace before kmem binds:
 * §13 measured 165 MiB for 40 GiB at align 2M on 6.1 (N/248); the model
 * gives N/256 (a quarter of the 64-byte struct pages, v5.19 compound
 * devmaps), all of them before v5.19, 1/512 at a PUD-sized align.
 */
static void devdax_memmap(void **state)
{
	struct pp_platform p = x86(SZ_128M);
	uint64_t full = GiB(40) / SZ_4K * 64;

	(void)state;
	assert_int_equal(full, MiB(640));
	assert_int_equal(pp_devdax_memmap_bytes(&p, GiB(40), SZ_2M), MiB(160));
	assert_true(pp_devdax_memmap_bytes(&p, GiB(40), SZ_2M) <= MiB(165));
	assert_int_equal(pp_devdax_memmap_bytes(&p, GiB(40), SZ_1G),
			 full / 512);
	/* below the PMD size no tail pages are shared */
	assert_int_equal(pp_devdax_memmap_bytes(&p, GiB(40), SZ_4K), full);
	/* before v5.19 every struct page is there */
	p.kver = PP_KVER(5, 18, 0);
	assert_int_equal(pp_devdax_memmap_bytes(&p, GiB(40), SZ_2M), full);
	assert_int_equal(pp_devdax_memmap_bytes(&p, GiB(40), SZ_1G), full);
	/* an unknown kernel is taken as a recent one */
	p.kver = 0;
	assert_int_equal(pp_devdax_memmap_bytes(&p, GiB(40), SZ_2M), MiB(160));
	/* arm64 64K pages: the PMD is 512 MiB, so a 2M align shares none */
	p = mk(PP_ARCH_ARM64, SZ_64K, 0, PP_KVER(6, 1, 0));
	assert_int_equal(pp_devdax_memmap_bytes(&p, GiB(4), SZ_2M),
			 GiB(4) / SZ_64K * 64);
	assert_int_equal(pp_devdax_memmap_bytes(&p, GiB(4), SZ_512M),
			 GiB(4) / SZ_64K * 64 / 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(measured_4g_nvdimm),
		cmocka_unit_test(measured_unaligned_region),
		cmocka_unit_test(measured_40g),
		cmocka_unit_test(measured_2g_blocks),
		cmocka_unit_test(measured_e820),
		cmocka_unit_test(measured_spacer),
		cmocka_unit_test(measured_small),
		cmocka_unit_test(measured_carveout_fix),
		cmocka_unit_test(measured_612_mom),
		cmocka_unit_test(net_memory_ppc64),
		cmocka_unit_test(published_carveout_loss),
		cmocka_unit_test(published_old_arm64),
		cmocka_unit_test(published_1t),
		cmocka_unit_test(published_ppc64_altmap),
		cmocka_unit_test(worked_arm64_page_sizes),
		cmocka_unit_test(mom_cost_table),
		cmocka_unit_test(derived_defaults),
		cmocka_unit_test(pfn_refusals),
		cmocka_unit_test(bound),
		cmocka_unit_test(devdax_memmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
