// SPDX-License-Identifier: GPL-2.0
/*
 * The planner's proof (issue 3): the brute-force oracle (oracle.c) checked
 * by hand against kernel-measured vectors, then seeded property tests of
 * pp_plan_extent() and pp_plan_build() against it.
 *
 * Environment:
 *   PP_ORACLE_SEED=N        seed (default printed; decimal or 0x hex)
 *   PP_ORACLE_CASES=N       random cases per property test (default 10000)
 *   PP_ORACLE_CASE=N        run only case N of the seed (reproduce one)
 *   PP_ORACLE_KEEP_GOING=1  count every failure instead of stopping
 *   PP_ORACLE_PRINT=N       with KEEP_GOING, print the first N (20)
 *   PP_ORACLE_DUMP=DIR      write failing topologies there as snapshots
 *   PP_ORACLE_VERBOSE=1     print every case
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "planner/consent.h"
#include "planner/planner.h"
#include "snapshot/snapshot.h"
#include "oracle.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)
#define DEFAULT_SEED 0x9e3779b97f4a7c15ULL
#define DEFAULT_CASES 10000

/* ------------------------------------------------------------------ */
/* Environment, random numbers, timing                                 */

static uint64_t g_seed = DEFAULT_SEED;
static unsigned long g_cases = DEFAULT_CASES;
static long g_only = -1;
static bool g_keep_going, g_verbose;
static unsigned long g_max_print = 20;
static const char *g_dump;

static uint64_t rng;

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(void)
{
	return splitmix(&rng);
}

