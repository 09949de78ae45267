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
#include <string.h>
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

/*
 * A CXL ram region's dax device (no info block): issue 13's measurements
 * in QEMU on Debian's 6.12.  With 2 GiB blocks (66 GiB guest) a 4 GiB
 * region at 0x1410000000 hot-plugs only 0x1480000000-0x14ffffffff; with
 * 128 MiB blocks and memory_hotplug.memmap_on_memory=1 MemTotal grows by
 * 1008 of 1024 MiB (the memmap on the device, which dax_cxl asks for).
 */
static void cxl_ram_dax_range(void **state)
{
	struct pp_platform big = mk(PP_ARCH_X86_64, SZ_4K, SZ_2G,
				    PP_KVER(6, 12, 95));
	struct pp_platform p = mk(PP_ARCH_X86_64, SZ_4K, SZ_128M,
				  PP_KVER(6, 12, 95));
	struct pp_ns_account a;

	(void)state;
	pp_account_dax_range(&big, 0x1410000000, GiB(4), false, &a);
	assert_int_equal(a.kmem_err, 0);
	assert_int_equal(a.kmem.start, 0x1480000000);
	assert_int_equal(a.kmem.end, 0x1500000000);
	assert_int_equal(a.kmem.blocks, 1);
	assert_int_equal(a.head_gap, MiB(1792));
	assert_int_equal(a.tail_gap, MiB(256));
	assert_int_equal(a.info_block, 0);

	p.memmap_on_memory = PP_MOM_ON;
	pp_account_dax_range(&p, 0x11d0000000, GiB(1), true, &a);
	assert_int_equal(a.kmem.blocks, 8);
	assert_int_equal(a.head_gap + a.tail_gap, 0);
	assert_int_equal(a.mom_bytes, MiB(16));
	assert_int_equal(a.ram_gain, MiB(1008));
	assert_int_equal(a.dram_memmap, 0);

	/* smaller than a block after alignment: kmem refuses it */
	pp_account_dax_range(&big, 0x1410000000, GiB(1), false, &a);
	assert_int_equal(a.kmem_err, -EINVAL);
	assert_int_equal(a.head_gap, GiB(1));
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

/* The rules broken by [s, +n) mode/map/align, as a bit mask of pp_rule. */
static unsigned int rules(const struct pp_platform *p, uint64_t s, uint64_t n,
			  enum pp_ns_mode mode, enum pp_map map, uint64_t align,
			  uint64_t region_align)
{
	struct pp_shape sh = {
		.start = s, .size = n, .mode = mode, .map = map,
		.align = align, .region_align = region_align, .ways = 1,
		.dataoff = PP_UNKNOWN, .data_end = PP_UNKNOWN,
	};
	struct pp_violation v[8];
	unsigned int i, nr, mask = 0;

	nr = pp_shape_check(p, &sh, v, 8);
	assert_true(nr <= 8);
	for (i = 0; i < nr; i++) {
		mask |= 1u << v[i].rule;
		assert_true(strlen(v[i].why) > 20);
	}
	assert_int_equal(pp_shape_ok(p, &sh), !nr);
	return mask;
}

#define R(x) (1u << PP_RULE_##x)

/*
 * Issue 11, Debian's 6.12 arm64 16K kernel (16 KiB pages, 32 MiB PMD,
 * default align 32 MiB), the 4 GiB NVDIMM at 0xc0000000: the plan's
 * 3984 MiB devdax map=mem align 32M at 0xc7000000 oopsed in
 * memmap_init_compound() as device_dax bound, and so did the same layout
 * made with ndctl (112M raw + -s 3968M); ndctl refused the 3984 MiB size
 * ("must align to 33554432").  The safe layouts reaching 3968 MiB: a
 * 96 MiB spacer (start 32 MiB aligned), or align 16K at the same start.
 */
static void layout_rules_16k(void **state)
{
	struct pp_platform p = mk(PP_ARCH_ARM64, 16384, 0, PP_KVER(6, 12, 95));
	struct pp_ns_account a;

	(void)state;
	assert_int_equal(pp_default_dax_align(&p), SZ_32M);
	assert_int_equal(rules(&p, 0xc7000000, MiB(3984), PP_MODE_DEVDAX,
			       PP_MAP_MEM, SZ_32M, SZ_16M),
			 R(COMPOUND_PAGE) | R(NDCTL_SIZE_ALIGN));
	assert_int_equal(rules(&p, 0xc7000000, MiB(3968), PP_MODE_DEVDAX,
			       PP_MAP_MEM, SZ_32M, SZ_16M), R(COMPOUND_PAGE));
	/* the default align (0) is the seed's: the same */
	assert_int_equal(rules(&p, 0xc7000000, MiB(3968), PP_MODE_DEVDAX,
			       PP_MAP_MEM, 0, SZ_16M), R(COMPOUND_PAGE));
	assert_int_equal(rules(&p, 0xc6000000, MiB(4000), PP_MODE_DEVDAX,
			       PP_MAP_MEM, SZ_32M, SZ_16M), 0);
	assert_int_equal(rules(&p, 0xc7000000, MiB(3984), PP_MODE_DEVDAX,
			       PP_MAP_MEM, 16384, SZ_16M), 0);
	/* map=dev: the compound pages start at the data, which
	 * nd_pfn_init() aligns to the 32 MiB */
	assert_int_equal(rules(&p, 0xc7000000, MiB(3968), PP_MODE_DEVDAX,
			       PP_MAP_DEV, SZ_32M, SZ_16M), 0);
	/* both safe layouts hot-plug the same 31 blocks */
	pp_account_namespace(&p, 0xc7000000, MiB(3984), PP_MAP_MEM, 16384,
			     false, &a);
	assert_int_equal(a.pfn.dataoff, SZ_2M);
	assert_int_equal(a.kmem.start, 0xc8000000);
	assert_int_equal(a.kmem.end, 0x1c0000000);
	pp_account_namespace(&p, 0xc6000000, MiB(4000), PP_MAP_MEM, SZ_32M,
			     false, &a);
	assert_int_equal(a.pfn.dataoff, SZ_32M);
	assert_int_equal(a.kmem.blocks, 31);
	/* fsdax has no compound pages: the kernel takes a 112 MiB spacer at
	 * the 32M default, ndctl does not; at 16K both do */
	assert_int_equal(rules(&p, 0xc0000000, MiB(112), PP_MODE_FSDAX,
			       PP_MAP_DEV, 0, SZ_16M), R(NDCTL_SIZE_ALIGN));
	assert_int_equal(rules(&p, 0xc0000000, MiB(112), PP_MODE_FSDAX,
			       PP_MAP_DEV, 16384, SZ_16M), 0);
	/* a 2 MiB region align makes a 126 MiB spacer; its namespace at
	 * 0xc7e00000 is only safe at align 16K */
	assert_int_equal(rules(&p, 0xc7e00000, MiB(3970), PP_MODE_DEVDAX,
			       PP_MAP_MEM, SZ_32M, SZ_2M),
			 R(COMPOUND_PAGE) | R(NDCTL_SIZE_ALIGN));
	assert_int_equal(rules(&p, 0xc7e00000, MiB(3970), PP_MODE_DEVDAX,
			       PP_MAP_MEM, 16384, SZ_2M), 0);
	/* what else refuses */
	assert_int_equal(rules(&p, 0xc0000000, MiB(8), PP_MODE_DEVDAX,
			       PP_MAP_MEM, 16384, 0), R(TOO_SMALL));
	assert_int_equal(rules(&p, 0xc0000000, MiB(16), PP_MODE_DEVDAX,
			       PP_MAP_MEM, SZ_32M, 0), R(NO_DATA) |
			 R(NDCTL_SIZE_ALIGN));
	assert_int_equal(rules(&p, 0xc0100000, MiB(64), PP_MODE_DEVDAX,
			       PP_MAP_MEM, 16384, 0), R(START_MISALIGNED));
	assert_int_equal(rules(&p, 0xc0000000, MiB(64), PP_MODE_DEVDAX,
			       PP_MAP_MEM, SZ_2M, 0), R(ALIGN_UNSUPPORTED));
	assert_int_equal(rules(&p, 0xc0000000, MiB(40), PP_MODE_RAW,
			       PP_MAP_NONE, 0, SZ_16M), R(NDCTL_REGION_ALIGN));
}

/* The same rules elsewhere: 64K pages, x86 1 GiB align, an info block */
static void layout_rules_other(void **state)
{
	struct pp_platform p = mk(PP_ARCH_ARM64, SZ_64K, 0, PP_KVER(6, 12, 0));
	struct pp_shape sh = {
		.start = 0xc7000000, .size = MiB(3968), .mode = PP_MODE_DEVDAX,
		.map = PP_MAP_MEM, .align = SZ_32M, .ways = 1,
		.dataoff = SZ_16M, .data_end = 0x1be000000,
	};
	struct pp_violation v[4];

	(void)state;
	/* a 496 MiB fsdax spacer at the 512M default: nd_pfn_init() has
	 * nothing left ("unable to satisfy requested alignment") */
	assert_int_equal(rules(&p, 0x240000000, MiB(496), PP_MODE_FSDAX,
			       PP_MAP_DEV, 0, SZ_16M),
			 R(NO_DATA) | R(NDCTL_SIZE_ALIGN));
	assert_int_equal(rules(&p, 0x25f000000, MiB(3600), PP_MODE_DEVDAX,
			       PP_MAP_MEM, SZ_512M, SZ_16M),
			 R(COMPOUND_PAGE) | R(NDCTL_SIZE_ALIGN));
	p = x86(SZ_128M);
	assert_int_equal(rules(&p, 0x107000000, MiB(3984), PP_MODE_DEVDAX,
			       PP_MAP_MEM, SZ_2M, SZ_16M), 0);
	assert_int_equal(rules(&p, 0x107000000, GiB(3), PP_MODE_DEVDAX,
			       PP_MAP_MEM, SZ_1G, SZ_16M), R(COMPOUND_PAGE));
	assert_int_equal(rules(&p, 0x140000000, GiB(3), PP_MODE_DEVDAX,
			       PP_MAP_MEM, SZ_1G, SZ_16M), 0);
	/* an info block on the media: the hand-made 16K namespace */
	p = mk(PP_ARCH_ARM64, 16384, 0, PP_KVER(6, 12, 95));
	assert_int_equal(pp_shape_check(&p, &sh, v, 4), 1);
	assert_int_equal(v[0].rule, PP_RULE_COMPOUND_PAGE);
	assert_non_null(strstr(v[0].why, "0xc7000000-0x1bdffffff"));
	assert_string_equal(pp_rule_name(v[0].rule), "compound-page");
	/* map=dev: nd_pfn_init() put the data at 0xca000000 */
	sh.map = PP_MAP_DEV;
	sh.dataoff = MiB(48);
	assert_int_equal(pp_shape_check(&p, &sh, v, 4), 0);
	sh.dataoff = SZ_16M + SZ_2M;
	assert_int_equal(pp_shape_check(&p, &sh, v, 4), 2);
	assert_int_equal(v[0].rule, PP_RULE_BAD_OFFSET);
	assert_false(pp_rule_is_ndctl(PP_RULE_COMPOUND_PAGE));
	assert_true(pp_rule_is_ndctl(PP_RULE_NDCTL_SIZE_ALIGN));
}

/*
 * Debian's 6.12 arm64 16K kernel with memory_hotplug.memmap_on_memory:
 * 8192 pages a block, 32 of memmap, pageblocks of 2048.  =1: not
 * pageblock aligned; =force: "Memory hotplug will waste 2016 pages in
 * each memory block", yet writing daxX.Y/memmap_on_memory is refused
 * (EOPNOTSUPP): the generic arch_supports_memmap_on_memory() wants the
 * 512 KiB vmemmap to span whole 32 MiB PMDs.
 */
static void mom_16k_measured(void **state)
{
	struct pp_platform p = mk(PP_ARCH_ARM64, 16384, 0, PP_KVER(6, 12, 95));

	(void)state;
	assert_int_equal(p.block_size.value / p.page_size.value, 8192);
	assert_int_equal(pp_block_memmap_bytes(&p), 512 * 1024);
	assert_int_equal(pp_mom_pages(&p, false), 32);
	assert_int_equal(pp_mom_pages(&p, true) - pp_mom_pages(&p, false),
			 2016);
	assert_int_equal(pp_mom_supported(&p, PP_MOM_ON), PP_MOM_UNALIGNED);
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
		cmocka_unit_test(layout_rules_16k),
		cmocka_unit_test(layout_rules_other),
		cmocka_unit_test(mom_16k_measured),
		cmocka_unit_test(derived_defaults),
		cmocka_unit_test(pfn_refusals),
		cmocka_unit_test(bound),
		cmocka_unit_test(devdax_memmap),
		cmocka_unit_test(cxl_ram_dax_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