/* uniform in [0, n) */
static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* Every case draws from its own stream: case n is reproducible alone. */
static void seed_case(unsigned int test, unsigned long n)
{
	uint64_t s = g_seed ^ ((uint64_t)test << 56) ^ (n * 0xd1b54a32d192ed03ULL);

	rng = splitmix(&s);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int setup_env(void **state)
{
	const char *s;

	(void)state;
	if ((s = getenv("PP_ORACLE_SEED")) && *s)
		g_seed = strtoull(s, NULL, 0);
	if ((s = getenv("PP_ORACLE_CASES")) && *s)
		g_cases = strtoul(s, NULL, 0);
	if ((s = getenv("PP_ORACLE_CASE")) && *s)
		g_only = strtol(s, NULL, 0);
	g_keep_going = (s = getenv("PP_ORACLE_KEEP_GOING")) && *s && *s != '0';
	g_verbose = (s = getenv("PP_ORACLE_VERBOSE")) && *s && *s != '0';
	if ((s = getenv("PP_ORACLE_PRINT")) && *s)
		g_max_print = strtoul(s, NULL, 0);
	if ((s = getenv("PP_ORACLE_DUMP")) && *s)
		g_dump = s;
	printf("oracle: seed 0x%016llx (PP_ORACLE_SEED), %lu cases "
	       "(PP_ORACLE_CASES)\n", (unsigned long long)g_seed, g_cases);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Platforms                                                           */

static struct pp_platform mk(enum pp_arch arch, uint64_t page, uint64_t block,
			     uint32_t kver)
{
	struct pp_platform p = { .arch = arch, .kver = kver };

	p.arch_src = PP_SRC_OVERRIDE;
	p.kver_src = PP_SRC_OVERRIDE;
	snprintf(p.kernel, sizeof(p.kernel), "%u.%u.%u-oracle", kver >> 16,
		 (kver >> 8) & 0xff, kver & 0xff);
	p.page_size = (struct pp_fact){ page, PP_SRC_OVERRIDE };
	p.block_size = (struct pp_fact){ block, PP_SRC_OVERRIDE };
	/* no DRAM limit: the proof is about the layout */
	p.mem_total = (struct pp_fact){ 1ULL << 50, PP_SRC_OVERRIDE };
	p.mem_available = (struct pp_fact){ 1ULL << 50, PP_SRC_OVERRIDE };
	p.nr_nodes = (struct pp_fact){ 1, PP_SRC_OVERRIDE };
	p.memmap_on_memory = PP_MOM_OFF;
	p.memmap_on_memory_src = PP_SRC_OVERRIDE;
	strcpy(p.auto_online_blocks, "offline");
	p.is_root = true;
	pp_platform_derive(&p);
	return p;
}

static struct pp_platform x86(uint64_t block)
{
	return mk(PP_ARCH_X86_64, SZ_4K, block, PP_KVER(6, 1, 112));
}

/*
 * Small synthetic platforms: x86_64 and arm64 with 4 KiB pages and 16-128
 * MiB blocks, ppc64 radix with 64 KiB pages and 32-128 MiB blocks (>= 16x
 * its 2 MiB effective align), x86_64 6.1.0-6.1.8 whose map=dev reserve is
 * 128 bytes a page, arm64 with 16 KiB pages and 64-128 MiB blocks.
 */
static struct pp_platform random_platform(void)
{
	static const uint64_t b4k[] = { SZ_16M, SZ_32M, MiB(64), SZ_128M };
	static const uint64_t b64k[] = { SZ_32M, MiB(64), SZ_128M };
	static const uint64_t b16k[] = { MiB(64), SZ_128M };
	unsigned int kind = below(11);
	struct pp_platform p;

	if (kind < 5)
		p = mk(PP_ARCH_X86_64, SZ_4K, b4k[below(4)], PP_KVER(6, 1, 112));
	else if (kind < 7)
		p = mk(PP_ARCH_ARM64, SZ_4K, b4k[below(4)], PP_KVER(6, 12, 0));
	else if (kind < 9)
		p = mk(PP_ARCH_PPC64, SZ_64K, b64k[below(3)], PP_KVER(6, 12, 0));
	else if (kind < 10)
		p = mk(PP_ARCH_X86_64, SZ_4K, b4k[below(4)], PP_KVER(6, 1, 4));
	else
		/* 16 KiB pages: the 32 MiB dax align is larger than the
		 * 16 MiB region align, so device_dax's compound pages rule
		 * out some starts (issue 11) */
		p = mk(PP_ARCH_ARM64, 16384, b16k[below(2)], PP_KVER(6, 12, 0));
	if (p.kver >= PP_KVER(6, 8, 0) && chance(50))
		p.memmap_on_memory = chance(50) ? PP_MOM_ON : PP_MOM_FORCE;
	return p;
}

static void print_platform(FILE *f, const struct pp_platform *p)
{
	unsigned int i;

	fprintf(f, "platform: arch=%s kernel=%s page=%#llx block=%#llx "
		"compat=%#llx struct_page=%llu mom=%s aligns=",
		pp_arch_name(p->arch), p->kernel,
		(unsigned long long)p->page_size.value,
		(unsigned long long)p->block_size.value,
		(unsigned long long)p->compat_align.value,
		(unsigned long long)p->struct_page_size.value,
		pp_mom_name(p->memmap_on_memory));
	for (i = 0; i < p->nr_supported_align; i++)
		fprintf(f, "%s%#llx", i ? "," : "",
			(unsigned long long)p->supported_align[i]);
	fprintf(f, "\n");
}

/* Failure reporting: first failure fails the test unless keep-going. */
static unsigned long g_failures;
static char g_why[4096];

static void why(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void why(const char *fmt, ...)
{
	size_t len = strlen(g_why);
	va_list ap;

	if (len >= sizeof(g_why) - 2)
		return;
	if (len)
		g_why[len++] = '\n', g_why[len] = 0;
	va_start(ap, fmt);
	vsnprintf(g_why + len, sizeof(g_why) - len, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* 1. The oracle against hand-computed and kernel-measured cases       */

static void expect_oracle(const struct pp_platform *p, uint64_t r0,
			  uint64_t f0, uint64_t f1, uint64_t gran,
			  uint64_t max_blocks, uint64_t kmem, uint64_t stranded,
			  uint64_t start, uint64_t size)
{
	struct oracle_result o;

	oracle_extent(p, r0, f0, f1, gran, max_blocks, false, &o);
	if (!kmem) {
		assert_false(o.found);
		return;
	}
	assert_true(o.found);
	assert_int_equal(o.kmem, kmem);
	assert_int_equal(o.stranded, stranded);
	if (size) {
		assert_int_equal(o.start, start);
		assert_int_equal(o.size, size);
	}
}

/*
 * kernel-model.md §13, last row: region 100000000-1ffffffff with its align
 * written to 2 MiB, fsdax 126M spacer + devdax map=mem 3970M -> kmem
 * 108000000-1ffffffff, 2 MiB stranded.  With the 16 MiB region align the
 * namespace must start 16 MiB before the block: 16 MiB stranded.
 */
static void oracle_measured_spacer(void **state)
{
	struct pp_platform p = x86(SZ_128M);
	struct oracle_result o;

	(void)state;
	expect_oracle(&p, 0x100000000, 0x100000000, 0x200000000, SZ_2M,
		      UINT64_MAX, MiB(3968), SZ_2M, 0x107e00000, MiB(3970));
	oracle_extent(&p, 0x100000000, 0x100000000, 0x200000000, SZ_2M,
		      UINT64_MAX, false, &o);
	assert_int_equal(o.map, PP_MAP_MEM);
	/* align 4K and 2M both give effective 2M; 1G loses a block */
	assert_int_equal(o.optimal, 2);
	expect_oracle(&p, 0x100000000, 0x100000000, 0x200000000, SZ_16M,
		      UINT64_MAX, MiB(3968), SZ_16M, 0x107000000, MiB(3984));
}

/* §13: the unaligned region (addr=0x10a000000): kmem 110000000-207ffffff
 * (3968 MiB), the 32 MiB after the last block boundary stays usable. */
static void oracle_unaligned_region(void **state)
{
	struct pp_platform p = x86(SZ_128M);

	(void)state;
	/* spacer [10a000000, 10fe00000) = 94 MiB, kmem ns to 208000000,
	 * tail 20a000000 - 208000000 = 32 MiB spacer: 2 MiB stranded */
	expect_oracle(&p, 0x10a000000, 0x10a000000, 0x20a000000, SZ_2M,
		      UINT64_MAX, MiB(3968), SZ_2M, 0x10fe00000,
		      0x208000000 - 0x10fe00000);
	assert_int_equal(pp_kmem_bound(&p, 0x10a000000, 0x20a000000),
			 MiB(3968));
}

/* §13: 2 GiB blocks, region 1150000000-134fffffff: 3 of 4 blocks. */
static void oracle_2g_blocks(void **state)
{
	struct pp_platform p = x86(SZ_2G);

	(void)state;
	/* head spacer 766 MiB, kmem ns [117fe00000, 1300000000), tail
	 * 1280 MiB spacer: 2 MiB stranded.  Only the grid 16 MiB here to
	 * keep the brute force short: head 752 MiB, 16 MiB stranded. */
	expect_oracle(&p, 0x1150000000, 0x1150000000, 0x1350000000, SZ_16M,
		      UINT64_MAX, GiB(6), SZ_16M, 0x117f000000,
		      0x1300000000 - 0x117f000000);
}

/* A 48 MiB namespace with 128 MiB blocks yields nothing (§13 dmesg). */
static void oracle_nothing(void **state)
{
	struct pp_platform p = x86(SZ_128M);

	(void)state;
	expect_oracle(&p, 0x110000000, 0x110000000, 0x113000000, SZ_2M,
		      UINT64_MAX, 0, 0, 0, 0);
	/* 16 MiB blocks: the same extent gives 32 MiB (blocks 111000000
	 * and 112000000); start 110e00000 leaves a 14 MiB filler, 2 MiB
	 * more to the info block: 16 MiB stranded either way */
	p = x86(SZ_16M);
	expect_oracle(&p, 0x110000000, 0x110000000, 0x113000000, SZ_2M,
		      UINT64_MAX, MiB(32), SZ_16M, 0, 0);
	/* and nothing fits in less than 16 MiB */
	expect_oracle(&p, 0x110000000, 0x110000000, 0x110e00000, SZ_2M,
		      UINT64_MAX, 0, 0, 0, 0);
}

/*
 * Extent of 132 MiB ending on a block boundary, 2 MiB grid: the namespace
 * either starts at f0 (dataoff 2M + 2M head gap) or 2 MiB later (2 MiB
 * filler + 2 MiB info block): one block, 4 MiB stranded both ways.
 */
static void oracle_tight(void **state)
{
	struct pp_platform p = x86(SZ_128M);
	uint64_t x = 0x108000000 - MiB(4);
	struct oracle_result o;

	(void)state;
	oracle_extent(&p, 0x100000000, x, x + MiB(132), SZ_2M, UINT64_MAX,
		      false, &o);
	assert_true(o.found);
	assert_int_equal(o.kmem, SZ_128M);
	assert_int_equal(o.stranded, MiB(4));
	assert_int_equal(o.start, x);
	assert_int_equal(o.size, MiB(132));
	/* map=mem with 4K or 2M align at x or x + 2M; map=dev at x too
	 * (its 2.06 MiB reserve rounds the data to x + 4M, the boundary) */
	assert_int_equal(o.optimal, 6);
	/* 4 MiB grid: start x only */
	expect_oracle(&p, 0x100000000, x, x + MiB(132), MiB(4), UINT64_MAX,
		      SZ_128M, MiB(4), x, MiB(132));
}

/* The --size / DRAM cap: at most max_blocks blocks; 0 allows nothing. */
static void oracle_max_blocks(void **state)
{
	struct pp_platform p = x86(SZ_128M);

	(void)state;
	expect_oracle(&p, 0x100000000, 0x100000000, 0x120000000, SZ_2M, 3,
		      MiB(384), SZ_2M, 0x107e00000, MiB(386));
	expect_oracle(&p, 0x100000000, 0x100000000, 0x120000000, SZ_2M, 0,
		      0, 0, 0, 0);
	/* one block in a 512 MiB extent */
	expect_oracle(&p, 0x100000000, 0x100000000, 0x120000000, SZ_16M, 1,
		      SZ_128M, SZ_16M, 0x107000000, MiB(144));
}

/*
 * map=dev only wins nothing here, but must be looked at: with 16 MiB
 * blocks and a 1 GiB extent map=dev's 16 MiB reserve costs a block.
 */
static void oracle_map_dev(void **state)
{
	struct pp_platform p = x86(SZ_16M);
	struct pp_ns_account a;

	(void)state;
	pp_account_namespace(&p, 0x100000000, GiB(1), PP_MAP_DEV, SZ_2M, false,
			     &a);
	assert_int_equal(a.kmem.blocks, 62);	/* dataoff 18 MiB */
	expect_oracle(&p, 0x100000000, 0x100000000, 0x100000000 + GiB(1),
		      MiB(16), UINT64_MAX, MiB(1008), SZ_16M, 0x100000000,
		      GiB(1));
}

/* Region helpers: free extents and first fit (§13 first-fit vector). */
static void oracle_first_fit_measured(void **state)
{
	uint64_t r0 = 0x100000000, r1 = r0 + GiB(4);
	struct oracle_range busy[4] = { { 0, 0 } };
	struct oracle_range ext[5];
	unsigned int n = 0;

	(void)state;
	assert_int_equal(oracle_first_fit(r0, r1, busy, 0, SZ_16M, MiB(512)),
			 0x100000000);
	busy[n++] = (struct oracle_range){ 0x100000000, 0x120000000 };
	assert_int_equal(oracle_first_fit(r0, r1, busy, n, SZ_16M, GiB(1)),
			 0x120000000);
	busy[n++] = (struct oracle_range){ 0x120000000, 0x160000000 };
	busy[0] = busy[--n];			/* destroy the first */
	assert_int_equal(oracle_first_fit(r0, r1, busy, n, SZ_16M, MiB(256)),
			 0x100000000);
	busy[n++] = (struct oracle_range){ 0x100000000, 0x110000000 };
	assert_int_equal(oracle_first_fit(r0, r1, busy, n, SZ_16M, MiB(512)),
			 0x160000000);
	busy[n++] = (struct oracle_range){ 0x160000000, 0x180000000 };
	assert_int_equal(oracle_first_fit(r0, r1, busy, n, SZ_16M, MiB(48)),
			 0x110000000);
	/* free extents trimmed to the grid from r0, not from 0 */
	busy[0] = (struct oracle_range){ r0 + MiB(3), r0 + MiB(21) };
	n = oracle_free_extents(r0 + MiB(2), r0 + MiB(100), busy, 1, SZ_16M,
				ext, 5);
	/* [r0+2M, r0+3M) is too small; [r0+21M, r0+100M) -> [r0+34M, r0+98M) */
	assert_int_equal(n, 1);
	assert_int_equal(ext[0].start, r0 + MiB(34));
	assert_int_equal(ext[0].end, r0 + MiB(98));
	assert_int_equal(oracle_first_fit(r0 + MiB(2), r0 + MiB(100), busy, 1,
					  SZ_16M, MiB(64)), r0 + MiB(34));
	assert_int_equal(oracle_first_fit(r0 + MiB(2), r0 + MiB(100), busy, 1,
					  SZ_16M, MiB(80)), UINT64_MAX);
}

/* ------------------------------------------------------------------ */
/* 2. pp_plan_extent() against the oracle                              */

struct extent_case {
	struct pp_platform p;
	uint64_t r0, f0, f1, gran, max_blocks;
	bool mom;
};

static void print_extent_case(FILE *f, unsigned long n,
			      const struct extent_case *c)
{
	fprintf(f, "extent case %lu (seed 0x%016llx, PP_ORACLE_CASE=%lu):\n  ",
		n, (unsigned long long)g_seed, n);
	print_platform(f, &c->p);
	fprintf(f, "  pp_plan_extent(p, R0=%#llx, f0=%#llx, f1=%#llx, "
		"gran=%#llx, max_blocks=%llu%s, mom=%d)  [extent %llu MiB at "
		"R0+%llu MiB]\n",
		(unsigned long long)c->r0, (unsigned long long)c->f0,
		(unsigned long long)c->f1, (unsigned long long)c->gran,
		(unsigned long long)c->max_blocks,
		c->max_blocks == UINT64_MAX ? " (UINT64_MAX)" : "", c->mom,
		(unsigned long long)((c->f1 - c->f0) >> 20),
		(unsigned long long)((c->f0 - c->r0) >> 20));
}

static struct extent_case random_extent_case(void)
{
	static const uint64_t grans[] = { SZ_2M, MiB(4), SZ_16M };
	struct extent_case c;
	uint64_t len;

	c.p = random_platform();
	c.gran = grans[below(3)];
	/* region start: compat-aligned, anywhere relative to the block */
	c.r0 = GiB(4) + below(512) * c.p.compat_align.value;
	c.f0 = c.r0 + below(MiB(256) / c.gran + 1) * c.gran;
	len = chance(10) ? below(MiB(48) / c.gran + 1) :
			   below(MiB(512) / c.gran + 1);
	c.f1 = c.f0 + len * c.gran;
	if (chance(50))
		c.max_blocks = UINT64_MAX;
	else
		c.max_blocks = below((c.f1 - c.f0) / c.p.block_size.value + 2);
	c.mom = chance(30);
	return c;
}

static double t_plan_extent, t_oracle_extent;

/* The checks; each mismatch appended to g_why.  Returns true if clean. */
static bool check_extent(const struct extent_case *c,
			 const struct oracle_result *o,
			 const struct pp_extent_choice *ch, int rc)
{
	const struct pp_platform *p = &c->p;
	uint64_t b = p->block_size.value;
	struct pp_ns_account a;
	uint64_t usable, stranded;

	g_why[0] = 0;
	if (o->found != ch->found) {
		why("found: planner %d, oracle %d (oracle best kmem %llu MiB "
		    "stranded %llu MiB at [%#llx +%llu MiB) map=%s align=%#llx)"
		    "; planner rc %d", ch->found, o->found,
		    (unsigned long long)(o->kmem >> 20),
		    (unsigned long long)(o->stranded >> 20),
		    (unsigned long long)o->start,
		    (unsigned long long)(o->size >> 20),
		    pp_map_name(o->map), (unsigned long long)o->align, rc);
		if (ch->found)
			goto check_choice;
		return false;
	}
	if (!o->found)
		return true;
	if (rc < 0)
		why("pp_plan_extent returned %d with found=1", rc);
	if (ch->net != o->net)
		why("net memory: planner %llu KiB, oracle max %llu KiB",
		    (unsigned long long)(ch->net >> 10),
		    (unsigned long long)(o->net >> 10));
	else if (ch->kmem != o->kmem)
		why("kmem: planner %llu MiB, oracle max %llu MiB (oracle: "
		    "[%#llx +%llu MiB) map=%s align=%#llx)",
		    (unsigned long long)(ch->kmem >> 20),
		    (unsigned long long)(o->kmem >> 20),
		    (unsigned long long)o->start,
		    (unsigned long long)(o->size >> 20),
		    pp_map_name(o->map), (unsigned long long)o->align);
	else if (ch->stranded != o->stranded)
		why("stranded at kmem %llu MiB: planner %llu KiB, oracle min "
		    "%llu KiB (oracle: [%#llx +%llu MiB) map=%s align=%#llx)",
		    (unsigned long long)(o->kmem >> 20),
		    (unsigned long long)(ch->stranded >> 10),
		    (unsigned long long)(o->stranded >> 10),
		    (unsigned long long)o->start,
		    (unsigned long long)(o->size >> 20),
		    pp_map_name(o->map), (unsigned long long)o->align);
check_choice:
	/* the namespace it chose must be one the kernel would make */
	if ((ch->start - c->r0) % c->gran || ch->size % c->gran)
		why("choice [%#llx +%#llx) is off the %#llx grid from R0",
		    (unsigned long long)ch->start,
		    (unsigned long long)ch->size, (unsigned long long)c->gran);
	if (ch->start % p->compat_align.value)
		why("choice start %#llx is not compat-aligned",
		    (unsigned long long)ch->start);
	if (ch->size < SZ_16M)
		why("choice size %#llx < 16 MiB", (unsigned long long)ch->size);
	if (ch->start < c->f0 || ch->start + ch->size > c->f1 ||
	    ch->start + ch->size < ch->start)
		why("choice [%#llx +%#llx) is outside [f0, f1)",
		    (unsigned long long)ch->start,
		    (unsigned long long)ch->size);
	if (ch->map != PP_MAP_MEM && ch->map != PP_MAP_DEV)
		why("choice map %d", ch->map);
	if (!pp_align_supported(p, ch->align))
		why("choice align %#llx not in supported_alignments",
		    (unsigned long long)ch->align);
	if (!oracle_kernel_takes(p, ch->start, ch->size, true, ch->map,
				 ch->align, 1))
		why("choice [%#llx +%#llx) map=%s align=%#llx: the kernel or "
		    "ndctl would not take it",
		    (unsigned long long)ch->start,
		    (unsigned long long)ch->size, pp_map_name(ch->map),
		    (unsigned long long)ch->align);
	if (g_why[0])
		return false;
	pp_account_namespace(p, ch->start, ch->size, ch->map, ch->align,
			     c->mom, &a);
	if (a.pfn_err || a.kmem_err || a.kmem.blocks * b != ch->kmem)
		why("choice [%#llx +%#llx) map=%s align=%#llx: the model gives "
		    "pfn_err %d kmem_err %d kmem %llu MiB, planner claims %llu MiB",
		    (unsigned long long)ch->start,
		    (unsigned long long)ch->size, pp_map_name(ch->map),
		    (unsigned long long)ch->align, a.pfn_err, a.kmem_err,
		    (unsigned long long)(a.kmem.blocks * b >> 20),
		    (unsigned long long)(ch->kmem >> 20));
	if (a.kmem.blocks > c->max_blocks)
		why("choice has %llu blocks > max_blocks %llu",
		    (unsigned long long)a.kmem.blocks,
		    (unsigned long long)c->max_blocks);
	if (ch->acct.kmem.start != a.kmem.start ||
	    ch->acct.kmem.end != a.kmem.end ||
	    ch->acct.pfn.dataoff != a.pfn.dataoff)
		why("choice acct differs from pp_account_namespace(): kmem "
		    "[%#llx, %#llx) vs [%#llx, %#llx), dataoff %#llx vs %#llx",
		    (unsigned long long)ch->acct.kmem.start,
		    (unsigned long long)ch->acct.kmem.end,
		    (unsigned long long)a.kmem.start,
		    (unsigned long long)a.kmem.end,
		    (unsigned long long)ch->acct.pfn.dataoff,
		    (unsigned long long)a.pfn.dataoff);
	if (ch->head != ch->start - c->f0 ||
	    ch->tail != c->f1 - ch->start - ch->size)
		why("choice head/tail %#llx/%#llx, expected %#llx/%#llx",
		    (unsigned long long)ch->head, (unsigned long long)ch->tail,
		    (unsigned long long)(ch->start - c->f0),
		    (unsigned long long)(c->f1 - ch->start - ch->size));
	usable = (ch->start - c->f0 >= SZ_16M ? ch->start - c->f0 : 0) +
		 (c->f1 - ch->start - ch->size >= SZ_16M ?
		  c->f1 - ch->start - ch->size : 0);
	stranded = (c->f1 - c->f0) - a.kmem.blocks * b - usable;
	if (stranded != ch->stranded)
		why("choice stranded claimed %llu KiB, recomputed %llu KiB",
		    (unsigned long long)(ch->stranded >> 10),
		    (unsigned long long)(stranded >> 10));
	return !g_why[0];
}

static void prop_extent(void **state)
{
	unsigned long n, ran = 0, found = 0, failed = 0, capped = 0;
	uint64_t layouts = 0;

	(void)state;
	t_plan_extent = t_oracle_extent = 0;
	for (n = 0; n < g_cases; n++) {
		struct pp_extent_choice ch;
		struct oracle_result o;
		struct extent_case c;
		double t0, t1, t2;
		int rc;

		if (g_only >= 0 && (unsigned long)g_only != n)
			continue;
		seed_case(1, n);
		ran++;
		c = random_extent_case();
		if (g_verbose)
			print_extent_case(stdout, n, &c);
		memset(&ch, 0, sizeof(ch));
		t0 = now_ms();
		rc = pp_plan_extent(&c.p, c.r0, c.f0, c.f1, c.gran,
				    c.max_blocks, c.mom, &ch);
		t1 = now_ms();
		oracle_extent(&c.p, c.r0, c.f0, c.f1, c.gran, c.max_blocks,
			      c.mom, &o);
		t2 = now_ms();
		t_plan_extent += t1 - t0;
		t_oracle_extent += t2 - t1;
		layouts += o.layouts;
		found += o.found;
		capped += c.max_blocks != UINT64_MAX;
		if (check_extent(&c, &o, &ch, rc))
			continue;
		failed++;
		if (failed <= g_max_print || !g_keep_going) {
			print_extent_case(stderr, n, &c);
			fprintf(stderr, "  planner: rc %d found %d [%#llx +%#llx)"
				" map=%s align=%#llx kmem %llu MiB stranded "
				"%llu KiB head %#llx tail %#llx\n  MISMATCH: %s\n",
				rc, ch.found, (unsigned long long)ch.start,
				(unsigned long long)ch.size,
				pp_map_name(ch.map),
				(unsigned long long)ch.align,
				(unsigned long long)(ch.kmem >> 20),
				(unsigned long long)(ch.stranded >> 10),
				(unsigned long long)ch.head,
				(unsigned long long)ch.tail, g_why);
		}
		if (!g_keep_going)
			break;
	}
	printf("extent: %lu cases (%lu with kmem, %lu capped), %llu layouts "
	       "enumerated, %lu failed\n", ran, found,
	       capped, (unsigned long long)layouts, failed);
	printf("extent time: planner %.1f ms, oracle %.1f ms (x%.0f)\n",
	       t_plan_extent, t_oracle_extent,
	       t_plan_extent > 0 ? t_oracle_extent / t_plan_extent : 0.0);
	g_failures += failed;
	if (failed)
		fail_msg("%lu of the extent cases failed (first above)", failed);
}

/* ------------------------------------------------------------------ */
/* 3. pp_plan_build() on random topologies                             */

/* What the test knows about each namespace it generated. */
enum ns_kind {
	NS_KEPT = 0,	/* claimed or signed: may hold data */
	NS_FREE,	/* raw, unclaimed, no signature: free space */
	NS_UNPROBED,	/* raw, unclaimed, libblkid did not run: keep */
};

struct region_case {
	bool labelled, label_capable;
	enum pp_label_index label_index;	/* label_capable, unlabelled */
	enum ns_kind kind[8];
};

struct topo_case {
	struct pp_topology t;
	struct region_case rc[3];
	struct pp_plan_opts o;
	const char *names[2];		/* replace or reconfigure */
	unsigned int category;		/* 0 plain, 1 keep, 2 force, 3 named */
};

static const char *const category_name[] = { "plain", "keep", "force",
					      "named" };

static bool named(const struct pp_plan_opts *o, const char *dev,
		  bool *replace, bool *reconf)
{
	unsigned int i;

	*replace = *reconf = false;
	for (i = 0; i < o->nr_replace; i++)
		if (!strcmp(o->replace[i], dev))
			*replace = true;
	for (i = 0; i < o->nr_reconfigure; i++)
		if (!strcmp(o->reconfigure[i], dev))
			*reconf = true;
	return *replace || *reconf;
}

static bool overlaps(const struct pp_region *r, uint64_t s, uint64_t e)
{
	unsigned int i;

	for (i = 0; i < r->nr_ns; i++)
		if (s < r->ns[i].start + r->ns[i].size && r->ns[i].start < e)
			return true;
	return false;
}

static void fill_ns(const struct pp_platform *p, struct pp_namespace *ns,
		    unsigned int ri, unsigned int j, enum ns_kind kind,
		    uint64_t start, uint64_t size)
{
	static const char *const sigs[] = { "", "ext4" };
	struct pp_pfn_layout l;

	snprintf(ns->dev, sizeof(ns->dev), "namespace%u.%u", ri, j);
	snprintf(ns->uuid, sizeof(ns->uuid),
		 "00000000-0000-4000-8000-%04u%08u", ri, j);
	ns->start = start;
	ns->size = size;
	ns->enabled = true;
	ns->sig_probed = true;
	ns->mode = PP_MODE_RAW;
	ns->map = PP_MAP_NONE;
	if (kind == NS_FREE)
		return;
	if (kind == NS_UNPROBED) {
		ns->sig_probed = false;
		return;
	}
	switch (below(4)) {
	case 0:
		ns->mode = PP_MODE_FSDAX;
		break;
	case 1:
		ns->mode = PP_MODE_SECTOR;
		break;
	case 2:
		ns->mode = PP_MODE_DEVDAX;
		break;
	default:
		/* a filesystem on the raw block device */
		strcpy(ns->signature, "ext4");
		ns->busy = chance(30);
		return;
	}
	ns->claimed = true;
	if (ns->mode != PP_MODE_SECTOR)
		strcpy(ns->signature, sigs[below(2)]);
	ns->busy = chance(10);
	if (ns->mode == PP_MODE_SECTOR)
		return;
	ns->map = chance(50) ? PP_MAP_MEM : PP_MAP_DEV;
	ns->align = SZ_2M;
	if (!pp_pfn_layout(p, start, size, ns->map, ns->align, &l))
		ns->dataoff = l.dataoff;
	if (ns->mode == PP_MODE_DEVDAX) {
		struct pp_dax *d = pp_namespace_add_dax(ns);

		if (!d)
			abort();
		ns->signature[0] = 0;
		snprintf(d->dev, sizeof(d->dev), "dax%u.%u", ri, j);
		d->mode = PP_DAX_DEVDAX;
		d->start = start + l.dataoff;
		d->size = size - l.dataoff - l.end_trunc;
		d->align = SZ_2M;
		d->target_node = 0;
		d->memmap_on_memory = p->kver >= PP_KVER(6, 8, 0) ? 0 : -1;
	}
}

/* available_size / max_available_extent as the kernel reports them */
static void fill_available(struct pp_region *r)
{
	struct oracle_range busy[8], ext[9];
	unsigned int i, n;
	uint64_t gran = r->align != PP_UNKNOWN ? r->align : SZ_16M;

	for (i = 0; i < r->nr_ns; i++)
		busy[i] = (struct oracle_range){ r->ns[i].start,
						 r->ns[i].start + r->ns[i].size };
	n = oracle_free_extents(r->start, r->start + r->size, busy, r->nr_ns,
				gran, ext, 9);
	r->available_size = 0;
	r->max_available_extent = 0;
	for (i = 0; i < n; i++) {
		uint64_t len = ext[i].end - ext[i].start;

		r->available_size += len;
		if (len > r->max_available_extent)
			r->max_available_extent = len;
	}
}

static void random_topology(struct topo_case *c)
{
	uint64_t at = GiB(4);
	unsigned int i, j, nr;

	memset(c, 0, sizeof(*c));
	c->t.plat = random_platform();
	nr = 1 + below(3);
	for (i = 0; i < nr; i++) {
		struct pp_region *r = pp_topology_add_region(&c->t);
		struct region_case *rc = &c->rc[i];
		unsigned int kind = below(10);
		unsigned int nr_ns = 0;

		if (!r)
			abort();
		snprintf(r->dev, sizeof(r->dev), "region%u", i);
		r->kind = PP_REGION_NFIT;
		r->start = at + below(64) * SZ_2M;
		r->size = MiB(32) + below(MiB(480) / SZ_2M + 1) * SZ_2M;
		r->ways = 1;
		r->enabled = true;
		r->numa_node = 0;
		r->target_node = 0;
		at = r->start + r->size + below(8) * SZ_2M;
		if (kind < 7) {
			/* labelled, with some namespaces to keep */
			rc->labelled = rc->label_capable = true;
			r->labelled = r->label_capable = true;
			r->align = chance(50) ? SZ_16M : SZ_2M;
			/* interleaved: align stays the SPA granule */
			if (chance(15))
				r->ways = 2;
			for (j = 0; j < 30 && nr_ns < 4; j++) {
				uint64_t s, n;
				enum ns_kind k;

				if (j >= 4 && nr_ns)
					break;
				if (chance(35))
					continue;
				s = r->start + below(r->size / r->align) * r->align;
				n = pp_align_up(SZ_16M, r->align) +
				    below(MiB(112) / r->align + 1) * r->align;
				if (s + n > r->start + r->size ||
				    overlaps(r, s, s + n))
					continue;
				k = chance(70) ? NS_KEPT :
				    chance(80) ? NS_FREE : NS_UNPROBED;
				if (!pp_region_add_namespace(r))
					abort();
				rc->kind[nr_ns] = k;
				fill_ns(&c->t.plat, &r->ns[nr_ns], i, nr_ns, k,
					s, n);
				nr_ns++;
			}
			fill_available(r);
		} else {
			/* label-less (e820 carve-out) or label-capable DIMMs
			 * without labels: one io namespace, the whole region */
			enum ns_kind k = chance(70) ? NS_FREE : NS_KEPT;

			rc->label_capable = kind == 9;
			r->label_capable = rc->label_capable;
			/* a fresh label area holds no index; one that holds
			 * an index (or was not read) needs --force */
			rc->label_index = kind != 9 ? PP_LABEL_INDEX_UNKNOWN :
					  chance(70) ? PP_LABEL_INDEX_NONE :
					  chance(50) ? PP_LABEL_INDEX_VALID :
					  PP_LABEL_INDEX_UNKNOWN;
			r->label_index = rc->label_index;
			r->kind = kind == 9 ? PP_REGION_NFIT : PP_REGION_E820;
			r->align = kind == 9 ? PP_UNKNOWN :
				   chance(50) ? SZ_16M : PP_UNKNOWN;
			if (!pp_region_add_namespace(r))
				abort();
			rc->kind[0] = k;
			fill_ns(&c->t.plat, &r->ns[0], i, 0, k, r->start,
				r->size);
			snprintf(r->ns[0].dev, sizeof(r->ns[0].dev),
				 "namespace%u.0", i);
			r->available_size = 0;
			r->max_available_extent = 0;
		}
	}
	c->o.dram_percent = PP_DEFAULT_DRAM_PERCENT;
	c->o.memmap = PP_MEMMAP_AUTO;
	c->o.zone = PP_ZONE_MOVABLE;
	switch (below(10)) {
	case 0:
		c->o.region_align = SZ_16M;
		break;
	case 1: case 2: case 3:
		c->o.region_align = SZ_2M;
		break;
	default:
		c->o.region_align = 0;
	}
	c->category = below(10) < 7 ? 0 : 1 + below(3);
	if (c->category == 1) {
		c->o.keep = true;
	} else if (c->category == 2) {
		c->o.force = true;
	} else if (c->category == 3) {
		/* name one kept, not busy namespace */
		for (i = 0; i < c->t.nr_regions; i++) {
			struct pp_region *r = &c->t.regions[i];

			for (j = 0; j < r->nr_ns; j++)
				if (c->rc[i].kind[j] == NS_KEPT &&
				    !r->ns[j].busy && chance(50))
					break;
			if (j < r->nr_ns) {
				c->names[0] = r->ns[j].dev;
				if (chance(50)) {
					c->o.replace = c->names;
					c->o.nr_replace = 1;
				} else {
					c->o.reconfigure = c->names;
					c->o.nr_reconfigure = 1;
				}
				break;
			}
		}
		if (!c->names[0])
			c->category = 0;
	}
}

static void print_topology(FILE *f, unsigned long n, const struct topo_case *c)
{
	const struct pp_plan_opts *o = &c->o;
	unsigned int i, j;

	fprintf(f, "region case %lu (seed 0x%016llx, PP_ORACLE_CASE=%lu), "
		"opts: %s region_align=%#llx%s%s%s%s\n  ", n,
		(unsigned long long)g_seed, n, category_name[c->category],
		(unsigned long long)o->region_align, o->keep ? " --keep" : "",
		o->force ? " --force" : "",
		o->nr_replace ? " --replace " : o->nr_reconfigure ?
		" --reconfigure " : "", c->names[0] ? c->names[0] : "");
	print_platform(f, &c->t.plat);
	for (i = 0; i < c->t.nr_regions; i++) {
		const struct pp_region *r = &c->t.regions[i];

		fprintf(f, "  %s %s [%#llx, %#llx) size %llu MiB align %#llx "
			"ways %u labelled %d label_capable %d "
			"label_index %s\n", r->dev,
			pp_region_kind_name(r->kind),
			(unsigned long long)r->start,
			(unsigned long long)(r->start + r->size),
			(unsigned long long)(r->size >> 20),
			(unsigned long long)r->align, r->ways, r->labelled,
			r->label_capable, pp_label_index_name(r->label_index));
		for (j = 0; j < r->nr_ns; j++) {
			const struct pp_namespace *ns = &r->ns[j];

			fprintf(f, "    %s %s [%#llx, %#llx) R0+%llu MiB, %llu MiB"
				" map=%s claimed=%d sig_probed=%d sig=\"%s\" "
				"busy=%d%s\n", ns->dev, pp_mode_name(ns->mode),
				(unsigned long long)ns->start,
				(unsigned long long)(ns->start + ns->size),
				(unsigned long long)((ns->start - r->start) >> 20),
				(unsigned long long)(ns->size >> 20),
				pp_map_name(ns->map), ns->claimed,
				ns->sig_probed, ns->signature, ns->busy,
				c->rc[i].kind[j] == NS_FREE ? " (free)" :
				c->rc[i].kind[j] == NS_UNPROBED ?
				" (unprobed: keep)" : "");
		}
	}
}

static void print_plan(FILE *f, const struct pp_plan *plan)
{
	unsigned int i, j;

	for (i = 0; i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];

		fprintf(f, "  plan %s: align %#llx predicted kmem %llu MiB "
			"stranded %llu KiB usable %llu MiB free %llu MiB; "
			"baseline kmem %llu MiB; bound %llu MiB\n",
			rp->r ? rp->r->dev : "?",
			(unsigned long long)rp->region_align,
			(unsigned long long)(rp->predicted.kmem >> 20),
			(unsigned long long)(rp->predicted.stranded >> 10),
			(unsigned long long)(rp->predicted.usable >> 20),
			(unsigned long long)(rp->predicted.free >> 20),
			(unsigned long long)(rp->baseline.kmem >> 20),
			(unsigned long long)(rp->bound >> 20));
		for (j = 0; j < rp->nr_ops; j++) {
			const struct pp_op *op = &rp->ops[j];

			fprintf(f, "    %u. %s %s dev=\"%s\" [%#llx +%llu MiB"
				" (%#llx)) mode=%s map=%s align=%#llx%s\n", j + 1,
				pp_op_name(op->kind), pp_role_name(op->role),
				op->dev, (unsigned long long)op->start,
				(unsigned long long)(op->size >> 20),
				(unsigned long long)op->size,
				pp_mode_name(op->mode), pp_map_name(op->map),
				(unsigned long long)op->align,
				op->destructive ? " destructive" : "");
		}
	}
}

/* The failing topology as a snapshot "pmemplan plan --input" reads. */
static void dump_topology(unsigned long n, const struct topo_case *c)
{
	struct json_object *root, *regions;
	char path[4096];
	unsigned int i, j;
	FILE *f;

	if (!g_dump)
		return;
	root = json_object_new_object();
	regions = json_object_new_array();
	json_object_object_add(root, "schema", json_object_new_int(PP_SCHEMA));
	json_object_object_add(root, "platform",
			       pp_snapshot_platform(&c->t.plat));
	for (i = 0; i < c->t.nr_regions; i++) {
		const struct pp_region *r = &c->t.regions[i];
		struct json_object *ro = pp_snapshot_region(r);
		struct json_object *na = json_object_new_array();

		for (j = 0; j < r->nr_ns; j++)
			json_object_array_add(na,
				pp_snapshot_namespace(&r->ns[j]));
		json_object_object_add(ro, "namespaces", na);
		json_object_array_add(regions, ro);
	}
	json_object_object_add(root, "regions", regions);
	snprintf(path, sizeof(path), "%s/oracle-%016llx-%lu.json", g_dump,
		 (unsigned long long)g_seed, n);
	f = fopen(path, "w");
	if (f) {
		fputs(json_object_to_json_string_ext(root,
				JSON_C_TO_STRING_PRETTY), f);
		fputc('\n', f);
		fclose(f);
		fprintf(stderr, "  snapshot: %s\n", path);
	}
	json_object_put(root);
}

/* A namespace of the simulated region, after the ops so far. */
struct sim_ns {
	char dev[PP_NAME_MAX];		/* "" when created by the plan */
	uint64_t start, size;
	bool kmem;			/* the plan makes it kmem */
	enum pp_map map;
	uint64_t align;
	enum pp_role role;
	bool existing;
};

struct sim {
	struct sim_ns ns[64];
	unsigned int nr;
	uint64_t gran;
	bool labelled;
};

static unsigned int sim_busy(const struct sim *s, struct oracle_range *b)
{
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		b[i] = (struct oracle_range){ s->ns[i].start,
					      s->ns[i].start + s->ns[i].size };
	return s->nr;
}

static int sim_find(const struct sim *s, const char *dev)
{
	unsigned int i;

	if (!dev[0])
		return -1;
	for (i = 0; i < s->nr; i++)
		if (!strcmp(s->ns[i].dev, dev))
			return i;
	return -1;
}

/* the best in-place kmem of a fixed namespace: every map and align */
static uint64_t best_in_place(const struct pp_platform *p, uint64_t s,
			      uint64_t n, unsigned int ways)
{
	static const enum pp_map maps[] = { PP_MAP_MEM, PP_MAP_DEV };
	uint64_t best = 0;
	unsigned int m, a;

	if (n < SZ_16M)
		return 0;
	for (m = 0; m < 2; m++)
		for (a = 0; a < p->nr_supported_align; a++) {
			struct pp_ns_account acct;

			if (!oracle_kernel_takes(p, s, n, true, maps[m],
						 p->supported_align[a], ways))
				continue;
			pp_account_namespace(p, s, n, maps[m],
					     p->supported_align[a], false,
					     &acct);
			if (!acct.pfn_err && !acct.kmem_err &&
			    acct.kmem.blocks * p->block_size.value > best)
				best = acct.kmem.blocks * p->block_size.value;
		}
	return best;
}

struct expect {
	uint64_t kmem;
	uint64_t stranded;	/* minimum at that kmem */
	bool stranded_known;
	unsigned int extents;
};

static double t_oracle_region;

/*
 * What the oracle says the region can give: the sum over its free extents
 * (the region minus what must be kept, trimmed to the planned align) of
 * the oracle's maximum, plus, for a namespace named --reconfigure, the best
 * in-place layout.  keep_free: free raw namespaces are kept (--keep, or
 * the planner's choice when reusing them gains nothing).
 */
static struct expect expect_region_as(const struct topo_case *c,
				      unsigned int ri, uint64_t gran,
				      bool keep_free)
{
	const struct pp_platform *p = &c->t.plat;
	const struct pp_region *r = &c->t.regions[ri];
	const struct region_case *rc = &c->rc[ri];
	struct oracle_range busy[8], ext[9];
	uint64_t in_ext = 0, kept_total = 0, kept_stranded = 0;
	uint64_t ext_kmem = 0, ext_stranded = 0;
	uint64_t r1 = r->start + r->size;
	struct expect e = { 0 };
	unsigned int i, nb = 0, ne;
	double t0 = now_ms();

	if (!rc->labelled) {
		/* one io namespace over the whole region: in place, mode,
		 * map and align only; label-capable DIMMs can also be
		 * initialised, which frees the whole region */
		const struct pp_namespace *ns = &r->ns[0];
		bool repl, reconf, in_place, init;
		bool free_ns = rc->kind[0] == NS_FREE && !keep_free;
		uint64_t io = 0;

		named(&c->o, ns->dev, &repl, &reconf);
		in_place = free_ns || (!ns->busy && (c->o.force || repl ||
						     reconf));
		/* init-labels erases it: only what may be replaced, and
		 * without --force only a label area that holds no index */
		init = rc->label_capable &&
		       (c->o.force ? free_ns || !ns->busy :
			rc->label_index == PP_LABEL_INDEX_NONE &&
			(free_ns || (!ns->busy && repl)));
		if (in_place)
			io = best_in_place(p, ns->start, ns->size, r->ways);
		e.kmem = io;
		e.stranded = io ? r->size - io : 0;
		e.stranded_known = true;
		if (!init) {
			t_oracle_region += now_ms() - t0;
			return e;
		}
		/* after init-labels: one extent, the whole region */
	} else {
		for (i = 0; i < r->nr_ns; i++) {
			const struct pp_namespace *ns = &r->ns[i];
			bool repl = false, reconf = false, keep;

			named(&c->o, ns->dev, &repl, &reconf);
			if (rc->kind[i] == NS_FREE)
				keep = keep_free;
			else
				keep = ns->busy || !(c->o.force || repl);
			if (!keep)
				continue;
			busy[nb++] = (struct oracle_range){ ns->start,
						ns->start + ns->size };
			kept_total += ns->size;
			if (reconf && !ns->busy) {
				uint64_t k = best_in_place(p, ns->start,
							   ns->size, r->ways);

				e.kmem += k;
				if (k)		/* all of it is the kmem ns */
					kept_stranded += ns->size - k;
				else
					kept_stranded +=
						oracle_piece_stranded(ns->size);
			} else {
				kept_stranded += oracle_piece_stranded(ns->size);
			}
		}
	}
	ne = oracle_free_extents(r->start, r1, busy, nb, gran, ext, 9);
	for (i = 0; i < ne; i++) {
		struct oracle_result o;
		uint64_t len = ext[i].end - ext[i].start;

		in_ext += len;
		/* the region cases keep memmap_on_memory off (DRAM) */
		oracle_extent_ways(p, r->start, ext[i].start, ext[i].end, gran,
				   r->ways, UINT64_MAX, false, &o);
		ext_kmem += o.kmem;
		ext_stranded += o.found ? o.stranded :
				oracle_piece_stranded(len);
	}
	e.extents = ne;
	/* trim losses + what the kept namespaces strand + extents' minima */
	ext_stranded += (r->size - in_ext - kept_total) + kept_stranded;
	if (!rc->labelled) {
		/* the better of in place and init-labels */
		if (ext_kmem > e.kmem ||
		    (ext_kmem == e.kmem && ext_stranded < e.stranded)) {
			e.kmem = ext_kmem;
			e.stranded = ext_stranded;
		}
	} else {
		e.kmem += ext_kmem;
		e.stranded = ext_stranded;
		e.stranded_known = true;
	}
	t_oracle_region += now_ms() - t0;
	return e;
}

/*
 * The planner reuses free raw namespaces only for a gain: the better of
 * both (more kmem, or as much and less stranded).
 */
static struct expect expect_region(const struct topo_case *c, unsigned int ri,
				   uint64_t gran)
{
	struct expect reused, kept;

	kept = expect_region_as(c, ri, gran, true);
	if (c->o.keep)
		return kept;
	reused = expect_region_as(c, ri, gran, false);
	if (kept.kmem > reused.kmem ||
	    (kept.kmem == reused.kmem && kept.stranded_known &&
	     reused.stranded_known && kept.stranded < reused.stranded))
		return kept;
	return reused;
}

/* Per-region bookkeeping for the summary. */
static unsigned long st_regions, st_ops, st_creates, st_kmem_regions;
static unsigned long st_multi_kmem, st_fillers, st_leftovers, st_spacers;
static const char *const fail_name[] = {
	"a: predicted < baseline", "b: predicted > bound",
	"c: kmem != oracle", "d: first fit", "e: touches kept",
	"f: size/align", "g: stranded identity", "g: own recomputation",
	"h: stranded != oracle min", "plan_build error", "structure",
	"bound != pp_kmem_bound", "region align", "op order/validity",
	"totals", "needless region-align", "a: < baseline under --keep",
	"a: < baseline, coarser align asked", "consent refuses the plan",
	"other",
};

enum { F_A, F_B, F_C, F_D, F_E, F_F, F_G, F_G2, F_H, F_ERR, F_STRUCT,
       F_BOUND, F_RALIGN, F_OP, F_TOTALS, F_NEEDLESS, F_A_KEEP, F_A_ALIGN,
       F_CONSENT, F_OTHER, F_NR };

static unsigned long st_fail_by[F_NR];

/*
 * Reported, not failed: the plan is worse than the baseline only because
 * of what the user asked (--keep keeps a raw namespace the baseline would
 * reuse; --region-align coarser than the region's own).
 */
#define SOFT_FAILURES ((1u << F_A_KEEP) | (1u << F_A_ALIGN))

static unsigned int g_fail_mask;

static void flag(unsigned int what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void flag(unsigned int what, const char *fmt, ...)
{
	char buf[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	g_fail_mask |= 1u << what;
	why("[%s] %s", fail_name[what], buf);
}

static bool is_free_ns(const struct topo_case *c, unsigned int ri,
		       unsigned int j)
{
	return c->rc[ri].kind[j] == NS_FREE && !c->o.keep;
}

/* Simulate the ops of one region on the kernel's first fit; check. */
static void check_region(const struct topo_case *c, unsigned int ri,
			 const struct pp_region_plan *rp)
{
	const struct pp_platform *p = &c->t.plat;
	const struct pp_region *r = &c->t.regions[ri];
	const struct region_case *rc = &c->rc[ri];
	uint64_t b = p->block_size.value, r1 = r->start + r->size;
	uint64_t kmem = 0, usable = 0, freeb = 0, stranded;
	struct oracle_range busy[64], ext[65];
	struct sim *s = calloc(1, sizeof(*s));
	unsigned int i, j, ne;
	struct expect e;

	if (!s)
		abort();
	st_regions++;
	st_ops += rp->nr_ops;
	/* (b) and the bound's definition */
	if (rp->predicted.kmem > rp->bound)
		flag(F_B, "predicted kmem %llu MiB > bound %llu MiB",
		     (unsigned long long)(rp->predicted.kmem >> 20),
		     (unsigned long long)(rp->bound >> 20));
	if (rp->bound != pp_kmem_bound(p, r->start, r1))
		flag(F_BOUND, "bound %llu MiB, pp_kmem_bound(region) %llu MiB",
		     (unsigned long long)(rp->bound >> 20),
		     (unsigned long long)(pp_kmem_bound(p, r->start, r1) >> 20));
	/* (a); under --keep the baseline may use what the user keeps */
	if (rp->predicted.kmem < rp->baseline.kmem)
		flag(c->o.keep ? F_A_KEEP :
		     rc->labelled && c->o.region_align > r->align ? F_A_ALIGN :
		     F_A, "predicted kmem %llu MiB < baseline %llu MiB",
		     (unsigned long long)(rp->predicted.kmem >> 20),
		     (unsigned long long)(rp->baseline.kmem >> 20));
	if (rp->predicted.kmem % b || rp->predicted.kmem != rp->predicted.blocks * b)
		flag(F_STRUCT, "predicted kmem %#llx is not blocks (%llu) x B",
		     (unsigned long long)rp->predicted.kmem,
		     (unsigned long long)rp->predicted.blocks);
	/* the planned region align, where the plan has labels */
	for (j = 0; j < rp->nr_ops; j++)
		if (rp->ops[j].kind == PP_OP_INIT_LABELS)
			break;
	if (rc->labelled || j < rp->nr_ops) {
		if (c->o.region_align && rp->region_align != c->o.region_align)
			flag(F_RALIGN, "planned region align %#llx, asked %#llx",
			     (unsigned long long)rp->region_align,
			     (unsigned long long)c->o.region_align);
		if (!c->o.region_align && rc->labelled &&
		    rp->region_align != r->align)
			flag(F_RALIGN, "planned region align %#llx, region has "
			     "%#llx and none was asked",
			     (unsigned long long)rp->region_align,
			     (unsigned long long)r->align);
		if (!pp_is_pow2(rp->region_align) ||
		    rp->region_align < p->page_size.value)
			flag(F_RALIGN, "planned region align %#llx invalid",
			     (unsigned long long)rp->region_align);
	}

	/* the simulation starts from what exists */
	s->labelled = rc->labelled;
	s->gran = r->align != PP_UNKNOWN ? r->align : SZ_16M;
	for (i = 0; i < r->nr_ns; i++) {
		struct sim_ns *n = &s->ns[s->nr++];

		strcpy(n->dev, r->ns[i].dev);
		n->start = r->ns[i].start;
		n->size = r->ns[i].size;
		n->existing = true;
	}
	for (j = 0; j < rp->nr_ops; j++) {
		const struct pp_op *op = &rp->ops[j];
		int k = sim_find(s, op->dev);
		bool repl = false, reconf = false;

		/* (e): what may hold data is not touched unless allowed */
		for (i = 0; i < r->nr_ns; i++) {
			const struct pp_namespace *ns = &r->ns[i];
			bool touched = op->dev[0] &&
				(!strcmp(op->dev, ns->dev) ||
				 (ns->dax && !strcmp(op->dev, ns->dax->dev)));
			bool allowed;

			if (!touched)
				continue;
			named(&c->o, ns->dev, &repl, &reconf);
			if (is_free_ns(c, ri, i))
				allowed = true;
			else if (ns->busy)
				allowed = false;
			else if (c->o.force)
				allowed = true;
			else if (op->kind == PP_OP_DESTROY)
				allowed = repl;
			else
				allowed = repl || reconf;
			if (op->kind == PP_OP_INIT_LABELS)
				allowed = true;	/* checked below */
			if (!allowed)
				flag(F_E, "op %u %s touches %s (%s%s%s) which "
				     "must be kept", j + 1,
				     pp_op_name(op->kind), op->dev,
				     rc->kind[i] == NS_UNPROBED ? "unprobed" :
				     rc->kind[i] == NS_FREE ? "free but --keep" :
				     "claimed/signed",
				     ns->busy ? ", busy" : "",
				     repl ? ", named --replace" :
				     reconf ? ", named --reconfigure" : "");
		}
		switch (op->kind) {
		case PP_OP_INIT_LABELS:
			if (rc->labelled || !rc->label_capable) {
				flag(F_OP, "op %u init-labels on a region that "
				     "%s", j + 1, rc->labelled ? "has labels" :
				     "cannot hold labels");
				break;
			}
			/* destructive: a label index, or data, to lose */
			if (op->destructive !=
			    (rc->label_index != PP_LABEL_INDEX_NONE ||
			     rc->kind[0] != NS_FREE))
				flag(F_OP, "op %u init-labels %smarked "
				     "destructive", j + 1,
				     op->destructive ? "" : "not ");
			named(&c->o, r->ns[0].dev, &repl, &reconf);
			if (!is_free_ns(c, ri, 0) &&
			    (r->ns[0].busy || !(c->o.force || repl)))
				flag(F_E, "op %u init-labels erases %s which "
				     "must be kept", j + 1, r->ns[0].dev);
			if (rc->label_index != PP_LABEL_INDEX_NONE &&
			    !c->o.force)
				flag(F_E, "op %u init-labels erases a label "
				     "index without --force", j + 1);
			s->nr = 0;
			s->labelled = true;
			s->gran = SZ_16M;	/* default_align() */
			break;
		case PP_OP_REGION_ALIGN:
			/* label-less: only to make the size a multiple of
			 * it, which ndctl needs (kernel-model.md §13) */
			if (!s->labelled && (r->align == PP_UNKNOWN ||
			    !(r->size % r->align) || r->size % op->align))
				flag(F_OP, "op %u region align %#llx on a "
				     "label-less region of %#llx with align "
				     "%#llx", j + 1,
				     (unsigned long long)op->align,
				     (unsigned long long)r->size,
				     (unsigned long long)r->align);
			for (i = 0; i < rp->nr_ops; i++)
				if (rp->ops[i].kind == PP_OP_CREATE ||
				    rp->ops[i].kind == PP_OP_RECONFIGURE)
					break;
			if (i == rp->nr_ops && !c->o.region_align)
				flag(F_NEEDLESS, "op %u writes the region "
				     "align %#llx but the plan creates and "
				     "reconfigures nothing there", j + 1,
				     (unsigned long long)op->align);
			if (!pp_is_pow2(op->align) ||
			    op->align < p->page_size.value ||
			    op->align > r->size)
				flag(F_OP, "op %u region align %#llx invalid",
				     j + 1, (unsigned long long)op->align);
			s->gran = op->align;
			break;
		case PP_OP_DESTROY:
			if (k < 0) {
				flag(F_OP, "op %u destroys \"%s\" which does "
				     "not exist (any more)", j + 1, op->dev);
				break;
			}
			s->ns[k] = s->ns[--s->nr];
			break;
		case PP_OP_CREATE: {
			uint64_t at;
			struct sim_ns *n;

			st_creates++;
			if (!s->labelled) {
				flag(F_OP, "op %u creates a namespace in a "
				     "label-less region", j + 1);
				break;
			}
			/* (f) */
			if (op->size % s->gran)
				flag(F_F, "op %u size %#llx is not a multiple "
				     "of the region align %#llx", j + 1,
				     (unsigned long long)op->size,
				     (unsigned long long)s->gran);
			if (op->size < SZ_16M && op->role != PP_ROLE_FILLER)
				flag(F_F, "op %u %s of %#llx < 16 MiB", j + 1,
				     pp_role_name(op->role),
				     (unsigned long long)op->size);
			if (!op->size)
				flag(F_F, "op %u of size 0", j + 1);
			if (rp->region_align && s->gran != rp->region_align)
				flag(F_F, "op %u created with region align "
				     "%#llx, plan says %#llx", j + 1,
				     (unsigned long long)s->gran,
				     (unsigned long long)rp->region_align);
			/* (d) first fit */
			sim_busy(s, busy);
			at = oracle_first_fit(r->start, r1, busy, s->nr,
					      s->gran, op->size);
			if (at != op->start)
				flag(F_D, "op %u %s %llu MiB: plan says %#llx "
				     "(R0+%llu MiB), first fit puts it at %#llx"
				     " (R0+%lld MiB)", j + 1,
				     pp_role_name(op->role),
				     (unsigned long long)(op->size >> 20),
				     (unsigned long long)op->start,
				     (unsigned long long)((op->start -
							   r->start) >> 20),
				     (unsigned long long)at,
				     at == UINT64_MAX ? -1LL :
				     (long long)((at - r->start) >> 20));
			if (at == UINT64_MAX)
				break;
			if (s->nr >= 64)
				abort();
			n = &s->ns[s->nr++];
			memset(n, 0, sizeof(*n));
			snprintf(n->dev, sizeof(n->dev), "new%u", j);
			/* it lands where first fit puts it */
			n->start = at;
			n->size = op->size;
			n->role = op->role;
			if (op->role == PP_ROLE_KMEM) {
				n->kmem = true;
				n->map = op->map;
				n->align = op->align;
				if (op->mode != PP_MODE_DEVDAX)
					flag(F_OP, "op %u kmem namespace in "
					     "mode %s", j + 1,
					     pp_mode_name(op->mode));
			}
			if ((op->mode == PP_MODE_DEVDAX ||
			     op->mode == PP_MODE_FSDAX) &&
			    at % p->compat_align.value)
				flag(F_F, "op %u %s start %#llx not compat "
				     "aligned", j + 1, pp_mode_name(op->mode),
				     (unsigned long long)at);
			if ((op->mode == PP_MODE_DEVDAX ||
			     op->mode == PP_MODE_FSDAX) &&
			    !oracle_kernel_takes(p, at, op->size,
						 op->mode == PP_MODE_DEVDAX,
						 op->map, op->align, r->ways))
				flag(F_F, "op %u %s %s [%#llx +%llu MiB) map=%s "
				     "align %#llx: the kernel or ndctl would "
				     "not take it", j + 1,
				     pp_mode_name(op->mode),
				     pp_role_name(op->role),
				     (unsigned long long)at,
				     (unsigned long long)(op->size >> 20),
				     pp_map_name(op->map),
				     (unsigned long long)op->align);
			if ((op->mode == PP_MODE_DEVDAX ||
			     op->mode == PP_MODE_FSDAX) && op->size < SZ_16M)
				flag(F_F, "op %u %s of %#llx < 16 MiB", j + 1,
				     pp_mode_name(op->mode),
				     (unsigned long long)op->size);
			if (op->mode == PP_MODE_DEVDAX &&
			    (!pp_align_supported(p, op->align) ||
			     (op->map != PP_MAP_MEM && op->map != PP_MAP_DEV)))
				flag(F_F, "op %u devdax map=%s align %#llx "
				     "invalid", j + 1, pp_map_name(op->map),
				     (unsigned long long)op->align);
			break;
		}
		case PP_OP_RECONFIGURE:
			if (k < 0) {
				flag(F_OP, "op %u reconfigures \"%s\" which "
				     "does not exist", j + 1, op->dev);
				break;
			}
			if (op->role == PP_ROLE_KMEM ||
			    op->mode == PP_MODE_DEVDAX) {
				s->ns[k].kmem = op->role == PP_ROLE_KMEM;
				s->ns[k].map = op->map;
				s->ns[k].align = op->align;
				if (op->mode == PP_MODE_DEVDAX &&
				    (!pp_align_supported(p, op->align) ||
				     (op->map != PP_MAP_MEM &&
				      op->map != PP_MAP_DEV)))
					flag(F_F, "op %u devdax map=%s align "
					     "%#llx invalid", j + 1,
					     pp_map_name(op->map),
					     (unsigned long long)op->align);
			}
			s->ns[k].role = op->role;
			break;
		case PP_OP_MEMMAP_ON_MEMORY:
		case PP_OP_KMEM:
			break;
		}
	}

	{
		unsigned int nk = 0;

		for (j = 0; j < rp->nr_ops; j++) {
			if (rp->ops[j].kind != PP_OP_CREATE)
				continue;
			nk += rp->ops[j].role == PP_ROLE_KMEM;
			st_fillers += rp->ops[j].role == PP_ROLE_FILLER;
			st_spacers += rp->ops[j].role == PP_ROLE_SPACER;
			st_leftovers += rp->ops[j].role == PP_ROLE_LEFTOVER;
		}
		st_multi_kmem += nk >= 2;
	}
	/* (g) recompute from the final layout */
	for (i = 0; i < s->nr; i++) {
		struct sim_ns *n = &s->ns[i];

		if (n->kmem) {
			struct pp_ns_account a;

			pp_account_namespace(p, n->start, n->size, n->map,
					     n->align, false, &a);
			if (a.pfn_err || a.kmem_err || !a.kmem.blocks)
				flag(F_G2, "kmem namespace [%#llx +%llu MiB) "
				     "map=%s align=%#llx yields nothing "
				     "(pfn_err %d kmem_err %d)",
				     (unsigned long long)n->start,
				     (unsigned long long)(n->size >> 20),
				     pp_map_name(n->map),
				     (unsigned long long)n->align, a.pfn_err,
				     a.kmem_err);
			else
				kmem += a.kmem.blocks * b;
		} else if (n->size >= SZ_16M) {
			usable += n->size;
		}
	}
	if (s->labelled) {
		sim_busy(s, busy);
		ne = oracle_free_extents(r->start, r1, busy, s->nr, s->gran,
					 ext, 65);
		for (i = 0; i < ne; i++)
			if (ext[i].end - ext[i].start >= SZ_16M)
				freeb += ext[i].end - ext[i].start;
	}
	stranded = r->size - kmem - usable - freeb;
	if (rp->predicted.kmem)
		st_kmem_regions++;
	{
		const struct pp_outcome *pr = &rp->predicted;
		uint64_t sum = pr->kmem + pr->usable + pr->free;

		if (sum > r->size || pr->stranded != r->size - sum)
			flag(F_G, "reported stranded %llu KiB != capacity %llu "
			     "MiB - kmem %llu MiB - usable %llu MiB - free "
			     "%llu MiB", (unsigned long long)(pr->stranded >> 10),
			     (unsigned long long)(r->size >> 20),
			     (unsigned long long)(pr->kmem >> 20),
			     (unsigned long long)(pr->usable >> 20),
			     (unsigned long long)(pr->free >> 20));
		if (pr->kmem != kmem || pr->usable != usable ||
		    pr->free != freeb || pr->stranded != stranded)
			flag(F_G2, "reported kmem/usable/free/stranded %llu "
			     "MiB/%llu MiB/%llu MiB/%llu KiB, recomputed "
			     "from the ops %llu MiB/%llu MiB/%llu MiB/%llu KiB",
			     (unsigned long long)(pr->kmem >> 20),
			     (unsigned long long)(pr->usable >> 20),
			     (unsigned long long)(pr->free >> 20),
			     (unsigned long long)(pr->stranded >> 10),
			     (unsigned long long)(kmem >> 20),
			     (unsigned long long)(usable >> 20),
			     (unsigned long long)(freeb >> 20),
			     (unsigned long long)(stranded >> 10));
	}
	/* (c) and the stranded minimum, against the oracle */
	/* labelled: the align the plan gives the region (checked above);
	 * labels to initialise: the one asked, or default_align()'s 16M */
	e = expect_region(c, ri, rc->labelled ?
			  (rp->region_align ? rp->region_align : s->gran) :
			  c->o.region_align ? c->o.region_align : SZ_16M);
	/*
	 * --force permits replacing namespaces and the planner keeps them
	 * when replacing gains nothing: then it may only do better than the
	 * all-replaced optimum, never worse.
	 */
	if (c->o.force && (rp->predicted.kmem > e.kmem ||
			   (rp->predicted.kmem == e.kmem &&
			    (!e.stranded_known ||
			     rp->predicted.stranded <= e.stranded))))
		;
	else if (rp->predicted.kmem != e.kmem)
		flag(F_C, "predicted kmem %llu MiB, oracle %llu MiB over %u "
		     "extent(s) at region align %#llx",
		     (unsigned long long)(rp->predicted.kmem >> 20),
		     (unsigned long long)(e.kmem >> 20), e.extents,
		     (unsigned long long)rp->region_align);
	else if (e.stranded_known && rp->predicted.stranded != e.stranded)
		flag(F_H, "predicted stranded %llu KiB, oracle minimum %llu KiB"
		     " at kmem %llu MiB",
		     (unsigned long long)(rp->predicted.stranded >> 10),
		     (unsigned long long)(e.stranded >> 10),
		     (unsigned long long)(e.kmem >> 20));
	free(s);
}

static double t_plan_build;
/* memmap choices checked: DRAM short, DRAM better, device (or a tie) */
static unsigned long st_memmap[3];

/*
 * The memmap placement, by brute force over both: with memmap_on_memory
 * possible, --memmap=auto must give the larger net memory of
 * --memmap=dram and --memmap=pmem, the device on a tie; unless DRAM
 * cannot carry the struct pages of what the device hot-plugs.
 */
static void check_memmap_choice(struct topo_case *c)
{
	struct pp_platform saved = c->t.plat;
	struct pp_plan_opts o = c->o;
	struct pp_plan a, d, m;
	uint64_t na, nd, nm;
	char err[256];

	c->t.plat.kver = PP_KVER(6, 12, 0);
	c->t.plat.memmap_on_memory = chance(50) ? PP_MOM_ON : PP_MOM_FORCE;
	if (pp_mom_supported(&c->t.plat, c->t.plat.memmap_on_memory) !=
	    PP_MOM_OK)
		goto out;
	/* a DRAM budget that binds now and then */
	c->t.plat.mem_available.value = chance(30) ?
		(uint64_t)below(64) * pp_block_memmap_bytes(&c->t.plat) * 2 :
		1ULL << 50;
	o.memmap = PP_MEMMAP_AUTO;
	if (pp_plan_build(&c->t, &o, &a, err, sizeof(err)))
		goto out;
	o.memmap = PP_MEMMAP_DRAM;
	if (pp_plan_build(&c->t, &o, &d, err, sizeof(err))) {
		pp_plan_free(&a);
		goto out;
	}
	o.memmap = PP_MEMMAP_PMEM;
	if (pp_plan_build(&c->t, &o, &m, err, sizeof(err))) {
		pp_plan_free(&a);
		pp_plan_free(&d);
		goto out;
	}
	na = pp_outcome_net(&a.predicted);
	nd = pp_outcome_net(&d.predicted);
	nm = pp_outcome_net(&m.predicted);
	st_memmap[d.predicted.blocks < m.predicted.blocks ? 0 :
		  nd > nm ? 1 : 2]++;
	if (d.predicted.blocks < m.predicted.blocks) {
		if (!a.mom || na != nm)
			flag(F_C, "memmap: DRAM carries %llu of %llu blocks, "
			     "auto mom=%d net %llu KiB, device %llu KiB",
			     (unsigned long long)d.predicted.blocks,
			     (unsigned long long)m.predicted.blocks, a.mom,
			     (unsigned long long)(na >> 10),
			     (unsigned long long)(nm >> 10));
	} else if (a.mom != (nm >= nd) || na != (nm >= nd ? nm : nd)) {
		flag(F_C, "memmap: auto mom=%d net %llu KiB; DRAM %llu KiB, "
		     "device %llu KiB", a.mom, (unsigned long long)(na >> 10),
		     (unsigned long long)(nd >> 10),
		     (unsigned long long)(nm >> 10));
	}
	pp_plan_free(&a);
	pp_plan_free(&d);
	pp_plan_free(&m);
out:
	c->t.plat = saved;
}

/*
 * plan shows what apply does: apply's consent, with the same options,
 * never refuses a plan pp_plan_build() made, before or after
 * pp_apply_complete().
 */
static void check_consent(struct topo_case *c, struct pp_plan *plan)
{
	struct pp_consent con = {
		.force = c->o.force,
		.reconfigure = c->o.reconfigure,
		.nr_reconfigure = c->o.nr_reconfigure,
		.replace = c->o.replace,
		.nr_replace = c->o.nr_replace,
	};
	char err[256] = "";

	if (pp_apply_consent(plan, &con, err, sizeof(err)))
		flag(F_CONSENT, "consent refuses the plan: %s", err);
	else if (pp_apply_complete(&c->t, plan, c->o.zone) < 0)
		flag(F_OTHER, "pp_apply_complete failed");
	else if (pp_apply_consent(plan, &con, err, sizeof(err)))
		flag(F_CONSENT, "consent refuses the completed plan: %s", err);
}

static void prop_region(void **state)
{
	unsigned long n, ran = 0, failed = 0, by_cat[4] = { 0 };
	unsigned long fail_cat[4] = { 0 };
	unsigned int k;

	(void)state;
	t_plan_build = t_oracle_region = 0;
	st_regions = st_ops = st_creates = st_kmem_regions = 0;
	st_multi_kmem = st_fillers = st_leftovers = st_spacers = 0;
	memset(st_fail_by, 0, sizeof(st_fail_by));
	for (n = 0; n < g_cases; n++) {
		struct topo_case c;
		struct pp_plan plan;
		char err[256] = "";
		unsigned int i;
		uint64_t sum_kmem = 0, sum_bound = 0;
		double t0;
		int rc;

		if (g_only >= 0 && (unsigned long)g_only != n)
			continue;
		seed_case(2, n);
		ran++;
		random_topology(&c);
		by_cat[c.category]++;
		if (g_verbose)
			print_topology(stdout, n, &c);
		memset(&plan, 0, sizeof(plan));
		g_why[0] = 0;
		g_fail_mask = 0;
		t0 = now_ms();
		rc = pp_plan_build(&c.t, &c.o, &plan, err, sizeof(err));
		t_plan_build += now_ms() - t0;
		if (rc) {
			flag(F_ERR, "pp_plan_build returned %d: %s", rc, err);
		} else if (plan.nr_regions != c.t.nr_regions) {
			flag(F_STRUCT, "%u region plans for %u regions",
			     plan.nr_regions, c.t.nr_regions);
		} else {
			for (i = 0; i < plan.nr_regions; i++) {
				const struct pp_region_plan *rp =
					&plan.regions[i];
				unsigned int ri = rp->r - c.t.regions;

				if (rp->r < c.t.regions ||
				    ri >= c.t.nr_regions) {
					flag(F_STRUCT, "plan %u points to no "
					     "region", i);
					continue;
				}
				check_region(&c, ri, rp);
				sum_kmem += rp->predicted.kmem;
				sum_bound += rp->bound;
			}
			if (chance(25))
				check_memmap_choice(&c);
			if (plan.predicted.kmem != sum_kmem ||
			    plan.bound != sum_bound)
				flag(F_TOTALS, "totals kmem %llu bound %llu, "
				     "sums %llu %llu",
				     (unsigned long long)plan.predicted.kmem,
				     (unsigned long long)plan.bound,
				     (unsigned long long)sum_kmem,
				     (unsigned long long)sum_bound);
			check_consent(&c, &plan);
		}
		for (k = 0; k < F_NR; k++)
			if (g_fail_mask & (1u << k))
				st_fail_by[k]++;
		if (g_fail_mask & ~SOFT_FAILURES) {
			failed++;
			fail_cat[c.category]++;
			if (failed <= g_max_print || !g_keep_going) {
				print_topology(stderr, n, &c);
				if (!rc)
					print_plan(stderr, &plan);
				fprintf(stderr, "  MISMATCH:\n%s\n", g_why);
				dump_topology(n, &c);
			}
		} else if (g_verbose && !rc) {
			print_plan(stdout, &plan);
		}
		if (!rc)
			pp_plan_free(&plan);
		pp_topology_free(&c.t);
		if (failed && !g_keep_going)
			break;
	}
	printf("region: %lu topologies (plain %lu, keep %lu, force %lu, "
	       "named %lu), %lu region plans (%lu with kmem), %lu ops, %lu "
	       "creates, %lu failed (plain %lu keep %lu force %lu named "
	       "%lu)\n", ran, by_cat[0], by_cat[1],
	       by_cat[2], by_cat[3], st_regions, st_kmem_regions, st_ops,
	       st_creates, failed, fail_cat[0], fail_cat[1], fail_cat[2],
	       fail_cat[3]);
	printf("  creates: %lu spacers, %lu fillers, %lu leftovers; %lu "
	       "regions with 2+ kmem namespaces\n", st_spacers, st_fillers,
	       st_leftovers, st_multi_kmem);
	for (k = 0; k < F_NR; k++)
		if (st_fail_by[k])
			printf("  %-36s %lu%s\n", fail_name[k], st_fail_by[k],
			       SOFT_FAILURES & (1u << k) ?
			       " (reported only)" : "");
	printf("  memmap=auto: %lu DRAM short (device), %lu DRAM better, %lu "
	       "device as good or better\n", st_memmap[0], st_memmap[1],
	       st_memmap[2]);
	printf("region time: planner %.1f ms, oracle %.1f ms (x%.0f)\n",
	       t_plan_build, t_oracle_region,
	       t_plan_build > 0 ? t_oracle_region / t_plan_build : 0.0);
	g_failures += failed;
	if (failed)
		fail_msg("%lu of the region cases failed (first above)", failed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oracle_measured_spacer),
		cmocka_unit_test(oracle_unaligned_region),
		cmocka_unit_test(oracle_2g_blocks),
		cmocka_unit_test(oracle_nothing),
		cmocka_unit_test(oracle_tight),
		cmocka_unit_test(oracle_max_blocks),
		cmocka_unit_test(oracle_map_dev),
		cmocka_unit_test(oracle_first_fit_measured),
		cmocka_unit_test(prop_extent),
		cmocka_unit_test(prop_region),
	};

	return cmocka_run_group_tests(tests, setup_env, NULL);
}
